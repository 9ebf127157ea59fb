"""The library's exceptions: one base, raised, never printed."""
from __future__ import annotations

from typing import Any, Optional, Tuple

from .redact import redact_text

__all__ = [
    "JobInventoryError",
    "NormalizationError",
    "CollectionError",
    "ConfigurationError",
    "ResponseError",
    "ERROR_KINDS",
]

#: The kinds a failed stream is reported as.
ERROR_KINDS = (
    "access_denied",
    "region_unavailable",
    "throttled",
    "invalid_request",
    "service_error",
    "other",
)


class JobInventoryError(Exception):
    """Base of every exception jobinventory raises."""


class ConfigurationError(JobInventoryError, ValueError):
    """A call's arguments cannot work (unknown service, region, operation...)."""


class NormalizationError(JobInventoryError, ValueError):
    """A summary could not be turned into a Job; names service, operation and field."""

    def __init__(self, service: str, operation: str, field: Optional[str], reason: str) -> None:
        self.service = service
        self.operation = operation
        self.field = field
        self.reason = reason
        where = f"{service} {operation}"
        if field:
            where += f" field {field!r}"
        super().__init__(f"{where}: {reason}")

    def __reduce__(self) -> Tuple[Any, ...]:
        return (type(self), (self.service, self.operation, self.field, self.reason))


class ResponseError(JobInventoryError):
    """A service answered, but not with the operation's response (HTML, a truncated body, a
    missing list, page tokens that never end). Ends one stream as its `service_error`."""


class CollectionError(JobInventoryError):
    """One stream (account, region, service, operation) that failed.

    `message` is redacted (`jobinventory.redact.redact_text`) on the way in.

    Collected into `Inventory.errors`, not raised by `collect`.
    `kind` is one of ERROR_KINDS.
    """

    def __init__(
        self,
        account: Optional[str],
        region: Optional[str],
        service: str,
        operation: Optional[str],
        kind: str,
        message: str,
    ) -> None:
        if kind not in ERROR_KINDS:
            raise ValueError(f"CollectionError kind must be one of {ERROR_KINDS}, got {kind!r}")
        self.account = account
        self.region = region
        self.service = service
        self.operation = operation
        self.kind = kind
        # Whatever the message came from (a service's words, an endpoint URL),
        # no presigned URL's signature and no URL password goes further.
        self.message = redact_text(message)
        super().__init__(str(self))

    def _key(self) -> Tuple[Any, ...]:
        return (self.account, self.region, self.service, self.operation, self.kind, self.message)

    def __reduce__(self) -> Tuple[Any, ...]:
        return (type(self), self._key())

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self._key() == other._key()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(self._key())

    def __str__(self) -> str:
        where = "/".join(str(p) for p in (self.account, self.region, self.service, self.operation) if p)
        return f"{where}: {self.kind}: {self.message}"

    def __repr__(self) -> str:
        return (
            f"CollectionError(account={self.account!r}, region={self.region!r}, "
            f"service={self.service!r}, operation={self.operation!r}, kind={self.kind!r}, "
            f"message={self.message!r})"
        )
