"""Bad usage is found first, before credentials or calls: exit 2 and one line (issue 13 items 6, 7)."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import boto3
import pytest

from jobinventory import ConfigurationError, collect, export
from jobinventory.report import load_jsonl

from .helpers import error_line, run

NO_CREDENTIALS = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")


@pytest.mark.parametrize("argv, message", [
    (["--region", "us-nowhere-9"], "unknown region 'us-nowhere-9'"),
    (["--operation", "ListFooJobs"], "unknown operation 'ListFooJobs'"),
    (["--endpoint-url", "not-a-url"], "endpoint_url: 'not-a-url' is not an http:// or https:// URL"),
    (["--endpoint-url", "http://admin:pa55w0rd@[::1"], "is not an http:// or https:// URL"),
    (["--since", "9999999999d"], "is further back than any date"),
    (["--region="], "argument --region: an empty value"),
    (["--service="], "argument --service: an empty value"),
    (["--status="], "argument --status: an empty value"),
    (["--operation="], "argument --operation: an empty value"),
    (["--stream-timeout", "0"], "argument --stream-timeout: must be a positive number of seconds"),
])
@pytest.mark.parametrize("credentials", [True, False], ids=["credentials", "no-credentials"])
def test_usage_errors_come_first_with_exit_2(tmp_path, argv, message, credentials):
    proc = run("list", *argv, env={"HOME": str(tmp_path)}, drop=() if credentials else NO_CREDENTIALS)
    assert proc.returncode == 2, proc.stderr
    line = error_line(proc)
    assert message in line
    assert "pa55w0rd" not in proc.stderr
    assert proc.stdout == ""


def test_normalize_of_deeply_nested_json_is_bad_input(tmp_path):
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    proc = run("normalize", str(deep), "--service", "forecast", "--operation", "ListDatasetImportJobs")
    assert proc.returncode == 2
    assert "nested too deeply" in error_line(proc)


def test_report_reads_a_json_export_too(tmp_path):
    as_json, as_jsonl = tmp_path / "jobs.json", tmp_path / "jobs.jsonl"
    proc = run("list", "--demo", "--region", "us-east-1", "--format", "jsonl", "--output", str(as_jsonl))
    assert proc.returncode == 0, proc.stderr
    jobs = load_jsonl(str(as_jsonl))
    export.export(jobs, "json", str(as_json))  # what `list --format json` writes
    assert load_jsonl(str(as_json)) == jobs != []
    page = tmp_path / "report.html"
    proc = run("report", "--from", str(as_json), "--output", str(page))
    assert proc.returncode == 0, proc.stderr
    assert jobs[0].job_id in page.read_text()


def test_a_closed_pipe_is_a_normal_end():
    proc = subprocess.Popen([sys.executable, "-m", "jobinventory", "list", "--demo", "-f", "jsonl"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = proc.stdout.readline()  # as `| head -1`: read one line, then hang up
        proc.stdout.close()
        err = proc.stderr.read()
        proc.wait(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert json.loads(first)["service"]
    assert proc.returncode == 0, err
    assert "Traceback" not in err


def test_collect_with_a_string_for_session_is_a_configuration_error():
    with pytest.raises(ConfigurationError, match="session must be a boto3.Session or None, got 'default'"):
        collect(session="default")


def test_a_session_without_credentials_is_one_error_before_listing(fake_jobs, tmp_path, monkeypatch):
    for name in NO_CREDENTIALS:
        monkeypatch.delenv(name)
    session = boto3.Session(region_name="us-east-1")
    assert session.get_credentials() is None
    with pytest.raises(ConfigurationError, match="the session has no AWS credentials"):
        collect(session, endpoint_url=fake_jobs.url, regions=["us-east-1"])
    with pytest.raises(ConfigurationError, match=r"accounts\[0\] \(a boto3 Session\) has no AWS credentials"):
        collect(accounts=[session], endpoint_url=fake_jobs.url, regions=["us-east-1"])
    assert fake_jobs.requests == []  # nothing was called


def test_formula_names_with_leading_blanks_are_neutralised_in_the_csv(fake_jobs):
    fake_jobs.seed([("bedrock", "ListModelCustomizationJobs")], regions=["us-east-1"], jobs_per_stream=1)
    [summary] = fake_jobs.jobs("bedrock", "ListModelCustomizationJobs", region="us-east-1")
    fake_jobs.clear_jobs()
    names = ["  =cmd|' /C calc'!A0", "\n=1+1", " \r\n@SUM(A1)"]
    fake_jobs.add_jobs("bedrock", "ListModelCustomizationJobs",
                       [dict(summary, jobArn=summary["jobArn"] + str(i), jobName=name) for i, name in enumerate(names)],
                       region="us-east-1", validate=False)
    inv = collect(operations=["bedrock:ListModelCustomizationJobs"], regions=["us-east-1"],
                  endpoint_url=fake_jobs.url)
    stream = io.StringIO()
    export.write(inv.jobs, "csv", stream)
    cells = sorted(row["name"] for row in csv.DictReader(io.StringIO(stream.getvalue())))
    assert cells == sorted("'" + name for name in names)
