"""--output never replaces what it should not: pipes, /dev/fd/N and /dev/stdout are written in
place, a symlink keeps its link; an S3 target is checked before collecting, and an upload that
fails after collecting keeps the export in a local file (moto's S3 over real HTTP)."""
from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
import threading
from typing import Iterator

import boto3
from botocore.config import Config
import pytest
from moto.server import ThreadedMotoServer

from jobinventory import export
from jobinventory.export.output import Output, check_s3_target, parse_target

from tests.cli.helpers import error_line, run


def _write(target, text: str) -> None:
    with Output(target) as stream:
        stream.write(text)


def test_a_fifo_is_written_in_place(tmp_path):
    fifo = tmp_path / "jobs.fifo"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text()))
    reader.start()
    try:
        target = parse_target(str(fifo))
        assert target.in_place
        _write(target, "one\ntwo\n")
    finally:
        reader.join(timeout=30)
    assert got == ["one\ntwo\n"]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)  # still a pipe, not a file
    assert os.listdir(tmp_path) == ["jobs.fifo"]  # no temp file left beside it


def test_dev_fd_n_is_written_in_place():
    read_end, write_end = os.pipe()
    try:
        target = parse_target(f"/dev/fd/{write_end}")
        assert target.in_place and target.path == f"/dev/fd/{write_end}"
        _write(target, "through the pipe\n")
        os.close(write_end)
        write_end = -1
        with os.fdopen(read_end, "r") as reader:
            read_end = -1
            assert reader.read() == "through the pipe\n"
    finally:
        for fd in (read_end, write_end):
            if fd >= 0:
                os.close(fd)


def test_dev_stdout_redirected_to_a_file_keeps_that_file(tmp_path):
    out = tmp_path / "shell-redirect.jsonl"
    with open(out, "w") as handle:
        inode = os.fstat(handle.fileno()).st_ino
        proc = subprocess.run([sys.executable, "-m", "jobinventory", "list", "--demo", "--format", "jsonl",
                               "--output", "/dev/stdout", "--region", "us-east-1", "--service", "bedrock"],
                              stdout=handle, stderr=subprocess.PIPE, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert os.stat(out).st_ino == inode  # the shell's file, not a new one renamed over it
    lines = out.read_text().splitlines()
    assert lines and all(line.startswith('{"service":"bedrock"') for line in lines)


def test_a_symlink_replaces_its_target_and_stays_a_link(tmp_path):
    real = tmp_path / "data" / "jobs.json"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "latest.json"
    link.symlink_to(real)
    _write(str(link), "new")
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text() == "new"
    assert sorted(os.listdir(real.parent)) == ["jobs.json"]


def test_a_dangling_symlink_creates_its_target(tmp_path):
    link = tmp_path / "latest.json"
    link.symlink_to(tmp_path / "made.json")
    _write(str(link), "made")
    assert link.is_symlink() and (tmp_path / "made.json").read_text() == "made"


def test_a_symlink_into_a_missing_directory_is_refused_before_writing(tmp_path):
    link = tmp_path / "latest.json"
    link.symlink_to(tmp_path / "gone" / "jobs.json")
    with pytest.raises(export.InvalidTargetError, match="does not exist"):
        parse_target(str(link))


@pytest.mark.parametrize("url, why", [
    ("s3://BAD_Bucket!!/k.json", "'BAD_Bucket!!' is not an S3 bucket name"),
    ("s3://ab/k.json", "'ab' is not an S3 bucket name"),
    ("s3://192.168.1.1/k.json", "'192.168.1.1' is not an S3 bucket name"),
    ("s3://my..bucket/k.json", "'my..bucket' is not an S3 bucket name"),
])
def test_bad_bucket_names_are_refused(url, why):
    with pytest.raises(export.InvalidTargetError, match=why.replace(".", r"\.").replace("!", "!")):
        parse_target(url)


def test_a_bad_bucket_is_a_usage_error_before_collecting():
    proc = run("list", "--demo", "--output", "s3://BAD_Bucket!!/k.json")
    assert proc.returncode == 2
    assert "is not an S3 bucket name" in error_line(proc)
    assert proc.stdout == ""


@pytest.fixture
def moto_s3() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def _s3(url: str):
    return boto3.client("s3", region_name="us-east-1", endpoint_url=url)


def test_a_missing_bucket_is_found_before_collecting(moto_s3):
    client = _s3(moto_s3)
    client.create_bucket(Bucket="dashboards")
    check_s3_target(parse_target("s3://dashboards/jobs.json"), client)  # there: nothing to say
    with pytest.raises(export.InvalidTargetError, match="there is no bucket 'no-such-bucket'"):
        check_s3_target(parse_target("s3://no-such-bucket/jobs.json"), client)


def test_an_unreachable_bucket_is_found_before_collecting():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    client = boto3.client("s3", region_name="us-east-1", endpoint_url=f"http://127.0.0.1:{port}",
                          config=Config(retries={"total_max_attempts": 1}))
    with pytest.raises(export.UploadError, match="the bucket cannot be reached"):
        check_s3_target(parse_target("s3://dashboards/jobs.json"), client)


def test_an_upload_that_fails_after_collecting_keeps_the_export(moto_s3, tmp_path, monkeypatch):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    client = _s3(moto_s3)
    client.create_bucket(Bucket="dashboards")
    target = parse_target("s3://dashboards/jobs/latest.jsonl")
    check_s3_target(target, client)
    with pytest.raises(export.UploadError) as info:
        with Output(target, s3_client=client) as stream:
            stream.write('{"job": 1}\n')
            client.delete_bucket(Bucket="dashboards")  # gone while we were listing
    message = str(info.value)
    assert message.startswith("could not upload to s3://dashboards/jobs/latest.jsonl: ")
    kept = message.rsplit("; the export is kept in ", 1)[1]
    assert os.path.dirname(kept) == str(tmp_path) and kept.endswith("-latest.jsonl")
    with open(kept) as handle:
        assert handle.read() == '{"job": 1}\n'
