"""The fake's operation table agrees with botocore's models."""
from __future__ import annotations

import botocore.session
import pytest

from jobinventory.testing import FakeJobServer, all_operations, get_operation
from jobinventory.testing.operations import DERIVED

from .conftest import ALL_OPS, by_op

_SESSION = botocore.session.get_session()
_NOT_FILTERS = {"nexttoken", "maxresults", "sortby", "sortorder", "filters"}


def test_serves_every_covered_job_list():
    assert len(all_operations()) == 24 == len(ALL_OPS) + 1  # + ListIngestionJobs, under its walk
    assert {s.service for s in all_operations()} == {
        "forecast", "personalize", "dataexchange", "bedrock", "bedrock-runtime", "bedrock-agent"}


@by_op
def test_spec_names_real_members(spec):
    model = _SESSION.get_service_model(spec.service).operation_model(spec.operation)
    assert spec.output_list_shape.type_name == "list"
    members = spec.summary_shape.members
    assert members[spec.created].type_name == "timestamp"
    assert spec.status in members and spec.key in members
    assert spec.name is None or spec.name in members
    for flt in spec.filters:
        assert flt.field in DERIVED or flt.field in members, flt
        if spec.filter_style == "params":
            assert flt.param in model.input_shape.members, flt
    enum = getattr(members[spec.status], "enum", None)
    if enum:
        assert set(spec.statuses) == set(enum)


@by_op
def test_every_filter_parameter_is_served(spec):
    """A filter the model has and the fake ignored would silently return too much."""
    params = {n for n in spec.model.input_shape.members if n.lower() not in _NOT_FILTERS}
    assert params == {f.param for f in spec.filters if spec.filter_style == "params"}
    if spec.filter_style == "forecast":
        assert "Filters" in spec.model.input_shape.members
        assert set(spec.filter_by_param) >= {"Status"}


@by_op
def test_paging_members_match_the_paginator(spec):
    bounds = {"forecast": (1, 100), "personalize": (1, 100), "dataexchange": (1, 200), "bedrock": (1, 1000),
              "bedrock-runtime": (1, 1000)}
    assert spec.page_bounds == bounds[spec.service]
    paginators = _SESSION.get_paginator_model(spec.service)._paginator_config
    conf = paginators.get(spec.operation)
    if spec.operation == "ListDataDeletionJobs":
        assert conf is None  # botocore has no paginator; the API still pages by nextToken
    else:
        assert conf["input_token"] == spec.token_member
        assert conf["output_token"] == spec.output_token_member
        assert conf["limit_key"] == spec.limit_member
        assert conf["result_key"] == spec.result_key


@by_op
def test_documented_errors_are_modelled(spec):
    names = {s.name for s in spec.model.error_shapes}
    assert {spec.invalid_token_error, spec.invalid_input_error} <= names


def test_unknown_operation_is_a_clear_error():
    with pytest.raises(KeyError, match="does not serve"):
        get_operation("forecast", "ListMonitors")
    with FakeJobServer() as fake, pytest.raises(KeyError):
        fake.add_jobs("bedrock", "ListFoundationModels", [])


def test_table_order_is_stable():
    assert [s.operation for s in all_operations()] == [s.operation for s in all_operations()]
