"""`jobinventory summary`: counts by service, region and status; recent failures."""
from __future__ import annotations

import argparse
import sys

from ..context import run_collection, s3_client
from ..options import add_collection_options, add_output_option, collect_kwargs
from ..progress import use_color
from ..status import EXIT_NOTHING

HELP = "count jobs by service, region and status"
SUMMARY = "counts by service, region and status; recent failures"

EPILOG = """\
examples:
  jobinventory summary --demo
  jobinventory summary --region all --format json --output summary.json
  jobinventory summary --service forecast --since 30d --format csv

The summary counts jobs by service, region and status (and service x status),
and the failed jobs of the last 24 hours and 7 days (dated by when they ended,
else were last updated, else were created). csv is tidy: dimension,key,status,count.

exit status: as for `jobinventory list`.
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from ...export.summary import FORMATS

    parser.add_argument("-f", "--format", choices=list(FORMATS), default="table", help="default: table")
    add_output_option(parser)
    add_collection_options(parser)


def run(args: argparse.Namespace) -> int:
    from ...export import summary as summaries
    from ...export.output import Output, parse_target

    target = parse_target(args.output)
    collect_kwargs(args)
    client = s3_client(args, target)
    inventory, status = run_collection(args)
    if status == EXIT_NOTHING:
        return status
    result = summaries.summarize(inventory.jobs, streams=inventory.streams)
    color = args.format == "table" and target.kind == "stdout" and use_color(sys.stdout)
    content = {"json": "application/json", "csv": "text/csv; charset=utf-8"}.get(args.format, "text/plain")
    with Output(target, terminal=args.format == "table", content_type=content, s3_client=client) as stream:
        summaries.write(result, args.format, stream, color=color)
    return status
