"""Opening a store: the schema created by the packaged migrations, and what is refused unchanged."""
from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from jobinventory.errors import ConfigurationError, JobInventoryError
from jobinventory.store import MissingExtraError, NotAStoreError, SchemaTooNewError, StoreError, open_store
from jobinventory.store.engine import default_path, resolve_url
from jobinventory.store.schema import HEAD, MIGRATIONS, head_revision
from jobinventory.store.tables import metadata

CONTRACT_COLUMNS = {
    "jobs": ["service", "job_id", "operation", "job_type", "arn", "name", "status", "raw_status", "created_at",
             "updated_at", "ended_at", "region", "account_id", "message", "source", "destination", "details",
             "first_seen_at", "last_seen_at", "gone_at", "last_sync_id"],
    "job_changes": ["change_id", "sync_id", "observed_at", "service", "job_id", "kind", "from_status",
                    "to_status"],
    "syncs": ["sync_id", "started_at", "finished_at", "streams_answered", "streams_skipped", "streams_failed",
              "jobs_seen", "changes", "complete"],
    "sync_streams": ["sync_id", "account_id", "region", "service", "operation", "state", "jobs", "error_kind",
                     "error_message"],
    # The notification outbox (revision 0002, jobinventory.notify.outbox).
    "deliveries": ["change_id", "target", "state", "attempts", "last_error", "delivered_at", "claimed_at", "record"],
}


def _snapshot(url: str):
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            found = inspect(conn)
            return {t: [c["name"] for c in found.get_columns(t)] for t in sorted(found.get_table_names())}, \
                conn.execute(text("SELECT * FROM alembic_version")).all() if "alembic_version" in \
                found.get_table_names() else None
    finally:
        engine.dispose()


def test_a_new_store_has_the_contract_tables_at_the_head_revision(store_url):
    with open_store(store_url) as store:
        assert store.revision == head_revision() == "0002"
    tables, version = _snapshot(store_url)
    assert tables == dict(sorted({**CONTRACT_COLUMNS, "alembic_version": ["version_num"]}.items()))
    assert version == [("0002",)]
    assert {t: [c.name for c in metadata.tables[t].columns] for t in CONTRACT_COLUMNS} == CONTRACT_COLUMNS


def test_head_is_the_newest_packaged_migration():
    assert HEAD == head_revision()


def test_a_store_at_its_head_opens_without_loading_alembic(tmp_path):
    url = f"sqlite:///{tmp_path}/store.db"
    with open_store(url):
        pass  # created: Alembic ran here
    script = ("import sys; from jobinventory.store import open_store\n"
              f"with open_store({url!r}) as store: print(store.revision, 'alembic' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout, done.stderr) == (0, f"{HEAD} False\n", "")


def test_a_store_at_an_older_revision_is_upgraded_through_alembic(tmp_path):
    url = f"sqlite:///{tmp_path}/store.db"
    with open_store(url):
        pass
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE deliveries"))
        conn.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    engine.dispose()
    with open_store(url) as store:
        assert store.revision == HEAD
    tables, version = _snapshot(url)
    assert "deliveries" in tables and version == [(HEAD,)]


def test_reopening_a_store_keeps_its_data(store_url):
    from .helpers import inventory, job, later

    with open_store(store_url) as store:
        store.sync(inventory([job(1)], at=later(0)), filtered=False)
    with open_store(store_url) as store:
        assert [c.job.name for c in store.changes()] == ["j1"]


def test_the_migrations_ship_in_the_package():
    assert (MIGRATIONS / "env.py").is_file()
    assert sorted(p.name for p in (MIGRATIONS / "versions").glob("*.py")) == ["0001_initial.py", "0002_deliveries.py"]


def test_an_sqlite_store_is_in_wal_mode(tmp_path):
    url = f"sqlite:///{tmp_path / 'inventory.db'}"
    open_store(url).close()
    engine = create_engine(url)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    engine.dispose()


def test_a_file_that_is_not_a_database_is_refused_unchanged(tmp_path):
    path = tmp_path / "notes.db"
    path.write_bytes(b"these are my notes, not a database\n" * 200)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(NotAStoreError) as caught:
        open_store(f"sqlite:///{path}")
    assert str(caught.value) == f"sqlite:///{path} is not a jobinventory store: file is not a database"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.db"]


def test_a_database_of_something_else_is_refused_unchanged(store_url):
    engine = create_engine(store_url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total INTEGER)"))
    engine.dispose()
    with pytest.raises(NotAStoreError, match=r"is not a jobinventory store: it holds other tables \(invoices\) "
                                             r"and no schema revision"):
        open_store(store_url)
    assert _snapshot(store_url) == ({"invoices": ["id", "total"]}, None)


def test_a_store_of_an_unknown_newer_revision_is_refused_unchanged(store_url):
    with open_store(store_url):
        pass
    engine = create_engine(store_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0042'"))
    engine.dispose()
    before = _snapshot(store_url)
    with pytest.raises(SchemaTooNewError, match=r"has schema revision '0042', unknown to this jobinventory "
                                                r"\(newest known '0002'\): upgrade jobinventory to use it"):
        open_store(store_url)
    assert _snapshot(store_url) == before
    assert issubclass(SchemaTooNewError, StoreError) and issubclass(StoreError, JobInventoryError)


def test_bad_urls_are_one_line_errors(tmp_path):
    with pytest.raises(StoreError, match=r"not a database URL: 'nowhere' \(e.g. sqlite:///"):
        open_store("nowhere")
    with pytest.raises(StoreError, match="unsupported database 'mysql'"):
        open_store("mysql://localhost/db")
    with pytest.raises(StoreError, match="no such directory for the store: "):
        open_store(f"sqlite:///{tmp_path}/missing/inventory.db")


def test_a_missing_driver_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "pg8000", None)
    with pytest.raises(MissingExtraError, match=r"pip install 'jobinventory\[postgres\]'"):
        open_store("postgresql+pg8000://u@127.0.0.1:1/db")


def test_missing_sqlalchemy_names_the_store_extra(monkeypatch):
    import jobinventory.store as store_package

    monkeypatch.setitem(sys.modules, "alembic", None)
    with pytest.raises(MissingExtraError, match=r"the store needs SQLAlchemy and Alembic .*: "
                                                r"pip install 'jobinventory\[store\]'"):
        store_package.require_extra()
    assert issubclass(MissingExtraError, ConfigurationError)


def test_the_url_comes_from_the_argument_then_the_environment_then_the_default(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("JOBINVENTORY_DB", "sqlite:///from-env.db")
    assert resolve_url("sqlite:///given.db") == "sqlite:///given.db"
    assert resolve_url() == "sqlite:///from-env.db"
    monkeypatch.delenv("JOBINVENTORY_DB")
    assert default_path() == tmp_path / "data" / "jobinventory" / "inventory.db"
    assert resolve_url() == f"sqlite:///{tmp_path}/data/jobinventory/inventory.db"
    with open_store() as store:
        assert store.url == f"sqlite:///{tmp_path}/data/jobinventory/inventory.db"
    assert Path(tmp_path / "data" / "jobinventory" / "inventory.db").is_file()
