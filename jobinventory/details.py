"""A job's `details`: a JSON-safe copy of a summary's extras, secrets redacted,
nested timestamps as ISO 8601 UTC with a `Z`, made in one walk.

boto3 hands nested timestamps over as datetimes, a saved AWS CLI or REST
response as ISO strings or epoch numbers. So that `details` is the same
whichever way a summary arrives, every member botocore's model of the
summary types as a timestamp is rewritten (a value that is no time raises
ValueError with a `where` attribute, the dotted member path).

The walk is compiled once per operation from the model's timestamp paths (a
trie): at a structure, the members on a path get their own converter, every
other value is made JSON-safe as `json_safe` makes it (`_safe_dict`, with the
members' converters where a structure has them). Where a summary holds something other than what the
model says (a tuple, a read-only mapping, a string for a structure), the
value is made JSON-safe first and walked again.
"""
from __future__ import annotations

import base64
import datetime as _dt
import decimal
import functools
from collections.abc import Mapping
from typing import Any, Callable, Dict, List, Optional, Tuple

from . import botodata
from .redact import REDACTED, is_secret_key, is_signed_url, secret_value
from .timestamps import UTC, isoformat_z, to_utc

__all__ = ["json_safe", "timestamp_paths", "compile_paths", "compile_details"]

#: A path into details: keys, with "*" for every element of a list or map.
TimePath = Tuple[str, ...]
#: conv(value, secret) -> the JSON-safe value; `secret`: the value sits under a secret key.
Conv = Callable[[Any, bool], Any]
#: Members of a structure with a converter of their own: name -> (converter, the name is a secret key).
Members = Dict[str, Tuple[Conv, bool]]

_datetime = _dt.datetime


# -- JSON-safe values ----------------------------------------------------------------------
def json_safe(value: Any) -> Any:
    """A copy of `value` with only JSON types, timestamps as ISO 8601 Z, secrets redacted."""
    kind = type(value)
    if kind is str:
        return REDACTED if is_signed_url(value) else value
    if kind is dict:
        return _safe_dict(value)
    if value is None or kind is int or kind is bool:
        return value
    if kind is list:
        return [json_safe(v) for v in value]
    return _json_safe_other(value)


def _safe_dict(value: dict, members: Optional[Members] = None) -> dict:
    """json_safe of a dict: one loop with the common types inline (the hot path of every summary).

    `members` (at a structure with a timestamp below some of its members)
    gives those members a converter of their own; most dicts have none and
    skip the look-up, which would cost 5-10% of a summary's normalization.
    """
    out = {}
    get = members.get if members else None
    for k, v in value.items():
        if get is not None:
            member = get(k)
            if member is not None:
                out[k] = member[0](v, member[1])
                continue
        if type(k) is not str:
            k = str(k)
        kind = type(v)
        if kind is str:
            # A secret is a value: a key like ExportAssetToSignedUrl that holds a
            # structure is walked, and its SignedUrl member is what goes.
            out[k] = REDACTED if secret_value(k, v) else v
        elif v is None or kind is int or kind is bool:
            out[k] = v
        elif kind is dict:
            out[k] = _safe_dict(v)
        elif kind is list:
            out[k] = [json_safe(x) for x in v]
        elif kind is _datetime and v.tzinfo is UTC:
            out[k] = v.isoformat()[:-6] + "Z"
        else:
            out[k] = _json_safe_other(v)
    return out


def _json_safe_other(value: Any) -> Any:
    if isinstance(value, _dt.datetime):  # before the ABC checks below, which are slow
        return isoformat_z(value)
    if isinstance(value, str):
        return json_safe(str(value))
    if isinstance(value, (bool, int)):
        return int(value) if not isinstance(value, bool) else bool(value)
    if isinstance(value, float):
        return value if value == value and value not in (float("inf"), float("-inf")) else str(value)
    if isinstance(value, Mapping):
        return json_safe(dict(value))
    if isinstance(value, (list, tuple, set, frozenset)):
        return [json_safe(v) for v in value]
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(bytes(value)).decode("ascii")
    return str(value)


def _plain(value: Any, secret: bool) -> Any:
    """What `json_safe` makes of a value under a key (secret or not)."""
    return REDACTED if secret and type(value) is str else json_safe(value)


# -- the timestamp paths of a summary, from botocore's model -------------------------------
def _summary_shape(service: str, operation: str, list_key: str) -> Any:
    try:
        output = botodata.operation_model(service, operation).output_shape
    except Exception:  # a plug-in for a service botocore does not know
        return None
    member = output.members.get(list_key) if output is not None else None
    return getattr(member, "member", None)


