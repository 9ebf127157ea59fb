"""JSON Lines: one `jobinventory.to_dict` record per line, written as jobs arrive."""
from __future__ import annotations

from typing import Iterable, TextIO

from ..model import Job
from .encoders import json_lines, write_lines
from .json import dumps_record

__all__ = ["write"]


def write(jobs: Iterable[Job], stream: TextIO) -> int:
    """Write one record per line; return the number of jobs."""
    return write_lines(jobs, json_lines(dumps_record), stream.write)
