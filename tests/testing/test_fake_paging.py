"""Pages, tokens and page-size errors, through boto3 over HTTP, for every served job-list operation."""
from __future__ import annotations

import pytest
from botocore.exceptions import ParamValidationError

from .conftest import by_op, call, client_for, keys, list_all


def _seed(fake, spec, n, region="us-east-1"):
    fake.seed([(spec.service, spec.operation)], regions=[region], jobs_per_stream=n)


@by_op
@pytest.mark.parametrize("n", [0, 1, 5, 6])
def test_page_boundaries(fake_jobs, spec, n):
    """0, 1, a full page and one more, at page size 5: counts, calls and tokens."""
    _seed(fake_jobs, spec, n)
    client = client_for(fake_jobs, spec.service)
    items, pages = list_all(client, spec, **{spec.limit_member: 5})
    assert len(items) == len(set(keys(spec, items))) == n
    assert [len(p[spec.result_key]) for p in pages] == ([5, 1] if n == 6 else [n])
    assert [spec.output_token_member in p for p in pages] == ([True, False] if n == 6 else [False])
    assert fake_jobs.count(service=spec.service, operation=spec.operation) == len(pages)


@by_op
def test_default_page_is_the_model_maximum(fake_jobs, spec):
    """Without a page size: a full page of the model's maximum, then the rest."""
    top = spec.page_bounds[1]
    _seed(fake_jobs, spec, top + 1)
    items, pages = list_all(client_for(fake_jobs, spec.service), spec)
    assert [len(p[spec.result_key]) for p in pages] == [top, 1]
    assert len(set(keys(spec, items))) == top + 1
    assert [r.items for r in fake_jobs.requests] == [top, 1]


@by_op
def test_small_pages_keep_order(fake_jobs, spec):
    _seed(fake_jobs, spec, 7)
    client = client_for(fake_jobs, spec.service)
    items, pages = list_all(client, spec, **{spec.limit_member: 3})
    assert [len(p[spec.result_key]) for p in pages] == [3, 3, 1]
    assert keys(spec, items) == keys(spec, fake_jobs.jobs(spec.service, spec.operation))
    log = [r for r in fake_jobs.requests if r.operation == spec.operation]
    assert [(r.page, r.items, r.status) for r in log] == [(1, 3, 200), (2, 3, 200), (3, 1, 200)]


@by_op
def test_garbage_token_is_the_documented_error(fake_jobs, spec):
    client = client_for(fake_jobs, spec.service)
    error = getattr(client.exceptions, spec.invalid_token_error)
    for token in ("garbage", "eyJvIjoxLCJwIjoyLCJxIjoiYWJjIn0.forged"):
        with pytest.raises(error):
            call(client, spec, **{spec.token_member: token})
    assert fake_jobs.count(operation=spec.operation, error_code=spec.invalid_token_error) == 2


@by_op
def test_foreign_token_is_rejected(fake_jobs, spec):
    """A token only continues the query that issued it: other region, account or filter."""
    _seed(fake_jobs, spec, 4, "us-east-1")
    _seed(fake_jobs, spec, 4, "us-west-2")
    east = client_for(fake_jobs, spec.service, "us-east-1")
    token = call(east, spec, **{spec.limit_member: 1})[spec.output_token_member]
    error_name = spec.invalid_token_error
    west = client_for(fake_jobs, spec.service, "us-west-2")
    with pytest.raises(getattr(west.exceptions, error_name)):
        call(west, spec, **{spec.token_member: token})
    fake_jobs.set_account("OTHERKEY", "210987654321")
    other = client_for(fake_jobs, spec.service, "us-east-1", key="OTHERKEY")
    with pytest.raises(getattr(other.exceptions, error_name)):
        call(other, spec, **{spec.token_member: token})
    if spec.filter_style == "forecast":
        narrowed = {"Filters": [{"Key": "Status", "Value": "ACTIVE", "Condition": "IS"}]}
    elif spec.sortable:
        narrowed = {"sortOrder": "Ascending"}
    elif spec.filters:
        narrowed = {spec.filters[0].param: "x" * 32}
    else:  # pragma: no cover - every op has one of the above
        narrowed = {}
    with pytest.raises(getattr(east.exceptions, error_name)):
        call(east, spec, **{spec.token_member: token}, **narrowed)
    # ... and still continues its own query, with any page size.
    rest, _ = list_all(east, spec, **{spec.token_member: token, spec.limit_member: 2})
    assert len(rest) == 3


@by_op
@pytest.mark.parametrize("which", ["below", "above"])
def test_page_size_out_of_range(fake_jobs, spec, which):
    lo, hi = spec.page_bounds
    value = lo - 1 if which == "below" else hi + 1
    if which == "below":  # botocore checks only the minimum itself
        with pytest.raises(ParamValidationError):
            call(client_for(fake_jobs, spec.service), spec, **{spec.limit_member: value})
    raw = client_for(fake_jobs, spec.service, validate=False)
    with pytest.raises(getattr(raw.exceptions, spec.invalid_input_error)) as info:
        call(raw, spec, **{spec.limit_member: value})
    assert spec.limit_member in str(info.value)
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


@by_op
def test_page_size_is_not_a_number(fake_jobs, spec):
    raw = client_for(fake_jobs, spec.service, validate=False)
    with pytest.raises(getattr(raw.exceptions, spec.invalid_input_error)):
        call(raw, spec, **{spec.limit_member: "ten"})


def test_data_deletion_jobs_page_without_a_paginator(fake_jobs):
    fake_jobs.seed([("personalize", "ListDataDeletionJobs")], jobs_per_stream=5)
    client = client_for(fake_jobs, "personalize")
    assert not client.can_paginate("list_data_deletion_jobs")
    first = client.list_data_deletion_jobs(maxResults=2)
    second = client.list_data_deletion_jobs(maxResults=2, nextToken=first["nextToken"])
    third = client.list_data_deletion_jobs(maxResults=2, nextToken=second["nextToken"])
    assert [len(p["dataDeletionJobs"]) for p in (first, second, third)] == [2, 2, 1]
    assert "nextToken" not in third


def test_boto3_paginators_walk_the_fake(fake_jobs):
    fake_jobs.seed(["bedrock"], jobs_per_stream=5)
    client = client_for(fake_jobs, "bedrock")
    pages = list(client.get_paginator("list_model_customization_jobs").paginate(PaginationConfig={"PageSize": 2}))
    assert [len(p["modelCustomizationJobSummaries"]) for p in pages] == [2, 2, 1]
