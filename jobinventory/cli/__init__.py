"""The `jobinventory` command line: parse, call the library, write; errors become exit codes.

Only this package prints or exits. The commands are modules of
`jobinventory.cli.commands`, found through its table `COMMANDS` (its
docstring says how to add one); the shared options are in `options`, what a
collection runs in (session, accounts, demo, process pool) in `context`, the
progress line in `progress`, the exit statuses in `status`. This module
builds the parser from the table, runs the command and turns every failure
into one line and an exit status:

    0  every stream answered
    1  nothing could be listed (every planned stream failed, no credentials)
    2  bad usage or input: one line `jobinventory: error: ...`, no traceback
    3  the output is written, but some streams failed (each named on stderr)
"""
from __future__ import annotations

import argparse
import contextlib
import logging
import os
import signal
import sys
from typing import Any, Optional, Sequence

from .. import __version__
from ..errors import ConfigurationError, JobInventoryError, NormalizationError
from ..gcpolicy import relaxed_gc
from ..mallocpolicy import map_large_blocks
from .commands import COMMANDS, load
from .status import (
    EXIT_INTERRUPTED,
    EXIT_NOTHING,
    EXIT_OK,
    EXIT_PARTIAL,
    EXIT_USAGE,
    PROG,
    NothingListed,
    UsageError,
    one_line,
    say,
)

__all__ = [
    "main",
    "build_parser",
    "UsageError",
    "NothingListed",
    "EXIT_OK",
    "EXIT_NOTHING",
    "EXIT_USAGE",
    "EXIT_PARTIAL",
]

_EXAMPLES = """\
examples:
  jobinventory list --demo
  jobinventory list --region us-east-1 --status failed --since 7d
  jobinventory list --format parquet --output s3://my-bucket/jobs/latest.parquet
  jobinventory summary --region all --format json
  aws forecast list-dataset-import-jobs > saved.json
  jobinventory normalize saved.json --service forecast --operation ListDatasetImportJobs

exit status:
  0 every stream answered      1 nothing could be listed
  2 bad usage or input         3 output written, some streams failed (named on stderr)
"""


def _epilog(modules: Any) -> str:
    lines = ["commands:"] + [f"  {name:<12} {module.SUMMARY}" for name, module in modules]
    return "\n".join(lines) + "\n\n" + _EXAMPLES


class _Parser(argparse.ArgumentParser):
    """argparse, with its errors as the command line's others: one line, exit 2."""

    def error(self, message: str) -> Any:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"{self.prog}: error: {one_line(message)} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """The parser of every command in `commands.COMMANDS`; the command's name is `args.command`."""
    modules = [(name, load(name)) for name in COMMANDS]
    parser = _Parser(
        prog=PROG,
        description="One inventory of AWS asynchronous jobs (Forecast, Personalize, Data Exchange, "
                    "Bedrock) across services, regions and accounts.",
        epilog=_epilog(modules), formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module in modules:
        help_text = module.HELP
        command = subparsers.add_parser(
            name, help=help_text, description=help_text[0].upper() + help_text[1:] + ".",
            epilog=module.EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        module.add_arguments(command)
    return parser


class Stopped(KeyboardInterrupt):
    """SIGINT or SIGTERM: unwinds through Output (which removes its temp file) and the collection
    (which stops its streams: none makes another call), then exits 128 + the signal's number."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


_WORDS = {signal.SIGINT: "interrupted", signal.SIGTERM: "terminated"}


def _on_signal(signum: int, frame: Any) -> None:
    if _stopping:
        # A second Ctrl-C while the first one unwinds: leave now, no traceback.
        say(_WORDS.get(signum, "interrupted"))
        os._exit(128 + signum)
    _stopping.append(signum)
    raise Stopped(signum)


_stopping: list = []


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the command line; return the exit status (the console script exits with it)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    previous = {}
    _stopping.clear()
    with contextlib.suppress(ValueError):  # not in the main thread
        for signum in (signal.SIGINT, signal.SIGTERM):
            previous[signum] = signal.signal(signum, _on_signal)
    # The library's warnings (a denied DescribeRegions, an unloadable plug-in)
    # go to stderr unless --quiet; failed streams are reported by the command.
    warnings = logging.StreamHandler(sys.stderr)
    warnings.setLevel(logging.WARNING)
    warnings.setFormatter(logging.Formatter("%(message)s"))
    library_log = logging.getLogger("jobinventory")
    if not getattr(args, "quiet", False):
        library_log.addHandler(warnings)
    try:
        return _run(args)
    finally:
        library_log.removeHandler(warnings)
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _run(args: argparse.Namespace) -> int:
    """The command's exit status; every failure becomes one line on stderr."""
    # A command that runs once and exits (not `serve`, which runs for good) allocates for every job
    # and frees by reference counting: the cyclic GC relaxed throughout (jobinventory.gcpolicy), and
    # its pages' large buffers mapped and unmapped, not left as holes in malloc's heaps
    # (jobinventory.mallocpolicy).
    one_shot = args.command != "serve"
    relaxed = relaxed_gc() if one_shot else contextlib.nullcontext()
    if one_shot:
        map_large_blocks()
    try:
        with relaxed:
            return int(load(args.command).run(args) or 0)
    except KeyboardInterrupt as exc:
        signum = getattr(exc, "signum", signal.SIGINT)
        say(_WORDS.get(signum, "interrupted"))
        return EXIT_INTERRUPTED if signum == signal.SIGINT else 128 + signum
    except BrokenPipeError:
        # The reader went away (`| head`): a normal end, whatever the format;
        # keep Python from complaining when it flushes stdout at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - every known failure becomes one line
        status = exit_for(exc)
        if status is None:
            if os.environ.get("JOBINVENTORY_DEBUG"):
                raise
            # A bug of ours, not the user's input: still one line, no traceback.
            say(
                f"error: unexpected {type(exc).__name__}: {one_line(_message(exc))} "
                "(run with JOBINVENTORY_DEBUG=1 for the traceback)"
            )
            return EXIT_NOTHING
        say(f"error: {one_line(_message(exc))}")
        return status


def _message(exc: BaseException) -> str:
    text = str(exc)
    return text if text else type(exc).__name__


def exit_for(exc: BaseException) -> Optional[int]:
    """The exit status of a failure (None: not one we know, a bug of ours)."""
    from ..export import InvalidTargetError, MissingDependencyError, UploadError

    if isinstance(exc, (UsageError, ConfigurationError, NormalizationError, MissingDependencyError,
                        InvalidTargetError)):
        return EXIT_USAGE
    if isinstance(exc, (NothingListed, UploadError)):
        return EXIT_NOTHING
    import botocore.exceptions as bex

    if isinstance(exc, (bex.ProfileNotFound, bex.InvalidConfigError, bex.ParamValidationError)):
        return EXIT_USAGE
    if isinstance(exc, (bex.NoCredentialsError, bex.PartialCredentialsError, bex.CredentialRetrievalError,
                        bex.NoRegionError, bex.BotoCoreError, bex.ClientError)):
        return EXIT_NOTHING
    if isinstance(exc, JobInventoryError):
        return EXIT_USAGE
    if isinstance(exc, OSError):  # the output could not be written (disk full, permissions...)
        return EXIT_NOTHING
    return None
