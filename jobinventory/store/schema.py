"""The store's schema version: checked, then brought up to date by Alembic, when a store is opened.

The migrations ship inside the package (migrations/versions). Opening a
store checks first, reading only: a database holding tables but no
jobinventory revision is not a store, and a revision this jobinventory does
not know was written by a newer one; both raise before anything is written.
Otherwise the migrations run in one locked transaction, so two processes
opening a new store at once create it once. A store already at HEAD is
checked with two queries of its own and opened without loading Alembic
(some 10 MB and 0.3 s of imports: Mako, Pygments and every SQLAlchemy
dialect), which is what every sync, `changes`, report and `serve` of an
existing store does.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DatabaseError, OperationalError

from .engine import enable_wal, write_transaction
from .errors import NotAStoreError, SchemaTooNewError, StoreError

__all__ = ["MIGRATIONS", "HEAD", "head_revision", "current_revision", "check", "upgrade"]

MIGRATIONS = Path(__file__).parent / "migrations"
#: The newest revision in migrations/versions, as Alembic finds it (a test holds the two equal).
HEAD = "0002"
_VERSION_TABLE = "alembic_version"


def _config(connection: Optional[Connection] = None) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def _scripts() -> Any:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config())


def head_revision() -> str:
    """The newest schema revision this jobinventory knows."""
    head = _scripts().get_current_head()
    assert head is not None
    return head


def current_revision(conn: Connection) -> Optional[str]:
    """The store's revision; None for an empty database. Raises NotAStoreError/SchemaTooNewError."""
    tables = set(inspect(conn).get_table_names())
    if _VERSION_TABLE not in tables:
        if tables:
            raise NotAStoreError(
                f"{_where(conn)} is not a jobinventory store: it holds other tables "
                f"({', '.join(sorted(tables)[:5])}) and no schema revision"
            )
        return None
    rows = conn.execute(text(f"SELECT version_num FROM {_VERSION_TABLE}")).scalars().all()
    if rows == [HEAD]:  # the usual answer: no need for Alembic's scripts
        return HEAD
    from alembic.runtime.migration import MigrationContext

    revision = MigrationContext.configure(conn).get_current_revision()
    known = {script.revision for script in _scripts().walk_revisions()}
    if revision is not None and revision not in known:
        raise SchemaTooNewError(
            f"{_where(conn)} has schema revision {revision!r}, unknown to this jobinventory "
            f"(newest known {head_revision()!r}): upgrade jobinventory to use it"
        )
    return revision


def _where(conn: Connection) -> str:
    return conn.engine.url.render_as_string(hide_password=True)


def check(engine: Engine) -> Optional[str]:
    """Read the store's revision, writing nothing; NotAStoreError for a file that is no database."""
    try:
        with engine.connect() as conn:
            return current_revision(conn)
    except OperationalError as exc:
        raise StoreError(f"cannot open the store {engine.url.render_as_string(hide_password=True)}: "
                         f"{_first_line(exc)}") from None
    except DatabaseError as exc:
        raise NotAStoreError(f"{engine.url.render_as_string(hide_password=True)} is not a jobinventory "
                             f"store: {_first_line(exc)}") from None


def _first_line(exc: DatabaseError) -> str:
    return str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc).splitlines()[0]


def upgrade(engine: Engine) -> str:
    """Check the store, then bring it to the head revision; return that revision."""
    if check(engine) == HEAD:
        return HEAD
    from alembic import command

    enable_wal(engine)
    with write_transaction(engine) as conn:
        if current_revision(conn) != HEAD:  # another process may have done it meanwhile
            command.upgrade(_config(conn), "head")
    return HEAD
