"""The canonical record (`Job`) and the unified status (`JobStatus`); no I/O."""
from __future__ import annotations

import datetime as _dt
import enum
from typing import Any, Dict, Mapping, Optional

import attrs

__all__ = ["Job", "JobStatus", "JOB_FIELDS", "failed_at", "display_name", "make_job", "job_from_fields"]


class JobStatus(str, enum.Enum):
    """One status vocabulary for every service's jobs."""

    PENDING = "PENDING"
    RUNNING = "RUNNING"
    STOPPING = "STOPPING"
    STOPPED = "STOPPED"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"
    DELETING = "DELETING"
    UNKNOWN = "UNKNOWN"

    @property
    def is_terminal(self) -> bool:
        """The job will not change state again (stopped, succeeded or failed)."""
        return self in _TERMINAL

    @property
    def is_active(self) -> bool:
        """The job is still moving (pending, running, stopping or deleting)."""
        return self in _ACTIVE

    def __str__(self) -> str:
        return self.value


_TERMINAL = frozenset({JobStatus.STOPPED, JobStatus.SUCCEEDED, JobStatus.FAILED})
_ACTIVE = frozenset(
    {JobStatus.PENDING, JobStatus.RUNNING, JobStatus.STOPPING, JobStatus.DELETING}
)


