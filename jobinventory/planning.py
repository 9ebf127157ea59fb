"""Planning a collection: which (account, region, service, operation) streams, and which are skipped.

Arguments are checked first (ConfigurationError before any call). Then each
account's id (STS GetCallerIdentity, unless its role ARN says it) and the
opt-in regions it has not enabled (EC2 DescribeRegions AllRegions=True) are
looked up once, concurrently over accounts: here, or with an executor on its
workers (`jobinventory.executors.look_up_on_executor`), so that the
collecting process never needs the accounts' credentials. Every stream
planned is either a task or a skipped StreamResult with its reason.
"""
from __future__ import annotations

import functools
import logging
from typing import Any, Callable, Dict, FrozenSet, List, Optional, Sequence, Set, Tuple

import attrs

from .accounts import AccountRef, caller_account_id
from .clients import ClientFactory, ClientSettings
from .deadlines import describe, map_bounded
from .errors import ConfigurationError
from .filters import Filters
from .inventory import StreamResult
from .regions import (
    REASON_NOT_ENABLED,
    REASON_NOT_OFFERED,
    offered_in,
    partition_of,
    region_statuses,
    service_regions,
)
from .registry import all_specs, get_spec, services as covered_services
from .tasks import StreamTask

__all__ = ["names", "select_specs", "AccountPlan", "EnabledEverywhere", "candidate_regions", "look_up", "plan"]

log = logging.getLogger("jobinventory")

#: Accounts whose assumed-role credentials (~7 KB each: accounts share one botocore session) a
#: collection on threads keeps from the look-up for listing; the others assume their role again then.
SESSIONS_KEPT = 2048


def names(value: Any, what: str) -> Optional[List[str]]:
    """A name or an iterable of names as a list; None stays None; an empty list is an error."""
    if value is None:
        return None
    if isinstance(value, str):
        return [value]
    items = list(value)
    if not items:
        raise ConfigurationError(f"{what}: an empty list would collect nothing; pass None for all")
    return items


def select_specs(services: Any, operations: Any) -> List[Tuple[str, str]]:
    """The (service, operation) pairs to list; ConfigurationError naming what is covered."""
    specs = all_specs()
    chosen_services = names(services, "services")
    if chosen_services is not None:
        for service in chosen_services:
            if service not in covered_services():
                raise ConfigurationError(
                    f"unknown service {service!r}; covered services: {', '.join(covered_services())}"
                )
    pairs = [key for key in specs if chosen_services is None or key[0] in chosen_services]
    wanted_ops = names(operations, "operations")
    if wanted_ops is None:
        return pairs
    selected: List[Tuple[str, str]] = []
    for op in wanted_ops:
        for sep in (":", "."):
            if sep in op:
                service, name = op.split(sep, 1)
                get_spec(service, name)  # raises naming what is covered
                if chosen_services is not None and service not in chosen_services:
                    raise ConfigurationError(f"operation {op!r} is not of the services asked for")
                hits = [(service, name)]
                break
        else:
            hits = [key for key in pairs if key[1] == op]
            if not hits:
                known = ", ".join(sorted({f"{s}:{o}" for s, o in pairs}))
                raise ConfigurationError(f"unknown operation {op!r}; covered: {known}")
        selected.extend(h for h in hits if h not in selected)
    return sorted(selected)


@attrs.frozen
class AccountPlan:
    """An account (its id now known where it can be) and the opt-in regions it has not enabled.

    `not_enabled` None: unknown (DescribeRegions failed), every region is listed.
    Plain data: it comes back from an executor's worker (`jobinventory.executors`).
    """

    ref: AccountRef
    not_enabled: Optional[FrozenSet[str]]


class EnabledEverywhere:
    """Per partition, the regions an account's DescribeRegions called `opt-in-not-required`.

    AWS enables those in every account (the regions launched before opt-in
    regions existed; a later region is opt-in everywhere), so an account
    whose candidate regions (`wanted(partition)`) are all among them has
    enabled every one: it needs no DescribeRegions of its own. Learnt from
    the first answer of each partition.
    """

    def __init__(self, wanted: Callable[[str], FrozenSet[str]]) -> None:
        self._wanted = wanted
        self._known: Dict[str, FrozenSet[str]] = {}

    def covers(self, partition: str) -> bool:
        return not self.unknown(partition)

    def unknown(self, partition: str) -> FrozenSet[str]:
        """The candidate regions of `partition` not known to be enabled in every account (all before an answer)."""
        return self._wanted(partition) - self._known.get(partition, frozenset())

    def learn(self, partition: str, statuses: Dict[str, str]) -> None:
        everywhere = frozenset(r for r, status in statuses.items() if status == "opt-in-not-required")
        self._known.setdefault(partition, everywhere)


def _plan_account(factory: ClientFactory, ref: AccountRef, everywhere: Optional[EnabledEverywhere] = None
                  ) -> AccountPlan:
    """The account's id (STS, unless a role ARN gave it) and its not-enabled regions (EC2)."""
    home = factory.home_region(ref)
    if ref.account_id is None:
        try:
            account_id = caller_account_id(factory.client(ref, home, "sts"))
        except Exception as exc:
            log.warning("jobinventory: no STS client (%s); the account id stays unknown", exc)
            account_id = None
        ref = attrs.evolve(ref, account_id=account_id, partition=ref.partition or partition_of(home))
    partition = ref.partition or partition_of(home)
    try:
        return AccountPlan(ref, _not_enabled(factory, ref, home, partition, everywhere))
    finally:
        # Asked once: over thousands of accounts, idle clients would add up (~0.1 MB each).
        for service in ("sts", "ec2"):
            factory.release(ref, home, service)


