"""The outbox (SQLite and PostgreSQL): written in the sync's transaction, sent once accepted, never lost, never twice."""
from __future__ import annotations

import datetime as dt
import io
import json
from typing import List

from sqlalchemy import select, update

from jobinventory.notify import Delivery, Notifier, NotifySettings, Target, deliver_pending, parse_target
from jobinventory.store.tables import deliveries

from .sample import BEDROCK, FORECAST, forecast_job, import_job, inventory

QUICK = NotifySettings(timeout=0.3)  # only for receivers that hang: the time-out is what they test
SURE = NotifySettings(timeout=15)  # a receiver that answers: never a time-out, however loaded the machine


def lines(out: io.StringIO) -> List[str]:
    """(change, name, status) of every line written so far, and empty the buffer."""
    got = [json.loads(line) for line in out.getvalue().splitlines()]
    out.seek(0)
    out.truncate()
    return [f"{e['change']}:{e['name']}:{e['status']}" for e in got]


def rows(store):
    with store.engine.connect() as conn:
        query = select(deliveries).order_by(deliveries.c.target, deliveries.c.change_id)
        return [dict(r) for r in conn.execute(query).mappings()]


def baseline(store, notifier):
    """The first sync of the empty store: two running jobs."""
    result = store.sync(inventory([forecast_job("a", "CREATE_IN_PROGRESS"), import_job("b", "InProgress")], 0),
                        filtered=False, notify=notifier)
    assert len(result.changes) == 2
    return result


def test_the_first_sync_is_the_baseline_and_then_each_change_goes_once(store):
    out = io.StringIO()
    notifier = Notifier.of([parse_target("jsonl:-", stdout=out)])
    first = baseline(store, notifier)
    assert [str(r) for r in first.notifications] == ["jsonl:-: 0 delivered"]
    assert lines(out) == [] and rows(store) == []

    second = store.sync(inventory([forecast_job("a", "ACTIVE"), import_job("b", "Failed"), forecast_job("c", "CREATE_PENDING")], 1),
                        filtered=False, notify=notifier)
    assert [(c.kind, c.job.name) for c in second.changes] == [("status", "a"), ("status", "b"), ("new", "c")]
    assert lines(out) == ["status:a:SUCCEEDED", "status:b:FAILED", "new:c:PENDING"]
    assert [(r["change_id"], r["target"], r["state"], r["attempts"], r["last_error"]) for r in rows(store)] == [
        (3, "jsonl:-", "delivered", 1, None), (4, "jsonl:-", "delivered", 1, None), (5, "jsonl:-", "delivered", 1, None)]

    # Nothing changed: nothing sent. A gone job: only that.
    store.sync(inventory([forecast_job("a", "ACTIVE"), import_job("b", "Failed"), forecast_job("c", "CREATE_PENDING")], 2),
               filtered=False, notify=notifier)
    assert lines(out) == []
    store.sync(inventory([forecast_job("a", "ACTIVE"), import_job("b", "Failed")], 3), filtered=False, notify=notifier)
    assert lines(out) == ["gone:c:PENDING"]


def test_a_new_stream_is_its_own_baseline_but_a_known_one_sends_new_jobs(store):
    out = io.StringIO()
    notifier = Notifier.of([parse_target("jsonl:-", stdout=out)])
    store.sync(inventory([forecast_job("a", "ACTIVE")], 0, streams=[FORECAST]), filtered=False, notify=notifier)
    store.sync(inventory([forecast_job("a", "ACTIVE"), forecast_job("n", "CREATE_PENDING"), import_job("old", "Completed")], 1),
               filtered=False, notify=notifier)
    # Bedrock was listed for the first time: its job is recorded, not sent.
    assert lines(out) == ["new:n:PENDING"]


