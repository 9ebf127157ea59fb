"""Faults, latency and the request log.

A :class:`FaultRule` selects requests by service, operation, region and
account (None matches any) and says what happens to them:

``kind``
    ``"latency"`` (only delay), ``"throttle"`` (ThrottlingException),
    ``"access_denied"`` (AccessDeniedException), ``"internal"`` (HTTP 500),
    ``"unavailable"`` (HTTP 503), or ``"down"`` (the connection is closed
    without a response: botocore raises a connection error at once),
    ``"hang"`` (the request is read and never answered, until the server
    stops: a black-holed region), ``"body"`` (HTTP ``status`` or 200 with
    ``body`` as the raw bytes and ``content_type``: an HTML portal page, a
    truncated or empty body, JSON without the list member), ``"endless"``
    (an empty page with a fresh next-page token every time) or
    ``"repeat_token"`` (an empty page whose next-page token is always the
    same).
``latency``
    Seconds to wait before answering (for any kind).
``probability`` and ``seed``
    Chance that a matching request is hit, drawn from the rule's own seeded RNG.
``first``
    Hit only the first N matching requests.
``after_page``
    Hit only requests for a page beyond N of a listing (page 1 is the request
    without a token): "the listing fails after N pages".

A :class:`RateLimit` is AWS's request-rate limit: a token bucket per
(account, region, service, operation) it selects, ``rate`` requests a second
with bursts of ``burst``; a request that finds the bucket empty is answered
ThrottlingException (logged with ``fault="throttle"``).

The wire error codes and statuses a kind becomes are chosen per service from
its botocore model (the service's own modelled exception where it has one,
else AWS's common error); ``code``/``status`` override them.
"""
from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, field, fields
from typing import Any, Iterable

KINDS = ("latency", "throttle", "access_denied", "internal", "unavailable", "down", "hang", "body",
         "endless", "repeat_token")


@dataclass
class FaultRule:
    kind: str = "latency"
    service: str | None = None
    operation: str | None = None
    region: str | None = None
    account_id: str | None = None
    latency: float = 0.0
    probability: float = 1.0
    first: int | None = None
    #: The first ``skip`` selected requests pass (a failure part-way through a walk).
    skip: int = 0
    after_page: int | None = None
    message: str | None = None
    code: str | None = None
    status: int | None = None
    seed: int = 0
    body: bytes | None = None
    content_type: str | None = None
    matched: int = field(default=0, init=False)
    hits: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; one of {KINDS}")
        if not 0.0 <= self.probability <= 1.0:
            raise ValueError("probability must be within [0, 1]")
        if self.latency < 0:
            raise ValueError("latency must not be negative")
        self._rng = random.Random(self.seed)

    def selects(self, service: str, operation: str, region: str, account_id: str, page: int) -> bool:
        return (
            (self.service is None or self.service == service)
            and (self.operation is None or self.operation == operation)
            and (self.region is None or self.region == region)
            and (self.account_id is None or self.account_id == account_id)
            and (self.after_page is None or page > self.after_page)
        )

    def _fires(self) -> bool:
        """Count a selected request; True when the rule applies to it."""
        self.matched += 1
        if self.matched <= self.skip:
            return False
        if self.first is not None and self.matched - self.skip > self.first:
            return False
        if self.probability < 1.0 and self._rng.random() >= self.probability:
            return False
        self.hits += 1
        return True


@dataclass(frozen=True)
class Decision:
    """What the faults decided for one request."""

    latency: float = 0.0
    rule: FaultRule | None = None  # the error rule that fired, if any

    @property
    def kind(self) -> str | None:
        return self.rule.kind if self.rule else None


