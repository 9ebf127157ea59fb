"""Changes for the notification tests, their jobs built through jobinventory.normalize."""
from __future__ import annotations

import datetime as dt
from typing import List

import attrs

import jobinventory
from jobinventory import Job
from jobinventory.notify import Event, make_event

ACCOUNT = "123456789012"  # moto's default account
OBSERVED = dt.datetime(2026, 12, 1, 9, 30, 0, tzinfo=dt.timezone.utc)


def import_job(name: str, status: str, message: str = None) -> Job:
    job = jobinventory.normalize("bedrock", "ListModelImportJobs", {
        "jobArn": f"arn:aws:bedrock:us-east-1:{ACCOUNT}:model-import-job/{name}",
        "jobName": name,
        "status": status,
        "creationTime": "2026-11-30T10:00:00Z",
        "lastModifiedTime": "2026-11-30T10:20:00Z",
        "importedModelName": f"{name}-model",
    })
    return attrs.evolve(job, message=message)


def forecast_job(name: str, status: str) -> Job:
    return jobinventory.normalize("forecast", "ListDatasetImportJobs", {
        "DatasetImportJobArn": f"arn:aws:forecast:us-east-1:{ACCOUNT}:dataset-import-job/sales/{name}",
        "DatasetImportJobName": name,
        "Status": status,
        "CreationTime": "2026-11-29T08:00:00Z",
        "LastModificationTime": "2026-11-29T08:05:00Z",
    })


def three_events() -> List[Event]:
    """A failure, a new job, a gone job: one of each kind, oldest first."""
    return [
        make_event(1, "status", "RUNNING", import_job("import-x", "Failed", "ValidationException: model.safetensors\n  is missing"), OBSERVED),
        make_event(2, "new", None, forecast_job("sales-2026", "CREATE_PENDING"), OBSERVED),
        make_event(3, "gone", "SUCCEEDED", forecast_job("sales-2025", "ACTIVE"), OBSERVED),
    ]


def many_events(n: int, start: int = 1) -> List[Event]:
    return [
        make_event(i, "new", None, forecast_job(f"job-{i:03d}", "CREATE_IN_PROGRESS"), OBSERVED)
        for i in range(start, start + n)
    ]


def expected_detail(event: Event) -> dict:
    """What every target sends: the to_dict record plus change and previous_status."""
    return {**jobinventory.to_dict(event.job), "change": event.kind, "previous_status": event.previous_status}


# -- inventories for store syncs ---------------------------------------------
FORECAST = (ACCOUNT, "us-east-1", "forecast", "ListDatasetImportJobs")
BEDROCK = (ACCOUNT, "us-east-1", "bedrock", "ListModelImportJobs")


def inventory(jobs, hour: int, streams=(FORECAST, BEDROCK)):
    """An inventory of `jobs`, collected `hour` hours after OBSERVED, every stream answered."""
    from jobinventory.inventory import Inventory, StreamResult

    listed = list(jobs)
    results = [
        StreamResult(*s, "answered", jobs=sum(1 for j in listed if (j.account_id, j.region, j.service, j.operation) == s), pages=1, calls=1)
        for s in streams
    ]
    return Inventory(jobs=listed, errors=[], streams=results, collected_at=OBSERVED + dt.timedelta(hours=hour))
