"""botocore model helpers shared by the spec tests (and the plug-in tests).

`lint_spec` holds every check the drift test makes of one spec against its
operation's model; it returns the problems as sentences naming the member,
so a failure after a boto3 pin upgrade says what to map.
"""
from __future__ import annotations

import datetime as dt
import functools
import itertools
import re
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple

import botocore.session

from jobinventory import JobStatus
from jobinventory.adapt import compile_spec
from jobinventory.specs.base import OperationSpec
from jobinventory.specs.statuses import build_status_table, is_deliberately_unknown, status_key
from jobinventory.timestamps import to_utc

UTC = dt.timezone.utc


@functools.lru_cache(maxsize=1)
def session() -> botocore.session.Session:
    return botocore.session.get_session()


@functools.lru_cache(maxsize=None)
def service_model(service: str) -> Any:
    return session().get_service_model(service)


@functools.lru_cache(maxsize=None)
def paginators(service: str) -> Dict[str, Any]:
    try:
        return dict(session().get_paginator_model(service)._paginator_config)
    except Exception:  # a service with no paginators-1.json
        return {}


def operation_model(service: str, operation: str) -> Any:
    return service_model(service).operation_model(operation)


def list_members(output_shape: Any) -> List[str]:
    return [name for name, member in output_shape.members.items() if member.type_name == "list"]


def model_list_key(service: str, operation: str) -> str:
    """The paginator's result_key, or the output's one list member where there is no paginator."""
    config = paginators(service).get(operation)
    if config and isinstance(config.get("result_key"), str):
        return config["result_key"]
    lists = list_members(operation_model(service, operation).output_shape)
    assert len(lists) == 1, f"{service} {operation}: no paginator and {len(lists)} list members {lists}"
    return lists[0]


def summary_shape(service: str, operation: str, list_key: str) -> Any:
    return operation_model(service, operation).output_shape.members[list_key].member


def doc_text(doc: Optional[str]) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", doc or "")).replace("&gt;", ">").strip()


# -- a maximal summary: every member of the shape, each with its own value ----

def maximal(shape: Any, *, status_member: Optional[str] = None, status_value: Optional[str] = None) -> Dict[str, Any]:
    """A summary with every member of `shape` filled, values unique per member.

    Timestamps are distinct datetimes (as boto3 gives them), strings are
    `<member>-value` or the enum's first value, numbers distinct.
    """
    counter = itertools.count(1)

    def fill(member: Any, name: str, depth: int) -> Any:
        kind = member.type_name
        n = next(counter)
        if kind == "structure":
            if depth > 6:
                return {}
            return {k: fill(v, k, depth + 1) for k, v in member.members.items()}
        if kind == "list":
            return [fill(member.member, name, depth + 1)]
        if kind == "map":
            return {f"{name}-key": fill(member.value, name, depth + 1)}
        if kind == "string":
            enum = getattr(member, "enum", None)
            return enum[0] if enum else f"{name}-value-{n}"
        if kind == "timestamp":
            return dt.datetime(2024, 1, 1, tzinfo=UTC) + dt.timedelta(hours=n)
        if kind in ("integer", "long"):
            return 1000 + n
        if kind in ("float", "double"):
            return n + 0.5
        if kind == "boolean":
            return True
        if kind == "blob":
            return b"blob"
        return f"{name}-{n}"

    summary = {k: fill(v, k, 0) for k, v in shape.members.items()}
    if status_member is not None and status_value is not None:
        summary[status_member] = status_value
    return summary


# -- the naming rule of the contract ------------------------------------------

