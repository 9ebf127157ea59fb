"""The twelve new operations end to end: the local fake serves each fixture over
HTTP, a real boto3 client lists it (paginator, or the token loop where botocore
has no paginator), and normalize must give the exact expected Job.

The spec's pushdown parameters go through the same client: botocore must
accept them, a matching filter must keep the job and a non-matching one drop it.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Dict, List

import pytest
from botocore import xform_name

from jobinventory import normalize, testing
from jobinventory.adapt import parse_arn
from jobinventory.registry import get_spec

from . import shapes
from .fixtures import CASES


IDS = [f"{s}:{o}" for s, o in CASES]


@pytest.fixture(scope="module")
def fake():
    with testing.FakeJobServer() as server:
        yield server


@pytest.fixture
def served(fake, request):
    """(client, spec, summary, expected) with the case's summary served in its ARN's region."""
    key = request.param
    summary, expected = CASES[key]
    region, account = parse_arn(expected.arn)
    fake.clear_jobs()
    fake.add_jobs(*key, [summary], region=region, account_id=account)
    client = fake.client(key[0], region_name=region)
    yield client, get_spec(*key), summary, expected
    fake.clear_jobs()


def list_all(client: Any, operation: str, list_key: str, **params: Any) -> List[Dict[str, Any]]:
    name = xform_name(operation)
    if client.can_paginate(name):
        pages = client.get_paginator(name).paginate(**params)
        return [s for page in pages for s in page[list_key]]
    # Personalize ListDataDeletionJobs takes a nextToken but has no paginator.
    found: List[Dict[str, Any]] = []
    while True:
        page = getattr(client, name)(**params)
        found.extend(page[list_key])
        if not page.get("nextToken"):
            return found
        params["nextToken"] = page["nextToken"]


@pytest.mark.parametrize("served", list(CASES), ids=IDS, indirect=True)
def test_listed_through_boto3_normalizes_to_the_exact_job(served):
    client, spec, _, expected = served
    (summary,) = list_all(client, spec.operation, spec.list_key)
    assert normalize(spec.service, spec.operation, summary) == expected


def _matching_and_not(spec, summary) -> List[tuple]:
    """(params that keep the job, params that drop it) for each pushdown filter of the spec."""
    push, out = spec.pushdown, []
    raw = summary[spec.status]
    created = summary[spec.created]
    if push.status_param:
        values, _ = shapes.status_values(spec)
        other = next(v for v in values if v != raw)
        out.append(({push.status_param: raw}, {push.status_param: other}))
    if push.status_filter_key:
        f = lambda v: {"Filters": [{"Key": push.status_filter_key, "Value": v, "Condition": "IS"}]}
        out.append((f(raw), f("CREATE_STOPPED" if raw != "CREATE_STOPPED" else "ACTIVE")))
    if push.name_contains_param:
        name = summary[spec.name]
        out.append(({push.name_contains_param: name[2:8]}, {push.name_contains_param: "zzzznotthere"}))
    if push.created_after_param:
        out.append(({push.created_after_param: created - dt.timedelta(minutes=1)},
                    {push.created_after_param: created + dt.timedelta(minutes=1)}))
    if push.created_before_param:
        out.append(({push.created_before_param: created + dt.timedelta(minutes=1)},
                    {push.created_before_param: created - dt.timedelta(minutes=1)}))
    return out


@pytest.mark.parametrize("served", list(CASES), ids=IDS, indirect=True)
def test_pushed_down_filters_mean_what_the_spec_says(served):
    client, spec, summary, expected = served
    for keep, drop in _matching_and_not(spec, summary):
        params = {**spec.pushdown.newest_first_params}
        kept = list_all(client, spec.operation, spec.list_key, **params, **keep)
        assert [normalize(spec.service, spec.operation, s).job_id for s in kept] == [expected.job_id], keep
        assert list_all(client, spec.operation, spec.list_key, **params, **drop) == [], drop


def test_newest_first_paging_really_is_newest_first(fake):
    # Three model copy jobs, listed with the spec's newest-first parameters and a page size of one.
    key = ("bedrock", "ListModelCopyJobs")
    summary, expected = CASES[key]
    region, account = parse_arn(expected.arn)
    jobs = [
        {**summary, "jobArn": summary["jobArn"][:-1] + str(i), "creationTime": summary["creationTime"] + dt.timedelta(hours=i)}
        for i in (2, 0, 1)
    ]
    fake.clear_jobs()
    fake.add_jobs(*key, jobs, region=region, account_id=account)
    spec = get_spec(*key)
    client = fake.client("bedrock", region_name=region)
    listed = list_all(client, spec.operation, spec.list_key, **spec.pushdown.newest_first_params,
                      PaginationConfig={"PageSize": 1})
    created = [normalize(*key, s).created_at for s in listed]
    assert created == sorted(created, reverse=True) and len(created) == 3
    fake.clear_jobs()
