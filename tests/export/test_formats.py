"""Each format read back by its own reader and compared with the jobs field by field."""
from __future__ import annotations

import csv
import datetime as _dt
import io
import json
from pathlib import Path

import jsonschema
import pytest

import jobinventory
from jobinventory import export
from jobinventory.convert import FIELDS
from jobinventory.export import csv as csv_export
from jobinventory.export import table

from .sample import SECRET, SIGNED_URL, sample_jobs

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "schemas" / "job.schema.json").read_text())
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())


def _text(fmt: str, jobs, **options) -> str:
    stream = io.StringIO()
    count = export.write(jobs, fmt, stream, **options)
    assert count == len(jobs)
    return stream.getvalue()


def test_csv_read_back_by_the_csv_module():
    jobs = sample_jobs()
    rows = list(csv.reader(io.StringIO(_text("csv", jobs), newline="")))
    assert tuple(rows[0]) == FIELDS == csv_export.COLUMNS
    assert len(rows) == len(jobs) + 1
    for job, row in zip(jobs, rows[1:]):
        record = jobinventory.to_dict(job)
        for name, cell in zip(FIELDS, row):
            value = record[name]
            if name == "details":
                assert json.loads(cell) == value
            elif value is None:
                assert cell == ""
            else:
                assert cell == csv_export.neutralise(value), name


def test_csv_column_order_is_the_documented_one():
    assert FIELDS == (
        "service", "operation", "job_type", "job_id", "arn", "name", "status", "raw_status",
        "created_at", "updated_at", "ended_at", "region", "account_id", "message", "source",
        "destination", "details",
    )


def test_csv_keeps_commas_quotes_newlines_and_unicode():
    jobs = sample_jobs()
    rows = list(csv.DictReader(io.StringIO(_text("csv", jobs), newline="")))
    assert rows[0]["message"] == jobs[0].message
    assert "\n" in rows[0]["message"] and '"quoted"' in rows[0]["message"]
    assert rows[1]["name"] == "interactions \u00e9t\u00e9 \u6570\u636e"


def test_csv_details_is_compact_json():
    cell = csv_export.row(sample_jobs()[0])[FIELDS.index("details")]
    assert ": " not in cell and ", " not in cell
    assert json.loads(cell)["DataSource"]["S3Config"]["Path"] == "s3://data/sales.csv"


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_json_formats_are_exactly_to_dict_and_valid(fmt):
    jobs = sample_jobs()
    text = _text(fmt, jobs)
    records = json.loads(text) if fmt == "json" else [json.loads(line) for line in text.splitlines()]
    assert records == [jobinventory.to_dict(job) for job in jobs]
    for record in records:
        VALIDATOR.validate(record)
        assert list(record) == list(FIELDS)
    assert [jobinventory.from_dict(r) for r in records] == jobs


def test_json_of_no_jobs_is_an_empty_array():
    assert json.loads(_text("json", [])) == []
    assert _text("jsonl", []) == ""
    assert list(csv.reader(io.StringIO(_text("csv", [])))) == [list(FIELDS)]


