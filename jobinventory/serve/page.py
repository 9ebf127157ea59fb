"""`/` of `serve`: the HTML report of the store (`jobinventory report --db`), rendered once per sync.

The page is rendered on the first request after a sync and kept until the
next one, so a dashboard left open on it costs one render per interval.
"""
from __future__ import annotations

import threading
from typing import Any, Callable, Optional, Tuple

from .state import Snapshot

__all__ = ["PageCache", "render_store_page"]


def render_store_page(store: Any) -> str:
    """The store's page: the jobs listed now, the last sync's streams, and the history charts."""
    from ..report.store import render_store

    return render_store(store, title="jobinventory serve")


class PageCache:
    """The page of the latest snapshot; `page()` renders it when the snapshot changed."""

    def __init__(self, store: Any, snapshot: Callable[[], Optional[Snapshot]],
                 render: Callable[[Any], str] = render_store_page) -> None:
        self._store = store
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
                self._page = self._render(self._store)
                self._key = key
            return self._page
