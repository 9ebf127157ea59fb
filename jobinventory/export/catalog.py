"""The covered operations (`operations.OperationRow`) as a table, JSON or CSV.

JSON is a list of objects (service, operation, job_type, regions as a list,
description); CSV has those columns, regions space-separated; the table
counts the regions and shortens descriptions.
"""
from __future__ import annotations

import csv
import json
from typing import Any, Dict, List, Sequence, TextIO

from . import table
from .csv import cell

__all__ = ["FORMATS", "COLUMNS", "records", "write"]

FORMATS = ("table", "json", "csv")
COLUMNS = ("service", "operation", "job_type", "regions", "description")


def records(rows: Sequence[Any]) -> List[Dict[str, Any]]:
    """Plain dicts of the rows, in COLUMNS order (regions a list)."""
    return [
        {"service": r.service, "operation": r.operation, "job_type": r.job_type,
         "regions": list(r.regions), "description": r.description}
        for r in rows
    ]


def write(rows: Sequence[Any], format: str, stream: TextIO) -> None:
    """Write `rows` to `stream` in `format` (one of FORMATS)."""
    if format == "json":
        json.dump(records(rows), stream, indent=2)
        stream.write("\n")
    elif format == "csv":
        writer = csv.writer(stream)
        writer.writerow(COLUMNS)
        for row in records(rows):
            writer.writerow([cell(" ".join(row[k]) if k == "regions" else row[k]) for k in COLUMNS])
    elif format == "table":
        table.render(
            ("SERVICE", "OPERATION", "JOB TYPE", "REGIONS", "DESCRIPTION"),
            [(r.service, r.operation, r.job_type or "(per job)", str(len(r.regions)),
              table.clean(r.description or "", 60)) for r in rows],
            stream, right=(3,),
        )
    else:
        raise ValueError(f"unknown format {format!r}; one of: {', '.join(FORMATS)}")
