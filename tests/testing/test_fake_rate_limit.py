"""The fake's request-rate limit: a token bucket per (account, region, service, operation)."""
from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

import jobinventory
from jobinventory.testing import RateLimit

from .conftest import client_for


def _list(client):
    return client.list_dataset_import_jobs()


def test_a_burst_passes_then_throttling_exception(fake_jobs):
    fake_jobs.seed([("forecast", "ListDatasetImportJobs")], jobs_per_stream=3)
    limit = fake_jobs.limit_rate(0.001, burst=3, operation="ListDatasetImportJobs")
    client = client_for(fake_jobs, "forecast")
    for _ in range(3):
        assert len(_list(client)["DatasetImportJobs"]) == 3
    with pytest.raises(ClientError) as info:
        _list(client)
    assert info.value.response["Error"]["Code"] == "ThrottlingException"
    assert info.value.response["Error"]["Message"] == "Rate exceeded"
    assert (limit.admitted, limit.throttled) == (3, 1)
    assert fake_jobs.count(operation="ListDatasetImportJobs", fault="throttle") == 1
    assert fake_jobs.count(operation="ListDatasetImportJobs", status=200) == 3
    assert [lim.throttled for lim in fake_jobs.rate_limits] == [1]


def test_each_account_region_and_operation_has_its_own_bucket(fake_jobs):
    fake_jobs.set_account("AKIDOTHER", "210987654321")
    fake_jobs.limit_rate(0.001, burst=1, service="forecast")
    east, west = client_for(fake_jobs, "forecast"), client_for(fake_jobs, "forecast", region="us-west-2")
    other = client_for(fake_jobs, "forecast", key="AKIDOTHER")
    _list(east)
    _list(west)
    _list(other)
    east.list_forecast_export_jobs()
    with pytest.raises(ClientError, match="ThrottlingException"):
        _list(east)
    with pytest.raises(ClientError, match="ThrottlingException"):
        east.list_forecast_export_jobs()
    # Another service is not selected by the limit.
    client_for(fake_jobs, "personalize").list_dataset_import_jobs()
    assert fake_jobs.count(fault="throttle") == 2
    assert fake_jobs.count(status=200) == 5


def test_clear_faults_lifts_the_limit(fake_jobs):
    fake_jobs.limit_rate(0.001, burst=1)
    client = client_for(fake_jobs, "forecast")
    _list(client)
    with pytest.raises(ClientError, match="ThrottlingException"):
        _list(client)
    fake_jobs.clear_faults()
    _list(client)
    assert fake_jobs.rate_limits == []


def test_the_bucket_refills_at_the_rate():
    limit = RateLimit(2.0, burst=2)
    key = ("123456789012", "us-east-1", "forecast", "ListDatasetImportJobs")
    assert [limit.admit(key, 10.0) for _ in range(3)] == [True, True, False]
    assert limit.admit(key, 10.4) is False  # 0.8 of a token
    assert limit.admit(key, 10.5) is True  # 1.0
    assert limit.admit(key, 10.5) is False
    assert limit.admit(key, 100.0) is True  # never more than the burst
    assert limit.admit(key, 100.0) is True
    assert limit.admit(key, 100.0) is False
    assert (limit.admitted, limit.throttled) == (5, 4)


@pytest.mark.parametrize("rate,burst", [(0, None), (-1, None), (1, 0.5)])
def test_a_limit_that_cannot_work_is_refused(rate, burst):
    with pytest.raises(ValueError):
        RateLimit(rate, burst)


def test_the_collector_retries_through_the_limit(fake_jobs, no_backoff):
    fake_jobs.seed([("forecast", "ListDatasetImportJobs")], jobs_per_stream=250)
    limit = fake_jobs.limit_rate(0.001, burst=2, operation="ListDatasetImportJobs")
    inv = jobinventory.collect(operations=["forecast:ListDatasetImportJobs"], regions=["us-east-1"],
                               endpoint_url=fake_jobs.url, max_attempts=2)
    # 3 pages of 100: two within the burst, the third throttled twice (every attempt).
    assert len(inv.jobs) == 200
    assert [e.kind for e in inv.errors] == ["throttled"]
    assert (limit.admitted, limit.throttled) == (2, 2)
