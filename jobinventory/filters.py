"""The collector's filters: what the caller asked for, pushed down where an API can, always re-checked.

`Filters.matches` runs on every job, so an inventory is the same with and
without push-down; push-down only saves calls and bytes. A filter is
pushed down only where the API's semantics are known to match (a spec's
`Pushdown` names the parameters):

- statuses: Bedrock-style `statusEquals` when the unified statuses asked for
  match exactly one value of the parameter's enum in botocore's model;
  Forecast-style `Filters=[{Key: Status, Value, Condition: IS}]` when they
  match exactly one of the spec's documented status words;
- since/until: the creation-time parameters, widened by a second each way
  (whether the API's bounds are inclusive, and to what precision, is not
  documented; the client-side check cuts exactly);
- name_contains: the API's `nameContains`, but only when the text has no
  letters (digits, dashes, dates...): the APIs match case-sensitively, or
  do not document otherwise, and name_contains ignores case, so a needle
  with letters pushed down could drop jobs the caller asked for;
- paging stops early on a newest-first listing once a page holds a job
  created before `since`.

Time bounds are half-open: since <= created_at < until.
"""
from __future__ import annotations

import datetime as _dt
from typing import Any, Dict, FrozenSet, Iterable, Optional

import attrs

from .errors import ConfigurationError
from .model import Job, JobStatus
from .specs.base import OperationSpec
from .specs.statuses import build_status_table, status_key
from .timestamps import to_utc

__all__ = ["Filters", "make_filters", "request_params", "stops_early"]

#: How far the creation-time bounds sent to an API are widened.
_SLACK = _dt.timedelta(seconds=1)


@attrs.frozen
class Filters:
    """What a collection keeps (plain data: it travels with each task)."""

    statuses: Optional[FrozenSet[JobStatus]] = None
    since: Optional[_dt.datetime] = None
    until: Optional[_dt.datetime] = None
    name_contains: Optional[str] = None
    pushdown: bool = True
    _needle: Optional[str] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_needle", self.name_contains.casefold() if self.name_contains else None)

    def matches(self, job: Job) -> bool:
        """True when the job passes every filter (the client-side check; always run)."""
        if self.statuses is not None and job.status not in self.statuses:
            return False
        created = job.created_at
        if self.since is not None and created < self.since:
            return False
        if self.until is not None and created >= self.until:
            return False
        needle = self._needle
        if needle:
            name = job.name
            if not name or needle not in name.casefold():
                return False
        return True


def _status(value: Any) -> JobStatus:
    if isinstance(value, JobStatus):
        return value
    if isinstance(value, str):
        word = value.strip().upper()
        if word in JobStatus.__members__:
            return JobStatus[word]
    raise ConfigurationError(
        f"unknown status {value!r}; one of {', '.join(m.value for m in JobStatus)}"
    )


def _time(name: str, value: Any, now: _dt.datetime) -> Optional[_dt.datetime]:
    if value is None:
        return None
    if isinstance(value, _dt.timedelta):  # "this long ago"
        return now - abs(value)
    try:
        return to_utc(value)
    except (TypeError, ValueError, OverflowError) as exc:
        raise ConfigurationError(f"{name}: not a time: {exc}") from None


def make_filters(
    statuses: Optional[Iterable[Any]] = None,
    since: Any = None,
    until: Any = None,
    name_contains: Optional[str] = None,
    pushdown: bool = True,
) -> Filters:
    """Validated filters; ConfigurationError naming the bad argument.

    statuses: JobStatus members or their names (any case). since/until: any
    form `jobinventory.timestamps.to_utc` takes, or a timedelta meaning that
    long before now.
    """
    wanted: Optional[FrozenSet[JobStatus]] = None
    if statuses is not None:
        if isinstance(statuses, (str, JobStatus)):
            statuses = [statuses]
        wanted = frozenset(_status(s) for s in statuses)
        if not wanted:
            raise ConfigurationError("statuses: an empty list would match nothing; pass None for all")
    now = _dt.datetime.now(_dt.timezone.utc)
    start, end = _time("since", since, now), _time("until", until, now)
    if start is not None and end is not None and start >= end:
        raise ConfigurationError(f"since ({start.isoformat()}) must be before until ({end.isoformat()})")
    if name_contains is not None and not isinstance(name_contains, str):
        raise ConfigurationError(f"name_contains must be a string, got {type(name_contains).__name__}")
    return Filters(wanted, start, end, name_contains or None, bool(pushdown))


def _caseless(text: str) -> bool:
    """Matching `text` is the same with and without case (ASCII, no letters)."""
    return text.isascii() and not any(c.isalpha() for c in text)


def _enum_of(op_model: Any, member: str) -> Optional[Iterable[str]]:
    shape = op_model.input_shape
    if shape is None or member not in shape.members:
        return None
    return getattr(shape.members[member], "enum", None) or None


def _has(op_model: Any, member: Optional[str]) -> bool:
    shape = op_model.input_shape
    return bool(member) and shape is not None and member in shape.members


def _one_word(spec: OperationSpec, words: Iterable[str], wanted: FrozenSet[JobStatus]) -> Optional[str]:
    if JobStatus.UNKNOWN in wanted:  # UNKNOWN is every word not known yet: no one word to send
        return None
    table = build_status_table(spec.statuses)
    hits = [w for w in words if table.get(status_key(w), JobStatus.UNKNOWN) in wanted]
    return hits[0] if len(hits) == 1 else None


def request_params(spec: OperationSpec, op_model: Any, filters: Filters) -> Dict[str, Any]:
    """The request parameters that push `filters` down to this operation (empty when pushdown is off)."""
    if not filters.pushdown:
        return {}
    push = spec.pushdown
    params: Dict[str, Any] = {}
    if filters.statuses is not None:
        if _has(op_model, push.status_param):
            word = _one_word(spec, _enum_of(op_model, push.status_param) or (), filters.statuses)  # type: ignore[arg-type]
            if word is not None:
                params[push.status_param] = word  # type: ignore[index]
        elif push.status_filter_key and _has(op_model, "Filters"):
            word = _one_word(spec, spec.documented_statuses, filters.statuses)
            if word is not None:
                params["Filters"] = [{"Key": push.status_filter_key, "Value": word, "Condition": "IS"}]
    if filters.since is not None and _has(op_model, push.created_after_param):
        params[push.created_after_param] = filters.since - _SLACK  # type: ignore[index]
    if filters.until is not None and _has(op_model, push.created_before_param):
        params[push.created_before_param] = filters.until + _SLACK  # type: ignore[index]
    if filters.name_contains and _caseless(filters.name_contains) and _has(op_model, push.name_contains_param):
        params[push.name_contains_param] = filters.name_contains  # type: ignore[index]
    if stops_early(spec, op_model, filters):
        params.update(spec.pushdown.newest_first_params)
    return params


def stops_early(spec: OperationSpec, op_model: Any, filters: Filters) -> bool:
    """Paging may stop at the first page holding a job created before `since`.

    Only where the spec says the listing is newest first and the model still
    has every parameter that makes it so.
    """
    push = spec.pushdown
    return bool(
        filters.pushdown
        and filters.since is not None
        and push.newest_first
        and not spec.parents  # a walk lists many listings: one old page ends only its own
        and all(_has(op_model, key) for key in push.newest_first_params)
    )