def test_a_failing_target_keeps_its_changes_for_the_next_sync_oldest_first(store, receiver):
    out = io.StringIO()
    flaky = parse_target(f"webhook:{receiver.url}/flaky/T0/B0/secret", settings=SURE)
    notifier = Notifier.of([flaky, parse_target("jsonl:-", stdout=out)])
    baseline(store, notifier)

    second = store.sync(inventory([forecast_job("a", "CREATE_FAILED"), import_job("b", "Stopped")], 1), filtered=False, notify=notifier)
    hook, jsonl = second.notifications
    assert hook.deliveries == (Delivery(3, False, "HTTP 500"),
                               Delivery(4, False, "not attempted: an earlier POST failed", attempted=False))
    assert jsonl.ok and lines(out) == ["status:a:FAILED", "status:b:STOPPED"]
    held = [(r["change_id"], r["state"], r["attempts"], r["last_error"]) for r in rows(store) if r["target"] == flaky.key]
    assert held == [(3, "pending", 1, "HTTP 500"), (4, "pending", 0, None)]
    assert flaky.key.startswith("webhook:127.0.0.1:") and "secret" not in json.dumps([r["target"] for r in rows(store)])

    receiver.failing = False
    third = store.sync(inventory([forecast_job("a", "CREATE_FAILED"), import_job("b", "Stopped"), forecast_job("c", "CREATE_PENDING")], 2),
                       filtered=False, notify=notifier)
    assert [d.change_id for d in third.notifications[0].deliveries] == [3, 4, 5]
    assert third.notifications[0].ok and lines(out) == ["new:c:PENDING"]
    posted = [(r["json"]["change"], r["json"]["name"], r["json"]["status"]) for r in receiver.requests]
    assert posted == [("status", "a", "FAILED"), ("status", "a", "FAILED"), ("status", "b", "STOPPED"), ("new", "c", "PENDING")]
    assert {r["state"] for r in rows(store)} == {"delivered"}

    # Two successful syncs: nothing is sent again.
    store.sync(inventory([forecast_job("a", "CREATE_FAILED"), import_job("b", "Stopped"), forecast_job("c", "CREATE_PENDING")], 3),
               filtered=False, notify=notifier)
    assert len(receiver.requests) == 4 and lines(out) == []


def test_a_late_delivery_sends_the_job_as_it_was_when_it_changed(store, receiver):
    flaky = parse_target(f"webhook:{receiver.url}/flaky/x", settings=SURE)
    notifier = Notifier.of([flaky])
    baseline(store, notifier)
    store.sync(inventory([forecast_job("a", "CREATE_STOPPING"), import_job("b", "InProgress")], 1), filtered=False, notify=notifier)
    receiver.failing = False
    store.sync(inventory([forecast_job("a", "CREATE_STOPPED"), import_job("b", "InProgress")], 2), filtered=False, notify=notifier)
    posted = [(r["json"]["previous_status"], r["json"]["status"], r["json"]["raw_status"]) for r in receiver.requests]
    assert posted == [("RUNNING", "STOPPING", "CREATE_STOPPING"), ("RUNNING", "STOPPING", "CREATE_STOPPING"),
                      ("STOPPING", "STOPPED", "CREATE_STOPPED")]


def test_a_target_that_keeps_hanging_holds_neither_the_sync_nor_the_others(store, receiver):
    out = io.StringIO()
    hanging = parse_target(f"webhook:{receiver.url}/hang/x", settings=QUICK)
    notifier = Notifier.of([hanging, parse_target("jsonl:-", stdout=out)])
    baseline(store, notifier)
    for hour, status in ((1, "ACTIVE"), (2, "DELETE_IN_PROGRESS")):
        result = store.sync(inventory([forecast_job("a", status), import_job("b", "InProgress")], hour), filtered=False, notify=notifier)
        hang, jsonl = result.notifications
        assert hang.deliveries[0].error == "timed out after 0.3s"
        assert jsonl.ok and jsonl.delivered == 1
    assert lines(out) == ["status:a:SUCCEEDED", "status:a:DELETING"]
    held = [(r["change_id"], r["state"], r["attempts"]) for r in rows(store) if r["target"] == hanging.key]
    assert held == [(3, "pending", 2), (4, "pending", 0)]


