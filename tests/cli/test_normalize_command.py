"""`jobinventory normalize FILE --service S --operation O` through a subprocess."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest

import jobinventory

from .helpers import error_line, run

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "schemas" / "job.schema.json").read_text())
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())

# A ListDatasetImportJobs response as boto3 returns it (then saved with
# json.dump(default=str)), and as `aws forecast list-dataset-import-jobs` prints it.
FORECAST_RESPONSE = {
    "DatasetImportJobs": [
        {
            "DatasetImportJobArn": "arn:aws:forecast:us-east-1:123456789012:dataset-import-job/sales/sales_2024_05",
            "DatasetImportJobName": "sales_2024_05",
            "DataSource": {"S3Config": {"Path": "s3://acme-forecast/sales/2024-05.csv",
                                        "RoleArn": "arn:aws:iam::123456789012:role/ForecastS3"}},
            "Status": "ACTIVE",
            "CreationTime": "2024-05-01T10:00:00.123000+00:00",
            "LastModificationTime": "2024-05-01T10:41:07+00:00",
        },
        {
            "DatasetImportJobArn": "arn:aws:forecast:us-east-1:123456789012:dataset-import-job/sales/sales_2024_06",
            "DatasetImportJobName": "sales_2024_06",
            "DataSource": {"S3Config": {"Path": "s3://acme-forecast/sales/2024-06.csv",
                                        "RoleArn": "arn:aws:iam::123456789012:role/ForecastS3"}},
            "Status": "CREATE_FAILED",
            "Message": "AccessDeniedException: Forecast cannot read s3://acme-forecast/sales/2024-06.csv",
            "CreationTime": "2024-06-01T10:00:00+02:00",
            "LastModificationTime": "2024-06-01T08:03:00+00:00",
        },
    ],
    "NextToken": "eyJ0b2tlbiI6IjIifQ==",
}

# Personalize's REST API gives epoch numbers.
PERSONALIZE_LIST = [
    {
        "datasetImportJobArn": "arn:aws:personalize:eu-west-1:123456789012:dataset-import-job/interactions-0601",
        "jobName": "interactions-0601",
        "status": "CREATE IN_PROGRESS",
        "creationDateTime": 1717236000.5,
        "lastUpdatedDateTime": 1717236060,
        "importMode": "INCREMENTAL",
    }
]


@pytest.fixture
def saved(tmp_path, botocore_valid):
    response = json.loads(json.dumps(FORECAST_RESPONSE))
    botocore_valid("forecast", "ListDatasetImportJobs", _as_boto3(response))
    path = tmp_path / "saved.json"
    path.write_text(json.dumps(response, indent=2))
    return path


def _as_boto3(response):
    """The response with timestamps as botocore parses them (datetimes), for the model check."""
    import datetime as _dt

    out = json.loads(json.dumps(response))
    for item in out["DatasetImportJobs"]:
        for key in ("CreationTime", "LastModificationTime"):
            item[key] = _dt.datetime.fromisoformat(item[key])
    return out


def test_a_saved_response_becomes_canonical_records(saved):
    proc = run("normalize", str(saved), "--service", "forecast", "--operation", "ListDatasetImportJobs")
    assert proc.returncode == 0, proc.stderr
    # The saved page still has a NextToken: one page of more (issue 13 item 6).
    assert proc.stderr == (f"jobinventory: warning: {saved} has a NextToken: it is one page of a longer list, "
                           "the jobs of the other pages are not in the output\n")
    records = [json.loads(line) for line in proc.stdout.splitlines()]
    expected = [
        jobinventory.to_dict(jobinventory.normalize("forecast", "ListDatasetImportJobs", s))
        for s in FORECAST_RESPONSE["DatasetImportJobs"]
    ]
    assert records == expected
    for record in records:
        VALIDATOR.validate(record)
    assert records[1]["status"] == "FAILED" and records[1]["created_at"] == "2024-06-01T08:00:00Z"
    assert records[0]["source"] == "s3://acme-forecast/sales/2024-05.csv"


def test_a_bare_list_from_stdin_with_epoch_times(botocore_valid):
    botocore_valid("personalize", "ListDatasetImportJobs", {"datasetImportJobs": [
        {**PERSONALIZE_LIST[0], "creationDateTime": __import__("datetime").datetime(2024, 6, 1, 10, 0),
         "lastUpdatedDateTime": __import__("datetime").datetime(2024, 6, 1, 10, 1)}]})
    proc = run("normalize", "-", "--service", "personalize", "--operation", "ListDatasetImportJobs",
               "--format", "json", input=json.dumps(PERSONALIZE_LIST))
    assert proc.returncode == 0, proc.stderr
    (record,) = json.loads(proc.stdout)
    VALIDATOR.validate(record)
    assert record["status"] == "RUNNING" and record["raw_status"] == "CREATE IN_PROGRESS"
    assert record["created_at"] == "2024-06-01T10:00:00.500000Z"
    assert record["region"] == "eu-west-1" and record["account_id"] == "123456789012"


def test_csv_and_table(saved, tmp_path):
    proc = run("normalize", str(saved), "--service", "forecast", "--operation", "ListDatasetImportJobs",
               "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(io.StringIO(proc.stdout, newline="")))
    assert [r["name"] for r in rows] == ["sales_2024_05", "sales_2024_06"]
    out = tmp_path / "jobs.txt"
    proc = run("normalize", str(saved), "--service", "forecast", "--operation", "ListDatasetImportJobs",
               "--format", "table", "--output", str(out), env={"TZ": "UTC"})
    assert proc.returncode == 0, proc.stderr
    text = out.read_text()
    assert "sales_2024_06" in text and "FAILED" in text and "\x1b[" not in text


def test_malformed_json(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"DatasetImportJobs": [\n  {"Status": "ACTIVE",}\n]}')
    proc = run("normalize", str(path), "--service", "forecast", "--operation", "ListDatasetImportJobs")
    assert proc.returncode == 2 and proc.stdout == ""
    line = error_line(proc)
    assert str(path) in line and "malformed JSON at line 2" in line


def test_wrong_list_key(saved):
    proc = run("normalize", str(saved), "--service", "forecast", "--operation", "ListForecastExportJobs")
    assert proc.returncode == 2 and proc.stdout == ""
    line = error_line(proc)
    assert str(saved) in line and "'ForecastExportJobs'" in line and "'DatasetImportJobs'" in line


def test_an_unreadable_summary_names_the_item_and_field(tmp_path):
    response = json.loads(json.dumps(FORECAST_RESPONSE))
    response["DatasetImportJobs"][1]["CreationTime"] = "the day before yesterday"
    path = tmp_path / "bad-item.json"
    path.write_text(json.dumps(response))
    proc = run("normalize", str(path), "--service", "forecast", "--operation", "ListDatasetImportJobs")
    assert proc.returncode == 2 and proc.stdout == ""  # nothing half-printed
    line = error_line(proc)
    assert str(path) in line and "item 1" in line and "'CreationTime'" in line


@pytest.mark.parametrize(
    "args, expected",
    [
        (["{missing}", "--service", "forecast", "--operation", "ListDatasetImportJobs"], "cannot read"),
        (["{saved}", "--service", "nope", "--operation", "ListDatasetImportJobs"], "unknown service 'nope'"),
        (["{saved}", "--service", "forecast", "--operation", "ListNothing"], "no covered operation"),
        (["{binary}", "--service", "forecast", "--operation", "ListDatasetImportJobs"], "not UTF-8"),
    ],
)
def test_bad_input_is_one_line(tmp_path, saved, args, expected):
    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    paths = {"missing": tmp_path / "missing.json", "saved": saved, "binary": binary}
    proc = run("normalize", *(a.format(**paths) for a in args))
    assert proc.returncode == 2
    assert expected in error_line(proc)


def test_a_utf8_bom_is_accepted(tmp_path):
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(FORECAST_RESPONSE).encode())
    proc = run("normalize", str(path), "--service", "forecast", "--operation", "ListDatasetImportJobs")
    assert proc.returncode == 0, proc.stderr
    assert len(proc.stdout.splitlines()) == 2