def _walk_shape(shape: Any, prefix: TimePath, found: List[TimePath], depth: int) -> None:
    if depth > 12:
        return
    kind = shape.type_name
    if kind == "timestamp":
        found.append(prefix)
    elif kind == "structure":
        for name, member in shape.members.items():
            _walk_shape(member, prefix + (name,), found, depth + 1)
    elif kind == "list":
        _walk_shape(shape.member, prefix + ("*",), found, depth + 1)
    elif kind == "map":
        _walk_shape(shape.value, prefix + ("*",), found, depth + 1)


@functools.lru_cache(maxsize=None)
def timestamp_paths(service: str, operation: str, list_key: str) -> Tuple[TimePath, ...]:
    """Every timestamp member of the operation's summary, as paths (top-level ones too)."""
    shape = _summary_shape(service, operation, list_key)
    if shape is None:
        return ()
    found: List[TimePath] = []
    for name, member in shape.members.items():
        _walk_shape(member, (name,), found, 0)
    return tuple(found)


# -- the compiled walk ---------------------------------------------------------------------
class _BadTime(ValueError):
    def __init__(self, where: str, reason: str) -> None:
        super().__init__(reason)
        self.where = where


def _as_z(value: Any, where: str) -> Any:
    if value is None:
        return None
    try:
        return isoformat_z(to_utc(value))
    except (TypeError, ValueError, OverflowError) as exc:
        raise _BadTime(where, str(exc)) from None


class _Node:
    """A node of the trie of timestamp paths: a timestamp (leaf) or a container of them."""

    def __init__(self) -> None:
        self.leaf = False
        self.children: Dict[str, "_Node"] = {}


def _trie(paths: List[TimePath]) -> _Node:
    root = _Node()
    for path in paths:
        node = root
        for part in path:
            node = node.children.setdefault(part, _Node())
        node.leaf = True
    return root


def _timestamp(where: str) -> Conv:
    def timestamp(value: Any, secret: bool) -> Any:
        if type(value) is _datetime and value.tzinfo is UTC:
            return value.isoformat()[:-6] + "Z"  # isoformat_z, already in its final form
        return _as_z(_plain(value, secret), where)

    return timestamp


def _elements(element: Conv) -> Conv:
    """A list or map whose every element goes through `element`."""

    def each(value: Any, secret: bool) -> Any:
        kind = type(value)
        if kind is list:
            return [element(v, False) for v in value]
        if kind is dict:
            out = {}
            for k, v in value.items():
                if type(k) is not str:
                    k = str(k)
                out[k] = element(v, type(v) is str and is_secret_key(k))
            return out
        return _again(each, value, secret)

    return each


def _structure(members: Members) -> Conv:
    def structure(value: Any, secret: bool) -> Any:
        if type(value) is dict:
            return _safe_dict(value, members)
        return _again(structure, value, secret)

    return structure


def _again(conv: Conv, value: Any, secret: bool) -> Any:
    """Something other than the model says (a tuple, a mapping, a string): JSON-safe, then walked."""
    safe = _plain(value, secret)
    if type(safe) is dict or type(safe) is list:
        return conv(safe, False)
    return safe


def _build(node: _Node, prefix: TimePath) -> Conv:
    if node.leaf:
        return _timestamp(".".join(prefix))
    if "*" in node.children:  # a list or a map
        return _elements(_build(node.children["*"], prefix + ("*",)))
    return _structure(_members(node, prefix))


def _members(node: _Node, prefix: TimePath) -> Members:
    return {name: (_build(child, prefix + (name,)), is_secret_key(name)) for name, child in node.children.items()}


def compile_paths(paths: List[TimePath]) -> Callable[[Any], Any]:
    """details -> JSON-safe details with the timestamps at `paths` as ISO 8601 Z."""
    if not paths:
        return json_safe
    walk = _structure(_members(_trie(paths), ()))

    def details_of(details: Any) -> Any:
        return walk(details, False)

    return details_of


def compile_details(service: str, operation: str, list_key: str, consumed: frozenset) -> Callable[[Any], Any]:
    """The details walk of an operation: its summary's timestamp paths, less those of the
    top-level keys the record consumed (they are not in details)."""
    return compile_paths([p for p in timestamp_paths(service, operation, list_key) if p[0] not in consumed])
