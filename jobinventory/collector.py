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
from typing import Any, Callable, Dict, Iterable, Iterator, List, Mapping, Optional, Tuple

import attrs

from .accounts import account_refs, organization_accounts
from .checks import check_arguments, check_session
from .clients import ClientFactory, SessionSource
from .errors import CollectionError, ConfigurationError
from .executors import look_up_on_executor, run_on_executor
from .gcpolicy import relaxed_gc
from .inventory import Inventory, StreamResult, sort_jobs
from .model import Job
from .planning import look_up, plan
from .concurrency import DEFAULT_MAX_WORKERS, DEFAULT_PER_KEY, DEFAULT_STREAM_TIMEOUT
from .dedup import PageWindow
from .request import CollectRequest
from .tasks import StreamTask, run_threaded

__all__ = [
    "collect",
    "iter_jobs",
    "organization_accounts",
    "Inventory",
    "StreamResult",
    "JobIterator",
    "Progress",
    "CollectRequest",
    "collect_request",
    "iter_request",
    "DEFAULT_MAX_WORKERS",
    "DEFAULT_STREAM_TIMEOUT",
    "check_arguments",
]

log = logging.getLogger("jobinventory")

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


class _Feed:
    """The pages of a planned collection as they arrive, with the account of streams and errors kept."""

    def __init__(self, run: "_Run", on_stream_end: Optional[Callable[[StreamTask], None]] = None) -> None:
        self.run = run
        self.on_stream_end = on_stream_end
        self.streams: List[StreamResult] = list(run.skipped)
        self.errors: List[CollectionError] = []
        self.total = len(run.tasks) + len(run.skipped)
        self.jobs_seen = 0
        self.finished = False

    def _progress(self, stream: Optional[StreamResult]) -> None:
        if self.run.request.progress is not None:
            self.run.request.progress(Progress(
                self.total, len(self.streams), self.jobs_seen, len(self.errors),
                len(self.run.skipped), stream,
            ))

    def pages(self) -> Iterator[Tuple[StreamTask, List[Job]]]:
        """Pages of jobs (not de-duplicated), with the bookkeeping of streams and errors done on the way."""
        run = self.run
        self._progress(None)
        try:
            with relaxed_gc():  # tens of allocations a job, hardly any cycle (jobinventory.gcpolicy)
                for task, jobs, result in run.events():
                    if jobs is not None:
                        self.jobs_seen += len(jobs)
                        self._progress(None)
                        yield task, jobs
                        continue
                    assert result is not None
                    self._finished(task, result)
        finally:
            run.close()
        self.streams.sort(key=_stream_order)
        self.errors.sort(key=_error_order)
        self.finished = True
        log.info(
            "jobinventory: %d streams (%d skipped, %d failed), %d jobs",
            self.total, len(run.skipped), len(self.errors), self.jobs_seen,
        )

    def _finished(self, task: StreamTask, result: StreamResult) -> None:
        if self.on_stream_end is not None:
            self.on_stream_end(task)
        self.streams.append(result)
        if result.error is not None:
            self.errors.append(result.error)
            log.info("jobinventory: stream failed: %s", result.error)
        else:
            log.debug("jobinventory: stream %s: %s", task.order, result.state)
        self._progress(result)


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
        self._seen: Dict[Any, PageWindow] = {}
        # A finished stream's pages are all deduplicated by now: its ids can go.
        self._feed = _Feed(run, on_stream_end=lambda task: self._seen.pop(task, None))
        self._pages = self._feed.pages()
        self._buffer: Iterator[Job] = iter(())
        self.collected_at = run.collected_at

    streams = property(lambda self: self._feed.streams, doc="StreamResult of every stream finished or skipped.")
    errors = property(lambda self: self._feed.errors, doc="CollectionError of every stream failed.")
    total = property(lambda self: self._feed.total, doc="Streams planned, skipped ones included.")
    jobs_seen = property(lambda self: self._feed.jobs_seen, doc="Jobs read so far (duplicates included).")
    finished = property(lambda self: self._feed.finished, doc="Every stream has finished.")

    @property
    def complete(self) -> bool:
        return self.finished and not self.errors

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

    request: CollectRequest
    tasks: List[StreamTask]
    skipped: List[StreamResult]
    factory: ClientFactory
    source: Optional[SessionSource]
    collected_at: _dt.datetime
    run_id: Optional[str] = None

    def events(self) -> Iterator[Tuple[StreamTask, Optional[List[Job]], Optional[StreamResult]]]:
        request = self.request
        threads = request.threads(len(self.tasks))
        if request.executor is None:
            return run_threaded(self.tasks, self.factory, threads, request.settings.per_key)
        # With an executor, max_workers is each worker's threads (a batch is cut to its size there).
        return run_on_executor(self.tasks, request.executor, self.source or SessionSource(),
                               request.max_workers or DEFAULT_MAX_WORKERS, self.run_id)

    def close(self) -> None:
        self.factory.close()


