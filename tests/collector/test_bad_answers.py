"""A 200 answer that is not a List response fails its stream; one bad summary costs only itself.

Each test runs a real collection against the fake over HTTP on 127.0.0.1,
with a fault rule that makes it misbehave the way a captive portal, a
proxy, a broken service or a bad summary would.
"""
from __future__ import annotations

import datetime as dt
import json

import pytest

from jobinventory import collect, iter_jobs, normalize, paging
from jobinventory.inventory import sort_key
from jobinventory.testing import FaultRule
from jobinventory.testing.listing import summary_encoder
from jobinventory.testing.operations import get_operation

from .conftest import by_stream, expected_jobs

FORECAST = ("forecast", "ListDatasetImportJobs", "DatasetImportJobs")
BEDROCK = ("bedrock", "ListModelCustomizationJobs", "modelCustomizationJobSummaries")
REGION = "us-west-2"

BODIES = {
    "html": (b"<html><body><h1>Sign in to the hotel wifi</h1></body></html>", "text/html"),
    "truncated": (b'{"DatasetImportJobs": [{"DatasetImportJobArn": "arn:aws:forecast:us-w', None),
    "empty": (b"", None),
    "no list member": (b'{"Something": []}', None),
    "list member not a list": (None, None),  # filled in per operation below
    "json array": (b"[1, 2, 3]", None),
}


def _stream(inv, service, operation, account):
    return by_stream(inv.streams)[(account, REGION, service, operation)]


@pytest.mark.parametrize("op", [FORECAST, BEDROCK], ids=["json", "rest-json"])
@pytest.mark.parametrize("what", sorted(BODIES))
def test_a_200_that_is_not_a_list_response_fails_the_stream_as_service_error(fake, op, what):
    service, operation, list_key = op
    body, ctype = BODIES[what]
    if body is None:
        body = json.dumps({list_key: "not a list"}).encode()
    fake.seed([(service, operation), ("personalize", "ListBatchInferenceJobs")], regions=[REGION],
              jobs_per_stream=3)
    fake.add_fault(FaultRule("body", service=service, operation=operation, body=body, content_type=ctype))

    inv = collect(operations=[f"{service}:{operation}", "personalize:ListBatchInferenceJobs"], regions=[REGION],
                  endpoint_url=fake.url)

    [error] = inv.errors
    assert (error.service, error.operation, error.region, error.kind) == (service, operation, REGION,
                                                                          "service_error")
    if what in ("json array",):
        assert error.message.startswith("unreadable answer: ")
    else:
        assert f"the answer has {'a str for its' if what == 'list member not a list' else 'no'} {list_key!r} list" \
            in error.message
    if what == "html":
        assert "content-type text/html" in error.message
    assert not inv.complete
    failed = _stream(inv, service, operation, fake.default_account_id)
    assert (failed.state, failed.jobs, failed.pages) == ("failed", 0, 1 if what != "json array" else 0)
    # A 200 is not retried: one request, and the other stream is whole.
    assert fake.count(operation=operation) == 1
    assert [j.operation for j in inv.jobs] == ["ListBatchInferenceJobs"] * 3
    assert inv.jobs == expected_jobs(fake, [("personalize", "ListBatchInferenceJobs", REGION,
                                             fake.default_account_id)])


def test_an_html_page_after_page_1_keeps_page_1(fake):
    fake.seed([("forecast", "ListDatasetImportJobs")], regions=[REGION], jobs_per_stream=150)
    fake.add_fault(FaultRule("body", operation="ListDatasetImportJobs", after_page=1, body=b"<html></html>",
                             content_type="text/html"))
    inv = collect(operations=["ListDatasetImportJobs"], services=["forecast"], regions=[REGION],
                  endpoint_url=fake.url)
    [error] = inv.errors
    assert error.kind == "service_error"
    failed = _stream(inv, "forecast", "ListDatasetImportJobs", fake.default_account_id)
    assert (failed.state, failed.pages, failed.jobs, failed.calls) == ("failed", 2, 100, 2)
    assert inv.jobs == expected_jobs(fake)[:100]


