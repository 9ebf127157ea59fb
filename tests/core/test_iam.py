"""`jobinventory.iam.policy_document`: the least-privilege policy, derived from the specs."""
from __future__ import annotations

import functools
import json

import botocore.session
import pytest

from jobinventory import ConfigurationError
from jobinventory.iam import iam_prefix, list_actions, policy_document
from jobinventory.registry import all_specs, services

#: The services whose calls a collection, its notifications or its output make, besides the job lists.
OTHER_SERVICES = ("sts", "ec2", "organizations", "events", "sns", "s3")
EVERYTHING = dict(role_arns=["arn:aws:iam::111122223333:role/JobReader"], org_role="OrganizationAccountAccessRole",
                  notify=["eventbridge:ops-bus", "sns:arn:aws:sns:us-east-1:111122223333:jobs", "webhook:https://x",
                          "jsonl:-"], output="s3://my-bucket/jobs/latest.parquet")


@functools.lru_cache(maxsize=1)
def _operations_by_prefix():
    """IAM prefix (the signing name in botocore's model) -> the operations of its services' models."""
    session = botocore.session.get_session()
    found = {}
    for service in (*services(), *OTHER_SERVICES):
        model = session.get_service_model(service)
        prefix = model.metadata.get("signingName") or model.metadata["endpointPrefix"]
        found.setdefault(prefix, set()).update(model.operation_names)
    return found


def _actions(document):
    return [a for s in document["Statement"] for a in s["Action"]]


def test_every_action_is_an_operation_of_its_prefixs_service_model():
    document = policy_document(**EVERYTHING)
    actions = _actions(document)
    assert actions and len(actions) == len(set(actions))
    known = _operations_by_prefix()
    for action in actions:
        prefix, _, operation = action.partition(":")
        assert "*" not in action and "?" not in action, action  # no wildcard actions
        assert operation in known.get(prefix, ()), f"{action}: no {operation} in the models of IAM prefix {prefix!r}"


def test_the_default_policy_lists_every_covered_operation_and_planning():
    document = policy_document()
    assert document["Version"] == "2012-10-17"
    assert [s["Sid"] for s in document["Statement"]] == ["ListJobs", "FindAccountAndRegions"]
    listing, planning = document["Statement"]
    expected = sorted({f"{iam_prefix(s)}:{o}" for s, o in all_specs()}
                      | {"bedrock:ListKnowledgeBases", "bedrock:ListDataSources"})
    assert listing["Action"] == expected and listing["Resource"] == "*" and listing["Effect"] == "Allow"
    assert len(expected) == len(all_specs()) + 2 == 26  # every covered List operation and the walk's two
    assert planning["Action"] == ["ec2:DescribeRegions", "sts:GetCallerIdentity"]


def test_iam_prefixes_are_signing_names_not_client_names():
    assert iam_prefix("bedrock-agent") == iam_prefix("bedrock-runtime") == "bedrock"
    assert list_actions(services=["bedrock-agent"]) == [
        "bedrock:ListDataSources", "bedrock:ListIngestionJobs", "bedrock:ListKnowledgeBases"]
    assert list_actions(services=["bedrock-runtime"]) == ["bedrock:ListAsyncInvokes"]
    assert list_actions(operations=["personalize:ListSolutionVersions", "ListPredictors"]) == [
        "forecast:ListPredictors", "personalize:ListSolutionVersions"]


def test_accounts_notify_and_output_add_exactly_their_statements():
    document = policy_document(services=["forecast"], **EVERYTHING)
    by_sid = {s["Sid"]: s for s in document["Statement"]}
    assert list(by_sid) == ["ListJobs", "FindAccountAndRegions", "ListOrganizationAccounts", "AssumeListingRoles",
                            "SendChangeEvents", "PublishChanges", "WriteOutput"]
    assert by_sid["ListOrganizationAccounts"]["Action"] == ["organizations:ListAccounts"]
    assert by_sid["AssumeListingRoles"] == {
        "Sid": "AssumeListingRoles", "Effect": "Allow", "Action": ["sts:AssumeRole"],
        "Resource": ["arn:aws:iam::*:role/OrganizationAccountAccessRole",
                     "arn:aws:iam::111122223333:role/JobReader"]}
    assert by_sid["SendChangeEvents"]["Action"] == ["events:PutEvents"]
    assert by_sid["SendChangeEvents"]["Resource"] == "arn:aws:events:*:*:event-bus/ops-bus"
    assert by_sid["PublishChanges"] == {"Sid": "PublishChanges", "Effect": "Allow", "Action": ["sns:Publish"],
                                        "Resource": "arn:aws:sns:us-east-1:111122223333:jobs"}
    assert by_sid["WriteOutput"]["Action"] == ["s3:PutObject"]
    assert by_sid["WriteOutput"]["Resource"] == "arn:aws:s3:::my-bucket/jobs/latest.parquet"
    # Only the role ARNs: no organization statement; a local output and webhook targets: nothing.
    only_roles = policy_document(role_arns=["arn:aws:iam::111122223333:role/R"], notify=["webhook:https://h"],
                                 output="jobs.csv")
    assert [s["Sid"] for s in only_roles["Statement"]] == ["ListJobs", "FindAccountAndRegions", "AssumeListingRoles"]


@pytest.mark.parametrize("kwargs,complaint", [
    (dict(services=["sagemaker"]), "unknown service 'sagemaker'"),
    (dict(operations=["ListMonitors"]), "unknown operation 'ListMonitors'"),
    (dict(notify=["slack:#ops"]), "notify target slack: unknown kind"),
    (dict(notify=["sns:jobs"]), "give a topic ARN"),
    (dict(output="s3://bucket-only"), "give s3://BUCKET/KEY"),
])
def test_what_cannot_be_granted_is_a_clear_error(kwargs, complaint):
    with pytest.raises(ConfigurationError, match=complaint):
        policy_document(**kwargs)


def test_the_document_is_json():
    document = policy_document(**EVERYTHING)
    assert json.loads(json.dumps(document)) == document


def test_the_readme_shows_the_default_policy():
    from pathlib import Path

    text = (Path(__file__).parents[2] / "README.md").read_text()
    section = text.split("## The IAM policy it needs", 1)[1]
    shown = section.split("```json\n", 1)[1].split("\n```", 1)[0]
    assert json.loads(shown) == policy_document()
