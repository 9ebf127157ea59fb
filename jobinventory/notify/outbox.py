"""The outbox: each change waits in the store, per target, until that target accepts it.

1. `enqueue`, inside the sync's own transaction: one `pending` row in
   `deliveries` per (change, target) that the filter lets through, holding
   the job's record as it was then. Baseline: a `new` change from a stream
   (account, region, service, operation) that no earlier sync answered is
   recorded, not sent; so the first sync of an empty store sends nothing,
   nor does the first listing of a region or service added later.
2. `deliver_pending`, after the sync committed: for each target, claim its
   pending rows (oldest first, those earlier runs left included) in a short
   locked transaction, send them (targets in parallel, each in its own time
   budget), then record the outcome: `delivered` only when accepted, else
   back to `pending` with the error, for the next run.

A claim (`sending`) keeps a second process from sending the same rows; a
claim older than its lease (its sender died) is taken over.
"""
from __future__ import annotations

import datetime as _dt
from typing import Any, Dict, Iterable, List, Optional, Sequence, Set, Tuple

import attrs
from sqlalchemy import and_, bindparam, insert, or_, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from ..convert import from_dict, to_dict
from ..store.engine import write_transaction
from ..store.errors import StoreError
from ..store.tables import deliveries, job_changes, sync_streams
from .base import NotifySettings, Target, TargetReport
from .event import Event, make_event
from .filters import NotifyFilter
from .targets import send

__all__ = ["Notifier", "enqueue", "deliver_pending", "claim_lease"]

StreamKey = Tuple[Optional[str], Optional[str], str, str]
_CHUNK = 500


def _unique(targets: Iterable[Target]) -> Tuple[Target, ...]:
    seen: Dict[str, Target] = {}
    for target in targets:
        seen.setdefault(target.key, target)
    return tuple(seen.values())


@attrs.frozen
class Notifier:
    """Targets and what to send them; give it to `Store.sync(..., notify=)` or `collect_and_sync`.

    `statuses` / `kinds` (or a ready `filter`): send only changes into these
    unified statuses / of these kinds (new, status, gone). A target given
    twice is one target.
    """

    targets: Tuple[Target, ...] = attrs.field(converter=_unique)
    filter: NotifyFilter = attrs.field(factory=NotifyFilter)

    @classmethod
    def of(cls, targets: Iterable[Target], *, statuses: Any = None, kinds: Any = None) -> "Notifier":
        return cls(targets, NotifyFilter(statuses=statuses or (), kinds=kinds or ()))

    def enqueue(self, conn: Connection, sync_id: int, changes: Iterable[Any]) -> int:
        return enqueue(conn, sync_id, changes, self.targets, self.filter)

    def deliver(self, store: Any) -> List[TargetReport]:
        return deliver_pending(store, self.targets)


def _answered_before(conn: Connection, sync_id: int) -> Set[StreamKey]:
    query = (select(sync_streams.c.account_id, sync_streams.c.region, sync_streams.c.service,
                    sync_streams.c.operation)
             .where(sync_streams.c.state == "answered", sync_streams.c.sync_id < sync_id).distinct())
    return {tuple(row) for row in conn.execute(query)}  # type: ignore[misc]


def _listed_before(job: Any, known: Set[StreamKey]) -> bool:
    # A stream whose account id could not be learnt (STS refused) is recorded without one.
    return (job.account_id, job.region, job.service, job.operation) in known \
        or (None, job.region, job.service, job.operation) in known


def enqueue(conn: Connection, sync_id: int, changes: Iterable[Any], targets: Sequence[Target],
            notify_filter: Optional[NotifyFilter] = None) -> int:
    """Write a pending delivery per (change, target) in `conn`'s transaction; return how many.

    `changes`: the sync's store Changes (a list, or read as they come: rows
    are written a chunk at a time). Baseline `new` changes and those the
    filter refuses get none.
    """
    notify_filter = notify_filter or NotifyFilter()
    if not targets:
        return 0
    known: Optional[Set[StreamKey]] = None
    rows: List[Dict[str, Any]] = []
    written = 0
    for change in changes:
        if known is None:
            known = _answered_before(conn, sync_id)
        if change.kind == "new" and not _listed_before(change.job, known):
            continue  # the stream's baseline: recorded, not sent
        if not notify_filter.accepts(change.kind, change.to_status):
            continue
        record = to_dict(change.job)
        rows += [{"change_id": change.change_id, "target": t.key, "state": "pending", "attempts": 0,
                  "last_error": None, "delivered_at": None, "claimed_at": None, "record": record}
                 for t in targets]
        if len(rows) >= _CHUNK:
            conn.execute(insert(deliveries), rows)
            written, rows = written + len(rows), []
    if rows:
        conn.execute(insert(deliveries), rows)
    return written + len(rows)


