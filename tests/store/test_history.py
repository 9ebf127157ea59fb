"""What only history shows: failures per day by service, durations per job type; the store as an Inventory."""
from __future__ import annotations

import datetime as _dt
import re

from jobinventory.report import render_report

from .helpers import BEDROCK, FORECAST, UTC, answered, failed, inventory, job, later

NOW = _dt.datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def _ended(n, status, stream, ended, minutes):
    created = ended - _dt.timedelta(minutes=minutes)
    return job(n, status, stream, created_at=created, updated_at=ended, ended_at=ended)


def _history_jobs():
    day = lambda d: _dt.datetime(2026, 11, d, 8, 0, tzinfo=UTC)  # noqa: E731
    return [
        _ended(1, "FAILED", FORECAST, day(30), 5),
        _ended(2, "FAILED", FORECAST, day(30), 5),
        _ended(3, "FAILED", BEDROCK, day(29), 5),
        _ended(4, "FAILED", BEDROCK, day(1), 5),   # day 1 is the first of the 30 days
        _ended(5, "FAILED", BEDROCK, _dt.datetime(2026, 10, 31, 23, 59, tzinfo=UTC), 5),  # before them
        job(6, "FAILED", FORECAST, ended_at=None, updated_at=day(28)),  # dated by updated_at
    ] + [_ended(10 + i, "SUCCEEDED", FORECAST, day(20), minutes) for i, minutes in enumerate([10, 20, 30, 40, 600])] \
      + [_ended(20, "SUCCEEDED", BEDROCK, day(21), 90)]


def test_failures_per_day_and_durations(store):
    store.sync(inventory(_history_jobs(), at=later(0)), filtered=False)
    store.sync(inventory([], at=later(1)), filtered=False)  # everything gone: history keeps it
    history = store.history(now=NOW)

    failures = history.failures
    assert failures.days[0] == _dt.date(2026, 11, 1) and failures.days[-1] == _dt.date(2026, 11, 30)
    assert len(failures.days) == 30 and failures.services == ("bedrock", "forecast")
    assert {day: counts for day, counts in failures.counts.items() if counts} == {
        _dt.date(2026, 11, 30): {"forecast": 2}, _dt.date(2026, 11, 29): {"bedrock": 1},
        _dt.date(2026, 11, 28): {"forecast": 1}, _dt.date(2026, 11, 1): {"bedrock": 1}}
    assert failures.total == 5
    assert [(d.service, d.job_type, d.count, d.median, d.p90) for d in history.durations] == [
        ("bedrock", "model_customization", 1, _dt.timedelta(minutes=90), _dt.timedelta(minutes=90)),
        ("forecast", "forecast_export", 5, _dt.timedelta(minutes=30), _dt.timedelta(minutes=600)),
    ]


def test_the_store_as_an_inventory_and_its_report(store):
    store.sync(inventory([job(1), job(2, "FAILED"), job(3, stream=BEDROCK)], at=later(0)), filtered=False)
    store.sync(inventory([job(1), job(2, "FAILED")], [answered(FORECAST, 2), failed(BEDROCK)], at=later(1)),
               filtered=False)
    store.sync(inventory([job(1)], [answered(FORECAST, 1), answered(BEDROCK, 0)], at=later(2)), filtered=False)
    current = store.inventory()
    assert [j.name for j in current.jobs] == ["j1"]  # j2 and j3 are gone
    assert current.collected_at == later(2)
    assert [(s.service, s.state, s.jobs) for s in current.streams] == [("bedrock", "answered", 0),
                                                                       ("forecast", "answered", 1)]

    store.sync(inventory([job(1)], [answered(FORECAST, 1), failed(BEDROCK)], at=later(3)), filtered=False)
    current = store.inventory()
    assert [str(e) for e in current.errors] == [
        "123456789012/eu-west-1/bedrock/ListModelCustomizationJobs: throttled: Rate exceeded"]
    page = render_report(current, history=store.history(now=later(3)))
    assert re.findall(r'data-day="([\d-]+)" data-failures="(\d+)"', page)[-3:] == [
        ("2026-10-31", "0"), ("2026-11-01", "1"), ("2026-11-02", "0")]  # j2 failed on Nov 1, gone since
    assert re.findall(r'data-day="([\d-]+)"', page)[0] == "2026-10-04"  # 30 days back, today included
    assert "No succeeded job with a known end yet." in page
    assert 'id="partial-banner"' in page


def test_an_empty_store_has_an_empty_inventory_and_history(store):
    current = store.inventory()
    assert (current.jobs, current.streams, current.collected_at) == ([], [], None)
    history = store.history(now=NOW)
    assert history.failures.total == 0 and history.durations == ()
