"""Chart geometry, computed in Python: rectangles, ticks and labels.

The template turns these into inline SVG elements (through Jinja2's
autoescaping, like every other value on the page); nothing here writes
markup, and the page needs no chart library.
"""
from __future__ import annotations

import datetime as _dt
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import attrs

from ..model import Job, JobStatus
from .facts import STATUS_ORDER, display_name, fmt_duration, fmt_time

__all__ = ["STATUS_COLORS", "BarChart", "Timeline", "stacked_bars", "timeline"]

#: Fill colour per status; the page also writes the status as text, so
#: colour is never the only cue.
STATUS_COLORS: Dict[JobStatus, str] = {
    JobStatus.FAILED: "#d1343b",
    JobStatus.RUNNING: "#2f6fde",
    JobStatus.PENDING: "#7fa8ee",
    JobStatus.STOPPING: "#e39b1b",
    JobStatus.DELETING: "#a066c9",
    JobStatus.SUCCEEDED: "#2e9a5a",
    JobStatus.STOPPED: "#8b8f98",
    JobStatus.UNKNOWN: "#c4c7cc",
}


@attrs.frozen
class Segment:
    status: JobStatus
    count: int
    x: float
    width: float
    color: str


@attrs.frozen
class Bar:
    label: str
    total: int
    y: float
    segments: Tuple[Segment, ...]


@attrs.frozen
class BarChart:
    title: str
    width: int
    height: int
    label_width: int
    bar_height: int
    bars: Tuple[Bar, ...]
    #: Labels folded into the last bar when there are more than fit.
    folded: int = 0


