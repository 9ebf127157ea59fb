"""The report of a store: the jobs listed now and the last sync's streams, plus the history section."""
from __future__ import annotations

import datetime as _dt
from typing import Any, Optional

__all__ = ["render_store"]


def render_store(store: Any, *, title: Optional[str] = None, now: Optional[_dt.datetime] = None) -> str:
    """One HTML page of `store` (a jobinventory.store.Store): `render_report` with its history.

    The inventory is the jobs not gone, with the streams of the last sync;
    `now` (default: the clock) anchors the 30 days of failures.
    """
    from . import render_report

    inventory = store.inventory()
    history = store.history(now=now)
    return render_report(inventory, history=history, title=title, now=now)
