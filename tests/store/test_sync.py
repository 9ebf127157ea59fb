"""Store.sync: what is written, what is a change, and when a job is gone (SQLite and PostgreSQL)."""
from __future__ import annotations

import datetime as _dt
from typing import List, Tuple

import pytest
from sqlalchemy import event, select

from jobinventory.model import JobStatus
from jobinventory.store.tables import job_changes, sync_streams, syncs

from .helpers import (
    BEDROCK, FORECAST, T0, UTC, answered, evolve, failed, inventory, job, kinds, later, skipped, stored,
)


def _statements(store) -> List[Tuple[str, int]]:
    """The SQL statements the store runs from now on, with the rows each wrote (for 'what was written')."""
    seen: List[Tuple[str, int]] = []
    event.listen(store.engine, "after_cursor_execute",
                 lambda conn, cursor, statement, *rest: seen.append((" ".join(statement.split()), cursor.rowcount)))
    return seen


def _job_writes(statements: List[Tuple[str, int]]) -> List[Tuple[str, int]]:
    """The statements that wrote rows of `jobs` or `job_changes`, with those rows."""
    return [(s, rows) for s, rows in statements
            if rows and s.split()[0] in ("INSERT", "UPDATE", "DELETE")
            and s.split()[1 if s.startswith("UPDATE") else 2] in ("jobs", "job_changes")]


def test_first_sync_records_every_job_as_new(store):
    listed = [job(3, "RUNNING"), job(2, "FAILED", BEDROCK), job(1, "SUCCEEDED")]
    result = store.sync(inventory(listed, at=later(0)), filtered=False)

    assert result.sync_id == 1
    assert result.started_at == later(0)
    assert result.finished_at >= result.started_at
    assert kinds(result) == [("new", "j3", None, "RUNNING"), ("new", "j2", None, "FAILED"),
                             ("new", "j1", None, "SUCCEEDED")]
    assert [c.change_id for c in result.changes] == [1, 2, 3]
    assert {c.observed_at for c in result.changes} == {later(0)}
    assert result.changes[1].job == listed[1]
    assert (result.streams_answered, result.streams_skipped, result.streams_failed) == (2, 0, 0)
    assert result.jobs_seen == 3 and result.complete and result.errors == []
    rows = stored(store)
    assert sorted(rows) == ["j1", "j2", "j3"]
    assert rows["j2"]["details"] == {"n": 2, "tags": ["a", "b"]}
    assert rows["j2"]["created_at"] == T0 + _dt.timedelta(minutes=2)
    assert rows["j2"]["created_at"].tzinfo is UTC
    assert (rows["j2"]["first_seen_at"], rows["j2"]["last_seen_at"], rows["j2"]["gone_at"],
            rows["j2"]["last_sync_id"]) == (later(0), later(0), None, 1)
    with store.engine.connect() as conn:
        sync_row = conn.execute(select(syncs)).mappings().one()
        streams = conn.execute(select(sync_streams).order_by(sync_streams.c.service)).mappings().all()
    assert dict(sync_row) == {
        "sync_id": 1, "started_at": later(0), "finished_at": result.finished_at, "streams_answered": 2,
        "streams_skipped": 0, "streams_failed": 0, "jobs_seen": 3, "changes": 3, "complete": True,
    }
    assert [(s["service"], s["region"], s["operation"], s["state"], s["jobs"], s["error_kind"])
            for s in streams] == [("bedrock", "eu-west-1", "ListModelCustomizationJobs", "answered", 1, None),
                                  ("forecast", "us-east-1", "ListForecastExportJobs", "answered", 2, None)]


def test_a_sync_that_changes_nothing_writes_no_job_and_no_change(store):
    listed = [job(1), job(2), job(3, stream=BEDROCK)]
    store.sync(inventory(listed, at=later(0)), filtered=False)
    statements = _statements(store)
    result = store.sync(inventory(listed, at=later(1)), filtered=False)

    assert result.changes == [] and result.sync_id == 2
    # One statement moved last_seen_at (and last_sync_id) of the three: no other job or change row written.
    writes = _job_writes(statements)
    assert [(s.split()[0], [part.split("=")[0] for part in s.split(" SET ")[1].split(" FROM ")[0].split(", ")], rows)
            for s, rows in writes] == [("UPDATE", ["last_seen_at", "last_sync_id"], 3)]
    rows = stored(store)
    assert {name: (r["first_seen_at"], r["last_seen_at"], r["last_sync_id"]) for name, r in rows.items()} == {
        name: (later(0), later(1), 2) for name in ("j1", "j2", "j3")}
    with store.engine.connect() as conn:
        assert conn.execute(select(job_changes.c.change_id)).scalars().all() == [1, 2, 3]
        assert conn.execute(select(syncs.c.changes).where(syncs.c.sync_id == 2)).scalar_one() == 0


