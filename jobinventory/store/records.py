"""What the store gives back: `Change` (one job_changes row) and `SyncResult` (one sync)."""
from __future__ import annotations

import datetime as _dt
from typing import Any, Dict, List, Mapping, Optional

import attrs

from ..errors import CollectionError
from ..model import Job

__all__ = ["Change", "SyncResult", "job_row", "job_from_row", "JOB_COLUMNS"]

#: The Job fields, in record order: the first columns of `jobs`.
JOB_COLUMNS = tuple(a.name for a in attrs.fields(Job))


@attrs.frozen
class Change:
    """One row of job_changes, with the job as the store holds it now."""

    change_id: int
    sync_id: int
    observed_at: _dt.datetime
    service: str
    job_id: str
    #: 'new', 'status' or 'gone'.
    kind: str
    #: Unified statuses (JobStatus values); None where none applies
    #: (from_status of 'new', to_status of 'gone').
    from_status: Optional[str]
    to_status: Optional[str]
    #: The job's record as stored now (its latest version, also for a gone job).
    job: Job = attrs.field(eq=False, repr=False)


@attrs.frozen
class SyncResult:
    """One finished sync: its row in `syncs`, its changes and the inventory's errors."""

    sync_id: int
    started_at: _dt.datetime
    finished_at: _dt.datetime
    changes: List[Change]
    streams_answered: int
    streams_skipped: int
    streams_failed: int
    jobs_seen: int
    #: True when every stream answered or was skipped for a reason.
    complete: bool
    errors: List[CollectionError] = attrs.field(factory=list, eq=False)
    #: One jobinventory.notify.TargetReport per target when the sync was given `notify`.
    notifications: List[Any] = attrs.field(factory=list, eq=False)
    #: The changes of each kind ('new', 'status', 'gone'), also when `changes` was not kept.
    counts: Dict[str, int] = attrs.field(factory=dict, eq=False)


def job_row(job: Job) -> Dict[str, Any]:
    """The `jobs` columns of a Job's fields (status as its value)."""
    return {
        "service": job.service, "operation": job.operation, "job_type": job.job_type,
        "job_id": job.job_id, "arn": job.arn, "name": job.name, "status": job.status.value,
        "raw_status": job.raw_status, "created_at": job.created_at, "updated_at": job.updated_at,
        "ended_at": job.ended_at, "region": job.region, "account_id": job.account_id,
        "message": job.message, "source": job.source, "destination": job.destination,
        "details": job.details,
    }


def job_from_row(row: Mapping[str, Any]) -> Job:
    """The Job of a `jobs` row."""
    return Job(**{name: row[name] for name in JOB_COLUMNS})
