"""The fan-out: every (account, region, service, operation) stream, concurrently, nothing lost.

`collect` returns an Inventory; `iter_jobs` yields the same jobs as pages
arrive and fills `.errors` and `.streams` as it goes. Both plan the same
way: validate every argument (ConfigurationError before any call), find each
account's id (STS, once) and the opt-in regions it has not enabled (EC2
DescribeRegions, once), then one task per stream, skipped streams accounted
for with their reason. Tasks run on the collector's thread pool, or in
batches on any concurrent.futures executor (the look-ups too, there). This
module names no service.
"""
from __future__ import annotations

import datetime as _dt
import logging
import uuid
from concurrent.futures import Executor
from typing import Any, Callable, Dict, Iterable, Iterator, List, Mapping, Optional, Set, Tuple

import attrs

from .accounts import account_refs, organization_accounts
from .clients import ClientFactory, ClientSettings, SessionSource
from .dedup import PageWindow
from .checks import DEFAULT_PER_KEY, DEFAULT_STREAM_TIMEOUT, check_arguments, check_session
from .errors import CollectionError, ConfigurationError
from .executors import look_up_on_executor, run_on_executor
from .filters import make_filters
from .inventory import Inventory, StreamResult, sort_key
from .model import Job
from .planning import look_up, names, plan, select_specs
from .regions import check_regions
from .tasks import StreamTask, run_threaded

__all__ = [
    "collect",
    "iter_jobs",
    "organization_accounts",
    "Inventory",
    "StreamResult",
    "JobIterator",
    "Progress",
    "DEFAULT_MAX_WORKERS",
    "DEFAULT_STREAM_TIMEOUT",
    "check_arguments",
]

log = logging.getLogger("jobinventory")

#: Default threads: streams are I/O bound (one HTTPS call of ~50-300 ms per
#: page), but botocore spends a few ms of CPU on each page under the GIL, so
#: past ~32 concurrent calls one process is CPU bound and more threads only
#: add contention. Fewer when there are fewer streams.
DEFAULT_MAX_WORKERS = 32


@attrs.frozen
class Progress:
    """A snapshot for a progress display: handed to `progress` after every page and stream."""

    streams_total: int
    streams_done: int
    jobs: int
    errors: int
    skipped: int
    #: The stream that just finished, or None for a page or the start.
    stream: Optional[StreamResult] = None