def _not_enabled(factory: ClientFactory, ref: AccountRef, home: str, partition: str,
                 everywhere: Optional[EnabledEverywhere]) -> Optional[FrozenSet[str]]:
    asked = None
    if everywhere is not None:
        # Only the regions whose answer can differ between accounts (every candidate before a first answer).
        asked = everywhere.unknown(partition)
        if not asked:
            return frozenset()  # every region it could be listed in is enabled in every account
    try:
        statuses = region_statuses(factory.client(ref, home, "ec2"), asked)
    except Exception as exc:
        log.warning("jobinventory: no EC2 client (%s); listing every region", exc)
        return None
    if statuses is None:
        return None
    if everywhere is not None:
        everywhere.learn(partition, statuses)
    return frozenset(r for r, status in statuses.items() if status == "not-opted-in")


def candidate_regions(pairs: Sequence[Tuple[str, str]], regions: Optional[Sequence[str]]
                      ) -> Callable[[str], FrozenSet[str]]:
    """partition -> every region a stream of `pairs` could be listed in (`regions`, else where each is offered)."""
    where = {get_spec(*pair).region_service for pair in pairs}

    @functools.lru_cache(maxsize=None)
    def wanted(partition: str) -> FrozenSet[str]:
        if regions is not None:
            return frozenset(regions)
        return frozenset(r for service in where for r in service_regions(service, partition))

    return wanted


def look_up(
    factory: ClientFactory,
    refs: Sequence[AccountRef],
    threads: int,
    name: str = "jobinventory-plan",
    keep: Optional[int] = None,
    everywhere: Optional[EnabledEverywhere] = None,
) -> List[AccountPlan]:
    """Each account's id and not-enabled regions, `threads` accounts at once (threads named `name`_N).

    Each account's look-up stops at the settings' `stream_timeout` (its id
    then stays unknown and every region is listed). With `keep`, the sessions (assumed roles) of only the first `keep`
    accounts to be listed stay in `factory` (by account id where a role ARN
    gives it, else as given); the others assume their role again at their turn.
    With `everywhere` (it knows the regions the collection could list), an
    account asks EC2 DescribeRegions only while some of those regions are
    not known to be enabled in every account.
    """
    kept = None if keep is None else {r.key for r in sorted(refs, key=lambda r: r.account_id or "")[:keep]}

    def one(ref: AccountRef) -> AccountPlan:
        found = _plan_account(factory, ref, everywhere)
        if kept is not None and ref.key not in kept:
            factory.release_account(ref)
        return found

    def gave_up(ref: AccountRef) -> AccountPlan:
        log.warning("jobinventory: the look-up of account %s: %s; its id stays unknown, listing every region",
                    ref.account_id or ref.role_arn or "(the session's own)", describe(timeout))
        return AccountPlan(ref, None)

    timeout = factory.settings.stream_timeout
    threads = max(1, min(len(refs), threads))
    return map_bounded(one, refs, threads, timeout, gave_up, name)


def plan(
    factory: ClientFactory,
    refs: Sequence[AccountRef],
    pairs: Sequence[Tuple[str, str]],
    regions: Optional[List[str]],
    filters: Filters,
    settings: ClientSettings,
    max_workers: int,
    accounts: Optional[Sequence[AccountPlan]] = None,
) -> Tuple[List[StreamTask], List[StreamResult]]:
    """The stream tasks to run, and the streams skipped with their reason.

    `accounts`: the accounts already looked up (on an executor's workers);
    None looks them up here, on `max_workers` threads.
    """
    if accounts is None:
        everywhere = EnabledEverywhere(candidate_regions(pairs, regions))
        accounts = look_up(factory, refs, max_workers, keep=SESSIONS_KEPT, everywhere=everywhere)
    plans = list(accounts)
    tasks: List[StreamTask] = []
    skipped: List[StreamResult] = []
    seen_ids: Set[str] = set()
    # The service whose endpoint data lists each operation's regions.
    region_services = {pair: get_spec(*pair).region_service for pair in pairs}
    for account in plans:
        ref = account.ref
        if ref.account_id is not None:
            if ref.account_id in seen_ids:
                log.info("jobinventory: account %s given twice; collecting it once", ref.account_id)
                continue
            seen_ids.add(ref.account_id)
        partition = ref.partition or partition_of(factory.home_region(ref))
        for service, operation in pairs:
            where = region_services[(service, operation)]
            candidates = regions if regions is not None else list(service_regions(where, partition))
            for region in candidates:
                reason = None
                if regions is not None and not offered_in(where, region):
                    reason = REASON_NOT_OFFERED
                elif account.not_enabled is not None and region in account.not_enabled:
                    reason = REASON_NOT_ENABLED
                if reason is not None:
                    skipped.append(StreamResult(ref.account_id, region, service, operation, "skipped", reason=reason))
                else:
                    tasks.append(StreamTask(ref, region, service, operation, filters, settings))
    tasks.sort(key=lambda t: t.order)
    return tasks, skipped
