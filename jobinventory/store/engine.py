"""The store's URL and engine: one code path for SQLite and PostgreSQL, and the write lock.

A sync writes in one transaction that holds the store's write lock from its
first statement: SQLite opens it with BEGIN IMMEDIATE (in WAL mode, with a
busy timeout, so readers are never blocked and a second writer waits);
PostgreSQL takes a transaction-scoped advisory lock. Two syncs on one store
therefore run one after the other, each reading what the other committed.
"""
from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any, Iterator, Optional

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from .errors import MissingExtraError, StoreError

__all__ = ["ENV_VAR", "default_path", "resolve_url", "make_engine", "write_transaction", "read_transaction",
           "BUSY_TIMEOUT_SECONDS", "LOCK_KEY", "locked", "small_cache"]

#: The environment variable naming the store when no URL is given.
ENV_VAR = "JOBINVENTORY_DB"
#: How long an SQLite writer waits for another (a sync of 100,000 jobs takes seconds).
BUSY_TIMEOUT_SECONDS = 600
#: The PostgreSQL advisory lock key of a store's writers (any fixed 64-bit number).
LOCK_KEY = 0x6A6F62696E76  # "jobinv"
_WRITE = "jobinventory_write"
#: SQLite's page cache per connection, and a sync's (its memory follows a batch, not the store: the
#: pages it leaves, written to the WAL early if need be, are in the system's file cache).
CACHE_KB = 65536
SYNC_CACHE_KB = 4096


def default_path() -> Path:
    """$XDG_DATA_HOME/jobinventory/inventory.db (XDG_DATA_HOME defaults to ~/.local/share)."""
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "jobinventory" / "inventory.db"


def resolve_url(url: Optional[str] = None) -> str:
    """The URL given, else $JOBINVENTORY_DB, else the default SQLite file (its directory made)."""
    if url:
        return str(url)
    env = os.environ.get(ENV_VAR)
    if env:
        return env
    path = default_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def make_engine(url: str) -> Engine:
    """An engine for `url`; StoreError for a URL SQLAlchemy cannot use, naming the extra if a driver is missing."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(f"not a database URL: {url!r} (e.g. sqlite:///path/inventory.db or "
                         "postgresql+psycopg://user@host/db)") from None
    backend = parsed.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise StoreError(f"unsupported database {backend!r} in {url!r}: use sqlite or postgresql")
    try:
        if backend == "sqlite":
            return _sqlite_engine(parsed)
        return create_engine(parsed, pool_pre_ping=True)
    except (ImportError, NoSuchModuleError) as exc:
        raise MissingExtraError(
            f"the driver for {parsed.drivername!r} is not installed ({exc}); "
            "install it with: pip install 'jobinventory[postgres]'"
        ) from None


def _sqlite_engine(parsed: Any) -> Engine:
    database = parsed.database
    if database and database != ":memory:" and not database.startswith("file:"):
        folder = Path(database).expanduser().parent
        if not folder.is_dir():
            raise StoreError(f"no such directory for the store: {folder}")
    engine = create_engine(parsed, connect_args={"timeout": BUSY_TIMEOUT_SECONDS})

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        # pysqlite's own transaction handling would defer BEGIN; the begin
        # event below issues it, IMMEDIATE for writers.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_SECONDS * 1000}")
        cursor.execute("PRAGMA foreign_keys = ON")
        # In WAL mode NORMAL is safe against corruption and a killed process
        # (a commit is atomic); only a power cut may lose the last syncs.
        cursor.execute("PRAGMA synchronous = NORMAL")
        # Readers (report, serve) keep what they read in a 64 MB page cache (the
        # default is 2 MB); a sync takes a small one (`small_cache`).
        cursor.execute(f"PRAGMA cache_size = -{CACHE_KB}")
        # A sync stages the jobs it lists in TEMP tables: in a temporary file, never in memory.
        cursor.execute("PRAGMA temp_store = FILE")
        cursor.execute("PRAGMA temp.journal_mode = OFF")  # dropped at the end of the sync anyway
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(_WRITE) else "BEGIN")

    return engine


@contextlib.contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """One transaction holding the store's write lock; committed on success, rolled back otherwise."""
    with engine.connect() as conn:
        with locked(conn):
            yield conn


@contextlib.contextmanager
def locked(conn: Connection) -> Iterator[Connection]:
    """`write_transaction` on a connection already open (and outside any transaction)."""
    conn.execution_options(**{_WRITE: True})
    try:
        with conn.begin():
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
            yield conn
    finally:
        conn.execution_options(**{_WRITE: False})


@contextlib.contextmanager
def small_cache(conn: Connection) -> Iterator[Connection]:
    """An SQLite connection (outside any transaction) with a sync's small page cache, for the block."""
    sqlite = conn.dialect.name == "sqlite"
    if sqlite:
        conn.exec_driver_sql(f"PRAGMA cache_size = -{SYNC_CACHE_KB}")
        conn.commit()
    try:
        yield conn
    finally:
        if sqlite:
            if conn.in_transaction():
                conn.rollback()
            conn.exec_driver_sql(f"PRAGMA cache_size = -{CACHE_KB}")
            conn.commit()


@contextlib.contextmanager
def read_transaction(engine: Engine) -> Iterator[Connection]:
    """One read-only transaction: a consistent view, never waiting for a writer."""
    with engine.connect() as conn:
        with conn.begin():
            yield conn


def enable_wal(engine: Engine) -> None:
    """Put an SQLite store in WAL mode (kept in the file): readers then never wait for a sync."""
    if engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:"):
        raw = engine.raw_connection()  # outside any transaction, as SQLite requires
        try:
            raw.driver_connection.execute("PRAGMA journal_mode = WAL")
        finally:
            raw.close()
