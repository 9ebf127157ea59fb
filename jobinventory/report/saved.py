"""Read a saved export back into Jobs: jsonl (one `to_dict` record per line) or json (one array)."""
from __future__ import annotations

import json
import os
from typing import IO, Iterable, List, Union

import attrs

from ..convert import from_dict
from ..errors import JobInventoryError
from ..inventory import sort_jobs
from ..model import Job
from ..redact import redact_text

__all__ = ["ReportInputError", "read_jsonl", "read_json_array", "load_jsonl"]


class ReportInputError(JobInventoryError, ValueError):
    """A saved inventory that cannot be read; the message names file and line."""


def _record(data: dict) -> Job:
    """The Job of a saved record, its free text redacted (an export of an older version may carry
    a presigned URL in a message: the page must not show it)."""
    job = from_dict(data)
    clean = {name: redact_text(getattr(job, name)) for name in ("message", "source", "destination")}
    if any(clean[name] != getattr(job, name) for name in clean):
        job = attrs.evolve(job, **clean)
    return job


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
            jobs.append(_record(data))
        except JobInventoryError as exc:
            raise ReportInputError(f"{name} line {number}: {exc}") from None
    return sort_jobs(jobs)


def read_json_array(text: str, *, name: str = "<input>") -> List[Job]:
    """Jobs from a `--format json` export (one array of records), sorted newest first."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise ReportInputError(f"{name}: not a JSON array of job records ({exc}); "
                               "give a --format json or --format jsonl export") from None
    if not isinstance(data, list):
        raise ReportInputError(f"{name}: not a JSON array of job records")
    jobs: List[Job] = []
    for index, record in enumerate(data):
        if not isinstance(record, dict):
            raise ReportInputError(f"{name} item {index}: not a job record: a JSON {type(record).__name__}")
        try:
            jobs.append(_record(record))
        except JobInventoryError as exc:
            raise ReportInputError(f"{name} item {index}: {exc}") from None
    return sort_jobs(jobs)


def _read(handle: IO[str], name: str) -> List[Job]:
    first = handle.read(1)
    while first and first.isspace():
        first = handle.read(1)
    if first == "[":  # a --format json export
        return read_json_array(first + handle.read(), name=name)
    return read_jsonl(_prepend(first, handle), name=name)


def _prepend(first: str, handle: IO[str]) -> Iterable[str]:
    lines = iter(handle)
    head = next(lines, "")
    yield first + head
    yield from lines


def load_jsonl(source: Union[str, "os.PathLike[str]", IO[str]]) -> List[Job]:
    """Jobs from a saved export, jsonl or json (a path, or an open text file such as stdin)."""
    if hasattr(source, "read"):
        return _read(source, getattr(source, "name", "<input>"))  # type: ignore[arg-type]
    path = os.fspath(source)  # type: ignore[arg-type]
    try:
        with open(path, encoding="utf-8") as handle:
            return _read(handle, path)
    except OSError as exc:
        raise ReportInputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise ReportInputError(f"{path}: not UTF-8 text: {exc.reason}") from None
