"""A plain Job as one JSON line or one CSV row, assembled from pieces (the exports' hot path).

`json_lines()` and `csv_rows()` each give a function `job -> str`: the
compact JSON of `to_dict(job)` (jsonl, json) or the CSV row of its cells
with its `\\r\\n` (csv), exactly the bytes the generic path writes
(`export.json.dumps_record`, `csv.writer` over `export.csv.row`), for a
third of the CPU:

- the values jobs share (service, operation, job type, status, region,
  account) are encoded once per export and kept by value;
- timestamps are `isoformat()` of the aware UTC datetime with its `+00:00`
  made `Z`, and never need JSON escaping or CSV quoting;
- `details` is encoded once by the C JSON encoder (normalize made it JSON
  types already), with no converter walk and no copy;
- a CSV cell is neutralised (`export.csv.neutralise`) only when its first
  character could start a formula, and quoted as the csv module's `excel`
  dialect would (a comma, a quote, `\\r` or `\\n`: quoted, quotes doubled).

Anything else goes the generic way, job by job: a Job subclass, a timestamp
that is not an aware UTC `datetime`, `details` that is not a dict or holds
anything but JSON types. The caches live as long as the function returned.
"""
from __future__ import annotations

import csv as _csv
import datetime as _dt
import functools
import io
import json as _json
from json import encoder as _encoder
from typing import Any, Callable, Dict, Iterable, Optional

from ..model import Job, JobStatus
from ..timestamps import UTC

__all__ = ["json_lines", "csv_rows", "details_json", "csv_quoted", "FORMULA_FIRST", "csv_agrees"]

_DATETIME = _dt.datetime


def _not_json(value: Any) -> Any:
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _details_encoder() -> Callable[[Any], str]:
    """Compact JSON, non-ASCII kept, no circularity check (a cycle fails with RecursionError instead)."""
    make = getattr(_encoder, "c_make_encoder", None)
    if make is not None:
        try:
            encode = make(None, _not_json, _encoder.c_encode_basestring, None, ":", ",", False, False, True)
        except TypeError:  # another signature: the Python encoder below
            pass
        else:
            return lambda value: "".join(encode(value, 0))
    return _json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False).encode


_encode_details = _details_encoder()
_string = getattr(_encoder, "c_encode_basestring", None) or _encoder.py_encode_basestring


def details_json(details: Any) -> str:
    """`details` (a dict) as compact JSON; TypeError, ValueError or RecursionError where it is not JSON types."""
    if type(details) is not dict:
        raise TypeError("details is not a dict")
    return _encode_details(details) if details else "{}"


def _stamp(value: Optional[_dt.datetime], empty: str, quote: str) -> str:
    """An aware UTC datetime as ISO 8601 ending in Z, between `quote`s; `empty` for None."""
    if value is None:
        return empty
    if type(value) is not _DATETIME or value.tzinfo is not UTC:
        raise TypeError("not an aware UTC datetime")
    return quote + value.isoformat()[:-6] + "Z" + quote


def _json_optional(value: Optional[str]) -> str:
    return "null" if value is None else _string(value)


_JSON_LINE = ('{"service":%s,"job_id":%s,"arn":%s,"name":%s,"status":%s,"created_at":%s,"updated_at":%s,'
              '"ended_at":%s,"region":%s,"message":%s,"source":%s,"destination":%s,"details":%s}')


def _shared_json(key: tuple) -> tuple:
    """The JSON of (service, operation, job_type), (status, raw_status), (region, account_id)."""
    service, operation, job_type, status, raw_status, region, account_id = key
    return ('%s,"operation":%s,"job_type":%s' % (_string(service), _string(operation), _string(job_type)),
            '%s,"raw_status":%s' % (_string(status._value_), _string(raw_status)),
            '%s,"account_id":%s' % (_json_optional(region), _json_optional(account_id)))