def claim_lease(settings: NotifySettings) -> _dt.timedelta:
    """How long a claim holds: the target's budget plus one last call's worst case, with margin."""
    return _dt.timedelta(seconds=settings.budget + settings.timeout * settings.max_attempts + 60)


def _claim(conn: Connection, target: Target, now: _dt.datetime) -> List[Event]:
    stale = now - claim_lease(target.settings)
    query = (
        select(deliveries.c.change_id, deliveries.c.record, job_changes.c.kind, job_changes.c.from_status,
               job_changes.c.observed_at)
        .join(job_changes, job_changes.c.change_id == deliveries.c.change_id)
        .where(deliveries.c.target == target.key,
               or_(deliveries.c.state == "pending",
                   and_(deliveries.c.state == "sending", deliveries.c.claimed_at < stale)))
        .order_by(deliveries.c.change_id)
    )
    rows = conn.execute(query).all()
    ids = [row.change_id for row in rows]
    for start in range(0, len(ids), _CHUNK):
        conn.execute(update(deliveries)
                     .where(deliveries.c.target == target.key, deliveries.c.change_id.in_(ids[start:start + _CHUNK]))
                     .values(state="sending", claimed_at=now))
    return [make_event(row.change_id, row.kind, row.from_status, from_dict(row.record), row.observed_at)
            for row in rows]


def _record(conn: Connection, key: str, report: TargetReport, claimed: _dt.datetime) -> None:
    """Write one target's outcome on the rows it still holds (a claim taken over is left alone)."""
    now = _dt.datetime.now(_dt.timezone.utc)
    held = and_(deliveries.c.target == key, deliveries.c.change_id == bindparam("id"),
                deliveries.c.state == "sending", deliveries.c.claimed_at == claimed)
    delivered = [{"id": d.change_id} for d in report.deliveries if d.delivered]
    failed = [{"id": d.change_id, "error": d.error} for d in report.deliveries if not d.delivered and d.attempted]
    skipped = [{"id": d.change_id} for d in report.deliveries if not d.delivered and not d.attempted]
    if delivered:
        conn.execute(update(deliveries).where(held).values(
            state="delivered", delivered_at=now, attempts=deliveries.c.attempts + 1, last_error=None,
            claimed_at=None), delivered)
    if failed:
        conn.execute(update(deliveries).where(held).values(
            state="pending", attempts=deliveries.c.attempts + 1, last_error=bindparam("error"),
            claimed_at=None), failed)
    if skipped:
        conn.execute(update(deliveries).where(held).values(state="pending", claimed_at=None), skipped)


def deliver_pending(store: Any, targets: Sequence[Target]) -> List[TargetReport]:
    """Send every target what the store holds pending for it, oldest first; one report per target.

    Never raises for a target's failure (it is in the report and stays
    pending); StoreError when the store itself cannot be written.
    """
    targets = _unique(targets)
    if not targets:
        return []
    claimed = _dt.datetime.now(_dt.timezone.utc)
    try:
        with write_transaction(store.engine) as conn:
            plan = [(target, _claim(conn, target, claimed)) for target in targets]
        reports = send(plan)
        with write_transaction(store.engine) as conn:
            for target, report in zip(targets, reports):
                _record(conn, target.key, report, claimed)
    except DBAPIError as exc:
        first = str(exc.orig if exc.orig is not None else exc).strip().splitlines()[0]
        raise StoreError(f"the notification outbox of {store.url} could not be written: {first}") from None
    return reports
