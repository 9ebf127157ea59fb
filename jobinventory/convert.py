"""The one cattrs converter: Job <-> plain JSON-safe dict.

Timestamps are ISO 8601 UTC strings ending in `Z`, the status is its value,
`details` stays the JSON-safe mapping it already is. `from_dict(to_dict(job))
== job` and `to_dict` output validates against schemas/job.schema.json.

`to_dict` builds the record directly when the job is a plain `Job` whose
`details` hold JSON types only (as `normalize` makes them), and goes through
the converter otherwise: the same output either way, a third of the CPU.
`record(job)` is the exporters' variant: its `details` is the job's own
mapping, not a copy (for serialising at once, never to be changed).
"""
from __future__ import annotations

import datetime as _dt
from typing import Any, Dict, Mapping, Optional

import cattrs

from .errors import JobInventoryError
from .model import JOB_FIELDS, Job, JobStatus
from .details import json_safe
from .timestamps import isoformat_z, to_utc

__all__ = ["converter", "to_dict", "from_dict", "FIELDS"]

converter = cattrs.Converter(forbid_extra_keys=True)
converter.register_unstructure_hook(_dt.datetime, isoformat_z)
converter.register_structure_hook(_dt.datetime, lambda value, _: to_utc(value))
converter.register_unstructure_hook(JobStatus, lambda status: status.value)
converter.register_structure_hook_func(
    lambda cls: cls == Dict[str, Any], lambda value, _: json_safe(dict(value))
)

#: The record's field names, in order: the column order of every export.
FIELDS = JOB_FIELDS

_PLAIN_LEAVES = frozenset({str, int, float, bool, type(None)})


class _NotPlain(Exception):
    """A value the converter must see (a datetime, a set, a custom type...)."""


def _plain_copy(value: Any) -> Any:
    """A deep copy of JSON-typed data (dict with str keys, list, str, int, float, bool, None)."""
    kind = type(value)
    if kind is dict:
        out = {}
        for k, v in value.items():
            if type(k) is not str:
                raise _NotPlain
            t = type(v)
            out[k] = v if t in _PLAIN_LEAVES else _plain_copy(v)
        return out
    if kind is list:
        return [v if type(v) in _PLAIN_LEAVES else _plain_copy(v) for v in value]
    if kind in _PLAIN_LEAVES:
        return value
    raise _NotPlain


def _record(job: Job, details: Any) -> Optional[Dict[str, Any]]:
    """The to_dict record of a plain Job with `details` as given; None where the converter must decide."""
    status = job.status
    created, updated, ended = job.created_at, job.updated_at, job.ended_at
    if type(job) is not Job or type(status) is not JobStatus or type(created) is not _dt.datetime:
        return None
    return {
        "service": job.service,
        "operation": job.operation,
        "job_type": job.job_type,
        "job_id": job.job_id,
        "arn": job.arn,
        "name": job.name,
        "status": status._value_,
        "raw_status": job.raw_status,
        "created_at": isoformat_z(created),
        "updated_at": None if updated is None else isoformat_z(updated),
        "ended_at": None if ended is None else isoformat_z(ended),
        "region": job.region,
        "account_id": job.account_id,
        "message": job.message,
        "source": job.source,
        "destination": job.destination,
        "details": details,
    }


def to_dict(job: Job) -> Dict[str, Any]:
    """The job as a JSON-safe dict (one key per Job field, in field order)."""
    try:
        found = _record(job, _plain_copy(job.details))
    except (_NotPlain, RecursionError):
        found = None
    return converter.unstructure(job) if found is None else found


def record(job: Job) -> Dict[str, Any]:
    """`to_dict(job)` for serialising at once: `details` may be the job's own mapping, not a copy.

    Where `details` holds anything but JSON types, json.dumps of this record
    fails with TypeError: serialise `to_dict(job)` then (see export.json.dumps_record).
    """
    found = _record(job, job.details)
    return converter.unstructure(job) if found is None else found


def from_dict(data: Mapping[str, Any]) -> Job:
    """A Job back from `to_dict` output (or the same read from JSON)."""
    try:
        return converter.structure(dict(data), Job)
    except cattrs.BaseValidationError as exc:
        messages = "; ".join(cattrs.transform_error(exc))
        raise InvalidRecordError(f"not a job record: {messages}") from None
    except (TypeError, ValueError) as exc:
        raise InvalidRecordError(f"not a job record: {exc}") from None


class InvalidRecordError(JobInventoryError, ValueError):
    """A dict that is not a Job record (from_dict)."""
