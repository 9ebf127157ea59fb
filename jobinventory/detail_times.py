"""Timestamps nested in `details`, found from botocore's model of the summary.

boto3 hands nested timestamps over as datetimes, a saved AWS CLI or REST
response as ISO strings or epoch numbers. So that `details` is the same
whichever way a summary arrives, every member the model types as a
timestamp is rewritten as ISO 8601 UTC with a `Z`.
"""
from __future__ import annotations

import functools
from typing import Any, Callable, Dict, List, Optional, Tuple

from .timestamps import isoformat_z, to_utc

__all__ = ["timestamp_paths", "compile_detail_times"]

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
