"""botocore clients for a collection: one per (account, region, service), built safely across threads.

The collector never touches the caller's session beyond reading its
credentials, region, profile and default client config. It builds its
clients from PRIVATE botocore sessions that carry those (one per profile
and region for the whole process, `jobinventory.sessions`: every account and
every collection shares it, each client
given its account's credentials, each service's model and client class
built once: `jobinventory.botosession`), share one model loader, and share
one response parser factory
(`jobinventory.parsing.ParserFactory`: botocore's JSON parsers with the
walk over each shape compiled once) whose timestamp parser is
`parse_wire_timestamp`: every timestamp in a response is parsed once,
straight to aware UTC, instead of botocore's default (dateutil, then a
local time zone).

botocore sessions are not thread-safe; clients are. Clients are created
under their session's lock and cached, so the streams of one (account, region,
service) share one client and with it the adaptive retry mode's rate limiter.
The STS clients that assume roles are one per region, signing with the base
session's credentials.
"""
from __future__ import annotations

import threading
from typing import Any, Dict, Hashable, Mapping, Optional, Sequence, Tuple, Union
from urllib.parse import urlsplit

import attrs
import boto3
from botocore.config import Config
from botocore.credentials import AssumeRoleCredentialFetcher, DeferredRefreshableCredentials

from .accounts import ROLE_SESSION_NAME, AccountRef
from .botosession import SharedSession
from .concurrency import DEFAULT_MAX_WORKERS
from .redact import redact_text
from .sessions import shared_session
from .deadlines import check as check_deadline
from .errors import ConfigurationError
from .regions import partition_of, service_regions
from .registry import specs_for

__all__ = ["ClientSettings", "SessionSource", "ClientFactory", "RETRY_MODES"]

RETRY_MODES = ("standard", "adaptive", "legacy")
EndpointUrl = Union[None, str, Tuple[Tuple[str, str], ...]]


def _endpoints(value: Any) -> EndpointUrl:
    if value is None:
        return value
    if isinstance(value, str):
        return _url(value)
    if isinstance(value, Mapping):
        return tuple(sorted((str(k), _url(v)) for k, v in value.items()))
    return tuple(sorted((str(k), _url(v)) for k, v in value))


def _url(value: Any) -> str:
    """An endpoint URL botocore can call (http or https, a host); ConfigurationError otherwise."""
    text = str(value)
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigurationError(f"endpoint_url: {redact_text(text)!r} is not an http:// or https:// URL")
    return text


def _version() -> str:
    from . import __version__

    return __version__


#: Connections a client keeps for its streams when no per_key bound applies: as
#: many as calls in flight (a service's operations may all run at once).
_POOL = DEFAULT_MAX_WORKERS


@attrs.frozen
class ClientSettings:
    """How every client of a collection is configured (plain data: it travels with each task).

    Retries are botocore's own (`retry_mode`; `max_attempts` counts every
    attempt, the first included, so 1 means no retry). Each attempt is
    bounded by `connect_timeout` and `read_timeout` (sized for a List call,
    which answers in well under a second); a stream's attempts, retries
    included, stop once it has gone `stream_timeout` seconds without a page
    (None: no deadline), when the stream is reported failed whatever its
    socket does. `per_key` is
    the most streams of one (account, region, service) in flight at once
    (None: no such bound; AWS limits each operation, see
    jobinventory.scheduling); the connection pool is at least that. `endpoint_url` is None (botocore's
    normal resolution, including the AWS_ENDPOINT_URL variables), one URL for
    every service, or a mapping of service name to URL.
    """

    retry_mode: str = attrs.field(default="standard", validator=attrs.validators.in_(RETRY_MODES))
    max_attempts: int = 10
    connect_timeout: float = 5.0
    read_timeout: float = 20.0
    stream_timeout: Optional[float] = 60.0
    per_key: Optional[int] = None
    endpoint_url: EndpointUrl = attrs.field(default=None, converter=_endpoints)

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.max_attempts, int) or self.max_attempts < 1:
            raise ConfigurationError(f"max_attempts must be a positive integer, got {self.max_attempts!r}")
        for name in ("connect_timeout", "read_timeout", "stream_timeout"):
            value = getattr(self, name)
            if name == "stream_timeout" and value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < 10**7:
                raise ConfigurationError(f"{name} must be a positive number of seconds, got {value!r}")
        if self.per_key is not None and (not isinstance(self.per_key, int) or self.per_key < 1):
            raise ConfigurationError(f"per_key must be at least 1, got {self.per_key!r}")

    def endpoint_for(self, service: str) -> Optional[str]:
        if self.endpoint_url is None or isinstance(self.endpoint_url, str):
            return self.endpoint_url
        return dict(self.endpoint_url).get(service)

    def config(self) -> Config:
        return Config(
            # Every attempt, the first included (as AWS_MAX_ATTEMPTS counts them;
            # botocore's own `max_attempts` key counts only the retries).
            retries={"mode": self.retry_mode, "total_max_attempts": self.max_attempts},
            connect_timeout=self.connect_timeout,
            read_timeout=self.read_timeout,
            # Every stream of the client's (account, region, service) may be in flight at once.
            max_pool_connections=max(10, 2 * self.per_key) if self.per_key else _POOL,
            user_agent_extra=f"jobinventory/{_version()}",
        )


