"""A table for people: aligned columns, local times, durations, coloured status.

Columns: CREATED (local time, to the minute), SERVICE, TYPE, NAME (the job's
name, or the last part of its id), STATUS, DURATION (ended - created, `-`
while unknown), REGION, ACCOUNT. A last line counts the jobs and names the
time zone. Colour is the caller's choice (`color=True`): the command line
turns it on only for a terminal, and never when NO_COLOR is set. Control
characters in names and messages are shown escaped, never sent to the
terminal.
"""
from __future__ import annotations

import datetime as _dt
from typing import Iterable, List, Optional, Sequence, TextIO

from ..model import Job, JobStatus, display_name

__all__ = ["HEADERS", "format_duration", "format_time", "clean", "render", "write", "STATUS_COLORS"]

HEADERS = ("CREATED", "SERVICE", "TYPE", "NAME", "STATUS", "DURATION", "REGION", "ACCOUNT")
_NAME_WIDTH = 48

#: ANSI SGR codes per status.
STATUS_COLORS = {
    JobStatus.SUCCEEDED: "32",  # green
    JobStatus.FAILED: "31;1",  # bold red
    JobStatus.RUNNING: "36",  # cyan
    JobStatus.PENDING: "33",  # yellow
    JobStatus.STOPPING: "33",
    JobStatus.DELETING: "33",
    JobStatus.STOPPED: "35",  # magenta
    JobStatus.UNKNOWN: "2",  # dim
}


def format_duration(delta: Optional[_dt.timedelta]) -> str:
    """`45s`, `12m 05s`, `3h 04m`, `2d 03h`; `-` when unknown."""
    if delta is None:
        return "-"
    seconds = int(delta.total_seconds())
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        text = f"{days}d {hours:02d}h"
    elif hours:
        text = f"{hours}h {minutes:02d}m"
    elif minutes:
        text = f"{minutes}m {secs:02d}s"
    else:
        text = f"{secs}s"
    return sign + text


def format_time(value: Optional[_dt.datetime], tz: Optional[_dt.tzinfo] = None) -> str:
    """`2024-05-01 14:03` in `tz` (the local time zone when None); `-` when unknown."""
    if value is None:
        return "-"
    return value.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def _zone_name(tz: Optional[_dt.tzinfo]) -> str:
    now = _dt.datetime.now(_dt.timezone.utc).astimezone(tz)
    offset = now.utcoffset() or _dt.timedelta(0)
    if offset == _dt.timedelta(0):
        return "UTC"
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hh, mm = divmod(abs(minutes), 60)
    name = now.tzname() or ""
    text = f"UTC{sign}{hh:02d}:{mm:02d}"
    return f"{name}, {text}" if name and not name.startswith(("UTC", "+", "-")) else text


def clean(text: Optional[str], width: Optional[int] = None) -> str:
    """`text` safe for a terminal (control characters escaped), cut to `width` with an ellipsis."""
    if text is None:
        return "-"
    out = "".join(
        ch if (" " <= ch < "\x7f" or ch > "\x9f") else ch.encode("unicode_escape").decode("ascii")
        for ch in text
    )
    if width is not None and len(out) > width:
        out = out[: max(width - 1, 0)] + "\u2026"
    return out


def render(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    stream: TextIO,
    *,
    styles: Optional[Sequence[Sequence[Optional[str]]]] = None,
    right: Sequence[int] = (),
    indent: str = "",
) -> None:
    """Write `rows` under `headers`, columns padded to their widest cell.

    `styles[r][c]` is an ANSI SGR code for that cell (applied after padding,
    so colour never upsets alignment); `right` lists right-aligned columns.
    """
    widths = [len(h) for h in headers]
    for cells in rows:
        for i, text in enumerate(cells):
            widths[i] = max(widths[i], len(text))
    last = len(headers) - 1

    def line(cells: Sequence[str], cell_styles: Optional[Sequence[Optional[str]]]) -> str:
        parts: List[str] = []
        for i, text in enumerate(cells):
            padded = text.rjust(widths[i]) if i in right else (text if i == last else text.ljust(widths[i]))
            style = cell_styles[i] if cell_styles else None
            if style:
                core = padded.rstrip(" ") if i not in right else padded
                padded = f"\x1b[{style}m{core}\x1b[0m" + padded[len(core):]
            parts.append(padded)
        return indent + "  ".join(parts).rstrip() + "\n"

    stream.write(line(headers, None))
    for r, cells in enumerate(rows):
        stream.write(line(cells, styles[r] if styles else None))


def write(
    jobs: Iterable[Job],
    stream: TextIO,
    *,
    color: bool = False,
    tz: Optional[_dt.tzinfo] = None,
    footer: bool = True,
) -> int:
    """Write the jobs as an aligned table (it needs them all first); return how many."""
    rows: List[List[str]] = []
    styles: List[List[Optional[str]]] = []
    status_column = HEADERS.index("STATUS")
    for job in jobs:
        rows.append(
            [
                format_time(job.created_at, tz),
                job.service,
                clean(job.job_type, 32),
                clean(display_name(job), _NAME_WIDTH),
                job.status.value,
                format_duration(job.duration),
                job.region or "-",
                job.account_id or "-",
            ]
        )
        cell_styles: List[Optional[str]] = [None] * len(HEADERS)
        if color:
            cell_styles[status_column] = STATUS_COLORS.get(job.status)
        styles.append(cell_styles)
    if not rows:
        stream.write("No jobs found.\n")
        return 0
    render(HEADERS, rows, stream, styles=styles, right=(HEADERS.index("DURATION"),))
    if footer:
        noun = "job" if len(rows) == 1 else "jobs"
        stream.write(f"\n{len(rows)} {noun}; times in {_zone_name(tz)}\n")
    return len(rows)
