"""The roll-up a dashboard shows first: counts by service, region and status.

`summarize(jobs)` reads the jobs once (it holds counters, not jobs) and
gives a `Summary`: the total; counts by service, by region, by status (every
unified status, zeros included) and by service and status; and the failed
jobs of the last 24 hours and 7 days, dated by `ended_at`, else
`updated_at`, else `created_at`. Given the inventory's streams it also
counts them by state. Writers: `write_table`, `write_json`, `write_csv`.
"""
from __future__ import annotations

import collections
import csv as _csv
import datetime as _dt
import json as _json
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, TextIO

import attrs

from ..inventory import STREAM_STATES
from ..model import Job, JobStatus, failed_at
from ..timestamps import isoformat_z
from . import table as _table

__all__ = ["Summary", "summarize", "write", "write_table", "write_json", "write_csv", "FORMATS", "WINDOWS"]

#: Look-back windows for failed jobs: (name, length).
WINDOWS = (("24h", _dt.timedelta(hours=24)), ("7d", _dt.timedelta(days=7)))
NO_REGION = "unknown"


@attrs.frozen
class Summary:
    """Counts over a set of jobs, as of `as_of`."""

    as_of: _dt.datetime
    total: int
    by_service: Mapping[str, int]
    by_region: Mapping[str, int]
    by_status: Mapping[str, int]
    by_service_status: Mapping[str, Mapping[str, int]]
    #: Failed jobs per look-back window name (`24h`, `7d`).
    failed_recent: Mapping[str, int]
    #: Streams per state (answered, skipped, failed); empty when not known.
    streams: Mapping[str, int] = attrs.field(factory=dict)

    def to_dict(self) -> Dict[str, Any]:
        """A JSON-safe dict (the json format)."""
        return {
            "as_of": isoformat_z(self.as_of),
            "total": self.total,
            "by_service": dict(self.by_service),
            "by_region": dict(self.by_region),
            "by_status": dict(self.by_status),
            "by_service_status": {k: dict(v) for k, v in self.by_service_status.items()},
            "failed_last_24h": self.failed_recent.get("24h", 0),
            "failed_last_7d": self.failed_recent.get("7d", 0),
            "streams": dict(self.streams),
        }


def summarize(
    jobs: Iterable[Job],
    *,
    now: Optional[_dt.datetime] = None,
    streams: Optional[Iterable[Any]] = None,
) -> Summary:
    """Count `jobs`; `streams` (StreamResult-like, with `.state`) are counted by state."""
    as_of = now or _dt.datetime.now(_dt.timezone.utc)
    by_service: Dict[str, int] = collections.Counter()
    by_region: Dict[str, int] = collections.Counter()
    by_status: Dict[str, int] = {status.value: 0 for status in JobStatus}
    by_service_status: Dict[str, Dict[str, int]] = {}
    failed = {name: 0 for name, _ in WINDOWS}
    total = 0
    for job in jobs:
        total += 1
        by_service[job.service] += 1
        by_region[job.region or NO_REGION] += 1
        by_status[job.status.value] += 1
        per = by_service_status.setdefault(job.service, {s.value: 0 for s in JobStatus})
        per[job.status.value] += 1
        if job.status is JobStatus.FAILED:
            age = as_of - failed_at(job)
            for name, window in WINDOWS:
                if age <= window:
                    failed[name] += 1
    stream_counts: Dict[str, int] = {}
    if streams is not None:
        stream_counts = {state: 0 for state in STREAM_STATES}
        for stream in streams:
            stream_counts[stream.state] = stream_counts.get(stream.state, 0) + 1
    return Summary(
        as_of=as_of,
        total=total,
        by_service=dict(sorted(by_service.items())),
        by_region=dict(sorted(by_region.items())),
        by_status=by_status,
        by_service_status=dict(sorted(by_service_status.items())),
        failed_recent=failed,
        streams=stream_counts,
    )


def write_json(summary: Summary, stream: TextIO) -> None:
    _json.dump(summary.to_dict(), stream, indent=2)
    stream.write("\n")


#: CSV columns: a tidy table, one count per row.
CSV_COLUMNS = ("dimension", "key", "status", "count")


def csv_rows(summary: Summary) -> List[List[Any]]:
    """Rows under CSV_COLUMNS: total, service, region, status, service x status, failed_last, streams."""
    rows: List[List[Any]] = [["total", "", "", summary.total]]
    rows += [["service", k, "", v] for k, v in summary.by_service.items()]
    rows += [["region", k, "", v] for k, v in summary.by_region.items()]
    rows += [["status", "", k, v] for k, v in summary.by_status.items()]
    for service, counts in summary.by_service_status.items():
        rows += [["service_status", service, k, v] for k, v in counts.items()]
    rows += [["failed_last", name, JobStatus.FAILED.value, n] for name, n in summary.failed_recent.items()]
    rows += [["streams", k, "", v] for k, v in summary.streams.items()]
    return rows


def write_csv(summary: Summary, stream: TextIO) -> None:
    writer = _csv.writer(stream)
    writer.writerow(CSV_COLUMNS)
    writer.writerows(csv_rows(summary))


def _counts_table(title: str, counts: Mapping[str, int], stream: TextIO) -> None:
    _table.render((title, "JOBS"), [(_table.clean(k), str(v)) for k, v in counts.items()], stream, right=(1,))


def write_table(summary: Summary, stream: TextIO, *, color: bool = False) -> None:
    streams = ""
    if summary.streams:
        streams = " (streams: " + ", ".join(f"{n} {state}" for state, n in summary.streams.items()) + ")"
    stream.write(f"{summary.total} jobs{streams}\n\n")
    statuses = [s.value for s in JobStatus if summary.by_status.get(s.value)]
    if summary.by_service_status:
        headers = ["SERVICE", "TOTAL", *statuses]
        rows = []
        for service, counts in summary.by_service_status.items():
            rows.append([service, str(summary.by_service[service]), *(str(counts[s]) for s in statuses)])
        styles = None
        if color:
            codes = [None, None, *(_table.STATUS_COLORS.get(JobStatus(s)) for s in statuses)]
            styles = [codes for _ in rows]
        _table.render(headers, rows, stream, styles=styles, right=range(1, len(headers)))
        stream.write("\n")
        _counts_table("REGION", summary.by_region, stream)
        stream.write("\n")
    labels = {"24h": "last 24 hours", "7d": "last 7 days"}
    for name, n in summary.failed_recent.items():
        stream.write(f"Failed in the {labels.get(name, name)}: {n}\n")


def write(summary: Summary, format: str, stream: TextIO, *, color: bool = False) -> None:
    """Write `summary` as table, json or csv."""
    if format == "table":
        write_table(summary, stream, color=color)
    elif format == "json":
        write_json(summary, stream)
    elif format == "csv":
        write_csv(summary, stream)
    else:
        from ..errors import ConfigurationError

        raise ConfigurationError(f"unknown summary format {format!r}; formats: {', '.join(FORMATS)}")


FORMATS: Sequence[str] = ("table", "json", "csv")
