"""Checks of collect() arguments that need no call: what can never work is a ConfigurationError
before anything is listed (and, for a command line, before it looks for credentials)."""
from __future__ import annotations

from typing import Any, List, Optional

from .clients import ClientSettings
from .errors import ConfigurationError
from .filters import make_filters
from .planning import names, select_specs
from .regions import check_regions

__all__ = ["check_arguments", "check_session"]

#: Most streams of one (account, region, service) in flight: None, no such
#: bound. AWS rate-limits per account, region and API operation, so the
#: scheduler bounds streams per operation (jobinventory.scheduling) and
#: starts the longest first; a bound per service only made waves.
DEFAULT_PER_KEY: Optional[int] = None
#: Seconds one stream (or one account look-up) may take, retries included.
DEFAULT_STREAM_TIMEOUT = 60.0


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

    What `collect` and `iter_jobs` check first; a command line checks its
    options with it before it looks for credentials.
    """
    select_specs(services, operations)
    if regions is not None:
        check_regions(names(regions, "regions"))
    make_filters(statuses, since, until, name_contains, True)
    if max_workers is not None and (not isinstance(max_workers, int) or max_workers < 1):
        raise ConfigurationError(f"max_workers must be a positive integer, got {max_workers!r}")
    try:
        ClientSettings(retry_mode=retry_mode, max_attempts=max_attempts, per_key=per_key,
                       endpoint_url=endpoint_url, stream_timeout=stream_timeout)
    except (TypeError, ValueError) as exc:
        raise ConfigurationError(str(exc)) from None


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
