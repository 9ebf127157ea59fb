"""The canonical record (`Job`) and the unified status (`JobStatus`); no I/O."""
from __future__ import annotations

import datetime as _dt
import enum
from typing import Any, Dict, Optional

import attrs

__all__ = ["Job", "JobStatus"]


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


_JOB_FIELDS = tuple(a.name for a in attrs.fields(Job))
_new = object.__new__


def _compile_make_job() -> Any:
    """make_job(service, ..., details): one positional argument per field, in field order.

    Generated once: a slot's own descriptor sets each field, with no loop,
    no dictionary and no attribute look-up on the class per field.
    """
    args = ", ".join(_JOB_FIELDS)
    body = "".join(f"    _set_{name}(job, {name})\n" for name in _JOB_FIELDS)
    source = f"def make_job({args}):\n    job = _new(Job)\n{body}    return job\n"
    namespace: Dict[str, Any] = {"_new": _new, "Job": Job}
    namespace.update({f"_set_{name}": Job.__dict__[name].__set__ for name in _JOB_FIELDS})
    exec(compile(source, "<jobinventory.model.make_job>", "exec"), namespace)
    return namespace["make_job"]


#: Build a Job from values an adapter has already checked, skipping the validators.
#: Internal to jobinventory.adapt, which guarantees what the validators check
#: (strings are strings, times aware UTC, status a JobStatus, the account
#: twelve digits); it saves about three quarters of the cost of a Job.
make_job = _compile_make_job()


def trusted_job(fields: Dict[str, Any]) -> Job:
    """`make_job` from a mapping of every field (see make_job)."""
    return make_job(*[fields[name] for name in _JOB_FIELDS])
