"""One collection's request, built once from `collect`/`iter_jobs`' arguments and handed down.

`CollectRequest` gathers what to list (the (service, operation) pairs and
the regions), which jobs to keep (`Filters`), how every client calls
(`ClientSettings`) and how many calls run at once. `CollectRequest.build`
validates every argument (ConfigurationError naming the bad one) before
anything is listed. The session and the accounts are not part of it: they
carry credentials and live with the client factory.

`max_workers` has one meaning everywhere: the most List calls (and account
look-ups) in flight at once in one process; with an executor, in each of its
workers. None means DEFAULT_MAX_WORKERS, and never more threads than there
is work for (`concurrency.threads_for`).
"""
from __future__ import annotations

from concurrent.futures import Executor
from typing import Any, Callable, Iterable, List, Mapping, Optional, Tuple

import attrs

from .clients import ClientSettings
from .concurrency import DEFAULT_PER_KEY, DEFAULT_STREAM_TIMEOUT, threads_for
from .errors import ConfigurationError
from .filters import Filters, make_filters
from .planning import names, select_specs
from .regions import check_regions

__all__ = ["CollectRequest"]

def _positive(name: str, value: Any) -> Optional[int]:
    if value is not None and (not isinstance(value, int) or value < 1):
        raise ConfigurationError(f"{name} must be a positive integer, got {value!r}")
    return value


def _check_expected_pages(expected: Any) -> None:
    if expected is None:
        return
    if not isinstance(expected, Mapping):
        raise ConfigurationError(
            "expected_pages must map (account_id, region, service, operation) to a number of pages, "
            f"got {type(expected).__name__}"
        )
    for key, pages in expected.items():
        if isinstance(pages, bool) or not isinstance(pages, int) or pages < 0:
            raise ConfigurationError(f"expected_pages[{key!r}] must be a number of pages, got {pages!r}")


@attrs.frozen
class CollectRequest:
    """What a collection lists and how (frozen: built once, shared by every layer)."""

    #: (service, operation) pairs to list, in registry order.
    pairs: Tuple[Tuple[str, str], ...]
    #: Regions asked for (checked), or None for every region each service is offered in.
    regions: Optional[Tuple[str, ...]]
    filters: Filters
    settings: ClientSettings
    #: Calls in flight per process (None: DEFAULT_MAX_WORKERS); see `threads`.
    max_workers: Optional[int] = None
    executor: Optional[Executor] = attrs.field(default=None, eq=False)
    progress: Optional[Callable[[Any], None]] = attrs.field(default=None, eq=False)
    #: Pages each stream took last time, keyed by (account_id, region, service, operation): longest first.
    expected_pages: Optional[Mapping[Any, int]] = attrs.field(default=None, eq=False)

    @classmethod
    def build(
        cls,
        *,
        services: Optional[Iterable[str]] = None,
        operations: Optional[Iterable[str]] = None,
        regions: Optional[Iterable[str]] = None,
        statuses: Optional[Iterable[Any]] = None,
        since: Any = None,
        until: Any = None,
        name_contains: Optional[str] = None,
        max_workers: Optional[int] = None,
        retry_mode: str = "standard",
        max_attempts: int = 10,
        executor: Optional[Executor] = None,
        progress: Optional[Callable[[Any], None]] = None,
        endpoint_url: Any = None,
        pushdown: bool = True,
        per_key: Optional[int] = DEFAULT_PER_KEY,
        stream_timeout: Optional[float] = DEFAULT_STREAM_TIMEOUT,
        expected_pages: Optional[Mapping[Any, int]] = None,
    ) -> "CollectRequest":
        """The request of `collect`'s keyword arguments (see its docstring); ConfigurationError
        for an argument that cannot work, before anything is listed."""
        pairs = select_specs(services, operations)
        chosen: Optional[List[str]] = check_regions(names(regions, "regions")) if regions is not None else None
        filters = make_filters(statuses, since, until, name_contains, pushdown)
        _positive("max_workers", max_workers)
        _check_expected_pages(expected_pages)
        if executor is not None and not isinstance(executor, Executor) and not hasattr(executor, "submit"):
            raise ConfigurationError(f"executor must be a concurrent.futures.Executor, got {executor!r}")
        try:
            settings = ClientSettings(retry_mode=retry_mode, max_attempts=max_attempts, per_key=per_key,
                                      endpoint_url=endpoint_url, stream_timeout=stream_timeout)
        except (TypeError, ValueError) as exc:
            raise ConfigurationError(str(exc)) from None
        return cls(tuple(pairs), tuple(chosen) if chosen is not None else None, filters, settings,
                   max_workers, executor, progress, expected_pages)

    def threads(self, work: int) -> int:
        """Threads for `work` concurrent units (streams, accounts, a batch's tasks)."""
        return threads_for(self.max_workers, work)
