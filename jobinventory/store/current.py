"""The store as an Inventory: the jobs listed now, and the streams of the last sync."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from ..errors import CollectionError
from ..inventory import Inventory, StreamResult, sort_jobs
from .records import JOB_COLUMNS, job_from_row
from .tables import jobs, sync_streams, syncs

__all__ = ["read_inventory", "last_sync_id", "last_stream_jobs"]


def last_sync_id(conn: Connection) -> Optional[int]:
    """The id of the newest finished sync, None before the first."""
    return conn.execute(select(func.max(syncs.c.sync_id))).scalar_one()


def last_stream_jobs(conn: Connection) -> Dict[Tuple[str, str, str, str], int]:
    """(account_id, region, service, operation) -> jobs of each stream the last sync answered."""
    sync_id = last_sync_id(conn)
    if sync_id is None:
        return {}
    rows = conn.execute(select(sync_streams.c.account_id, sync_streams.c.region, sync_streams.c.service,
                               sync_streams.c.operation, sync_streams.c.jobs)
                        .where(sync_streams.c.sync_id == sync_id, sync_streams.c.state == "answered"))
    return {(r.account_id or "", r.region, r.service, r.operation): r.jobs for r in rows}


def _stream(row: Any) -> StreamResult:
    error = None
    if row.error_kind is not None:
        error = CollectionError(row.account_id, row.region, row.service, row.operation, row.error_kind,
                                row.error_message or "")
    reason = row.error_message if row.state == "skipped" else None
    return StreamResult(row.account_id, row.region, row.service, row.operation, row.state, jobs=row.jobs,
                        reason=reason, error=error)


def read_inventory(conn: Connection) -> Inventory:
    """Jobs not gone (newest first), with the last sync's streams, errors and start time.

    An empty Inventory (no streams, collected_at None) before the first sync.
    """
    listed = sort_jobs(job_from_row(row) for row in conn.execute(
        select(*[jobs.c[name] for name in JOB_COLUMNS]).where(jobs.c.gone_at.is_(None))).mappings())
    sync_id = last_sync_id(conn)
    if sync_id is None:
        return Inventory(jobs=listed)
    started = conn.execute(select(syncs.c.started_at).where(syncs.c.sync_id == sync_id)).scalar_one()
    streams: List[StreamResult] = [_stream(row) for row in conn.execute(
        select(sync_streams).where(sync_streams.c.sync_id == sync_id)
        .order_by(sync_streams.c.account_id, sync_streams.c.region, sync_streams.c.service,
                  sync_streams.c.operation))]
    errors = [s.error for s in streams if s.error is not None]
    return Inventory(jobs=listed, errors=errors, streams=streams, collected_at=started)
