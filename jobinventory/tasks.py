"""One stream as a plain task, and the engine that runs many on threads.

A `StreamTask` is plain, picklable data: the account (a role ARN to assume
or the base session's own), region, service, operation, filters and client
settings. Credentials are obtained where it runs. `run_stream` turns one
into Jobs, page by page, and a `StreamResult` (answered, or failed with one
CollectionError; jobs read before a failure are kept).

`run_threaded` runs tasks on daemon threads, each stream under its deadline,
in the order and within the bounds of `jobinventory.scheduling` (the
longest first; a few streams of one operation at once, and `per_key` of one
(account, region, service) when given), and yields their pages and results
as they come. Sending tasks to other processes or machines, in
batches, is `jobinventory.executors`.
"""
from __future__ import annotations

import logging
import queue
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Dict, Hashable, Iterable, Iterator, List, Optional, Sequence, Tuple

import attrs

from .accounts import AccountRef
from .clients import ClientFactory, ClientSettings
from .concurrency import threads_for
from .dedup import PageWindow
from .deadlines import bounded, describe, renew
from .errors import CollectionError, NormalizationError, ResponseError
from .failures import attempts_of, classify
from .filters import Filters, request_params, stops_early
from .inventory import StreamResult
from .model import Job
from .paging import operation_model, page_plan
from .registry import get_adapter, get_spec
from .scheduling import StreamScheduler as _KeyScheduler
from .walk import ParentPage, stream_pages

__all__ = [
    "StreamTask",
    "StreamOutcome",
    "StreamProgress",
    "run_stream",
    "run_threaded",
    "failed_result",
]

log = logging.getLogger("jobinventory")

#: An event of `run_threaded`: (task, jobs of one page, None) or (task, None, its result).
Event = Tuple["StreamTask", Optional[List[Job]], Optional[StreamResult]]


@attrs.frozen
class StreamTask:
    """One (account, region, service, operation) to list, as plain data."""

    account: AccountRef
    region: str
    service: str
    operation: str
    filters: Filters = attrs.field(factory=Filters)
    settings: ClientSettings = attrs.field(factory=ClientSettings)
    #: Pages the stream took last time (a store knows), if known: the longest start first.
    expected_pages: Optional[int] = attrs.field(default=None, eq=False)

    @property
    def key(self) -> Tuple[Hashable, str, str]:
        """(account, region, service): what shares one client and one load bound."""
        return (self.account.key, self.region, self.service)

    @property
    def order(self) -> Tuple[str, str, str, str]:
        return (self.account.account_id or "", self.region, self.service, self.operation)

    def result(self, state: str, **kwargs: Any) -> StreamResult:
        return StreamResult(self.account.account_id, self.region, self.service, self.operation, state, **kwargs)


@attrs.define
class StreamProgress:
    """What a running stream has read so far (updated by `run_stream` after every page)."""

    pages: int = 0
    calls: int = 0


def failed_result(task: StreamTask, kind: str, message: str, **counts: int) -> StreamResult:
    error = CollectionError(task.account.account_id, task.region, task.service, task.operation, kind, message)
    return task.result("failed", error=error, **counts)


def _retries(page: Dict[str, Any]) -> int:
    meta = page.get("ResponseMetadata")
    return meta.get("RetryAttempts", 0) if meta else 0


def _items(page: Dict[str, Any], list_key: str, task: "StreamTask") -> List[Any]:
    """The page's list of summaries; ResponseError when the answer is not a List response."""
    items = page.get(list_key)
    if type(items) is list:
        return items
    headers = (page.get("ResponseMetadata") or {}).get("HTTPHeaders") or {}
    what = "no" if items is None else f"a {type(items).__name__} for its"
    ctype = headers.get("content-type")
    raise ResponseError(
        f"{task.service} {task.operation}: the answer has {what} {list_key!r} list, so it is not a "
        f"{task.operation} response (an HTML page, an empty or truncated body?"
        + (f" content-type {ctype}" if ctype else "") + ")"
    )


def _bad_items(bad: int, kept: int, first: str) -> str:
    summaries = "summary" if bad == 1 else "summaries"
    return f"{bad} job {summaries} could not be read ({kept} read); first: {first}"


