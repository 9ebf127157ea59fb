"""The sync loop of `serve`: one sync every interval, in one background thread.

A sync starts every `interval` seconds, counted from the start of the
previous one; a sync that runs past the interval is followed by the next
at once, never overlapped (one thread does them all). After each sync,
failed or not, the loop reads the store's new `Snapshot` and hands it on.
A sync that raises (the database away, credentials expired) is logged,
counted in `LoopState.failures`, and tried again at the next interval.
`stop()` asks the loop to end: it does between two syncs at once, and a
sync in progress either commits whole or not at all (one transaction), so
the store stays intact whatever happens to the thread.
"""
from __future__ import annotations

import logging
import threading
import time
from typing import Any, Callable, Optional

from .metrics import LoopState
from .state import Snapshot, read_snapshot

__all__ = ["SyncLoop"]

log = logging.getLogger("jobinventory.serve")

#: Failed streams named in the log after each sync (the metrics have them all).
_NAMED_FAILURES = 20


class SyncLoop:
    """Runs `sync()` every `interval` seconds and publishes the store's snapshot after each.

    `before_sync(step)` (optional) runs before every sync but the first
    (step 1, 2, ...): the demo moves its jobs on there. `engine` is the
    store's SQLAlchemy engine, read for the snapshot.
    """

    def __init__(self, sync: Optional[Callable[[], Any]], engine: Any, interval: float, *,
                 before_sync: Optional[Callable[[int], Any]] = None) -> None:
        if not interval > 0:
            raise ValueError(f"interval must be a positive number of seconds, got {interval!r}")
        self._sync = sync
        self._engine = engine
        self.interval = float(interval)
        self._before_sync = before_sync
        self.state = LoopState()
        self._snapshot: Optional[Snapshot] = None
        self._stop = threading.Event()
        self._thread: Optional[threading.Thread] = None
        #: Syncs attempted (finished or raised).
        self.attempts = 0

    @property
    def snapshot(self) -> Optional[Snapshot]:
        """The latest published snapshot (None before the store was first read)."""
        return self._snapshot

    def refresh(self) -> Optional[Snapshot]:
        """Read the store's snapshot now and publish it; on a database error keep the last one."""
        try:
            self._snapshot = read_snapshot(self._engine, self._snapshot)
        except Exception as exc:  # the database away: keep serving what we had
            log.error("could not read the store: %s", _one_line(exc))
        return self._snapshot

    def start(self, sync: Optional[Callable[[], Any]] = None,
              before_sync: Optional[Callable[[int], Any]] = None) -> None:
        """Start the thread; `sync`/`before_sync` replace the constructor's when given."""
        if self._thread is not None:
            raise RuntimeError("the sync loop is already started")
        self._sync = sync or self._sync
        self._before_sync = before_sync or self._before_sync
        if self._sync is None:
            raise ValueError("the sync loop needs a sync to run")
        self._thread = threading.Thread(target=self._run, name="jobinventory-sync", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> bool:
        """Ask the loop to end and wait up to `timeout` s; False if a sync is still running."""
        self._stop.set()
        if self._thread is None:
            return True
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _run(self) -> None:
        self.refresh()  # what the store already holds (a restart keeps its counters), before the first sync
        step = 0
        while not self._stop.is_set():
            began = time.monotonic()
            self.run_once(step)
            step += 1
            self._stop.wait(max(0.0, self.interval - (time.monotonic() - began)))

    def run_once(self, step: int = 0) -> None:
        """One sync (after `before_sync(step)` when step > 0), then the snapshot, then its log lines."""
        self.attempts += 1
        started = time.monotonic()
        try:
            if step and self._before_sync is not None:
                self._before_sync(step)
            result = self._sync()
        except Exception as exc:
            self.state.failures += 1
            self.state.last_success = False
            self.refresh()
            log.error("sync failed (retried in %g s): %s", self.interval, _one_line(exc))
            return
        self.state.last_success = result.streams_failed == 0
        self.refresh()  # published before the line saying the sync finished
        log.info("sync %s finished in %.1f s: %d jobs, %d changes, %d streams answered, %d failed",
                 result.sync_id, time.monotonic() - started, result.jobs_seen, len(result.changes),
                 result.streams_answered, result.streams_failed)
        for error in result.errors[:_NAMED_FAILURES]:
            log.warning("stream failed: %s", " ".join(str(error).split()))
        if len(result.errors) > _NAMED_FAILURES:
            log.warning("... and %d more failed streams", len(result.errors) - _NAMED_FAILURES)


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__
