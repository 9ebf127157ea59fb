"""Routing, accounts, regions, the wire format and the server's lifecycle."""
from __future__ import annotations

import http.client
import json
import re
import socket
import subprocess
import sys

import boto3
import pytest
from botocore.exceptions import ClientError

from jobinventory.testing import FakeJobServer, moto_account_resolver
from jobinventory.testing.callers import ec2_regions
from jobinventory.testing.seeds import generate

from .conftest import ALL_OPS, by_op, call, client_for, list_all


def _auth(region: str, service: str, key: str = "AKIDRAW") -> str:
    return (f"AWS4-HMAC-SHA256 Credential={key}/20250630/{region}/{service}/aws4_request, "
            "SignedHeaders=host;x-amz-date, Signature=" + "0" * 64)


def _raw(fake, method, path, headers, body=b""):
    conn = http.client.HTTPConnection(fake.host, fake.port, timeout=10)
    try:
        conn.request(method, path, body=body, headers=headers)
        resp = conn.getresponse()
        return resp.status, dict(resp.getheaders()), resp.read()
    finally:
        conn.close()


@by_op
def test_round_trip_is_exact(fake_jobs, spec):
    """What boto3 parses is what was seeded (timestamps equal as aware datetimes)."""
    seeded = generate(spec.service, spec.operation, 30, region="eu-west-1", seed=4)
    fake_jobs.add_jobs(spec.service, spec.operation, seeded, region="eu-west-1")
    got, _ = list_all(client_for(fake_jobs, spec.service, "eu-west-1"), spec, **{spec.limit_member: 9})
    assert got == seeded


def test_fixture_points_the_environment_at_the_fake(fake_jobs):
    fake_jobs.seed([("forecast", "ListForecastExportJobs")], jobs_per_stream=2)
    client = boto3.client("forecast")  # no endpoint, region or credentials given
    assert len(client.list_forecast_export_jobs()["ForecastExportJobs"]) == 2
    assert boto3.client("sts").get_caller_identity()["Account"] == "123456789012"
    assert fake_jobs.requests[0].region == "us-east-1"


def test_per_service_endpoint_variables(fake_jobs, monkeypatch):
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}"
    monkeypatch.setenv("AWS_ENDPOINT_URL", dead)
    monkeypatch.setenv("AWS_ENDPOINT_URL_BEDROCK", fake_jobs.url)
    monkeypatch.setenv("AWS_ENDPOINT_URL_DATAEXCHANGE", fake_jobs.url)
    assert boto3.client("bedrock").list_model_copy_jobs()["modelCopyJobSummaries"] == []
    assert boto3.client("dataexchange").list_jobs()["Jobs"] == []


def test_accounts_from_access_keys(fake_jobs):
    fake_jobs.seed(["personalize"], accounts=["111111111111", "222222222222"], jobs_per_stream=1)
    fake_jobs.set_account("AKIDONE", "111111111111")
    fake_jobs.accounts.resolver = lambda key: "222222222222" if key.startswith("ASIA") else None
    for key, account in (("AKIDONE", "111111111111"), ("ASIATEMP", "222222222222"), ("AKIDNEW", "123456789012")):
        client = client_for(fake_jobs, "personalize", key=key)
        jobs = client.list_batch_inference_jobs()["batchInferenceJobs"]
        assert [j["batchInferenceJobArn"].split(":")[4] for j in jobs] == ([account] if account != "123456789012" else [])
        assert client_for(fake_jobs, "sts", key=key).get_caller_identity()["Account"] == account
    with pytest.raises(ValueError, match="12 digits"):
        fake_jobs.set_account("AKID", "12345")


def test_moto_sts_and_the_fake_side_by_side(monkeypatch):
    moto_server = pytest.importorskip("moto.server")
    moto = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    moto.start()
    try:
        host, port = moto.get_host_and_port()
        with FakeJobServer(account_resolver=moto_account_resolver) as fake:
            fake.seed(["bedrock"], accounts=["444455556666"], jobs_per_stream=2)
            monkeypatch.setenv("AWS_ENDPOINT_URL_STS", f"http://{host}:{port}")
            monkeypatch.setenv("AWS_ENDPOINT_URL_BEDROCK", fake.url)
            creds = boto3.client("sts").assume_role(
                RoleArn="arn:aws:iam::444455556666:role/Inventory", RoleSessionName="inventory")["Credentials"]
            session = boto3.Session(aws_access_key_id=creds["AccessKeyId"],
                                    aws_secret_access_key=creds["SecretAccessKey"],
                                    aws_session_token=creds["SessionToken"], region_name="us-east-1")
            jobs = session.client("bedrock").list_model_import_jobs()["modelImportJobSummaries"]
            assert len(jobs) == 2 and fake.requests[-1].account_id == "444455556666"
            assert moto_account_resolver("AKIDUNKNOWN") is None
    finally:
        moto.stop()


