"""Fixtures for the collector's tests: the project's fake over real HTTP, moto beside it.

Every server a fixture starts is stopped through its own handle in a
`finally`, even when the test fails. Collections are pointed at the fake with
`endpoint_url=` (every service, STS and EC2 included), never at AWS.
"""
from __future__ import annotations

import math
from typing import Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

import boto3
import botocore.retries.standard
import pytest

from jobinventory import normalize
from jobinventory.inventory import sort_key
from jobinventory.model import Job
from jobinventory.paging import page_plan
from jobinventory.registry import all_specs
from jobinventory.testing import FakeJobServer

A1, A2 = "111111111111", "222222222222"
KEYS = {A1: "AKIDACCOUNTONE", A2: "AKIDACCOUNTTWO"}
REGIONS = ("us-east-1", "us-west-2", "eu-west-1")
SERVICES = ("forecast", "personalize", "dataexchange", "bedrock", "bedrock-runtime", "bedrock-agent")


def session_for(account: str, region: str = "us-east-1") -> boto3.Session:
    """A ready boto3 Session whose key the fake files under `account`."""
    return boto3.Session(aws_access_key_id=KEYS[account], aws_secret_access_key="secret", region_name=region)


def start_fake(**kwargs) -> FakeJobServer:
    fake = FakeJobServer(**kwargs).start()
    for account, key in KEYS.items():
        fake.set_account(key, account)
    return fake


@pytest.fixture
def fake() -> Iterator[FakeJobServer]:
    """A fresh fake for one test (faults are per test)."""
    server = start_fake()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def seeded() -> Iterator[FakeJobServer]:
    """Every covered operation x three regions x two accounts, 6 jobs each; read-only."""
    server = start_fake()
    try:
        server.seed(None, regions=REGIONS, accounts=[A1, A2], jobs_per_stream=6, seed=11)
        yield server
    finally:
        server.stop()


@pytest.fixture
def no_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """botocore retries at once: the tests prove what is retried, not how long it waits."""
    monkeypatch.setattr(botocore.retries.standard.ExponentialBackoff, "delay_amount", lambda self, ctx: 0.0)


def expected_jobs(fake: FakeJobServer, streams: Optional[Iterable[Tuple[str, str, str, str]]] = None) -> List[Job]:
    """What the fake holds, normalized from the summaries as boto3 returns them, in contract order."""
    jobs: Dict[Tuple[str, str], Job] = {}
    for service, operation, region, account in streams or fake.streams():
        if (service, operation) not in all_specs():  # a parent list of a walk (knowledge bases): no jobs
            continue
        for summary in fake.jobs(service, operation, region=region, account_id=account):
            job = normalize(service, operation, summary, region=region, account_id=account)
            jobs[(job.service, job.job_id)] = job
    return sorted(jobs.values(), key=sort_key)


def lower_bound(service: str, operation: str, jobs: int) -> int:
    """ceil(jobs / the operation's largest page), one call for an empty stream."""
    size = page_plan(service, operation).page_size
    return max(1, math.ceil(jobs / size))


def by_stream(streams: Sequence) -> Dict[Tuple, object]:
    return {(s.account, s.region, s.service, s.operation): s for s in streams}
