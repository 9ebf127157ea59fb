"""The summary roll-up and its three formats."""
from __future__ import annotations

import csv
import datetime as _dt
import io
import json

import attrs

from jobinventory import JobStatus
from jobinventory.export import summary
from jobinventory.inventory import StreamResult

from .sample import sample_jobs

NOW = _dt.datetime(2024, 5, 3, 12, 0, tzinfo=_dt.timezone.utc)


def _summary():
    jobs = sample_jobs()
    streams = [
        StreamResult("123456789012", "us-east-1", "bedrock", "ListModelImportJobs", "answered", jobs=5),
        StreamResult("123456789012", "eu-west-1", "bedrock", "ListModelImportJobs", "skipped", reason="x"),
        StreamResult("123456789012", "us-west-2", "forecast", "ListDatasetImportJobs", "failed"),
    ]
    return jobs, summary.summarize(jobs, now=NOW, streams=streams)


def test_counts():
    jobs, result = _summary()
    assert result.total == len(jobs)
    assert result.by_service == {"bedrock": 8, "dataexchange": 1, "forecast": 1, "personalize": 1}
    assert result.by_region == {"eu-west-1": 1, "us-east-1": 9, "us-west-2": 1}
    assert list(result.by_status) == [s.value for s in JobStatus]
    assert result.by_status["FAILED"] == 7 and result.by_status["DELETING"] == 0
    assert result.by_service_status["bedrock"]["FAILED"] == 6
    assert sum(result.by_status.values()) == result.total
    assert result.streams == {"answered": 1, "skipped": 1, "failed": 1}


def test_recent_failures_are_dated_by_their_end():
    jobs, result = _summary()
    # Failed bedrock jobs were created 2024-05-01..06 at noon; the forecast
    # job ended 2024-05-01 11:30. As of 2024-05-03 12:00: within 24 h are the
    # ones of 05-02 12:00 onwards (05-02, 05-03 and the three "future" ones).
    assert result.failed_recent == {"24h": 5, "7d": 7}
    old = attrs.evolve(jobs[0], ended_at=NOW - _dt.timedelta(days=8), updated_at=None)
    assert summary.summarize([old], now=NOW).failed_recent == {"24h": 0, "7d": 0}


def test_json():
    _, result = _summary()
    stream = io.StringIO()
    summary.write(result, "json", stream)
    data = json.loads(stream.getvalue())
    assert data["total"] == result.total
    assert data["by_service"]["bedrock"] == 8
    assert data["failed_last_24h"] == 5 and data["failed_last_7d"] == 7
    assert data["as_of"] == "2024-05-03T12:00:00Z"


def test_csv_is_tidy():
    _, result = _summary()
    stream = io.StringIO()
    summary.write(result, "csv", stream)
    rows = list(csv.DictReader(io.StringIO(stream.getvalue(), newline="")))
    assert list(rows[0]) == ["dimension", "key", "status", "count"]
    index = {(r["dimension"], r["key"], r["status"]): int(r["count"]) for r in rows}
    assert index[("total", "", "")] == result.total
    assert index[("service", "bedrock", "")] == 8
    assert index[("status", "", "FAILED")] == 7
    assert index[("service_status", "bedrock", "FAILED")] == 6
    assert index[("failed_last", "24h", "FAILED")] == 5


def test_table():
    _, result = _summary()
    stream = io.StringIO()
    summary.write(result, "table", stream)
    text = stream.getvalue()
    assert text.startswith(f"{result.total} jobs (streams: 1 answered, 1 skipped, 1 failed)")
    assert "SERVICE" in text and "REGION" in text
    assert "Failed in the last 24 hours: 5" in text and "Failed in the last 7 days: 7" in text
    assert "\x1b[" not in text


def test_empty():
    result = summary.summarize([], now=NOW)
    assert result.total == 0 and result.failed_recent == {"24h": 0, "7d": 0}
    stream = io.StringIO()
    summary.write(result, "table", stream)
    assert stream.getvalue().startswith("0 jobs")
