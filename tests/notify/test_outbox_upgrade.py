"""A store written before the outbox existed (revision 0001) is upgraded in place and keeps its history."""
from __future__ import annotations

import io
import json

from alembic import command
from alembic.config import Config
from sqlalchemy import inspect

from jobinventory.notify import Notifier, parse_target
from jobinventory.store import Store, open_store
from jobinventory.store.engine import make_engine, write_transaction
from jobinventory.store.schema import MIGRATIONS

from .sample import forecast_job, import_job, inventory


def _store_at_0001(url: str) -> Store:
    engine = make_engine(url)
    with write_transaction(engine) as conn:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
    return Store(engine, "0001")


def test_an_older_store_gets_the_outbox_and_keeps_its_history(store_url):
    old = _store_at_0001(store_url)
    old.sync(inventory([forecast_job("a", "CREATE_IN_PROGRESS"), import_job("b", "InProgress")], 0), filtered=False)
    with old.engine.connect() as conn:
        assert "deliveries" not in inspect(conn).get_table_names()
    old.close()

    out = io.StringIO()
    with open_store(store_url) as store:
        assert store.revision == "0002"
        assert [(c.change_id, c.kind, c.job.name) for c in store.changes()] == [(2, "new", "b"), (1, "new", "a")]
        # The sync before the upgrade was the baseline: the next one sends what changed since.
        result = store.sync(inventory([forecast_job("a", "CREATE_FAILED"), import_job("b", "InProgress")], 1),
                            filtered=False, notify=Notifier.of([parse_target("jsonl:-", stdout=out)]))
    assert [json.loads(line)["name"] for line in out.getvalue().splitlines()] == ["a"]
    assert result.notifications[0].deliveries[0].change_id == 3
