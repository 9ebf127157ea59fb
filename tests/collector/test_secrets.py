"""No presigned URL's query string and no URL password leaves the library or the command line.

Against the fake over real HTTP: services whose failure messages carry
presigned URLs, a service whose error message carries one, and an endpoint
URL with `user:password@` that fails every stream.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import socket
from urllib.parse import quote

import pytest

from jobinventory import collect, to_dict
from jobinventory.redact import REDACTED, redact_text
from jobinventory.testing import FaultRule

from tests.cli.helpers import run

REGION = "us-east-1"
SIG = "0f1e2d3c4b5a69788796a5b4c3d2e1f0deadbeefcafebabe"
SIGV4 = ("https://b.s3.amazonaws.com/in/data.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256"
         "&X-Amz-Credential=ASIAEXAMPLE%2F20240504%2Fus-east-1%2Fs3%2Faws4_request"
         f"&X-Amz-Security-Token=FQoGZXIvYXdzEXAMPLETOKEN&X-Amz-Signature={SIG}")
SIGV2 = f"https://b.s3.amazonaws.com/k.csv?AWSAccessKeyId=AKIAEXAMPLE&Expires=1714820000&Signature={SIG}%3D"
SECRETS = (SIG, "ASIAEXAMPLE", "FQoGZXIvYXdzEXAMPLETOKEN", "AKIAEXAMPLE")


def _clean(text: str) -> None:
    for secret in SECRETS + ("pa55w0rd",):
        assert secret not in text, text


@pytest.mark.parametrize("text, expected", [
    (f"Could not read {SIGV4}. Check the bucket.",
     f"Could not read https://b.s3.amazonaws.com/in/data.csv?{REDACTED}. Check the bucket."),
    (f"bad input {quote(SIGV4, safe='')} here",
     f"bad input https%3A%2F%2Fb.s3.amazonaws.com%2Fin%2Fdata.csv?{REDACTED} here"),
    (f"legacy ({SIGV2})", f"legacy (https://b.s3.amazonaws.com/k.csv?{REDACTED})"),
    ("token X-Amz-Security-Token=FQoGZXIvYXdzEXAMPLETOKEN sent", f"token X-Amz-Security-Token={REDACTED} sent"),
    ('Could not connect to the endpoint URL: "http://admin:pa55w0rd@10.0.0.1:4566/"',
     'Could not connect to the endpoint URL: "http://***@10.0.0.1:4566/"'),
    ("s3://bucket/key?versionId=3 stays", "s3://bucket/key?versionId=3 stays"),
    ("no URL here, a=b", "no URL here, a=b"),
])
def test_redact_text(text, expected):
    assert redact_text(text) == expected


def test_presigned_urls_in_job_messages_lose_their_query_string(fake):
    created = dt.datetime(2024, 5, 4, 10, tzinfo=dt.timezone.utc)
    fake.seed([("dataexchange", "ListJobs"), ("personalize", "ListBatchInferenceJobs"),
               ("forecast", "ListForecastExportJobs")], regions=[REGION], jobs_per_stream=1)
    dx = dict(fake.jobs("dataexchange", "ListJobs", region=REGION)[0], State="ERROR",
              Errors=[{"Code": "VALIDATION_FAILED", "Message": f"Asset at {SIGV4} is not readable",
                       "LimitName": "Assets per revision", "ResourceType": "ASSET"}])
    fake.clear_jobs("dataexchange")
    fake.add_jobs("dataexchange", "ListJobs", [dx], region=REGION, validate=False)
    pz = dict(fake.jobs("personalize", "ListBatchInferenceJobs", region=REGION)[0], status="CREATE FAILED",
              failureReason=f"Input {quote(SIGV4, safe='')} could not be read", creationDateTime=created)
    fake.clear_jobs("personalize")
    fake.add_jobs("personalize", "ListBatchInferenceJobs", [pz], region=REGION, validate=False)
    fc = dict(fake.jobs("forecast", "ListForecastExportJobs", region=REGION)[0], Status="CREATE_FAILED",
              Message=f"Export to {SIGV2} failed.")
    fake.clear_jobs("forecast")
    fake.add_jobs("forecast", "ListForecastExportJobs", [fc], region=REGION, validate=False)

    inv = collect(operations=["dataexchange:ListJobs", "personalize:ListBatchInferenceJobs",
                              "forecast:ListForecastExportJobs"], regions=[REGION], endpoint_url=fake.url)
    assert inv.errors == []
    messages = {j.service: j.message for j in inv.jobs}
    assert messages == {
        "dataexchange": f"VALIDATION_FAILED: Asset at https://b.s3.amazonaws.com/in/data.csv?{REDACTED} "
                        "is not readable",
        "personalize": f"Input https%3A%2F%2Fb.s3.amazonaws.com%2Fin%2Fdata.csv?{REDACTED} could not be read",
        "forecast": f"Export to https://b.s3.amazonaws.com/k.csv?{REDACTED} failed.",
    }
    _clean(json.dumps([to_dict(j) for j in inv.jobs]))


def test_stream_errors_and_the_log_carry_no_presigned_url(fake, caplog):
    caplog.set_level(logging.DEBUG, logger="jobinventory")
    fake.add_fault(FaultRule("access_denied", service="bedrock", message=f"Denied for {SIGV4}"))
    inv = collect(operations=["bedrock:ListModelCustomizationJobs"], regions=[REGION], endpoint_url=fake.url)
    [error] = inv.errors
    assert error.kind == "access_denied"
    assert error.message == (f"AccessDeniedException: Denied for https://b.s3.amazonaws.com/in/data.csv?"
                             f"{REDACTED}")
    _clean(str(error) + repr(error))
    assert any("stream failed" in r.getMessage() for r in caplog.records)
    _clean("\n".join(r.getMessage() for r in caplog.records))


@pytest.fixture
def closed_port():
    """A port nothing listens on (bound, then closed)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


