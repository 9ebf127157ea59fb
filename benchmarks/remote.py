"""The fake job server in a process of its own, driven over a pipe.

The benchmarks measure the client's CPU and memory: the fake (HTTP server,
listing, JSON encoding) must not share the client's process, GIL or RSS.
`RemoteFake()` spawns a fresh interpreter running `FakeJobServer` on
127.0.0.1 and forwards method calls to it (`seed`, `inject`, `count`,
`clear_faults`, `reset_log`, `set_account`, `set_region_status`, ...);
arguments and results travel pickled. Only HTTP is shared with the client.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
from multiprocessing.connection import Connection
from typing import Any, Dict, Optional


def _serve(conn: Any) -> None:  # runs in the child process
    from jobinventory.testing import FakeJobServer

    fake = FakeJobServer().start()
    conn.send(fake.url)
    try:
        while True:
            try:
                message = conn.recv()
            except EOFError:
                return
            if message is None:
                return
            name, args, kwargs = message
            try:
                if name == "_rss_peak_kb":
                    result: Any = _vm_hwm_kb()
                else:
                    result = getattr(fake, name)(*args, **kwargs)
                conn.send((True, result))
            except BaseException as exc:  # noqa: BLE001 - sent back and raised there
                conn.send((False, exc))
    finally:
        fake.stop()


def _vm_hwm_kb() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def child_env() -> Dict[str, str]:
    """This environment, with the repository on PYTHONPATH for `python -m benchmarks...`."""
    env = dict(os.environ)
    env["PYTHONPATH"] = _ROOT + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


class ChildInterpreter:
    """A fresh `python -m MODULE ... FD` (no fork of this process's state) driven over a socket pair.

    The child sends one greeting, then answers `(name, args, kwargs)` with
    `(ok, result)`; None asks it to stop.
    """

    def __init__(self, module: str, *args: str, stop_timeout: float = 10) -> None:
        mine, theirs = socket.socketpair()
        self._stop_timeout = stop_timeout
        self._proc = subprocess.Popen(
            [sys.executable, "-m", module, *args, str(theirs.fileno())],
            pass_fds=(theirs.fileno(),), cwd=_ROOT, env=child_env(),
        )
        theirs.close()
        self._conn = Connection(mine.detach())
        self.greeting: Any = self._conn.recv()

    @property
    def pid(self) -> Optional[int]:
        return self._proc.pid

    def call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        self._conn.send((name, args, kwargs))
        ok, result = self._conn.recv()
        if not ok:
            raise result
        return result

    def close(self) -> None:
        if self._proc.poll() is None:
            try:
                self._conn.send(None)
            except OSError:  # BrokenPipeError included
                pass
            try:
                self._proc.wait(timeout=self._stop_timeout)
            except subprocess.TimeoutExpired:
                self._proc.terminate()
                self._proc.wait(timeout=5)
        self._conn.close()

    def __enter__(self) -> "ChildInterpreter":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


class RemoteFake(ChildInterpreter):
    """A `FakeJobServer` in a child interpreter; call its methods as if it were local."""

    def __init__(self) -> None:
        super().__init__("benchmarks.remote")
        self.url: str = self.greeting

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return lambda *args, **kwargs: self.call(name, *args, **kwargs)

    def rss_peak_mb(self) -> float:
        return self.call("_rss_peak_kb") / 1024.0


if __name__ == "__main__":
    _serve(Connection(int(sys.argv[1])))
