"""The sync loop: failures logged, counted and retried; one sync at a time; the demo's steps."""
from __future__ import annotations

import logging
import threading

from jobinventory.inventory import Inventory
from jobinventory.serve.loop import SyncLoop
from jobinventory.store import StoreError, open_store


def test_a_failing_sync_is_logged_counted_and_retried(tmp_path, caplog):
    outcomes = ["away", "ok", "away", "ok"]
    with open_store(f"sqlite:///{tmp_path / 'store.db'}") as store:
        def sync():
            if outcomes.pop(0) == "away":
                raise StoreError("the sync could not be written: database is locked")
            return store.sync(Inventory(), filtered=False)

        loop = SyncLoop(sync, store.engine, 300)
        with caplog.at_level(logging.INFO, logger="jobinventory.serve"):
            seen = []
            for step in range(4):
                loop.run_once(step)
                seen.append((loop.state.failures, loop.state.last_success,
                             loop.snapshot.last_sync.sync_id if loop.snapshot.last_sync else None))
    assert seen == [(1, False, None), (1, True, 1), (2, False, 1), (2, True, 2)]
    assert [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR] == [
        "sync failed (retried in 300 s): StoreError: the sync could not be written: database is locked"] * 2
    assert sum("finished in" in r.getMessage() for r in caplog.records) == 2


def test_one_sync_at_a_time_and_the_steps_before_each(tmp_path):
    running, most, steps = [0], [0], []
    lock = threading.Lock()
    ten = threading.Event()
    with open_store(f"sqlite:///{tmp_path / 'store.db'}") as store:
        def sync():
            with lock:
                running[0] += 1
                most[0] = max(most[0], running[0])
            try:
                return store.sync(Inventory(), filtered=False)
            finally:
                with lock:
                    running[0] -= 1
                if len(steps) >= 9:
                    ten.set()

        loop = SyncLoop(sync, store.engine, 0.001, before_sync=steps.append)  # syncs run past the interval
        loop.start()
        try:
            assert ten.wait(60)
        finally:
            assert loop.stop(30)
    assert most[0] == 1
    assert steps == list(range(1, len(steps) + 1)) and loop.attempts == len(steps) + 1


def test_a_loop_needs_a_positive_interval_and_a_sync(tmp_path):
    with open_store(f"sqlite:///{tmp_path / 'store.db'}") as store:
        for interval in (0, -1, float("nan")):
            try:
                SyncLoop(None, store.engine, interval)
            except ValueError as exc:
                assert "positive number of seconds" in str(exc)
            else:
                raise AssertionError(f"interval {interval} accepted")
        loop = SyncLoop(None, store.engine, 1)
        try:
            loop.start()
        except ValueError as exc:
            assert str(exc) == "the sync loop needs a sync to run"
        else:
            raise AssertionError("started with no sync")
