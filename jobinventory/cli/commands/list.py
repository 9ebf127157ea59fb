"""`jobinventory list`: every job, in one of the export formats."""
from __future__ import annotations

import argparse
from typing import Any, Callable

from ...concurrency import STREAMING_MAX_WORKERS
from ..context import collection, run_collection, s3_client
from ..options import add_collection_options, add_output_option, collect_kwargs
from ..progress import progress_for
from ..status import EXIT_NOTHING, exit_status, finish
from ..writing import check_output, write_options

HELP = "list every job"
SUMMARY = "every job, as a table, JSON, JSON Lines, CSV or Parquet"

EPILOG = """\
examples:
  jobinventory list --demo
  jobinventory list --region us-east-1 --region eu-west-1 --status failed,stopped --since 24h
  jobinventory list --service bedrock --name-contains nightly --format jsonl
  jobinventory list --profile prod --role-arn arn:aws:iam::111122223333:role/Inventory
  jobinventory list --org-role OrganizationAccountAccessRole --exclude-account 444455556666
  jobinventory list --format csv --output jobs.csv
  jobinventory list --format parquet --output s3://my-bucket/jobs/latest.parquet
  jobinventory list --no-sort --format jsonl --output jobs.jsonl    # streamed, little memory

formats:
  table    for people: local times, durations, status coloured on a terminal (not with NO_COLOR)
  json     one array of records, each exactly as jobinventory.to_dict gives it
  jsonl    one to_dict record per line
  csv      columns service, operation, job_type, job_id, arn, name, status, raw_status,
           created_at, updated_at, ended_at, region, account_id, message, source,
           destination, details (compact JSON); formula-like cells get a leading '
  parquet  real types: timestamp[us, UTC], dictionary-encoded status (pip install 'jobinventory[parquet]')

times (--since, --until): ISO 8601 (2024-05-01, 2024-05-01T12:00:00+02:00; no offset
means UTC), epoch seconds or milliseconds, or an age back from now: 30m, 24h, 7d, 2w, 1d12h.

exit status: 0 every stream answered; 1 nothing could be listed; 2 bad usage or input;
3 output written but some streams failed (each named on stderr as
account/region/service/operation: kind: message).
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from ...export import FORMATS

    parser.add_argument("-f", "--format", choices=list(FORMATS), default="table", help="default: table")
    add_output_option(parser)
    parser.add_argument("--no-sort", action="store_true",
                        help="write jobs as they arrive instead of newest first (json, jsonl, csv and "
                             f"parquet then hold little in memory; {STREAMING_MAX_WORKERS} concurrent calls "
                             "unless --max-workers says otherwise)")
    add_collection_options(parser)


def run(args: argparse.Namespace) -> int:
    from ... import export
    from ...export.output import Output, parse_target

    fmt = export.get_format(args.format)
    target = parse_target(args.output)
    check_output(fmt, target)
    collect_kwargs(args)  # usage errors first, before anything is set up
    client = s3_client(args, target)

    def output() -> Output:
        return Output(target, binary=fmt.binary, terminal=fmt.name == "table",
                      content_type=fmt.content_type, s3_client=client)

    writer, options = fmt.writer(), write_options(fmt, target)
    if not args.no_sort:
        inventory, status = run_collection(args)
        if status != EXIT_NOTHING:
            with output() as stream:
                writer.write(inventory.jobs, stream, **options)
        return status
    return _stream(args, lambda jobs, stream: writer.write(jobs, stream, **options), output)


def _stream(args: argparse.Namespace, write: Callable[[Any, Any], int], output: Callable[[], Any]) -> int:
    """--no-sort: write the jobs as the streams give them."""
    progress = progress_for(args)
    try:
        with collection(args, progress=progress) as kwargs:
            from ...collector import iter_jobs

            if kwargs.get("max_workers") is None and not kwargs.get("executor"):
                kwargs["max_workers"] = STREAMING_MAX_WORKERS  # memory follows the pages in flight
            jobs = iter_jobs(**kwargs)
            out = output()
            with out as stream:
                count = write(jobs, stream)
                errors, streams = list(jobs.errors), list(jobs.streams)
                if exit_status(errors, streams, count) == EXIT_NOTHING:
                    out.discard()  # an empty export must not replace the previous one
    finally:
        if progress is not None:
            progress.clear()
    return finish(errors, streams, count)
