"""What `serve` publishes, read from the store after each sync: a `Snapshot`.

A snapshot is plain, immutable data; scrapes and the health check read the
latest one and never touch the database. `read_snapshot(engine, previous)`
reads the store in one read transaction:

- jobs listed now (not gone), by stream and unified status;
- changes into each status, from `job_changes` (so they survive restarts),
  added to the previous snapshot's counts from the rows after its last
  `change_id` (a scrape-sized read, whatever the history's length);
- the creation time of the oldest active job of each stream;
- the failed streams of the last sync, by error kind;
- the last sync's row;
- for `jobinventory_job_info`, the active jobs and those failed in the
  last 24 hours, newest first, at most `INFO_LIMIT` (a bounded series).

A stream's labels are (service, operation, region, account_id), with ''
for a region or account the record does not have.
"""
from __future__ import annotations

import datetime as _dt
from typing import Any, Dict, Mapping, Optional, Tuple

import attrs

from ..model import JobStatus

__all__ = ["Snapshot", "LastSync", "JobInfo", "read_snapshot", "STREAM_LABELS", "ACTIVE_STATUSES", "INFO_LIMIT"]

#: A stream's label names, in the order of its key tuples.
STREAM_LABELS = ("service", "operation", "region", "account_id")
StreamKey = Tuple[str, str, str, str]

ACTIVE_STATUSES = tuple(s.value for s in JobStatus if s.is_active)

#: At most this many jobs get a `jobinventory_job_info` series.
INFO_LIMIT = 100
#: Failed jobs keep their info series this long after they failed.
RECENT_FAILURE = _dt.timedelta(hours=24)


@attrs.frozen
class JobInfo:
    """One job of `jobinventory_job_info`: active, or failed lately."""

    stream: Tuple[str, str, str, str]
    job_id: str
    name: str
    status: str


@attrs.frozen
class LastSync:
    """The last finished sync's row in `syncs`."""

    sync_id: int
    started_at: _dt.datetime
    finished_at: _dt.datetime
    streams_failed: int
    complete: bool

    @property
    def duration_seconds(self) -> float:
        return (self.finished_at - self.started_at).total_seconds()


@attrs.frozen
class Snapshot:
    """The store's state after one sync, for the metrics, the page and the health check."""

    #: None until the store holds a finished sync.
    last_sync: Optional[LastSync]
    #: Every stream that ever held a job (its series are published with zeros too).
    streams: Tuple[StreamKey, ...]
    #: (stream, status) -> jobs listed now.
    jobs: Mapping[Tuple[StreamKey, str], int]
    #: (stream, status) -> changes into that status, ever.
    changes: Mapping[Tuple[StreamKey, str], int]
    #: stream -> creation time of its oldest active job.
    oldest_active: Mapping[StreamKey, _dt.datetime]
    #: (stream, error kind) -> failed streams of the last sync.
    stream_failures: Mapping[Tuple[StreamKey, str], int]
    #: The last job_changes row counted.
    last_change_id: int = 0
    #: Active and lately failed jobs, newest first, at most INFO_LIMIT.
    info: Tuple[JobInfo, ...] = ()


def _key(row: Any) -> StreamKey:
    return (row.service, row.operation, row.region or "", row.account_id or "")


def read_snapshot(engine: Any, previous: Optional[Snapshot] = None, *, now: Optional[_dt.datetime] = None) -> Snapshot:
    """The store's state now; `previous` (an earlier snapshot of the same store) saves re-counting history.

    `now` (default: the clock) dates "failed in the last 24 hours" for the info series.
    """
    from ..store.engine import read_transaction

    with read_transaction(engine) as conn:
        last = _last_sync(conn)
        streams, jobs, oldest = _jobs(conn)
        changes, last_change_id = _changes(conn, previous)
        failures = _failures(conn, last.sync_id) if last else {}
        info = _info(conn, (now or _dt.datetime.now(_dt.timezone.utc)) - RECENT_FAILURE)
    return Snapshot(last_sync=last, streams=streams, jobs=jobs, changes=changes, oldest_active=oldest,
                    stream_failures=failures, last_change_id=last_change_id, info=info)


