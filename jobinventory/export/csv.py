"""CSV: one row per job, the Job fields as columns in a fixed order.

Columns (`COLUMNS`, the order of `jobinventory.convert.FIELDS`):

    service, operation, job_type, job_id, arn, name, status, raw_status,
    created_at, updated_at, ended_at, region, account_id, message, source,
    destination, details

Values are as `to_dict` gives them: timestamps ISO 8601 UTC ending in `Z`,
the status its value, `details` a compact JSON object, None an empty cell.
UTF-8, a header row, RFC 4180 (the csv module's `excel` dialect: `\\r\\n`
line ends, fields quoted where they hold a comma, a quote or a line break).

Job names and messages are user-controlled: a cell a spreadsheet would run as
a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return, or
their full-width forms, after any spaces or line breaks) is neutralised with
a leading single quote.
"""
from __future__ import annotations

import csv as _csv
import datetime as _dt
import json as _json
from typing import Any, Iterable, List, Optional, TextIO

from ..convert import FIELDS, to_dict
from ..model import Job, JobStatus
from ..timestamps import isoformat_z
from .encoders import csv_agrees, csv_rows, write_lines

__all__ = ["COLUMNS", "FORMULA_PREFIXES", "neutralise", "cell", "row", "write"]

COLUMNS = FIELDS

#: First characters that make a spreadsheet read a cell as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def neutralise(text: str) -> str:
    """`text` with a leading `'` if a spreadsheet would run it as a formula (spreadsheets skip
    leading spaces and line breaks before `=`: so does this)."""
    if text.startswith(FORMULA_PREFIXES) or text[:1].isspace() and text.lstrip().startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def cell(value: Any) -> str:
    """One to_dict value as a CSV cell (None is empty, mappings compact JSON)."""
    if value is None:
        return ""
    if isinstance(value, str):
        text = value
    elif isinstance(value, (dict, list)):
        text = _json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    else:
        text = str(value)
    return neutralise(text)


def row(job: Job) -> List[str]:
    """The job's cells in COLUMNS order."""
    if type(job) is Job and type(job.details) is dict and type(job.status) is JobStatus:
        try:
            # The job's own details, not a copy: normalize made them JSON types already.
            details = _dumps(job.details)
        except TypeError:  # details the encoder does not know (a datetime, a set...): the converter's way
            pass
        else:
            return _row(job, details)
    record = to_dict(job)
    return [cell(record[name]) for name in COLUMNS]


_dumps = _json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _text(value: Optional[str]) -> str:
    if value is None:
        return ""
    return neutralise(value)


def _time(value: Optional[_dt.datetime]) -> str:
    return "" if value is None else isoformat_z(value)


def _row(job: Job, details: str) -> List[str]:
    """`cell` of each to_dict value of a plain Job, built from the job itself (same cells)."""
    return [
        _text(job.service), _text(job.operation), _text(job.job_type), _text(job.job_id), _text(job.arn),
        _text(job.name), job.status._value_, _text(job.raw_status), _time(job.created_at),
        _time(job.updated_at), _time(job.ended_at), _text(job.region), _text(job.account_id),
        _text(job.message), _text(job.source), _text(job.destination), details,
    ]


def write(jobs: Iterable[Job], stream: TextIO, *, header: bool = True) -> int:
    """Write a header and one row per job as each arrives; return the number of jobs."""
    # The excel dialect's \r\n line end also makes the writer quote any cell
    # holding a lone \r, which a \n terminator would leave bare.
    writer = _csv.writer(stream)
    if header:
        writer.writerow(COLUMNS)
    count = 0
    if not csv_agrees():  # a csv module that quotes otherwise: its writer for every row
        for job in jobs:
            writer.writerow(row(job))
            count += 1
        return count
    return write_lines(jobs, csv_rows(row, neutralise), stream.write)
