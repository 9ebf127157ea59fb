"""`jobinventory.covered.covered_operations`: the rows of `jobinventory operations`."""
from __future__ import annotations

import boto3
import botocore.session

from jobinventory.covered import OperationRow, covered_operations
from jobinventory.registry import all_specs
from jobinventory.specs import BUILTIN_SPECS


def test_one_row_per_covered_operation_sorted():
    rows = covered_operations()
    assert [(r.service, r.operation) for r in rows] == sorted(all_specs())
    assert len(rows) == len(BUILTIN_SPECS) == 24
    assert all(isinstance(r, OperationRow) and not r.plugin for r in rows)
    assert all(r.description for r in rows)


def test_rows_carry_the_contract_job_type():
    by_key = {(r.service, r.operation): r for r in covered_operations()}
    assert by_key[("forecast", "ListExplainabilityExports")].job_type == "explainability_export"
    assert by_key[("bedrock", "ListModelInvocationJobs")].job_type == "model_invocation"
    assert by_key[("personalize", "ListDataDeletionJobs")].job_type == "data_deletion"
    # Data Exchange: each job's own Type.
    assert by_key[("dataexchange", "ListJobs")].job_type is None


def test_regions_are_boto3s_endpoint_data_for_the_service():
    session = boto3.session.Session(region_name="us-east-1")
    for row in covered_operations(session):
        expected = tuple(sorted(session.get_available_regions(row.regions_from or row.service)))
        assert row.regions == expected, row.service
        assert row.regions and "us-east-1" in row.regions
        assert not any(r.startswith(("cn-", "us-gov-")) for r in row.regions)


def test_a_botocore_session_or_none_gives_the_same_rows():
    assert covered_operations(botocore.session.get_session()) == covered_operations()


def test_every_partition_on_request():
    aws = {(r.service, r.operation): set(r.regions) for r in covered_operations()}
    for row in covered_operations(partition=None):
        assert set(row.regions) >= aws[(row.service, row.operation)]
    everywhere = {r for row in covered_operations(partition=None) for r in row.regions}
    assert any(r.startswith(("cn-", "us-gov-")) for r in everywhere)


def test_a_service_boto3_does_not_know_has_no_regions():
    from jobinventory.covered import _regions_of

    assert _regions_of(botocore.session.get_session(), "no-such-service", "aws") == ()


def test_bedrock_runtime_takes_bedrocks_regions_and_says_so():
    # botocore's endpoint data lists no region for bedrock-runtime.
    assert boto3.session.Session().get_available_regions("bedrock-runtime") == []
    by_key = {(r.service, r.operation): r for r in covered_operations()}
    row = by_key[("bedrock-runtime", "ListAsyncInvokes")]
    assert row.regions_from == "bedrock"
    assert row.regions == by_key[("bedrock", "ListModelImportJobs")].regions
    assert row.description.endswith("(regions: bedrock's; botocore's endpoint data lists none for bedrock-runtime)")
    assert by_key[("bedrock-agent", "ListIngestionJobs")].regions_from == "bedrock"
    assert all(r.regions_from is None for r in by_key.values() if not r.service.startswith("bedrock-"))


def test_the_demo_shows_every_covered_operation():
    from jobinventory import demo

    inventory = demo.collect()
    assert inventory.errors == []
    assert {(j.service, j.operation) for j in inventory.jobs} == set(all_specs())
