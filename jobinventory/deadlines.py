"""Time bounds: a deadline per stream (and per account look-up), and a stop for the whole run.

botocore bounds one attempt (its connect and read timeouts) and retries
by its retry mode; nothing of botocore bounds a call's attempts in time,
or stops threads blocked in it when the caller gives up. Here:

- `bounded(timeout, cancel)` is a context for the thread doing one
  stream's (or one look-up's) calls. Every client the collector makes
  checks it before each attempt (`check`, botocore's `before-send` event):
  past the deadline, or once the run is cancelled, no new attempt is
  made; the call raises DeadlineExceeded or Cancelled and botocore does
  not retry those.
- A stream's deadline is `timeout` seconds without progress: each page it
  reads moves the deadline on (`renew`). A region that never answers fails
  its streams `timeout` seconds after they start; a long stream that keeps
  answering is never cut short (its pages are bounded by the page cap).
- The engine that waits for those threads (`jobinventory.tasks`,
  `call_bounded` here) never waits past the deadline either: a thread still
  blocked on a socket that does not answer is left to end by itself
  (daemon threads, the read timeout) and its stream is reported failed.
"""
from __future__ import annotations

import collections
import contextlib
import queue
import threading
import time
from typing import Any, Callable, Dict, Iterator, List, Optional, Sequence, TypeVar

from .errors import JobInventoryError

__all__ = ["DeadlineExceeded", "Cancelled", "bounded", "renew", "check", "call_bounded", "map_bounded", "describe"]

T = TypeVar("T")

_local = threading.local()


class DeadlineExceeded(JobInventoryError):
    """A stream or look-up ran out of its time (`stream_timeout`)."""


class Cancelled(JobInventoryError):
    """The run was stopped (closed early, interrupted) while a call was being made."""


def describe(timeout: float) -> str:
    return f"no answer within the deadline of {timeout:g} s (stream_timeout)"


class _State:
    """This thread's bound: when its next answer is due, and the run's stop."""

    __slots__ = ("deadline", "timeout", "cancel")

    def __init__(self, timeout: Optional[float], cancel: Optional[threading.Event], start: float) -> None:
        self.timeout = timeout
        self.cancel = cancel
        self.deadline = None if timeout is None else start + timeout


@contextlib.contextmanager
def bounded(timeout: Optional[float], cancel: Optional[threading.Event] = None,
            start: Optional[float] = None) -> Iterator[None]:
    """Calls made on this thread inside the block stop `timeout` seconds after `start` (now) or
    the last `renew`, or on `cancel`."""
    previous = getattr(_local, "state", None)
    _local.state = _State(timeout, cancel, start if start is not None else time.monotonic())
    try:
        yield
    finally:
        _local.state = previous


def renew() -> None:
    """Progress on this thread (a page read): its deadline moves `timeout` seconds from now."""
    state = getattr(_local, "state", None)
    if state is not None and state.timeout is not None:
        state.deadline = time.monotonic() + state.timeout


def check(**_: Any) -> None:
    """botocore `before-send` handler: refuse an attempt past this thread's deadline, or once cancelled."""
    state = getattr(_local, "state", None)
    if state is None:
        return
    if state.cancel is not None and state.cancel.is_set():
        raise Cancelled("cancelled")
    if state.deadline is not None and time.monotonic() >= state.deadline:
        raise DeadlineExceeded(describe(state.timeout))  # type: ignore[arg-type]


def call_bounded(fn: Callable[[], T], timeout: Optional[float], what: str) -> T:
    """`fn()` on a daemon thread under `bounded(timeout)`; DeadlineExceeded if it is not back by then.

    The calling thread waits at most `timeout` seconds (interrupts reach
    it); a thread left blocked ends by itself.
    """
    if timeout is None:
        return fn()
    outcome: list = []
    start = time.monotonic()

    def run() -> None:
        with bounded(timeout, start=start):
            try:
                outcome.append((True, fn()))
            except BaseException as exc:  # handed to the caller
                outcome.append((False, exc))

    thread = threading.Thread(target=run, name=f"jobinventory-{what}", daemon=True)
    thread.start()
    thread.join(timeout)
    if not outcome:
        raise DeadlineExceeded(f"{what}: {describe(timeout)}")
    ok, value = outcome[0]
    if not ok:
        raise value
    return value


def map_bounded(
    fn: Callable[[Any], T],
    items: Sequence[Any],
    threads: int,
    timeout: Optional[float],
    on_timeout: Callable[[Any], T],
    name: str = "jobinventory",
) -> List[T]:
    """[fn(item) for item in items] on up to `threads` daemon threads (named `name`_N), in order.

    Each item's calls are `bounded(timeout)` from when its thread starts; an
    item not back by then gives `on_timeout(item)` instead, and its thread
    is left to end by itself. An exception of `fn` propagates.
    """
    results: Dict[int, T] = {}
    done: "queue.Queue[tuple]" = queue.Queue()
    pending = collections.deque(range(len(items)))
    running: Dict[int, Optional[float]] = {}
    cancel = threading.Event()

    def run(index: int, start: float) -> None:
        with bounded(timeout, cancel, start=start):
            try:
                done.put((index, True, fn(items[index])))
            except BaseException as exc:  # handed to the caller
                done.put((index, False, exc))

    try:
        while pending or running:
            while pending and len(running) < max(1, threads):
                index = pending.popleft()
                start = time.monotonic()
                running[index] = None if timeout is None else start + timeout
                threading.Thread(target=run, args=(index, start), name=f"{name}_{index}", daemon=True).start()
            deadlines = [d for d in running.values() if d is not None]
            wait = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
            try:
                index, ok, value = done.get(timeout=wait)
            except queue.Empty:
                now = time.monotonic()
                for index in [i for i, d in running.items() if d is not None and now >= d]:
                    del running[index]
                    results[index] = on_timeout(items[index])
                continue
            if index not in running:  # back after its deadline: already answered for
                continue
            del running[index]
            if not ok:
                raise value
            results[index] = value
    finally:
        cancel.set()
    return [results[i] for i in range(len(items))]
