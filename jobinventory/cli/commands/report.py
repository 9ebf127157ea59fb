"""`jobinventory report`: the inventory as one self-contained HTML page.

Collects with the shared collection options (same flags, same exit codes as
`list`), or reads a saved jsonl export (`--from`), and writes one page.
Importing this module does not need Jinja2; running the command without it
exits 2 with one line naming the `report` extra.
"""
from __future__ import annotations

import argparse
import sys
from typing import Any, Dict, List, Tuple

from ..context import run_collection, s3_client
from ..options import add_collection_options
from ..status import EXIT_NOTHING, EXIT_OK, UsageError

HELP = "write the inventory as one self-contained HTML page"
SUMMARY = "the inventory as one self-contained HTML page, charts and failures included"

EPILOG = """\
examples:
  jobinventory report --demo --output inventory.html
  jobinventory report --region all --since 30d --output inventory.html
  jobinventory report --output s3://my-bucket/jobs/inventory.html
  jobinventory list --format jsonl --output inventory.jsonl
  jobinventory report --from inventory.jsonl --output inventory.html
  jobinventory report --db sqlite:///inventory.db --output inventory.html

The page has headline counts by status and of the jobs failed in the last
24 hours and 7 days, charts by service, region and account, a timeline of
recent jobs, the failures with their messages and AWS console links, the
whole table (sortable and filterable in the page), and the streams that
failed or were skipped, with a banner when the inventory is incomplete.
Everything is inline: the file opens from disk or a bucket with no network.
Needs Jinja2: pip install 'jobinventory[report]'.

--db URL renders a store (`jobinventory sync`): the jobs listed now, the
streams of the last sync, and what only history shows: failures per day
over the last 30 days by service, and the median and p90 duration of each
job type. It takes no collection option either.

--from reads one jobinventory record per line (as `list --format jsonl`
writes them); `-` reads stdin. It takes no collection option: the jobs are
rendered as saved, and the page says which streams answered is not known.

exit status: as for `jobinventory list` (0 complete; 3 page written, some
streams failed; 1 nothing could be listed, no page; 2 bad usage or input).
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-o", "--output", metavar="PATH",
        help="write the page to PATH (replaced only once complete) or upload it to "
             "s3://bucket/key; default: stdout",
    )
    parser.add_argument(
        "--from", dest="from_file", metavar="FILE",
        help="render a saved jsonl export (jobinventory list --format jsonl) instead of "
             "collecting; - reads stdin",
    )
    parser.add_argument("--db", metavar="URL",
                        help="render the store (jobinventory sync) instead of collecting: the jobs listed "
                             "now, the last sync's streams, and the history (failures per day over 30 "
                             "days, durations per job type)")
    parser.add_argument("--title", help="the page's title (default: AWS job inventory)")
    add_collection_options(parser)


def _collection_defaults() -> Dict[str, Tuple[Any, str]]:
    """dest -> (default, flag) of every collection option."""
    defaults = argparse.ArgumentParser(add_help=False)
    add_collection_options(defaults)
    return {
        action.dest: (action.default, action.option_strings[-1] if action.option_strings else action.dest)
        for action in defaults._actions
    }


def _given(args: argparse.Namespace) -> List[str]:
    """The flags of the collection options given (those not at their default)."""
    return sorted(
        flag for name, (default, flag) in _collection_defaults().items()
        if name != "quiet" and getattr(args, name, default) != default
    )


def _store_page(args: argparse.Namespace) -> str:
    from ...report.store import render_store
    from ...store import open_store

    if args.from_file is not None:
        raise UsageError("--db and --from are two sources: give one")
    given = _given(args)
    if given:
        raise UsageError(f"--db renders the store as the last sync left it: it takes no collection options "
                         f"({', '.join(given)})")
    with open_store(args.db) as store:
        return render_store(store, title=args.title)


def run(args: argparse.Namespace) -> int:
    from ...export.output import Output, parse_target
    from ...report import ReportUnavailable, load_jsonl, render_report

    try:
        import jinja2  # noqa: F401  (checked before anything is collected)
    except ImportError:
        raise ReportUnavailable("the report needs Jinja2: pip install 'jobinventory[report]'") from None

    target = parse_target(args.output)
    client = s3_client(args, target)
    if args.db is not None:
        page = _store_page(args)
        status = EXIT_OK
    elif args.from_file is not None:
        given = _given(args)
        if given:
            flags = ", ".join(given)
            raise UsageError(f"--from renders a saved export as it is: it takes no collection options ({flags})")
        source = sys.stdin if args.from_file == "-" else args.from_file
        page = render_report(load_jsonl(source), title=args.title)
        status = EXIT_OK
    else:
        inventory, status = run_collection(args)
        if status == EXIT_NOTHING:
            return status  # nothing listed: no page, a previous one is left as it was
        title = args.title or ("AWS job inventory (demo)" if args.demo else None)
        page = render_report(inventory, title=title)

    with Output(target, content_type="text/html; charset=utf-8", s3_client=client) as stream:
        stream.write(page)
    return status
