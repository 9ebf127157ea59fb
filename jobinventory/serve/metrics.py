"""The Prometheus metrics of `serve`: a custom collector over the latest `Snapshot`.

Every scrape builds fresh metric families from the snapshot the sync loop
published after its last sync (prometheus.io, "Writing exporters"): nothing
is kept between scrapes, nothing calls AWS or the database. Names and labels
are public (../shared/CONTRACT.md, "Serving"):

- `jobinventory_jobs{service,operation,region,account_id,status}` gauge
- `jobinventory_job_changes_total{...,status}` counter (from `job_changes`)
- `jobinventory_oldest_active_job_age_seconds{...}` gauge
- `jobinventory_stream_failures{...,kind}` gauge (the last sync's)
- `jobinventory_last_sync_timestamp_seconds`, `..._duration_seconds`,
  `jobinventory_last_sync_success` gauges

and `jobinventory_job_info{...,job_id,name,status} 1` for the active jobs
and those failed in the last 24 hours, at most 100 (newest first): the only
series with a job's labels, bounded as the contract asks.

Every stream that ever held a job gets a `jobinventory_jobs` and a
`jobinventory_job_changes_total` series for each unified status, zeros
included, so `increase()` sees a stream's first failure. Besides these:
`jobinventory_sync_failures_total` (syncs that raised, since this process
started) and `jobinventory_scrape_duration_seconds` (this scrape's own).
"""
from __future__ import annotations

import time
from typing import Callable, Iterator, Optional

from ..model import JobStatus
from .state import STREAM_LABELS, Snapshot

__all__ = ["InventoryCollector", "LoopState", "METRIC_NAMES"]

_STATUSES = tuple(s.value for s in JobStatus)

#: The contract's metric names (families; the counter's samples end in _total).
METRIC_NAMES = (
    "jobinventory_jobs",
    "jobinventory_job_changes",
    "jobinventory_oldest_active_job_age_seconds",
    "jobinventory_stream_failures",
    "jobinventory_last_sync_timestamp_seconds",
    "jobinventory_last_sync_duration_seconds",
    "jobinventory_last_sync_success",
)


class LoopState:
    """What the sync loop tells the metrics beyond the store: how its own attempts went."""

    def __init__(self) -> None:
        #: None until this process attempted a sync; then whether the last one
        #: finished with every stream answered.
        self.last_success: Optional[bool] = None
        #: Syncs that raised (the store, the network, the credentials), since start.
        self.failures = 0


class InventoryCollector:
    """A prometheus_client collector: `collect()` yields the families of the latest snapshot.

    `snapshot()` returns the latest Snapshot (or None before the store was
    read); `loop` is the sync loop's LoopState; `clock()` gives epoch seconds.
    """

    def __init__(self, snapshot: Callable[[], Optional[Snapshot]], loop: LoopState,
                 clock: Callable[[], float] = time.time) -> None:
        self._snapshot = snapshot
        self._loop = loop
        self._clock = clock

    def describe(self) -> Iterator[object]:
        # Registering must not read the store: the names are fixed.
        return iter(())

    def collect(self) -> Iterator[object]:
        from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

        started = time.perf_counter()
        snap = self._snapshot()
        if snap is not None:
            yield from _inventory_families(snap, self._clock(), GaugeMetricFamily, CounterMetricFamily)
            yield from _sync_families(snap, self._loop, GaugeMetricFamily)
        failures = CounterMetricFamily("jobinventory_sync_failures", "Syncs that raised since serve started "
                                       "(the store, the network or the credentials); retried at the next interval.")
        failures.add_metric([], self._loop.failures)
        yield failures
        scrape = GaugeMetricFamily("jobinventory_scrape_duration_seconds", "How long this scrape took to build.")
        scrape.add_metric([], time.perf_counter() - started)
        yield scrape


def _inventory_families(snap: Snapshot, now: float, Gauge, Counter) -> Iterator[object]:
    labels = list(STREAM_LABELS)
    jobs = Gauge("jobinventory_jobs", "Jobs listed now, by unified status.", labels=labels + ["status"])
    changes = Counter("jobinventory_job_changes", "Changes of a job into a status (a new job counts as a "
                      "change into its first status), from the store's history.", labels=labels + ["status"])
    for stream in snap.streams:
        for status in _STATUSES:
            jobs.add_metric([*stream, status], snap.jobs.get((stream, status), 0))
            changes.add_metric([*stream, status], snap.changes.get((stream, status), 0))
    oldest = Gauge("jobinventory_oldest_active_job_age_seconds",
                   "Age of the oldest job still pending, running, stopping or deleting.", labels=labels)
    for stream, created in sorted(snap.oldest_active.items()):
        oldest.add_metric(list(stream), max(0.0, now - created.timestamp()))
    failures = Gauge("jobinventory_stream_failures", "Streams that failed in the last sync, by error kind.",
                     labels=labels + ["kind"])
    for (stream, kind), count in sorted(snap.stream_failures.items()):
        failures.add_metric([*stream, kind], count)
    info = Gauge("jobinventory_job_info", "Active jobs and jobs failed in the last 24 hours (at most 100, "
                 "newest first), value 1.", labels=labels + ["job_id", "name", "status"])
    for job in snap.info:
        info.add_metric([*job.stream, job.job_id, job.name, job.status], 1)
    yield from (jobs, changes, oldest, failures, info)


def _sync_families(snap: Snapshot, loop: LoopState, Gauge) -> Iterator[object]:
    last = snap.last_sync
    if last is not None:
        stamp = Gauge("jobinventory_last_sync_timestamp_seconds", "When the last finished sync finished (epoch).")
        stamp.add_metric([], last.finished_at.timestamp())
        duration = Gauge("jobinventory_last_sync_duration_seconds", "How long the last finished sync took.")
        duration.add_metric([], last.duration_seconds)
        yield from (stamp, duration)
    success = loop.last_success
    if success is None and last is not None:
        success = last.streams_failed == 0
    if success is not None:
        gauge = Gauge("jobinventory_last_sync_success",
                      "1 when the last sync finished with no stream failed, else 0.")
        gauge.add_metric([], 1 if success else 0)
        yield gauge
