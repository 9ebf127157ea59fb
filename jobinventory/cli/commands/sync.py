"""`jobinventory sync`: collect as `list` does and bring the store up to date."""
from __future__ import annotations

import argparse
import sys
from typing import Any, Tuple

from ...concurrency import STREAMING_MAX_WORKERS
from ..context import collection
from ..notifying import notifier_for, report_notifications, writes_stdout
from ..options import add_collection_options, add_notify_options, collect_kwargs
from ..progress import progress_for
from ..status import EXIT_OK, EXIT_PARTIAL, finish

HELP = "collect and bring the store of the inventory's history up to date"
SUMMARY = "collect into the store (--db): every job ever seen and every change"

EPILOG = """\
examples:
  jobinventory sync --demo --db sqlite:///demo.db
  jobinventory sync --region us-east-1,eu-west-1                    # into $JOBINVENTORY_DB or the default file
  jobinventory sync --db postgresql+psycopg://jobs@db.internal/jobs --org-role OrganizationAccountAccessRole
  jobinventory changes --since 24h
  jobinventory sync --notify eventbridge:ops --notify-status failed,stopped
  jobinventory sync --notify "webhook:$SLACK_WEBHOOK_URL" --notify-kind status
  jobinventory sync --notify jsonl:- | jq .     # the summary line then goes to stderr

The store: --db URL (an SQLAlchemy URL), else $JOBINVENTORY_DB, else the
SQLite file ~/.local/share/jobinventory/inventory.db ($XDG_DATA_HOME
respected). PostgreSQL needs: pip install 'jobinventory[postgres]'. The
store is created, or upgraded in place, on first use.

A job is marked gone only by a sync that listed its whole stream (account,
region, service, operation) without error and without --status, --since,
--until or --name-contains. Each sync is one transaction; two at once run
one after the other. One line on stdout says what changed.

--notify TARGET sends each change once: eventbridge:BUS, sns:TOPIC_ARN,
webhook:URL, jsonl:- (see README, Notifications). The first sync of an
empty store is its baseline: recorded, not sent. A change waits in the
store until its target accepts it; a target that fails is named on stderr
(a webhook by its host only), the sync exits 3, and its changes go with the
next sync.

exit status: as for `jobinventory list` (0 every stream answered; 3 synced,
some streams failed or a --notify target did not take every change, named
on stderr; 1 nothing could be listed; 2 bad
usage or input, or --db is not a store or is one of a newer jobinventory).
"""


def add_db_option(parser: argparse.ArgumentParser) -> None:
    """--db URL: the store (shared by sync, changes and report)."""
    parser.add_argument("--db", metavar="URL",
                        help="the store: an SQLAlchemy URL (sqlite:///inventory.db, "
                             "postgresql+psycopg://user@host/db); default: $JOBINVENTORY_DB, else "
                             "~/.local/share/jobinventory/inventory.db")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_db_option(parser)
    add_collection_options(parser)
    add_notify_options(parser)


def summary_line(result: Any) -> str:
    """`sync 7: 3 changes (1 new, 2 status, 0 gone); 41 jobs listed; streams: 12 answered, 2 skipped, 0 failed`."""
    counts = result.counts or {kind: sum(1 for c in result.changes if c.kind == kind)
                               for kind in ("new", "status", "gone")}
    return (f"sync {result.sync_id}: {sum(counts.values())} changes ({counts['new']} new, {counts['status']} "
            f"status, {counts['gone']} gone); {result.jobs_seen} jobs listed; streams: "
            f"{result.streams_answered} answered, {result.streams_skipped} skipped, "
            f"{result.streams_failed} failed")


def _collect_and_sync(args: argparse.Namespace, store: Any, notifier: Any, filtered: bool) -> Tuple[Any, int]:
    """Stream the collection into the store (memory follows the pages in flight); (result, exit status)."""
    progress = progress_for(args)
    try:
        with collection(args, progress=progress) as kwargs:
            from ...collector import iter_jobs

            if kwargs.get("max_workers") is None and not kwargs.get("executor"):
                kwargs["max_workers"] = STREAMING_MAX_WORKERS
            with iter_jobs(**kwargs) as jobs:
                result = store.sync(jobs, filtered=filtered, notify=notifier, keep_changes=False)
    finally:
        if progress is not None:
            progress.clear()
    return result, finish(result.errors, jobs.streams, result.jobs_seen)


def run(args: argparse.Namespace) -> int:
    from ...store import open_store
    from ...store.store import FILTER_ARGUMENTS

    kwargs = collect_kwargs(args)  # usage errors first
    notifier = notifier_for(args)  # a bad target too
    with open_store(args.db) as store:  # a bad --db fails before anything is collected
        filtered = any(kwargs.get(name) is not None for name in FILTER_ARGUMENTS)
        result, status = _collect_and_sync(args, store, notifier, filtered)
    out = sys.stderr if writes_stdout(notifier) else sys.stdout
    out.write(summary_line(result) + "\n")
    out.flush()
    if report_notifications(result.notifications) != EXIT_OK and status == EXIT_OK:
        return EXIT_PARTIAL
    return status
