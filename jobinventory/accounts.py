"""Which accounts a collection visits: the session's own, role ARNs to assume, ready Sessions, an organization.

An `AccountRef` is plain data (it travels with each stream task): a role ARN
is assumed where the task runs, never before, and no credentials or session
ever goes into it. A ready boto3 Session stays in the process that was given
it; the ref only points at it by index.
"""
from __future__ import annotations

import logging
import re
from typing import Any, Iterable, List, Optional, Tuple

import attrs

from .errors import ConfigurationError

__all__ = [
    "AccountRef",
    "ROLE_SESSION_NAME",
    "parse_role_arn",
    "account_refs",
    "caller_account_id",
    "organization_accounts",
]

log = logging.getLogger("jobinventory")

#: The RoleSessionName of every assumed role (what CloudTrail shows).
ROLE_SESSION_NAME = "jobinventory"

_ROLE_ARN = re.compile(r"^arn:(aws[a-z-]*):iam::(\d{12}):role/(.+)$")
_ROLE_NAME = re.compile(r"^[\w+=,.@/-]{1,512}$")


def parse_role_arn(arn: str) -> Tuple[str, str]:
    """(partition, account id) of an IAM role ARN; ConfigurationError for anything else."""
    match = _ROLE_ARN.match(arn) if isinstance(arn, str) else None
    if not match:
        raise ConfigurationError(
            f"not an IAM role ARN: {arn!r} (expected arn:aws:iam::123456789012:role/Name)"
        )
    return match.group(1), match.group(2)


@attrs.frozen
class AccountRef:
    """One account to collect from.

    kind: "default" (the base session's own credentials), "role" (assume
    `role_arn` from the base session), or "session" (the ready Session at
    `session_index` of the caller's list, usable only in this process).
    `account_id` is known from the role ARN or STS, else None.
    """

    kind: str = attrs.field(validator=attrs.validators.in_(("default", "role", "session")))
    role_arn: Optional[str] = None
    session_index: Optional[int] = None
    account_id: Optional[str] = None
    partition: Optional[str] = None

    @property
    def key(self) -> Tuple[Any, ...]:
        """What identifies the credentials (a client cache key); the account id is not part of it."""
        return (self.kind, self.role_arn, self.session_index)

    @property
    def portable(self) -> bool:
        """True when the ref can run in another process (not a ready Session)."""
        return self.kind != "session"


def account_refs(accounts: Any) -> Tuple[List[AccountRef], List[Any]]:
    """The refs for `collect(accounts=...)`, and the ready Sessions they point into.

    None means the base session's own account; otherwise an iterable of role
    ARNs and/or boto3 Sessions (a single ARN or Session is taken as one).
    Duplicated ARNs are visited once.
    """
    if accounts is None:
        return [AccountRef("default")], []
    if isinstance(accounts, str) or _is_session(accounts):
        accounts = [accounts]
    refs: List[AccountRef] = []
    sessions: List[Any] = []
    seen = set()
    for item in accounts:
        if isinstance(item, str):
            partition, account_id = parse_role_arn(item)
            if item in seen:
                continue
            seen.add(item)
            refs.append(AccountRef("role", role_arn=item, account_id=account_id, partition=partition))
        elif _is_session(item):
            if any(s is item for s in sessions):
                continue
            refs.append(AccountRef("session", session_index=len(sessions)))
            sessions.append(item)
        else:
            raise ConfigurationError(
                f"accounts: expected role ARNs or boto3 Sessions, got {type(item).__name__} {item!r}"
            )
    if not refs:
        raise ConfigurationError("accounts: an empty list; pass None for the session's own account")
    return refs, sessions


def _is_session(value: Any) -> bool:
    import boto3

    return isinstance(value, boto3.Session)


def caller_account_id(sts_client: Any) -> Optional[str]:
    """The account of the client's credentials (STS GetCallerIdentity), None with a warning if it fails."""
    try:
        return sts_client.get_caller_identity()["Account"]
    except Exception as exc:
        log.warning("jobinventory: STS GetCallerIdentity failed (%s); the account id stays unknown", exc)
        return None


def organization_accounts(
    session: Any = None,
    role_name: str = "OrganizationAccountAccessRole",
    include: Optional[Iterable[str]] = None,
    exclude: Optional[Iterable[str]] = None,
    *,
    endpoint_url: Optional[str] = None,
    timeout: Optional[float] = 60.0,
) -> List[str]:
    """Role ARNs of `role_name` in every ACTIVE account AWS Organizations lists.

    For `jobinventory list --org-role NAME`: pass the result as
    `collect(accounts=...)`. `include` keeps only those account ids,
    `exclude` drops those. Sorted by account id. Organizations errors (not
    the management account, access denied) propagate as botocore raises them;
    a listing not done within `timeout` seconds (None: no bound) raises
    `jobinventory.deadlines.DeadlineExceeded`.
    """
    import boto3

    from .clients import ClientSettings
    from .deadlines import call_bounded, check as check_deadline
    from .regions import partition_of

    if not isinstance(role_name, str) or not _ROLE_NAME.match(role_name):
        raise ConfigurationError(f"not an IAM role name: {role_name!r}")
    session = session if session is not None else boto3.Session()
    wanted = _id_set(include, "include")
    dropped = _id_set(exclude, "exclude") or set()
    partition = partition_of(session.region_name)
    settings = ClientSettings(stream_timeout=timeout)
    client = session.client("organizations", endpoint_url=endpoint_url, config=settings.config())
    client.meta.events.register("before-send", check_deadline)
    pages = call_bounded(lambda: list(client.get_paginator("list_accounts").paginate()), timeout,
                         "Organizations ListAccounts")
    found: List[Tuple[str, str]] = []
    listed = set()
    for page in pages:
        for account in page.get("Accounts", []):
            account_id = account["Id"]
            listed.add(account_id)
            state = account.get("State") or account.get("Status")
            if state != "ACTIVE":
                log.info("jobinventory: skipping account %s (%s)", account_id, state)
                continue
            if wanted is not None and account_id not in wanted:
                continue
            if account_id in dropped:
                continue
            found.append((account_id, f"arn:{partition}:iam::{account_id}:role/{role_name.strip('/')}"))
    if wanted is not None:
        missing = sorted(wanted - listed)
        if missing:
            log.warning("jobinventory: accounts not in the organization: %s", ", ".join(missing))
    return [arn for _, arn in sorted(found)]


def _id_set(ids: Optional[Iterable[str]], what: str) -> Optional[set]:
    if ids is None:
        return None
    if isinstance(ids, str):
        ids = [ids]
    out = set()
    for account_id in ids:
        account_id = str(account_id).strip()
        if not (len(account_id) == 12 and account_id.isdigit()):
            raise ConfigurationError(f"{what}: an AWS account id is 12 digits, got {account_id!r}")
        out.add(account_id)
    return out

