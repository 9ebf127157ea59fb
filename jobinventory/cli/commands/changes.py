"""`jobinventory changes`: what changed in the store, newest first."""
from __future__ import annotations

import argparse

from ..context import s3_client
from ..options import _status_arg, _time_arg, add_output_option, positive_int, split_list
from .sync import add_db_option

HELP = "show what changed in the store, newest first"
SUMMARY = "what changed in the store (new, status, gone), newest first"

KINDS = ("new", "status", "gone")

EPILOG = """\
examples:
  jobinventory changes --since 24h
  jobinventory changes --kind status --status failed --since 7d
  jobinventory changes --db postgresql+psycopg://jobs@db.internal/jobs --format jsonl --limit 100

kinds: new (first listed, or listed again after being gone), status (its
unified status changed: FROM -> TO), gone (no longer listed by a sync that
listed its whole stream). --status matches the status changed into (TO).

formats: table for people; json and jsonl: change_id, sync_id, observed_at,
kind, from_status, to_status and the job's record under `job`; csv: the
change's fields, then service, job_id, operation, job_type, name, region,
account_id, status, message.

exit status: 0 (also when nothing changed); 2 bad usage, or --db is not a
store or is one of a newer jobinventory.
"""


def _kind_arg(text: str) -> list:
    kinds = split_list(text)
    for kind in kinds:
        if kind not in KINDS:
            raise argparse.ArgumentTypeError(f"unknown kind {kind!r}; one of: {', '.join(KINDS)}")
    return kinds


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from ...export.changes import FORMATS

    add_db_option(parser)
    parser.add_argument("--since", type=_time_arg, metavar="TIME",
                        help="changes observed at or after TIME: ISO 8601, epoch seconds, or an age "
                             "(30m, 24h, 7d, 2w)")
    parser.add_argument("--kind", dest="kinds", action="extend", type=_kind_arg, metavar="KIND",
                        help="new, status or gone; repeatable or comma-separated")
    parser.add_argument("--status", dest="statuses", action="extend", type=_status_arg, metavar="STATUS",
                        help="the unified status changed into (failed, succeeded...); repeatable or "
                             "comma-separated")
    parser.add_argument("--limit", type=positive_int, metavar="N", help="at most N changes, the newest")
    parser.add_argument("-f", "--format", choices=list(FORMATS), default="table", help="default: table")
    add_output_option(parser)


def run(args: argparse.Namespace) -> int:
    from ...export import changes as render
    from ...export.output import Output, parse_target
    from ...store import open_store

    target = parse_target(args.output)
    client = s3_client(args, target)
    with open_store(args.db) as store:
        found = store.changes(since=args.since, kinds=args.kinds, statuses=args.statuses, limit=args.limit)
    content = {"json": "application/json", "jsonl": "application/x-ndjson",
               "csv": "text/csv; charset=utf-8"}.get(args.format, "text/plain")
    with Output(target, terminal=args.format == "table", content_type=content,
                s3_client=client) as stream:
        render.write(found, args.format, stream)
    return 0
