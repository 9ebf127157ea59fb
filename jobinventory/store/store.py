"""`open_store` and `Store`: the kept inventory behind one SQLAlchemy engine."""
from __future__ import annotations

import datetime as _dt
from typing import Any, Dict, List, Optional, Tuple

from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from ..inventory import Inventory
from .engine import locked, make_engine, read_transaction, resolve_url, small_cache
from .errors import StoreError
from .queries import read_changes
from .records import Change, SyncResult
from .schema import upgrade
from .staging import staged
from .sync import iter_changes, write_sync

__all__ = ["Store", "open_store", "collect_and_sync", "FILTER_ARGUMENTS"]

#: collect's arguments that filter: a sync given any of them lists no stream whole.
FILTER_ARGUMENTS = ("statuses", "since", "until", "name_contains")


class Store:
    """An open store. Build it with `open_store`; close it (or use `with`) when done."""

    def __init__(self, engine: Engine, revision: str) -> None:
        self.engine = engine
        #: The schema revision (Alembic) the store is at.
        self.revision = revision

    @property
    def url(self) -> str:
        """The store's URL, password hidden."""
        return self.engine.url.render_as_string(hide_password=True)

    def sync(self, inventory: Any, *, filtered: bool, notify: Any = None, keep_changes: bool = True) -> SyncResult:
        """Bring the store up to date with `inventory`, in one transaction; return what changed.

        inventory: an Inventory, or the JobIterator of `iter_jobs` (its jobs
        are then written to a stage as they are collected, before the
        transaction, and never held in memory at once).
        filtered: True when the inventory was collected with a filter
        (statuses, since, until, name_contains): then no job is marked gone.
        The selection is `inventory.streams`: only its answered streams can
        mark a job gone. Waits for another sync of the same store to finish;
        a job that a sync started later (a later `collected_at`) has already
        written is left as that sync wrote it.
        notify: a `jobinventory.notify.Notifier`: its deliveries are written
        in the sync's transaction, then sent once it is committed (with what
        earlier syncs left undelivered); `SyncResult.notifications` reports them.
        keep_changes: False leaves `SyncResult.changes` empty (`counts` still
        says how many of each kind): a first sync of a million jobs has a
        million changes.
        """
        ordered = isinstance(inventory, Inventory)
        started_at = inventory.collected_at or _dt.datetime.now(_dt.timezone.utc)
        try:
            with self.engine.connect() as conn, small_cache(conn), staged(conn, ordered=ordered) as stage:
                stage.add(inventory.jobs if ordered else inventory)  # the collection, for a JobIterator
                stage.close()
                streams, complete = list(inventory.streams), inventory.complete  # known once collected
                with locked(conn):
                    counts = write_sync(conn, stage, streams, complete=complete, filtered=bool(filtered),
                                        started_at=started_at)
                    if notify is not None:
                        notify.enqueue(conn, counts.sync_id, iter_changes(conn, counts.sync_id))
                    changes = list(iter_changes(conn, counts.sync_id)) if keep_changes else []
        except DBAPIError as exc:
            raise StoreError(f"the sync could not be written to {self.url}: {_first_line(exc)}") from None
        assert counts.finished_at is not None
        notifications = notify.deliver(self) if notify is not None else []
        return SyncResult(
            sync_id=counts.sync_id, started_at=counts.started_at, finished_at=counts.finished_at,
            changes=changes, streams_answered=counts.streams_answered,
            streams_skipped=counts.streams_skipped, streams_failed=counts.streams_failed,
            jobs_seen=counts.jobs_seen, complete=counts.complete, errors=list(inventory.errors),
            notifications=notifications, counts=counts.by_kind,
        )

    def collect_and_sync(self, session: Any = None, *, notify: Any = None, keep_changes: bool = True,
                         **collect_kwargs: Any) -> SyncResult:
        """`jobinventory.iter_jobs(session, **collect_kwargs)` into `sync` (filtered when a filter is given).

        The jobs are staged as they are collected; the store's transaction
        begins once the collection is over, so a slow AWS never holds the
        store's write lock.
        """
        from ..collector import iter_jobs

        if "expected_pages" not in collect_kwargs:
            # The longest streams of the last sync start first.
            collect_kwargs["expected_pages"] = self.expected_pages()
        filtered = any(collect_kwargs.get(name) is not None for name in FILTER_ARGUMENTS)
        with iter_jobs(session, **collect_kwargs) as jobs:
            return self.sync(jobs, filtered=filtered, notify=notify, keep_changes=keep_changes)

    def expected_pages(self) -> Dict[Tuple[str, str, str, str], int]:
        """The pages each stream of the last sync took, as near as its jobs tell (collect's `expected_pages`)."""
        from .current import last_stream_jobs

        with read_transaction(self.engine) as conn:
            found = last_stream_jobs(conn)
        return {key: _pages(key[2], key[3], jobs) for key, jobs in found.items()}

    def changes(self, since: Optional[_dt.datetime] = None, kinds: Any = None, statuses: Any = None,
                limit: Optional[int] = None) -> List[Change]:
        """Changes newest first: observed at or after `since`, of these kinds, into these statuses."""
        with read_transaction(self.engine) as conn:
            return read_changes(conn, since=since, kinds=kinds, statuses=statuses, limit=limit)

    def inventory(self) -> Inventory:
        """The jobs listed now (not gone), newest first, with the last sync's streams, errors and start."""
        from .current import read_inventory

        with read_transaction(self.engine) as conn:
            return read_inventory(conn)

    def history(self, now: Optional[_dt.datetime] = None, days: int = 30) -> Any:
        """Failures per day over `days` days by service, and durations per job type (store.history.History)."""
        from .history import read_history

        with read_transaction(self.engine) as conn:
            return read_history(conn, now=now, days=days)

    def close(self) -> None:
        """Release the engine's connections."""
        self.engine.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.url!r}, revision={self.revision!r})"


def _first_line(exc: DBAPIError) -> str:
    return str(exc.orig if exc.orig is not None else exc).strip().splitlines()[0]


def open_store(url: Optional[str] = None) -> Store:
    """Open (creating or upgrading in place) the store at `url`.

    url: an SQLAlchemy URL (sqlite:///path, postgresql+psycopg://...); None
    for $JOBINVENTORY_DB, else the default SQLite file
    ($XDG_DATA_HOME or ~/.local/share)/jobinventory/inventory.db.
    Raises NotAStoreError, SchemaTooNewError (nothing changed), StoreError,
    MissingExtraError.
    """
    engine = make_engine(resolve_url(url))
    try:
        revision = upgrade(engine)
    except BaseException:
        engine.dispose()
        raise
    return Store(engine, revision)


def collect_and_sync(url: Optional[str] = None, session: Any = None, **collect_kwargs: Any) -> SyncResult:
    """Open the store at `url`, collect with `collect`'s arguments, sync, close."""
    with open_store(url) as store:
        return store.collect_and_sync(session, **collect_kwargs)


def _pages(service: str, operation: str, jobs: int) -> int:
    """Pages of a stream of `jobs` at the operation's page size (one when it is empty)."""
    from ..paging import page_plan

    try:
        size = page_plan(service, operation).page_size or 100
    except Exception:  # noqa: BLE001 - an operation no longer covered: a rough guess is enough
        size = 100
    return max(1, -(-jobs // size))
