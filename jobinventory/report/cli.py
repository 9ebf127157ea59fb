"""`jobinventory report`: the command, registered by `jobinventory.cli`.

`jobinventory.cli` lists this module in `EXTRA_COMMANDS` and calls
`add_parser(subparsers, add_collection_options)`. The command collects
with the shared options and helpers of `jobinventory.cli` (same flags, same
exit codes as `list`), or reads a saved jsonl export (`--from`), and writes
one HTML page. Importing this module does not need Jinja2; running the
command without it exits 2 with one line naming the `report` extra.
"""
from __future__ import annotations

import argparse
import sys
from typing import Any, Callable, Dict, List, Optional, Tuple

__all__ = ["add_parser", "add_report_command", "cmd_report"]

DESCRIPTION = "Write the inventory as one self-contained HTML page."

EPILOG = """\
examples:
  jobinventory report --demo --output inventory.html
  jobinventory report --region all --since 30d --output inventory.html
  jobinventory report --output s3://my-bucket/jobs/inventory.html
  jobinventory list --format jsonl --output inventory.jsonl
  jobinventory report --from inventory.jsonl --output inventory.html

The page has headline counts by status and of the jobs failed in the last
24 hours and 7 days, charts by service, region and account, a timeline of
recent jobs, the failures with their messages and AWS console links, the
whole table (sortable and filterable in the page), and the streams that
failed or were skipped, with a banner when the inventory is incomplete.
Everything is inline: the file opens from disk or a bucket with no network.
Needs Jinja2: pip install 'jobinventory[report]'.

--from reads one jobinventory record per line (as `list --format jsonl`
writes them); `-` reads stdin. It takes no collection option: the jobs are
rendered as saved, and the page says which streams answered is not known.

exit status: as for `jobinventory list` (0 complete; 3 page written, some
streams failed; 1 nothing could be listed, no page; 2 bad usage or input).
"""


def add_report_command(
    subparsers: Any,
    add_collection_options: Callable[[argparse.ArgumentParser], None],
    run_collection: Optional[Callable[[argparse.Namespace], Any]] = None,
) -> argparse.ArgumentParser:
    """Add `report` to `subparsers`; its `func(args)` returns the exit status.

    `run_collection(args) -> (Inventory, exit status)` defaults to
    `jobinventory.cli.run_collection`.
    """
    parser = subparsers.add_parser(
        "report",
        help="write the inventory as one self-contained HTML page",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
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
    parser.add_argument("--title", help="the page's title (default: AWS job inventory)")
    add_collection_options(parser)
    defaults = argparse.ArgumentParser(add_help=False)
    add_collection_options(defaults)
    collection_defaults = {
        action.dest: (action.default, action.option_strings[-1] if action.option_strings else action.dest)
        for action in getattr(defaults, "_actions", ())
    }

    def func(args: argparse.Namespace) -> int:
        return cmd_report(args, run_collection=run_collection, collection_defaults=collection_defaults)

    parser.set_defaults(func=func)
    return parser


#: The name `jobinventory.cli` looks for in the modules of EXTRA_COMMANDS.
add_parser = add_report_command


def _given(args: argparse.Namespace, defaults: Dict[str, Tuple[Any, str]]) -> List[str]:
    """The flags of the collection options given (those not at their default)."""
    return sorted(
        flag for name, (default, flag) in defaults.items()
        if name != "quiet" and getattr(args, name, default) != default
    )


def cmd_report(
    args: argparse.Namespace,
    *,
    run_collection: Optional[Callable[[argparse.Namespace], Any]] = None,
    collection_defaults: Optional[Dict[str, Tuple[Any, str]]] = None,
) -> int:
    from .. import cli
    from ..export.output import Output, parse_target
    from . import ReportUnavailable, load_jsonl, render_report

    try:
        import jinja2  # noqa: F401  (checked before anything is collected)
    except ImportError:
        raise ReportUnavailable("the report needs Jinja2: pip install 'jobinventory[report]'") from None

    target = parse_target(args.output)
    if args.from_file is not None:
        given = _given(args, collection_defaults or {})
        if given:
            flags = ", ".join(given)
            raise cli.UsageError(f"--from renders a saved export as it is: it takes no collection options ({flags})")
        source = sys.stdin if args.from_file == "-" else args.from_file
        page = render_report(load_jsonl(source), title=args.title)
        status = cli.EXIT_OK
    else:
        inventory, status = (run_collection or cli.run_collection)(args)
        if status == cli.EXIT_NOTHING:
            return status  # nothing listed: no page, a previous one is left as it was
        title = args.title or ("AWS job inventory (demo)" if getattr(args, "demo", False) else None)
        page = render_report(inventory, title=title)

    with Output(target, content_type="text/html; charset=utf-8", s3_client=_s3_client(args)) as stream:
        stream.write(page)
    return status


def _s3_client(args: argparse.Namespace) -> Callable[[], Any]:
    def make() -> Any:
        import boto3

        return boto3.Session(profile_name=getattr(args, "profile", None)).client("s3")

    return make
