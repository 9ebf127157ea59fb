"""Bring a store up to date with the staged jobs of a sync: one transaction, set-based SQL.

The listed jobs are in the connection's stage (staging.py) before the
caller's locked transaction begins (see engine.locked). Inside it:
1. insert the `syncs` row (its id goes on every row this sync writes);
2. record the changes of the listed jobs, in the listing's order: a job not
   stored (or stored as gone) is `new`, a stored job with another unified
   status is a `status` change (INSERT ... SELECT from the stage joined to
   `jobs`);
3. record as `gone` the stored, still-listed jobs of each stream that
   answered whole in an unfiltered sync and did not list them (by key):
   never from a failed or skipped stream, a filtered sync, or a stream
   outside the selection; then set their gone_at;
4. upsert the new and changed jobs (status, raw status, updated_at, ended_at
   or message differ: see below) with INSERT ... SELECT ... ON CONFLICT DO
   UPDATE, and move last_seen_at of the other listed jobs in one UPDATE;
5. write every stream and the counts.
No job is held in memory: a sync's memory follows a batch, not the inventory.

A stored job counts as unchanged when its unified status, raw status,
updated_at, ended_at and message are the listed job's. The rest of a
summary (name, ARN, source, destination, details) is what the job was
created with: it does not change while those stay the same (a service bumps
its last-modified time when it changes anything).

Syncs overlap when one collects while another writes (a cron job
overlapping itself): they write one after the other, but the one that
started collecting first may write last. A stored job that a later-started
sync already observed (its last_seen_at or gone_at is after this sync's
started_at) is left as it is: no upsert, no change, not marked gone, and
last_seen_at never moves back. Everything else this sync saw (other jobs,
other streams) is written as usual.
"""
from __future__ import annotations

import datetime as _dt
from typing import Any, Dict, Iterator, List, Optional, Sequence

import attrs
from sqlalchemy import Integer, String, and_, case, exists, func, insert, literal, null, or_, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from ..inventory import StreamResult
from .records import JOB_COLUMNS, Change, job_from_row
from .staging import Stage, stage, whole_streams
from .tables import job_changes, jobs, sync_streams, syncs
from .types import UTCDateTime

__all__ = ["write_sync", "iter_changes", "SyncCounts", "CHANGES_PAGE"]

#: Changes read back per query (`iter_changes`).
CHANGES_PAGE = 500
_VERSION = ("raw_status", "updated_at", "ended_at", "message")


@attrs.define
class SyncCounts:
    """What one sync wrote: its `syncs` row, and its changes by kind."""

    sync_id: int
    started_at: _dt.datetime
    finished_at: Optional[_dt.datetime] = None
    streams_answered: int = 0
    streams_skipped: int = 0
    streams_failed: int = 0
    jobs_seen: int = 0
    changes: int = 0
    complete: bool = True
    by_kind: Dict[str, int] = attrs.field(factory=dict)


def _stored() -> Any:
    """`jobs` as the stored side of the comparison."""
    return jobs.alias("stored")


def _not_newer(j: Any, at: _dt.datetime) -> Any:
    """The stored job (if any) was not observed by a sync that started after `at`."""
    return or_(j.c.service.is_(None), and_(j.c.last_seen_at <= at, or_(j.c.gone_at.is_(None), j.c.gone_at <= at)))


def _listed_again(j: Any) -> Any:
    return or_(j.c.service.is_(None), j.c.gone_at.is_not(None))


def _listing_order(ordered: bool) -> List[Any]:
    if ordered:
        return [stage.c.pos]
    return [stage.c.created_at.desc(), stage.c.service, stage.c.job_id]  # the contract's order


