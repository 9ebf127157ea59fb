"""JSON: one array of records, each exactly as `jobinventory.to_dict` gives it.

Every record validates against schemas/job.schema.json. The array is
written one record per line as jobs arrive, so it never needs the whole
inventory in memory.
"""
from __future__ import annotations

import json as _json
from typing import Iterable, TextIO

from ..convert import to_dict
from ..model import Job

__all__ = ["dumps_record", "write"]


def dumps_record(job: Job) -> str:
    """One job as compact JSON (UTF-8 text, keys in field order)."""
    return _json.dumps(to_dict(job), ensure_ascii=False, separators=(",", ":"))


def write(jobs: Iterable[Job], stream: TextIO) -> int:
    """Write `[`, one record per line, `]`; return the number of jobs."""
    count = 0
    stream.write("[")
    for job in jobs:
        stream.write(",\n" if count else "\n")
        stream.write(dumps_record(job))
        count += 1
    stream.write("\n]\n" if count else "]\n")
    return count
