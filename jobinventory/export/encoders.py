"""A plain Job as one JSON line or one CSV row, assembled from pieces (the exports' hot path).

`json_lines()` and `csv_rows()` each give a function `job -> str`: the
compact JSON of `to_dict(job)` (jsonl, json) or the CSV row of its cells
with its `\\r\\n` (csv), exactly the bytes the generic path writes
(`export.json.dumps_record`, `csv.writer` over `export.csv.row`), for
half the CPU:

- the values jobs share (service, operation, job type, status, region,
  account) are encoded once per export and kept by value;
- timestamps are what `isoformat()` of the aware UTC datetime gives, its
  `+00:00` made `Z`: each day's date formatted once, the time from a table
  of two-digit strings, an `ended_at` that is the `updated_at` object once
  for both; they need no JSON escaping or CSV quoting;
- each line is one f-string (a third of `%` formatting's time);
- `details` is encoded once by the C JSON encoder (normalize made it JSON
  types already), with no converter walk and no copy;
- a CSV cell is neutralised (`export.csv.neutralise`) only when its first
  character could start a formula, and quoted as the csv module's `excel`
  dialect would (a comma, a quote, `\\r` or `\\n`: quoted, quotes doubled).

Anything else goes the generic way, job by job: a Job subclass, a timestamp
that is not an aware UTC `datetime`, `details` that is not a dict or holds
anything but JSON types. The caches live as long as the function returned.
`write_lines` writes a list's lines CHUNK at a time (one call of the text
stream's `write` per chunk, not two per job), an iterator's line by line.
"""
from __future__ import annotations

import csv as _csv
import datetime as _dt
import functools
import io
import json as _json
from json import encoder as _encoder
from typing import Any, Callable, Dict, Iterable, Optional, Tuple

from ..model import Job, JobStatus
from ..timestamps import UTC

__all__ = ["json_lines", "csv_rows", "write_lines", "CHUNK", "details_json", "csv_quoted", "FORMULA_FIRST", "csv_agrees"]

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


class _NotPlain(Exception):
    """A job the hot path leaves to the generic one."""


#: "00" to "59": the time's fields as strings without formatting them.
_TWO_DIGITS = tuple(f"{n:02d}" for n in range(60))


def _iso(value: Any, days: Dict[int, str], quote: str) -> str:
    """An aware UTC datetime as its isoformat() with `+00:00` made `Z`, between `quote`s; `days` keeps
    each day's "YYYY-MM-DDT" (the date and the time formatted apart cost half of isoformat())."""
    if type(value) is not _DATETIME or value.tzinfo is not UTC:
        raise _NotPlain
    ordinal = value.toordinal()
    day = days.get(ordinal)
    if day is None:
        day = days[ordinal] = value.date().isoformat() + "T"
    micro = value.microsecond
    two = _TWO_DIGITS
    if micro:
        return f"{quote}{day}{two[value.hour]}:{two[value.minute]}:{two[value.second]}.{micro:06d}Z{quote}"
    return f"{quote}{day}{two[value.hour]}:{two[value.minute]}:{two[value.second]}Z{quote}"


def _times(job: Job, empty: str, quote: str, days: Dict[int, str]) -> Tuple[str, str, str]:
    """The job's three times as ISO 8601 ending in Z between `quote`s (`empty` for None); an ended_at
    that is the updated_at object (normalize shares them) is formatted once."""
    created, updated, ended = job.created_at, job.updated_at, job.ended_at
    created_text = _iso(created, days, quote)
    updated_text = empty if updated is None else _iso(updated, days, quote)
    if ended is None:
        return created_text, updated_text, empty
    return created_text, updated_text, updated_text if ended is updated else _iso(ended, days, quote)


def _json_optional(value: Optional[str]) -> str:
    return "null" if value is None else _string(value)


def _shared_json(key: tuple) -> tuple:
    """The JSON of (service, operation, job_type), (status, raw_status), (region, account_id)."""
    service, operation, job_type, status, raw_status, region, account_id = key
    return ('%s,"operation":%s,"job_type":%s' % (_string(service), _string(operation), _string(job_type)),
            '%s,"raw_status":%s' % (_string(status._value_), _string(raw_status)),
            '%s,"account_id":%s' % (_json_optional(region), _json_optional(account_id)))


