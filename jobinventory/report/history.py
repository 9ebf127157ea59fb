"""The history section of a store's report: failures per day by service, durations per job type.

Geometry only (like charts.py): the template draws it as inline SVG and a
table. Takes the store's `History` (jobinventory.store.history) by its
attributes, so the report needs no database library.
"""
from __future__ import annotations

import datetime as _dt
from typing import Any, Dict, List, Tuple

import attrs

from .facts import fmt_duration

__all__ = ["SERVICE_COLORS", "FailureChart", "failure_chart", "DurationRow", "duration_rows"]

#: Fill colour per service (others take the last).
SERVICE_COLORS: Dict[str, str] = {
    "bedrock": "#2f6fde",
    "dataexchange": "#e39b1b",
    "forecast": "#2e9a5a",
    "personalize": "#a066c9",
}
_OTHER = "#8b8f98"


@attrs.frozen
class Block:
    service: str
    count: int
    y: float
    height: float
    color: str


@attrs.frozen
class Column:
    day: _dt.date
    total: int
    x: float
    blocks: Tuple[Block, ...]


@attrs.frozen
class FailureChart:
    width: int
    height: int
    plot_top: int
    plot_bottom: int
    column_width: float
    columns: Tuple[Column, ...]
    #: (day label, x) every 7 days.
    ticks: Tuple[Tuple[str, float], ...]
    legend: Tuple[Tuple[str, str], ...]
    total: int
    biggest: int


def failure_chart(failures: Any, *, width: int = 760, height: int = 170) -> FailureChart:
    """Columns per day (oldest left), stacked by service (in name order)."""
    top, bottom, left = 8, height - 22, 30
    days = list(failures.days)
    step = (width - left) / max(len(days), 1)
    biggest = max((sum(failures.counts[d].values()) for d in days), default=0)
    scale = (bottom - top) / biggest if biggest else 0.0
    columns: List[Column] = []
    for i, day in enumerate(days):
        y = float(bottom)
        blocks = []
        for service in failures.services:
            n = failures.counts[day].get(service, 0)
            if n:
                h = n * scale
                y -= h
                blocks.append(Block(service, n, round(y, 2), round(h, 2), SERVICE_COLORS.get(service, _OTHER)))
        columns.append(Column(day, sum(failures.counts[day].values()), round(left + i * step, 2), tuple(blocks)))
    ticks = tuple((day.strftime("%b %d"), round(left + i * step + step / 2, 2))
                  for i, day in enumerate(days) if (len(days) - 1 - i) % 7 == 0)
    legend = tuple((s, SERVICE_COLORS.get(s, _OTHER)) for s in failures.services)
    return FailureChart(width, height, top, bottom, round(step * 0.8, 2), tuple(columns), ticks, legend,
                        failures.total, biggest)


@attrs.frozen
class DurationRow:
    service: str
    job_type: str
    count: int
    median: str
    p90: str
    median_seconds: float
    p90_seconds: float


def duration_rows(durations: Any) -> List[DurationRow]:
    """One row per (service, job_type), slowest median first."""
    rows = [DurationRow(d.service, d.job_type, d.count, fmt_duration(d.median), fmt_duration(d.p90),
                        d.median.total_seconds(), d.p90.total_seconds()) for d in durations]
    return sorted(rows, key=lambda r: (-r.median_seconds, r.service, r.job_type))