@dataclass
class RateLimit:
    """At most ``rate`` requests a second per (account, region, service, operation), bursts of ``burst``."""

    rate: float
    burst: float | None = None
    service: str | None = None
    operation: str | None = None
    region: str | None = None
    account_id: str | None = None
    admitted: int = field(default=0, init=False)
    throttled: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        if not self.rate > 0:
            raise ValueError("rate must be a positive number of requests per second")
        if self.burst is None:
            self.burst = max(1.0, float(self.rate))
        if not self.burst >= 1:
            raise ValueError("burst must be at least 1 request")
        self._buckets: dict[tuple[str, str, str, str], tuple[float, float]] = {}
        self._rule = FaultRule("throttle", message="Rate exceeded")

    def selects(self, service: str, operation: str, region: str, account_id: str) -> bool:
        return (
            (self.service is None or self.service == service)
            and (self.operation is None or self.operation == operation)
            and (self.region is None or self.region == region)
            and (self.account_id is None or self.account_id == account_id)
        )

    def admit(self, key: tuple[str, str, str, str], at: float) -> bool:
        """Take a token from the key's bucket (callers hold the FaultSet's lock); False: throttle."""
        tokens, last = self._buckets.get(key, (self.burst, at))
        tokens = min(self.burst, tokens + (at - last) * self.rate)  # type: ignore[type-var]
        if tokens < 1.0:
            self._buckets[key] = (tokens, at)
            self.throttled += 1
            return False
        self._buckets[key] = (tokens - 1.0, at)
        self.admitted += 1
        return True


class FaultSet:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rules: list[FaultRule] = []
        #: Set when the server stops: requests held by "hang" are let go (dropped).
        self.released = threading.Event()
        self._limits: list[RateLimit] = []

    def limit(self, limit: RateLimit) -> RateLimit:
        with self._lock:
            self._limits.append(limit)
        return limit

    @property
    def limits(self) -> list[RateLimit]:
        with self._lock:
            return list(self._limits)

    def add(self, rule: FaultRule) -> FaultRule:
        with self._lock:
            self._rules.append(rule)
        return rule

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()
            self._limits.clear()

    @property
    def rules(self) -> list[FaultRule]:
        with self._lock:
            return list(self._rules)

    def decide(self, service: str, operation: str, region: str, account_id: str, page: int) -> Decision:
        """Latency is the sum of the firing rules'; a rate limit, then the first firing error rule, wins."""
        latency, error = 0.0, None
        with self._lock:
            at = time.monotonic()
            for limit in self._limits:
                if limit.selects(service, operation, region, account_id) and not limit.admit(
                        (account_id, region, service, operation), at):
                    error = limit._rule
                    break
            for rule in self._rules:
                if not rule.selects(service, operation, region, account_id, page):
                    continue
                if rule.kind != "latency" and error is not None:
                    continue  # an earlier error rule already answers; do not use up this one
                if rule._fires():
                    latency += rule.latency
                    if rule.kind != "latency":
                        error = rule
        return Decision(latency, error)


@dataclass(frozen=True)
class RequestRecord:
    """One request the fake answered (or dropped: ``status`` None)."""

    time: float
    service: str | None
    operation: str | None
    region: str | None
    account_id: str | None
    access_key_id: str | None
    status: int | None
    error_code: str | None
    page: int | None
    items: int | None
    latency: float
    fault: str | None
    request_id: str


class RequestLog:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._records: list[RequestRecord] = []

    def append(self, record: RequestRecord) -> None:
        with self._lock:
            self._records.append(record)

    def records(self) -> list[RequestRecord]:
        with self._lock:
            return list(self._records)

    def reset(self) -> None:
        with self._lock:
            self._records.clear()

    def count(self, **filters: Any) -> int:
        names = {f.name for f in fields(RequestRecord)}
        unknown = set(filters) - names
        if unknown:
            raise TypeError(f"unknown request-log field(s) {sorted(unknown)}; use {sorted(names)}")
        return sum(1 for r in self.records() if all(getattr(r, k) == v for k, v in filters.items()))


def now() -> float:
    return time.time()


def rules_from_kwargs(
    *,
    service: str | None,
    operation: str | None,
    region: str | None,
    account_id: str | None,
    latency: float | None,
    throttle: float | None,
    throttle_first: int | None,
    access_denied: bool,
    down: bool,
    error: str | None,
    fail_after_page: int | None,
    fail_kind: str,
    seed: int,
) -> Iterable[FaultRule]:
    """The rules ``FakeJobServer.inject`` keywords stand for."""
    where = dict(service=service, operation=operation, region=region, account_id=account_id, seed=seed)
    if latency:
        yield FaultRule("latency", latency=latency, **where)
    if throttle_first:
        yield FaultRule("throttle", first=throttle_first, **where)
    if throttle:
        yield FaultRule("throttle", probability=throttle, **where)
    if access_denied:
        yield FaultRule("access_denied", **where)
    if down:
        yield FaultRule("down", **where)
    if error:
        yield FaultRule(error, **where)
    if fail_after_page is not None:
        yield FaultRule(fail_kind, after_page=fail_after_page, **where)
