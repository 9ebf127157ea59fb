"""`jobinventory list` and `summary` through a subprocess against the local fake.

The fake runs in this process (`fake_jobs` sets AWS_ENDPOINT_URL, dummy
credentials, AWS_EC2_METADATA_DISABLED); the command line, in a child
process, reaches it through that environment, as a user's would.
"""
from __future__ import annotations

import csv
import io
import json
import re

import pytest

import jobinventory

from .helpers import error_line, run

REGION = "us-east-1"
ONE_REGION = ("--region", REGION)
FAILED_LINE = re.compile(r"^\d{12}/us-east-1/bedrock/List\w+: access_denied: .+$")


@pytest.fixture
def fake(fake_jobs):
    fake_jobs.seed(["forecast", "bedrock"], regions=[REGION], jobs_per_stream=3)
    return fake_jobs


def _records(text):
    return [json.loads(line) for line in text.splitlines()]


def test_every_stream_answered_exit_0(fake):
    proc = run("list", *ONE_REGION, "--format", "jsonl")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""  # no progress off a terminal
    records = _records(proc.stdout)
    assert len(records) == fake.job_count(region=REGION)
    jobs = [jobinventory.from_dict(r) for r in records]
    assert jobs == sorted(jobs, key=lambda j: (-j.created_at.timestamp(), j.service, j.job_id))
    assert {j.region for j in jobs} == {REGION}


def test_some_streams_failed_exit_3_output_written(fake, tmp_path):
    fake.inject(service="bedrock", region=REGION, access_denied=True)
    out = tmp_path / "jobs.csv"
    proc = run("list", *ONE_REGION, "--format", "csv", "--output", str(out))
    assert proc.returncode == 3, proc.stderr
    assert "Traceback" not in proc.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    assert rows and {r["service"] for r in rows} == {"forecast"}
    assert len(rows) == fake.job_count(service="forecast", region=REGION)
    failed = [line for line in proc.stderr.splitlines() if not line.startswith("jobinventory:")]
    bedrock_ops = [op for (svc, op) in jobinventory.registry.all_specs() if svc == "bedrock"]
    assert len(failed) == len(bedrock_ops)
    for line in failed:
        assert FAILED_LINE.match(line), line
    assert proc.stderr.splitlines()[-1].startswith("jobinventory: warning: ")


def test_nothing_listed_exit_1_previous_file_untouched(fake, tmp_path):
    fake.inject(region=REGION, access_denied=True)
    exports = tmp_path / "exports"
    exports.mkdir()
    out = exports / "jobs.json"
    out.write_text("yesterday's export")
    proc = run("list", *ONE_REGION, "--format", "json", "--output", str(out))
    assert proc.returncode == 1, proc.stderr
    assert out.read_text() == "yesterday's export"
    assert [p.name for p in exports.iterdir()] == ["jobs.json"]
    assert "nothing could be listed" in proc.stderr.splitlines()[-1]
    assert "Traceback" not in proc.stderr


def test_no_credentials_exit_1(fake, tmp_path):
    proc = run("list", *ONE_REGION, env={"HOME": str(tmp_path)},
               drop=("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"))
    assert proc.returncode == 1
    assert "no AWS credentials" in error_line(proc)
    assert proc.stdout == ""


@pytest.mark.parametrize(
    "argv, message, usage",
    [
        (["--status", "exploded"], "unknown status", False),  # argparse's errors are one line too
        (["--region", "xx-nowhere-9"], "xx-nowhere-9", False),
        (["--output", "/nonexistent-dir/jobs.csv"], "does not exist", False),
        (["--output", "s3://bucket-only"], "object key", False),
        (["--profile", "no-such-profile"], "no-such-profile", False),
    ],
)
def test_bad_usage_exit_2(fake, argv, message, usage):
    proc = run("list", *(argv if "--region" in argv else [*ONE_REGION, *argv]))
    assert proc.returncode == 2, proc.stderr
    assert message in error_line(proc, usage=usage)
    assert proc.stdout == ""


def test_filters_reach_the_collection(fake):
    proc = run("list", *ONE_REGION, "--service", "bedrock", "--status", "failed,SUCCEEDED", "--format", "jsonl")
    assert proc.returncode == 0, proc.stderr
    records = _records(proc.stdout)
    assert records and {r["service"] for r in records} == {"bedrock"}
    assert {r["status"] for r in records} <= {"FAILED", "SUCCEEDED"}


def test_no_sort_streams_the_same_jobs(fake, tmp_path):
    sorted_run = run("list", *ONE_REGION, "--format", "jsonl")
    out = tmp_path / "jobs.jsonl"
    streamed = run("list", *ONE_REGION, "--format", "jsonl", "--no-sort", "--output", str(out))
    assert streamed.returncode == 0, streamed.stderr
    key = lambda r: r["job_id"]  # noqa: E731
    assert sorted(_records(out.read_text()), key=key) == sorted(_records(sorted_run.stdout), key=key)


def test_no_sort_partial_exit_3(fake):
    fake.inject(service="bedrock", region=REGION, access_denied=True)
    proc = run("list", *ONE_REGION, "--format", "csv", "--no-sort")
    assert proc.returncode == 3
    assert any(FAILED_LINE.match(line) for line in proc.stderr.splitlines())
    assert proc.stdout.startswith("service,operation,")


def test_parquet_output(fake, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "jobs.parquet"
    proc = run("list", *ONE_REGION, "--format", "parquet", "--output", str(out))
    assert proc.returncode == 0, proc.stderr
    table = pq.read_table(out)
    assert table.num_rows == fake.job_count(region=REGION)
    assert str(table.schema.field("created_at").type) == "timestamp[us, tz=UTC]"


def test_table_on_stdout_has_no_colour_off_a_terminal(fake):
    proc = run("list", *ONE_REGION)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0].split()[:2] == ["CREATED", "SERVICE"]
    assert "\x1b[" not in proc.stdout


def test_summary(fake):
    fake.inject(service="bedrock", operation="ListModelCopyJobs", region=REGION, access_denied=True)
    proc = run("summary", *ONE_REGION, "--format", "json")
    assert proc.returncode == 3, proc.stderr
    data = json.loads(proc.stdout)
    expected = fake.job_count(region=REGION) - fake.job_count(service="bedrock", operation="ListModelCopyJobs",
                                                             region=REGION)
    assert data["total"] == expected
    assert set(data["by_service"]) == {"forecast", "bedrock"}
    assert data["by_region"] == {REGION: expected}
    assert data["streams"]["failed"] == 1
    assert sum(data["by_status"].values()) == expected


def test_s3_output_through_moto(fake, tmp_path):
    moto_server = pytest.importorskip("moto.server")
    import boto3

    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        url = f"http://{host}:{port}"
        s3 = boto3.client("s3", region_name="us-east-1", endpoint_url=url)
        s3.create_bucket(Bucket="dashboards")
        proc = run("list", *ONE_REGION, "--format", "jsonl", "--output", "s3://dashboards/jobs/latest.jsonl",
                   env={"AWS_ENDPOINT_URL_S3": url})
        assert proc.returncode == 0, proc.stderr
        body = s3.get_object(Bucket="dashboards", Key="jobs/latest.jsonl")["Body"].read().decode()
        assert len(_records(body)) == fake.job_count(region=REGION)
    finally:
        server.stop()
