"""Exports: jobs written in one format, to a stream, a file or S3.

One module per format, each with `write(jobs, stream, **options) -> int`
(the number of jobs written); `jobs` is any iterable of `Job`, so an export
can consume `iter_jobs` as it goes. The formats know nothing of AWS: they see
`Job` records only. `output.Output` puts a finished export in place
atomically (a file) or uploads it (S3); `summary` rolls jobs up into counts.

    >>> from jobinventory import export
    >>> export.write(jobs, "csv", sys.stdout)          # doctest: +SKIP
    >>> export.export(jobs, "parquet", "jobs.parquet")  # doctest: +SKIP
"""
from __future__ import annotations

import importlib
from typing import IO, Any, Iterable, Mapping, Optional

import attrs

from ..errors import ConfigurationError, JobInventoryError
from ..model import Job

__all__ = [
    "ExportError",
    "MissingDependencyError",
    "InvalidTargetError",
    "UploadError",
    "Format",
    "FORMATS",
    "get_format",
    "write",
    "export",
]


class ExportError(JobInventoryError):
    """An export could not be written."""


class MissingDependencyError(ExportError):
    """A format needs an optional dependency that is not installed (pyarrow for parquet)."""


class InvalidTargetError(ExportError, ValueError):
    """An output target that cannot work (no such directory, an S3 URL with no key...)."""


class UploadError(ExportError):
    """The finished export could not be uploaded (S3)."""


@attrs.frozen
class Format:
    """One export format."""

    name: str
    #: The module under jobinventory.export that writes it.
    module: str
    #: Writes bytes (parquet) rather than text.
    binary: bool
    #: Writes each job as it arrives (holds little in memory); the others
    #: need every job before they can write.
    streaming: bool
    #: MIME type, given to S3 on upload.
    content_type: str
    description: str

    def writer(self) -> Any:
        """The format's module (imported on first use: parquet needs pyarrow)."""
        return importlib.import_module(f"{__name__}.{self.module}")


FORMATS: Mapping[str, Format] = {
    f.name: f
    for f in (
        Format("table", "table", False, False, "text/plain; charset=utf-8",
               "aligned columns for people: local times, durations, coloured status on a terminal"),
        Format("json", "json", False, True, "application/json",
               "one JSON array of records, each exactly as jobinventory.to_dict gives it"),
        Format("jsonl", "jsonl", False, True, "application/x-ndjson",
               "one to_dict record per line (JSON Lines)"),
        Format("csv", "csv", False, True, "text/csv; charset=utf-8",
               "the Job fields as columns in a fixed order; details as compact JSON"),
        Format("parquet", "parquet", True, True, "application/vnd.apache.parquet",
               "Apache Parquet with real types (needs pip install 'jobinventory[parquet]')"),
    )
}


def get_format(name: str) -> Format:
    """The format called `name`; ConfigurationError naming the formats otherwise."""
    try:
        return FORMATS[name]
    except KeyError:
        raise ConfigurationError(
            f"unknown export format {name!r}; formats: {', '.join(FORMATS)}"
        ) from None


def write(jobs: Iterable[Job], format: str, stream: IO[Any], **options: Any) -> int:
    """Write `jobs` to an open `stream` (text, or bytes for parquet); return how many."""
    return get_format(format).writer().write(jobs, stream, **options)


def export(
    jobs: Iterable[Job],
    format: str,
    target: Optional[str] = None,
    *,
    s3_client: Any = None,
    **options: Any,
) -> int:
    """Write `jobs` to `target` (a path, `s3://bucket/key`, or None/`-` for stdout).

    A file appears only once complete (temporary file beside it, then
    renamed); an S3 object only once the whole export is written.
    """
    from .output import Output

    fmt = get_format(format)
    with Output(target, binary=fmt.binary, content_type=fmt.content_type, s3_client=s3_client) as stream:
        return fmt.writer().write(jobs, stream, **options)
