"""Target parsing, the event and its human line, jsonl:, filters, and a target that breaks."""
from __future__ import annotations

import io
import json
from pathlib import Path

import attrs
import jsonschema
import pytest

from jobinventory import ConfigurationError, JobStatus
from jobinventory.notify import (
    Delivery,
    NotifyFilter,
    NotifySettings,
    Target,
    make_event,
    notify,
    parse_target,
)

from .sample import OBSERVED, expected_detail, forecast_job, import_job, three_events

SCHEMA = Path(__file__).resolve().parents[2] / "schemas" / "job.schema.json"


@pytest.mark.parametrize(
    "text, name",
    [
        ("eventbridge:ops", "eventbridge:ops"),
        ("eventbridge:arn:aws:events:eu-west-1:123456789012:event-bus/ops", "eventbridge:arn:aws:events:eu-west-1:123456789012:event-bus/ops"),
        ("sns:arn:aws:sns:eu-west-1:123456789012:alerts", "sns:arn:aws:sns:eu-west-1:123456789012:alerts"),
        ("webhook:https://hooks.slack.com/services/T0/B0/secret", "webhook:hooks.slack.com"),
        ("WEBHOOK:http://user:pw@10.0.0.5:8080/x?token=secret", "webhook:10.0.0.5:8080"),
        ("jsonl:-", "jsonl:-"),
    ],
)
def test_targets_parse_and_show_a_safe_name(text, name):
    target = parse_target(text)
    assert isinstance(target, Target) and target.name == name


def test_a_bus_arn_sets_the_region():
    assert parse_target("eventbridge:arn:aws:events:eu-west-1:123456789012:event-bus/ops").region == "eu-west-1"
    assert parse_target("eventbridge:ops").region == "us-east-1"  # the session's (conftest)
    assert parse_target("sns:arn:aws:sns:ap-south-1:123456789012:alerts").region == "ap-south-1"


@pytest.mark.parametrize(
    "text, message",
    [
        ("slack", "notify target slack: unknown kind; give one of eventbridge:..., sns:..., webhook:..., jsonl:..."),
        ("https://hooks.slack.com/services/T0/B0/secret", "notify target a bare URL (write webhook:URL): unknown kind; give one of eventbridge:..., sns:..., webhook:..., jsonl:..."),
        ("kafka:topic", "notify target kafka: unknown kind; give one of eventbridge:..., sns:..., webhook:..., jsonl:..."),
        ("webhook:", "notify target webhook: is missing its value after the colon"),
        ("webhook:ftp://files.example.com/secret", "notify target webhook:ftp://files.example.com: give an http:// or https:// URL with a host"),
        ("webhook:hooks.slack.com/services/secret", "notify target webhook:...: give an http:// or https:// URL with a host"),
        ("webhook:https://h.example.com:99999/secret", "notify target webhook:?: not a valid URL"),
        ("sns:alerts", "notify target sns:alerts: give a topic ARN (arn:aws:sns:REGION:ACCOUNT:TOPIC)"),
        ("sns:arn:aws:sqs:us-east-1:123456789012:q", "notify target sns:arn:aws:sqs:us-east-1:123456789012:q: give a topic ARN (arn:aws:sns:REGION:ACCOUNT:TOPIC)"),
        ("eventbridge:my bus", "notify target eventbridge:my bus: give an event bus name or ARN (arn:aws:events:REGION:ACCOUNT:event-bus/NAME)"),
        ("eventbridge:arn:aws:events:us-east-1:123456789012:rule/r", "notify target eventbridge:arn:aws:events:us-east-1:123456789012:rule/r: not an event bus ARN"),
        ("jsonl:", "notify target jsonl: is missing its value after the colon"),
    ],
)
def test_bad_targets_are_named_without_their_secret(text, message):
    with pytest.raises(ConfigurationError) as info:
        parse_target(text)
    assert str(info.value) == message


def test_a_bus_name_needs_a_region(monkeypatch):
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    with pytest.raises(ConfigurationError) as info:
        parse_target("eventbridge:ops")
    assert str(info.value) == "notify target eventbridge:ops: no AWS region: give an ARN or set a region (AWS_DEFAULT_REGION, profile)"


def test_the_event_is_the_record_plus_change_and_previous_status():
    job = import_job("import-x", "Failed", "boom")
    event = make_event(7, "status", JobStatus.RUNNING, job, OBSERVED)
    assert event.detail == expected_detail(event)
    assert (event.detail["change"], event.detail["previous_status"], event.detail["status"]) == ("status", "RUNNING", "FAILED")
    assert json.loads(event.body) == event.detail
    assert event.text == "bedrock model_import job import-x in us-east-1: RUNNING -> FAILED: boom"
    assert list(event.detail)[-2:] == ["change", "previous_status"]