@attrs.frozen
class SessionSource:
    """What a worker process needs to rebuild the caller's base session: never credentials."""

    profile_name: Optional[str] = None
    region_name: Optional[str] = None

    @classmethod
    def of(cls, session: Optional[boto3.Session]) -> "SessionSource":
        if session is None:
            return cls()
        creds = session.get_credentials()
        if creds is not None and getattr(creds, "method", None) == "explicit":
            raise ConfigurationError(
                "stream tasks sent to an executor obtain credentials in the worker; a session built "
                "from explicit keys cannot travel: use a profile, the environment or role ARNs"
            )
        profile = session.profile_name
        return cls(profile_name=None if profile == "default" else profile, region_name=session.region_name)

    def session(self) -> boto3.Session:
        return boto3.Session(profile_name=self.profile_name, region_name=self.region_name)


class _Account:
    """One account: the shared session its clients come from, its credentials and its session's default config."""

    __slots__ = ("session", "credentials", "default_config")

    def __init__(self, session: SharedSession, credentials: Any, default_config: Optional[Config]) -> None:
        self.session = session
        self.credentials = credentials
        self.default_config = default_config


class ClientFactory:
    """Clients for one collection (or one worker process), cached per (account, region, service).

    `base` is the caller's session (None: boto3's default credential chain,
    through a new Session, never boto3's module-level one); `sessions` are
    the ready Sessions `AccountRef(kind="session")` points into.
    """

    def __init__(
        self,
        settings: ClientSettings,
        base: Optional[boto3.Session] = None,
        sessions: Sequence[boto3.Session] = (),
    ) -> None:
        self.settings = settings
        self._base = base if base is not None else boto3.Session()
        self._sessions = list(sessions)
        self._config = settings.config()
        self._configs: Dict[Tuple[str, Optional[Config]], Config] = {}  # per service (and default config)
        # Client arguments that do not depend on the credentials, per session: computed once per collection.
        self._memo: Dict[Hashable, Any] = {}
        self._lock = threading.Lock()
        self._accounts: Dict[Hashable, _Account] = {}
        self._sts: Dict[str, Any] = {}  # region: the client that assumes roles
        self._clients: Dict[Tuple[Hashable, str, str], Any] = {}
        self._base_creds: Any = None
        self._base_creds_loaded = False

    # -- sessions --------------------------------------------------------------
    def home_region(self, account: AccountRef) -> str:
        """The region for an account's global calls (STS, EC2 DescribeRegions)."""
        session = self._like(account)
        region = session.region_name
        partition = account.partition or partition_of(region)
        if region and partition_of(region) == partition:
            return region
        if partition == "aws":
            return "us-east-1"
        regions = service_regions("sts", partition) or service_regions("ec2", partition)
        return regions[0] if regions else "us-east-1"

    def _like(self, account: AccountRef) -> boto3.Session:
        if account.kind == "session":
            return self._sessions[account.session_index]  # type: ignore[index]
        return self._base

    def _private(self, like: boto3.Session, credentials: Any) -> _Account:
        """An account whose clients carry `like`'s profile, region, config and sign with `credentials`.

        Its session is the process's for that profile and region (jobinventory.sessions), shared with every
        other account and collection (callers hold self._lock).
        """
        profile = like.profile_name
        session = shared_session(None if profile == "default" else profile, like.region_name)
        inner = getattr(like, "_session", None)
        default = inner.get_default_client_config() if inner is not None else None
        return _Account(session, credentials, default)

    def _base_credentials(self) -> Any:
        if not self._base_creds_loaded:
            self._base_creds = self._base.get_credentials()
            self._base_creds_loaded = True
        return self._base_creds

    def _account(self, account: AccountRef) -> _Account:
        found = self._accounts.get(account.key)
        if found is not None:
            return found
        with self._lock:
            found = self._accounts.get(account.key)
            if found is None:
                if account.kind == "role":
                    base = self._base_account()
                    credentials = self._assume_role(account, base)
                    found = self._private(self._base, credentials)
                elif account.kind == "session":
                    like = self._like(account)
                    found = self._private(like, like.get_credentials())
                else:
                    found = self._base_account()
                self._accounts[account.key] = found
        return found

    def _base_account(self) -> _Account:
        """The base session's private twin (callers hold self._lock)."""
        key = ("base",)
        found = self._accounts.get(key)
        if found is None:
            found = self._private(self._base, self._base_credentials())
            self._accounts[key] = found
        return found

    def _assume_role(self, account: AccountRef, base: _Account) -> DeferredRefreshableCredentials:
        """Credentials that assume the role on first use and again before they expire."""
        region = self.home_region(account)

        def sts_client(service: str, **_keys: Any) -> Any:
            # One client per region assumes every role: it signs with the base credentials object
            # (refreshed where it refreshes), not with the frozen keys botocore's fetcher passes.
            return self._sts_client(region, base)

        extra: Dict[str, Any] = {"RoleSessionName": ROLE_SESSION_NAME}
        fetcher = AssumeRoleCredentialFetcher(
            sts_client, self._base_credentials(), account.role_arn, extra_args=extra
        )
        return DeferredRefreshableCredentials(refresh_using=fetcher.fetch_credentials, method="assume-role")

    def _sts_client(self, region: str, base: _Account) -> Any:
        found = self._sts.get(region)
        if found is None:
            with base.session.lock:
                found = self._sts.get(region)
                if found is None:
                    found = self._sts[region] = self._create(base, "sts", region)
        return found

    def _create(self, entry: _Account, service: str, region: str) -> Any:
        """A new client (callers hold entry.session.lock)."""
        return _bounded(entry.session.client(
            service, region, self.settings.endpoint_for(service), self._merged(entry, service), entry.credentials,
            self._memo,
        ))

    def _merged(self, account: _Account, service: str) -> Config:
        """The service's config, one object per (service, default config): the memo's key holds it."""
        key = (service, account.default_config)
        config = self._configs.get(key)
        if config is None:
            # A client's streams are its service's operations: a pool of 64 would cost ~0.3 ms a client.
            size = min(self._config.max_pool_connections, max(2, len(specs_for(service))))
            config = self._config.merge(Config(max_pool_connections=size))
            if account.default_config is not None:
                config = account.default_config.merge(config)
            self._configs[key] = config
        return config

    # -- clients ---------------------------------------------------------------
    def client(self, account: AccountRef, region: str, service: str) -> Any:
        """The one client of (account, region, service); created once, shared by its streams."""
        key = (account.key, region, service)
        found = self._clients.get(key)
        if found is not None:
            return found
        entry = self._account(account)
        with entry.session.lock:
            found = self._clients.get(key)
            if found is None:
                found = self._clients[key] = self._create(entry, service, region)
        return found

    def release(self, account: AccountRef, region: str, service: str) -> None:
        """Close and forget the client of (account, region, service): its streams are done.

        A later `client()` for it makes a new one; a thread still holding the
        old one can go on using it (closing only drops idle connections).
        """
        with self._lock:
            client = self._clients.pop((account.key, region, service), None)
        if client is not None:
            _close(client)

    def release_account(self, account: AccountRef) -> None:
        """Forget an account's private session and credentials (release its clients first)."""
        with self._lock:
            self._accounts.pop(account.key, None)

    def close(self) -> None:
        """Close every client's connections and forget every account's session."""
        with self._lock:
            clients = list(self._clients.values()) + list(self._sts.values())
            self._clients.clear()
            self._sts.clear()
            self._accounts.clear()
        for client in clients:
            _close(client)


def _bounded(client: Any) -> Any:
    """`client`, each of its attempts checked against its thread's deadline (jobinventory.deadlines)."""
    client.meta.events.register("before-send", check_deadline, unique_id="jobinventory-deadline")
    return client


def _close(client: Any) -> None:
    try:
        client.close()
    except Exception:  # closing is best effort
        pass
