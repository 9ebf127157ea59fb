"""`jobinventory iam-policy`: the policy of a `list` command line, as JSON on stdout."""
from __future__ import annotations

import json

from jobinventory.iam import policy_document

from .helpers import error_line, run


def test_default_policy_is_the_librarys():
    proc = run("iam-policy")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == policy_document()
    assert proc.stderr == ""


def test_selection_accounts_notify_and_output():
    proc = run("iam-policy", "--service", "bedrock-agent", "--region", "eu-west-1",
               "--role-arn", "arn:aws:iam::111122223333:role/JobReader", "--org-role", "OrgReader",
               "--notify", "eventbridge:ops-bus", "--notify", "webhook:https://hooks.example.com/x",
               "--output", "s3://inventory/jobs.parquet")
    assert proc.returncode == 0, proc.stderr
    document = json.loads(proc.stdout)
    assert document == policy_document(
        services=["bedrock-agent"], role_arns=["arn:aws:iam::111122223333:role/JobReader"], org_role="OrgReader",
        notify=["eventbridge:ops-bus", "webhook:https://hooks.example.com/x"], output="s3://inventory/jobs.parquet")
    assert document["Statement"][0]["Action"] == [
        "bedrock:ListDataSources", "bedrock:ListIngestionJobs", "bedrock:ListKnowledgeBases"]
    assert [s["Sid"] for s in document["Statement"]] == [
        "ListJobs", "FindAccountAndRegions", "ListOrganizationAccounts", "AssumeListingRoles", "SendChangeEvents",
        "WriteOutput"]


def test_bad_selection_or_target_is_exit_2_one_line():
    proc = run("iam-policy", "--operation", "ListMonitors")
    assert proc.returncode == 2 and "unknown operation 'ListMonitors'" in error_line(proc)
    proc = run("iam-policy", "--notify", "sns:jobs")
    assert proc.returncode == 2 and "give a topic ARN" in error_line(proc)
    assert proc.stdout == ""
