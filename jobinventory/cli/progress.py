"""What the command line shows on a terminal: the progress line, and whether to colour."""
from __future__ import annotations

import argparse
import os
import sys
import time
from typing import IO, Any, Optional

__all__ = ["ProgressLine", "progress_for", "use_color", "isatty"]


class ProgressLine:
    """A `\\r`-updated progress line on stderr, fed `collector.Progress` snapshots (terminal only)."""

    def __init__(self, stream: IO[str], interval: float = 0.1) -> None:
        self.stream = stream
        self.interval = interval
        self._last = 0.0
        self._shown = False

    def __call__(self, snapshot: Any) -> None:
        now = time.monotonic()
        finished = snapshot.streams_done >= snapshot.streams_total
        if not finished and now - self._last < self.interval:
            return
        self._last = now
        failed = f", {snapshot.errors} failed" if snapshot.errors else ""
        self.stream.write(
            f"\r\x1b[Kstreams {snapshot.streams_done}/{snapshot.streams_total}{failed}; jobs {snapshot.jobs}"
        )
        self.stream.flush()
        self._shown = True

    def clear(self) -> None:
        if self._shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._shown = False


def progress_for(args: argparse.Namespace) -> Optional[ProgressLine]:
    """A progress line on stderr when it is a terminal and --quiet is not given; else None."""
    if getattr(args, "quiet", False) or not isatty(sys.stderr):
        return None
    return ProgressLine(sys.stderr)


def isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def use_color(stream: Any) -> bool:
    """Colour only on a terminal, never with NO_COLOR set (no-color.org) or TERM=dumb."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("TERM") == "dumb":
        return False
    return isatty(stream)