def expected_job_type(operation: str) -> str:
    """The operation's noun in snake_case, less `List`, the plural and a trailing Job.

    ListDatasetImportJobs -> dataset_import, ListExplainabilityExports ->
    explainability_export, ListWhatIfForecastExports -> what_if_forecast_export.
    """
    assert operation.startswith("List"), operation
    words = re.findall(r"[A-Z]+(?![a-z])|[A-Z][a-z0-9]*", operation[len("List"):])
    last = words[-1]
    if last.endswith("yses"):
        last = last[:-2] + "is"
    elif last.endswith("ies"):
        last = last[:-3] + "y"
    elif last.endswith(("sses", "xes")):
        last = last[:-2]
    elif last.endswith("s"):
        last = last[:-1]
    words[-1] = last
    if len(words) > 1 and words[-1] == "Job":
        words.pop()
    return "_".join(w.lower() for w in words)


# -- status words the docs list where the model has no enum --------------------

_STATUS_WORD = re.compile(r"^[A-Z][A-Z_]+(?: [A-Z][A-Z_]+)*$")


def documented_status_words(doc: Optional[str]) -> List[str]:
    """Upper-case status words in a status member's documentation.

    Reads each text run between tags and splits it at commas, `>` and `-or-`
    ("CREATE PENDING > CREATE IN_PROGRESS > ACTIVE -or- CREATE FAILED").
    """
    words: List[str] = []
    for chunk in re.split(r"<[^>]+>", doc or ""):
        for piece in re.split(r",|&gt;|>|-or-", chunk):
            piece = " ".join(piece.split())
            if _STATUS_WORD.match(piece):
                words.append(piece)
    return list(dict.fromkeys(words))


# -- the lint -----------------------------------------------------------------

def _member_path(shape: Any, path: Sequence[str]) -> Tuple[Optional[Any], str]:
    """The shape at `path` in `shape`, or (None, what is missing)."""
    current = shape
    for i, key in enumerate(path):
        if current.type_name != "structure" or key not in current.members:
            return None, ".".join(path[: i + 1])
        current = current.members[key]
    return current, ""


def status_values(spec: OperationSpec) -> Tuple[Tuple[str, ...], str]:
    """(the status words to check, where they come from): the model's enum, else the spec's documented words."""
    shape = summary_shape(spec.service, spec.operation, spec.list_key)
    member = shape.members.get(spec.status)
    enum = getattr(member, "enum", None) if member is not None else None
    if enum:
        return tuple(enum), "model enum"
    return tuple(spec.documented_statuses), "spec.documented_statuses"


