"""The kept inventory: a database of every job ever seen and every change, brought up to date by syncs.

Needs the `store` extra (SQLAlchemy 2 Core + Alembic); PostgreSQL also the
`postgres` extra (psycopg 3). Tables and columns are public (tables.py,
../shared/CONTRACT.md "Keeping the inventory").

    from jobinventory.store import open_store

    with open_store("sqlite:///inventory.db") as store:   # None: $JOBINVENTORY_DB, else the default file
        result = store.collect_and_sync(regions=["us-east-1"])   # collect()'s arguments
        for change in result.changes:                            # new / status / gone, in write order
            print(change.kind, change.job_id, change.from_status, change.to_status)
        recent = store.changes(since=a_datetime, kinds=["status"], statuses=["FAILED"], limit=50)

API (stable: other modules build on it):
- `open_store(url=None) -> Store`: creates or upgrades the schema in place
  (Alembic, migrations in the package). `NotAStoreError` (a file or database
  that is not a store) and `SchemaTooNewError` (written by a newer
  jobinventory) change nothing; both are `StoreError`, a JobInventoryError.
  `MissingExtraError` (a ConfigurationError) names the extra to install.
- `Store.engine`: the SQLAlchemy Engine (read the tables of
  `jobinventory.store.tables` with Core; write only through `sync`).
  `Store.url`, `Store.revision`, `Store.close()`, `with Store: ...`.
- `Store.sync(inventory, *, filtered, keep_changes=True) -> SyncResult`:
  `inventory` an Inventory or the JobIterator of `iter_jobs` (its jobs are
  staged in a TEMP table as they are collected, never all in memory). One
  transaction, holding the store's write lock (engine.write_transaction:
  SQLite BEGIN IMMEDIATE in WAL mode, PostgreSQL pg_advisory_xact_lock), so
  concurrent syncs run one after the other; it compares and writes with
  set-based SQL. `filtered=True` when collected with
  statuses/since/until/name_contains: then nothing is marked gone. The
  selection is `inventory.streams`. `keep_changes=False`: no Change objects
  (`SyncResult.counts` still counts them by kind).
- `Store.sync(..., notify=Notifier)` / `collect_and_sync(..., notify=)`: the
  sync's changes also go to the notifier's targets, through the outbox
  table `deliveries` (jobinventory.notify.outbox); `SyncResult.notifications`.
- `Store.collect_and_sync(session=None, **collect_kwargs) -> SyncResult` and
  `collect_and_sync(url=None, session=None, **collect_kwargs)`: collect
  (`iter_jobs`, staged as it goes) outside the transaction, then sync;
  `filtered` follows from the arguments.
- `Store.changes(since=None, kinds=None, statuses=None, limit=None) -> list[Change]`:
  newest first (change_id descending); statuses match `to_status`.
- `Store.inventory() -> Inventory`: the jobs listed now (gone_at NULL),
  newest first, with the last sync's streams and errors (collected_at: its
  start); `Store.history(now=None, days=30) -> history.History`: failures
  per day by service and durations per job type (what `report --db` draws).
- A stored job is rewritten when its status, raw_status, updated_at,
  ended_at or message changed; otherwise only last_seen_at moves (in bulk,
  per stream).
- `Change` (frozen attrs): change_id, sync_id, observed_at, service, job_id,
  kind ('new' | 'status' | 'gone'), from_status, to_status (JobStatus values
  or None), job (the Job as stored now). A job listed again after being gone
  gets a 'new' change (from_status None) and its gone_at cleared.
- `SyncResult` (frozen attrs): sync_id, started_at, finished_at, changes
  (list of Change, in change_id order: new and status changes in the
  inventory's order, newest first for an iter_jobs collection, then gone
  ones by key), streams_answered, streams_skipped, streams_failed,
  jobs_seen, complete, errors (the inventory's CollectionErrors), counts
  (changes by kind). sync_streams keeps a skipped stream's reason in
  error_message (error_kind NULL).
- `engine.write_transaction(engine)`: a context manager yielding a
  Connection in one transaction holding the same write lock, for modules
  that keep their own tables in the store (e.g. an outbox) in step with syncs.
"""
from __future__ import annotations

import importlib
import importlib.util
from typing import Any

from .errors import MissingExtraError, NotAStoreError, SchemaTooNewError, StoreError

__all__ = [
    "open_store",
    "collect_and_sync",
    "Store",
    "Change",
    "SyncResult",
    "StoreError",
    "NotAStoreError",
    "SchemaTooNewError",
    "MissingExtraError",
]

_LAZY = {
    "open_store": "store", "collect_and_sync": "store", "Store": "store",
    "Change": "records", "SyncResult": "records",
}


def require_extra() -> None:
    """MissingExtraError unless SQLAlchemy and Alembic are importable."""
    try:
        importlib.import_module("sqlalchemy")
        if importlib.util.find_spec("alembic") is None:  # found, not imported: a store at its head needs no Alembic
            raise ImportError("No module named 'alembic'")
    except ImportError as exc:
        raise MissingExtraError(
            f"the store needs SQLAlchemy and Alembic ({exc}): pip install 'jobinventory[store]'"
        ) from None


def __getattr__(name: str) -> Any:
    # SQLAlchemy loads only when the store is used, and its absence is one clear error.
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'jobinventory.store' has no attribute {name!r}")
    if module == "store":
        require_extra()
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
