"""Exit statuses, the command line's own errors, and the lines it writes on stderr.

As the contract says:

    0  every stream answered
    1  nothing could be listed (every planned stream failed, no credentials)
    2  bad usage or input: one line `jobinventory: error: ...`, no traceback
    3  the output is written, but some streams failed (each named on stderr)
"""
from __future__ import annotations

import sys
from typing import IO, Any, Iterable, Optional, Sequence

from ..errors import JobInventoryError
from ..redact import redact_text

__all__ = [
    "PROG",
    "EXIT_OK",
    "EXIT_NOTHING",
    "EXIT_USAGE",
    "EXIT_PARTIAL",
    "EXIT_INTERRUPTED",
    "UsageError",
    "NothingListed",
    "exit_status",
    "finish",
    "report_stream_errors",
    "say",
    "one_line",
]

PROG = "jobinventory"
EXIT_OK, EXIT_NOTHING, EXIT_USAGE, EXIT_PARTIAL = 0, 1, 2, 3
EXIT_INTERRUPTED = 130


class UsageError(JobInventoryError):
    """Bad usage or input found after argument parsing: exit 2 with one line."""


class NothingListed(JobInventoryError):
    """Nothing could be listed (no credentials, every stream failed): exit 1."""


def one_line(text: Any) -> str:
    """`text` on one line, redacted: no presigned URL's signature, no URL password, ever on stderr."""
    return redact_text(" ".join(str(text).split()))


def say(text: str) -> None:
    """`jobinventory: TEXT` on stderr."""
    sys.stderr.write(f"{PROG}: {text}\n")
    sys.stderr.flush()


def report_stream_errors(errors: Iterable[Any], stream: Optional[IO[str]] = None) -> None:
    """Name each failed stream on stderr, one line each: account/region/service/operation: kind: message."""
    out = stream or sys.stderr
    for error in errors:
        out.write(one_line(error) + "\n")
    out.flush()


def exit_status(errors: Sequence[Any], streams: Sequence[Any], jobs: int = 0) -> int:
    """0 every stream answered; 3 some failed but something was listed; 1 nothing could be listed."""
    if not errors:
        return EXIT_OK
    if jobs or any(getattr(s, "state", None) == "answered" for s in streams):
        return EXIT_PARTIAL
    return EXIT_NOTHING


def finish(errors: Sequence[Any], streams: Sequence[Any], jobs: int) -> int:
    """Name the failed streams, warn when the output is incomplete, and return the exit status."""
    status = exit_status(errors, streams, jobs)
    report_stream_errors(errors)
    failed = len(errors)
    planned = len(streams) or failed
    if status == EXIT_PARTIAL:
        say(f"warning: {failed} of {planned} streams failed; the output is incomplete")
    elif status == EXIT_NOTHING:
        say(f"error: nothing could be listed: {failed} of {planned} streams failed")
    return status
