"""Generic summary -> Job, compiled once per spec.

`compile_spec` turns an OperationSpec into a function that reads a summary
with no per-call lookups: the field getters, the status table (keyed by the
normalised word) and the set of keys that go to `details` are fixed up front.
"""
from __future__ import annotations

import datetime as _dt
from typing import Any, Callable, Dict, Mapping, Optional, Tuple

from .details import compile_details
from .errors import NormalizationError
from .model import JOB_FIELDS, Job, JobStatus, job_from_fields, make_job
from .redact import redact_text
from .specs.base import OperationSpec
from .specs.statuses import build_status_table, status_key
from .timestamps import UTC, to_utc

__all__ = ["compile_spec", "Adapter", "parse_arn"]

Adapter = Callable[..., Job]
_UNKNOWN = JobStatus.UNKNOWN
_datetime = _dt.datetime


def parse_arn(arn: Optional[str]) -> Tuple[Optional[str], Optional[str]]:
    """(region, account_id) from an ARN; (None, None) where it has none."""
    if not arn or not arn.startswith("arn:"):
        return None, None
    parts = arn.split(":", 5)
    if len(parts) < 6:
        return None, None
    region = parts[3] or None
    account = parts[4] if len(parts[4]) == 12 and parts[4].isdigit() else None
    return region, account


def _getter(path: Optional[Tuple[str, ...]]) -> Callable[[Mapping[str, Any]], Any]:
    if path is None:
        return lambda summary: None
    if len(path) == 1:
        key = path[0]
        return lambda summary: summary.get(key)

    def get(summary: Mapping[str, Any]) -> Any:
        value: Any = summary
        for key in path:
            if type(value) is not dict and not isinstance(value, Mapping):
                return None
            value = value.get(key)
        return value

    return get


