"""Stream tasks on any concurrent.futures executor: a local process pool, Dask, ...

`collect(..., executor=pool)` first looks the accounts up on the workers
(`look_up_on_executor`: each account's id and not-enabled regions, so the
collecting process assumes no role), then hands the planned `StreamTask`s to
`run_on_executor`, which sends them in batches (`StreamBatch`: a key's
streams together, at most MAX_BATCH a batch), so a million streams are
some 16,000 round trips, not a million, and yields every stream's pages and
result as its batch comes back, just as the thread engine does; the
collector merges them the same way.

`run_batch` (`run_lookups`) is what a worker runs: the batch's streams
(accounts) on its own threads,
with clients it builds itself from the plain data the tasks carry. Nothing
secret travels: credentials are obtained in the worker (a role is assumed
there), from the worker's own environment or profile (`SessionSource`).

`local_process_pool(n)` is the pool behind `jobinventory list --processes N`.
With Dask (`pip install 'jobinventory[dask]'`), pass
`dask.distributed.Client(...).get_executor()`; this module never imports Dask.
"""
from __future__ import annotations

import collections
import logging
import math
import multiprocessing
import multiprocessing.context
import os
import queue
import signal
import threading
import time
import uuid
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from typing import Callable, Dict, Hashable, Iterator, List, Optional, Sequence, Set, Tuple

import attrs

from .accounts import AccountRef
from .clients import ClientFactory, ClientSettings, SessionSource
from .concurrency import threads_for
from .gcpolicy import relaxed_gc
from .model import Job
from .planning import AccountPlan, EnabledEverywhere, candidate_regions, look_up
from .tasks import Event, StreamOutcome, StreamTask, failed_result, run_threaded

__all__ = [
    "StreamBatch",
    "LookupBatch",
    "run_batch",
    "run_lookups",
    "run_on_executor",
    "look_up_on_executor",
    "local_process_pool",
    "stop_now",
    "MAX_BATCH",
    "MAX_BATCHES_IN_FLIGHT",
]

log = logging.getLogger("jobinventory")

#: Stream tasks sent to an executor per batch, at most (fewer when there are
#: few streams, so that there are at least 16 batches to spread).
MAX_BATCH = 64
#: Batches submitted and not yet back, at most: enough to keep some 500
#: worker slots (processes, or Dask worker threads) busy twice over, while
#: the tasks still to send wait here rather than in the executor.
MAX_BATCHES_IN_FLIGHT = 1024
#: Accounts looked up per batch: at most 32, at least 8 (a look-up is two
#: round trips: fewer would leave a batch's threads waiting), else n / 16.
MAX_LOOKUP_BATCH, MIN_LOOKUP_BATCH = 32, 8
#: Accounts whose assumed-role credentials a worker keeps for the next
#: batches of the same run (~7 KB each: accounts share one botocore session);
#: the others are assumed again if needed.
ACCOUNTS_KEPT = 2048
#: Runs (collections) whose clients a long-lived worker keeps.
RUNS_KEPT = 4


@attrs.frozen
class StreamBatch:
    """Stream tasks sent to an executor together, run on `threads` threads in the worker."""

    tasks: Tuple[StreamTask, ...]
    source: SessionSource = attrs.field(factory=SessionSource)
    threads: int = 32
    run_id: str = attrs.field(factory=lambda: uuid.uuid4().hex)


@attrs.frozen
class LookupBatch:
    """Accounts to look up (id, not-enabled regions) on an executor's worker, on `threads` threads."""

    refs: Tuple[AccountRef, ...]
    settings: ClientSettings
    source: SessionSource = attrs.field(factory=SessionSource)
    threads: int = 32
    run_id: str = attrs.field(factory=lambda: uuid.uuid4().hex)
    #: What the run lists (regions None: where offered): DescribeRegions only where a region may be opt-in.
    pairs: Tuple[Tuple[str, str], ...] = ()
    regions: Optional[Tuple[str, ...]] = None


# -- the worker side ------------------------------------------------------------


class _WorkerRun:
    """A worker's clients for one run, and the accounts it used last (most recent last)."""

    def __init__(self, factory: ClientFactory) -> None:
        self.factory = factory
        self.recent: "collections.OrderedDict[Hashable, AccountRef]" = collections.OrderedDict()
        self.lock = threading.Lock()
        self._everywhere: Optional[EnabledEverywhere] = None

    def everywhere(self, batch: "LookupBatch") -> Optional[EnabledEverywhere]:
        """What the run's look-ups here learnt of the regions every account has enabled (planning)."""
        with self.lock:
            if self._everywhere is None and batch.pairs:
                self._everywhere = EnabledEverywhere(candidate_regions(batch.pairs, batch.regions))
            return self._everywhere

    def used(self, accounts: Sequence[AccountRef]) -> None:
        """Mark `accounts` as just used; forget the sessions of the least recent past ACCOUNTS_KEPT."""
        with self.lock:
            for account in accounts:
                self.recent[account.key] = account
                self.recent.move_to_end(account.key)
            while len(self.recent) > ACCOUNTS_KEPT:
                _, old = self.recent.popitem(last=False)
                self.factory.release_account(old)


