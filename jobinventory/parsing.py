"""botocore's JSON response parsers, with the walk over each shape compiled once.

botocore parses a response by walking the output shape for every value:
a `getattr` on the parser by the shape's type name, the member shapes and
their serialization names looked up again for every summary. For a page of
a thousand summaries that walk costs more than the HTTP call and
`json.loads` together.

`ParserFactory` is a `botocore.parsers.ResponseParserFactory` whose JSON and
REST-JSON parsers are botocore's own classes with one method overridden,
`_parse_shape`: the first time a shape is met, it is compiled into a
function doing exactly what botocore's handler for that shape does (the
member list, serialization names, list and map element functions fixed up
front); later values of that shape go straight through it. Everything
else (HTTP, headers, errors, metadata, event streams, tagged unions,
document types) stays botocore's. Parsed responses are equal to what the
stock parser gives with the same timestamp parser; a test proves it for
every covered operation.

A structure whose keys are all modeled, under their own names, and none
null (nearly every summary) is not copied: the members that change
(timestamps, nested structures, lists) are rewritten in the object
`json.loads` just made, so its keys keep the order the service sent them
(botocore's copy takes the model's order; the values are the same).

Two differences, so that one bad summary does not cost its page: a value
that should be a structure and is not (a null, number or string where a job
summary belongs) is kept as it is, and a timestamp that cannot be read is
kept as its wire value; the summary's adapter then names the item and
field. A body that cannot be read at all raises botocore's
ResponseParserError (stock botocore leaks an AttributeError or TypeError).
"""
from __future__ import annotations

from typing import Any, Callable, Dict, Optional

from botocore import parsers as _parsers
from botocore.utils import is_json_value_header

__all__ = ["ParserFactory", "FastJSONParser", "FastRestJSONParser"]

#: compiled(parser, node) -> parsed value
Compiled = Callable[[Any, Any], Any]
_ATTR = "_jobinventory_parse"


def _compiled(cls: type, shape: Any) -> Compiled:
    """The compiled function of `shape` for parser class `cls` (cached on the shape)."""
    cache: Optional[Dict[type, Compiled]] = shape.__dict__.get(_ATTR)
    if cache is None:
        cache = shape.__dict__[_ATTR] = {}
    fn = cache.get(cls)
    if fn is None:
        fn = cache[cls] = _compile(cls, shape)
    return fn


def _resolved(cls: type, shape: Any) -> Compiled:
    """botocore's own handler of the shape's type, looked up once (the generic case)."""
    handler = getattr(cls, f"_handle_{shape.type_name}", None)
    if handler is None:
        handler = cls._default_handle
        if handler is _parsers.ResponseParser._default_handle:
            return _identity
    return lambda parser, node: handler(parser, shape, node)


def _identity(parser: Any, node: Any) -> Any:
    return node


def _element(cls: type, shape: Any) -> Optional[Compiled]:
    """The function of a member or element shape; None where it is the identity."""
    fn = _compiled(cls, shape)
    return None if fn is _identity else fn


def _compile(cls: type, shape: Any) -> Compiled:
    kind = shape.type_name
    handler = getattr(cls, f"_handle_{kind}", None)
    if kind == "structure" and handler is _parsers.BaseJSONParser._handle_structure:
        return _structure(cls, shape)
    if kind == "list" and handler in (_parsers.ResponseParser._handle_list, _parsers.BaseRestParser._handle_list):
        if shape.serialization.get("location") is None:
            return _list(cls, shape)
    elif kind == "map" and handler is _parsers.BaseJSONParser._handle_map:
        return _map(cls, shape)
    elif kind == "timestamp" and handler is _parsers.BaseJSONParser._handle_timestamp:
        return _timestamp
    elif kind == "string" and handler is _parsers.BaseRestParser._handle_string:
        if not is_json_value_header(shape):
            return _identity
    return _resolved(cls, shape)


def _timestamp(parser: Any, node: Any) -> Any:
    try:
        return parser._timestamp_parser(node)
    except (TypeError, ValueError, OverflowError):
        return node  # left for the adapter to name