def test_describe_regions(fake_jobs):
    ec2 = client_for(fake_jobs, "ec2")
    regions = {r["RegionName"]: r["OptInStatus"] for r in ec2.describe_regions()["Regions"]}
    assert set(regions) == set(ec2_regions()) and regions["us-east-1"] == "opt-in-not-required"
    assert regions["af-south-1"] == "opted-in"
    fake_jobs.set_region_status("af-south-1", "not-opted-in")
    fake_jobs.set_region_status("eu-south-1", "not-opted-in", account_id="123456789012")
    fake_jobs.set_account("AKIDOTHER", "999988887777")
    enabled = {r["RegionName"] for r in ec2.describe_regions()["Regions"]}
    assert "af-south-1" not in enabled and "eu-south-1" not in enabled
    everything = {r["RegionName"]: r["OptInStatus"] for r in ec2.describe_regions(AllRegions=True)["Regions"]}
    assert everything["af-south-1"] == "not-opted-in" and len(everything) == len(ec2_regions())
    other = {r["RegionName"] for r in client_for(fake_jobs, "ec2", key="AKIDOTHER").describe_regions()["Regions"]}
    assert "eu-south-1" in other and "af-south-1" not in other
    picked = ec2.describe_regions(RegionNames=["us-west-2", "eu-west-1"])["Regions"]
    assert sorted(r["RegionName"] for r in picked) == ["eu-west-1", "us-west-2"]
    filtered = ec2.describe_regions(AllRegions=True, Filters=[{"Name": "opt-in-status", "Values": ["not-opted-in"]}])
    assert {r["RegionName"] for r in filtered["Regions"]} == {"af-south-1", "eu-south-1"}
    with pytest.raises(ValueError):
        fake_jobs.set_region_status("us-east-1", "maybe")


def test_operations_the_fake_does_not_serve(fake_jobs):
    with pytest.raises(ClientError, match="UnknownOperationException"):
        client_for(fake_jobs, "forecast").list_monitors()
    with pytest.raises(ClientError, match="UnknownOperationException") as info:
        client_for(fake_jobs, "bedrock").list_foundation_models()
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    with pytest.raises(ClientError, match="InvalidAction"):
        client_for(fake_jobs, "sts").get_session_token()
    with pytest.raises(ClientError, match="UnrecognizedClientException"):
        client_for(fake_jobs, "s3").list_buckets()


def test_wire_format_json(fake_jobs):
    fake_jobs.seed([("forecast", "ListDatasetImportJobs")], regions=["us-west-2"], jobs_per_stream=1)
    status, headers, body = _raw(fake_jobs, "POST", "/", {
        "Authorization": _auth("us-west-2", "forecast"), "X-Amz-Target": "AmazonForecast.ListDatasetImportJobs",
        "Content-Type": "application/x-amz-json-1.1"}, b"{}")
    assert status == 200 and headers["Content-Type"] == "application/x-amz-json-1.1"
    assert re.fullmatch(r"[0-9a-f-]{36}", headers["x-amzn-RequestId"])
    job = json.loads(body)["DatasetImportJobs"][0]
    assert isinstance(job["CreationTime"], float) and job["CreationTime"] > 1.7e9
    status, headers, body = _raw(fake_jobs, "POST", "/", {
        "Authorization": _auth("us-west-2", "forecast"), "X-Amz-Target": "AmazonForecast.ListDatasetImportJobs"},
        b'{"NextToken": "nope"}')
    assert status == 400 and json.loads(body)["__type"] == "InvalidNextTokenException"
    status, _, body = _raw(fake_jobs, "POST", "/", {
        "Authorization": _auth("us-west-2", "forecast"), "X-Amz-Target": "AmazonForecast.ListDatasetImportJobs"},
        b"[1, 2]")
    assert status == 400 and json.loads(body)["__type"] == "SerializationException"


