"""Bring a store up to date with an Inventory: one transaction, writes proportional to what changed.

Inside the caller's locked transaction (see engine.write_transaction):
1. insert the `syncs` row (its id goes on every row this sync writes);
2. read the stored jobs of every stream the inventory planned and answered
   or failed (and, by key, any listed job stored under another stream);
3. compare: a job not stored (or stored as gone) is `new`, a stored job with
   another unified status is a `status` change, a job with any other field
   changed is rewritten without a change row, an unchanged job is not
   written at all;
4. mark gone the stored, still-listed jobs of each stream that answered
   whole in an unfiltered sync and did not list them: never from a failed or
   skipped stream, a filtered sync, or a stream outside the selection;
5. upsert the new and changed jobs (INSERT ... ON CONFLICT DO UPDATE through
   the dialect's insert()), set last_seen_at of the rest in bulk per stream
   (one UPDATE per stream), write the changes, every stream, and the counts.
"""
from __future__ import annotations

import datetime as _dt
from typing import Any, Dict, Iterable, List, Optional, Sequence, Set, Tuple

import attrs
from sqlalchemy import and_, bindparam, func, insert, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from ..inventory import Inventory, StreamResult
from ..model import Job
from .records import JOB_COLUMNS, job_row
from .tables import job_changes, jobs, sync_streams, syncs

__all__ = ["write_sync", "SyncCounts"]

Key = Tuple[str, str]
StreamKey = Tuple[Optional[str], Optional[str], str, str]  # account_id, region, service, operation

#: The columns compared to tell whether a stored job changed (every Job field but the key).
_COMPARED = tuple(name for name in JOB_COLUMNS if name not in ("service", "job_id"))
_STORED = [jobs.c.service, jobs.c.job_id, jobs.c.gone_at] + [jobs.c[name] for name in _COMPARED]
_STATUS_AT = 3 + _COMPARED.index("status")
_CHUNK = 500


@attrs.define
class SyncCounts:
    """What one sync wrote, for the `syncs` row."""

    sync_id: int
    started_at: _dt.datetime
    finished_at: Optional[_dt.datetime] = None
    streams_answered: int = 0
    streams_skipped: int = 0
    streams_failed: int = 0
    jobs_seen: int = 0
    changes: int = 0
    complete: bool = True


@attrs.define
class _Plan:
    """The writes a sync needs, decided before any is made."""

    upserts: List[Dict[str, Any]] = attrs.field(factory=list)
    changes: List[Dict[str, Any]] = attrs.field(factory=list)
    touched: List[Dict[str, Any]] = attrs.field(factory=list)
    gone: List[Dict[str, Any]] = attrs.field(factory=list)


def _stream_key(s: StreamResult) -> StreamKey:
    return (s.account, s.region, s.service, s.operation)


def _job_stream(job: Job) -> StreamKey:
    return (job.account_id, job.region, job.service, job.operation)


def _stream_filter(key: StreamKey) -> Any:
    account, region, service, operation = key
    return and_(jobs.c.account_id.is_not_distinct_from(account), jobs.c.region.is_not_distinct_from(region),
                jobs.c.service == service, jobs.c.operation == operation)


def _load_streams(conn: Connection, keys: Iterable[StreamKey]) -> Dict[StreamKey, Dict[Key, Any]]:
    """The stored rows of each stream, by (service, job_id).

    One query over the accounts, regions and services of the streams (a
    superset), sorted out here: one statement, not one per stream.
    """
    loaded: Dict[StreamKey, Dict[Key, Any]] = {key: {} for key in keys}
    if not loaded:
        return loaded
    query = select(*_STORED)
    for position, column in enumerate((jobs.c.account_id, jobs.c.region, jobs.c.service)):
        values = {key[position] for key in loaded}
        condition = column.in_(sorted(v for v in values if v is not None))
        query = query.where(condition | column.is_(None) if None in values else condition)
    account_at, region_at, operation_at = (3 + _COMPARED.index(n) for n in ("account_id", "region", "operation"))
    for row in conn.execute(query):
        stream = loaded.get((row[account_at], row[region_at], row[0], row[operation_at]))
        if stream is not None:
            stream[(row[0], row[1])] = row
    return loaded


def _load_keys(conn: Connection, keys: Sequence[Key]) -> Dict[Key, Any]:
    """The stored rows of these jobs, wherever they are stored."""
    found: Dict[Key, Any] = {}
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start:start + _CHUNK]
        rows = conn.execute(select(*_STORED).where(tuple_(jobs.c.service, jobs.c.job_id).in_(chunk))).all()
        found.update({(row[0], row[1]): row for row in rows})
    return found


def _fields(job: Job) -> Tuple[Any, ...]:
    return tuple(job.status.value if name == "status" else getattr(job, name) for name in _COMPARED)


def _change(sync_id: int, at: _dt.datetime, key: Key, kind: str, from_status: Optional[str],
            to_status: Optional[str]) -> Dict[str, Any]:
    return {"sync_id": sync_id, "observed_at": at, "service": key[0], "job_id": key[1], "kind": kind,
            "from_status": from_status, "to_status": to_status}


def _compare(plan: _Plan, listed: Sequence[Job], stored: Dict[Key, Any], bulk: Set[StreamKey],
             sync_id: int, at: _dt.datetime) -> Set[Key]:
    """Decide the upserts, changes and touches of the listed jobs; return their keys."""
    seen: Set[Key] = set()
    for job in listed:
        key = (job.service, job.job_id)
        if key in seen:
            continue
        seen.add(key)
        row = stored.get(key)
        status = job.status.value
        if row is None or row[2] is not None:  # never stored, or stored as gone: listed again
            plan.changes.append(_change(sync_id, at, key, "new", None, status))
        elif row[_STATUS_AT] != status:
            plan.changes.append(_change(sync_id, at, key, "status", row[_STATUS_AT], status))
        elif tuple(row[3:]) == _fields(job):
            if _job_stream(job) not in bulk:
                plan.touched.append({"k_service": key[0], "k_job_id": key[1]})
            continue
        values = job_row(job)
        values.update(first_seen_at=at, last_seen_at=at, gone_at=None, last_sync_id=sync_id)
        plan.upserts.append(values)
    return seen


