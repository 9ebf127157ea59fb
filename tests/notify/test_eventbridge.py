"""eventbridge:BUS through moto's server: a rule routes the events to an SQS queue, read back exactly."""
from __future__ import annotations

import json

import pytest

from jobinventory.notify import Delivery, NotifySettings, notify, parse_target

from .conftest import drain
from .sample import ACCOUNT, OBSERVED, expected_detail, many_events, three_events

FAILED_JOBS = {"source": ["jobinventory"], "detail-type": ["Job State Change"], "detail": {"status": ["FAILED"]}}
ALL_JOBS = {"source": ["jobinventory"]}


def _bus_to_queue(aws, bus: str, rule: str, pattern: dict) -> str:
    sqs, events = aws("sqs"), aws("events")
    url = sqs.create_queue(QueueName=f"{bus}-{rule}")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    events.put_rule(Name=rule, EventBusName=bus, EventPattern=json.dumps(pattern))
    events.put_targets(Rule=rule, EventBusName=bus, Targets=[{"Id": "queue", "Arn": arn}])
    return url


@pytest.fixture
def ops_bus(aws):
    aws("events").create_event_bus(Name="ops")
    return {
        "all": _bus_to_queue(aws, "ops", "all-jobs", ALL_JOBS),
        "failed": _bus_to_queue(aws, "ops", "failed-jobs", FAILED_JOBS),
    }


def test_each_change_is_one_event_with_the_record_as_detail(aws, moto_url, ops_bus):
    events = three_events()
    target = parse_target("eventbridge:ops", settings=NotifySettings(endpoint_url=moto_url))
    (report,) = notify(events, [target])

    assert report.target == "eventbridge:ops"
    assert report.deliveries == (Delivery(1, True), Delivery(2, True), Delivery(3, True))
    got = drain(aws("sqs"), ops_bus["all"], 3)
    assert [m["detail"] for m in got] == [expected_detail(e) for e in events]
    for message, event in zip(got, events):
        assert message["source"] == "jobinventory"
        assert message["detail-type"] == "Job State Change"
        assert message["resources"] == [event.job.arn]
        assert (message["version"], message["region"]) == ("0", "us-east-1")
        assert message["time"] == OBSERVED.strftime("%Y-%m-%dT%H:%M:%SZ")
    # The README's rule for failed jobs matches the failure only.
    (failed,) = drain(aws("sqs"), ops_bus["failed"], 1)
    assert failed["detail"]["name"] == "import-x"
    assert (failed["detail"]["change"], failed["detail"]["previous_status"]) == ("status", "RUNNING")


def test_the_bus_by_arn(aws, moto_url, ops_bus):
    target = parse_target(f"eventbridge:arn:aws:events:us-east-1:{ACCOUNT}:event-bus/ops", settings=NotifySettings(endpoint_url=moto_url))
    (report,) = notify(three_events()[:1], [target])
    assert report.ok and report.delivered == 1
    assert [m["detail"]["name"] for m in drain(aws("sqs"), ops_bus["all"], 1)] == ["import-x"]


def test_entries_go_ten_per_call_in_order(aws, events_proxy, ops_bus):
    events = many_events(23)
    target = parse_target("eventbridge:ops", settings=NotifySettings(endpoint_url=events_proxy.url))
    (report,) = notify(events, [target])

    assert events_proxy.calls == [10, 10, 3]
    assert report.deliveries == tuple(Delivery(i, True) for i in range(1, 24))
    got = drain(aws("sqs"), ops_bus["all"], 23)
    assert sorted(m["detail"]["name"] for m in got) == [f"job-{i:03d}" for i in range(1, 24)]


def test_an_entry_the_response_marks_failed_is_not_delivered(aws, events_proxy, ops_bus):
    events_proxy.fail_names = {"job-002", "job-011"}
    target = parse_target("eventbridge:ops", settings=NotifySettings(endpoint_url=events_proxy.url))
    (report,) = notify(many_events(12), [target])

    failed = Delivery(0, False, "InternalFailure: injected")
    assert [d.change_id for d in report.deliveries] == list(range(1, 13))
    assert [d.delivered for d in report.deliveries] == [i not in (2, 11) for i in range(1, 13)]
    assert report.deliveries[1] == Delivery(2, False, failed.error)
    assert report.deliveries[10] == Delivery(11, False, failed.error)
    assert (report.delivered, report.failed, report.ok) == (10, 2, False)
    assert str(report) == "eventbridge:ops: 2 of 12 not delivered: InternalFailure: injected"
    got = drain(aws("sqs"), ops_bus["all"], 10)
    assert sorted(m["detail"]["name"] for m in got) == [f"job-{i:03d}" for i in range(1, 13) if i not in (2, 11)]


def test_a_failed_call_stops_the_target_and_raises_nothing(aws, moto_url):
    target = parse_target("eventbridge:no-such-bus", settings=NotifySettings(endpoint_url=moto_url, max_attempts=1))
    (report,) = notify(many_events(12), [target])

    assert report.delivered == 0
    first = report.deliveries[0]
    assert first.attempted and first.error.startswith("ResourceNotFoundException: ")
    assert [d.attempted for d in report.deliveries] == [True] * 10 + [False] * 2
    assert report.deliveries[11].error == "not attempted: an earlier PutEvents call failed"
