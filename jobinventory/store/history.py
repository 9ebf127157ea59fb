"""What only the store's history shows: failures per day, and how long each job type takes.

Computed in Python from plain column reads, so one code path serves SQLite
and PostgreSQL (their date functions differ). Every job ever seen counts,
gone ones too: a failure stays in the history after AWS forgets the job.
"""
from __future__ import annotations

import datetime as _dt
import math
import statistics
from typing import Dict, List, Optional, Tuple

import attrs
from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from ..model import JobStatus
from .tables import jobs

__all__ = ["DailyFailures", "Durations", "History", "read_history", "DAYS"]

#: Days of failures shown.
DAYS = 30


@attrs.frozen
class DailyFailures:
    """Failed jobs per UTC day (dated by ended_at, else updated_at, else created_at) and service."""

    days: Tuple[_dt.date, ...]
    services: Tuple[str, ...]
    #: counts[day][service]; days with no failure are present, with zeros.
    counts: Dict[_dt.date, Dict[str, int]]

    @property
    def total(self) -> int:
        return sum(sum(by_service.values()) for by_service in self.counts.values())


@attrs.frozen
class Durations:
    """How long the succeeded jobs of one (service, job_type) took, from created_at to ended_at."""

    service: str
    job_type: str
    count: int
    median: _dt.timedelta
    p90: _dt.timedelta


@attrs.frozen
class History:
    failures: DailyFailures
    durations: Tuple[Durations, ...]


def _failures(conn: Connection, now: _dt.datetime, days: int) -> DailyFailures:
    first = (now - _dt.timedelta(days=days - 1)).date()
    start = _dt.datetime.combine(first, _dt.time(), tzinfo=_dt.timezone.utc)
    when = func.coalesce(jobs.c.ended_at, jobs.c.updated_at, jobs.c.created_at)
    rows = conn.execute(select(jobs.c.service, jobs.c.ended_at, jobs.c.updated_at, jobs.c.created_at)
                        .where(jobs.c.status == JobStatus.FAILED.value, when >= start)).all()
    day_list = tuple(first + _dt.timedelta(days=i) for i in range(days))
    counts: Dict[_dt.date, Dict[str, int]] = {day: {} for day in day_list}
    for service, ended, updated, created in rows:
        day = (ended or updated or created).date()
        if day in counts:
            counts[day][service] = counts[day].get(service, 0) + 1
    services = tuple(sorted({s for by_service in counts.values() for s in by_service}))
    return DailyFailures(day_list, services, counts)


def _nearest_rank(ordered: List[float], fraction: float) -> float:
    return ordered[max(math.ceil(fraction * len(ordered)) - 1, 0)]


def _durations(conn: Connection) -> Tuple[Durations, ...]:
    rows = conn.execute(select(jobs.c.service, jobs.c.job_type, jobs.c.created_at, jobs.c.ended_at)
                        .where(jobs.c.status == JobStatus.SUCCEEDED.value, jobs.c.ended_at.is_not(None))).all()
    seconds: Dict[Tuple[str, str], List[float]] = {}
    for service, job_type, created, ended in rows:
        if ended >= created:
            seconds.setdefault((service, job_type), []).append((ended - created).total_seconds())
    out = []
    for (service, job_type), values in sorted(seconds.items()):
        values.sort()
        out.append(Durations(service, job_type, len(values),
                             _dt.timedelta(seconds=round(statistics.median(values), 3)),
                             _dt.timedelta(seconds=_nearest_rank(values, 0.9))))
    return tuple(out)


def read_history(conn: Connection, *, now: Optional[_dt.datetime] = None, days: int = DAYS) -> History:
    """Failures per day over the last `days` days (today included) and durations per job type."""
    now = now or _dt.datetime.now(_dt.timezone.utc)
    return History(_failures(conn, now, days), _durations(conn))
