"""Apache Parquet with real types, for DuckDB, Athena, pandas and Spark.

Needs pyarrow: `pip install 'jobinventory[parquet]'`. Columns are the Job
fields in the order of `jobinventory.convert.FIELDS`:

- `created_at`, `updated_at`, `ended_at`: timestamp[us, tz=UTC]
  (`created_at` is never null);
- `status`: dictionary-encoded string (the unified status value);
- `details`: a compact JSON string, as in the CSV;
- every other column: string (null where the job has no value).

Jobs are written in row groups of `row_group_size` as they arrive, so a
streamed inventory never needs to be held whole.
"""
from __future__ import annotations

import json as _json
from typing import Any, Dict, Iterable, List, Tuple

from ..convert import FIELDS
from ..model import Job
from . import MissingDependencyError

__all__ = ["require_pyarrow", "schema", "write", "TIMESTAMP_FIELDS"]

TIMESTAMP_FIELDS = ("created_at", "updated_at", "ended_at")
ROW_GROUP_SIZE = 50_000


def require_pyarrow() -> Tuple[Any, Any]:
    """(pyarrow, pyarrow.parquet), or MissingDependencyError saying how to install it."""
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise MissingDependencyError(
            "the parquet format needs pyarrow: pip install 'jobinventory[parquet]'"
        ) from None
    return pyarrow, pyarrow.parquet


def schema() -> Any:
    """The pyarrow schema of the export."""
    pa, _ = require_pyarrow()
    fields = []
    for name in FIELDS:
        if name in TIMESTAMP_FIELDS:
            fields.append(pa.field(name, pa.timestamp("us", tz="UTC"), nullable=name != "created_at"))
        elif name == "status":
            fields.append(pa.field(name, pa.dictionary(pa.int32(), pa.string()), nullable=False))
        elif name in ("service", "operation", "job_type", "job_id", "raw_status", "details"):
            fields.append(pa.field(name, pa.string(), nullable=False))
        else:
            fields.append(pa.field(name, pa.string()))
    return pa.schema(fields, metadata={"jobinventory.format": "job/1"})


def _columns(jobs: List[Job]) -> Dict[str, List[Any]]:
    columns: Dict[str, List[Any]] = {name: [] for name in FIELDS}
    for job in jobs:
        for name in FIELDS:
            value = getattr(job, name)
            if name == "status":
                value = value.value
            elif name == "details":
                value = _json.dumps(value, ensure_ascii=False, separators=(",", ":"))
            columns[name].append(value)
    return columns


def _table(pa: Any, jobs: List[Job], arrow_schema: Any) -> Any:
    columns = _columns(jobs)
    arrays = []
    for field in arrow_schema:
        values = columns[field.name]
        if pa.types.is_dictionary(field.type):
            arrays.append(pa.array(values, pa.string()).dictionary_encode().cast(field.type))
        else:
            arrays.append(pa.array(values, field.type))
    return pa.Table.from_arrays(arrays, schema=arrow_schema)


def write(
    jobs: Iterable[Job],
    stream: Any,
    *,
    row_group_size: int = ROW_GROUP_SIZE,
    compression: str = "snappy",
) -> int:
    """Write the jobs to a binary stream (or path) as Parquet; return how many."""
    pa, pq = require_pyarrow()
    arrow_schema = schema()
    count = 0
    batch: List[Job] = []
    with pq.ParquetWriter(stream, arrow_schema, compression=compression) as writer:
        for job in jobs:
            batch.append(job)
            if len(batch) >= row_group_size:
                writer.write_table(_table(pa, batch, arrow_schema))
                count += len(batch)
                batch = []
        if batch or not count:
            writer.write_table(_table(pa, batch, arrow_schema))
            count += len(batch)
    return count
