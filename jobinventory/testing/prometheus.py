"""A real Prometheus server for tests: scrapes given targets, answers PromQL.

    with PrometheusServer(["127.0.0.1:9184"], scrape_interval=1) as prom:
        prom.wait_for("sum(jobinventory_jobs)")     # the first sample, as a float
        prom.query("up")                            # the API's result list

Runs Debian's ``/usr/bin/prometheus`` (or ``$PROMETHEUS``) on a free
127.0.0.1 port with its own temporary config and storage directory, both
removed by :meth:`stop`. Nothing is retried silently: a server that does
not start, or a query that fails, raises :class:`PrometheusError` with the
server's own words.
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any, Optional, Sequence

__all__ = ["PrometheusError", "PrometheusServer", "prometheus_binary"]

_DEFAULT_BINARY = "/usr/bin/prometheus"


class PrometheusError(RuntimeError):
    """The Prometheus server did not start, or refused a query."""


def prometheus_binary() -> str:
    """The prometheus executable: ``$PROMETHEUS``, else Debian's, else the one on PATH."""
    explicit = os.environ.get("PROMETHEUS")
    if explicit:
        return explicit
    if os.access(_DEFAULT_BINARY, os.X_OK):
        return _DEFAULT_BINARY
    found = shutil.which("prometheus")
    if not found:
        raise PrometheusError("prometheus is not installed (Debian: apt-get install prometheus)")
    return found


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _config(targets: Sequence[str], scrape_interval: float, rule_files: Sequence[str]) -> str:
    # JSON is YAML: no YAML writer needed.
    return json.dumps({
        "global": {"scrape_interval": f"{scrape_interval}s", "evaluation_interval": f"{scrape_interval}s",
                   "scrape_timeout": f"{scrape_interval}s"},
        "rule_files": [str(Path(f).resolve()) for f in rule_files],
        "scrape_configs": [{"job_name": "jobinventory", "static_configs": [{"targets": list(targets)}]}],
    }, indent=2)


class PrometheusServer:
    """One Prometheus process scraping ``targets`` (``host:port``, path ``/metrics``)."""

    def __init__(self, targets: Sequence[str], *, scrape_interval: float = 1,
                 rule_files: Sequence[str] = (), binary: Optional[str] = None) -> None:
        self.targets = list(targets)
        self.scrape_interval = scrape_interval
        self.rule_files = list(rule_files)
        self.binary = binary or prometheus_binary()
        self.port: Optional[int] = None
        self._dir: Optional[str] = None
        self._proc: Optional[subprocess.Popen] = None

    @property
    def url(self) -> str:
        if self.port is None:
            raise PrometheusError("the Prometheus server is not started")
        return f"http://127.0.0.1:{self.port}"

    # -- lifecycle ----------------------------------------------------------
    def start(self, timeout: float = 30) -> "PrometheusServer":
        if self._proc is not None:
            return self
        self._dir = tempfile.mkdtemp(prefix="jobinventory-prometheus-")
        config = Path(self._dir, "prometheus.yml")
        config.write_text(_config(self.targets, self.scrape_interval, self.rule_files))
        self.port = _free_port()
        self._log = open(Path(self._dir, "prometheus.log"), "wb")
        self._proc = subprocess.Popen(
            [self.binary, f"--config.file={config}", f"--storage.tsdb.path={Path(self._dir, 'data')}",
             f"--web.listen-address=127.0.0.1:{self.port}", "--web.enable-lifecycle"],
            stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )
        try:
            self._wait_ready(timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            if self._proc.poll() is not None:
                raise PrometheusError(f"prometheus exited with {self._proc.returncode}: {self.log()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/-/ready", timeout=2) as reply:
                    if reply.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                raise PrometheusError(f"prometheus not ready after {timeout} s: {self.log()[-2000:]}")
            time.sleep(0.1)

    def stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if getattr(self, "_log", None) is not None:
            self._log.close()
            self._log = None
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None

    def __enter__(self) -> "PrometheusServer":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def log(self) -> str:
        """What the server wrote so far."""
        if self._dir is None:
            return ""
        path = Path(self._dir, "prometheus.log")
        return path.read_text(errors="replace") if path.exists() else ""

    # -- the HTTP API ---------------------------------------------------------
    def api(self, path: str, **params: Any) -> Any:
        """GET ``/api/v1/<path>``; the ``data`` member, or PrometheusError with the server's error."""
        url = f"{self.url}/api/v1/{path}?{urllib.parse.urlencode(params)}"
        try:
            with urllib.request.urlopen(url, timeout=10) as reply:
                body = json.load(reply)
        except urllib.error.HTTPError as exc:
            body = json.load(exc)
        if body.get("status") != "success":
            raise PrometheusError(f"{path} {params}: {body.get('errorType')}: {body.get('error')}")
        return body["data"]

    def query(self, expr: str) -> list:
        """An instant query's result vector (``[{"metric": {...}, "value": [t, "v"]}, ...]``)."""
        data = self.api("query", query=expr)
        if data["resultType"] != "vector":
            raise PrometheusError(f"{expr!r} gives a {data['resultType']}, not a vector")
        return data["result"]

    def targets_health(self) -> list[dict]:
        """The active scrape targets as the API describes them (health, lastError, ...)."""
        return self.api("targets")["activeTargets"]

    def wait_for(self, expr: str, timeout: float = 30) -> float:
        """Poll ``expr`` until it gives a sample; its value (the first series')."""
        deadline = time.monotonic() + timeout
        while True:
            result = self.query(expr)
            if result:
                return float(result[0]["value"][1])
            if time.monotonic() > deadline:
                raise PrometheusError(f"{expr!r} gave nothing in {timeout} s; targets: {self.targets_health()}")
            time.sleep(0.2)
