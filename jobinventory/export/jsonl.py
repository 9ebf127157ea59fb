"""JSON Lines: one `jobinventory.to_dict` record per line, written as jobs arrive."""
from __future__ import annotations

from typing import Iterable, TextIO

from ..model import Job
from .json import dumps_record

__all__ = ["write"]


def write(jobs: Iterable[Job], stream: TextIO) -> int:
    """Write one record per line; return the number of jobs."""
    count = 0
    for job in jobs:
        stream.write(dumps_record(job))
        stream.write("\n")
        count += 1
    return count