def _last_sync(conn: Any) -> Optional[LastSync]:
    from sqlalchemy import select

    from ..store.tables import syncs

    row = conn.execute(select(syncs).order_by(syncs.c.sync_id.desc()).limit(1)).first()
    if row is None:
        return None
    return LastSync(sync_id=row.sync_id, started_at=row.started_at, finished_at=row.finished_at,
                    streams_failed=row.streams_failed, complete=bool(row.complete))


def _jobs(conn: Any) -> Tuple[Tuple[StreamKey, ...], Dict[Tuple[StreamKey, str], int], Dict[StreamKey, Any]]:
    from sqlalchemy import func, select

    from ..store.tables import jobs

    stream_columns = [jobs.c[name] for name in STREAM_LABELS]
    listed = jobs.c.gone_at.is_(None)
    query = (select(*stream_columns, jobs.c.status, func.count().label("n"),
                    func.count().filter(listed).label("listed"),
                    func.min(jobs.c.created_at).filter(listed).label("oldest"))
             .group_by(*stream_columns, jobs.c.status))
    streams, counts, oldest = set(), {}, {}
    for row in conn.execute(query):
        key = _key(row)
        streams.add(key)
        if row.listed:
            counts[(key, row.status)] = row.listed
            if row.status in ACTIVE_STATUSES and row.oldest is not None:
                oldest[key] = min(oldest.get(key, row.oldest), _aware(row.oldest))
    return tuple(sorted(streams)), counts, oldest


def _changes(conn: Any, previous: Optional[Snapshot]) -> Tuple[Dict[Tuple[StreamKey, str], int], int]:
    from sqlalchemy import func, select

    from ..store.tables import job_changes, jobs

    counts = dict(previous.changes) if previous else {}
    after = previous.last_change_id if previous else 0
    # The mark first, then the rows up to it: a sync committing meanwhile is counted next time.
    top = conn.execute(select(func.max(job_changes.c.change_id))).scalar() or 0
    if top <= after:
        return counts, after
    stream_columns = [jobs.c[name] for name in STREAM_LABELS]
    query = (select(*stream_columns, job_changes.c.to_status, func.count().label("n"))
             .join(jobs, (jobs.c.service == job_changes.c.service) & (jobs.c.job_id == job_changes.c.job_id))
             .where(job_changes.c.change_id > after, job_changes.c.change_id <= top,
                    job_changes.c.kind.in_(("new", "status")), job_changes.c.to_status.is_not(None))
             .group_by(*stream_columns, job_changes.c.to_status))
    for row in conn.execute(query):
        key = (_key(row), row.to_status)
        counts[key] = counts.get(key, 0) + row.n
    return counts, top


def _failures(conn: Any, sync_id: int) -> Dict[Tuple[StreamKey, str], int]:
    from sqlalchemy import func, select

    from ..store.tables import sync_streams

    stream_columns = [sync_streams.c[name] for name in STREAM_LABELS]
    query = (select(*stream_columns, sync_streams.c.error_kind, func.count().label("n"))
             .where(sync_streams.c.sync_id == sync_id, sync_streams.c.state == "failed")
             .group_by(*stream_columns, sync_streams.c.error_kind))
    return {(_key(row), row.error_kind or "unknown"): row.n for row in conn.execute(query)}


def _info(conn: Any, cutoff: _dt.datetime) -> Tuple[JobInfo, ...]:
    from sqlalchemy import or_, select

    from ..store.tables import jobs

    lately = or_(jobs.c.ended_at >= cutoff, jobs.c.updated_at >= cutoff, jobs.c.created_at >= cutoff)
    query = (select(*[jobs.c[name] for name in STREAM_LABELS], jobs.c.job_id, jobs.c.name, jobs.c.status)
             .where(jobs.c.gone_at.is_(None),
                    or_(jobs.c.status.in_(ACTIVE_STATUSES), (jobs.c.status == JobStatus.FAILED.value) & lately))
             .order_by(jobs.c.created_at.desc(), jobs.c.service, jobs.c.job_id)
             .limit(INFO_LIMIT))
    return tuple(JobInfo(_key(row), row.job_id, row.name or "", row.status) for row in conn.execute(query))


def _aware(value: _dt.datetime) -> _dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=_dt.timezone.utc)