def test_an_endpoint_url_password_is_never_printed(fake, caplog, closed_port):
    caplog.set_level(logging.DEBUG, logger="jobinventory")
    url = f"http://admin:pa55w0rd@127.0.0.1:{closed_port}"
    inv = collect(operations=["forecast:ListDatasetImportJobs"], regions=[REGION], endpoint_url=url,
                  max_attempts=1)
    [error] = inv.errors
    assert error.kind == "region_unavailable"
    assert f"http://***@127.0.0.1:{closed_port}" in error.message
    _clean(error.message)
    _clean("\n".join(r.getMessage() for r in caplog.records))


def test_the_command_line_prints_no_secret(fake):
    """stderr of `list` with a service error carrying a presigned URL and a password in the endpoint URL."""
    fake.add_fault(FaultRule("access_denied", service="forecast", message=f"Denied for {SIGV4}"))
    netloc = fake.url.replace("http://", "http://admin:pa55w0rd@")
    proc = run("list", "--service", "forecast", "--region", REGION, "--endpoint-url", netloc,
               "--format", "json", "--max-attempts", "1", env={"AWS_ENDPOINT_URL": netloc})
    assert proc.returncode == 1, proc.stderr
    assert "AccessDeniedException: Denied for https://b.s3.amazonaws.com/in/data.csv?" in proc.stderr
    _clean(proc.stderr + proc.stdout)


def test_the_report_of_an_old_export_shows_no_presigned_url(tmp_path):
    """A saved record written before redaction (a message with a presigned URL) is redacted on reading."""
    from jobinventory import normalize
    from jobinventory.report import load_jsonl

    job = normalize("forecast", "ListForecastExportJobs", {
        "ForecastExportJobArn": "arn:aws:forecast:us-east-1:123456789012:forecast-export-job/f/e",
        "ForecastExportJobName": "e", "Status": "CREATE_FAILED", "CreationTime": "2024-05-04T10:00:00Z"})
    record = dict(to_dict(job), message=f"Export to {SIGV4} failed.")
    saved = tmp_path / "old.jsonl"
    saved.write_text(json.dumps(record) + "\n")
    [read] = load_jsonl(str(saved))
    assert read.message == f"Export to https://b.s3.amazonaws.com/in/data.csv?{REDACTED} failed."
    proc = run("report", "--from", str(saved), "--output", str(tmp_path / "report.html"))
    assert proc.returncode == 0, proc.stderr
    _clean((tmp_path / "report.html").read_text())
