"""Fixtures of the serve tests: the fake (through the plugin), `serve` processes, a Prometheus server."""
from __future__ import annotations

from typing import Callable, Iterator, List

import pytest

from jobinventory.testing.prometheus import PrometheusServer
from jobinventory.testing.pytest_plugin import fake_jobs  # noqa: F401  (the fake, env pointing at it)

from jobinventory.testing.postgres import PostgresServer

from .process import Served


@pytest.fixture
def serve() -> Iterator[Callable[..., Served]]:
    """serve(*args): a started `jobinventory serve ARGS` listening; all stopped after the test."""
    started: List[Served] = []

    def start(*args: str, env=None, code: str = "") -> Served:
        served = Served(*args, env=env, code=code)
        started.append(served)
        return served.listening()

    try:
        yield start
    finally:
        for served in started:
            served.stop()


@pytest.fixture
def prometheus() -> Iterator[Callable[..., PrometheusServer]]:
    """prometheus(targets, **kw): a started PrometheusServer, stopped after the test."""
    started: List[PrometheusServer] = []

    def start(targets, **kwargs) -> PrometheusServer:
        server = PrometheusServer(targets, **kwargs)
        started.append(server)
        return server.start()

    try:
        yield start
    finally:
        for server in started:
            server.stop()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A throwaway PostgreSQL server for the session (per xdist worker), stopped by its handle."""
    server = PostgresServer()
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture(params=("sqlite", "postgresql"))
def store_url(request: pytest.FixtureRequest, tmp_path) -> str:
    """An empty store's URL: an SQLite file, or a fresh schema in the PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    return request.getfixturevalue("postgres_server").create_schema()