def _record_listed(conn: Connection, sync_id: int, at: _dt.datetime, ordered: bool) -> None:
    """`new` and `status` changes of the listed jobs, in listing order."""
    j = _stored()
    again = _listed_again(j)
    query = (select(literal(sync_id, Integer), literal(at, UTCDateTime), stage.c.service, stage.c.job_id,
                    case((again, literal("new", String)), else_=literal("status", String)),
                    case((again, null()), else_=j.c.status), stage.c.status)
             .select_from(stage.outerjoin(j, and_(j.c.service == stage.c.service, j.c.job_id == stage.c.job_id)))
             .where(_not_newer(j, at), or_(again, j.c.status != stage.c.status))
             .order_by(*_listing_order(ordered)))
    names = ["sync_id", "observed_at", "service", "job_id", "kind", "from_status", "to_status"]
    conn.execute(insert(job_changes).from_select(names, query))


def _same_stream(conn: Connection, j: Any) -> Any:
    s = whole_streams.c
    if conn.dialect.name == "sqlite":  # SQLite's IS finds rows through the stream index
        account = j.c.account_id.is_not_distinct_from(s.account_id)
        region = j.c.region.is_not_distinct_from(s.region)
    else:  # PostgreSQL joins equalities (a hash join), not IS NOT DISTINCT FROM
        account = func.coalesce(j.c.account_id, "") == func.coalesce(s.account_id, "")
        region = func.coalesce(j.c.region, "") == func.coalesce(s.region, "")
    return and_(account, region, j.c.service == s.service, j.c.operation == s.operation)


def _record_gone(conn: Connection, sync_id: int, at: _dt.datetime) -> None:
    """`gone` changes (by key) of the stored jobs of streams listed whole that this sync did not list."""
    j = _stored()
    listed = exists().where(stage.c.service == j.c.service, stage.c.job_id == j.c.job_id)
    query = (select(literal(sync_id, Integer), literal(at, UTCDateTime), j.c.service, j.c.job_id,
                    literal("gone", String), j.c.status, null())
             .select_from(j.join(whole_streams, _same_stream(conn, j)))
             .where(j.c.gone_at.is_(None), j.c.last_seen_at <= at, ~listed)
             .order_by(j.c.service, j.c.job_id))
    names = ["sync_id", "observed_at", "service", "job_id", "kind", "from_status", "to_status"]
    conn.execute(insert(job_changes).from_select(names, query))
    gone = select(job_changes.c.service, job_changes.c.job_id).where(job_changes.c.sync_id == sync_id,
                                                                     job_changes.c.kind == "gone")
    conn.execute(update(jobs).where(tuple_(jobs.c.service, jobs.c.job_id).in_(gone)).values(gone_at=at))


def _upsert(conn: Connection, sync_id: int, at: _dt.datetime) -> None:
    """Write the listed jobs that are new or changed, whole."""
    j = _stored()
    changed = or_(_listed_again(j), j.c.status != stage.c.status,
                  *[j.c[name].is_distinct_from(stage.c[name]) for name in _VERSION])
    query = (select(*[stage.c[name] for name in JOB_COLUMNS], literal(at, UTCDateTime), literal(at, UTCDateTime),
                    null(), literal(sync_id, Integer))
             .select_from(stage.outerjoin(j, and_(j.c.service == stage.c.service, j.c.job_id == stage.c.job_id)))
             .where(_not_newer(j, at), changed))
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    names = list(JOB_COLUMNS) + ["first_seen_at", "last_seen_at", "gone_at", "last_sync_id"]
    statement = dialect.insert(jobs).from_select(names, query)
    kept = set(JOB_COLUMNS) | {"last_seen_at", "gone_at", "last_sync_id"}
    statement = statement.on_conflict_do_update(
        index_elements=[jobs.c.service, jobs.c.job_id],
        set_={name: statement.excluded[name] for name in sorted(kept)},
    )
    conn.execute(statement)


def _touch(conn: Connection, sync_id: int, at: _dt.datetime) -> None:
    """last_seen_at of the listed jobs not written above (never moved back)."""
    conn.execute(update(jobs)
                 .where(jobs.c.service == stage.c.service, jobs.c.job_id == stage.c.job_id,
                        jobs.c.last_sync_id != sync_id, jobs.c.gone_at.is_(None), jobs.c.last_seen_at <= at)
                 .values(last_seen_at=at, last_sync_id=sync_id))


