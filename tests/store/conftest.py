"""Store fixtures: every store test runs on SQLite and on a real, throwaway PostgreSQL.

The PostgreSQL server (`postgres_server`, tests/conftest.py) starts once per
test session (per xdist worker) and is stopped by its handle when the
session ends, failed tests or not; each test gets a fresh schema in it. No
test skips when PostgreSQL is missing: starting the server fails, and so do
the tests.
"""
from __future__ import annotations

from typing import Iterator

import pytest

from jobinventory.store import Store, open_store

BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path) -> str:
    """An empty store's URL: an SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'inventory.db'}"
    return request.getfixturevalue("postgres_server").create_schema()


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    opened = open_store(store_url)
    try:
        yield opened
    finally:
        opened.close()
