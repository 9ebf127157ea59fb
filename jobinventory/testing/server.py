"""``FakeJobServer``: the AWS job-list APIs on 127.0.0.1, over real HTTP.

One server answers every service, region and account; point any botocore
client at ``fake.url`` (``endpoint_url=`` or the ``AWS_ENDPOINT_URL`` /
``AWS_ENDPOINT_URL_<SERVICE>`` environment variables) with any credentials.
"""
from __future__ import annotations

import datetime as _dt
import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Iterable, Mapping, Sequence

from .callers import DEFAULT_ACCOUNT_ID, AccountDirectory, AccountResolver
from .dispatch import Dispatcher
from .faults import FaultRule, FaultSet, RateLimit, RequestLog, RequestRecord, rules_from_kwargs
from .operations import FakeOperation, get_operation
from .store import Entry, JobStore
from .tokens import TokenSigner
from .validation import summary_problems


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as botocore expects
    timeout = 300  # an idle kept-alive connection is closed after this
    disable_nagle_algorithm = True  # small responses must not wait for delayed ACKs

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        reply = self.server.dispatcher.handle(self.command, self.path, self.headers, body)
        if reply is None:  # "down": close without answering
            self.close_connection = True
            return
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply.body)))
        # Status line, headers and body in one write: one segment for small replies.
        self._headers_buffer.append(b"\r\n")
        if self.command != "HEAD":
            self._headers_buffer.append(reply.body)
        self.flush_headers()

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _serve

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(self, address, dispatcher: Dispatcher) -> None:
        self.dispatcher = dispatcher
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        super().__init__(address, _Handler)

    def process_request(self, request, client_address):
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request):
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request, client_address) -> None:
        # A client that hung up (or a server stopped mid-reply) is not worth a traceback.
        if isinstance(sys.exc_info()[1], OSError):
            return
        super().handle_error(request, client_address)

    def close_open_connections(self) -> None:
        with self._open_lock:
            sockets = list(self._open)
        for sock in sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class FakeJobServer:
    """A local fake of the Forecast, Personalize, Data Exchange and Bedrock job lists.

    ``account_resolver(access_key_id) -> account id | None`` maps keys the
    explicit map (:meth:`set_account`) does not know, before the default
    account; see :func:`jobinventory.testing.moto_account_resolver`.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        account_resolver: AccountResolver | None = None,
        default_account_id: str = DEFAULT_ACCOUNT_ID,
    ) -> None:
        self.host = host
        self._port = port
        self.store = JobStore()
        self.accounts = AccountDirectory(account_resolver, default_account_id)
        self._faults = FaultSet()
        self._log = RequestLog()
        self._dispatcher = Dispatcher(self.store, self._faults, self._log, self.accounts, TokenSigner())
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ----------------------------------------------------------
    def start(self) -> "FakeJobServer":
        if self._httpd is not None:
            return self
        self._faults.released.clear()
        self._httpd = _HTTPServer((self.host, self._port), self._dispatcher)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.01},
            name=f"FakeJobServer:{self.port}", daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        self._faults.released.set()  # let requests held by a "hang" fault go
        httpd.shutdown()
        httpd.close_open_connections()
        httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> "FakeJobServer":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._httpd is not None

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("FakeJobServer is not started")
        return self._httpd.server_address[1]

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def env(self, region: str = "us-east-1") -> dict[str, str]:
        """Environment for botocore clients to reach the fake with dummy credentials."""
        return {
            "AWS_ENDPOINT_URL": self.url,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_SESSION_TOKEN": "testing",
            "AWS_DEFAULT_REGION": region,
            "AWS_EC2_METADATA_DISABLED": "true",
        }

    def client(self, service: str, region_name: str = "us-east-1", **kwargs: Any):
        """A boto3 client on the fake (dummy credentials unless given)."""
        import boto3

        kwargs.setdefault("aws_access_key_id", "testing")
        kwargs.setdefault("aws_secret_access_key", "testing")
        return boto3.client(service, region_name=region_name, endpoint_url=self.url, **kwargs)

    # -- accounts and regions -------------------------------------------------
    @property
    def default_account_id(self) -> str:
        return self.accounts.default_account_id

    def set_account(self, access_key_id: str, account_id: str) -> None:
        """Requests signed with ``access_key_id`` belong to ``account_id``."""
        self.accounts.set_account(access_key_id, account_id)

    def account_for(self, access_key_id: str | None) -> str:
        return self.accounts.account_for(access_key_id)

    def set_region_status(self, region: str, status: str, *, account_id: str | None = None) -> None:
        """EC2 ``OptInStatus`` of ``region`` for one account (None: all):
        ``opt-in-not-required``, ``opted-in`` or ``not-opted-in``."""
        self.accounts.set_region_status(region, status, account_id)

    # -- jobs -------------------------------------------------------------------
    def add_jobs(
        self,
        service: str,
        operation: str,
        summaries: Iterable[Mapping[str, Any]],
        *,
        region: str = "us-east-1",
        account_id: str | None = None,
        parent_arn: str | Sequence[str | None] | None = None,
        validate: bool = True,
    ) -> int:
        """Serve ``summaries`` (exactly as boto3 returns them) from that stream.

        ``parent_arn``: what filters on a parent resource match when the
        summary does not carry it (Personalize ``datasetArn``), one ARN for
        all or one per summary; Forecast parents default to the job ARN's.
        ``validate`` checks each summary against the botocore output shape
        and raises ValueError naming what AWS could not send; turn it off to
        serve values the model does not know yet (a new status).
        """
        spec = get_operation(service, operation)
        account = account_id or self.default_account_id
        summaries = list(summaries)
        if parent_arn is None or isinstance(parent_arn, str):
            parents: Sequence[str | None] = [parent_arn] * len(summaries)
        else:
            parents = list(parent_arn)
            if len(parents) != len(summaries):
                raise ValueError("parent_arn: give one ARN, or one per summary")
        entries = []
        for i, (summary, parent) in enumerate(zip(summaries, parents)):
            if validate:
                problems = summary_problems(spec.summary_shape, summary)
                if problems:
                    raise ValueError(
                        f"{service}:{operation} summary #{i} is not something AWS could send: " + "; ".join(problems)
                    )
            entries.append(_entry(spec, summary, parent))
        return self.store.add((service, operation, region, account), entries)

    def add_parents(self, service: str, parents: Iterable[tuple[str, Mapping[str, Any]]], *,
                    region: str = "us-east-1", account_id: str | None = None) -> int:
        """Serve parents (``(operation, summary)``, e.g. a knowledge base) once each (by id); how many were added."""
        account, added = account_id or self.default_account_id, 0
        for operation in dict.fromkeys(op for op, _ in parents):
            key = get_operation(service, operation).key
            fresh = {s[key]: s for op, s in reversed(list(parents)) if op == operation}
            for served in self.jobs(service, operation, region=region, account_id=account):
                fresh.pop(served.get(key), None)
            if fresh:
                added += self.add_jobs(service, operation, list(fresh.values()), region=region, account_id=account)
        return added

    def jobs(self, service: str, operation: str, *, region: str = "us-east-1",
             account_id: str | None = None) -> list[dict]:
        """The stream's summaries, newest first."""
        key = (service, operation, region, account_id or self.default_account_id)
        entries, _ = self.store.page(key, view=None, predicate=None, ascending=False, offset=0, limit=10**12)
        return [e.summary for e in entries]

    def job_count(self, service: str | None = None, operation: str | None = None,
                  region: str | None = None, account_id: str | None = None) -> int:
        return self.store.count(_stream_matcher(service, operation, region, account_id))

    def streams(self) -> list[tuple[str, str, str, str]]:
        """(service, operation, region, account) of every stream holding jobs."""
        return sorted(self.store.keys())

    def clear_jobs(self, service: str | None = None, operation: str | None = None,
                   region: str | None = None, account_id: str | None = None) -> int:
        return self.store.clear(_stream_matcher(service, operation, region, account_id))

    def seed(
        self,
        operations: Iterable[str | tuple[str, str]] | None = None,
        *,
        regions: Sequence[str] = ("us-east-1",),
        accounts: Sequence[str] | None = None,
        jobs_per_stream: int = 10,
        seed: int = 0,
        now: _dt.datetime | None = None,
    ) -> int:
        """Realistic generated jobs in every (operation, region, account) stream.

        ``operations``: None for all, or service names and/or (service,
        operation) pairs. Deterministic for a given ``seed`` and ``now``.
        Returns the number of jobs added.
        """
        from .seeds import generate_entries, resolve_operations

        added = 0
        for spec in resolve_operations(operations):
            for account in accounts or (self.default_account_id,):
                for region in regions:
                    summaries, parents = generate_entries(
                        spec.service, spec.operation, jobs_per_stream,
                        region=region, account_id=account, seed=seed, now=now,
                    )
                    if spec.walk:  # the generator gave the parents the walk lists: serve them
                        self.add_parents(spec.service, [p for pairs in parents for p in pairs],
                                         region=region, account_id=account)
                        parents = None
                    added += self.add_jobs(spec.service, spec.operation, summaries, region=region,
                                           account_id=account, parent_arn=parents, validate=False)
        return added

    # -- faults ---------------------------------------------------------------
    def inject(
        self,
        *,
        service: str | None = None,
        operation: str | None = None,
        region: str | None = None,
        account_id: str | None = None,
        latency: float | None = None,
        throttle: float | None = None,
        throttle_first: int | None = None,
        access_denied: bool = False,
        down: bool = False,
        error: str | None = None,
        fail_after_page: int | None = None,
        fail_kind: str = "internal",
        seed: int = 0,
    ) -> list[FaultRule]:
        """Add faults for the matching requests (None matches any); returns the rules.

        ``latency`` seconds before each answer; ``throttle`` a probability of
        ThrottlingException; ``throttle_first`` N: the first N calls are
        throttled; ``access_denied``: AccessDeniedException; ``down``: the
        connection is closed without a response (a region that does not
        answer); ``error``: ``"internal"`` (500) or ``"unavailable"`` (503);
        ``fail_after_page`` N: requests for page N+1 and later fail with
        ``fail_kind``. For anything else, build a :class:`FaultRule` and
        :meth:`add_fault` it.
        """
        rules = list(rules_from_kwargs(
            service=service, operation=operation, region=region, account_id=account_id,
            latency=latency, throttle=throttle, throttle_first=throttle_first, access_denied=access_denied,
            down=down, error=error, fail_after_page=fail_after_page, fail_kind=fail_kind, seed=seed,
        ))
        if not rules:
            raise ValueError("inject: say what should happen (latency=, throttle_first=, down=, ...)")
        for rule in rules:
            self._faults.add(rule)
        return rules

    def add_fault(self, rule: FaultRule) -> FaultRule:
        return self._faults.add(rule)

    def limit_rate(
        self,
        rate: float,
        *,
        burst: float | None = None,
        service: str | None = None,
        operation: str | None = None,
        region: str | None = None,
        account_id: str | None = None,
    ) -> RateLimit:
        """AWS's request-rate limit on the matching requests (None matches any): ``rate`` requests a
        second per (account, region, service, operation), in bursts of ``burst`` (default ``rate``,
        at least 1); above it, ThrottlingException. :meth:`clear_faults` removes it."""
        return self._faults.limit(RateLimit(rate, burst, service, operation, region, account_id))

    @property
    def rate_limits(self) -> list[RateLimit]:
        return self._faults.limits

    def clear_faults(self) -> None:
        self._faults.clear()

    @property
    def faults(self) -> list[FaultRule]:
        return self._faults.rules

    # -- request log ------------------------------------------------------------
    @property
    def requests(self) -> list[RequestRecord]:
        """Every request answered so far, oldest first (a copy)."""
        return self._log.records()

    def count(self, **filters: Any) -> int:
        """Requests whose :class:`RequestRecord` fields equal ``filters``."""
        return self._log.count(**filters)

    def reset_log(self) -> None:
        self._log.reset()


def _entry(spec: FakeOperation, summary: Mapping[str, Any], parent: str | None) -> Entry:
    created = summary.get(spec.created)
    key = summary.get(spec.key) or ""
    return Entry(
        created.timestamp() if isinstance(created, _dt.datetime) else 0.0,
        key,
        summary if isinstance(summary, dict) else dict(summary),
        parent if parent is not None else spec.parent_of(summary),
    )


def _stream_matcher(service, operation, region, account_id):
    want = (service, operation, region, account_id)
    return lambda key: all(w is None or w == k for w, k in zip(want, key))

