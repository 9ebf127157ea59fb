"""CollectRequest: collect's arguments checked once, into one frozen value handed down."""
from __future__ import annotations

import attrs
import pytest

from jobinventory.collector import collect_request, iter_request
from jobinventory.concurrency import DEFAULT_MAX_WORKERS, threads_for
from jobinventory.errors import ConfigurationError
from jobinventory.model import JobStatus
from jobinventory.registry import all_specs
from jobinventory.request import CollectRequest


def test_the_request_holds_the_checked_arguments():
    request = CollectRequest.build(services=["bedrock"], regions=["eu-west-1", "us-east-1", "eu-west-1"],
                                   statuses=["failed"], max_workers=5, retry_mode="adaptive", max_attempts=3,
                                   endpoint_url={"bedrock": "http://127.0.0.1:9"})
    assert request.pairs == tuple(key for key in all_specs() if key[0] == "bedrock")
    assert request.regions == ("eu-west-1", "us-east-1")
    assert request.filters.statuses == frozenset({JobStatus.FAILED})
    assert (request.settings.retry_mode, request.settings.max_attempts, request.settings.per_key) == ("adaptive", 3, None)
    assert request.settings.endpoint_for("bedrock") == "http://127.0.0.1:9"
    assert request.settings.endpoint_for("forecast") is None
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        request.max_workers = 1  # type: ignore[misc]


def test_max_workers_has_one_default_and_one_meaning():
    assert [CollectRequest.build().threads(n) for n in (0, 1, 63, 64, 500)] == [1, 1, 63, 64, DEFAULT_MAX_WORKERS]
    assert [CollectRequest.build(max_workers=5).threads(n) for n in (1, 5, 500)] == [1, 5, 5]
    # One account's every covered operation in 3 regions runs in one wave (benchmarks: 1b).
    assert threads_for(None, 100) == threads_for(DEFAULT_MAX_WORKERS, 100) == 64


@pytest.mark.parametrize("kwargs, message", [
    ({"max_workers": 0}, "max_workers must be a positive integer"),
    ({"max_workers": "8"}, "max_workers must be a positive integer"),
    ({"retry_mode": "sometimes"}, "retry_mode"),
    ({"max_attempts": 0}, "max_attempts must be a positive integer"),
    ({"services": ["ec2"]}, "unknown service 'ec2'"),
    ({"regions": []}, "regions: an empty list"),
    ({"regions": ["mars-north-1"]}, "mars-north-1"),
    ({"since": "2024-05-02", "until": "2024-05-01"}, "must be before until"),
    ({"executor": object()}, "executor must be a concurrent.futures.Executor"),
])
def test_arguments_that_cannot_work_fail_before_anything_runs(kwargs, message):
    with pytest.raises(ConfigurationError, match=message):
        CollectRequest.build(**kwargs)


def test_a_request_built_once_collects_as_collect_does(fake_jobs):
    fake_jobs.seed(["forecast"], regions=["us-east-1"], jobs_per_stream=3)
    request = CollectRequest.build(services=["forecast"], regions=["us-east-1"], endpoint_url=fake_jobs.url)
    inventory = collect_request(None, None, request)
    assert len(inventory.jobs) == fake_jobs.job_count() and not inventory.errors
    with iter_request(None, None, request) as jobs:
        streamed = list(jobs)
    assert sorted(j.job_id for j in streamed) == sorted(j.job_id for j in inventory.jobs)
    assert [s.operation for s in jobs.streams] == [s.operation for s in inventory.streams]
