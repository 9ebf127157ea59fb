"""Changes of the store (`jobinventory changes`) as a table, JSON, JSON Lines or CSV.

A change's record: change_id, sync_id, observed_at (ISO 8601 UTC, `Z`),
kind (new, status, gone), from_status, to_status, then the job's record as
`to_dict` gives it under `job` (json, jsonl) or its main fields as columns
(csv: service, job_id, operation, job_type, name, region, account_id,
status, message; table: fewer, for people). Knows nothing of AWS.
"""
from __future__ import annotations

import csv as _csv
import json as _json
from typing import Any, Dict, Iterable, List, TextIO

from ..convert import to_dict
from ..timestamps import isoformat_z
from .csv import cell
from .table import clean

__all__ = ["FORMATS", "record", "write"]

FORMATS = ("table", "json", "jsonl", "csv")
_CHANGE = ("change_id", "sync_id", "observed_at", "kind", "from_status", "to_status")
_JOB_COLUMNS = ("service", "job_id", "operation", "job_type", "name", "region", "account_id", "status", "message")
CSV_COLUMNS = _CHANGE + _JOB_COLUMNS


def record(change: Any) -> Dict[str, Any]:
    """One change as a JSON-safe dict: the change's fields, then `job` (to_dict)."""
    data: Dict[str, Any] = {name: getattr(change, name) for name in _CHANGE}
    data["observed_at"] = isoformat_z(change.observed_at)
    data["job"] = to_dict(change.job)
    return data


def _csv_row(change: Any) -> List[str]:
    data = record(change)
    job = data.pop("job")
    return [cell(data[name]) for name in _CHANGE] + [cell(job[name]) for name in _JOB_COLUMNS]


def _table(changes: List[Any], stream: TextIO) -> None:
    headers = ("OBSERVED (UTC)", "KIND", "FROM", "TO", "SERVICE", "REGION", "NAME")
    rows = [(c.observed_at.strftime("%Y-%m-%d %H:%M"), c.kind, c.from_status or "-", c.to_status or "-",
             c.service, c.job.region or "-", clean(c.job.name or c.job_id.rsplit("/", 1)[-1]))
            for c in changes]
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]
    for line in [headers] + rows:
        stream.write("  ".join(v.ljust(w) for v, w in zip(line, widths)).rstrip() + "\n")
    stream.write(f"{len(rows)} change{'s' if len(rows) != 1 else ''}\n")


def write(changes: Iterable[Any], fmt: str, stream: TextIO) -> int:
    """Write the changes (newest first, as given) in `fmt`; return how many."""
    items = list(changes)
    if fmt == "json":
        _json.dump([record(c) for c in items], stream, ensure_ascii=False, indent=2)
        stream.write("\n")
    elif fmt == "jsonl":
        for change in items:
            stream.write(_json.dumps(record(change), ensure_ascii=False, separators=(",", ":")) + "\n")
    elif fmt == "csv":
        writer = _csv.writer(stream)
        writer.writerow(CSV_COLUMNS)
        writer.writerows(_csv_row(c) for c in items)
    elif fmt == "table":
        _table(items, stream)
    else:
        raise ValueError(f"unknown changes format {fmt!r}; one of {', '.join(FORMATS)}")
    return len(items)
