"""Read a saved jsonl export (one `to_dict` record per line) back into Jobs."""
from __future__ import annotations

import json
import os
from typing import IO, Iterable, List, Union

from ..convert import from_dict
from ..errors import JobInventoryError
from ..inventory import sort_key
from ..model import Job

__all__ = ["ReportInputError", "read_jsonl", "load_jsonl"]


class ReportInputError(JobInventoryError, ValueError):
    """A saved inventory that cannot be read; the message names file and line."""


def read_jsonl(lines: Iterable[str], *, name: str = "<input>") -> List[Job]:
    """Jobs from jsonl text, sorted the contract's way (newest first).

    Blank lines are skipped. A line that is not JSON, not an object, or not
    a job record raises ReportInputError naming `name` and the line number.
    """
    jobs: List[Job] = []
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        if not text:
            continue
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ReportInputError(f"{name} line {number}: not JSON (column {exc.colno}): {exc.msg}") from None
        except ValueError as exc:  # e.g. a number too long to convert
            raise ReportInputError(f"{name} line {number}: not JSON: {exc}") from None
        if not isinstance(data, dict):
            raise ReportInputError(
                f"{name} line {number}: not a job record: a JSON {type(data).__name__}, not an object"
            )
        try:
            jobs.append(from_dict(data))
        except JobInventoryError as exc:
            raise ReportInputError(f"{name} line {number}: {exc}") from None
    jobs.sort(key=sort_key)
    return jobs


def load_jsonl(source: Union[str, "os.PathLike[str]", IO[str]]) -> List[Job]:
    """Jobs from a jsonl file (a path, or an open text file such as stdin)."""
    if hasattr(source, "read"):
        return read_jsonl(source, name=getattr(source, "name", "<input>"))  # type: ignore[arg-type]
    path = os.fspath(source)  # type: ignore[arg-type]
    try:
        with open(path, encoding="utf-8") as handle:
            return read_jsonl(handle, name=path)
    except OSError as exc:
        raise ReportInputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise ReportInputError(f"{path}: not UTF-8 text: {exc.reason}") from None