def test_parquet_read_back_by_pyarrow(tmp_path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    jobs = sample_jobs()
    path = tmp_path / "jobs.parquet"
    with open(path, "wb") as handle:
        assert export.write(jobs, "parquet", handle, row_group_size=4) == len(jobs)
    parquet_file = pq.ParquetFile(path)
    assert parquet_file.metadata.num_row_groups == 3
    table_ = pq.read_table(path)
    schema = table_.schema
    assert schema.names == list(FIELDS)
    for name in ("created_at", "updated_at", "ended_at"):
        assert schema.field(name).type == pa.timestamp("us", tz="UTC")
    assert pa.types.is_dictionary(schema.field("status").type)
    assert schema.field("status").type.value_type == pa.string()
    assert schema.field("details").type == pa.string()
    assert not schema.field("created_at").nullable
    rows = table_.to_pylist()
    assert len(rows) == len(jobs)
    for job, row in zip(jobs, rows):
        for name in FIELDS:
            value = getattr(job, name)
            got = row[name]
            if name == "status":
                assert got == value.value
            elif name == "details":
                assert json.loads(got) == value
            elif isinstance(value, _dt.datetime):
                assert got == value and got.utcoffset() == _dt.timedelta(0)
            else:
                assert got == value, name


def test_parquet_of_no_jobs_has_the_schema(tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "empty.parquet"
    with open(path, "wb") as handle:
        assert export.write([], "parquet", handle) == 0
    read = pq.read_table(path)
    assert read.num_rows == 0 and read.schema.names == list(FIELDS)


def test_parquet_without_pyarrow_says_how_to_install(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_pyarrow(name, *args, **kwargs):
        if name == "pyarrow" or name.startswith("pyarrow."):
            raise ImportError("No module named 'pyarrow'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    with pytest.raises(export.MissingDependencyError, match=r"jobinventory\[parquet\]"):
        export.write([], "parquet", io.BytesIO())


@pytest.mark.parametrize("fmt", ["table", "json", "jsonl", "csv", "parquet"])
def test_no_secret_in_any_format(fmt):
    jobs = sample_jobs()
    if fmt == "parquet":
        pytest.importorskip("pyarrow")
        stream = io.BytesIO()
        export.write(jobs, fmt, stream)
        data = stream.getvalue()
        assert SECRET.encode() not in data and b"X-Amz-Signature" not in data
        return
    text = _text(fmt, jobs)
    assert SECRET not in text and SIGNED_URL not in text


def test_table_for_people():
    jobs = sample_jobs()
    text = _text("table", jobs, tz=_dt.timezone.utc)
    lines = text.splitlines()
    assert lines[0].split() == list(table.HEADERS)
    assert "\x1b[" not in text  # no colour unless asked
    by_name = {line.split()[4]: line for line in lines[1:] if line}
    imp = by_name["imp-1"]
    assert "2024-05-01 10:00" in imp and "FAILED" in imp and "1h 29m" in imp and "eu-west-1" in imp
    # Data Exchange jobs have no name: the id stands in.
    assert "0123abcd" in text
    # Columns line up: every row's STATUS column starts where the header's does.
    column = lines[0].index("STATUS")
    for line in lines[1: len(jobs) + 1]:
        assert line[column:].split()[0] in {s.value for s in jobinventory.JobStatus}
    assert lines[-1] == f"{len(jobs)} jobs; times in UTC"


def test_table_escapes_control_characters_and_colours_on_request():
    jobs = sample_jobs()
    text = _text("table", jobs, color=True, tz=_dt.timezone.utc)
    assert "\\tTAB" in text and "\\rCR" in text
    assert "\t" not in text and "\r" not in text
    assert "\x1b[31;1mFAILED\x1b[0m" in text
    assert "\x1b[32mSUCCEEDED\x1b[0m" in text


def test_table_times_are_local():
    job = sample_jobs()[0]
    plus_two = _dt.timezone(_dt.timedelta(hours=2))
    text = _text("table", [job], tz=plus_two)
    assert "2024-05-01 12:00" in text and "UTC+02:00" in text


def test_table_of_no_jobs():
    assert _text("table", []) == "No jobs found.\n"


@pytest.mark.parametrize(
    "seconds, text",
    [(0, "0s"), (45, "45s"), (725, "12m 05s"), (3 * 3600 + 240, "3h 04m"), (2 * 86400 + 3 * 3600, "2d 03h")],
)
def test_durations(seconds, text):
    assert table.format_duration(_dt.timedelta(seconds=seconds)) == text
    assert table.format_duration(None) == "-"


def test_formats_stream_as_jobs_arrive():
    """json/jsonl/csv write each job before the next is asked for."""
    jobs = sample_jobs()
    for fmt in ("json", "jsonl", "csv"):
        stream = io.StringIO()
        seen = []

        def produce():
            for job in jobs:
                seen.append(len(stream.getvalue()))
                yield job

        export.write(produce(), fmt, stream)
        assert seen == sorted(seen) and len(set(seen[1:])) == len(seen) - 1, fmt
    assert export.get_format("csv").streaming and not export.get_format("table").streaming


def test_unknown_format():
    with pytest.raises(jobinventory.ConfigurationError, match="formats: table, json, jsonl, csv, parquet"):
        export.get_format("xml")