def lint_spec(spec: OperationSpec) -> List[str]:
    """Every disagreement between `spec` and botocore's model of its operation."""
    problems: List[str] = []
    where = f"{spec.service} {spec.operation}"
    model = service_model(spec.service)
    if spec.operation not in model.operation_names:
        return [f"{where}: botocore's {spec.service} model has no operation {spec.operation}"]
    op = model.operation_model(spec.operation)

    # The list key.
    expected_key = model_list_key(spec.service, spec.operation)
    if spec.list_key != expected_key:
        return problems + [f"{where}: list_key {spec.list_key!r}, but the model's result key is {expected_key!r}"]
    shape = summary_shape(spec.service, spec.operation, spec.list_key)
    members = shape.members

    # Every field the spec names exists, with the right type.
    def check(field: str, name: Optional[str], kinds: Tuple[str, ...]) -> None:
        if name is None:
            return
        if name not in members:
            problems.append(f"{where}: spec.{field} names {name!r}, which {shape.name} has no member of")
        elif members[name].type_name not in kinds:
            problems.append(
                f"{where}: spec.{field} names {name!r}, a {members[name].type_name} in the model, expected {'/'.join(kinds)}"
            )

    for field in ("arn", "id", "name", "status"):
        check(field, getattr(spec, field), ("string",))
    for field in ("created", "updated", "ended"):
        check(field, getattr(spec, field), ("timestamp",))
    for field in ("message", "source", "destination"):
        path = getattr(spec, field)
        if path is None:
            continue
        target, missing = _member_path(shape, path)
        if target is None:
            problems.append(f"{where}: spec.{field} path {'.'.join(path)} does not exist in {shape.name} (at {missing})")
        elif target.type_name != "string":
            problems.append(f"{where}: spec.{field} path {'.'.join(path)} is a {target.type_name}, not a string")
    for key in spec.id_within:
        check("id_within", key, ("string",))
    problems.extend(lint_parents(spec))
    for word, member in spec.ended_fallbacks.items():
        check(f"ended_fallbacks[{word!r}]", member, ("timestamp",))
    for key in spec.hook_consumes:
        if key not in members:
            problems.append(f"{where}: spec.hook_consumes names {key!r}, which {shape.name} has no member of")
    if spec.arn is None and spec.id is None:
        problems.append(f"{where}: the spec names neither an ARN nor an id member")

    # Status words.
    table = build_status_table(spec.statuses)
    values, origin = status_values(spec)
    if not values:
        problems.append(f"{where}: {spec.status!r} has no enum in the model and the spec lists no documented_statuses")
    for value in values:
        if table.get(status_key(value), JobStatus.UNKNOWN) is JobStatus.UNKNOWN and not is_deliberately_unknown(
            value, spec.statuses
        ):
            problems.append(f"{where}: status {value!r} ({origin}) maps to UNKNOWN: add it to statuses.py or spec.statuses")
    member = members.get(spec.status)
    enum = getattr(member, "enum", None) if member is not None else None
    if enum and spec.documented_statuses:
        extra = set(spec.documented_statuses) - set(enum)
        if extra:
            problems.append(f"{where}: documented_statuses {sorted(extra)} are not in the model's enum {list(enum)}")
    if not enum and member is not None:
        known = {status_key(v) for v in spec.documented_statuses}
        for word in documented_status_words(member.documentation):
            if status_key(word) not in known:
                problems.append(
                    f"{where}: the model's documentation of {spec.status!r} lists {word!r}, "
                    "which spec.documented_statuses lacks"
                )

    # Job type.
    if spec.job_type is not None and spec.job_type != expected_job_type(spec.operation):
        problems.append(
            f"{where}: job_type {spec.job_type!r}, but the contract's rule gives {expected_job_type(spec.operation)!r}"
        )

    problems.extend(lint_pushdown(spec, op))
    return problems


def lint_parents(spec: OperationSpec) -> List[str]:
    """The parent walk against the models: each level's list key, the members it reads,
    and that the job list's required members are exactly what the walk supplies."""
    problems: List[str] = []
    where = f"{spec.service} {spec.operation}"
    model = service_model(spec.service)
    supplied: List[str] = []
    for level in spec.parents:
        if level.operation not in model.operation_names:
            problems.append(f"{where}: parent level {level.operation} is not an operation of {spec.service}")
            continue
        op = model.operation_model(level.operation)
        required = set(op.input_shape.required_members) if op.input_shape is not None else set()
        if required != set(supplied):
            problems.append(f"{where}: {level.operation} requires {sorted(required)}, the walk gives {supplied}")
        if level.list_key != model_list_key(spec.service, level.operation):
            problems.append(f"{where}: parent {level.operation} list_key {level.list_key!r} is not the model's")
            continue
        members = summary_shape(spec.service, level.operation, level.list_key).members
        for param, member in level.params.items():
            if member not in members:
                problems.append(f"{where}: parent {level.operation} summaries have no member {member!r}")
        supplied += list(level.params)
    op = model.operation_model(spec.operation)
    required = set(op.input_shape.required_members) if op.input_shape is not None else set()
    if required != set(supplied):
        problems.append(f"{where}: requires {sorted(required)}, the parent walk gives {supplied}")
    for param in supplied:
        if op.input_shape is None or param not in op.input_shape.members:
            problems.append(f"{where}: the walk gives {param!r}, which the request has no member of")
    return problems


