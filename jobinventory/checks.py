"""Checks of collect() arguments that need no call: what can never work is a ConfigurationError
before anything is listed (and, for a command line, before it looks for credentials)."""
from __future__ import annotations

from typing import Any, List, Optional

from .concurrency import DEFAULT_PER_KEY, DEFAULT_STREAM_TIMEOUT
from .errors import ConfigurationError

__all__ = ["check_arguments", "check_session"]


def check_arguments(
    *,
    services: Any = None,
    operations: Any = None,
    regions: Any = None,
    statuses: Any = None,
    since: Any = None,
    until: Any = None,
    name_contains: Any = None,
    max_workers: Optional[int] = None,
    retry_mode: str = "standard",
    max_attempts: int = 10,
    endpoint_url: Any = None,
    per_key: Optional[int] = DEFAULT_PER_KEY,
    stream_timeout: Optional[float] = DEFAULT_STREAM_TIMEOUT,
    **_: Any,
) -> None:
    """ConfigurationError for collect() arguments that cannot work, with no session and no call.

    What `collect` and `iter_jobs` check first (building their CollectRequest);
    a command line checks its options with it before it looks for credentials.
    """
    from .request import CollectRequest

    CollectRequest.build(
        services=services, operations=operations, regions=regions, statuses=statuses, since=since, until=until,
        name_contains=name_contains, max_workers=max_workers, retry_mode=retry_mode, max_attempts=max_attempts,
        endpoint_url=endpoint_url, per_key=per_key, stream_timeout=stream_timeout,
    )


def check_session(session: Any, refs: List[Any], sessions: List[Any], executor: Any) -> None:
    """ConfigurationError for a session that is not one, or no credentials to list with: one
    clear error before anything is listed, not an access_denied per stream."""
    if session is not None and not callable(getattr(session, "get_credentials", None)):
        raise ConfigurationError(f"session must be a boto3.Session or None, got {session!r}")
    if executor is not None:
        return  # the workers obtain credentials where they run
    if any(ref.kind != "session" for ref in refs):
        base = session if session is not None else _boto3_session()
        _require_credentials(base, "the session")
    for index, ready in enumerate(sessions):
        _require_credentials(ready, f"accounts[{index}] (a boto3 Session)")


def _boto3_session() -> Any:
    import boto3

    return boto3.Session()


def _require_credentials(session: Any, what: str) -> None:
    try:
        credentials = session.get_credentials()
    except Exception as exc:  # a broken profile or credential process
        raise ConfigurationError(f"{what}: AWS credentials could not be loaded: {exc}") from None
    if credentials is None:
        raise ConfigurationError(f"{what} has no AWS credentials (no profile, environment keys or role): "
                                 "nothing could be listed")