def stacked_bars(
    jobs: Sequence[Job],
    key: Callable[[Job], Optional[str]],
    title: str,
    *,
    missing: str = "(none)",
    width: int = 400,
    label_width: int = 130,
    max_bars: int = 10,
) -> BarChart:
    """Horizontal bars, one per value of `key`, stacked by status; the
    biggest first. Past `max_bars` the rest fold into one "other" bar."""
    groups: Dict[str, Dict[JobStatus, int]] = {}
    for job in jobs:
        label = key(job) or missing
        groups.setdefault(label, {}).setdefault(job.status, 0)
        groups[label][job.status] += 1
    ordered = sorted(groups.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
    folded = 0
    if len(ordered) > max_bars:
        rest = ordered[max_bars - 1 :]
        folded = len(rest)
        merged: Dict[JobStatus, int] = {}
        for _, counts in rest:
            for status, n in counts.items():
                merged[status] = merged.get(status, 0) + n
        ordered = ordered[: max_bars - 1] + [(f"{folded} others", merged)]
    bar_height, gap, top = 18, 8, 4
    count_width = 44
    plot = max(width - label_width - count_width, 40)
    biggest = max((sum(c.values()) for _, c in ordered), default=0)
    bars: List[Bar] = []
    for i, (label, counts) in enumerate(ordered):
        total = sum(counts.values())
        x = float(label_width)
        segments = []
        for status in STATUS_ORDER:
            n = counts.get(status, 0)
            if not n:
                continue
            w = plot * n / biggest
            segments.append(Segment(status, n, round(x, 2), round(w, 2), STATUS_COLORS[status]))
            x += w
        bars.append(Bar(label=label, total=total, y=top + i * (bar_height + gap), segments=tuple(segments)))
    height = top * 2 + max(len(bars), 1) * (bar_height + gap)
    return BarChart(
        title=title,
        width=width,
        height=height,
        label_width=label_width,
        bar_height=bar_height,
        bars=tuple(bars),
        folded=folded,
    )


@attrs.frozen
class TimelineRow:
    label: str
    y: float
    x: float
    width: float
    color: str
    status: JobStatus
    #: Still active: drawn open-ended to `now`.
    open_ended: bool
    #: Terminal with no known end: only the start is drawn.
    end_unknown: bool
    tooltip: str


@attrs.frozen
class Tick:
    x: float
    label: str


@attrs.frozen
class Timeline:
    width: int
    height: int
    label_width: int
    row_height: int
    plot_top: int
    plot_bottom: int
    rows: Tuple[TimelineRow, ...]
    ticks: Tuple[Tick, ...]
    now_x: float
    start: Optional[_dt.datetime]
    shown: int
    total: int


_TICK_STEPS = (
    _dt.timedelta(minutes=10),
    _dt.timedelta(minutes=30),
    _dt.timedelta(hours=1),
    _dt.timedelta(hours=3),
    _dt.timedelta(hours=6),
    _dt.timedelta(hours=12),
    _dt.timedelta(days=1),
    _dt.timedelta(days=2),
    _dt.timedelta(days=7),
    _dt.timedelta(days=14),
    _dt.timedelta(days=30),
    _dt.timedelta(days=91),
    _dt.timedelta(days=365),
)


def _ticks(start: _dt.datetime, end: _dt.datetime, to_x: Callable[[_dt.datetime], float]) -> List[Tick]:
    span = end - start
    step = next((s for s in _TICK_STEPS if span / s <= 7), _TICK_STEPS[-1])
    epoch = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)
    first = epoch + step * (-(-(start - epoch) // step))  # ceil to a step boundary
    daily = step >= _dt.timedelta(days=1)
    ticks = []
    t = first
    while t <= end and len(ticks) < 12:
        label = t.strftime("%b %d") if daily else t.strftime("%b %d %H:%M")
        ticks.append(Tick(x=round(to_x(t), 2), label=label))
        t += step
    return ticks


def _label(job: Job, limit: int = 34) -> str:
    text = display_name(job)
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _timeline_row(job: Job, y: int, to_x: Callable[[_dt.datetime], float], now: _dt.datetime) -> "TimelineRow":
    """One job's bar: created to ended, an active job open-ended to `now`."""
    x0 = to_x(job.created_at)
    open_ended = job.status.is_active
    end_unknown = False
    if open_ended:
        x1 = to_x(max(now, job.created_at))
    elif job.ended_at is not None:
        x1 = to_x(job.ended_at)
    else:
        end_unknown = True
        x1 = x0
    tip = [f"{job.name or job.job_id}", f"{job.status.value} ({job.raw_status})", f"created {fmt_time(job.created_at)}"]
    if job.ended_at:
        tip.append(f"ended {fmt_time(job.ended_at)} after {fmt_duration(job.duration)}")
    elif open_ended:
        tip.append("still active")
    return TimelineRow(
        label=_label(job),
        y=y,
        x=round(x0, 2),
        width=round(max(x1 - x0, 3.0), 2),
        color=STATUS_COLORS[job.status],
        status=job.status,
        open_ended=open_ended,
        end_unknown=end_unknown,
        tooltip=" \u00b7 ".join(tip),
    )


def timeline(
    jobs: Sequence[Job],
    now: _dt.datetime,
    *,
    limit: int = 30,
    max_span: _dt.timedelta = _dt.timedelta(days=7),
    width: int = 1240,
    label_width: int = 250,
) -> Timeline:
    """Recent jobs on a shared time axis ending at `now`: the `limit` most
    recently created jobs that were alive in the window, created to ended
    (active jobs open-ended to `now`), newest at the top.

    The window reaches back to the creation of the `limit`-th newest job,
    but no further than `max_span`, so one old job does not squash the
    rest; bars that began before the window start at its left edge.
    """
    newest = sorted(jobs, key=lambda j: (-j.created_at.timestamp(), j.service, j.job_id))
    row_height, top, axis = 16, 6, 22
    plot_w = width - label_width - 16
    if not newest:
        height = top + row_height + axis + 4
        return Timeline(width, height, label_width, row_height, top, top, (), (), 0.0, None, 0, 0)
    oldest_wanted = newest[min(limit, len(newest)) - 1].created_at
    start = max(oldest_wanted, now - max_span)
    end = max([now] + [j.ended_at for j in newest if j.ended_at] + [newest[0].created_at])

    def alive(job: Job) -> bool:
        if job.status.is_active:
            return True
        finish = job.ended_at or job.created_at
        return finish >= start

    recent = [j for j in newest if alive(j)][:limit]
    span = max((end - start).total_seconds(), 3600.0)
    start -= _dt.timedelta(seconds=span * 0.01)
    span *= 1.01
    height = top + max(len(recent), 1) * row_height + axis + 4

    def to_x(t: _dt.datetime) -> float:
        return label_width + plot_w * max((t - start).total_seconds(), 0.0) / span

    rows = [_timeline_row(job, top + i * row_height, to_x, now) for i, job in enumerate(recent)]
    bottom = top + len(rows) * row_height
    return Timeline(
        width=width,
        height=height,
        label_width=label_width,
        row_height=row_height,
        plot_top=top,
        plot_bottom=bottom,
        rows=tuple(rows),
        ticks=tuple(t for t in _ticks(start, end, to_x) if abs(t.x - to_x(now)) > 60),
        now_x=round(to_x(now), 2),
        start=start,
        shown=len(rows),
        total=len(jobs),
    )