def run_stream(
    task: StreamTask,
    factory: ClientFactory,
    emit: Callable[[List[Job]], None],
    cancelled: Callable[[], bool] = lambda: False,
    progress: Optional[StreamProgress] = None,
) -> StreamResult:
    """List one stream, handing each page's kept jobs to `emit`; never raises for AWS errors.

    A summary that cannot be read is skipped and named in the stream's error
    (page, list index and field); the stream's other summaries and pages are
    still read. A 200 answer that is not a List response fails the stream.
    """
    spec = get_spec(task.service, task.operation)
    adapt = get_adapter(task.service, task.operation)
    op_model = operation_model(task.service, task.operation)
    plan = page_plan(task.service, task.operation)
    filters = task.filters
    params = request_params(spec, op_model, filters)
    early, since = stops_early(spec, op_model, filters), filters.since
    matches, list_key = filters.matches, spec.list_key
    region, account_id = task.region, task.account.account_id
    pages = calls = jobs = 0
    window = PageWindow()  # a job repeated across a page boundary counts once
    bad = read = 0
    first_bad: Optional[str] = None
    try:
        client = factory.client(task.account, region, task.service)
        for page in stream_pages(client, spec, plan, params):  # parents first, where the spec walks them
            renew()  # an answer: the stream's deadline counts from here
            pages += 1
            calls += 1 + _retries(page)
            if progress is not None:
                progress.pages, progress.calls = pages, calls
            # A parent of the walk (a knowledge base, a data source): a call made, no jobs.
            items = () if type(page) is ParentPage else _items(page, list_key, task)
            kept: List[Job] = []
            oldest = None
            window.next_page()
            for index, summary in enumerate(items):
                try:
                    job = adapt(summary, region, account_id)
                except NormalizationError as exc:
                    bad += 1
                    first_bad = first_bad or f"page {pages}, {list_key}[{index}]: {exc}"
                    continue
                read += 1
                created = job.created_at
                if oldest is None or created < oldest:
                    oldest = created
                if matches(job):
                    kept.append(job)
                    if window.fresh(job.job_id):
                        jobs += 1
            if kept:
                emit(kept)
            if cancelled():
                return failed_result(task, "other", "cancelled", jobs=jobs, pages=pages, calls=calls)
            if early and oldest is not None and oldest < since:  # type: ignore[operator]
                log.debug("jobinventory: %s/%s %s: older than since, stopping after page %d",
                          account_id, region, task.operation, pages)
                break
    except Exception as exc:  # every failure ends this stream only
        kind, message = classify(exc)
        if bad:
            message += "; and " + _bad_items(bad, read, first_bad or "")
        made = 0 if isinstance(exc, ResponseError) else attempts_of(exc)  # a page already counted
        return failed_result(task, kind, message, jobs=jobs, pages=pages, calls=calls + made)
    if bad:
        return failed_result(task, "other", _bad_items(bad, read, first_bad or ""), jobs=jobs,
                             pages=pages, calls=calls)
    return task.result("answered", jobs=jobs, pages=pages, calls=calls)


def _release(factory: ClientFactory, task: StreamTask, account: bool) -> None:
    factory.release(task.account, task.region, task.service)
    if account:
        factory.release_account(task.account)


class _Running:
    """A stream on its thread: its deadline, what it read so far, whether the engine gave up on it."""

    __slots__ = ("task", "start", "deadline", "progress", "jobs", "abandoned")

    def __init__(self, task: StreamTask, timeout: Optional[float]) -> None:
        self.task = task
        self.start = time.monotonic()
        self.deadline = None if timeout is None else self.start + timeout
        self.progress = StreamProgress()
        self.jobs = 0  # jobs handed on by the engine
        self.abandoned = False

    def renew(self) -> None:
        """A page arrived: the stream has `stream_timeout` seconds from now for its next one."""
        timeout = self.task.settings.stream_timeout
        if timeout is not None:
            self.deadline = time.monotonic() + timeout