def test_a_failed_put_events_entry_goes_again_alone(store, aws, events_proxy):
    sqs, events = aws("sqs"), aws("events")
    url = sqs.create_queue(QueueName="changes")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    events.put_rule(Name="all", EventPattern=json.dumps({"source": ["jobinventory"]}))
    events.put_targets(Rule="all", Targets=[{"Id": "q", "Arn": arn}])
    bus = parse_target("eventbridge:default", settings=NotifySettings(endpoint_url=events_proxy.url))
    notifier = Notifier.of([bus])
    baseline(store, notifier)

    events_proxy.fail_names = {"b"}
    result = store.sync(inventory([forecast_job("a", "ACTIVE"), import_job("b", "Failed")], 1), filtered=False, notify=notifier)
    assert result.notifications[0].deliveries == (Delivery(3, True), Delivery(4, False, "InternalFailure: injected"))
    events_proxy.fail_names = set()
    result = store.sync(inventory([forecast_job("a", "ACTIVE"), import_job("b", "Failed")], 2), filtered=False, notify=notifier)
    assert result.notifications[0].deliveries == (Delivery(4, True),)
    from .conftest import drain

    got = [(m["detail"]["name"], m["detail"]["status"]) for m in drain(sqs, url, 2)]
    assert got == [("a", "SUCCEEDED"), ("b", "FAILED")]
    assert events_proxy.calls == [2, 1]


def test_filters_decide_what_is_kept_for_sending(store):
    out = io.StringIO()
    notifier = Notifier.of([parse_target("jsonl:-", stdout=out)], statuses=["failed", "stopped"], kinds=["status", "new"])
    baseline(store, notifier)
    store.sync(inventory([forecast_job("a", "CREATE_FAILED"), forecast_job("n1", "CREATE_FAILED"), forecast_job("n2", "ACTIVE")], 1),
               filtered=False, notify=notifier)
    # b went gone (no status to go into), n2 went into SUCCEEDED: neither is kept.
    assert lines(out) == ["status:a:FAILED", "new:n1:FAILED"]
    assert [r["change_id"] for r in rows(store)] == [3, 4]


class _Watcher(Target):
    """Accepts everything, noting what the store held when it was called."""

    scheme = "watch"
    name = "watch:x"

    def __init__(self, store):
        self.store = store
        self.seen = []

    def deliver(self, events, deadline):
        self.seen.append([(r["change_id"], r["state"]) for r in rows(self.store)])
        return [Delivery(e.change_id, True) for e in events]


def test_changes_are_in_the_store_before_any_is_sent(store):
    watcher = _Watcher(store)
    notifier = Notifier.of([watcher])
    baseline(store, notifier)
    store.sync(inventory([forecast_job("a", "ACTIVE"), import_job("b", "Failed")], 1), filtered=False, notify=notifier)
    assert watcher.seen == [[], [(3, "sending"), (4, "sending")]]
    assert [(r["change_id"], r["state"]) for r in rows(store)] == [(3, "delivered"), (4, "delivered")]


def test_a_claim_keeps_a_second_sender_off_until_its_lease_ends(store):
    out = io.StringIO()
    target = parse_target("jsonl:-", stdout=out)
    notifier = Notifier.of([target])
    baseline(store, notifier)
    store.sync(inventory([forecast_job("a", "ACTIVE"), import_job("b", "Failed")], 1), filtered=False, notify=Notifier.of([]))
    # Another process claimed the rows: a sync given no targets writes no delivery, so make them by hand.
    from jobinventory.notify.outbox import enqueue

    with store.engine.begin() as conn:
        changes = store.changes()
        assert enqueue(conn, 99, sorted(changes, key=lambda c: c.change_id)[2:], [target]) == 2
        conn.execute(update(deliveries).values(state="sending", claimed_at=dt.datetime.now(dt.timezone.utc)))
    (report,) = deliver_pending(store, [target])
    assert report.deliveries == () and lines(out) == []
    with store.engine.begin() as conn:
        conn.execute(update(deliveries).values(claimed_at=dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=1)))
    (report,) = deliver_pending(store, [target])
    assert [d.change_id for d in report.deliveries] == [3, 4] and lines(out) == ["status:a:SUCCEEDED", "status:b:FAILED"]
    (report,) = deliver_pending(store, [target])
    assert report.deliveries == ()


def test_a_stream_listed_without_its_account_id_is_still_known(store):
    # STS refused: the streams carry no account id, the jobs have one from their ARN.
    streams = [(None,) + FORECAST[1:], (None,) + BEDROCK[1:]]
    out = io.StringIO()
    notifier = Notifier.of([parse_target("jsonl:-", stdout=out)])
    store.sync(inventory([forecast_job("a", "ACTIVE")], 0, streams=streams), filtered=False, notify=notifier)
    store.sync(inventory([forecast_job("a", "ACTIVE"), forecast_job("n", "CREATE_PENDING")], 1, streams=streams),
               filtered=False, notify=notifier)
    assert lines(out) == ["new:n:PENDING"]