def _aware_utc(instance: Any, attribute: "attrs.Attribute[Any]", value: Any) -> None:
    if value is None and attribute.name != "created_at":
        return
    if not isinstance(value, _dt.datetime):
        raise TypeError(f"Job.{attribute.name} must be a datetime, not {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() != _dt.timedelta(0):
        raise ValueError(f"Job.{attribute.name} must be timezone-aware UTC, got {value!r}")


def _account(instance: Any, attribute: "attrs.Attribute[Any]", value: Optional[str]) -> None:
    if value is not None and not (len(value) == 12 and value.isdigit()):
        raise ValueError(f"Job.account_id must be a 12-digit AWS account id, got {value!r}")


_opt_str = attrs.validators.optional(attrs.validators.instance_of(str))
_str = attrs.validators.instance_of(str)


@attrs.frozen(slots=True)
class Job:
    """One AWS asynchronous job, whatever service it came from.

    Build it with `jobinventory.normalize`; change it with `attrs.evolve`.
    `details` holds the service-specific extras (JSON-safe, secrets redacted);
    it takes no part in hashing.
    """

    service: str = attrs.field(validator=_str)
    operation: str = attrs.field(validator=_str)
    job_type: str = attrs.field(validator=_str)
    job_id: str = attrs.field(validator=_str)
    arn: Optional[str] = attrs.field(validator=_opt_str)
    name: Optional[str] = attrs.field(validator=_opt_str)
    status: JobStatus = attrs.field(converter=JobStatus)
    raw_status: str = attrs.field(validator=_str)
    created_at: _dt.datetime = attrs.field(validator=_aware_utc)
    updated_at: Optional[_dt.datetime] = attrs.field(default=None, validator=_aware_utc)
    ended_at: Optional[_dt.datetime] = attrs.field(default=None, validator=_aware_utc)
    region: Optional[str] = attrs.field(default=None, validator=_opt_str)
    account_id: Optional[str] = attrs.field(default=None, validator=_account)
    message: Optional[str] = attrs.field(default=None, validator=_opt_str)
    source: Optional[str] = attrs.field(default=None, validator=_opt_str)
    destination: Optional[str] = attrs.field(default=None, validator=_opt_str)
    details: Dict[str, Any] = attrs.field(factory=dict, hash=False)

    @property
    def duration(self) -> Optional[_dt.timedelta]:
        """`ended_at - created_at` where both are known, else None."""
        if self.ended_at is None:
            return None
        return self.ended_at - self.created_at


def failed_at(job: Job) -> _dt.datetime:
    """When a failed job failed, as well as the record tells: ended, else last updated, else created."""
    return job.ended_at or job.updated_at or job.created_at


def display_name(job: Job) -> str:
    """The job's name, or for a job without one (Data Exchange) the last part of its id."""
    return job.name or job.job_id.rsplit("/", 1)[-1] or job.job_id


#: The record's field names, in order: the column order of every export.
JOB_FIELDS = tuple(a.name for a in attrs.fields(Job))

_new = object.__new__
(_set_service, _set_operation, _set_job_type, _set_job_id, _set_arn, _set_name, _set_status, _set_raw_status,
 _set_created_at, _set_updated_at, _set_ended_at, _set_region, _set_account_id, _set_message, _set_source,
 _set_destination, _set_details) = [Job.__dict__[name].__set__ for name in JOB_FIELDS]


def make_job(service: str, operation: str, job_type: str, job_id: str, arn: Optional[str], name: Optional[str],
             status: JobStatus, raw_status: str, created_at: _dt.datetime, updated_at: Optional[_dt.datetime],
             ended_at: Optional[_dt.datetime], region: Optional[str], account_id: Optional[str],
             message: Optional[str], source: Optional[str], destination: Optional[str],
             details: Dict[str, Any]) -> Job:
    """A Job from values already known to pass its validators, without running them.

    Internal to jobinventory.adapt, which guarantees what the validators
    check (strings are strings, times aware UTC, status a JobStatus, the
    account twelve digits): it saves about three quarters of the cost of a
    Job. Each slot is set through its own descriptor, in field order.
    """
    job = _new(Job)
    _set_service(job, service)
    _set_operation(job, operation)
    _set_job_type(job, job_type)
    _set_job_id(job, job_id)
    _set_arn(job, arn)
    _set_name(job, name)
    _set_status(job, status)
    _set_raw_status(job, raw_status)
    _set_created_at(job, created_at)
    _set_updated_at(job, updated_at)
    _set_ended_at(job, ended_at)
    _set_region(job, region)
    _set_account_id(job, account_id)
    _set_message(job, message)
    _set_source(job, source)
    _set_destination(job, destination)
    _set_details(job, details)
    return job


_TEXT = ("service", "operation", "job_type", "job_id", "raw_status")
_OPTIONAL_TEXT = ("arn", "name", "region", "message", "source", "destination")
_OPTIONAL_TIMES = ("updated_at", "ended_at")
_FIELD_SET = frozenset(JOB_FIELDS)


def _plainly_valid(fields: Mapping[str, Any]) -> bool:
    """True when `Job(**fields)` would take every value as it is: its validators above pass and
    its converter has nothing to do. False when in doubt (Job then decides). Kept beside the
    validators it mirrors; tests/core/test_hot_paths.py holds the two in agreement."""
    if fields.keys() != _FIELD_SET:
        return False
    if any(type(fields[name]) is not str for name in _TEXT):
        return False
    if any(fields[name] is not None and type(fields[name]) is not str for name in _OPTIONAL_TEXT):
        return False
    if type(fields["status"]) is not JobStatus or type(fields["details"]) is not dict:
        return False
    created = fields["created_at"]
    if type(created) is not _dt.datetime or created.tzinfo is not _dt.timezone.utc:
        return False
    for name in _OPTIONAL_TIMES:
        value = fields[name]
        if value is not None and (type(value) is not _dt.datetime or value.tzinfo is not _dt.timezone.utc):
            return False
    account = fields["account_id"]
    return account is None or (type(account) is str and len(account) == 12 and account.isdigit())


def job_from_fields(fields: Mapping[str, Any]) -> Job:
    """A Job from a mapping of every field: without the validators where every value plainly
    passes them (see make_job), else through `Job(**fields)`, which checks and may raise."""
    if _plainly_valid(fields):
        return make_job(*[fields[name] for name in JOB_FIELDS])
    return Job(**fields)
