"""sns:TOPIC_ARN through moto's server: SQS subscriptions read back exactly, one of them filtering on status."""
from __future__ import annotations

import json

import pytest

from jobinventory.notify import Delivery, NotifySettings, notify, parse_target

from .conftest import drain
from .sample import ACCOUNT, expected_detail, three_events


def _subscribed_queue(aws, topic_arn: str, name: str, filter_policy: dict = None) -> str:
    sqs, sns = aws("sqs"), aws("sns")
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    attributes = {"FilterPolicy": json.dumps(filter_policy)} if filter_policy else {}
    sns.subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=arn, Attributes=attributes)
    return url


@pytest.fixture
def topic(aws):
    arn = aws("sns").create_topic(Name="job-changes")["TopicArn"]
    return {
        "arn": arn,
        "all": _subscribed_queue(aws, arn, "all-changes"),
        "failed": _subscribed_queue(aws, arn, "failed-only", {"status": ["FAILED"], "change": ["status"]}),
    }


def test_each_change_is_one_message_with_filterable_attributes(aws, moto_url, topic):
    events = three_events()
    target = parse_target(f"sns:{topic['arn']}", settings=NotifySettings(endpoint_url=moto_url))
    (report,) = notify(events, [target])

    assert report.target == f"sns:arn:aws:sns:us-east-1:{ACCOUNT}:job-changes"
    assert report.deliveries == (Delivery(1, True), Delivery(2, True), Delivery(3, True))
    got = drain(aws("sqs"), topic["all"], 3)
    assert [json.loads(m["Message"]) for m in got] == [expected_detail(e) for e in events]
    assert [m["MessageAttributes"] for m in got] == [
        {
            "service": {"Type": "String", "Value": service},
            "status": {"Type": "String", "Value": status},
            "change": {"Type": "String", "Value": change},
        }
        for service, status, change in [("bedrock", "FAILED", "status"), ("forecast", "PENDING", "new"), ("forecast", "SUCCEEDED", "gone")]
    ]
    assert {m["TopicArn"] for m in got} == {topic["arn"]}
    (failed,) = drain(aws("sqs"), topic["failed"], 1)
    assert json.loads(failed["Message"])["name"] == "import-x"


def test_a_missing_topic_fails_every_change_and_raises_nothing(moto_url):
    arn = f"arn:aws:sns:us-east-1:{ACCOUNT}:nobody-home"
    target = parse_target(f"sns:{arn}", settings=NotifySettings(endpoint_url=moto_url, max_attempts=1))
    (report,) = notify(three_events(), [target])

    assert [(d.change_id, d.delivered, d.attempted) for d in report.deliveries] == [(1, False, True), (2, False, False), (3, False, False)]
    assert report.deliveries[0].error.startswith("NotFound: ")
    assert report.deliveries[2].error == "not attempted: an earlier Publish failed"
