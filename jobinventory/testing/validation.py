"""Check values against botocore shapes, the way AWS would.

Two uses: :func:`summary_problems` tells whether AWS could have sent a job
summary (every member known, required members present, types, enums, lengths
and ranges, timestamps as timezone-aware datetimes); :func:`input_problems`
checks a request's parameters and words each problem like AWS's own
validation messages ("Value '0' at 'maxResults' failed to satisfy
constraint: ..."). Patterns are not checked: several output patterns in the
models do not match what the services send (a Forecast ``RoleArn`` is an IAM
ARN, its shape's pattern wants a forecast ARN).
"""
from __future__ import annotations

import datetime as _dt
from typing import Any, Iterator

_INT_TYPES = ("integer", "long")
_NUM_TYPES = ("integer", "long", "float", "double")


def summary_problems(shape, value: Any) -> list[str]:
    """Why ``value`` could not be an AWS-sent instance of ``shape`` (empty: fine)."""
    return [f"{path or shape.name}: {msg}" for path, msg in _walk(shape, value, "", output=True)]


def input_problems(shape, params: dict[str, Any]) -> list[str]:
    """AWS-style validation messages for request ``params`` of input ``shape``."""
    return [msg for _, msg in _walk(shape, params, "", output=False)]


def format_input_error(problems: list[str]) -> str:
    n = len(problems)
    return f"{n} validation error{'s' if n > 1 else ''} detected: " + "; ".join(problems)


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _walk(shape, value: Any, path: str, *, output: bool) -> Iterator[tuple[str, str]]:
    t = shape.type_name
    meta = shape.metadata
    if t == "structure":
        yield from _walk_structure(shape, value, path, output=output)
    elif t == "list":
        if not isinstance(value, (list, tuple)):
            yield path, _type_msg(value, "list", output, path)
            return
        yield from _length(meta, len(value), path, output, "length")
        for i, item in enumerate(value):
            yield from _walk(shape.member, item, f"{path}.{i + 1}" if not output else f"{path}[{i}]", output=output)
    elif t == "map":
        if not isinstance(value, dict):
            yield path, _type_msg(value, "map", output, path)
            return
        for k, v in value.items():
            yield from _walk(shape.key, k, f"{path}.{k}", output=output)
            yield from _walk(shape.value, v, f"{path}.{k}", output=output)
    elif t == "string":
        if not isinstance(value, str):
            yield path, _type_msg(value, "string", output, path)
            return
        yield from _length(meta, len(value), path, output, "length")
        enum = getattr(shape, "enum", None)
        if enum and value not in enum:
            yield path, (
                f"{value!r} is not one of the model's values {list(enum)}" if output
                else f"Value '{value}' at '{path}' failed to satisfy constraint: "
                     f"Member must satisfy enum value set: [{', '.join(enum)}]"
            )
    elif t in _NUM_TYPES:
        ok = isinstance(value, int) if t in _INT_TYPES else isinstance(value, (int, float))
        if isinstance(value, bool) or not ok:
            yield path, _type_msg(value, t, output, path)
            return
        yield from _length(meta, value, path, output, "value")
    elif t == "boolean":
        if not isinstance(value, bool):
            yield path, _type_msg(value, "boolean", output, path)
    elif t == "timestamp":
        if not isinstance(value, _dt.datetime):
            yield path, _type_msg(value, "timestamp (datetime)", output, path)
        elif output and (value.tzinfo is None or value.utcoffset() is None):
            yield path, "naive datetime: give a timezone-aware one"
    elif t == "blob":
        if not isinstance(value, (bytes, bytearray, str)):
            yield path, _type_msg(value, "blob", output, path)


def _walk_structure(shape, value: Any, path: str, *, output: bool) -> Iterator[tuple[str, str]]:
    if not isinstance(value, dict):
        yield path, _type_msg(value, "structure", output, path)
        return
    for name in shape.required_members:
        if value.get(name) is None:
            yield _join(path, name), (
                "required member missing" if output
                else f"Value null at '{_join(path, name)}' failed to satisfy constraint: Member must not be null"
            )
    for name, sub in value.items():
        member = shape.members.get(name)
        if member is None:
            yield _join(path, name), (
                "unknown member (not in the botocore model)" if output
                else f"Unknown parameter '{_join(path, name)}'"
            )
        elif sub is not None or output:
            if sub is None:
                yield _join(path, name), "null value"
            else:
                yield from _walk(member, sub, _join(path, name), output=output)


def _type_msg(value: Any, expected: str, output: bool, path: str) -> str:
    if output:
        return f"expected {expected}, got {type(value).__name__} {value!r:.60}"
    return f"Value '{value!s:.60}' at '{path}' is not a valid {expected}"


def _length(meta: dict, n: int, path: str, output: bool, what: str) -> Iterator[tuple[str, str]]:
    lo, hi = meta.get("min"), meta.get("max")
    member = "Member must have length" if what == "length" else "Member must have value"
    if lo is not None and n < lo:
        yield path, (
            f"{what} {n} is below the minimum {lo}" if output
            else f"Value '{n}' at '{path}' failed to satisfy constraint: {member} greater than or equal to {lo}"
        )
    if hi is not None and n > hi:
        yield path, (
            f"{what} {n} is above the maximum {hi}" if output
            else f"Value '{n}' at '{path}' failed to satisfy constraint: {member} less than or equal to {hi}"
        )