class JobIterator:
    """The jobs of a collection as they arrive (`iter_jobs`), with `.errors` and `.streams`.

    `streams` and `errors` fill as streams finish and are complete (sorted
    by account, region, service, operation) once the iterator is exhausted;
    `complete` then says whether every stream answered or was skipped. A job
    seen twice in a stream (a page shifted while listing) is yielded once,
    the first time: what is yielded cannot be taken back (`collect` keeps
    the newest version instead). Close it (or use `with`) to stop early.
    """

    def __init__(self, run: "_Run") -> None:
        self._run = run
        self.streams: List[StreamResult] = list(run.skipped)
        self.errors: List[CollectionError] = []
        self.collected_at = run.collected_at
        self.total = len(run.tasks) + len(run.skipped)
        self.jobs_seen = 0
        self.finished = False
        self._pages = self._pages_of(run)
        self._buffer: Iterator[Job] = iter(())
        self._seen: Dict[Any, PageWindow] = {}

    @property
    def complete(self) -> bool:
        return self.finished and not self.errors

    def _progress(self, stream: Optional[StreamResult]) -> None:
        if self._run.progress is not None:
            self._run.progress(Progress(
                self.total, len(self.streams), self.jobs_seen, len(self.errors),
                len(self._run.skipped), stream,
            ))

    def _pages_of(self, run: "_Run") -> Iterator[Tuple[StreamTask, List[Job]]]:
        """Pages of jobs, with the bookkeeping of streams and errors done on the way."""
        self._progress(None)
        try:
            for task, jobs, result in run.events():
                if jobs is not None:
                    self.jobs_seen += len(jobs)
                    self._progress(None)
                    yield task, jobs
                    continue
                assert result is not None
                self._seen.pop(task, None)  # its pages are all deduplicated by now
                self.streams.append(result)
                if result.error is not None:
                    self.errors.append(result.error)
                    log.info("jobinventory: stream failed: %s", result.error)
                else:
                    log.debug("jobinventory: stream %s: %s", task.order, result.state)
                self._progress(result)
        finally:
            run.close()
        self.streams.sort(key=_stream_order)
        self.errors.sort(key=_error_order)
        self.finished = True
        log.info(
            "jobinventory: %d streams (%d skipped, %d failed), %d jobs",
            self.total, len(run.skipped), len(self.errors), self.jobs_seen,
        )

    def __iter__(self) -> "JobIterator":
        return self

    def __next__(self) -> Job:
        while True:
            job = next(self._buffer, None)
            if job is not None:
                return job
            task, jobs = next(self._pages)  # StopIteration ends the iterator
            window = self._seen.get(task)
            if window is None:
                window = self._seen[task] = PageWindow()
            window.next_page()
            self._buffer = iter([job for job in jobs if window.fresh(job.job_id)])

    def close(self) -> None:
        """Stop collecting; streams still running are cancelled."""
        self._pages.close()

    def __enter__(self) -> "JobIterator":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def _stream_order(s: StreamResult) -> Tuple[str, str, str, str]:
    return (s.account or "", s.region, s.service, s.operation)


def _error_order(e: CollectionError) -> Tuple[str, str, str, str]:
    return (e.account or "", e.region or "", e.service, e.operation or "")


@attrs.define
class _Run:
    """A planned collection, ready to run once."""

    tasks: List[StreamTask]
    skipped: List[StreamResult]
    factory: ClientFactory
    max_workers: int
    per_key: Optional[int]
    executor: Optional[Executor]
    source: Optional[SessionSource]
    progress: Optional[Callable[[Progress], None]]
    collected_at: _dt.datetime
    run_id: Optional[str] = None

    def events(self) -> Iterator[Tuple[StreamTask, Optional[List[Job]], Optional[StreamResult]]]:
        if self.executor is None:
            return run_threaded(self.tasks, self.factory, self.max_workers, self.per_key)
        return run_on_executor(self.tasks, self.executor, self.source or SessionSource(), self.max_workers,
                               self.run_id)

    def close(self) -> None:
        self.factory.close()


