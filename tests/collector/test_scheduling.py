"""The scheduler: bounded per operation (not per service), longest streams first, keys opened in a window."""
from __future__ import annotations

from collections import Counter

import attrs

from jobinventory.accounts import AccountRef
from jobinventory.scheduling import DEFAULT_PER_OPERATION, StreamScheduler
from jobinventory.tasks import StreamTask

ACCOUNT = AccountRef("role", role_arn="arn:aws:iam::111111111111:role/R", account_id="111111111111")
FORECAST = ["ListDatasetImportJobs", "ListForecastExportJobs", "ListExplainabilityExports",
            "ListPredictorBacktestExportJobs", "ListWhatIfForecastExports"]


def _task(service, operation, region="us-east-1", account=ACCOUNT, pages=None):
    return StreamTask(account, region, service, operation, expected_pages=pages)


def test_every_operation_of_a_service_starts_at_once():
    tasks = [_task("forecast", op) for op in FORECAST]
    scheduler = StreamScheduler(tasks)
    assert sorted(t.operation for t in scheduler.take(32)) == sorted(FORECAST)


def test_per_key_still_bounds_a_service_when_asked():
    tasks = [_task("forecast", op) for op in FORECAST]
    scheduler = StreamScheduler(tasks, per_key=2)
    first = scheduler.take(32)
    assert len(first) == 2 and scheduler.take(32) == []
    scheduler.finished(first[0])
    assert len(scheduler.take(32)) == 1


def test_streams_of_one_operation_are_bounded_per_operation():
    # Several streams of one operation (one per parent resource, say): at most DEFAULT_PER_OPERATION at once.
    tasks = [attrs.evolve(_task("personalize", "ListBatchInferenceJobs"), region="us-east-1") for _ in range(7)]
    tasks += [_task("personalize", "ListDatasetImportJobs")]
    scheduler = StreamScheduler(tasks)
    first = scheduler.take(32)
    assert Counter(t.operation for t in first) == {"ListBatchInferenceJobs": DEFAULT_PER_OPERATION,
                                                   "ListDatasetImportJobs": 1}
    assert scheduler.take(32) == []
    scheduler.finished(first[0])
    assert [t.operation for t in scheduler.take(32)] == ["ListBatchInferenceJobs"]


def test_longest_first_by_expected_pages_then_smaller_pages():
    tasks = [
        _task("bedrock", "ListModelImportJobs"),                     # unknown, 1,000 a page
        _task("forecast", "ListDatasetImportJobs", pages=1),         # known short
        _task("personalize", "ListDatasetImportJobs"),               # unknown, 100 a page
        _task("dataexchange", "ListJobs", pages=40),                 # known long
        _task("bedrock", "ListEvaluationJobs", pages=7),
    ]
    scheduler = StreamScheduler(tasks)
    order = [scheduler.take(1)[0] for _ in tasks]
    assert [(t.service, t.operation) for t in order] == [
        ("dataexchange", "ListJobs"), ("bedrock", "ListEvaluationJobs"),
        ("personalize", "ListDatasetImportJobs"), ("bedrock", "ListModelImportJobs"),
        ("forecast", "ListDatasetImportJobs"),
    ]


def test_equal_streams_are_spread_over_keys():
    tasks = [_task("forecast", op, region=r) for r in ("us-east-1", "eu-west-1", "ap-south-1") for op in FORECAST]
    first = StreamScheduler(tasks).take(3)
    assert sorted(t.region for t in first) == ["ap-south-1", "eu-west-1", "us-east-1"]


def test_a_window_opens_keys_one_after_another_and_says_when_an_account_is_done():
    accounts = [AccountRef("role", role_arn=f"arn:aws:iam::{a:012d}:role/R", account_id=f"{a:012d}")
                for a in (1, 2)]
    tasks = [_task("forecast", op, account=acc, pages=5 if acc is accounts[1] else 1)
             for acc in accounts for op in FORECAST[:2]]
    scheduler = StreamScheduler(tasks, window=1)
    first = scheduler.take(32)
    # Only the first key is open, though the second account's streams are longer.
    assert {t.account.account_id for t in first} == {"000000000001"} and len(first) == 2
    assert scheduler.finished(first[0]) == (False, False)
    assert scheduler.take(32) == []
    assert scheduler.finished(first[1]) == (True, True)
    second = scheduler.take(32)
    assert {t.account.account_id for t in second} == {"000000000002"} and len(second) == 2
    assert [scheduler.finished(t) for t in second] == [(False, False), (True, True)]
    assert scheduler.take(32) == []


def test_every_task_is_handed_out_once_under_both_bounds():
    tasks = [_task(s, op, region=r) for r in ("us-east-1", "eu-west-1")
             for s, ops in (("forecast", FORECAST), ("personalize", ["ListBatchInferenceJobs"] * 6))
             for op in ops]
    scheduler = StreamScheduler(tasks, per_key=3, window=2)
    seen, running = [], []
    while True:
        running += scheduler.take(5 - len(running))
        if not running:
            break
        assert max(Counter(t.key for t in running).values()) <= 3
        assert max(Counter((t.key, t.operation) for t in running).values()) <= DEFAULT_PER_OPERATION
        task = running.pop(0)
        seen.append(task)
        scheduler.finished(task)
    assert len(seen) == len(tasks)
    assert Counter(map(id, seen)) == Counter(map(id, tasks))


def test_expected_pages_is_a_hint_not_part_of_a_tasks_identity():
    assert _task("forecast", FORECAST[0], pages=9) == _task("forecast", FORECAST[0])
    assert hash(_task("forecast", FORECAST[0], pages=9)) == hash(_task("forecast", FORECAST[0]))



def test_collect_hands_expected_pages_to_the_scheduler(fake, monkeypatch):
    import pytest

    import jobinventory.tasks
    from jobinventory import collect
    from jobinventory.errors import ConfigurationError

    seen = []

    class Recording(StreamScheduler):
        def __init__(self, tasks, *args, **kwargs):
            seen.extend(tasks)
            super().__init__(tasks, *args, **kwargs)

    monkeypatch.setattr(jobinventory.tasks, "_KeyScheduler", Recording)
    key = (fake.default_account_id, "us-east-1", "forecast", "ListDatasetImportJobs")
    inv = collect(operations=["forecast:ListDatasetImportJobs", "forecast:ListForecastExportJobs"],
                  regions=["us-east-1"], endpoint_url=fake.url, expected_pages={key: 12})
    assert inv.complete
    assert sorted((t.operation, t.expected_pages) for t in seen) == [
        ("ListDatasetImportJobs", 12), ("ListForecastExportJobs", None)]
    fake.reset_log()
    for bad in ([("a", "b")], {key: -1}, {key: "many"}):
        with pytest.raises(ConfigurationError, match="expected_pages"):
            collect(regions=["us-east-1"], endpoint_url=fake.url, expected_pages=bad)
    assert fake.requests == []  # refused before any call
