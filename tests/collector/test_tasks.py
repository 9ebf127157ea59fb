"""Stream tasks: plain picklable data; the per-key bound; the thread engine."""
from __future__ import annotations

import pickle
import threading
import time
from collections import Counter

from jobinventory.accounts import AccountRef
from jobinventory.clients import ClientSettings
from jobinventory.errors import CollectionError
from jobinventory.filters import make_filters
from jobinventory.tasks import StreamOutcome, StreamTask, _KeyScheduler, failed_result, run_threaded


def _tasks(keys: int, per_key_tasks: int):
    return [
        StreamTask(AccountRef("role", role_arn=f"arn:aws:iam::{a:012d}:role/R", account_id=f"{a:012d}"),
                   "us-east-1", "forecast", f"List{i}")
        for a in range(keys) for i in range(per_key_tasks)
    ]


def test_a_stream_task_and_its_outcome_pickle():
    task = StreamTask(AccountRef("role", role_arn="arn:aws:iam::111111111111:role/R", account_id="111111111111",
                                 partition="aws"),
                      "eu-west-1", "bedrock", "ListModelImportJobs",
                      make_filters(statuses=["FAILED"], since="2025-01-01", name_contains="X"),
                      ClientSettings(endpoint_url={"sts": "http://127.0.0.1:1"}))
    assert pickle.loads(pickle.dumps(task)) == task
    outcome = StreamOutcome(failed_result(task, "throttled", "slow down", pages=2, jobs=5, calls=9))
    back = pickle.loads(pickle.dumps(outcome))
    assert back.result == outcome.result
    assert back.result.error == CollectionError("111111111111", "eu-west-1", "bedrock", "ListModelImportJobs",
                                                "throttled", "slow down")


def test_scheduler_keeps_at_most_per_key_of_a_key_running():
    tasks = _tasks(keys=3, per_key_tasks=5)
    scheduler = _KeyScheduler(tasks, per_key=2)
    first = scheduler.take(100)
    assert Counter(t.key for t in first) == {t.key: 2 for t in first}
    assert len(first) == 6
    assert scheduler.take(100) == []
    scheduler.finished(first[0])
    [nxt] = scheduler.take(100)
    assert nxt.key == first[0].key
    # round-robin: the first tasks taken are spread over every key
    assert len({t.key for t in _KeyScheduler(tasks, per_key=4).take(3)}) == 3


def test_run_threaded_bounds_each_key(monkeypatch):
    running, peak, lock = Counter(), Counter(), threading.Lock()

    def fake_stream(task, factory, emit, cancelled, progress=None):
        with lock:
            running[task.key] += 1
            peak[task.key] = max(peak[task.key], running[task.key])
        time.sleep(0.005)
        emit([])
        with lock:
            running[task.key] -= 1
        return task.result("answered")

    monkeypatch.setattr("jobinventory.tasks.run_stream", fake_stream)
    tasks = _tasks(keys=4, per_key_tasks=6)
    events = list(run_threaded(tasks, factory=None, max_workers=16, per_key=2))
    results = [r for _, _, r in events if r is not None]
    assert len(results) == len(tasks) and all(r.state == "answered" for r in results)
    assert max(peak.values()) <= 2
