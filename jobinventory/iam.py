"""The least-privilege IAM policy a collection needs, derived from the specs (never kept by hand).

`policy_document(...)` takes the selection `collect` takes (services,
operations) and what the command line adds (role ARNs, an organization role,
notify targets, an S3 output) and returns the IAM policy document, as a dict,
granting exactly the calls that selection makes:

- every List operation of the selected specs, and the List operations of
  their parent walks (`OperationSpec.parents`), under the service's IAM
  prefix: the signing name in botocore's model of the service, which is not
  always the boto3 client name (`bedrock-agent` and `bedrock-runtime` sign,
  and are authorized, as `bedrock`);
- what planning calls for each account: `sts:GetCallerIdentity` (its id) and
  `ec2:DescribeRegions` (the regions it has enabled);
- with an organization role, `organizations:ListAccounts`; with role ARNs or
  an organization role, `sts:AssumeRole` on exactly those roles;
- `events:PutEvents` on the bus of an `eventbridge:` notify target,
  `sns:Publish` on the topic of an `sns:` target, `s3:PutObject` on the
  object of an `s3://` output.

No action is a wildcard. The List actions accept no resource-level
permissions, so their resource is `*`; the others name their resource.
With role ARNs or an organization role, the listing and planning statements
are what each assumed role needs, the others what the caller needs.
"""
from __future__ import annotations

from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

from .botodata import service_model
from .errors import ConfigurationError
from .planning import select_specs
from .registry import get_spec

__all__ = ["iam_prefix", "list_actions", "policy_document", "PLANNING_ACTIONS"]

#: What planning calls for every account (its id; the regions it has enabled).
PLANNING_ACTIONS: Tuple[Tuple[str, str], ...] = (("sts", "GetCallerIdentity"), ("ec2", "DescribeRegions"))


def iam_prefix(service: str) -> str:
    """The IAM service prefix of a boto3 service: its signing name in botocore's model."""
    metadata = service_model(service).metadata
    return metadata.get("signingName") or metadata["endpointPrefix"]


def action(service: str, operation: str) -> str:
    """`prefix:Operation`, the IAM action of one API call."""
    return f"{iam_prefix(service)}:{operation}"


def list_actions(services: Any = None, operations: Any = None) -> List[str]:
    """The IAM actions of the selected List operations and of their parent walks, sorted."""
    found = set()
    for service, operation in select_specs(services, operations):
        found.add(action(service, operation))
        for level in get_spec(service, operation).parents:
            found.add(action(service, level.operation))
    return sorted(found)


def _statement(sid: str, actions: Iterable[str], resources: Sequence[str]) -> Dict[str, Any]:
    return {"Sid": sid, "Effect": "Allow", "Action": sorted(set(actions)),
            "Resource": list(resources) if len(resources) != 1 else resources[0]}


def _bus_arn(bus: str) -> str:
    return bus if bus.startswith("arn:") else f"arn:aws:events:*:*:event-bus/{bus}"


def _notify_statements(targets: Iterable[str]) -> List[Dict[str, Any]]:
    buses: List[str] = []
    topics: List[str] = []
    for text in targets:
        scheme, sep, rest = str(text).partition(":")
        scheme = scheme.lower()
        if not sep or not rest:
            raise ConfigurationError(f"notify target {text!r}: give SCHEME:VALUE (eventbridge:BUS, sns:TOPIC_ARN, ...)")
        if scheme == "eventbridge":
            buses.append(_bus_arn(rest))
        elif scheme == "sns":
            if not rest.startswith("arn:") or rest.split(":")[2:3] != ["sns"]:
                raise ConfigurationError(f"notify target sns:{rest}: give a topic ARN (arn:aws:sns:REGION:ACCOUNT:TOPIC)")
            topics.append(rest)
        elif scheme not in ("webhook", "jsonl"):  # those call no AWS API
            raise ConfigurationError(
                f"notify target {scheme}: unknown kind; give one of eventbridge:..., sns:..., webhook:..., jsonl:..."
            )
    out = []
    if buses:
        out.append(_statement("SendChangeEvents", [action("events", "PutEvents")], sorted(set(buses))))
    if topics:
        out.append(_statement("PublishChanges", [action("sns", "Publish")], sorted(set(topics))))
    return out


def _output_statement(output: Optional[str]) -> List[Dict[str, Any]]:
    if not output or not str(output).startswith("s3://"):
        return []
    bucket, _, key = str(output)[len("s3://"):].partition("/")
    if not bucket or not key:
        raise ConfigurationError(f"output {output}: give s3://BUCKET/KEY")
    return [_statement("WriteOutput", [action("s3", "PutObject")], [f"arn:aws:s3:::{bucket}/{key}"])]


def policy_document(
    services: Any = None,
    operations: Any = None,
    *,
    role_arns: Sequence[str] = (),
    org_role: Optional[str] = None,
    notify: Sequence[str] = (),
    output: Optional[str] = None,
) -> Dict[str, Any]:
    """The least-privilege IAM policy document (a JSON-ready dict) for this selection.

    ConfigurationError names a service, operation, target or output that
    cannot be granted.
    """
    statements = [
        _statement("ListJobs", list_actions(services, operations), ["*"]),
        _statement("FindAccountAndRegions", [action(s, o) for s, o in PLANNING_ACTIONS], ["*"]),
    ]
    roles = sorted(set(role_arns))
    if org_role:
        name = org_role.strip("/")
        if not name:
            raise ConfigurationError("org_role: give the role's name (e.g. OrganizationAccountAccessRole)")
        statements.append(_statement("ListOrganizationAccounts", [action("organizations", "ListAccounts")], ["*"]))
        roles.append(f"arn:aws:iam::*:role/{name}")
    if roles:
        statements.append(_statement("AssumeListingRoles", [action("sts", "AssumeRole")], sorted(set(roles))))
    statements.extend(_notify_statements(notify))
    statements.extend(_output_statement(output))
    return {"Version": "2012-10-17", "Statement": statements}