def _structure(cls: type, shape: Any) -> Compiled:
    generic = getattr(cls, "_handle_structure")
    if shape.is_document_type:
        return lambda parser, node: generic(parser, shape, node)
    tagged = shape.is_tagged_union
    plan: Optional[_StructurePlan] = None  # compiled on first use: shapes may be recursive

    def structure(parser: Any, value: Any) -> Any:
        nonlocal plan
        if value is None:
            return None
        if type(value) is not dict:
            return value  # not an object: left for the adapter to name
        if plan is None:
            plan = _StructurePlan(cls, shape)
        if tagged and not _one_known_member(value, plan.wire_names):
            return generic(parser, shape, value)  # botocore's: an error, or its unknown-member answer
        if plan.in_place and value.keys() <= plan.wire_names and None not in value.values():
            # The common case: every key modeled, under its own name, none null. The object
            # is this response's own (fresh from json.loads): only the members that change
            # (timestamps, nested values) are rewritten, the rest stays as it is.
            for name, fn in plan.converting:
                raw = value.get(name)
                if raw is not None:
                    value[name] = fn(parser, raw)
            return value
        parsed = {}
        get = value.get
        for name, wire_name, fn in plan.members:
            raw = get(wire_name)
            if raw is not None:
                parsed[name] = raw if fn is None else fn(parser, raw)
        return parsed

    return structure


class _StructurePlan:
    """A structure's members compiled: (name, wire name, function or None), and what the fast path needs."""

    __slots__ = ("members", "wire_names", "converting", "in_place")

    def __init__(self, cls: type, shape: Any) -> None:
        self.members = [
            (name, member.serialization.get("name", name), _element(cls, member))
            for name, member in shape.members.items()
        ]
        self.wire_names = frozenset(wire for _name, wire, _fn in self.members)
        self.converting = [(name, fn) for name, _wire, fn in self.members if fn is not None]
        # Members serialized under another name are renamed by the full walk only.
        self.in_place = all(name == wire for name, wire, _fn in self.members)


def _one_known_member(value: dict, tags: frozenset) -> bool:
    """A tagged union as it should be: exactly one member, known to the model and set."""
    if len(value) != 1:
        return False
    for key, member in value.items():
        return key in tags and member is not None
    return False


def _list(cls: type, shape: Any) -> Compiled:
    element: Any = False  # compiled on first use

    def each(parser: Any, node: Any) -> Any:
        nonlocal element
        if element is False:
            element = _element(cls, shape.member)
        if type(node) is not list:
            return node  # not a list: left for the caller to refuse
        if element is None:
            return [item for item in node]
        return [None if item is None else element(parser, item) for item in node]

    return each


def _map(cls: type, shape: Any) -> Compiled:
    fns: Any = None

    def mapping(parser: Any, value: Any) -> Any:
        nonlocal fns
        if fns is None:
            fns = (_compiled(cls, shape.key), _compiled(cls, shape.value))
        key, val = fns
        parsed = {}
        for k, v in value.items():
            actual_key = key(parser, k)
            parsed[actual_key] = val(parser, v)
        return parsed

    return mapping


def _parse(parse: Callable[..., Any], response: Any, shape: Any) -> Any:
    try:
        return parse(response, shape)
    except (AttributeError, TypeError, ValueError, KeyError) as exc:
        raise _parsers.ResponseParserError(f"{type(exc).__name__}: {exc}") from exc


class FastJSONParser(_parsers.JSONParser):
    """botocore's JSON ("json" protocol) parser, its shape walk compiled."""

    def parse(self, response: Any, shape: Any) -> Any:
        return _parse(super().parse, response, shape)

    def _parse_shape(self, shape: Any, node: Any) -> Any:
        return _compiled(type(self), shape)(self, node)


class FastRestJSONParser(_parsers.RestJSONParser):
    """botocore's REST-JSON parser, its shape walk compiled."""

    def parse(self, response: Any, shape: Any) -> Any:
        return _parse(super().parse, response, shape)

    def _parse_shape(self, shape: Any, node: Any) -> Any:
        return _compiled(type(self), shape)(self, node)


_FAST = {"json": FastJSONParser, "rest-json": FastRestJSONParser}


class ParserFactory(_parsers.ResponseParserFactory):
    """A ResponseParserFactory giving the compiled JSON and REST-JSON parsers (others: botocore's)."""

    def create_parser(self, protocol_name: str) -> Any:
        cls = _FAST.get(protocol_name)
        if cls is None:
            return super().create_parser(protocol_name)
        return cls(**self._defaults)
