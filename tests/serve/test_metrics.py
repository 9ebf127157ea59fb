"""The collector's exposition and the health rule, from snapshots made by hand."""
from __future__ import annotations

import datetime as dt

import pytest
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.openmetrics.exposition import generate_latest as generate_openmetrics

from jobinventory.serve.app import health
from jobinventory.serve.metrics import InventoryCollector, LoopState
from jobinventory.serve.state import JobInfo, LastSync, Snapshot

from .process import named, samples, stream_labels

UTC = dt.timezone.utc
NOW = dt.datetime(2026, 5, 4, 12, 0, tzinfo=UTC)
A = ("bedrock", "ListModelCustomizationJobs", "us-east-1", "123456789012")
B = ("forecast", "ListDatasetImportJobs", "eu-west-1", "")
STATUSES = ("PENDING", "RUNNING", "STOPPING", "STOPPED", "SUCCEEDED", "FAILED", "DELETING", "UNKNOWN")


def _snapshot(last_sync=True) -> Snapshot:
    return Snapshot(
        last_sync=LastSync(sync_id=7, started_at=NOW - dt.timedelta(seconds=62.5), finished_at=NOW - dt.timedelta(
            seconds=60), streams_failed=1, complete=False) if last_sync else None,
        streams=(A, B),
        jobs={(A, "RUNNING"): 2, (A, "FAILED"): 1, (B, "SUCCEEDED"): 4},
        changes={(A, "RUNNING"): 3, (A, "FAILED"): 1, (B, "SUCCEEDED"): 4, (B, "RUNNING"): 4},
        oldest_active={A: NOW - dt.timedelta(hours=2)},
        stream_failures={(("personalize", "ListBatchInferenceJobs", "us-west-2", "123456789012"),
                          "access_denied"): 1},
        last_change_id=12,
        info=(JobInfo(A, "arn:aws:bedrock:us-east-1:123456789012:model-customization-job/x/abc", "tune-1", "RUNNING"),
              JobInfo(A, "arn:aws:bedrock:us-east-1:123456789012:model-customization-job/x/def", "", "FAILED")),
    )


def _scrape(snapshot, loop=None, openmetrics=False) -> str:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(InventoryCollector(lambda: snapshot, loop or LoopState(), clock=NOW.timestamp))
    return (generate_openmetrics if openmetrics else generate_latest)(registry).decode()


def test_every_contract_metric_from_one_snapshot():
    values = samples(_scrape(_snapshot()))
    jobs = named(values, "jobinventory_jobs")
    expected = {}
    for stream, counts in ((A, {"RUNNING": 2, "FAILED": 1}), (B, {"SUCCEEDED": 4})):
        for status in STATUSES:
            expected[stream_labels(*stream, status=status)] = counts.get(status, 0)
    assert jobs == expected
    changes = named(values, "jobinventory_job_changes_total")
    assert sum(changes.values()) == 12 and len(changes) == 16
    assert changes[stream_labels(*A, status="FAILED")] == 1
    assert changes[stream_labels(*B, status="RUNNING")] == 4
    assert changes[stream_labels(*B, status="FAILED")] == 0
    assert named(values, "jobinventory_oldest_active_job_age_seconds") == {stream_labels(*A): 7200.0}
    assert named(values, "jobinventory_stream_failures") == {
        stream_labels("personalize", "ListBatchInferenceJobs", "us-west-2", "123456789012", kind="access_denied"): 1}
    assert named(values, "jobinventory_last_sync_timestamp_seconds") == {(): NOW.timestamp() - 60}
    assert named(values, "jobinventory_last_sync_duration_seconds") == {(): 2.5}
    # No sync attempted by this process yet: the store's last sync had a failed stream.
    assert named(values, "jobinventory_last_sync_success") == {(): 0}
    assert named(values, "jobinventory_sync_failures_total") == {(): 0}
    assert list(named(values, "jobinventory_scrape_duration_seconds")) == [()]
    assert named(values, "jobinventory_job_info") == {
        stream_labels(*A, job_id="arn:aws:bedrock:us-east-1:123456789012:model-customization-job/x/abc",
                      name="tune-1", status="RUNNING"): 1,
        stream_labels(*A, job_id="arn:aws:bedrock:us-east-1:123456789012:model-customization-job/x/def",
                      name="", status="FAILED"): 1,
    }


def test_types_units_and_no_per_job_label():
    text = _scrape(_snapshot())
    types = dict(line.split()[2:4] for line in text.splitlines() if line.startswith("# TYPE"))
    assert types == {
        "jobinventory_jobs": "gauge", "jobinventory_job_changes_total": "counter",
        "jobinventory_oldest_active_job_age_seconds": "gauge", "jobinventory_stream_failures": "gauge",
        "jobinventory_last_sync_timestamp_seconds": "gauge", "jobinventory_last_sync_duration_seconds": "gauge",
        "jobinventory_last_sync_success": "gauge", "jobinventory_sync_failures_total": "counter",
        "jobinventory_scrape_duration_seconds": "gauge", "jobinventory_job_info": "gauge",
    }
    labels = {name for (metric, pairs) in samples(text) for name, _ in pairs if metric != "jobinventory_job_info"}
    assert labels == {"service", "operation", "region", "account_id", "status", "kind"}
    assert "jobinventory_job_changes_total" in _scrape(_snapshot(), openmetrics=True)


def test_the_loop_says_how_its_own_last_sync_went():
    loop = LoopState()
    loop.last_success, loop.failures = True, 0
    assert named(samples(_scrape(_snapshot(), loop)), "jobinventory_last_sync_success") == {(): 1}
    loop.last_success, loop.failures = False, 3
    values = samples(_scrape(_snapshot(), loop))
    assert named(values, "jobinventory_last_sync_success") == {(): 0}
    assert named(values, "jobinventory_sync_failures_total") == {(): 3}


def test_before_any_sync_only_the_process_metrics():
    values = samples(_scrape(_snapshot(last_sync=False)))
    assert "jobinventory_last_sync_timestamp_seconds" not in {n for n, _ in values}
    assert "jobinventory_last_sync_success" not in {n for n, _ in values}
    values = samples(_scrape(None))
    assert {n for n, _ in values} == {"jobinventory_sync_failures_total", "jobinventory_scrape_duration_seconds"}


@pytest.mark.parametrize("age, healthy", [(0, True), (599, True), (600, True), (601, False)])
def test_healthy_while_the_last_sync_finished_within_two_intervals(age, healthy):
    snap = _snapshot()
    finished = snap.last_sync.finished_at.timestamp()
    ok, line = health(snap, 300, now=finished + age)
    assert ok is healthy
    if healthy:
        assert line == f"ok: sync 7 finished at 2026-05-04T11:59:00Z, {age} s ago"
    else:
        assert line == ("stale: the last sync (7) finished at 2026-05-04T11:59:00Z, 601 s ago, "
                        "more than two intervals (600 s)")


def test_unhealthy_before_the_first_sync():
    assert health(None, 300) == (False, "no sync has finished yet")
    assert health(_snapshot(last_sync=False), 300) == (False, "no sync has finished yet")
