"""What every target shares: settings, the per-change result, the target interface."""
from __future__ import annotations

import abc
import time
from typing import Any, ClassVar, List, Mapping, Optional, Sequence, Tuple, Union

import attrs

from ..errors import ConfigurationError
from .event import Event

__all__ = ["NotifySettings", "Delivery", "TargetReport", "Target", "Deadline"]

EndpointUrl = Union[None, str, Tuple[Tuple[str, str], ...]]


def _endpoints(value: Any) -> EndpointUrl:
    if value is None or isinstance(value, str):
        return value
    items = value.items() if isinstance(value, Mapping) else value
    return tuple(sorted((str(k), str(v)) for k, v in items))


def _positive(instance: Any, attribute: "attrs.Attribute[Any]", value: Any) -> None:
    if not isinstance(value, (int, float)) or isinstance(value, bool) or value <= 0:
        raise ConfigurationError(f"{attribute.name} must be a positive number, got {value!r}")


@attrs.frozen
class NotifySettings:
    """How targets deliver (named defaults, built once, handed to every target).

    `timeout`: seconds for one call to a target (connecting, and each read).
    `budget`: seconds one target may spend in one delivery; what is left
    when it is spent stays pending for the next one. `max_attempts`: botocore
    attempts per AWS call, the first included (retries are botocore's
    `retry_mode`; a webhook POST is tried once: the next sync retries it).
    `endpoint_url`: None (botocore's normal resolution, including the
    AWS_ENDPOINT_URL variables), one URL, or a mapping of service
    (`events`, `sns`) to URL.
    """

    timeout: float = attrs.field(default=10.0, validator=_positive)
    budget: float = attrs.field(default=60.0, validator=_positive)
    max_attempts: int = attrs.field(default=3, validator=_positive)
    retry_mode: str = attrs.field(default="standard", validator=attrs.validators.in_(("standard", "adaptive", "legacy")))
    endpoint_url: EndpointUrl = attrs.field(default=None, converter=_endpoints)

    def endpoint_for(self, service: str) -> Optional[str]:
        if self.endpoint_url is None or isinstance(self.endpoint_url, str):
            return self.endpoint_url
        return dict(self.endpoint_url).get(service)


@attrs.frozen
class Delivery:
    """What became of one change at one target.

    `attempted` is False when the target was not even tried for it (an
    earlier change showed the target down, or its time budget was spent).
    """

    change_id: int
    delivered: bool
    error: Optional[str] = None
    attempted: bool = True


@attrs.frozen
class TargetReport:
    """One target's deliveries in one run, in the order the changes were given."""

    target: str
    deliveries: Tuple[Delivery, ...] = attrs.field(converter=tuple)

    @property
    def delivered(self) -> int:
        return sum(1 for d in self.deliveries if d.delivered)

    @property
    def failed(self) -> int:
        return sum(1 for d in self.deliveries if not d.delivered)

    @property
    def ok(self) -> bool:
        return self.failed == 0

    @property
    def error(self) -> Optional[str]:
        """The first failure's reason (None when every change was delivered)."""
        return next((d.error for d in self.deliveries if not d.delivered), None)

    def __str__(self) -> str:
        if self.ok:
            return f"{self.target}: {self.delivered} delivered"
        return f"{self.target}: {self.failed} of {len(self.deliveries)} not delivered: {self.error}"


class Deadline:
    """The end of one target's time budget."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._end = time.monotonic() + seconds

    def remaining(self) -> float:
        return max(0.0, self._end - time.monotonic())

    @property
    def expired(self) -> bool:
        return self.remaining() <= 0.0

    def skip_reason(self) -> str:
        return f"not attempted: the target's {self.seconds:g}s budget was spent"


class Target(abc.ABC):
    """Where changes go. Subclasses: one module per kind of target.

    `name` is safe to show anywhere (a webhook shows only its host); `key`
    identifies the target across runs (the outbox's `target` column) and
    holds no secret either.
    """

    scheme: ClassVar[str]
    #: How this target delivers (its time budget, timeouts, retries).
    settings: NotifySettings = NotifySettings()

    @property
    @abc.abstractmethod
    def name(self) -> str:
        ...

    @property
    def key(self) -> str:
        return self.name

    def prepare(self) -> "Target":
        """Make what the target needs now (an AWS client, with the credentials and endpoint of this moment)."""
        return self

    @abc.abstractmethod
    def deliver(self, events: Sequence[Event], deadline: Deadline) -> List[Delivery]:
        """One Delivery per event, in order; never raises for a failure of the target."""

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"


def not_attempted(events: Sequence[Event], reason: str) -> List[Delivery]:
    return [Delivery(e.change_id, False, reason, attempted=False) for e in events]
