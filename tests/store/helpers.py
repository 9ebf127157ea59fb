"""Jobs, streams and inventories built by hand, for exact expectations."""
from __future__ import annotations

import datetime as _dt
from typing import Any, Dict, List, Optional, Sequence, Tuple

import attrs
from sqlalchemy import select

from jobinventory.errors import CollectionError
from jobinventory.inventory import Inventory, StreamResult
from jobinventory.model import Job, JobStatus
from jobinventory.store.tables import jobs as jobs_table

UTC = _dt.timezone.utc
ACCOUNT = "123456789012"
T0 = _dt.datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
#: (region, service, operation) of the two streams most tests use.
FORECAST = ("us-east-1", "forecast", "ListForecastExportJobs")
BEDROCK = ("eu-west-1", "bedrock", "ListModelCustomizationJobs")


def job(n: int, status: str = "RUNNING", stream: Tuple[str, str, str] = FORECAST, **changes: Any) -> Job:
    region, service, operation = stream
    fields: Dict[str, Any] = dict(
        service=service, operation=operation, job_type="forecast_export" if service == "forecast" else "model_customization",
        job_id=f"arn:aws:{service}:{region}:{ACCOUNT}:job/j{n}", arn=f"arn:aws:{service}:{region}:{ACCOUNT}:job/j{n}",
        name=f"j{n}", status=JobStatus(status), raw_status=status, created_at=T0 + _dt.timedelta(minutes=n),
        updated_at=T0 + _dt.timedelta(minutes=n + 1), ended_at=None, region=region, account_id=ACCOUNT,
        message=None, source=f"s3://bucket/{n}", destination=None, details={"n": n, "tags": ["a", "b"]},
    )
    fields.update(changes)
    return Job(**fields)


def answered(stream: Tuple[str, str, str], jobs: int = 0) -> StreamResult:
    region, service, operation = stream
    return StreamResult(ACCOUNT, region, service, operation, "answered", jobs=jobs, pages=1, calls=1)


def failed(stream: Tuple[str, str, str], jobs: int = 0) -> StreamResult:
    region, service, operation = stream
    error = CollectionError(ACCOUNT, region, service, operation, "throttled", "Rate exceeded")
    return StreamResult(ACCOUNT, region, service, operation, "failed", jobs=jobs, error=error)


def skipped(stream: Tuple[str, str, str]) -> StreamResult:
    region, service, operation = stream
    return StreamResult(ACCOUNT, region, service, operation, "skipped", reason="region not enabled")


def inventory(listed: Sequence[Job], streams: Optional[List[StreamResult]] = None,
              at: _dt.datetime = T0 + _dt.timedelta(days=1)) -> Inventory:
    """An inventory of `listed` jobs; streams default to both usual streams answered."""
    if streams is None:
        streams = [answered(s, sum(1 for j in listed if (j.region, j.service, j.operation) == s))
                   for s in (FORECAST, BEDROCK)]
    errors = [s.error for s in streams if s.error is not None]
    return Inventory(jobs=list(listed), errors=errors, streams=streams, collected_at=at)


def later(hours: int) -> _dt.datetime:
    return T0 + _dt.timedelta(days=1, hours=hours)


def stored(store: Any) -> Dict[str, Dict[str, Any]]:
    """Every jobs row by job name."""
    with store.engine.connect() as conn:
        return {row["name"]: dict(row) for row in conn.execute(select(jobs_table)).mappings()}


def kinds(result: Any) -> List[Tuple[str, str, Optional[str], Optional[str]]]:
    return [(c.kind, c.job.name, c.from_status, c.to_status) for c in result.changes]


def evolve(j: Job, **changes: Any) -> Job:
    return attrs.evolve(j, **changes)