def _stream_rows(sync_id: int, streams: Sequence[StreamResult]) -> List[Dict[str, Any]]:
    """sync_streams rows: a failed stream's error; a skipped stream's reason as its error_message."""
    return [{
        "sync_id": sync_id, "account_id": s.account, "region": s.region, "service": s.service,
        "operation": s.operation, "state": s.state, "jobs": s.jobs,
        "error_kind": s.error.kind if s.error is not None else None,
        "error_message": s.error.message if s.error is not None else s.reason,
    } for s in streams]


def _begin(conn: Connection, started_at: _dt.datetime) -> int:
    placeholder = {"started_at": started_at, "finished_at": started_at, "streams_answered": 0,
                   "streams_skipped": 0, "streams_failed": 0, "jobs_seen": 0, "changes": 0, "complete": False}
    return conn.execute(insert(syncs).values(**placeholder)).inserted_primary_key[0]


def write_sync(conn: Connection, listed: Stage, streams: Sequence[StreamResult], *, complete: bool,
               filtered: bool, started_at: _dt.datetime) -> SyncCounts:
    """Write one sync of the staged jobs in `conn`'s (locked) transaction; return its counts.

    streams: the collection's streams (the selection: only answered ones can
    mark a job gone). filtered: the jobs were collected with a filter
    (statuses, since, until, name_contains), so no stream was listed whole:
    nothing is gone. started_at: when the collection started; a job stored
    as observed after it (by a sync that started later) is left as it is.
    """
    sync_id = _begin(conn, started_at)
    _record_listed(conn, sync_id, started_at, listed.ordered)
    if not filtered:
        listed.add_whole_streams(sorted({(s.account, s.region, s.service, s.operation)
                                         for s in streams if s.state == "answered"}, key=str))
        _record_gone(conn, sync_id, started_at)
    _upsert(conn, sync_id, started_at)
    _touch(conn, sync_id, started_at)
    if streams:
        conn.execute(insert(sync_streams), _stream_rows(sync_id, streams))
    by_kind = {kind: 0 for kind in ("new", "status", "gone")}
    by_kind.update(conn.execute(select(job_changes.c.kind, func.count()).where(job_changes.c.sync_id == sync_id)
                                .group_by(job_changes.c.kind)).all())
    jobs_seen = conn.execute(select(func.count()).select_from(stage)).scalar_one()
    counts = SyncCounts(sync_id, started_at, _dt.datetime.now(_dt.timezone.utc), jobs_seen=jobs_seen,
                        changes=sum(by_kind.values()), complete=complete, by_kind=by_kind)
    for s in streams:
        setattr(counts, f"streams_{s.state}", getattr(counts, f"streams_{s.state}") + 1)
    conn.execute(update(syncs).where(syncs.c.sync_id == sync_id).values(
        **{name: getattr(counts, name) for name in ("finished_at", "streams_answered", "streams_skipped",
                                                     "streams_failed", "jobs_seen", "changes", "complete")}))
    return counts


def iter_changes(conn: Connection, sync_id: int) -> Iterator[Change]:
    """The changes of sync `sync_id` in change_id order, each with its job as stored now; a page per query."""
    c = job_changes.c
    columns = [c.change_id, c.sync_id, c.observed_at, c.kind, c.from_status, c.to_status]
    columns += [jobs.c[name].label(f"job_{name}") for name in JOB_COLUMNS]
    after = 0
    while True:
        rows = conn.execute(select(*columns)
                            .select_from(job_changes.join(jobs, and_(jobs.c.service == c.service,
                                                                     jobs.c.job_id == c.job_id)))
                            .where(c.sync_id == sync_id, c.change_id > after)
                            .order_by(c.change_id).limit(CHANGES_PAGE)).mappings().all()
        for row in rows:
            job = job_from_row({name: row[f"job_{name}"] for name in JOB_COLUMNS})
            yield Change(row["change_id"], row["sync_id"], row["observed_at"], job.service, job.job_id, row["kind"],
                         row["from_status"], row["to_status"], job=job)
        if len(rows) < CHANGES_PAGE:
            return
        after = rows[-1]["change_id"]
