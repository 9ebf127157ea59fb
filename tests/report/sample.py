"""A small, varied inventory for the report tests: every status, three
services, two regions, two accounts, hostile names and messages."""
from __future__ import annotations

import datetime as _dt
from typing import List

from jobinventory import CollectionError, Job, JobStatus, normalize
from jobinventory.inventory import Inventory, StreamResult, sort_key

NOW = _dt.datetime(2026, 11, 1, 12, 0, tzinfo=_dt.timezone.utc)
XSS_NAME = "<img src=x onerror=alert(1)>"
XSS_MESSAGE = "</script><script>alert(1)</script>"
ACCOUNT_A = "111122223333"
ACCOUNT_B = "444455556666"


def _t(hours_ago: float) -> _dt.datetime:
    return NOW - _dt.timedelta(hours=hours_ago)


def _job(i: int, status: JobStatus, *, hours_ago: float, took: float = None, service="forecast",
         region="us-east-1", account=ACCOUNT_A, name=None, message=None) -> Job:
    operation, job_type = {
        "forecast": ("ListDatasetImportJobs", "dataset_import"),
        "personalize": ("ListBatchInferenceJobs", "batch_inference"),
        "bedrock": ("ListModelImportJobs", "model_import"),
    }[service]
    arn = f"arn:aws:{service}:{region}:{account}:job/job-{i}"
    created = _t(hours_ago)
    ended = created + _dt.timedelta(hours=took) if took is not None else None
    return Job(
        service=service, operation=operation, job_type=job_type, job_id=arn, arn=arn,
        name=name or f"{service}-job-{i}", status=status, raw_status=status.value,
        created_at=created, updated_at=ended or created, ended_at=ended,
        region=region, account_id=account, message=message,
    )


def jobs() -> List[Job]:
    """23 jobs: FAILED 6 (2 within 24 h, 4 within 7 days), RUNNING 3,
    PENDING 2, STOPPING 1, DELETING 1, SUCCEEDED 7, STOPPED 2, UNKNOWN 1."""
    S = JobStatus
    out = [
        _job(1, S.FAILED, hours_ago=5, took=1, name=XSS_NAME, message=XSS_MESSAGE),
        _job(2, S.FAILED, hours_ago=20, took=2, service="personalize", region="eu-west-1",
             message="Input data has 3 rows; at least 1000 are needed & <b>that</b> is \"odd\""),
        _job(3, S.FAILED, hours_ago=50, took=3, service="bedrock", account=ACCOUNT_B, message="AccessDenied"),
        _job(4, S.FAILED, hours_ago=100, took=1, message=None),
        _job(5, S.FAILED, hours_ago=400, took=1, service="personalize"),
        _job(6, S.FAILED, hours_ago=30 * 24, took=1, service="bedrock"),
        _job(7, S.RUNNING, hours_ago=2),
        _job(8, S.RUNNING, hours_ago=9, service="bedrock", region="eu-west-1"),
        _job(9, S.RUNNING, hours_ago=1, service="personalize", account=ACCOUNT_B),
        _job(10, S.PENDING, hours_ago=0.5),
        _job(11, S.PENDING, hours_ago=0.2, service="bedrock"),
        _job(12, S.STOPPING, hours_ago=3, service="personalize"),
        _job(13, S.DELETING, hours_ago=7),
        _job(14, S.STOPPED, hours_ago=26, took=0.5),
        _job(15, S.STOPPED, hours_ago=80, took=0.2, service="bedrock"),
    ]
    for i in range(7):
        out.append(_job(20 + i, S.SUCCEEDED, hours_ago=6 + i * 11, took=1.5 + i,
                        service=("forecast", "personalize", "bedrock")[i % 3],
                        region=("us-east-1", "eu-west-1")[i % 2]))
    unknown = _job(30, S.UNKNOWN, hours_ago=12)
    out.append(Job(**{**{a: getattr(unknown, a) for a in (
        "service", "operation", "job_type", "job_id", "arn", "name", "created_at",
        "updated_at", "ended_at", "region", "account_id", "message")},
        "status": S.UNKNOWN, "raw_status": "BRAND_NEW_STATE"}))
    out.sort(key=sort_key)
    return out


EXPECTED = {"FAILED": 6, "RUNNING": 3, "PENDING": 2, "STOPPING": 1, "DELETING": 1,
            "SUCCEEDED": 7, "STOPPED": 2, "UNKNOWN": 1}
EXPECTED_FAILED_24H = 2
EXPECTED_FAILED_7D = 4


def normalized_job() -> Job:
    """One job through the real adapter, from a Forecast summary."""
    return normalize("forecast", "ListDatasetImportJobs", {
        "DatasetImportJobArn": f"arn:aws:forecast:us-west-2:{ACCOUNT_A}:dataset-import-job/ds/imp-1",
        "DatasetImportJobName": "imp-1",
        "Status": "CREATE_FAILED",
        "Message": "normalized <message>",
        "CreationTime": (NOW - _dt.timedelta(hours=3)).isoformat(),
        "LastModificationTime": (NOW - _dt.timedelta(hours=2)).isoformat(),
    })


def error() -> CollectionError:
    return CollectionError(ACCOUNT_B, "ap-south-1", "forecast", "ListDatasetImportJobs",
                           "access_denied", "User <arn> is not authorized to perform forecast:ListDatasetImportJobs")


def inventory() -> Inventory:
    err = error()
    streams = [
        StreamResult(ACCOUNT_A, "us-east-1", "forecast", "ListDatasetImportJobs", "answered", jobs=9, pages=1, calls=1),
        StreamResult(ACCOUNT_A, "eu-west-1", "personalize", "ListBatchInferenceJobs", "answered", jobs=5, pages=1, calls=1),
        StreamResult(ACCOUNT_B, "ap-south-1", "forecast", "ListDatasetImportJobs", "failed", error=err),
        StreamResult(ACCOUNT_A, "me-south-1", "bedrock", "ListModelImportJobs", "skipped",
                     reason="region not enabled for the account"),
    ]
    return Inventory(jobs=jobs(), errors=[err], streams=streams, collected_at=NOW)