def lint_pushdown(spec: OperationSpec, op: Any) -> List[str]:
    problems: List[str] = []
    where = f"{spec.service} {spec.operation}"
    inputs = op.input_shape.members if op.input_shape is not None else {}
    push = spec.pushdown

    def param(field: str, name: Optional[str], kind: str, doc_words: Tuple[str, ...]) -> None:
        if name is None:
            return
        if name not in inputs:
            problems.append(f"{where}: pushdown.{field} {name!r} is not a request member")
            return
        member = inputs[name]
        if member.type_name != kind:
            problems.append(f"{where}: pushdown.{field} {name!r} is a {member.type_name}, expected {kind}")
        text = doc_text(member.documentation).lower()
        if doc_words and not any(w in text for w in doc_words):
            problems.append(f"{where}: pushdown.{field} {name!r}: its documentation does not say {' or '.join(doc_words)}")

    param("status_param", push.status_param, "string", ("status",))
    param("name_contains_param", push.name_contains_param, "string", ("contain",))
    param("created_after_param", push.created_after_param, "timestamp", ("after",))
    param("created_before_param", push.created_before_param, "timestamp", ("before",))
    # A time filter must be on the member created_at comes from.
    for field, suffix in (("created_after_param", "After"), ("created_before_param", "Before")):
        name = getattr(push, field)
        if name is not None and name != f"{spec.created}{suffix}":
            problems.append(f"{where}: pushdown.{field} {name!r} does not filter on {spec.created!r}, where created_at comes from")
    if push.status_param and push.status_param in inputs:
        wanted = getattr(inputs[push.status_param], "enum", None)
        have, _ = status_values(spec)
        if wanted and set(have) - set(wanted):
            problems.append(f"{where}: statuses {sorted(set(have) - set(wanted))} cannot be sent in {push.status_param!r}")
    if push.status_filter_key is not None:
        filters = inputs.get("Filters")
        if filters is None:
            problems.append(f"{where}: pushdown.status_filter_key is set but the request has no Filters")
        elif not re.search(rf"Valid values are [^.]*\b{re.escape(push.status_filter_key)}\b", doc_text(filters.documentation)):
            problems.append(f"{where}: Filters' documentation does not list the key {push.status_filter_key!r}")
    for name, value in push.newest_first_params.items():
        if name not in inputs:
            problems.append(f"{where}: newest_first_params {name!r} is not a request member")
            continue
        enum = getattr(inputs[name], "enum", None)
        if enum and value not in enum:
            problems.append(f"{where}: newest_first_params {name}={value!r} is not one of the model's values {list(enum)}")
    if push.newest_first and not push.newest_first_params:
        text = doc_text(op.documentation).lower()
        if not any(w in text for w in ("descending order", "most recent first", "newest first")):
            problems.append(f"{where}: newest_first with no parameters, but the operation's documentation does not say so")

    # Filters the API offers that the spec leaves unused (the collector would
    # page through everything and filter on the client).
    offered = {
        "statusEquals": push.status_param,
        "nameContains": push.name_contains_param,
        f"{spec.created}After": push.created_after_param,
        f"{spec.created}Before": push.created_before_param,
    }
    for name, used in offered.items():
        if name in inputs and used is None:
            problems.append(f"{where}: the API offers the filter {name!r} but the spec does not push it down")
    if "Filters" in inputs and push.status_filter_key is None:
        if re.search(r"Valid values are [^.]*\bStatus\b", doc_text(inputs["Filters"].documentation)):
            problems.append(f"{where}: the API filters on Status (Filters) but the spec does not push it down")
    sort_by = inputs.get("sortBy")
    if sort_by is not None and "CreationTime" in (getattr(sort_by, "enum", None) or ()) and not push.newest_first:
        problems.append(f"{where}: the API sorts by CreationTime but the spec does not page newest first")
    return problems