def run_threaded(
    tasks: Sequence[StreamTask],
    factory: ClientFactory,
    max_workers: int,
    per_key: int,
    release_accounts: bool = True,
) -> Iterator[Event]:
    """Run `tasks` on threads; yield each page's jobs and each result as they come.

    Pages wait in a bounded queue, so a slow consumer slows the workers
    rather than piling jobs up. About `max_workers` keys are open at once,
    and a key's client is released once its last stream is done (its
    account's session too with `release_accounts`), so memory follows the
    workers, not the number of accounts. A stream that goes
    `ClientSettings.stream_timeout` seconds without a page (from its start,
    then from its last page) is reported failed then,
    whatever its socket does; its thread makes no further attempt and ends
    by itself. Closing the generator early cancels the streams still
    running: none makes another call. Stream threads are daemons: an
    interrupted process never waits for them.
    """
    if not tasks:
        return
    max_workers = threads_for(max_workers, len(tasks))
    # Pages waiting for the consumer: a quarter of the workers, at least 2. A consumer slower
    # than its workers (a streamed export, a sync's stage) keeps the queue full, so memory
    # follows the workers' pages plus these; a faster one (the sorted collect) seldom fills it.
    events: "queue.Queue[Event]" = queue.Queue(maxsize=max(2, max_workers // 4))
    cancel = threading.Event()
    scheduler = _KeyScheduler(tasks, per_key, window=max_workers)
    running: Dict[StreamTask, _Running] = {}

    def put(entry: _Running, event: Event) -> None:
        while not cancel.is_set() and not entry.abandoned:
            try:
                events.put(event, timeout=0.1)
                return
            except queue.Full:
                continue

    def work(entry: _Running) -> None:
        task = entry.task
        with bounded(task.settings.stream_timeout, cancel, start=entry.start):
            try:
                result = run_stream(task, factory, lambda jobs: put(entry, (task, jobs, None)),
                                    lambda: cancel.is_set() or entry.abandoned, entry.progress)
            except BaseException as exc:  # a bug must still account for the stream
                log.exception("jobinventory: stream %s failed unexpectedly", task.order)
                result = failed_result(task, "other", f"{type(exc).__name__}: {exc}")
        put(entry, (task, None, result))

    releases = ThreadPoolExecutor(max_workers=2, thread_name_prefix="jobinventory-release")

    def finished(task: StreamTask) -> None:
        del running[task]
        key_done, account_done = scheduler.finished(task)
        if key_done and factory is not None:  # closing sockets takes a while: not on this thread
            releases.submit(_release, factory, task, account_done and release_accounts)

    try:
        while True:
            for task in scheduler.take(max_workers - len(running)):
                entry = running[task] = _Running(task, task.settings.stream_timeout)
                threading.Thread(target=work, args=(entry,), name="jobinventory-stream", daemon=True).start()
            if not running:
                break
            try:
                event = events.get(timeout=_wait(running.values()))
            except queue.Empty:
                for entry in [e for e in running.values() if _expired(e)]:
                    entry.abandoned = True
                    finished(entry.task)
                    yield entry.task, None, _timed_out(entry)
                continue
            task, jobs, result = event
            entry = running.get(task)  # type: ignore[assignment]
            if entry is None:  # a stream given up on at its deadline: what it sends now is dropped
                continue
            if result is not None:
                finished(task)
            else:
                entry.jobs += len(jobs or ())
                entry.renew()
            yield event
    finally:
        cancel.set()
        releases.shutdown(wait=not running, cancel_futures=bool(running))  # done: let the releases finish


def _wait(entries: Iterable[_Running]) -> Optional[float]:
    """Seconds until the nearest deadline (None: no deadline)."""
    deadlines = [e.deadline for e in entries if e.deadline is not None]
    return max(0.0, min(deadlines) - time.monotonic()) if deadlines else None


def _expired(entry: _Running) -> bool:
    return entry.deadline is not None and time.monotonic() >= entry.deadline


def _timed_out(entry: _Running) -> StreamResult:
    progress, timeout = entry.progress, entry.task.settings.stream_timeout
    message = f"{describe(timeout)}; {progress.pages} pages read"  # type: ignore[arg-type]
    return failed_result(entry.task, "region_unavailable", message, jobs=entry.jobs, pages=progress.pages,
                         calls=progress.calls + 1)


@attrs.frozen
class StreamOutcome:
    """What a batch worker returns for one stream: its result and the jobs it kept."""

    result: StreamResult
    jobs: List[Job] = attrs.field(factory=list)