def test_the_event_less_its_two_members_is_a_valid_job_record():
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text()))
    for event in three_events():
        record = {k: v for k, v in event.detail.items() if k not in ("change", "previous_status")}
        validator.validate(record)
        assert list(event.detail) == list(record) + ["change", "previous_status"]


def test_the_human_line_keeps_one_short_line():
    job = import_job("import-x", "Failed", "line one\nline two " + "x" * 400)
    text = make_event(1, "status", "RUNNING", job).text
    assert "\n" not in text
    assert text.startswith("bedrock model_import job import-x in us-east-1: RUNNING -> FAILED: line one line two xxx")
    assert text.endswith("...") and len(text) == len("bedrock model_import job import-x in us-east-1: RUNNING -> FAILED: ") + 300


def test_a_change_kind_must_be_known():
    with pytest.raises(ValueError) as info:
        make_event(1, "renamed", None, forecast_job("a", "ACTIVE"))
    assert str(info.value) == "change kind must be one of ('new', 'status', 'gone'), got 'renamed'"


def test_jsonl_writes_one_change_a_line(tmp_path):
    out = io.StringIO()
    events = three_events()
    (report,) = notify(events, [parse_target("jsonl:-", stdout=out)])
    assert report.deliveries == (Delivery(1, True), Delivery(2, True), Delivery(3, True))
    assert [json.loads(line) for line in out.getvalue().splitlines()] == [expected_detail(e) for e in events]

    path = tmp_path / "changes.jsonl"
    target = parse_target(f"jsonl:{path}")
    notify(events[:1], [target])
    notify(events[1:], [target])
    assert [json.loads(line)["name"] for line in path.read_text().splitlines()] == ["import-x", "sales-2026", "sales-2025"]


def test_jsonl_to_a_closed_stream_fails_without_raising():
    out = io.StringIO()
    out.close()
    (report,) = notify(three_events(), [parse_target("jsonl:-", stdout=out)])
    assert [(d.delivered, d.attempted) for d in report.deliveries] == [(False, True), (False, False), (False, False)]
    assert report.error == "write failed: I/O operation on closed file"


class _Broken(Target):
    scheme = "broken"
    name = "broken:x"

    def deliver(self, events, deadline):
        raise RuntimeError("a bug with http://secret/in/it")


def test_a_target_that_raises_is_a_failed_report_and_the_others_go_on():
    out = io.StringIO()
    reports = notify(three_events(), [_Broken(), parse_target("jsonl:-", stdout=out)])
    assert reports[0].deliveries == tuple(Delivery(i, False, "RuntimeError in broken:x") for i in (1, 2, 3))
    assert reports[1].ok and len(out.getvalue().splitlines()) == 3


def test_a_spent_budget_leaves_the_rest_unattempted(receiver):
    target = parse_target(f"webhook:{receiver.url}/hang/x", settings=NotifySettings(timeout=5, budget=0.2))
    (report,) = notify(three_events(), [target])
    # The POST is given what is left of the budget, not the 5 s timeout.
    assert report.deliveries[0].error.startswith("timed out after 0.")
    skipped = Delivery(2, False, "not attempted: the target's 0.2s budget was spent", attempted=False)
    assert report.deliveries[1:] == (skipped, attrs.evolve(skipped, change_id=3))


@pytest.mark.parametrize(
    "statuses, kinds, sent",
    [
        ((), (), ["status:FAILED", "new:PENDING", "gone:None", "status:STOPPED"]),
        (("failed", "STOPPED"), (), ["status:FAILED", "status:STOPPED"]),
        ((), ("gone",), ["gone:None"]),
        ((), ("new", "gone"), ["new:PENDING", "gone:None"]),
        (("pending",), ("status",), []),
        ((JobStatus.FAILED,), ("status", "new"), ["status:FAILED"]),
    ],
)
def test_filters_pick_by_kind_and_status_gone_into_none(statuses, kinds, sent):
    changes = [("status", "FAILED"), ("new", "PENDING"), ("gone", None), ("status", "STOPPED")]
    f = NotifyFilter(statuses=statuses, kinds=kinds)
    assert [f"{k}:{s}" for k, s in changes if f.accepts(k, s)] == sent


def test_filters_name_a_bad_value():
    with pytest.raises(ConfigurationError) as info:
        NotifyFilter(statuses=["failed", "broken"])
    assert str(info.value) == "notify status 'broken' is not a unified status (pending, running, stopping, stopped, succeeded, failed, deleting, unknown)"
    with pytest.raises(ConfigurationError) as info:
        NotifyFilter(kinds=["renamed"])
    assert str(info.value) == "notify kind 'renamed' is not one of new, status, gone"


@pytest.mark.parametrize("field, value", [("timeout", 0), ("budget", -1), ("max_attempts", 0)])
def test_settings_refuse_non_positive_values(field, value):
    with pytest.raises(ConfigurationError) as info:
        NotifySettings(**{field: value})
    assert str(info.value) == f"{field} must be a positive number, got {value!r}"
