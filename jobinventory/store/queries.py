"""Reading the store: changes newest first, with the job each is about."""
from __future__ import annotations

import datetime as _dt
from typing import Any, Iterable, List, Optional

from sqlalchemy import select
from sqlalchemy.engine import Connection

from ..errors import ConfigurationError
from ..model import JobStatus
from .records import JOB_COLUMNS, Change, job_from_row
from .tables import CHANGE_KINDS, job_changes, jobs

__all__ = ["read_changes"]

_CHANGE_COLUMNS = ("change_id", "sync_id", "observed_at", "service", "job_id", "kind", "from_status", "to_status")


def _kinds(kinds: Optional[Iterable[str]]) -> Optional[List[str]]:
    if kinds is None:
        return None
    chosen = [kinds] if isinstance(kinds, str) else list(kinds)
    for kind in chosen:
        if kind not in CHANGE_KINDS:
            raise ConfigurationError(f"unknown change kind {kind!r}; kinds: {', '.join(CHANGE_KINDS)}")
    return chosen


def _statuses(statuses: Optional[Iterable[Any]]) -> Optional[List[str]]:
    if statuses is None:
        return None
    chosen = [statuses] if isinstance(statuses, str) else list(statuses)
    try:
        return [JobStatus(s.upper() if isinstance(s, str) else s).value for s in chosen]
    except ValueError:
        raise ConfigurationError(
            f"unknown status in {chosen!r}; statuses: {', '.join(s.value for s in JobStatus)}"
        ) from None


def read_changes(conn: Connection, *, since: Optional[_dt.datetime] = None, kinds: Any = None,
                 statuses: Any = None, limit: Optional[int] = None, sync_id: Optional[int] = None,
                 ascending: bool = False) -> List[Change]:
    """Changes newest first (by change_id), each with its job as stored now.

    since: observed at or after this aware time; kinds: 'new', 'status',
    'gone'; statuses: the unified status changed into (to_status); limit:
    at most this many; sync_id: only that sync's.
    """
    columns = [job_changes.c[name] for name in _CHANGE_COLUMNS] + [jobs.c[name].label(f"j_{name}")
                                                                   for name in JOB_COLUMNS]
    query = select(*columns).join(jobs, (jobs.c.service == job_changes.c.service)
                                  & (jobs.c.job_id == job_changes.c.job_id))
    if since is not None:
        if since.tzinfo is None:
            raise ConfigurationError(f"since must be timezone-aware, got {since!r}")
        query = query.where(job_changes.c.observed_at >= since)
    chosen_kinds = _kinds(kinds)
    if chosen_kinds is not None:
        query = query.where(job_changes.c.kind.in_(chosen_kinds))
    chosen_statuses = _statuses(statuses)
    if chosen_statuses is not None:
        query = query.where(job_changes.c.to_status.in_(chosen_statuses))
    if sync_id is not None:
        query = query.where(job_changes.c.sync_id == sync_id)
    order = job_changes.c.change_id
    query = query.order_by(order.asc() if ascending else order.desc())
    if limit is not None:
        if not isinstance(limit, int) or limit < 0:
            raise ConfigurationError(f"limit must be a non-negative integer, got {limit!r}")
        query = query.limit(limit)
    changes = []
    for row in conn.execute(query).mappings():
        job = job_from_row({name: row[f"j_{name}"] for name in JOB_COLUMNS})
        changes.append(Change(*(row[name] for name in _CHANGE_COLUMNS), job=job))
    return changes
