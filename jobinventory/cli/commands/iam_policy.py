"""`jobinventory iam-policy`: the least-privilege IAM policy a `list` command line needs."""
from __future__ import annotations

import argparse
import json
import sys

from ..options import add_collection_options, add_output_option
from ..status import EXIT_OK

HELP = "print the least-privilege IAM policy a selection needs"
SUMMARY = "the least-privilege IAM policy JSON that the same options of list need"

EPILOG = """\
Takes the selection, account and --output options of `list`, plus --notify targets,
and prints the IAM policy document that grants exactly the calls it makes:
the List actions of the selected operations (and of ListIngestionJobs' walk:
ListKnowledgeBases, ListDataSources), sts:GetCallerIdentity and
ec2:DescribeRegions; organizations:ListAccounts and sts:AssumeRole with
--org-role, sts:AssumeRole on each --role-arn; events:PutEvents, sns:Publish
for --notify eventbridge:/sns: targets; s3:PutObject for an s3:// --output.
IAM prefixes are the services' signing names: bedrock-agent and
bedrock-runtime actions are bedrock:... . No wildcard actions.

examples:
  jobinventory iam-policy
  jobinventory iam-policy --service bedrock-agent --service forecast
  jobinventory iam-policy --org-role OrganizationAccountAccessRole --output s3://my-bucket/jobs.parquet
  jobinventory iam-policy --notify eventbridge:ops-bus --notify sns:arn:aws:sns:us-east-1:111122223333:jobs

exit status: 0 printed; 2 bad usage (an unknown service or operation, a bad target).
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_output_option(parser)
    parser.add_argument("--notify", dest="notify", action="append", metavar="TARGET",
                        help="a notify target the policy must allow (eventbridge:BUS, sns:TOPIC_ARN; "
                             "webhook: and jsonl: need no IAM); repeatable")
    add_collection_options(parser)


def run(args: argparse.Namespace) -> int:
    from ...iam import policy_document

    document = policy_document(
        services=args.services,
        operations=args.operations,
        role_arns=args.role_arns or (),
        org_role=args.org_role,
        notify=args.notify or (),
        output=args.output,
    )
    json.dump(document, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return EXIT_OK