_runs: "collections.OrderedDict[Tuple[str, SessionSource, ClientSettings], _WorkerRun]" = collections.OrderedDict()
_runs_lock = threading.Lock()


def _worker_run(run_id: str, source: SessionSource, settings: ClientSettings) -> _WorkerRun:
    """The worker's state for one run, shared by every batch of that run it gets."""
    key = (run_id, source, settings)
    with _runs_lock:
        run = _runs.get(key)
        if run is None:
            run = _WorkerRun(ClientFactory(settings, source.session()))
            _runs[key] = run
            while len(_runs) > RUNS_KEPT:
                _, old = _runs.popitem(last=False)
                old.factory.close()
        else:
            _runs.move_to_end(key)
        return run


def run_batch(batch: StreamBatch) -> List[StreamOutcome]:
    """Run a batch of stream tasks in this process (an executor's worker); one outcome per task, in order.

    A key's client is closed once its streams in the batch are done; the
    sessions of the last ACCOUNTS_KEPT accounts stay for the run's next
    batches, so a role is assumed about once per worker, not once per batch.
    """
    if not batch.tasks:
        return []
    settings = batch.tasks[0].settings
    run = _worker_run(batch.run_id, batch.source, settings)
    jobs: Dict[StreamTask, List[Job]] = {}
    outcomes: Dict[StreamTask, StreamOutcome] = {}
    events = run_threaded(batch.tasks, run.factory, batch.threads, settings.per_key, release_accounts=False)
    with relaxed_gc():
        for task, page, result in events:
            if page is not None:
                jobs.setdefault(task, []).extend(page)
            else:
                outcomes[task] = StreamOutcome(result, jobs.pop(task, []))  # type: ignore[arg-type]
    run.used(list({t.account.key: t.account for t in batch.tasks}.values()))
    return [outcomes[task] for task in batch.tasks]


