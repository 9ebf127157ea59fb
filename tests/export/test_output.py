"""Atomic file output and the S3 upload (through moto)."""
from __future__ import annotations

import io
import json
import os
import stat

import pytest

from jobinventory import export
from jobinventory.export.output import Output, parse_target

from .sample import sample_jobs


def _leftovers(directory):
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


def test_a_file_appears_complete(tmp_path):
    path = tmp_path / "jobs.jsonl"
    jobs = sample_jobs()
    assert export.export(jobs, "jsonl", str(path)) == len(jobs)
    assert len(path.read_text(encoding="utf-8").splitlines()) == len(jobs)
    assert _leftovers(tmp_path) == []


def test_new_file_gets_the_usual_permissions(tmp_path):
    path = tmp_path / "jobs.csv"
    export.export(sample_jobs(), "csv", str(path))
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask


def test_replacing_keeps_the_previous_file_mode(tmp_path):
    path = tmp_path / "jobs.csv"
    path.write_text("old")
    path.chmod(0o640)
    export.export(sample_jobs(), "csv", str(path))
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert path.read_text(encoding="utf-8").startswith("service,")


@pytest.mark.parametrize("error", [RuntimeError("boom"), KeyboardInterrupt(), SystemExit(143)])
def test_an_interrupted_export_leaves_the_previous_file(tmp_path, error):
    path = tmp_path / "jobs.json"
    path.write_text("previous export\n")
    jobs = sample_jobs()

    def failing():
        yield from jobs[:3]
        raise error

    with pytest.raises(type(error)):
        export.export(failing(), "json", str(path))
    assert path.read_text() == "previous export\n"
    assert _leftovers(tmp_path) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["jobs.json"]


def test_the_temporary_file_is_beside_the_target(tmp_path):
    path = tmp_path / "jobs.csv"
    with Output(str(path)) as stream:
        stream.write("partial")
        assert _leftovers(tmp_path) and not path.exists()
    assert path.read_text() == "partial"


def test_discard_leaves_the_target(tmp_path):
    path = tmp_path / "jobs.csv"
    path.write_text("keep")
    out = Output(str(path))
    with out as stream:
        stream.write("new")
        out.discard()
    assert path.read_text() == "keep" and not out.committed
    assert _leftovers(tmp_path) == []


def test_binary_output(tmp_path):
    pytest.importorskip("pyarrow")
    path = tmp_path / "jobs.parquet"
    export.export(sample_jobs(), "parquet", str(path))
    assert path.read_bytes()[:4] == b"PAR1"


def test_stdout_output_is_utf8_and_leaves_stdout_open():
    class Stdout(io.TextIOWrapper):
        pass

    raw = io.BytesIO()
    fake = Stdout(raw, encoding="ascii")
    with Output(None, stdout=fake) as stream:
        stream.write("\u00e9t\u00e9")
    assert raw.getvalue() == "\u00e9t\u00e9".encode("utf-8")
    assert not fake.closed


@pytest.mark.parametrize(
    "target, message",
    [
        ("s3://bucket", "bucket and an object key"),
        ("s3://bucket/", "bucket and an object key"),
        ("s3:///key", "bucket and an object key"),
        ("{tmp}/missing/jobs.csv", "does not exist"),
        ("{tmp}", "is a directory"),
    ],
)
def test_unusable_targets(tmp_path, target, message):
    with pytest.raises(export.InvalidTargetError, match=message):
        parse_target(target.format(tmp=tmp_path))


def test_targets():
    assert parse_target(None).kind == parse_target("-").kind == "stdout"
    s3 = parse_target("s3://my-bucket/jobs/latest.parquet")
    assert (s3.kind, s3.bucket, s3.key) == ("s3", "my-bucket", "jobs/latest.parquet")


@pytest.fixture
def s3():
    moto = pytest.importorskip("moto")
    import boto3

    with moto.mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket="dashboards")
        yield client


def test_s3_upload_of_the_finished_export(s3, tmp_path):
    jobs = sample_jobs()
    assert export.export(jobs, "jsonl", "s3://dashboards/jobs/latest.jsonl", s3_client=s3) == len(jobs)
    obj = s3.get_object(Bucket="dashboards", Key="jobs/latest.jsonl")
    lines = obj["Body"].read().decode("utf-8").splitlines()
    assert [json.loads(line)["job_id"] for line in lines] == [job.job_id for job in jobs]
    assert obj["ContentType"] == "application/x-ndjson"


def test_s3_upload_with_the_default_client(s3):
    export.export(sample_jobs(), "csv", "s3://dashboards/jobs.csv")
    body = s3.get_object(Bucket="dashboards", Key="jobs.csv")["Body"].read().decode("utf-8")
    assert body.startswith("service,operation,")


def test_s3_nothing_is_uploaded_when_the_export_fails(s3):
    def failing():
        yield sample_jobs()[0]
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        export.export(failing(), "jsonl", "s3://dashboards/partial.jsonl", s3_client=s3)
    assert s3.list_objects_v2(Bucket="dashboards").get("KeyCount") == 0


def test_s3_upload_failure_is_an_upload_error(s3, tmp_path, monkeypatch):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where the export is kept
    with pytest.raises(export.UploadError, match="s3://no-such-bucket/jobs.csv") as info:
        export.export(sample_jobs(), "csv", "s3://no-such-bucket/jobs.csv", s3_client=s3)
    [kept] = os.listdir(tmp_path)
    assert str(info.value).endswith(f"; the export is kept in {tmp_path / kept}")
