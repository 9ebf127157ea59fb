"""One change as every target sends it: the JSON record, a human line, filterable attributes.

The JSON (`Event.detail`) is the job's `to_dict` record plus `change`
(`new`, `status` or `gone`) and `previous_status` (the unified status the
job had before, None for a new job). EventBridge sends it as `Detail`, SNS
as the message, a webhook adds `text`, `jsonl:` writes it as one line.
"""
from __future__ import annotations

import datetime as _dt
import json
from typing import Any, Dict, Optional

import attrs

from ..convert import to_dict
from ..model import Job, JobStatus

__all__ = ["Event", "make_event", "event_for_change", "CHANGE_KINDS"]

#: The kinds of change a sync records.
CHANGE_KINDS = ("new", "status", "gone")

# A failure message can be a page of text; the human line keeps this much.
_TEXT_MESSAGE_MAX = 300


def _status_value(status: Any) -> Optional[str]:
    if status is None:
        return None
    return JobStatus(status).value


@attrs.frozen
class Event:
    """One change of one job, ready to send (build it with `make_event`).

    `change_id` identifies the change (the store's `job_changes` key);
    `detail` is the JSON-safe dict every target sends, `body` the same as
    compact JSON text, `text` one human line.
    """

    change_id: int
    kind: str
    previous_status: Optional[str]
    job: Job
    observed_at: Optional[_dt.datetime]
    detail: Dict[str, Any] = attrs.field(eq=False, repr=False)
    body: str = attrs.field(eq=False, repr=False)
    text: str = attrs.field(eq=False, repr=False)

    @property
    def status(self) -> str:
        """The job's unified status in this change (for a gone job: the last one seen)."""
        return self.job.status.value


def make_event(
    change_id: int,
    kind: str,
    previous_status: Any,
    job: Job,
    observed_at: Optional[_dt.datetime] = None,
) -> Event:
    """The Event for one change: `kind` is new/status/gone, `previous_status` a JobStatus, its value or None."""
    if kind not in CHANGE_KINDS:
        raise ValueError(f"change kind must be one of {CHANGE_KINDS}, got {kind!r}")
    previous = _status_value(previous_status)
    detail = to_dict(job)
    detail["change"] = kind
    detail["previous_status"] = previous
    return Event(
        change_id=int(change_id),
        kind=kind,
        previous_status=previous,
        job=job,
        observed_at=observed_at,
        detail=detail,
        body=json.dumps(detail, separators=(",", ":"), ensure_ascii=False),
        text=human_line(kind, previous, job),
    )


def event_for_change(change: Any) -> Event:
    """The Event for a store change (anything with change_id, kind, from_status, job, observed_at)."""
    return make_event(
        change.change_id,
        change.kind,
        change.from_status,
        change.job,
        getattr(change, "observed_at", None),
    )


def human_line(kind: str, previous: Optional[str], job: Job) -> str:
    """'bedrock model_import job import-x in us-east-1: RUNNING -> FAILED: <message>'."""
    where = f" in {job.region}" if job.region else ""
    head = f"{job.service} {job.job_type} job {job.name or job.job_id}{where}"
    status = job.status.value
    if kind == "new":
        what = f"new, {status}"
    elif kind == "gone":
        what = f"gone (last seen {previous or status})"
    else:
        what = f"{previous or '?'} -> {status}"
    line = f"{head}: {what}"
    if job.message and kind != "gone":
        message = " ".join(job.message.split())
        if len(message) > _TEXT_MESSAGE_MAX:
            message = message[: _TEXT_MESSAGE_MAX - 3] + "..."
        line += f": {message}"
    return line