class _Warnings(logging.Handler):
    """The library's warnings logged by threads whose name starts with `prefix` (one batch's)."""

    def __init__(self, prefix: str) -> None:
        super().__init__(logging.WARNING)
        self.prefix = prefix
        self.messages: List[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.threadName.startswith(self.prefix):
            self.messages.append(record.getMessage())


def run_lookups(batch: LookupBatch) -> Tuple[List[AccountPlan], List[str]]:
    """Look a batch of accounts up in this process (an executor's worker): their plans, and the warnings said.

    The sessions (assumed roles) stay for the run's stream batches (ACCOUNTS_KEPT).
    """
    run = _worker_run(batch.run_id, batch.source, batch.settings)
    name = f"jobinventory-plan-{uuid.uuid4().hex[:12]}"
    warnings = _Warnings(name)
    log.addHandler(warnings)
    try:
        plans = look_up(run.factory, batch.refs, batch.threads, name, everywhere=run.everywhere(batch))
    finally:
        log.removeHandler(warnings)
    run.used(batch.refs)
    return plans, warnings.messages


# -- the collecting side --------------------------------------------------------


def look_up_on_executor(
    refs: Sequence[AccountRef],
    executor: Executor,
    source: SessionSource,
    settings: ClientSettings,
    threads: int,
    run_id: str,
    fallback: Callable[[Sequence[AccountRef]], List[AccountPlan]],
    pairs: Sequence[Tuple[str, str]] = (), regions: Optional[Sequence[str]] = None,
) -> List[AccountPlan]:
    """Every account's plan, looked up on the executor's workers in batches, in `refs` order.

    The workers' warnings are logged here. A batch that fails as a whole
    (its worker died) is looked up with `fallback` (in this process).
    """
    size = min(MAX_LOOKUP_BATCH, max(MIN_LOOKUP_BATCH, math.ceil(len(refs) / 16)))
    chunks = [tuple(refs[i:i + size]) for i in range(0, len(refs), size)]
    futures: List[Future] = []
    plans: List[AccountPlan] = []
    try:
        for chunk in chunks:
            batch = LookupBatch(chunk, settings, source, threads_for(threads, len(chunk)), run_id,
                                tuple(pairs), None if regions is None else tuple(regions))
            futures.append(executor.submit(run_lookups, batch))
        for chunk, future in zip(chunks, futures):
            try:
                got, warnings = future.result()
            except Exception as exc:  # the worker died or could not run the batch
                log.warning("jobinventory: %d account look-ups failed in a worker (%s: %s); looking them up here",
                            len(chunk), type(exc).__name__, exc)
                got = fallback(chunk)
            else:
                for message in warnings:
                    log.warning("%s", message)
            plans.extend(got)
    finally:
        for future in futures:
            future.cancel()
    return plans

def _batches(tasks: Sequence[StreamTask]) -> List[Tuple[StreamTask, ...]]:
    """The tasks in (account, region, service, operation) order, cut into batches."""
    ordered = sorted(tasks, key=lambda t: (t.key[0], t.region, t.service, t.operation))
    size = max(1, min(MAX_BATCH, math.ceil(len(ordered) / 16)))
    return [tuple(ordered[i:i + size]) for i in range(0, len(ordered), size)]


def run_on_executor(
    tasks: Sequence[StreamTask], executor: Executor, source: SessionSource, threads: int,
    run_id: Optional[str] = None,
) -> Iterator[Event]:
    """Send the tasks to `executor` in batches; yield each stream's jobs and result as its batch returns.

    At most MAX_BATCHES_IN_FLIGHT batches are out at once; a batch's future
    is dropped as soon as it is read (a Dask cluster frees its result then).
    A batch that fails as a whole (its worker died, it could not be sent)
    fails each of its streams, naming why. Closing the generator cancels
    the batches not started yet. `run_id` (the look-ups' too) lets a worker
    reuse its clients and sessions across the batches of one collection.
    """
    if not tasks:
        return
    chunks = iter(_batches(tasks))
    run_id = run_id or uuid.uuid4().hex
    done: "queue.Queue[Tuple[StreamBatch, Future]]" = queue.Queue()
    in_flight: Set[Future] = set()

    def submit() -> bool:
        chunk = next(chunks, None)
        if chunk is None:
            return False
        batch = StreamBatch(chunk, source, threads_for(threads, len(chunk)), run_id)
        try:
            future = executor.submit(run_batch, batch)
        except Exception as exc:  # a shut-down or broken executor
            future = Future()
            future.set_exception(exc)
        in_flight.add(future)
        future.add_done_callback(lambda f, b=batch: done.put((b, f)))
        return True

    try:
        while len(in_flight) < MAX_BATCHES_IN_FLIGHT and submit():
            pass
        while in_flight:
            batch, future = done.get()
            in_flight.discard(future)
            submit()
            yield from _events(batch, future)
    finally:
        for future in in_flight:
            future.cancel()


def _events(batch: StreamBatch, future: Future) -> Iterator[Event]:
    try:
        outcomes = future.result()
        if len(outcomes) != len(batch.tasks):
            raise RuntimeError(f"{len(outcomes)} outcomes for {len(batch.tasks)} streams")
    except Exception as exc:  # the worker died or could not run the batch
        log.error("jobinventory: a batch of %d streams failed in its worker: %s", len(batch.tasks), exc)
        for task in batch.tasks:
            yield task, None, failed_result(task, "other", f"worker failed: {type(exc).__name__}: {exc}")
        return
    for task, outcome in zip(batch.tasks, outcomes):
        if outcome.jobs:
            yield task, list(outcome.jobs), None
        yield task, None, outcome.result


# -- a local process pool -------------------------------------------------------


def _ignore_interrupts(parent: int) -> None:
    # Ctrl-C reaches the whole process group: the collecting process handles
    # it (stop_now), the workers do not each print a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A parent killed outright (SIGKILL, OOM) cannot stop its workers: each
    # watches for it and exits when it is gone, rather than list on alone.
    threading.Thread(target=_exit_with_parent, args=(parent,), name="jobinventory-parent-watch",
                     daemon=True).start()


#: How often a worker looks whether its parent is still there (seconds).
PARENT_CHECK_INTERVAL = 0.5


def _exit_with_parent(parent: int) -> None:
    while True:
        time.sleep(PARENT_CHECK_INTERVAL)
        if os.getppid() != parent:  # reparented: the parent died
            os._exit(1)


class _QuietSpawnProcess(multiprocessing.context.SpawnProcess):
    """A spawned worker that never acts on Ctrl-C, from its first instruction.

    The initializer ignores SIGINT too, but only once the worker has
    imported the library: a Ctrl-C in between printed a KeyboardInterrupt
    traceback from the starting worker. The spawning thread blocks SIGINT
    for the instant of the spawn (a block, not an ignore: a Ctrl-C then is
    held for the parent, not lost); the new interpreter inherits the block
    and keeps it until the initializer ignores the signal.
    """

    def start(self) -> None:
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            super().start()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)


class _QuietSpawnContext(multiprocessing.context.SpawnContext):
    Process = _QuietSpawnProcess


def local_process_pool(processes: int) -> ProcessPoolExecutor:
    """A pool of `processes` worker processes for `collect(executor=...)`; each runs a batch on threads.

    Workers are started with "spawn", never fork: a forked copy of a process
    running threads (botocore's connection pools, a local server) can inherit
    a lock held at that instant and hang. Each worker imports the library
    once, builds its own clients, and reads credentials from its environment
    (inherited) or profile. Shut it down with `shutdown()` (waits for the
    running batches) or `stop_now()`.
    """
    if not isinstance(processes, int) or processes < 1:
        raise ValueError(f"processes must be a positive integer, got {processes!r}")
    return ProcessPoolExecutor(
        processes, mp_context=_QuietSpawnContext(), initializer=_ignore_interrupts,
        initargs=(os.getpid(),),  # not the worker's getppid(): the parent may be gone by then
    )


def stop_now(pool: ProcessPoolExecutor) -> None:
    """Stop a local pool at once: queued batches cancelled, running workers terminated."""
    terminate = getattr(pool, "terminate_workers", None)  # Python 3.14
    if terminate is not None:
        terminate()
        return
    # shutdown() forgets the processes: take them first.
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=5)