def test_status_change_and_other_field_change(store):
    store.sync(inventory([job(1, "RUNNING"), job(2, "RUNNING")], at=later(0)), filtered=False)
    ended = later(1) - _dt.timedelta(minutes=5)
    second = [job(1, "FAILED", message="out of memory", ended_at=ended), job(2, "RUNNING", message="50%")]
    result = store.sync(inventory(second, at=later(1)), filtered=False)

    assert kinds(result) == [("status", "j1", "RUNNING", "FAILED")]
    assert result.changes[0].job == second[0]
    rows = stored(store)
    assert (rows["j1"]["status"], rows["j1"]["raw_status"], rows["j1"]["message"], rows["j1"]["ended_at"]) == (
        "FAILED", "FAILED", "out of memory", ended)
    assert rows["j2"]["message"] == "50%"  # rewritten, but no change row: its status did not change
    assert [(r["first_seen_at"], r["last_seen_at"]) for r in (rows["j1"], rows["j2"])] == [(later(0), later(1))] * 2


def test_a_job_missing_from_a_stream_answered_whole_is_gone_once(store):
    store.sync(inventory([job(1), job(2, "SUCCEEDED"), job(3, stream=BEDROCK)], at=later(0)), filtered=False)
    result = store.sync(inventory([job(1), job(3, stream=BEDROCK)], at=later(1)), filtered=False)

    assert kinds(result) == [("gone", "j2", "SUCCEEDED", None)]
    rows = stored(store)
    assert (rows["j2"]["gone_at"], rows["j2"]["last_seen_at"], rows["j2"]["last_sync_id"]) == (later(1), later(0), 1)
    assert rows["j1"]["gone_at"] is None
    again = store.sync(inventory([job(1), job(3, stream=BEDROCK)], at=later(2)), filtered=False)
    assert again.changes == []
    assert stored(store)["j2"]["gone_at"] == later(1)


def test_a_gone_job_listed_again_is_new_with_gone_at_cleared(store):
    store.sync(inventory([job(1), job(2)], at=later(0)), filtered=False)
    store.sync(inventory([job(1)], at=later(1)), filtered=False)
    result = store.sync(inventory([job(1), job(2, "FAILED")], at=later(2)), filtered=False)

    assert kinds(result) == [("new", "j2", None, "FAILED")]
    row = stored(store)["j2"]
    assert (row["gone_at"], row["first_seen_at"], row["last_seen_at"], row["status"]) == (
        None, later(0), later(2), "FAILED")


@pytest.mark.parametrize("why", ["failed", "skipped", "outside the selection", "filtered"])
def test_no_job_is_gone_unless_its_stream_was_listed_whole(store, why):
    store.sync(inventory([job(1), job(2), job(3, stream=BEDROCK)], at=later(0)), filtered=False)
    listed = [job(1)]
    streams = {
        "failed": [failed(FORECAST, 1), answered(BEDROCK, 0)],
        "skipped": [skipped(FORECAST), answered(BEDROCK, 0)],
        "outside the selection": [answered(BEDROCK, 0)],
        "filtered": [answered(FORECAST, 1), answered(BEDROCK, 0)],
    }[why]
    if why in ("skipped", "outside the selection"):
        listed = []
    result = store.sync(inventory(listed, streams, at=later(1)), filtered=(why == "filtered"))

    expected_gone = [] if why == "filtered" else [("gone", "j3", "RUNNING", None)]
    assert kinds(result) == expected_gone
    rows = stored(store)
    assert rows["j2"]["gone_at"] is None
    assert rows["j2"]["last_seen_at"] == later(0)
    assert rows["j1"]["last_seen_at"] == (later(1) if listed else later(0))
    assert result.complete is (why != "failed")
    assert [str(e) for e in result.errors] == (
        ["123456789012/us-east-1/forecast/ListForecastExportJobs: throttled: Rate exceeded"] if why == "failed" else [])


def test_failed_stream_is_recorded_with_its_error(store):
    result = store.sync(inventory([job(1)], [failed(FORECAST, 1), skipped(BEDROCK)], at=later(0)), filtered=False)

    assert kinds(result) == [("new", "j1", None, "RUNNING")]
    assert (result.streams_answered, result.streams_skipped, result.streams_failed) == (0, 1, 1)
    with store.engine.connect() as conn:
        rows = conn.execute(select(sync_streams).order_by(sync_streams.c.service)).mappings().all()
        complete = conn.execute(select(syncs.c.complete)).scalar_one()
    assert [(r["service"], r["state"], r["jobs"], r["error_kind"], r["error_message"]) for r in rows] == [
        ("bedrock", "skipped", 0, None, "region not enabled"),
        ("forecast", "failed", 1, "throttled", "Rate exceeded")]
    assert complete is False