def compile_spec(spec: OperationSpec) -> Adapter:
    """The adapter function of one spec: adapter(summary, region=None, account_id=None) -> Job."""
    service, operation, job_type = spec.service, spec.operation, spec.job_type
    table = build_status_table(spec.statuses)
    consumed = frozenset(spec.consumed_keys())
    arn_key, id_key, name_key, status_field = spec.arn, spec.id, spec.name, spec.status
    id_within = spec.id_within
    created_key, updated_key, ended_key = spec.created, spec.updated, spec.ended
    ended_from_updated = spec.ended_from_updated_when_terminal
    ended_fallbacks = {status_key(word): member for word, member in spec.ended_fallbacks.items()}
    get_message, get_source, get_destination = (
        _getter(spec.message),
        _getter(spec.source),
        _getter(spec.destination),
    )
    hook = spec.hook
    details_of = compile_details(service, operation, spec.list_key, consumed)
    # Provider words seen so far -> unified status (a handful per operation).
    statuses: Dict[str, JobStatus] = {}

    def fail(field: Optional[str], reason: str) -> NormalizationError:
        return NormalizationError(service, operation, field, reason)

    def time_of(summary: Mapping[str, Any], key: Optional[str], required: bool = False) -> Any:
        if key is None:
            return None
        value = summary.get(key)
        if type(value) is _datetime and value.tzinfo is UTC:  # as the collector's parser gives it
            return value
        if value is None or value == "":
            if required:
                raise fail(key, "missing (every job needs a creation time)")
            return None
        try:
            return to_utc(value)
        except (TypeError, ValueError, OverflowError) as exc:
            raise fail(key, f"not a timestamp: {exc}") from None

    def text(summary: Mapping[str, Any], key: str, value: Any) -> Optional[str]:
        if value is None or isinstance(value, str):
            return value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        raise fail(key, f"expected a string, got {type(value).__name__}")

    def safe_details(details: Dict[str, Any]) -> Dict[str, Any]:
        try:
            return details_of(details)
        except ValueError as exc:
            raise fail(getattr(exc, "where", None), f"not a timestamp: {exc}") from None

    def qualified(summary: Mapping[str, Any], job_id: str) -> str:
        """`PARENT/.../ID` for an id unique only within its parents (spec.id_within)."""
        within = [text(summary, key, summary.get(key)) for key in id_within]
        for key, value in zip(id_within, within):
            if not value:
                raise fail(key, "missing (the job's id is unique only within it)")
        return "/".join([*within, job_id])  # type: ignore[list-item]

    def status_of(raw_status: str) -> JobStatus:
        status = statuses.get(raw_status)
        if status is None:
            status = table.get(status_key(raw_status), _UNKNOWN)
            if len(statuses) < 256:
                statuses[raw_status] = status
        return status

    def adapt(
        summary: Mapping[str, Any],
        region: Optional[str] = None,
        account_id: Optional[str] = None,
    ) -> Job:
        if type(summary) is not dict and not isinstance(summary, Mapping):
            raise fail(None, f"a job summary must be a JSON object, got {type(summary).__name__}")
        get = summary.get
        if arn_key:
            arn = get(arn_key)
            if arn is not None and type(arn) is not str:
                arn = text(summary, arn_key, arn)
        else:
            arn = None
        job_id = arn or (text(summary, id_key, get(id_key)) if id_key else None)
        if id_within and job_id and not arn:  # unique only within its parents: name them
            job_id = qualified(summary, job_id)
        if not job_id:
            raise fail(arn_key or id_key, "missing (every job needs an ARN or id)")
        raw_status = get(status_field)
        if raw_status is None:
            raise fail(status_field, "missing")
        if type(raw_status) is not str:
            if not isinstance(raw_status, str):
                raise fail(status_field, f"expected a string, got {type(raw_status).__name__}")
            status = table.get(status_key(raw_status), _UNKNOWN)
        else:
            status = status_of(raw_status)
        created = time_of(summary, created_key, required=True)
        updated = time_of(summary, updated_key)
        ended = time_of(summary, ended_key)
        if ended is None and ended_from_updated and updated is not None and status.is_terminal:
            ended = updated
        if ended is None and ended_fallbacks:
            ended = time_of(summary, ended_fallbacks.get(status_key(raw_status)))
        if region is not None and not isinstance(region, str):
            raise fail(None, f"region must be a string, got {type(region).__name__}")
        if account_id is not None and not (len(account_id) == 12 and account_id.isdigit()):
            raise fail(None, f"account_id must be a 12-digit AWS account id, got {account_id!r}")
        if region is None or account_id is None:
            arn_region, arn_account = parse_arn(arn)
            region = region or arn_region
            account_id = account_id or arn_account
        name = text(summary, name_key, get(name_key)) if name_key else None
        message = redact_text(text(summary, "message", get_message(summary)))
        source = redact_text(text(summary, "source", get_source(summary)))
        destination = redact_text(text(summary, "destination", get_destination(summary)))
        details = {k: v for k, v in summary.items() if k not in consumed}
        if hook is None:
            return make_job(
                service, operation, job_type, job_id, arn, name, status, raw_status, created, updated,
                ended, region, account_id, message, source, destination, safe_details(details),
            )
        return hooked(summary, dict(zip(JOB_FIELDS, (
            service, operation, job_type, job_id, arn, name, status, raw_status, created, updated,
            ended, region, account_id, message, source, destination, details,
        ))))

    def hooked(summary: Mapping[str, Any], fields: Dict[str, Any]) -> Job:
        """The record through the spec's hook, which may change any field."""
        try:
            hook(summary, fields)
        except NormalizationError:
            raise
        except (TypeError, ValueError, KeyError, AttributeError) as exc:
            raise fail(None, f"unreadable summary: {exc}") from None
        fields["details"] = safe_details(fields["details"])
        for key in ("message", "source", "destination"):  # a hook may have set them
            fields[key] = redact_text(fields[key])
        if fields["job_type"] is None:
            raise fail(None, "no job type")
        try:
            # A hook may set anything: what is not plainly valid goes through the record's validators.
            return job_from_fields(fields)
        except (TypeError, ValueError) as exc:
            raise fail(None, str(exc)) from None

    adapt.spec = spec  # type: ignore[attr-defined]
    return adapt
