"""Filters: pushed down where an API can apply them, always re-checked, so the result is the same."""
from __future__ import annotations

import datetime as dt

import pytest

from jobinventory import JobStatus, collect
from jobinventory.filters import Filters, make_filters, request_params, stops_early
from jobinventory.paging import operation_model
from jobinventory.registry import get_spec

from .conftest import A1, expected_jobs, session_for

UTC = dt.timezone.utc


@pytest.fixture(scope="module")
def window():
    from jobinventory.testing import ANCHOR

    return ANCHOR - dt.timedelta(days=60), ANCHOR - dt.timedelta(days=10)


@pytest.mark.parametrize("filters", [
    dict(statuses=["FAILED"]),
    dict(statuses=["SUCCEEDED"]),
    dict(statuses=["RUNNING", "PENDING", "STOPPED"]),
    dict(since="window"),
    dict(since="window", until="window"),
    dict(name_contains="IMPORT"),
    dict(name_contains="-2"),
    dict(statuses=["SUCCEEDED"], since="window", name_contains="-"),
], ids=lambda f: ",".join(f))
def test_same_inventory_with_and_without_pushdown(seeded, window, filters):
    kwargs = {k: (window[0] if v == "window" and k == "since" else window[1] if v == "window" else v)
              for k, v in filters.items()}
    common = dict(accounts=[session_for(A1)], regions=["us-east-1"], endpoint_url=seeded.url)
    seeded.reset_log()
    pushed = collect(**common, **kwargs)
    items_pushed = sum(r.items or 0 for r in seeded.requests)
    seeded.reset_log()
    plain = collect(**common, **kwargs, pushdown=False)
    items_plain = sum(r.items or 0 for r in seeded.requests)

    assert pushed.errors == plain.errors == []
    assert pushed.jobs == plain.jobs
    everything = [j for j in expected_jobs(seeded) if j.account_id == A1 and j.region == "us-east-1"]
    f = make_filters(**kwargs)
    assert plain.jobs == [j for j in everything if f.matches(j)]
    assert items_pushed <= items_plain


def test_pushdown_saves_items_where_the_api_filters(seeded, window):
    common = dict(accounts=[session_for(A1)], regions=["us-east-1"], endpoint_url=seeded.url,
                  services=["bedrock", "forecast"], statuses=["FAILED"], since=window[0])
    seeded.reset_log()
    collect(**common)
    pushed = sum(r.items or 0 for r in seeded.requests if r.service in ("bedrock", "forecast"))
    seeded.reset_log()
    collect(**common, pushdown=False)
    plain = sum(r.items or 0 for r in seeded.requests if r.service in ("bedrock", "forecast"))
    assert pushed < plain


def test_request_params_bedrock():
    spec = get_spec("bedrock", "ListModelCustomizationJobs")
    op = operation_model("bedrock", "ListModelCustomizationJobs")
    since = dt.datetime(2025, 1, 1, tzinfo=UTC)
    params = request_params(spec, op, make_filters(statuses=["FAILED"], since=since, name_contains="2025"))
    assert params["statusEquals"] == "Failed"
    assert params["creationTimeAfter"] == since - dt.timedelta(seconds=1)
    assert params["nameContains"] == "2025"
    assert params["sortBy"] == "CreationTime" and params["sortOrder"] == "Descending"
    # letters: the API matches case-sensitively, the filter does not: checked on the client only
    assert "nameContains" not in request_params(spec, op, make_filters(name_contains="tuned"))
    # two statuses, or one unified status over several enum values: not pushed
    assert "statusEquals" not in request_params(spec, op, make_filters(statuses=["FAILED", "SUCCEEDED"]))
    assert request_params(spec, op, make_filters(statuses=["FAILED"], pushdown=False)) == {}


def test_request_params_forecast_status_filter():
    spec = get_spec("forecast", "ListDatasetImportJobs")
    op = operation_model("forecast", "ListDatasetImportJobs")
    assert request_params(spec, op, make_filters(statuses=[JobStatus.SUCCEEDED])) == {
        "Filters": [{"Key": "Status", "Value": "ACTIVE", "Condition": "IS"}]}
    # FAILED is CREATE_FAILED alone (DELETE_FAILED is UNKNOWN: the job ended, how is not known)
    assert request_params(spec, op, make_filters(statuses=[JobStatus.FAILED])) == {
        "Filters": [{"Key": "Status", "Value": "CREATE_FAILED", "Condition": "IS"}]}
    # STOPPING and STOPPED are one word each too; RUNNING is CREATE_IN_PROGRESS alone
    assert request_params(spec, op, make_filters(statuses=[JobStatus.RUNNING])) == {
        "Filters": [{"Key": "Status", "Value": "CREATE_IN_PROGRESS", "Condition": "IS"}]}
    # PENDING is CREATE_PENDING alone, DELETING two words: the client filters
    assert request_params(spec, op, make_filters(statuses=[JobStatus.DELETING])) == {}


def test_early_stop_on_a_newest_first_listing_saves_calls(fake):
    fake.seed(["dataexchange"], regions=["us-east-1"], jobs_per_stream=1000)
    newest_first = expected_jobs(fake)
    since = newest_first[150].created_at
    assert stops_early(get_spec("dataexchange", "ListJobs"), operation_model("dataexchange", "ListJobs"),
                       make_filters(since=since))
    common = dict(services=["dataexchange"], regions=["us-east-1"], endpoint_url=fake.url, since=since)
    fake.reset_log()
    early = collect(**common)
    early_calls = fake.count(operation="ListJobs")
    fake.reset_log()
    full = collect(**common, pushdown=False)
    full_calls = fake.count(operation="ListJobs")

    assert early.jobs == full.jobs == [j for j in newest_first if j.created_at >= since]
    assert (early_calls, full_calls) == (1, 5)
    assert early.streams[0].calls == 1 and early.streams[0].state == "answered"


def test_time_bounds_are_half_open():
    t = dt.datetime(2025, 3, 1, tzinfo=UTC)
    f = make_filters(since=t, until=t + dt.timedelta(hours=1))
    assert f.since == t and f.until == t + dt.timedelta(hours=1)

    class J:
        status, name = JobStatus.RUNNING, "x"

        def __init__(self, created):
            self.created_at = created

    assert f.matches(J(t)) and not f.matches(J(t + dt.timedelta(hours=1)))
    assert not f.matches(J(t - dt.timedelta(microseconds=1)))


def test_since_accepts_every_time_form_and_timedeltas():
    t = dt.datetime(2025, 3, 1, tzinfo=UTC)
    for form in (t, "2025-03-01T00:00:00Z", "2025-03-01T01:00:00+01:00", t.timestamp(), t.timestamp() * 1000,
                 dt.datetime(2025, 3, 1)):
        assert make_filters(since=form).since == t
    ago = make_filters(since=dt.timedelta(days=7)).since
    assert dt.timedelta(days=7) - dt.timedelta(minutes=1) < dt.datetime.now(UTC) - ago < dt.timedelta(days=7, minutes=1)


def test_name_contains_ignores_case():
    f = Filters(name_contains="Import")

    class J:
        status, created_at = JobStatus.RUNNING, dt.datetime(2025, 1, 1, tzinfo=UTC)

        def __init__(self, name):
            self.name = name

    assert f.matches(J("daily-IMPORT-7")) and f.matches(J("import")) and not f.matches(J("export"))
    assert not f.matches(J(None))
