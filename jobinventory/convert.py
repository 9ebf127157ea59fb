"""The one cattrs converter: Job <-> plain JSON-safe dict.

Timestamps are ISO 8601 UTC strings ending in `Z`, the status is its value,
`details` stays the JSON-safe mapping it already is. `from_dict(to_dict(job))
== job` and `to_dict` output validates against schemas/job.schema.json.
"""
from __future__ import annotations

import datetime as _dt
from typing import Any, Dict, Mapping

import cattrs

from .errors import JobInventoryError
from .model import Job, JobStatus
from .redact import json_safe
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
FIELDS = tuple(a.name for a in Job.__attrs_attrs__)  # type: ignore[attr-defined]


def to_dict(job: Job) -> Dict[str, Any]:
    """The job as a JSON-safe dict (one key per Job field, in field order)."""
    return converter.unstructure(job)


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
