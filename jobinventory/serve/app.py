"""The HTTP side of `serve`: `/metrics`, `/` and `/healthz` on a threading server.

- `/metrics`: the registry's exposition (Prometheus text, or OpenMetrics
  when the scraper asks for it).
- `/`: the HTML report of the store (503 and a short page before the
  first sync finished).
- `/healthz`: 200 while the last sync finished within two intervals, else
  503; the body says why, in one line.

Nothing here reads AWS or writes the store; GET and HEAD only.
"""
from __future__ import annotations

import datetime as _dt
import logging
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Optional, Tuple

from .state import Snapshot

__all__ = ["HttpApp", "health"]

log = logging.getLogger("jobinventory.serve")


def health(snapshot: Optional[Snapshot], interval: float, now: Optional[float] = None) -> Tuple[bool, str]:
    """(healthy, one line): healthy while the last sync finished within two intervals."""
    if snapshot is None or snapshot.last_sync is None:
        return False, "no sync has finished yet"
    now = time.time() if now is None else now
    finished = snapshot.last_sync.finished_at
    age = now - finished.timestamp()
    when = finished.astimezone(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    if age <= 2 * interval:
        return True, f"ok: sync {snapshot.last_sync.sync_id} finished at {when}, {age:.0f} s ago"
    return False, f"stale: the last sync ({snapshot.last_sync.sync_id}) finished at {when}, {age:.0f} s ago, " \
                  f"more than two intervals ({2 * interval:g} s)"


_WAITING_PAGE = b"""<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="refresh" content="5">
<title>jobinventory</title></head><body><p>No sync has finished yet: this page shows the store once
the first one has. It reloads every 5 seconds.</p></body></html>
"""


class _Handler(BaseHTTPRequestHandler):
    server: "_Server"
    protocol_version = "HTTP/1.1"
    server_version = "jobinventory"

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        path = self.path.split("?", 1)[0]
        app = self.server.app
        try:
            if path == "/metrics":
                status, ctype, body = app.metrics(self.headers.get("Accept"))
            elif path == "/healthz":
                ok, line = app.healthz()
                status, ctype, body = (200 if ok else 503), "text/plain; charset=utf-8", (line + "\n").encode()
            elif path in ("/", "/index.html"):
                status, ctype, body = app.page()
            else:
                status, ctype, body = 404, "text/plain; charset=utf-8", b"not found: try /, /metrics or /healthz\n"
        except Exception:  # a bug must not take the server down; say so once per request
            log.exception("error serving %s", path)
            status, ctype, body = 500, "text/plain; charset=utf-8", b"internal error, see the serve log\n"
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_HEAD = do_GET

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        log.debug("%s %s", self.address_string(), format % args)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: Tuple[str, int], app: "HttpApp") -> None:
        self.app = app
        super().__init__(address, _Handler)


class _Server6(_Server):
    address_family = socket.AF_INET6


class HttpApp:
    """The three routes over a registry, a snapshot source and a page source."""

    def __init__(self, registry: Any, snapshot: Callable[[], Optional[Snapshot]], interval: float,
                 page: Callable[[], Optional[str]]) -> None:
        self.registry = registry
        self._snapshot = snapshot
        self.interval = interval
        self._page = page
        self._server: Optional[_Server] = None
        self._thread: Optional[threading.Thread] = None

    # -- routes ---------------------------------------------------------------
    def metrics(self, accept: Optional[str]) -> Tuple[int, str, bytes]:
        from prometheus_client.exposition import choose_encoder

        encode, ctype = choose_encoder(accept or "")
        return 200, ctype, encode(self.registry)

    def healthz(self) -> Tuple[bool, str]:
        return health(self._snapshot(), self.interval)

    def page(self) -> Tuple[int, str, bytes]:
        html = self._page()
        if html is None:
            return 503, "text/html; charset=utf-8", _WAITING_PAGE
        return 200, "text/html; charset=utf-8", html.encode("utf-8")

    # -- lifecycle --------------------------------------------------------------
    def start(self, bind: str = "127.0.0.1", port: int = 0) -> Tuple[str, int]:
        """Listen on (bind, port) (0: a free port) and serve in a thread; the address bound."""
        server_class = _Server6 if ":" in bind else _Server
        self._server = server_class((bind, port), self)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.2},
                                        name="jobinventory-http", daemon=True)
        self._thread.start()
        host, bound = self._server.server_address[:2]
        return host, bound

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        if self._thread is not None:
            self._thread.join(5)