def _prepare(session: Any, accounts: Any, request: CollectRequest) -> _Run:
    """Find the accounts and plan every stream of `request` (ConfigurationError before any call)."""
    collected_at = _dt.datetime.now(_dt.timezone.utc)
    refs, sessions = account_refs(accounts)
    check_session(session, refs, sessions, request.executor)
    executor, source = request.executor, None
    if executor is not None:
        if not all(ref.portable for ref in refs):
            raise ConfigurationError(
                "ready boto3 Sessions cannot be sent to an executor's workers; pass role ARNs, "
                "or collect without an executor"
            )
        source = SessionSource.of(session)
    factory = ClientFactory(request.settings, session, sessions)
    run_id = uuid.uuid4().hex
    try:
        workers = request.max_workers or DEFAULT_MAX_WORKERS
        looked_up = None
        if executor is not None:  # on the workers: this process assumes no role
            looked_up = look_up_on_executor(refs, executor, source, request.settings, workers, run_id,
                                            fallback=lambda chunk: look_up(factory, chunk, workers),
                                            pairs=list(request.pairs), regions=request.regions)
        regions = list(request.regions) if request.regions is not None else None
        tasks, skipped = plan(factory, refs, list(request.pairs), regions, request.filters, request.settings,
                              workers, looked_up)
        tasks = _with_expected_pages(tasks, request.expected_pages)
    except BaseException:
        factory.close()
        raise
    if executor is not None:
        factory.close()  # the workers build their own clients
    log.info(
        "jobinventory: %d streams to list (%d skipped) over %d account(s)",
        len(tasks), len(skipped), len({t.account.key for t in tasks}) or len(refs),
    )
    return _Run(request, tasks, skipped, factory, source, collected_at, run_id)


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
    request = CollectRequest.build(
        services=services, operations=operations, regions=regions, statuses=statuses, since=since, until=until,
        name_contains=name_contains, max_workers=max_workers, retry_mode=retry_mode, max_attempts=max_attempts,
        executor=executor, progress=progress, endpoint_url=endpoint_url, pushdown=pushdown, per_key=per_key,
        stream_timeout=stream_timeout, expected_pages=expected_pages,
    )
    return iter_request(session, accounts, request)


def iter_request(session: Any, accounts: Any, request: CollectRequest) -> JobIterator:
    """`iter_jobs` of a request built already (`CollectRequest.build`)."""
    return JobIterator(_prepare(session, accounts, request))


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
    max_workers: threads (default: one per stream, at most 64); with an
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
    request = CollectRequest.build(
        services=services, operations=operations, regions=regions, statuses=statuses, since=since, until=until,
        name_contains=name_contains, max_workers=max_workers, retry_mode=retry_mode, max_attempts=max_attempts,
        executor=executor, progress=progress, endpoint_url=endpoint_url, pushdown=pushdown, per_key=per_key,
        stream_timeout=stream_timeout, expected_pages=expected_pages,
    )
    return collect_request(session, accounts, request)


def collect_request(session: Any, accounts: Any, request: CollectRequest) -> Inventory:
    """`collect` of a request built already (`CollectRequest.build`): the jobs merged, newest first."""
    feed = _Feed(_prepare(session, accounts, request))
    kept: Dict[Tuple[str, str], Job] = {}
    pages = feed.pages()
    try:
        for _task, jobs in pages:
            for job in jobs:
                key = (job.service, job.job_id)
                old = kept.get(key)
                if old is None or _newer(job, old):
                    kept[key] = job
    finally:
        pages.close()
    return Inventory(
        jobs=sort_jobs(kept.values()),
        errors=feed.errors,
        streams=feed.streams,
        collected_at=feed.run.collected_at,
    )