def _decide_gone(plan: _Plan, loaded: Dict[StreamKey, Dict[Key, Any]], bulk: Set[StreamKey],
                 seen: Set[Key], sync_id: int, at: _dt.datetime) -> None:
    for stream in sorted(bulk, key=lambda k: tuple(p or "" for p in k)):
        for key, row in sorted(loaded.get(stream, {}).items()):
            if row[2] is None and key not in seen:
                plan.gone.append({"k_service": key[0], "k_job_id": key[1]})
                plan.changes.append(_change(sync_id, at, key, "gone", row[_STATUS_AT], None))


def _upsert(conn: Connection, rows: List[Dict[str, Any]]) -> None:
    if not rows:
        return
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(jobs)
    kept = set(JOB_COLUMNS) | {"last_seen_at", "gone_at", "last_sync_id"}
    statement = statement.on_conflict_do_update(
        index_elements=[jobs.c.service, jobs.c.job_id],
        set_={name: statement.excluded[name] for name in kept},
    )
    conn.execute(statement, rows)


def _by_key(**values: Any) -> Any:
    return (update(jobs).where(jobs.c.service == bindparam("k_service"), jobs.c.job_id == bindparam("k_job_id"))
            .values(**values))


def _write(conn: Connection, plan: _Plan, live: Set[StreamKey], sync_id: int, at: _dt.datetime) -> None:
    """Make the planned writes; `live`: the streams whose listed jobs get last_seen_at in bulk."""
    if plan.gone:
        conn.execute(_by_key(gone_at=at), plan.gone)
    _upsert(conn, plan.upserts)
    for stream in sorted(live, key=lambda k: tuple(p or "" for p in k)):
        conn.execute(update(jobs).where(_stream_filter(stream), jobs.c.gone_at.is_(None),
                                        jobs.c.last_sync_id != sync_id)
                     .values(last_seen_at=at, last_sync_id=sync_id))
    if plan.touched:
        conn.execute(_by_key(last_seen_at=at, last_sync_id=sync_id), plan.touched)
    if plan.changes:
        conn.execute(insert(job_changes), plan.changes)


def _stream_rows(sync_id: int, streams: Sequence[StreamResult]) -> List[Dict[str, Any]]:
    return [{
        "sync_id": sync_id, "account_id": s.account, "region": s.region, "service": s.service,
        "operation": s.operation, "state": s.state, "jobs": s.jobs,
        "error_kind": s.error.kind if s.error is not None else None,
        "error_message": s.error.message if s.error is not None else None,
    } for s in streams]


def _begin(conn: Connection, started_at: _dt.datetime) -> int:
    placeholder = {"started_at": started_at, "finished_at": started_at, "streams_answered": 0,
                   "streams_skipped": 0, "streams_failed": 0, "jobs_seen": 0, "changes": 0, "complete": False}
    return conn.execute(insert(syncs).values(**placeholder)).inserted_primary_key[0]


def write_sync(conn: Connection, inventory: Inventory, *, filtered: bool,
               started_at: _dt.datetime) -> SyncCounts:
    """Write one sync of `inventory` in `conn`'s (locked) transaction; return its counts.

    filtered: the inventory was collected with a filter (statuses, since,
    until, name_contains), so no stream was listed whole: nothing is gone.
    """
    sync_id = _begin(conn, started_at)
    listed_streams = [s for s in inventory.streams if s.state != "skipped"]
    bulk = set() if filtered else {_stream_key(s) for s in inventory.streams if s.state == "answered"}
    loaded = _load_streams(conn, sorted({_stream_key(s) for s in listed_streams},
                                        key=lambda k: tuple(p or "" for p in k)))
    stored: Dict[Key, Any] = {}
    for rows in loaded.values():
        stored.update(rows)
    if conn.execute(select(func.count()).select_from(jobs)).scalar_one() > len(stored):
        elsewhere = sorted({(j.service, j.job_id) for j in inventory.jobs} - stored.keys())
        stored.update(_load_keys(conn, elsewhere))
    plan = _Plan()
    seen = _compare(plan, inventory.jobs, stored, bulk, sync_id, started_at)
    _decide_gone(plan, loaded, bulk, seen, sync_id, started_at)
    gone = {(g["k_service"], g["k_job_id"]) for g in plan.gone}
    live = {k for k in bulk if any(key not in gone and row[2] is None for key, row in loaded[k].items())}
    _write(conn, plan, live, sync_id, started_at)
    if inventory.streams:
        conn.execute(insert(sync_streams), _stream_rows(sync_id, inventory.streams))
    counts = SyncCounts(sync_id, started_at, _dt.datetime.now(_dt.timezone.utc),
                        jobs_seen=len(seen), changes=len(plan.changes), complete=inventory.complete)
    for s in inventory.streams:
        setattr(counts, f"streams_{s.state}", getattr(counts, f"streams_{s.state}") + 1)
    conn.execute(update(syncs).where(syncs.c.sync_id == sync_id).values(
        **{name: getattr(counts, name) for name in ("finished_at", "streams_answered", "streams_skipped",
                                                     "streams_failed", "jobs_seen", "changes", "complete")}))
    return counts
