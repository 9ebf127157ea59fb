"""One bad stream never stops the others; each failure is one CollectionError of the right kind."""
from __future__ import annotations

import logging

import pytest
from botocore import exceptions as bce

from jobinventory import CollectionError, collect
from jobinventory.failures import attempts_of, classify
from jobinventory.regions import REASON_NOT_ENABLED, REASON_NOT_OFFERED, service_regions

from .conftest import A1, A2, REGIONS, by_stream, expected_jobs, session_for


def _two_accounts(fake, **kwargs):
    return collect(accounts=[session_for(A1), session_for(A2)], endpoint_url=fake.url, **kwargs)


def test_throttling_on_30_percent_of_calls_still_gives_the_complete_inventory(fake, no_backoff):
    fake.seed(["forecast", "bedrock"], regions=["us-east-1", "eu-west-1"], accounts=[A1, A2],
              jobs_per_stream=130, seed=2)
    [rule] = fake.inject(throttle=0.3, seed=7)
    inv = _two_accounts(fake, services=["forecast", "bedrock"], regions=["us-east-1", "eu-west-1"])

    assert inv.errors == []
    assert inv.jobs == expected_jobs(fake)
    assert rule.hits > 10
    assert sum(s.calls for s in inv.streams) > sum(s.pages for s in inv.streams)  # retried calls are counted


def test_access_denied_on_one_account_and_service(fake, capsys, caplog):
    # A failed stream is data (Inventory.errors), logged at INFO, not a warning.
    caplog.set_level(logging.INFO, logger="jobinventory")
    fake.seed(["personalize", "bedrock"], regions=["us-east-1", "us-west-2"], accounts=[A1, A2], jobs_per_stream=4)
    fake.inject(service="bedrock", account_id=A2, access_denied=True)
    inv = _two_accounts(fake, services=["personalize", "bedrock"], regions=["us-east-1", "us-west-2"])

    failed = [s for s in inv.streams if s.state == "failed"]
    assert failed and all(s.account == A2 and s.service == "bedrock" for s in failed)
    assert len(inv.errors) == len(failed) == len([s for s in inv.streams if s.service == "bedrock"]) // 2
    assert {e.kind for e in inv.errors} == {"access_denied"}
    assert all(isinstance(e, CollectionError) and "AccessDenied" in e.message for e in inv.errors)
    # authorization errors are not retried: one request per denied stream
    assert fake.count(service="bedrock", account_id=A2) == len(failed)
    assert all(s.calls == 1 for s in failed)
    ok = [s for s in fake.streams() if not (s[0] == "bedrock" and s[3] == A2)]
    assert inv.jobs == expected_jobs(fake, ok)
    assert not inv.complete
    # the library never prints; failed streams go to the jobinventory logger
    assert capsys.readouterr() == ("", "")
    assert sum("stream failed" in r.getMessage() and r.name == "jobinventory" for r in caplog.records) == len(failed)


@pytest.mark.parametrize("fail_kind, kind, attempts", [("access_denied", "access_denied", 10),
                                                       ("internal", "service_error", 1),
                                                       ("throttle", "throttled", 2)])
def test_a_stream_failing_after_page_2_keeps_its_first_two_pages(fake, no_backoff, fail_kind, kind, attempts):
    fake.seed([("forecast", "ListForecastExportJobs")], regions=["us-west-2"], jobs_per_stream=350)
    fake.seed([("forecast", "ListDatasetImportJobs")], regions=["us-west-2"], jobs_per_stream=5)
    fake.inject(operation="ListForecastExportJobs", fail_after_page=2, fail_kind=fail_kind)
    inv = collect(operations=["ListForecastExportJobs", "forecast:ListDatasetImportJobs"], regions=["us-west-2"],
                  endpoint_url=fake.url, max_attempts=attempts)

    [error] = inv.errors
    assert (error.service, error.operation, error.region, error.kind) == (
        "forecast", "ListForecastExportJobs", "us-west-2", kind)
    streams = by_stream(inv.streams)
    failed = streams[(fake.default_account_id, "us-west-2", "forecast", "ListForecastExportJobs")]
    assert failed.state == "failed" and failed.error == error
    assert failed.pages == 2 and failed.jobs == 200
    expected_calls = 2 + (1 if kind == "access_denied" else attempts)
    assert failed.calls == expected_calls == fake.count(operation="ListForecastExportJobs")
    newest_200 = expected_jobs(fake, [("forecast", "ListForecastExportJobs", "us-west-2", fake.default_account_id)])
    kept = [j for j in inv.jobs if j.operation == "ListForecastExportJobs"]
    assert kept == newest_200[:200]
    assert len([j for j in inv.jobs if j.operation == "ListDatasetImportJobs"]) == 5


def test_a_region_that_does_not_answer_is_region_unavailable(fake):
    fake.seed(["dataexchange"], regions=["us-east-1", "eu-west-1"], jobs_per_stream=3)
    fake.inject(region="eu-west-1", service="dataexchange", down=True)
    inv = collect(services=["dataexchange"], regions=["us-east-1", "eu-west-1"], endpoint_url=fake.url,
                  max_attempts=1)
    [error] = inv.errors
    assert (error.region, error.kind) == ("eu-west-1", "region_unavailable")
    assert len(inv.jobs) == 3