def unread_members(spec: OperationSpec) -> List[str]:
    """Summary members that are neither read into a Job field nor kept in details.

    Adapts a maximal summary (every member of the shape, plus one the model
    does not have) and looks for each member's value in the Job.
    """
    shape = summary_shape(spec.service, spec.operation, spec.list_key)
    values, _ = status_values(spec)
    table = build_status_table(spec.statuses)
    terminal = [v for v in values if table.get(status_key(v), JobStatus.UNKNOWN).is_terminal]
    summary = maximal(shape, status_member=spec.status, status_value=(terminal or list(values) or [None])[0])
    summary["aMemberFromTheFuture"] = "kept"
    job = compile_spec(spec)(summary)
    strings = {
        v for v in (job.job_id, job.arn, job.name, job.raw_status, job.message, job.source, job.destination,
                    job.job_type, job.region, job.account_id) if v is not None
    }
    lowered = {v.lower() for v in strings}
    times = {t for t in (job.created_at, job.updated_at, job.ended_at) if t is not None}
    lost: List[str] = []
    for name, value in summary.items():
        if name in job.details:
            continue
        if isinstance(value, str) and (value in strings or value.lower() in lowered):
            continue
        if isinstance(value, dt.datetime) and to_utc(value) in times:
            continue
        lost.append(name)
    return lost


def misread_fields(spec: OperationSpec) -> List[str]:
    """Job fields that do not hold what the spec says they come from (on a maximal summary)."""
    shape = summary_shape(spec.service, spec.operation, spec.list_key)
    values, _ = status_values(spec)
    summary = maximal(shape, status_member=spec.status, status_value=(list(values) or [None])[0])
    job = compile_spec(spec)(summary)
    wrong: List[str] = []

    def get(path: Optional[Tuple[str, ...]]) -> Any:
        value: Any = summary
        for key in path or ():
            value = value.get(key) if isinstance(value, dict) else None
        return value if path else None

    expect = {
        "arn": summary.get(spec.arn) if spec.arn else None,
        "name": summary.get(spec.name) if spec.name else None,
        "raw_status": summary[spec.status],
        "created_at": to_utc(summary[spec.created]),
        "updated_at": to_utc(summary[spec.updated]) if spec.updated else None,
    }
    if spec.hook is None:
        expect.update(message=get(spec.message), source=get(spec.source), destination=get(spec.destination))
    if spec.ended:
        expect["ended_at"] = to_utc(summary[spec.ended])
    for field, value in expect.items():
        if getattr(job, field) != value:
            wrong.append(f"{field}={getattr(job, field)!r}, expected {value!r}")
    return wrong


# -- what ParamValidator leaves alone: patterns and maximum lengths -----------

def strict_problems(shape: Any, value: Any, path: str = "", ignore: Tuple[str, ...] = ()) -> List[str]:
    """String patterns and maximum lengths the model sets, which botocore's
    ParamValidator does not check; a fixture breaking them is one AWS could not send."""
    problems: List[str] = []
    if value is None:
        return problems
    kind = shape.type_name
    if kind == "structure":
        for name, member in shape.members.items():
            if name in value:
                problems += strict_problems(member, value[name], f"{path}.{name}", ignore)
    elif kind == "list":
        for i, item in enumerate(value):
            problems += strict_problems(shape.member, item, f"{path}[{i}]", ignore)
    elif kind == "map":
        for k, v in value.items():
            problems += strict_problems(shape.value, v, f"{path}[{k!r}]", ignore)
    elif kind == "string" and isinstance(value, str) and not (ignore and path.endswith(ignore)):
        meta = shape.metadata
        if "max" in meta and len(value) > meta["max"]:
            problems.append(f"{path}: {len(value)} characters, the model allows {meta['max']}")
        pattern = meta.get("pattern")
        if pattern:
            try:
                rx = re.compile(pattern)
            except re.error:
                return problems
            if not rx.fullmatch(value):
                problems.append(f"{path}: {value!r} does not match the model's pattern {pattern}")
    return problems
