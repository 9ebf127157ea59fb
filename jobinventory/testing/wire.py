"""Bytes on the wire: responses and errors per AWS protocol, request parsing.

Output bodies are built from the botocore output shape: member wire names
(``locationName``) and each timestamp member's ``timestampFormat`` (the
protocol's default where the member has none: epoch seconds for ``json`` and
``rest-json`` bodies). An encoder is compiled once per shape, so a page of a
thousand summaries costs a few milliseconds.

Errors follow what botocore's parsers read: ``json`` puts the code in
``__type`` of the body, ``rest-json`` in the ``x-amzn-ErrorType`` header (and
the body's ``message``), ``query`` and ``ec2`` in XML.
"""
from __future__ import annotations

import base64
import datetime as _dt
import functools
import json
from typing import Any, Callable, Mapping
from xml.sax.saxutils import escape

from botocore.utils import parse_timestamp

Encoder = Callable[[Any], Any]

CONTENT_TYPES = {
    "json": "application/x-amz-json-1.1",
    "rest-json": "application/json",
    "query": "text/xml",
    "ec2": "text/xml;charset=UTF-8",
    "rest-xml": "application/xml",
}

_UTC = _dt.timezone.utc


def iso8601(value: _dt.datetime) -> str:
    """``2024-07-03T12:34:56.789Z``: how Bedrock and Data Exchange write times."""
    value = value.astimezone(_UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def epoch_seconds(value: _dt.datetime) -> float:
    return round(value.timestamp(), 3)


_TIMESTAMP_WRITERS: Mapping[str, Encoder] = {
    "iso8601": iso8601,
    "unixTimestamp": epoch_seconds,
    "rfc822": lambda v: v.astimezone(_UTC).strftime("%a, %d %b %Y %H:%M:%S GMT"),
}


@functools.lru_cache(maxsize=None)
def _encoder(shape, default_ts: str) -> Encoder | None:
    """A function turning a boto3-form value of ``shape`` into its JSON form.

    None means the value is already its own JSON form (no timestamps, blobs
    or renamed members inside).
    """
    t = shape.type_name
    if t == "timestamp":
        write = _TIMESTAMP_WRITERS[shape.serialization.get("timestampFormat", default_ts)]
        # A value that is not a datetime (served with validate=False) goes out as it is.
        return lambda v: write(v) if isinstance(v, _dt.datetime) else v
    if t == "blob":
        return lambda v: base64.b64encode(v).decode("ascii")
    if t == "list":
        inner = _encoder(shape.member, default_ts)
        return None if inner is None else (lambda v: [inner(x) for x in v])
    if t == "map":
        inner = _encoder(shape.value, default_ts)
        return None if inner is None else (lambda v: {k: inner(x) for k, x in v.items()})
    if t != "structure":
        return None
    plan = {}
    for name, member in shape.members.items():
        wire = member.serialization.get("name", name)
        enc = _encoder(member, default_ts)
        if wire != name or enc is not None:
            plan[name] = (wire, enc or (lambda v: v))
    if not plan:
        return None

    def encode(value: Mapping[str, Any]) -> dict[str, Any]:
        out = {}
        for k, v in value.items():
            step = plan.get(k)
            if step is None:
                out[k] = v
            else:
                out[step[0]] = step[1](v)
        return out

    return encode


def encoder_for(shape, protocol: str) -> Encoder:
    """Compiled encoder for ``shape`` in ``protocol`` (identity when nothing to do)."""
    return _encoder(shape, "unixTimestamp") or (lambda v: v)


def json_body(obj: Any) -> bytes:
    return json.dumps(obj, separators=(",", ":")).encode("utf-8")


# -- errors ------------------------------------------------------------------
def json_error(code: str, message: str) -> bytes:
    return json_body({"__type": code, "message": message})


def rest_json_error(code: str, message: str) -> bytes:
    return json_body({"message": message})


def query_error(code: str, message: str, request_id: str, *, sender: bool = True) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse><Error>'
        f"<Type>{'Sender' if sender else 'Receiver'}</Type><Code>{escape(code)}</Code>"
        f"<Message>{escape(message)}</Message></Error><RequestId>{request_id}</RequestId></ErrorResponse>"
    ).encode("utf-8")


