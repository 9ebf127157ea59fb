"""Models cut to the operations jobinventory calls: the same operations and shapes, nothing else."""
from __future__ import annotations

import botocore.session
import pytest
from botocore.credentials import Credentials

from jobinventory.botosession import SharedSession
from jobinventory.iam import PLANNING_ACTIONS
from jobinventory.slimmodels import CONSULTED, reachable_shapes, slim_model


@pytest.fixture(scope="module")
def ec2_full():
    return botocore.session.get_session().get_component("data_loader").load_service_model("ec2", "service-2")


def test_a_slim_model_keeps_its_operations_and_the_shapes_they_reach_as_botocore_has_them(ec2_full):
    loader = botocore.session.get_session().get_component("data_loader")
    slim = slim_model(loader, "ec2", ["DescribeRegions"])
    assert list(slim["operations"]) == ["DescribeRegions"]
    assert slim["operations"]["DescribeRegions"] == ec2_full["operations"]["DescribeRegions"]
    assert slim["metadata"] == ec2_full["metadata"] and slim["version"] == ec2_full["version"]
    assert {"DescribeRegionsRequest", "DescribeRegionsResult", "RegionList", "Region", "FilterList", "Filter",
            "RegionNameStringList"} <= set(slim["shapes"])
    assert all(slim["shapes"][name] == ec2_full["shapes"][name] for name in slim["shapes"])
    assert len(slim["shapes"]) < 20 < len(ec2_full["shapes"]) / 100


def test_reachable_shapes_follow_members_lists_maps_errors_and_recursion():
    shapes = {
        "In": {"type": "structure", "members": {"Tags": {"shape": "TagMap"}, "Next": {"shape": "In"}}},
        "TagMap": {"type": "map", "key": {"shape": "Key"}, "value": {"shape": "Values"}},
        "Key": {"type": "string"}, "Values": {"type": "list", "member": {"shape": "Value"}},
        "Value": {"type": "string"}, "Out": {"type": "structure", "members": {}},
        "Oops": {"type": "structure", "members": {"Message": {"shape": "Key"}}},
        "Unused": {"type": "string"},
    }
    operation = {"input": {"shape": "In"}, "output": {"shape": "Out"}, "errors": [{"shape": "Oops"}]}
    assert reachable_shapes(shapes, [operation]) == {"In", "TagMap", "Key", "Values", "Value", "Out", "Oops"}


def test_an_operation_the_model_lacks_is_named():
    loader = botocore.session.get_session().get_component("data_loader")
    with pytest.raises(KeyError, match="ec2 has no operation DescribeNothing"):
        slim_model(loader, "ec2", ["DescribeRegions", "DescribeNothing"])


def test_every_consulted_operation_is_a_planning_action_the_iam_policy_grants():
    assert {(service, operation) for service, operations in CONSULTED.items() for operation in operations} <= \
        set(PLANNING_ACTIONS)


def test_a_shared_sessions_ec2_client_has_only_the_consulted_operations(fake_jobs):
    client = SharedSession().client("ec2", "eu-west-1", fake_jobs.url, None, Credentials("AKIDSLIM", "secret"))
    try:
        assert client.meta.service_model.operation_names == ["DescribeRegions"]
        assert hasattr(client, "describe_regions") and not hasattr(client, "describe_instances")
        regions = client.describe_regions(AllRegions=True, RegionNames=["eu-west-1"])["Regions"]
    finally:
        client.close()
    assert [(r["RegionName"], r["OptInStatus"]) for r in regions] == [("eu-west-1", "opt-in-not-required")]
