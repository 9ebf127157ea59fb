"""What the report says about an inventory, as plain data: no markup here.

Headline counts, recent failures, console links and the stream account.
The charts' geometry is in `charts.py`; `render.py` hands both to Jinja2.
"""
from __future__ import annotations

import datetime as _dt
import re
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple
from urllib.parse import quote

import attrs

from ..errors import CollectionError
from ..inventory import StreamResult
from ..model import Job, JobStatus, display_name, failed_at

__all__ = [
    "STATUS_ORDER",
    "Headline",
    "Failure",
    "StreamRow",
    "headline",
    "failures",
    "failed_at",
    "display_name",
    "console_url",
    "stream_rows",
    "fmt_time",
    "fmt_duration",
]

#: The order statuses are shown in everywhere on the page.
STATUS_ORDER: Tuple[JobStatus, ...] = (
    JobStatus.FAILED,
    JobStatus.RUNNING,
    JobStatus.PENDING,
    JobStatus.STOPPING,
    JobStatus.DELETING,
    JobStatus.SUCCEEDED,
    JobStatus.STOPPED,
    JobStatus.UNKNOWN,
)

_DAY = _dt.timedelta(days=1)


@attrs.frozen
class Headline:
    total: int
    #: (status, count) for every status, in STATUS_ORDER.
    by_status: Tuple[Tuple[JobStatus, int], ...]
    failed_24h: int
    failed_7d: int
    active: int


def headline(jobs: Sequence[Job], now: _dt.datetime) -> Headline:
    counts: Dict[JobStatus, int] = {s: 0 for s in STATUS_ORDER}
    f24 = f7 = active = 0
    for job in jobs:
        counts[job.status] += 1
        if job.status.is_active:
            active += 1
        if job.status is JobStatus.FAILED:
            age = now - failed_at(job)
            if age <= _DAY:
                f24 += 1
            if age <= 7 * _DAY:
                f7 += 1
    return Headline(
        total=len(jobs),
        by_status=tuple((s, counts[s]) for s in STATUS_ORDER),
        failed_24h=f24,
        failed_7d=f7,
        active=active,
    )


@attrs.frozen
class Failure:
    job: Job
    when: _dt.datetime
    console_url: Optional[str]


def failures(jobs: Iterable[Job]) -> List[Failure]:
    """Every failed job, newest failure first (ties: service, job_id)."""
    failed = [j for j in jobs if j.status is JobStatus.FAILED]
    failed.sort(key=lambda j: (-failed_at(j).timestamp(), j.service, j.job_id))
    return [Failure(job=j, when=failed_at(j), console_url=console_url(j)) for j in failed]


# --- console links --------------------------------------------------------

_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d{1,2}$")
#: partition -> console host pattern ({region} is filled in).
_CONSOLES = {
    "aws": "https://{region}.console.aws.amazon.com",
    "aws-cn": "https://{region}.console.amazonaws.cn",
    "aws-us-gov": "https://{region}.console.amazonaws-us-gov.com",
}
#: service -> the console's path for the service's jobs. Kept to each
#: console's home page for the service: deep-link fragments are not a
#: documented interface and change without notice.
_CONSOLE_PATHS = {
    "forecast": "/forecast/home",
    "personalize": "/personalize/home",
    "dataexchange": "/dataexchange/home",
    "bedrock": "/bedrock/home",
}


def _arn_parts(arn: Optional[str]) -> Tuple[Optional[str], Optional[str], Optional[str]]:
    """(partition, service, region) of an ARN, Nones where it is not one."""
    if not arn or not arn.startswith("arn:"):
        return None, None, None
    parts = arn.split(":", 5)
    if len(parts) < 6:
        return None, None, None
    return parts[1] or None, parts[2] or None, parts[3] or None


def console_url(job: Job) -> Optional[str]:
    """A plain https link to the job's service in the AWS console, in the
    job's region and partition (read from the ARN), or None when the
    region or service is not known. Nothing user-controlled goes into the
    URL except a region that looks like one."""
    partition, arn_service, arn_region = _arn_parts(job.arn)
    region = job.region or arn_region
    service = job.service or arn_service
    if not region or not _REGION.match(region):
        return None
    path = _CONSOLE_PATHS.get(service or "")
    if path is None:
        path = "/console/home"
    host = _CONSOLES.get(partition or "aws", _CONSOLES["aws"]).format(region=region)
    return f"{host}{path}?region={quote(region, safe='')}"


# --- streams -------------------------------------------------------------


@attrs.frozen
class StreamRow:
    """One failed or skipped stream, as the page lists it."""

    state: str  # "failed" | "skipped"
    account: Optional[str]
    region: Optional[str]
    service: str
    operation: Optional[str]
    kind: Optional[str]
    message: Optional[str]
    jobs: int = 0


def stream_rows(
    errors: Iterable[CollectionError], streams: Iterable[StreamResult]
) -> Tuple[List[StreamRow], List[StreamRow], Dict[str, int]]:
    """(failed, skipped, counts by state). Every error is listed once, whether
    or not its stream is in `streams`: no failure is ever hidden."""
    failed: List[StreamRow] = []
    skipped: List[StreamRow] = []
    counts = {"answered": 0, "skipped": 0, "failed": 0}
    seen = set()
    for stream in streams:
        counts[stream.state] = counts.get(stream.state, 0) + 1
        if stream.state == "failed":
            err = stream.error
            if err is not None:
                seen.add(err)
            failed.append(
                StreamRow(
                    state="failed",
                    account=stream.account,
                    region=stream.region,
                    service=stream.service,
                    operation=stream.operation,
                    kind=err.kind if err is not None else None,
                    message=(err.message if err is not None else stream.reason),
                    jobs=stream.jobs,
                )
            )
        elif stream.state == "skipped":
            skipped.append(
                StreamRow(
                    state="skipped",
                    account=stream.account,
                    region=stream.region,
                    service=stream.service,
                    operation=stream.operation,
                    kind=None,
                    message=stream.reason,
                )
            )
    for err in errors:
        if err in seen or _listed(err, failed):
            continue
        counts["failed"] += 1
        failed.append(
            StreamRow(
                state="failed",
                account=err.account,
                region=err.region,
                service=err.service,
                operation=err.operation,
                kind=err.kind,
                message=err.message,
            )
        )
    return failed, skipped, counts


def _listed(err: CollectionError, rows: List[StreamRow]) -> bool:
    key = (err.account, err.region, err.service, err.operation)
    return any((r.account, r.region, r.service, r.operation) == key for r in rows)


# --- formatting ------------------------------------------------------------


def fmt_time(value: Optional[_dt.datetime]) -> str:
    """`2026-11-01 12:34Z`: minutes are enough to read, the title has seconds."""
    if value is None:
        return ""
    return value.astimezone(_dt.timezone.utc).strftime("%Y-%m-%d %H:%MZ")


def fmt_duration(value: Optional[_dt.timedelta]) -> str:
    if value is None:
        return ""
    seconds = int(value.total_seconds())
    if seconds < 0:
        return ""
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h"
    if hours:
        return f"{hours}h {minutes:02d}m"
    if minutes:
        return f"{minutes}m {seconds:02d}s"
    return f"{seconds}s"


def json_ready(value: Any) -> Any:
    """Plain JSON types for the page's data island."""
    if isinstance(value, JobStatus):
        return value.value
    if isinstance(value, _dt.datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): json_ready(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_ready(v) for v in value]
    return value