def test_server_errors_are_retried_then_service_error(fake, no_backoff):
    fake.inject(service="personalize", operation="ListBatchSegmentJobs", error="unavailable")
    inv = collect(operations=["personalize:ListBatchSegmentJobs", "personalize:ListBatchInferenceJobs"],
                  regions=["us-east-1"], endpoint_url=fake.url, max_attempts=3)
    [error] = inv.errors
    assert error.kind == "service_error" and error.operation == "ListBatchSegmentJobs"
    assert fake.count(operation="ListBatchSegmentJobs") == 3
    assert [s.state for s in inv.streams] == ["answered", "failed"]


def test_opt_in_region_not_enabled_is_skipped(fake):
    fake.set_region_status("me-central-1", "not-opted-in")
    fake.set_region_status("il-central-1", "not-opted-in", account_id=A2)
    inv = _two_accounts(fake, operations=["bedrock:ListModelImportJobs"])

    regions = service_regions("bedrock")
    assert {"me-central-1", "il-central-1", "us-east-1"} <= set(regions)
    assert len(inv.streams) == 2 * len(regions)
    skipped = {(s.account, s.region): s.reason for s in inv.streams if s.state == "skipped"}
    assert skipped == {(A1, "me-central-1"): REASON_NOT_ENABLED, (A2, "me-central-1"): REASON_NOT_ENABLED,
                       (A2, "il-central-1"): REASON_NOT_ENABLED}
    assert inv.errors == [] and inv.complete
    assert fake.count(operation="ListModelImportJobs", region="me-central-1") == 0
    assert fake.count(operation="DescribeRegions") == 2  # once per account


def test_explicit_regions_not_offered_or_not_enabled_are_skipped(fake):
    fake.set_region_status("ap-southeast-3", "not-opted-in")
    inv = collect(operations=["personalize:ListDatasetImportJobs", "bedrock:ListModelImportJobs"],
                  regions=["us-east-1", "af-south-1", "ap-southeast-3"], endpoint_url=fake.url)
    reasons = {(s.service, s.region): (s.state, s.reason) for s in inv.streams}
    assert reasons == {
        ("personalize", "us-east-1"): ("answered", None),
        ("personalize", "af-south-1"): ("skipped", REASON_NOT_OFFERED),
        ("personalize", "ap-southeast-3"): ("skipped", REASON_NOT_OFFERED),
        ("bedrock", "us-east-1"): ("answered", None),
        ("bedrock", "af-south-1"): ("answered", None),
        ("bedrock", "ap-southeast-3"): ("skipped", REASON_NOT_ENABLED),
    }
    assert fake.count(region="ap-southeast-3") == 0 and fake.count(region="af-south-1") == 1


def test_describe_regions_denied_lists_every_region_with_a_warning(fake, caplog):
    fake.inject(service="ec2", access_denied=True)
    with caplog.at_level(logging.WARNING, logger="jobinventory"):
        inv = collect(operations=["dataexchange:ListJobs"], endpoint_url=fake.url)
    assert len(inv.streams) == len(service_regions("dataexchange"))
    assert all(s.state == "answered" for s in inv.streams)
    assert any("DescribeRegions" in r.getMessage() for r in caplog.records)


def test_caller_identity_failing_leaves_the_account_unknown_and_continues(fake, caplog):
    fake.seed([("bedrock", "ListModelCopyJobs")], regions=["us-east-1"], jobs_per_stream=2)
    fake.inject(service="sts", access_denied=True)
    with caplog.at_level(logging.WARNING, logger="jobinventory"):
        inv = collect(operations=["bedrock:ListModelCopyJobs"], regions=["us-east-1"], endpoint_url=fake.url)
    assert [s.account for s in inv.streams] == [None]
    assert inv.errors == [] and len(inv.jobs) == 2
    assert {j.account_id for j in inv.jobs} == {fake.default_account_id}  # from the ARNs
    assert any("GetCallerIdentity" in r.getMessage() for r in caplog.records)


def _client_error(code, status, retries=0):
    return bce.ClientError({"Error": {"Code": code, "Message": "m"},
                            "ResponseMetadata": {"HTTPStatusCode": status, "RetryAttempts": retries}}, "ListJobs")


@pytest.mark.parametrize("exc, kind", [
    (_client_error("AccessDeniedException", 403), "access_denied"),
    (_client_error("UnrecognizedClientException", 400), "access_denied"),
    (_client_error("ThrottlingException", 400), "throttled"),
    (_client_error("TooManyRequestsException", 429), "throttled"),
    (_client_error("ValidationException", 400), "invalid_request"),
    (_client_error("InvalidNextTokenException", 400), "invalid_request"),
    (_client_error("InternalServerException", 500), "service_error"),
    (_client_error("ServiceUnavailable", 503), "service_error"),
    (bce.EndpointConnectionError(endpoint_url="https://x"), "region_unavailable"),
    (bce.ConnectTimeoutError(endpoint_url="https://x"), "region_unavailable"),
    (bce.NoCredentialsError(), "access_denied"),
    (bce.ParamValidationError(report="bad"), "invalid_request"),
    (RuntimeError("boom"), "other"),
])
def test_classify(exc, kind):
    assert classify(exc)[0] == kind


def test_attempts_of():
    assert attempts_of(_client_error("ThrottlingException", 400, retries=4)) == 5
    assert attempts_of(RuntimeError()) == 1
