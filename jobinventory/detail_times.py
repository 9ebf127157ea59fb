"""Timestamps nested in `details`, found from botocore's model of the summary.

boto3 hands nested timestamps over as datetimes, a saved AWS CLI or REST
response as ISO strings or epoch numbers. So that `details` is the same
whichever way a summary arrives, every member the model types as a
timestamp is rewritten as ISO 8601 UTC with a `Z`.
"""
from __future__ import annotations

import functools
from typing import Any, Callable, Dict, List, Optional, Tuple

from .redact import REDACTED, is_secret_key, json_safe, secret_value
from .timestamps import UTC, isoformat_z, to_utc

__all__ = ["timestamp_paths", "compile_detail_times", "compile_details"]

#: A path into details: keys, with "*" for every element of a list or map.
TimePath = Tuple[str, ...]


@functools.lru_cache(maxsize=None)
def _service_model(service: str) -> Any:
    import botocore.session

    return botocore.session.get_session().get_service_model(service)


def _summary_shape(service: str, operation: str, list_key: str) -> Any:
    try:
        model = _service_model(service)
        output = model.operation_model(operation).output_shape
    except Exception:  # a plug-in for a service botocore does not know
        return None
    member = output.members.get(list_key) if output is not None else None
    return getattr(member, "member", None)


def _walk(shape: Any, prefix: TimePath, found: List[TimePath], depth: int) -> None:
    if depth > 12:
        return
    kind = shape.type_name
    if kind == "timestamp":
        found.append(prefix)
    elif kind == "structure":
        for name, member in shape.members.items():
            _walk(member, prefix + (name,), found, depth + 1)
    elif kind == "list":
        _walk(shape.member, prefix + ("*",), found, depth + 1)
    elif kind == "map":
        _walk(shape.value, prefix + ("*",), found, depth + 1)


@functools.lru_cache(maxsize=None)
def timestamp_paths(service: str, operation: str, list_key: str) -> Tuple[TimePath, ...]:
    """Every timestamp member of the operation's summary, as paths (top-level ones too)."""
    shape = _summary_shape(service, operation, list_key)
    if shape is None:
        return ()
    found: List[TimePath] = []
    for name, member in shape.members.items():
        _walk(member, (name,), found, 0)
    return tuple(found)


def _rewrite(node: Any, path: TimePath, where: str) -> None:
    head, rest = path[0], path[1:]
    if head == "*":
        children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, child in list(children):
            if rest:
                _rewrite(child, rest, where)
            else:
                node[key] = _as_z(child, where)
        return
    if not isinstance(node, dict) or head not in node:
        return
    if rest:
        _rewrite(node[head], rest, where)
    else:
        node[head] = _as_z(node[head], where)


def _as_z(value: Any, where: str) -> Any:
    if value is None:
        return None
    try:
        return isoformat_z(to_utc(value))
    except (TypeError, ValueError, OverflowError) as exc:
        raise _BadTime(where, str(exc)) from None


class _BadTime(ValueError):
    def __init__(self, where: str, reason: str) -> None:
        super().__init__(reason)
        self.where = where


def compile_detail_times(
    service: str, operation: str, list_key: str, consumed: frozenset
) -> Optional[Callable[[Dict[str, Any]], None]]:
    """A function rewriting nested timestamps of JSON-safe details in place, or None if there are none.

    It raises ValueError with a `where` attribute (the dotted member path) for
    a value that is no time.
    """
    paths = [p for p in timestamp_paths(service, operation, list_key) if p[0] not in consumed]
    if not paths:
        return None
    compiled = [(p, ".".join(p)) for p in paths]

    def rewrite(details: Dict[str, Any]) -> None:
        for path, where in compiled:
            if path[0] in details:
                _rewrite(details, path, where)

    return rewrite


# -- one pass: JSON-safe details with their timestamps rewritten ------------------

_datetime = __import__("datetime").datetime
#: conv(value, secret) -> the JSON-safe value; `secret`: the value sits under a secret key.
Conv = Callable[[Any, bool], Any]


