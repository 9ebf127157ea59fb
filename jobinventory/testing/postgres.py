"""A throwaway PostgreSQL server for tests: initdb in a temporary directory, one process, stopped by its handle.

    from jobinventory.testing.postgres import PostgresServer

    with PostgresServer() as server:          # 127.0.0.1, a free port
        url = server.create_schema()          # a fresh, empty schema (search_path set in the URL): instant
        url = server.create_database()        # a fresh database: ~0.3 s
        ...

The server binaries are Debian's (`/usr/lib/postgresql/<version>/bin`, the
newest found) or any `initdb` on PATH; `PostgresServerError` when none is
installed (tests then fail: install the `postgresql` package). initdb and
postgres refuse to run as root, so as root both run as the `postgres` system
user (the package creates it) in a temporary directory handed to that user.
The cluster is tuned for tests (no fsync), never for data worth keeping.
"""
from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, List, Optional

__all__ = ["PostgresServer", "PostgresServerError", "find_bin_dir"]

_START_TIMEOUT = 60.0
_STOP_TIMEOUT = 30.0


class PostgresServerError(RuntimeError):
    """The test server could not be found, initialized or started."""


def find_bin_dir() -> Path:
    """The directory of initdb/pg_ctl/postgres: Debian's newest version, else PATH."""
    candidates = glob.glob("/usr/lib/postgresql/*/bin/initdb")

    def version(path: str) -> float:
        try:
            return float(Path(path).parent.parent.name)
        except ValueError:
            return 0.0

    if candidates:
        return Path(max(candidates, key=version)).parent
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    raise PostgresServerError(
        "PostgreSQL server binaries not found (no /usr/lib/postgresql/*/bin/initdb, no initdb on PATH): "
        "install Debian's postgresql package"
    )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PostgresServer:
    """One PostgreSQL cluster in a temporary directory, listening on 127.0.0.1."""

    def __init__(self, bin_dir: Optional[Path] = None) -> None:
        self.bin_dir = bin_dir or find_bin_dir()
        self.port: Optional[int] = None
        self.process: Optional[subprocess.Popen] = None
        self._tmp: Optional[str] = None
        self._user: Dict[str, Any] = {}
        self._counter = itertools.count(1)

    # -- lifecycle -------------------------------------------------------------

    def start(self) -> "PostgresServer":
        self._tmp = tempfile.mkdtemp(prefix="jobinventory-pg-")
        try:
            if os.geteuid() == 0:
                shutil.chown(self._tmp, "postgres", "postgres")
                self._user = {"user": "postgres", "group": "postgres", "extra_groups": []}
            data = Path(self._tmp) / "data"
            self._run([str(self.bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
                       "-E", "UTF8", "--locale=C", "--no-sync"])
            self.port = _free_port()
            self.process = subprocess.Popen(
                [str(self.bin_dir / "postgres"), "-D", str(data), "-p", str(self.port),
                 "-h", "127.0.0.1", "-k", self._tmp, "-c", "fsync=off", "-c", "synchronous_commit=off",
                 "-c", "full_page_writes=off", "-c", "max_connections=60"],
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=self._tmp, **self._user,
            )
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def _run(self, argv: List[str]) -> None:
        done = subprocess.run(argv, capture_output=True, text=True, cwd=self._tmp, **self._user)
        if done.returncode != 0:
            raise PostgresServerError(f"{Path(argv[0]).name} failed ({done.returncode}): "
                                      f"{(done.stderr or done.stdout).strip()[-500:]}")

    def _wait_ready(self) -> None:
        import psycopg

        deadline = time.monotonic() + _START_TIMEOUT
        while True:
            assert self.process is not None
            if self.process.poll() is not None:
                err = self.process.stderr.read().decode(errors="replace") if self.process.stderr else ""
                raise PostgresServerError(f"postgres exited ({self.process.returncode}): {err.strip()[-500:]}")
            try:
                psycopg.connect(self.dsn("postgres"), connect_timeout=2).close()
                return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise PostgresServerError(f"postgres did not accept connections in {_START_TIMEOUT:.0f} s")
                time.sleep(0.05)

    def stop(self) -> None:
        """Stop the server (fast shutdown, then kill) and remove its directory."""
        process, self.process = self.process, None
        if process is not None:
            if process.poll() is None:
                process.send_signal(2)  # SIGINT: fast shutdown, sessions aborted
                try:
                    process.wait(_STOP_TIMEOUT)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
            if process.stderr is not None:
                process.stderr.close()
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

    def __enter__(self) -> "PostgresServer":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    # -- databases -------------------------------------------------------------

    def dsn(self, database: str) -> str:
        """A libpq connection string for `database`."""
        if self.port is None:
            raise PostgresServerError("the server is not started")
        return f"host=127.0.0.1 port={self.port} user=postgres dbname={database}"

    def url(self, database: str = "postgres") -> str:
        """The SQLAlchemy URL of `database` (psycopg 3 driver)."""
        if self.port is None:
            raise PostgresServerError("the server is not started")
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: Optional[str] = None) -> str:
        """Create an empty database (named, or test_N) and return its URL."""
        import psycopg

        name = name or f"test_{next(self._counter)}"
        with psycopg.connect(self.dsn("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
        return self.url(name)

    def create_schema(self, name: Optional[str] = None) -> str:
        """Create an empty schema (named, or test_N) in the `postgres` database; return a URL using it.

        The URL sets the connection's search_path, so everything made
        through it (tables, Alembic's version table) lives in that schema.
        """
        import psycopg

        name = name or f"test_{next(self._counter)}"
        with psycopg.connect(self.dsn("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{name}"')
        return f"{self.url('postgres')}?options=-csearch_path%3D{name}"

    def drop_database(self, name: str) -> None:
        """Drop a database, ending its sessions first."""
        import psycopg

        with psycopg.connect(self.dsn("postgres"), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