def test_a_job_seen_twice_in_one_inventory_is_one_change(store):
    result = store.sync(inventory([job(1), job(1, "FAILED")], at=later(0)), filtered=False)
    assert kinds(result) == [("new", "j1", None, "RUNNING")]


def test_changes_newest_first_with_filters(store):
    store.sync(inventory([job(1), job(2), job(3, stream=BEDROCK)], at=later(0)), filtered=False)
    store.sync(inventory([job(1, "SUCCEEDED"), job(3, "FAILED", BEDROCK)], at=later(2)), filtered=False)

    everything = store.changes()
    assert [(c.change_id, c.kind, c.job.name, c.to_status) for c in everything] == [
        (6, "gone", "j2", None), (5, "status", "j3", "FAILED"), (4, "status", "j1", "SUCCEEDED"),
        (3, "new", "j3", "RUNNING"), (2, "new", "j2", "RUNNING"), (1, "new", "j1", "RUNNING")]
    assert [c.change_id for c in store.changes(since=later(1))] == [6, 5, 4]
    assert [c.change_id for c in store.changes(kinds=["status"])] == [5, 4]
    assert [c.change_id for c in store.changes(kinds="gone")] == [6]
    assert [c.change_id for c in store.changes(statuses=[JobStatus.FAILED, "succeeded"])] == [5, 4]
    assert [c.change_id for c in store.changes(limit=2)] == [6, 5]
    assert everything[0].sync_id == 2 and everything[0].observed_at == later(2)
    assert everything[0].job.status is JobStatus.RUNNING  # the gone job as last listed


def test_changes_rejects_unknown_kind_status_and_naive_since(store):
    from jobinventory.errors import ConfigurationError

    with pytest.raises(ConfigurationError, match="unknown change kind 'moved'; kinds: new, status, gone"):
        store.changes(kinds=["moved"])
    with pytest.raises(ConfigurationError, match="unknown status"):
        store.changes(statuses=["DONE"])
    with pytest.raises(ConfigurationError, match="timezone-aware"):
        store.changes(since=_dt.datetime(2026, 1, 1))


def test_a_job_is_rewritten_when_its_version_changes_not_its_details_alone(store):
    """raw status, updated_at, ended_at and message stand for the summary's version."""
    listed = [job(1), job(2, updated_at=None)]
    store.sync(inventory(listed, at=later(0)), filtered=False)
    statements = _statements(store)
    details_only = [evolve(j, details={"n": 0}) for j in listed]
    assert store.sync(inventory(details_only, at=later(1)), filtered=False).changes == []
    assert not [s for s, _rows in _job_writes(statements) if s.startswith("INSERT INTO jobs")]
    assert [r["details"] for r in stored(store).values()] == [{"n": 1, "tags": ["a", "b"]}, {"n": 2, "tags": ["a", "b"]}]

    moved = [evolve(details_only[0], updated_at=listed[0].updated_at + _dt.timedelta(seconds=1)),
             evolve(details_only[1], raw_status="InProgress")]
    result = store.sync(inventory(moved, at=later(2)), filtered=False)
    assert result.changes == []  # the same unified status: rewritten, no change row
    rows = stored(store)
    assert (rows["j1"]["details"], rows["j2"]["details"], rows["j2"]["raw_status"]) == (
        {"n": 0}, {"n": 0}, "InProgress")
    assert [rows for s, rows in _job_writes(statements) if s.startswith("INSERT INTO jobs")] == [2]


def test_the_stage_writes_times_as_the_jobs_columns_do():
    """The stage formats SQLite's UTC text itself: exactly as UTCDateTime binds it, offsets converted."""
    from sqlalchemy.dialects import sqlite

    from jobinventory.store.staging import _sqlite_time
    from jobinventory.store.tables import jobs

    bind = jobs.c.created_at.type._cached_bind_processor(sqlite.dialect())
    plus2 = _dt.timezone(_dt.timedelta(hours=2))
    for value in (T0, T0.replace(microsecond=7), _dt.datetime(999, 1, 2, 3, 4, 5, 60, tzinfo=UTC),
                  _dt.datetime(2026, 3, 1, 1, 30, tzinfo=plus2)):
        assert _sqlite_time(value) == bind(value)
    assert _sqlite_time(_dt.datetime(2026, 3, 1, 1, 30, tzinfo=plus2)) == "2026-02-28 23:30:00.000000"
    with pytest.raises(ValueError, match="naive datetime"):
        _sqlite_time(_dt.datetime(2026, 3, 1))