class _Node:
    """A node of the trie of timestamp paths: a timestamp (leaf) or a container of them."""

    def __init__(self) -> None:
        self.leaf = False
        self.children: Dict[str, "_Node"] = {}

    def paths(self) -> List[TimePath]:
        if self.leaf:
            return [()]
        return [(name,) + rest for name, child in self.children.items() for rest in child.paths()]


def _trie(paths: List[TimePath]) -> _Node:
    root = _Node()
    for path in paths:
        node = root
        for part in path:
            node = node.children.setdefault(part, _Node())
        node.leaf = True
    return root


def _plain(value: Any, secret: bool) -> Any:
    """What `json_safe` makes of a value under a key (secret or not)."""
    return REDACTED if secret and type(value) is str else json_safe(value)


def _build(node: _Node, prefix: TimePath) -> Conv:
    """The converter of the values at `node`: json_safe, then the timestamps below rewritten.

    Values of the types botocore gives (dict, list, aware UTC datetime) take a
    direct path; anything else goes through json_safe and the generic rewrite,
    so the result is always `_rewrite` of `json_safe`, as `compile_detail_times`
    makes it.
    """
    if node.leaf:
        where = ".".join(prefix)

        def timestamp(value: Any, secret: bool) -> Any:
            if type(value) is _datetime and value.tzinfo is UTC:
                return value.isoformat()[:-6] + "Z"  # isoformat_z, already in its final form
            return _as_z(_plain(value, secret), where)

        return timestamp

    below = [(path, ".".join(prefix + path)) for path in node.paths()]

    def generic(value: Any, secret: bool) -> Any:
        holder = {"": _plain(value, secret)}
        for path, where in below:
            _rewrite(holder, ("",) + path, where)
        return holder[""]

    if "*" in node.children:  # a list or a map
        element = _build(node.children["*"], prefix + ("*",))

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
            return generic(value, secret)

        return each

    members = {name: (_build(child, prefix + (name,)), is_secret_key(name)) for name, child in node.children.items()}
    return _structure(members, generic)


def _structure(members: Dict[str, Tuple[Conv, bool]], generic: Conv) -> Conv:
    get = members.get

    def structure(value: Any, secret: bool) -> Any:
        if type(value) is not dict:
            return generic(value, secret)
        out = {}
        for k, v in value.items():
            member = get(k) if type(k) is str else None
            if member is not None:
                out[k] = member[0](v, member[1])
                continue
            if type(k) is not str:
                k = str(k)
            kind = type(v)
            if kind is str:
                out[k] = REDACTED if secret_value(k, v) else v
            elif v is None or kind is int or kind is bool:
                out[k] = v
            else:
                out[k] = json_safe(v)
        return out

    return structure


def compile_details(
    service: str, operation: str, list_key: str, consumed: frozenset
) -> Callable[[Dict[str, Any]], Dict[str, Any]]:
    """details -> JSON-safe details with nested timestamps as ISO 8601 Z, in one pass.

    The same as `json_safe` followed by `compile_detail_times`'s rewrite, the
    same errors included (ValueError with `where`), at about half the cost:
    the shape's timestamp paths are compiled into the walk, and a datetime
    botocore parsed is formatted once rather than formatted, parsed and
    formatted again.
    """
    rewrite = compile_detail_times(service, operation, list_key, consumed)

    def slow(details: Dict[str, Any]) -> Dict[str, Any]:
        safe = json_safe(details)
        if rewrite is not None:
            rewrite(safe)
        return safe

    if rewrite is None:
        return json_safe
    paths = [p for p in timestamp_paths(service, operation, list_key) if p[0] not in consumed]
    root = _trie(paths)
    members = {name: (_build(child, (name,)), is_secret_key(name)) for name, child in root.children.items()}
    walk = _structure(members, lambda value, secret: slow(value))

    def details_of(details: Dict[str, Any]) -> Dict[str, Any]:
        if type(details) is not dict:
            return slow(details)
        try:
            return walk(details, False)
        except _BadTime:
            # Raise what the two-pass rewrite raises: the first bad path in model order.
            return slow(details)

    return details_of
