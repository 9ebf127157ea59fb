"""Local endpoints for the notification tests: a webhook receiver, and a PutEvents proxy to moto that fails chosen entries.

Both are real HTTP servers on 127.0.0.1 on ephemeral ports; `stop()` ends
them (fixtures call it, test failed or not).
"""
from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, List, Set


class _Server(ThreadingHTTPServer):
    daemon_threads = True


class LocalServer:
    handler: type

    def __init__(self) -> None:
        self.released = threading.Event()  # ends any request left hanging
        self.httpd = _Server(("127.0.0.1", 0), self.handler)
        self.httpd.owner = self  # type: ignore[attr-defined]
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def stop(self) -> None:
        self.released.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)


class _Quiet(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    def _reply(self, status: int, body: bytes = b"", content_type: str = "text/plain") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _WebhookHandler(_Quiet):
    def do_POST(self) -> None:
        owner: WebhookReceiver = self.server.owner  # type: ignore[attr-defined]
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        first = self.path.split("/")[1]
        owner.requests.append({"path": self.path, "content_type": self.headers.get("Content-Type"), "json": json.loads(body)})
        if first == "hang":
            owner.released.wait(10)
            self.close_connection = True
            return
        if first == "fail" or (first == "flaky" and owner.failing):
            self._reply(500, b"boom")
        elif first == "moved":
            self.send_response(302)
            self.send_header("Location", "/ok")
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self._reply(200, b"ok")


class WebhookReceiver(LocalServer):
    """POST /ok... answers 200, /fail... 500, /moved... 302, /hang... never answers, /flaky... 500 while `failing`."""

    handler = _WebhookHandler

    def __init__(self) -> None:
        self.requests: List[Dict[str, Any]] = []
        self.failing = True
        super().__init__()


class _ProxyHandler(_Quiet):
    def do_POST(self) -> None:
        owner: PutEventsProxy = self.server.owner  # type: ignore[attr-defined]
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")}
        if self.headers.get("X-Amz-Target") != "AWSEvents.PutEvents":
            status, answer = owner.forward(body, headers)
            return self._reply(status, answer, "application/x-amz-json-1.1")
        entries = json.loads(body)["Entries"]
        owner.calls.append(len(entries))
        failing = [json.loads(e["Detail"])["name"] in owner.fail_names for e in entries]
        passing = [e for e, bad in zip(entries, failing) if not bad]
        answers: List[Dict[str, Any]] = []
        if passing:
            status, answer = owner.forward(json.dumps({"Entries": passing}).encode(), headers)
            if status != 200:
                return self._reply(status, answer, "application/x-amz-json-1.1")
            answers = json.loads(answer)["Entries"]
        out = [
            {"ErrorCode": "InternalFailure", "ErrorMessage": "injected"} if bad else answers.pop(0)
            for bad in failing
        ]
        reply = {"FailedEntryCount": sum(failing), "Entries": out}
        self._reply(200, json.dumps(reply).encode(), "application/x-amz-json-1.1")


class PutEventsProxy(LocalServer):
    """Passes every call to moto; PutEvents entries whose job name is in `fail_names` fail (ErrorCode) and are not passed on."""

    handler = _ProxyHandler

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.fail_names: Set[str] = set()
        self.calls: List[int] = []  # entries per PutEvents call
        super().__init__()

    def forward(self, body: bytes, headers: Dict[str, str]) -> "tuple[int, bytes]":
        request = urllib.request.Request(self.upstream + "/", data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()
