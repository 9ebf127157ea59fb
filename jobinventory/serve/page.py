"""`/` of `serve`: the HTML report of the store, rendered once per sync.

The page is rendered on the first request after a sync and kept until the
next one, so a dashboard left open on it costs one render per interval.
"""
from __future__ import annotations

import threading
from typing import Any, Callable, Optional, Tuple

from .state import Snapshot

__all__ = ["PageCache", "render_store_page"]


def render_store_page(engine: Any) -> str:
    """The store as the report's HTML page: the jobs listed now, and the last sync's streams."""
    from sqlalchemy import func, select

    from ..report import render_report
    from ..store.engine import read_transaction
    from ..store.records import job_from_row
    from ..store.tables import jobs, sync_streams, syncs

    with read_transaction(engine) as conn:
        listed = [job_from_row(row) for row in
                  conn.execute(select(jobs).where(jobs.c.gone_at.is_(None))).mappings()]
        last = conn.execute(select(func.max(syncs.c.sync_id))).scalar()
        finished = conn.execute(select(syncs.c.finished_at).where(syncs.c.sync_id == last)).scalar()
        streams = [_stream(row) for row in
                   conn.execute(select(sync_streams).where(sync_streams.c.sync_id == last)).mappings()]
    return render_report(listed, streams=streams, errors=[s.error for s in streams if s.error is not None],
                         title="jobinventory: the store", now=finished)


def _stream(row: Any) -> Any:
    from ..errors import ERROR_KINDS, CollectionError
    from ..inventory import StreamResult

    error = None
    if row["state"] == "failed":
        kind = row["error_kind"] if row["error_kind"] in ERROR_KINDS else "other"
        error = CollectionError(row["account_id"], row["region"], row["service"], row["operation"], kind,
                                row["error_message"] or "")
    return StreamResult(account=row["account_id"], region=row["region"], service=row["service"],
                        operation=row["operation"], state=row["state"], jobs=row["jobs"], error=error)


class PageCache:
    """The page of the latest snapshot; `render(engine)` makes it when the snapshot changed."""

    def __init__(self, engine: Any, snapshot: Callable[[], Optional[Snapshot]],
                 render: Callable[[Any], str] = render_store_page) -> None:
        self._engine = engine
        self._snapshot = snapshot
        self._render = render
        self._lock = threading.Lock()
        self._key: Optional[Tuple[Any, ...]] = None
        self._page = ""

    def page(self) -> Optional[str]:
        """The page, or None while the store holds no finished sync."""
        snap = self._snapshot()
        if snap is None or snap.last_sync is None:
            return None
        key = (snap.last_sync.sync_id, snap.last_change_id)
        with self._lock:  # one render at a time; the others wait for it
            if key != self._key:
                self._page = self._render(self._engine)
                self._key = key
            return self._page
