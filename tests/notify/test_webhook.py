"""webhook:URL against a local receiver that accepts, refuses with 500, redirects, and hangs."""
from __future__ import annotations

import io
import logging

from jobinventory.notify import Delivery, NotifySettings, notify, parse_target

from .sample import expected_detail, three_events

SECRET = "T0001/B0002/XyzSecretToken"
QUICK = NotifySettings(timeout=0.3)  # only for receivers that hang: the time-out is what they test
SURE = NotifySettings(timeout=15)  # a receiver that answers: never a time-out, however loaded the machine


def test_each_change_is_one_post_of_the_record_and_a_text_line(receiver):
    events = three_events()
    target = parse_target(f"webhook:{receiver.url}/ok/{SECRET}", settings=SURE)
    (report,) = notify(events, [target])

    assert report.deliveries == (Delivery(1, True), Delivery(2, True), Delivery(3, True))
    assert [r["path"] for r in receiver.requests] == [f"/ok/{SECRET}"] * 3
    assert {r["content_type"] for r in receiver.requests} == {"application/json; charset=utf-8"}
    assert [r["json"] for r in receiver.requests] == [
        {**expected_detail(events[0]), "text": "bedrock model_import job import-x in us-east-1: RUNNING -> FAILED: ValidationException: model.safetensors is missing"},
        {**expected_detail(events[1]), "text": "forecast dataset_import job sales-2026 in us-east-1: new, PENDING"},
        {**expected_detail(events[2]), "text": "forecast dataset_import job sales-2025 in us-east-1: gone (last seen SUCCEEDED)"},
    ]


def test_a_500_fails_and_the_rest_wait(receiver, caplog):
    target = parse_target(f"webhook:{receiver.url}/fail/{SECRET}", settings=SURE)
    with caplog.at_level(logging.INFO, logger="jobinventory"):
        (report,) = notify(three_events(), [target])

    host = receiver.url[len("http://"):]
    assert report.target == f"webhook:{host}"
    assert report.deliveries == (
        Delivery(1, False, "HTTP 500"),
        Delivery(2, False, "not attempted: an earlier POST failed", attempted=False),
        Delivery(3, False, "not attempted: an earlier POST failed", attempted=False),
    )
    assert len(receiver.requests) == 1
    assert str(report) == f"webhook:{host}: 3 of 3 not delivered: HTTP 500"
    assert [r.getMessage() for r in caplog.records] == [str(report)]


def test_a_redirect_is_not_followed_and_fails(receiver):
    target = parse_target(f"webhook:{receiver.url}/moved/{SECRET}", settings=SURE)
    (report,) = notify(three_events()[:1], [target])
    assert report.deliveries == (Delivery(1, False, "HTTP 302"),)
    assert [r["path"] for r in receiver.requests] == [f"/moved/{SECRET}"]


def test_a_hanging_receiver_times_out_and_holds_no_other_target(receiver, caplog):
    hanging = parse_target(f"webhook:{receiver.url}/hang/{SECRET}", settings=QUICK)
    healthy = parse_target(f"webhook:{receiver.url}/ok/other", settings=SURE)
    out = io.StringIO()
    lines = parse_target("jsonl:-", stdout=out)
    with caplog.at_level(logging.INFO, logger="jobinventory"):
        reports = notify(three_events(), [hanging, healthy, lines])

    assert [r.target for r in reports] == [hanging.name, healthy.name, "jsonl:-"]
    assert reports[0].deliveries[0] == Delivery(1, False, "timed out after 0.3s")
    assert [d.attempted for d in reports[0].deliveries] == [True, False, False]
    assert reports[1].ok and reports[1].delivered == 3
    assert reports[2].ok and len(out.getvalue().splitlines()) == 3
    # The secret in the URL's path is in no report, error or log line.
    shown = [str(r) for r in reports] + [d.error or "" for r in reports for d in r.deliveries]
    shown += [r.getMessage() for r in caplog.records] + [hanging.name, hanging.key, repr(hanging)]
    assert not [s for s in shown if "Secret" in s or "/hang" in s]


def test_a_refused_connection_fails_with_the_host_only(receiver):
    url = receiver.url
    receiver.stop()  # nothing listens on the port any more
    target = parse_target(f"webhook:{url}/ok/{SECRET}", settings=SURE)
    (report,) = notify(three_events()[:2], [target])
    error = report.deliveries[0].error
    assert error.startswith("could not connect: ") and "Connection refused" in error
    assert SECRET not in str(report)
    assert report.deliveries[1] == Delivery(2, False, "not attempted: an earlier POST failed", attempted=False)


def test_the_key_names_the_url_by_digest_only():
    one = parse_target(f"webhook:http://127.0.0.1:8080/ok/{SECRET}")
    two = parse_target("webhook:http://127.0.0.1:8080/ok/another-secret")
    host = "127.0.0.1:8080"
    assert one.name == two.name == f"webhook:{host}"
    assert one.key != two.key
    assert one.key.startswith(f"webhook:{host}#") and len(one.key) == len(f"webhook:{host}#") + 16