_PASS = (TypeError, ValueError, RecursionError, _NotPlain)


def json_lines(generic: Callable[[Job], str], end: str = "\n") -> Callable[[Job], str]:
    """A function giving each job's compact to_dict JSON followed by `end`; `generic(job)` (the JSON)
    for jobs this path does not take."""
    memo: Dict[Any, tuple] = {}
    get = memo.get
    days: Dict[int, str] = {}

    def line(job: Job) -> str:
        if type(job) is not Job or type(job.status) is not JobStatus:
            return generic(job) + end
        try:
            created, updated, ended = _times(job, "null", '"', days)
            details = details_json(job.details)
        except _PASS:
            return generic(job) + end
        key = (job.service, job.operation, job.job_type, job.status, job.raw_status, job.region, job.account_id)
        shared = get(key)
        if shared is None:
            shared = memo[key] = _shared_json(key)
        job_id, arn, name = _string(job.job_id), job.arn, job.name
        arn = "null" if arn is None else _string(arn)
        name = "null" if name is None else _string(name)
        message, source, destination = job.message, job.source, job.destination
        message = "null" if message is None else _string(message)
        source = "null" if source is None else _string(source)
        destination = "null" if destination is None else _string(destination)
        # An f-string, not %: a third of the time (no argument tuple, no format parsing).
        return (f'{{"service":{shared[0]},"job_id":{job_id},"arn":{arn},"name":{name},"status":{shared[1]},'
                f'"created_at":{created},"updated_at":{updated},"ended_at":{ended},"region":{shared[2]},'
                f'"message":{message},"source":{source},"destination":{destination},"details":{details}}}{end}')

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


def csv_rows(generic: Callable[[Job], Iterable[str]], neutralise: Callable[[str], str]) -> Callable[[Job], str]:
    """A function giving each job's CSV row and `\\r\\n`; `generic(job)` (the cells, written by csv.writer)
    for jobs this path does not take. `neutralise` is export.csv's."""
    memo: Dict[Any, tuple] = {}
    get = memo.get
    days: Dict[int, str] = {}
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
            created, updated, ended = _times(job, "", "", days)
            details = csv_quoted(details_json(job.details))
        except _PASS:
            return slow(job)
        key = (job.service, job.operation, job.job_type, job.status, job.raw_status, job.region, job.account_id)
        shared = get(key)
        if shared is None:
            cells = [_csv_cell(v, neutralise) for v in key[:3] + (key[3]._value_,) + key[4:]]
            shared = memo[key] = (",".join(cells[:3]), ",".join(cells[3:5]), ",".join(cells[5:]))
        job_id, arn, name = _csv_cell(job.job_id, neutralise), job.arn, job.name
        arn = "" if arn is None else _csv_cell(arn, neutralise)
        name = "" if name is None else _csv_cell(name, neutralise)
        message, source, destination = job.message, job.source, job.destination
        message = "" if message is None else _csv_cell(message, neutralise)
        source = "" if source is None else _csv_cell(source, neutralise)
        destination = "" if destination is None else _csv_cell(destination, neutralise)
        return (f"{shared[0]},{job_id},{arn},{name},{shared[1]},{created},{updated},{ended},{shared[2]},"
                f"{message},{source},{destination},{details}\r\n")

    return row


#: Lines of a list of jobs joined into one write: the text stream's per-call cost once per chunk.
CHUNK = 128


def write_lines(jobs: Iterable[Job], line: Callable[[Job], str], put: Callable[[str], Any]) -> int:
    """`put` the `line` of each job; return how many. Jobs that arrive (an iterator) are written one
    by one, each before the next is asked for; a list or tuple (all there already) CHUNK at a time."""
    if not isinstance(jobs, (list, tuple)):
        count = 0
        for job in jobs:
            put(line(job))
            count += 1
        return count
    for start in range(0, len(jobs), CHUNK):
        put("".join([line(job) for job in jobs[start:start + CHUNK]]))
    return len(jobs)


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
