"""Issue 18's status rules: Forecast DELETE_FAILED is UNKNOWN with no end time,
Bedrock PartiallyCompleted is FAILED, an Expired invocation job ended when it expired."""
from __future__ import annotations

import datetime as dt

import pytest

from jobinventory import JobStatus, normalize
from jobinventory.filters import make_filters, request_params
from jobinventory.paging import operation_model
from jobinventory.registry import get_spec

from .fixtures import CASES

FORECAST_OPS = [o for s, o in CASES if s == "forecast"]


@pytest.mark.parametrize("operation", FORECAST_OPS)
def test_forecast_delete_failed_is_unknown_and_has_no_end(operation):
    summary, expected = CASES[("forecast", operation)]
    job = normalize("forecast", operation, {**summary, "Status": "DELETE_FAILED"})
    assert (job.status, job.raw_status, job.ended_at) == (JobStatus.UNKNOWN, "DELETE_FAILED", None)
    # The last modification (the failed delete) stays what it is.
    assert job.updated_at == expected.updated_at


def test_unknown_is_never_pushed_down_as_one_word():
    # DELETE_FAILED is the one documented Forecast word read as UNKNOWN, but
    # UNKNOWN also means every word not known yet: sending Status IS
    # DELETE_FAILED would drop those.
    spec = get_spec("forecast", "ListPredictors")
    op = operation_model("forecast", "ListPredictors")
    assert request_params(spec, op, make_filters(statuses=["unknown"])) == {}
    assert request_params(spec, op, make_filters(statuses=["failed"])) == {
        "Filters": [{"Key": "Status", "Value": "CREATE_FAILED", "Condition": "IS"}]
    }


def _invocation(**changes):
    summary, _ = CASES[("bedrock", "ListModelInvocationJobs")]
    summary = {**summary, **changes}
    return {k: v for k, v in summary.items() if v is not None}


def test_expired_invocation_job_ended_at_its_expiration_time():
    job = normalize("bedrock", "ListModelInvocationJobs", _invocation(status="Expired", endTime=None))
    assert job.status is JobStatus.FAILED
    assert job.ended_at == dt.datetime(2024, 6, 12, 6, 0, tzinfo=dt.timezone.utc)  # jobExpirationTime
    assert job.details["jobExpirationTime"] == "2024-06-12T06:00:00Z"  # still in details too


def test_an_end_time_wins_and_other_statuses_take_no_expiration_time():
    end = dt.datetime(2024, 6, 11, 23, 0, tzinfo=dt.timezone.utc)
    assert normalize("bedrock", "ListModelInvocationJobs", _invocation(status="Expired", endTime=end)).ended_at == end
    for status in ("Failed", "Stopped", "InProgress"):
        job = normalize("bedrock", "ListModelInvocationJobs", _invocation(status=status, endTime=None))
        assert job.ended_at is None, status


def test_partially_completed_is_failed():
    job = normalize("bedrock", "ListModelInvocationJobs", _invocation(status="PartiallyCompleted"))
    assert (job.status, job.raw_status) == (JobStatus.FAILED, "PartiallyCompleted")
    assert job.ended_at == dt.datetime(2024, 6, 12, 6, 0, 30, tzinfo=dt.timezone.utc)
