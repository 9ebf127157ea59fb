"""What a sync reads back to compare: the stored state of each stream, cheaply.

A stored job counts as unchanged when its unified status, raw status,
updated_at, ended_at and message are the listed job's. The rest of a
summary (name, ARN, source, destination, details) is what the job was
created with: it does not change while those stay the same (a service
bumps its last-modified time when it changes anything), so the stored
`details` need not be read back and decoded on every sync. The state is
read without the column types' per-value processing (times are compared as
the driver gives them): that and the bulk last_seen_at update are most of
the cost of a sync that changes nothing.

Each stored job also says whether a sync that started collecting later has
already observed it (its last_seen_at or gone_at is after this sync's
start): an older view of it must not be written over the newer one.
"""
from __future__ import annotations

import datetime as _dt
from typing import Any, Callable, Dict, Iterable, List, NamedTuple, Optional, Sequence, Set, Tuple

from sqlalchemy import String, and_, func, or_, select, tuple_, type_coerce
from sqlalchemy.engine import Connection

from ..model import Job
from .records import JOB_COLUMNS, job_from_row
from .tables import jobs

__all__ = ["Key", "StreamKey", "Stored", "StoredState", "job_stream", "stream_filter", "read_jobs", "unchanged"]

Key = Tuple[str, str]
StreamKey = Tuple[Optional[str], Optional[str], str, str]  # account_id, region, service, operation
_UTC = _dt.timezone.utc
_CHUNK = 500


class Stored(NamedTuple):
    """What a sync needs of a stored job."""

    gone: bool
    status: str
    version: Tuple[Any, ...]  # raw_status, updated_at, ended_at, message
    #: Observed (seen or marked gone) after this sync started collecting: left as it is.
    newer: bool


def job_stream(job: Job) -> StreamKey:
    return (job.account_id, job.region, job.service, job.operation)


def stream_filter(key: StreamKey) -> Any:
    account, region, service, operation = key
    return and_(jobs.c.account_id.is_not_distinct_from(account), jobs.c.region.is_not_distinct_from(region),
                jobs.c.service == service, jobs.c.operation == operation)


def _raw(name: str) -> Any:
    return type_coerce(jobs.c[name], String)


def _state(since: _dt.datetime) -> List[Any]:
    """The columns a sync reads of a stored job; the last one: observed after `since`."""
    newer = or_(jobs.c.last_seen_at > since, jobs.c.gone_at > since)
    return [jobs.c.service, jobs.c.job_id, jobs.c.account_id, jobs.c.region, jobs.c.operation,
            _raw("gone_at"), jobs.c.status, jobs.c.raw_status, _raw("updated_at"), _raw("ended_at"),
            jobs.c.message, newer]


def _time_reader(conn: Connection) -> Callable[[Any], Optional[_dt.datetime]]:
    """Raw stored time -> aware datetime: SQLite keeps UTC text, PostgreSQL's driver gives aware times."""
    if conn.dialect.name != "sqlite":
        return lambda value: value
    parse = _dt.datetime.fromisoformat

    def read(value: Optional[str]) -> Optional[_dt.datetime]:
        return None if value is None else parse(value).replace(tzinfo=_UTC)

    return read


def read_jobs(conn: Connection, keys: Sequence[Key]) -> List[Job]:
    """The stored records of these jobs (those stored), read in full."""
    found: List[Job] = []
    columns = [jobs.c[name] for name in JOB_COLUMNS]
    for start in range(0, len(keys), _CHUNK):
        chunk = list(keys[start:start + _CHUNK])
        query = select(*columns).where(tuple_(jobs.c.service, jobs.c.job_id).in_(chunk))
        found.extend(job_from_row(row) for row in conn.execute(query).mappings())
    return found


class StoredState:
    """The stored jobs of the sync's streams: by key, and per stream (`since`: the sync's start)."""

    def __init__(self, time: Callable[[Any], Optional[_dt.datetime]], since: _dt.datetime) -> None:
        self.time = time
        self.columns = _state(since)
        self.rows: Dict[Key, Stored] = {}
        self.by_stream: Dict[StreamKey, List[Tuple[Key, Stored]]] = {}

    def _add_rows(self, rows: Iterable[Any], by_stream: Optional[Dict[StreamKey, List[Tuple[Key, Stored]]]]) -> None:
        time, stored_rows = self.time, self.rows
        for service, job_id, account, region, operation, gone, status, raw, updated, ended, message, newer in rows:
            key = (service, job_id)
            stored = Stored(gone is not None, status, (raw, time(updated), time(ended), message), bool(newer))
            stored_rows[key] = stored
            if by_stream is not None:
                listed = by_stream.get((account, region, service, operation))
                if listed is not None:
                    listed.append((key, stored))
                else:
                    del stored_rows[key]

    @classmethod
    def load(cls, conn: Connection, streams: Set[StreamKey], since: _dt.datetime) -> "StoredState":
        """One query over the accounts, regions and services of the streams (a superset), sorted out here."""
        state = cls(_time_reader(conn), since)
        state.by_stream = {key: [] for key in streams}
        if not streams:
            return state
        query = select(*state.columns)
        for position, column in enumerate((jobs.c.account_id, jobs.c.region, jobs.c.service)):
            values = {key[position] for key in streams}
            condition = column.in_(sorted(v for v in values if v is not None))
            query = query.where(condition | column.is_(None) if None in values else condition)
        state._add_rows(conn.execute(query).all(), state.by_stream)
        return state

    def load_elsewhere(self, conn: Connection, listed: Iterable[Job]) -> None:
        """Also read listed jobs stored under another stream (none, unless the store holds more)."""
        total = conn.execute(select(func.count()).select_from(jobs)).scalar_one()
        if total <= len(self.rows):
            return
        missing = sorted({(j.service, j.job_id) for j in listed} - self.rows.keys())
        for start in range(0, len(missing), _CHUNK):
            chunk = missing[start:start + _CHUNK]
            self._add_rows(conn.execute(select(*self.columns).where(tuple_(jobs.c.service, jobs.c.job_id).in_(chunk))),
                           None)


def unchanged(job: Job, stored: Stored) -> bool:
    """The stored job is the listed one's version (its status compared already)."""
    return stored.version == (job.raw_status, job.updated_at, job.ended_at, job.message)