@pytest.mark.parametrize("service, operation, paginated", [
    ("forecast", "ListDatasetImportJobs", True),
    ("personalize", "ListDataDeletionJobs", False),  # botocore has no paginator: the generic loop
])
def test_endless_page_tokens_stop_at_the_page_cap(fake, monkeypatch, service, operation, paginated):
    assert paging.page_plan(service, operation).paginated is paginated
    monkeypatch.setattr(paging, "MAX_PAGES", 7)
    fake.add_fault(FaultRule("endless", operation=operation))
    inv = collect(operations=[f"{service}:{operation}"], regions=[REGION], endpoint_url=fake.url)
    [error] = inv.errors
    assert error.kind == "service_error"
    assert error.message == (f"{service} {operation}: more than 7 pages, the service keeps sending page tokens")
    assert fake.count(operation=operation) == 7
    assert _stream(inv, service, operation, fake.default_account_id).pages == 7


@pytest.mark.parametrize("service, operation", [("forecast", "ListDatasetImportJobs"),
                                                ("personalize", "ListDataDeletionJobs")])
def test_a_repeated_page_token_is_an_error(fake, service, operation):
    fake.add_fault(FaultRule("repeat_token", operation=operation))
    inv = collect(operations=[f"{service}:{operation}"], regions=[REGION], endpoint_url=fake.url)
    [error] = inv.errors
    assert error.kind == "service_error"
    assert error.message == (f"{service} {operation}: the service sent a page token again after 2 pages; "
                             "its paging would never end")
    assert fake.count(operation=operation) == 2


def test_one_bad_timestamp_keeps_the_other_summaries_and_pages(fake):
    fake.seed([("forecast", "ListDatasetImportJobs")], regions=[REGION], jobs_per_stream=250)
    good = fake.jobs("forecast", "ListDatasetImportJobs", region=REGION)
    newest = good[0]["CreationTime"] + dt.timedelta(seconds=1)
    bad = dict(good[1], DatasetImportJobArn=good[1]["DatasetImportJobArn"] + "-bad", CreationTime=newest,
               LastModificationTime="last tuesday")
    fake.add_jobs("forecast", "ListDatasetImportJobs", [bad], region=REGION, validate=False)  # page 1, first
    inv = collect(services=["forecast"], operations=["ListDatasetImportJobs"], regions=[REGION],
                  endpoint_url=fake.url)

    [error] = inv.errors
    assert error.kind == "other"
    assert error.message.startswith(
        "1 job summary could not be read (250 read); first: page 1, DatasetImportJobs[0]: "
        "forecast ListDatasetImportJobs field 'LastModificationTime': not a timestamp")
    stream = _stream(inv, "forecast", "ListDatasetImportJobs", fake.default_account_id)
    assert (stream.state, stream.pages, stream.jobs) == ("failed", 3, 250)
    expected = sorted((normalize("forecast", "ListDatasetImportJobs", s, region=REGION,
                                 account_id=fake.default_account_id) for s in good), key=sort_key)
    assert inv.jobs == expected
    assert not inv.complete


def test_items_that_are_not_objects_are_named_and_the_good_ones_kept(fake):
    fake.seed([("forecast", "ListDatasetImportJobs")], regions=[REGION], jobs_per_stream=2)
    encode = summary_encoder(get_operation("forecast", "ListDatasetImportJobs"))
    good = [encode(s) for s in fake.jobs("forecast", "ListDatasetImportJobs", region=REGION)]
    items = [good[0], None, 5, "a string", dict(good[1], CreationTime="soon"), good[1]]
    body = json.dumps({"DatasetImportJobs": items}).encode()
    fake.add_fault(FaultRule("body", operation="ListDatasetImportJobs", body=body))
    with iter_jobs(services=["forecast"], operations=["ListDatasetImportJobs"], regions=[REGION],
                   endpoint_url=fake.url) as it:
        jobs = list(it)
    assert [j.job_id for j in jobs] == [g["DatasetImportJobArn"] for g in good]
    [error] = it.errors
    assert error.kind == "other"
    assert error.message == (
        "4 job summaries could not be read (2 read); first: page 1, DatasetImportJobs[1]: "
        "forecast ListDatasetImportJobs: a job summary must be a JSON object, got NoneType")
    [stream] = it.streams
    assert (stream.state, stream.jobs, stream.pages) == ("failed", 2, 1)