def ec2_error(code: str, message: str, request_id: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error>'
        f"<Code>{escape(code)}</Code><Message>{escape(message)}</Message></Error></Errors>"
        f"<RequestID>{request_id}</RequestID></Response>"
    ).encode("utf-8")


def error_response(protocol: str, code: str, status: int, message: str, request_id: str) -> tuple[int, dict[str, str], bytes]:
    """(status, headers, body) for an error in ``protocol``."""
    headers = {"Content-Type": CONTENT_TYPES.get(protocol, "application/json")}
    if protocol == "json":
        body = json_error(code, message)
    elif protocol == "rest-json":
        headers["x-amzn-ErrorType"] = code
        body = rest_json_error(code, message)
    elif protocol == "ec2":
        body = ec2_error(code, message, request_id)
    else:  # query and rest-xml: botocore reads <ErrorResponse><Error><Code>
        body = query_error(code, message, request_id, sender=status < 500)
    return status, headers, body


# -- requests ----------------------------------------------------------------
def parse_querystring(input_shape, query: Mapping[str, list[str]]) -> tuple[dict[str, Any], list[str]]:
    """Typed parameters from a rest-json query string, and AWS-style problems.

    Only members the model binds to the query string are read; others are
    ignored, as AWS does.
    """
    params: dict[str, Any] = {}
    problems: list[str] = []
    for name, member in input_shape.members.items():
        loc = member.serialization
        if loc.get("location") != "querystring":
            continue
        raw = query.get(loc.get("name", name))
        if not raw:
            continue
        text = raw[0]
        t = member.type_name
        try:
            if t in ("integer", "long"):
                params[name] = int(text)
            elif t == "timestamp":
                params[name] = parse_timestamp(text)
            elif t == "boolean":
                if text not in ("true", "false"):
                    raise ValueError(text)
                params[name] = text == "true"
            elif t == "list":
                params[name] = list(raw)
            else:
                params[name] = text
        except (ValueError, TypeError, OverflowError):
            problems.append(f"Value '{text}' at '{loc.get('name', name)}' failed to satisfy constraint: "
                            f"Member must be a valid {t}")
    return params, problems


def xml_text(value: Any) -> str:
    return escape(str(value))


def _uri_labels(request_uri: str, path: str) -> dict[str, str]:
    """The ``{label}`` values of a model's requestUri in ``path`` (percent-decoded)."""
    import re
    from urllib.parse import unquote

    parts = re.split(r"(\{[^}]+\})", request_uri.split("?", 1)[0])
    rx = "".join(f"(?P<{p[1:-1].rstrip('+')}>[^/]+)" if p.startswith("{") else re.escape(p) for p in parts if p)
    match = re.match(f"^{rx}/?$", path)
    return {k: unquote(v) for k, v in match.groupdict().items()} if match else {}


def rest_params(spec, url, body: bytes) -> tuple[dict[str, Any], list[str]]:
    """A rest-json request's parameters: URI labels, query string and JSON body members."""
    from urllib.parse import parse_qs

    shape = spec.model.input_shape
    params, problems = parse_querystring(shape, parse_qs(url.query, keep_blank_values=True))
    labels = _uri_labels(spec.model.http["requestUri"], url.path)
    for name, member in shape.members.items():
        if member.serialization.get("location") == "uri":
            wire = member.serialization.get("name", name)
            if wire in labels:
                params[name] = labels[wire]
    if body:
        try:
            payload = json.loads(body)
        except ValueError:
            return params, problems + ["The request body is not valid JSON"]
        if not isinstance(payload, dict):
            return params, problems + ["The request body is not a JSON object"]
        for name, member in shape.members.items():
            wire = member.serialization.get("name", name)
            if member.serialization.get("location") or wire not in payload:
                continue
            value = payload[wire]
            if member.type_name == "timestamp" and value is not None:
                try:
                    value = parse_timestamp(value)
                except (ValueError, TypeError, OverflowError):
                    problems.append(f"Value '{value}' at '{wire}' failed to satisfy constraint: Member must be a valid timestamp")
                    continue
            params[name] = value
    return params, problems