def json_lines(generic: Callable[[Job], str], end: str = "\n") -> Callable[[Job], str]:
    """A function giving each job's compact to_dict JSON followed by `end`; `generic(job)` (the JSON)
    for jobs this path does not take."""
    memo: Dict[Any, tuple] = {}
    get = memo.get
    template = _JSON_LINE + end

    def line(job: Job) -> str:
        if type(job) is not Job or type(job.status) is not JobStatus:
            return generic(job) + end
        try:
            created = _stamp(job.created_at, "", '"')
            if not created:
                raise TypeError("no creation time")
            details = details_json(job.details)
            times = (created, _stamp(job.updated_at, "null", '"'), _stamp(job.ended_at, "null", '"'))
        except (TypeError, ValueError, RecursionError):
            return generic(job) + end
        key = (job.service, job.operation, job.job_type, job.status, job.raw_status, job.region, job.account_id)
        shared = get(key)
        if shared is None:
            shared = memo[key] = _shared_json(key)
        return template % (
            shared[0], _string(job.job_id), _json_optional(job.arn), _json_optional(job.name), shared[1], *times,
            shared[2], _json_optional(job.message), _json_optional(job.source), _json_optional(job.destination),
            details,
        )

    return line


#: The first characters after which `export.csv.neutralise` may change a cell: a formula prefix, or
#: whitespace (str.isspace; a test checks the set against every code point).
FORMULA_FIRST = frozenset(
    ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")
    + tuple("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000")
    + tuple(chr(c) for c in range(0x2000, 0x200B))
)


def csv_quoted(text: str) -> str:
    """`text` as the excel dialect writes a cell (QUOTE_MINIMAL, quotes doubled)."""
    if '"' in text:
        return '"' + text.replace('"', '""') + '"'
    if "," in text or "\n" in text or "\r" in text:
        return '"' + text + '"'
    return text


def _csv_cell(text: Optional[str], neutralise: Callable[[str], str]) -> str:
    if text is None:
        return ""
    if text[:1] in FORMULA_FIRST:
        text = neutralise(text)
    return csv_quoted(text)


_CSV_ROW = "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\r\n"


def csv_rows(generic: Callable[[Job], Iterable[str]], neutralise: Callable[[str], str]) -> Callable[[Job], str]:
    """A function giving each job's CSV row and `\\r\\n`; `generic(job)` (the cells, written by csv.writer)
    for jobs this path does not take. `neutralise` is export.csv's."""
    memo: Dict[Any, str] = {}
    get = memo.get
    out = io.StringIO()
    writer = _csv.writer(out)

    def slow(job: Job) -> str:
        out.seek(0)
        out.truncate()
        writer.writerow(generic(job))
        return out.getvalue()

    def row(job: Job) -> str:
        if type(job) is not Job or type(job.status) is not JobStatus:
            return slow(job)
        try:
            created = _stamp(job.created_at, "", "")
            if not created:
                raise TypeError("no creation time")
            details = csv_quoted(details_json(job.details))
            times = (created, _stamp(job.updated_at, "", ""), _stamp(job.ended_at, "", ""))
        except (TypeError, ValueError, RecursionError):
            return slow(job)
        key = (job.service, job.operation, job.job_type, job.status, job.raw_status, job.region, job.account_id)
        shared = get(key)
        if shared is None:
            cells = [_csv_cell(v, neutralise) for v in key[:3] + (key[3]._value_,) + key[4:]]
            shared = memo[key] = (",".join(cells[:3]), ",".join(cells[3:5]), ",".join(cells[5:]))
        return _CSV_ROW % (
            shared[0], _csv_cell(job.job_id, neutralise), _csv_cell(job.arn, neutralise),
            _csv_cell(job.name, neutralise), shared[1], *times, shared[2], _csv_cell(job.message, neutralise),
            _csv_cell(job.source, neutralise), _csv_cell(job.destination, neutralise), details,
        )

    return row


#: Cells whose quoting decides whether csv_quoted writes what this Python's csv module writes.
_PROBES = ("", "a", "a,b", 'a"b', '"', "a\rb", "a\nb", "\r\n", " a ", "a\tb", "a;b", "\x00", "\x0b", "\x1c",
           "\x85", "\u2028", "é", "'=1", "{\"k\":\"v\"}", "a\\b", " ", "#")


@functools.lru_cache(maxsize=None)
def csv_agrees() -> bool:
    """Whether csv_quoted matches this Python's csv.writer (excel dialect) on every probe."""
    for probe in _PROBES:
        out = io.StringIO()
        _csv.writer(out).writerow([probe, probe])
        if out.getvalue() != f"{csv_quoted(probe)},{csv_quoted(probe)}\r\n":
            return False
    return True
