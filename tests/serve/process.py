"""`jobinventory serve` as a subprocess, stopped by its handle; HTTP helpers."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from typing import Callable, Iterable, List, Optional, Tuple

from prometheus_client.parser import text_string_to_metric_families

PREFIX = "serving on http://"


class Served:
    """One `python -m jobinventory serve ...` process (`code` run first, when given); `url` once it listens."""

    def __init__(self, *args: str, env: Optional[dict] = None, code: str = "") -> None:
        full = dict(os.environ, PYTHONIOENCODING="utf-8", **(env or {}))
        self.args = args
        program = ["-c", code + "import sys; from jobinventory.cli import main; sys.exit(main(sys.argv[1:]))"] \
            if code else ["-m", "jobinventory"]
        self.proc = subprocess.Popen(
            [sys.executable, *program, "serve", *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True, env=full,
        )
        self.lines: List[str] = []
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.url: Optional[str] = None

    def _read(self) -> None:
        for line in self.proc.stderr:
            with self._changed:
                self.lines.append(line.rstrip("\n"))
                self._changed.notify_all()
        with self._changed:
            self._changed.notify_all()

    def wait_line(self, predicate: Callable[[str], bool], timeout: float = 60) -> str:
        """The first stderr line matching `predicate` (waiting for it)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for line in self.lines:
                    if predicate(line):
                        return line
                if self.proc.poll() is not None and not self._reader.is_alive():
                    raise AssertionError(f"serve exited {self.proc.returncode}: {self.stderr}")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"no such line in {timeout} s: {self.stderr}")
                self._changed.wait(min(left, 0.5))

    def listening(self, timeout: float = 60) -> "Served":
        self.wait_line(lambda line: True, timeout)
        first = self.lines[0]
        assert first.startswith(PREFIX), self.stderr
        self.url = first[len("serving on "):]
        return self

    @property
    def stderr(self) -> str:
        with self._changed:
            return "\n".join(self.lines)

    def syncs_logged(self) -> int:
        with self._changed:
            return sum(1 for line in self.lines if " finished in " in line and "INFO sync " in line)

    def wait_syncs(self, count: int, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while self.syncs_logged() < count:
            assert self.proc.poll() is None, self.stderr
            assert time.monotonic() < deadline, f"fewer than {count} syncs in {timeout} s: {self.stderr}"
            time.sleep(0.05)

    def signal(self, signum: int = signal.SIGTERM, timeout: float = 30) -> int:
        self.proc.send_signal(signum)
        code = self.proc.wait(timeout)
        self._reader.join(5)
        return code

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._reader.join(5)
        for pipe in (self.proc.stdout, self.proc.stderr):
            if pipe is not None:
                pipe.close()

    # -- HTTP -------------------------------------------------------------------
    def get(self, path: str) -> Tuple[int, str, str]:
        """(status, content type, body) of GET path."""
        try:
            with urllib.request.urlopen(self.url + path, timeout=30) as reply:
                return reply.status, reply.headers["Content-Type"], reply.read().decode("utf-8")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.headers["Content-Type"], exc.read().decode("utf-8")

    def metrics(self) -> dict:
        """{(name, labels as sorted tuple): value} of one scrape, parsed by prometheus_client."""
        status, ctype, body = self.get("/metrics")
        assert status == 200 and ctype.startswith("text/plain"), (status, ctype)
        return samples(body)

    def wait_until(self, check: Callable[[], bool], timeout: float = 60, what: str = "") -> None:
        deadline = time.monotonic() + timeout
        while not check():
            assert self.proc.poll() is None, self.stderr
            assert time.monotonic() < deadline, f"not {what} in {timeout} s: {self.stderr}"
            time.sleep(0.1)


def samples(body: str) -> dict:
    out = {}
    for family in text_string_to_metric_families(body):
        for sample in family.samples:
            key = (sample.name, tuple(sorted(sample.labels.items())))
            assert key not in out, f"duplicate sample {key}"
            out[key] = sample.value
    return out


def named(values: dict, name: str) -> dict:
    """{labels dict as sorted tuple: value} of one sample name."""
    return {labels: v for (n, labels), v in values.items() if n == name}


def stream_labels(service: str, operation: str, region: str, account: str, **extra: str) -> tuple:
    return tuple(sorted(dict(service=service, operation=operation, region=region, account_id=account,
                             **extra).items()))


def only(rows: Iterable) -> object:
    rows = list(rows)
    assert len(rows) == 1, rows
    return rows[0]
