"""JSON: one array of records, each exactly as `jobinventory.to_dict` gives it.

Every record validates against schemas/job.schema.json. The array is
written one record per line as jobs arrive, so it never needs the whole
inventory in memory.
"""
from __future__ import annotations

import json as _json
from typing import Iterable, TextIO

from ..convert import record, to_dict
from ..model import Job
from .encoders import json_lines

__all__ = ["dumps_record", "write"]


def dumps_record(job: Job) -> str:
    """One job as compact JSON (UTF-8 text, keys in field order): `to_dict(job)` serialised."""
    try:
        # The job's own details, not a copy: normalize made them JSON types already.
        return _dumps(record(job))
    except TypeError:  # details the encoder does not know (a datetime, a set...): the converter's way
        return _dumps(to_dict(job))


_dumps = _json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def write(jobs: Iterable[Job], stream: TextIO) -> int:
    """Write `[`, one record per line, `]`; return the number of jobs."""
    record_json = json_lines(dumps_record, end="")
    count = 0
    stream.write("[")
    for job in jobs:
        stream.write(",\n" if count else "\n")
        stream.write(record_json(job))
        count += 1
    stream.write("\n]\n" if count else "]\n")
    return count