def _prepare(
    session: Any,
    services: Any,
    operations: Any,
    regions: Any,
    accounts: Any,
    statuses: Any,
    since: Any,
    until: Any,
    name_contains: Any,
    max_workers: Optional[int],
    retry_mode: str,
    max_attempts: int,
    executor: Optional[Executor],
    progress: Optional[Callable[[Progress], None]],
    endpoint_url: Any,
    pushdown: bool,
    per_key: Optional[int],
    stream_timeout: Optional[float] = 60.0,
    expected_pages: Optional[Mapping[Any, int]] = None,
) -> _Run:
    collected_at = _dt.datetime.now(_dt.timezone.utc)
    _check_expected_pages(expected_pages)
    if session is not None and not callable(getattr(session, "get_credentials", None)):
        raise ConfigurationError(f"session must be a boto3.Session or None, got {session!r}")
    pairs = select_specs(services, operations)
    explicit_regions = check_regions(names(regions, "regions")) if regions is not None else None
    filters = make_filters(statuses, since, until, name_contains, pushdown)
    if max_workers is not None and (not isinstance(max_workers, int) or max_workers < 1):
        raise ConfigurationError(f"max_workers must be a positive integer, got {max_workers!r}")
    if executor is not None and not isinstance(executor, Executor) and not hasattr(executor, "submit"):
        raise ConfigurationError(f"executor must be a concurrent.futures.Executor, got {executor!r}")
    try:
        settings = ClientSettings(retry_mode=retry_mode, max_attempts=max_attempts, per_key=per_key,
                                  endpoint_url=endpoint_url, stream_timeout=stream_timeout)
    except (TypeError, ValueError) as exc:
        raise ConfigurationError(str(exc)) from None
    refs, sessions = account_refs(accounts)
    check_session(session, refs, sessions, executor)
    source = None
    if executor is not None:
        if not all(ref.portable for ref in refs):
            raise ConfigurationError(
                "ready boto3 Sessions cannot be sent to an executor's workers; pass role ARNs, "
                "or collect without an executor"
            )
        source = SessionSource.of(session)
    factory = ClientFactory(settings, session, sessions)
    run_id = uuid.uuid4().hex
    try:
        workers = max_workers or DEFAULT_MAX_WORKERS
        looked_up = None
        if executor is not None:  # on the workers: this process assumes no role
            looked_up = look_up_on_executor(refs, executor, source, settings, workers, run_id,
                                            fallback=lambda chunk: look_up(factory, chunk, workers))
        tasks, skipped = plan(factory, refs, pairs, explicit_regions, filters, settings, workers, looked_up)
        tasks = _with_expected_pages(tasks, expected_pages)
    except BaseException:
        factory.close()
        raise
    if executor is not None:
        factory.close()  # the workers build their own clients
    log.info(
        "jobinventory: %d streams to list (%d skipped) over %d account(s)",
        len(tasks), len(skipped), len({t.account.key for t in tasks}) or len(refs),
    )
    workers = max_workers or min(DEFAULT_MAX_WORKERS, max(1, len(tasks)))
    return _Run(tasks, skipped, factory, workers, per_key, executor, source, progress, collected_at, run_id)


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


def _with_expected_pages(tasks: List[StreamTask], expected: Optional[Mapping[Any, int]]) -> List[StreamTask]:
    """Each task with the pages its stream took last time, where `expected` knows them."""
    if not expected:
        return tasks
    return [task if expected.get(task.order) is None else attrs.evolve(task, expected_pages=expected[task.order])
            for task in tasks]


# -- the library calls -----------------------------------------------------------


def iter_jobs(
    session: Any = None,
    *,
    services: Optional[Iterable[str]] = None,
    operations: Optional[Iterable[str]] = None,
    regions: Optional[Iterable[str]] = None,
    accounts: Optional[Iterable[Any]] = None,
    statuses: Optional[Iterable[Any]] = None,
    since: Any = None,
    until: Any = None,
    name_contains: Optional[str] = None,
    max_workers: Optional[int] = None,
    retry_mode: str = "standard",
    max_attempts: int = 10,
    executor: Optional[Executor] = None,
    progress: Optional[Callable[[Progress], None]] = None,
    endpoint_url: Any = None,
    pushdown: bool = True,
    per_key: Optional[int] = DEFAULT_PER_KEY,
    stream_timeout: Optional[float] = DEFAULT_STREAM_TIMEOUT,
    expected_pages: Optional[Mapping[Any, int]] = None,
) -> JobIterator:
    """The jobs of every stream as pages arrive; see `collect` for the arguments.

    Argument errors raise ConfigurationError here, before anything is
    listed; the account and region look-ups happen here too. The returned
    iterator's `.errors` and `.streams` are complete once it is exhausted.
    """
    run = _prepare(session, services, operations, regions, accounts, statuses, since, until,
                   name_contains, max_workers, retry_mode, max_attempts, executor, progress,
                   endpoint_url, pushdown, per_key, stream_timeout, expected_pages)
    return JobIterator(run)


def _newer(job: Job, old: Job) -> bool:
    """The version to keep of a job seen twice: the later updated_at, else the one seen last."""
    if job.updated_at is not None and old.updated_at is not None:
        return job.updated_at >= old.updated_at
    return old.updated_at is None


