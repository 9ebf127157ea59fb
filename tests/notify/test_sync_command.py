"""`jobinventory sync --notify`: in-process against the fake job APIs, a local webhook receiver and moto."""
from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from jobinventory.cli import main

from .conftest import drain

OP = ["--region", "us-east-1", "--operation", "bedrock:ListModelImportJobs"]
SECRET = "T0/B0/XyzSecretToken"


def _summary(name: str, status: str) -> dict:
    return {
        "jobArn": f"arn:aws:bedrock:us-east-1:123456789012:model-import-job/{name}",
        "jobName": name,
        "importedModelName": f"{name}-model",
        "status": status,
        "creationTime": dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.timezone.utc),
        "lastModifiedTime": dt.datetime(2026, 11, 30, 10, 20, tzinfo=dt.timezone.utc),
    }


def _serve(fake, **statuses: str) -> None:
    fake.clear_jobs("bedrock", "ListModelImportJobs")
    fake.add_jobs("bedrock", "ListModelImportJobs", [_summary(n, s) for n, s in statuses.items()])


def _sync(capsys, db, *extra):
    status = main(["sync", "--db", db, *OP, *extra])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def db(tmp_path):
    return f"sqlite:///{tmp_path / 'inventory.db'}"


def test_sync_notify_baseline_then_each_change_once(capsys, fake_jobs, receiver, db):
    hook = f"webhook:{receiver.url}/ok/{SECRET}"
    _serve(fake_jobs, **{"import-x": "InProgress", "import-y": "InProgress"})
    status, out, err = _sync(capsys, db, "--notify", "jsonl:-", "--notify", hook)
    # The baseline: nothing sent; with jsonl:- on stdout, the summary line goes to stderr.
    assert (status, out) == (0, "")
    assert err.startswith("sync 1: 2 changes (2 new, 0 status, 0 gone)") and receiver.requests == []

    _serve(fake_jobs, **{"import-x": "Failed", "import-y": "InProgress", "import-z": "InProgress"})
    status, out, err = _sync(capsys, db, "--notify", "jsonl:-", "--notify", hook)
    assert status == 0
    assert [(e["change"], e["name"], e["previous_status"], e["status"]) for e in map(json.loads, out.splitlines())] == [
        ("status", "import-x", "RUNNING", "FAILED"), ("new", "import-z", None, "RUNNING")]
    assert err.startswith("sync 2: 2 changes (1 new, 1 status, 0 gone)")
    assert [r["json"]["text"] for r in receiver.requests] == [
        "bedrock model_import job import-x in us-east-1: RUNNING -> FAILED",
        "bedrock model_import job import-z in us-east-1: new, RUNNING"]

    status, out, err = _sync(capsys, db, "--notify", "jsonl:-", "--notify", hook)
    assert (status, out) == (0, "") and len(receiver.requests) == 2


def test_a_failing_target_is_named_by_host_exits_3_and_its_changes_wait(capsys, fake_jobs, receiver, db):
    hook = f"webhook:{receiver.url}/flaky/{SECRET}"
    host = receiver.url[len("http://"):]
    _serve(fake_jobs, **{"import-x": "InProgress"})
    assert _sync(capsys, db, "--notify", hook)[0] == 0
    _serve(fake_jobs, **{"import-x": "Failed"})
    status, out, err = _sync(capsys, db, "--notify", hook, "--notify-timeout", "2")
    assert status == 3
    assert out.startswith("sync 2: 1 changes (0 new, 1 status, 0 gone)")
    assert err == f"jobinventory: notify webhook:{host}: 1 of 1 not delivered: HTTP 500; 1 change(s) kept for the next sync\n"
    assert "Secret" not in out + err

    receiver.failing = False
    status, out, err = _sync(capsys, db, "--notify", hook)
    assert (status, err) == (0, "")
    assert out.startswith("sync 3: 0 changes")
    assert [(r["path"], r["json"]["name"], r["json"]["status"]) for r in receiver.requests] == [
        (f"/flaky/{SECRET}", "import-x", "FAILED")] * 2


def test_notify_filters_from_the_command_line(capsys, fake_jobs, db):
    _serve(fake_jobs, **{"a": "InProgress", "b": "InProgress", "c": "InProgress"})
    _sync(capsys, db, "--notify", "jsonl:-")
    _serve(fake_jobs, **{"a": "Failed", "b": "Completed", "d": "Failed"})
    status, out, _ = _sync(capsys, db, "--notify", "jsonl:-", "--notify-status", "FAILED,stopped", "--notify-kind", "status")
    assert status == 0
    assert [(e["change"], e["name"]) for e in map(json.loads, out.splitlines())] == [("status", "a")]


def test_sync_notify_eventbridge_through_moto(capsys, fake_jobs, aws, moto_url, monkeypatch, db):
    monkeypatch.setenv("AWS_ENDPOINT_URL_EVENTBRIDGE", moto_url)
    sqs, events = aws("sqs"), aws("events")
    url = sqs.create_queue(QueueName="failed-jobs")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    events.put_rule(Name="failed", EventPattern=json.dumps(
        {"source": ["jobinventory"], "detail-type": ["Job State Change"], "detail": {"status": ["FAILED"]}}))
    events.put_targets(Rule="failed", Targets=[{"Id": "q", "Arn": arn}])
    _serve(fake_jobs, **{"a": "InProgress", "b": "InProgress"})
    _sync(capsys, db, "--notify", "eventbridge:default")
    _serve(fake_jobs, **{"a": "Failed", "b": "Completed"})
    status, out, err = _sync(capsys, db, "--notify", "eventbridge:default")
    assert (status, err) == (0, "")
    (message,) = drain(sqs, url, 1)
    assert (message["detail"]["name"], message["detail"]["change"], message["detail"]["previous_status"]) == (
        "a", "status", "RUNNING")


@pytest.mark.parametrize(
    "extra, line",
    [
        (["--notify", "kafka:jobs"], "jobinventory: error: notify target kafka: unknown kind; give one of "
                                     "eventbridge:..., sns:..., webhook:..., jsonl:..."),
        (["--notify", "webhook:ftp://h.example.com/secret"],
         "jobinventory: error: notify target webhook:ftp://h.example.com: give an http:// or https:// URL with a host"),
        (["--notify-status", "failed"], "jobinventory: error: --notify-status only go with --notify"),
    ],
)
def test_bad_notify_options_are_one_line_before_anything_is_done(capsys, fake_jobs, db, tmp_path, extra, line):
    status, out, err = _sync(capsys, db, *extra)
    assert (status, out, err) == (2, "", line + "\n")
    assert fake_jobs.count() == 0 and not (tmp_path / "inventory.db").exists()


def test_a_bad_notify_kind_is_a_usage_error(capsys, db):
    with pytest.raises(SystemExit) as info:
        main(["sync", "--db", db, "--notify", "jsonl:-", "--notify-kind", "renamed"])
    assert info.value.code == 2
    assert re.search(r"--notify-kind: unknown change kind 'renamed'; one of: new, status, gone", capsys.readouterr().err)