def test_wire_format_rest_json(fake_jobs):
    fake_jobs.seed(["dataexchange"], jobs_per_stream=1)
    status, headers, body = _raw(fake_jobs, "GET", "/v1/jobs?maxResults=5", {"Authorization": _auth("us-east-1", "dataexchange")})
    assert status == 200 and headers["Content-Type"] == "application/json" and "x-amzn-RequestId" in headers
    job = json.loads(body)["Jobs"][0]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", job["CreatedAt"])
    status, headers, body = _raw(fake_jobs, "GET", "/v1/jobs?maxResults=0", {"Authorization": _auth("us-east-1", "dataexchange")})
    assert status == 400 and headers["x-amzn-ErrorType"] == "ValidationException" and "message" in json.loads(body)
    status, _, _ = _raw(fake_jobs, "GET", "/v1/jobs", {})
    assert status == 403  # unsigned


def test_keep_alive_connections_serve_many_requests(fake_jobs):
    conn = http.client.HTTPConnection(fake_jobs.host, fake_jobs.port, timeout=10)
    try:
        for _ in range(3):
            conn.request("GET", "/model-copy-jobs", headers={"Authorization": _auth("us-east-1", "bedrock")})
            resp = conn.getresponse()
            assert resp.status == 200 and json.loads(resp.read()) == {"modelCopyJobSummaries": []}
    finally:
        conn.close()


def test_lifecycle():
    fake = FakeJobServer()
    with pytest.raises(RuntimeError, match="not started"):
        fake.url
    fake.start()
    url = fake.url
    assert fake.start() is fake and fake.url == url and fake.running
    conn = http.client.HTTPConnection(fake.host, fake.port, timeout=10)
    conn.request("GET", "/v1/jobs", headers={"Authorization": _auth("us-east-1", "dataexchange")})
    conn.getresponse().read()  # leave the kept-alive connection open
    fake.stop()
    fake.stop()
    assert not fake.running
    conn.close()
    with FakeJobServer() as other:
        assert other.url != url or other.port
    assert not other.running


def test_fixture_stops_the_server_even_when_the_test_fails(tmp_path):
    (tmp_path / "conftest.py").write_text("pytest_plugins = ['jobinventory.testing.pytest_plugin']\n")
    (tmp_path / "test_it.py").write_text(
        "import os\n"
        "SEEN = []\n"
        "def test_fails(fake_jobs):\n"
        "    SEEN.append((fake_jobs, os.environ['AWS_ENDPOINT_URL']))\n"
        "    assert False\n"
        "def test_after():\n"
        "    fake, url = SEEN[0]\n"
        "    assert not fake.running and url.startswith('http://127.0.0.1:')\n"
        "    assert os.environ.get('AWS_ENDPOINT_URL') != url\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:jobinventory", "-p", "no:cacheprovider", str(tmp_path)],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )
    assert "1 failed, 1 passed" in result.stdout, result.stdout + result.stderr


def test_seeding_many_streams_and_jobs(fake_jobs):
    added = fake_jobs.seed(["forecast", ("bedrock", "ListModelCopyJobs")], regions=["us-east-1", "eu-west-1"],
                           accounts=["123456789012", "111111111111"], jobs_per_stream=3)
    assert added == 10 * 2 * 2 * 3 == fake_jobs.job_count()  # 9 Forecast lists and one of Bedrock
    assert len(fake_jobs.streams()) == 40
    assert fake_jobs.job_count(service="forecast", region="eu-west-1") == 54
    assert fake_jobs.clear_jobs(account_id="111111111111") == 60
    assert fake_jobs.job_count() == 60
    with pytest.raises(KeyError):
        fake_jobs.seed(["sagemaker"])


@pytest.mark.parametrize("spec", ALL_OPS[:1], ids=["forecast"])
def test_add_jobs_to_a_region_and_account(fake_jobs, spec):
    jobs = generate(spec.service, spec.operation, 2, region="ap-south-1", account_id="555566667777")
    fake_jobs.add_jobs(spec.service, spec.operation, jobs, region="ap-south-1", account_id="555566667777")
    fake_jobs.set_account("AKID5555", "555566667777")
    assert call(client_for(fake_jobs, "forecast", "ap-south-1", key="AKID5555"), spec)[spec.result_key] == jobs
    assert call(client_for(fake_jobs, "forecast", "ap-south-1"), spec)[spec.result_key] == []


def test_plugin_autoloads_from_the_entry_point(request):
    from importlib.metadata import entry_points

    import jobinventory.testing.pytest_plugin as plugin

    if not [e for e in entry_points(group="pytest11") if e.value == plugin.__name__]:
        pytest.skip("jobinventory is not installed (pip install -e .)")
    manager = request.config.pluginmanager
    if manager.is_blocked("jobinventory"):
        pytest.skip("run with -p no:jobinventory")
    assert manager.get_plugin("jobinventory") is plugin