def collect(
    session: Any = None,
    *,
    services: Optional[Iterable[str]] = None,
    operations: Optional[Iterable[str]] = None,
    regions: Optional[Iterable[str]] = None,
    accounts: Optional[Iterable[Any]] = None,
    statuses: Optional[Iterable[Any]] = None,
    since: Any = None,
    until: Any = None,
    name_contains: Optional[str] = None,
    max_workers: Optional[int] = None,
    retry_mode: str = "standard",
    max_attempts: int = 10,
    executor: Optional[Executor] = None,
    progress: Optional[Callable[[Progress], None]] = None,
    endpoint_url: Any = None,
    pushdown: bool = True,
    per_key: Optional[int] = DEFAULT_PER_KEY,
    stream_timeout: Optional[float] = DEFAULT_STREAM_TIMEOUT,
    expected_pages: Optional[Mapping[Any, int]] = None,
) -> Inventory:
    """Every job of every (account, region, service, operation) stream, as one Inventory.

    session: the boto3 Session whose credentials are used (None: the default
        credential chain); it is read, never changed.
    services / operations: boto3 service names / API operation names (or
        "service:Operation"); None for every covered one.
    regions: None for every region botocore's endpoint data lists for each
        service, less the opt-in regions an account has not enabled.
    accounts: role ARNs to assume from `session` and/or ready boto3
        Sessions; None for the session's own account.
    statuses, since, until, name_contains: filters (since <= created_at < until;
        name_contains is a case-insensitive substring of the name); pushed
        down to the APIs that can apply them unless pushdown=False, and
        always checked on the client, so the result is the same either way.
    max_workers: threads (default: one per stream, at most 32); with an
        executor, threads per batch in each worker.
    retry_mode / max_attempts: botocore's retry configuration.
    executor: any concurrent.futures.Executor to run stream tasks on, in
        batches (None: the collector's own thread pool).
    progress: called with a Progress after every page and stream.
    endpoint_url: None (botocore's resolution, AWS_ENDPOINT_URL included), one
        URL for every service, or a mapping of service name to URL.
    per_key: most streams of one (account, region, service) at once (None,
        the default: no such bound; streams are bounded per operation, the
        longest started first).
    stream_timeout: seconds a stream may go without an answer, retries
        included: from its start to its first page, then between pages (None:
        no bound); a stream past it fails as region_unavailable, keeping the
        jobs it read, while the others go on. A long stream that keeps
        answering is never cut short. Each account
        look-up (STS, EC2 DescribeRegions) has the same bound. Each attempt
        is also bounded by botocore's connect and read timeouts (5 s, 20 s).
    expected_pages: the pages each stream took last time, keyed by
        (account_id, region, service, operation) (a store knows them): the
        longest streams start first, so the wall time nears the longest one's.

    Failed streams are in `.errors` (one CollectionError each) and never raise;
    jobs they read before failing are kept. ConfigurationError for arguments
    that cannot work, before anything is listed.
    """
    it = iter_jobs(session, services=services, operations=operations, regions=regions,
                   accounts=accounts, statuses=statuses, since=since, until=until,
                   name_contains=name_contains, max_workers=max_workers, retry_mode=retry_mode,
                   max_attempts=max_attempts, executor=executor, progress=progress,
                   endpoint_url=endpoint_url, pushdown=pushdown, per_key=per_key,
                   stream_timeout=stream_timeout, expected_pages=expected_pages)
    kept: Dict[Tuple[str, str], Job] = {}
    with it:
        for _task, jobs in it._pages:
            for job in jobs:
                key = (job.service, job.job_id)
                old = kept.get(key)
                if old is None or _newer(job, old):
                    kept[key] = job
    return Inventory(
        jobs=sorted(kept.values(), key=sort_key),
        errors=it.errors,
        streams=it.streams,
        collected_at=it.collected_at,
    )
