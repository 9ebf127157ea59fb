"""Overlapping syncs: the one that started collecting first may write last; per job, the newer view stays."""
from __future__ import annotations

from sqlalchemy import select

from jobinventory import collect
from jobinventory.store.tables import job_changes, jobs, sync_streams, syncs

from .helpers import BEDROCK, FORECAST, answered, inventory, job, kinds, later


def _jobs(store):
    with store.engine.connect() as conn:
        return sorted(conn.execute(select(jobs.c.name, jobs.c.status, jobs.c.last_seen_at, jobs.c.gone_at,
                                          jobs.c.last_sync_id)).all())


def _changes(store):
    with store.engine.connect() as conn:
        rows = conn.execute(select(job_changes.c.sync_id, job_changes.c.observed_at, job_changes.c.job_id,
                                   job_changes.c.kind, job_changes.c.from_status, job_changes.c.to_status)
                            .order_by(job_changes.c.change_id)).all()
    return [(sync_id, at, job_id.rsplit("/", 1)[1], kind, old, new) for sync_id, at, job_id, kind, old, new in rows]


def test_an_older_view_written_after_a_newer_one_changes_none_of_its_jobs(store):
    store.sync(inventory([job(1), job(2), job(3), job(10, stream=BEDROCK)], at=later(0)), filtered=False)
    # B started collecting at 2h, A at 1h; B commits first.
    newer = store.sync(inventory([job(1, "SUCCEEDED"), job(2), job(4), job(10, stream=BEDROCK)], at=later(2)),
                       filtered=False)
    assert kinds(newer) == [("status", "j1", "RUNNING", "SUCCEEDED"), ("new", "j4", None, "RUNNING"),
                            ("gone", "j3", "RUNNING", None)]
    older = store.sync(inventory([job(1), job(2), job(3), job(10, stream=BEDROCK)], at=later(1)), filtered=False)
    # j1 is not rolled back, j3 not listed again, j4 not gone, no last_seen_at goes back.
    assert kinds(older) == []
    assert (older.sync_id, older.started_at, older.jobs_seen, older.streams_answered) == (3, later(1), 4, 2)
    assert _jobs(store) == [
        ("j1", "SUCCEEDED", later(2), None, 2),
        ("j10", "RUNNING", later(2), None, 2),
        ("j2", "RUNNING", later(2), None, 2),
        ("j3", "RUNNING", later(0), later(2), 1),
        ("j4", "RUNNING", later(2), None, 2),
    ]
    assert _changes(store) == [
        (1, later(0), "j1", "new", None, "RUNNING"), (1, later(0), "j2", "new", None, "RUNNING"),
        (1, later(0), "j3", "new", None, "RUNNING"), (1, later(0), "j10", "new", None, "RUNNING"),
        (2, later(2), "j1", "status", "RUNNING", "SUCCEEDED"), (2, later(2), "j4", "new", None, "RUNNING"),
        (2, later(2), "j3", "gone", "RUNNING", None),
    ]
    with store.engine.connect() as conn:
        assert conn.execute(select(syncs.c.sync_id, syncs.c.started_at, syncs.c.jobs_seen, syncs.c.changes)
                            .order_by(syncs.c.sync_id)).all() == [
            (1, later(0), 4, 4), (2, later(2), 4, 3), (3, later(1), 4, 0)]
        assert conn.execute(select(sync_streams.c.sync_id, sync_streams.c.service, sync_streams.c.state)
                            .where(sync_streams.c.sync_id == 3).order_by(sync_streams.c.service)).all() == [
            (3, "bedrock", "answered"), (3, "forecast", "answered")]


def test_a_stale_sync_still_applies_what_no_newer_sync_saw(store):
    store.sync(inventory([job(1), job(2), job(10, stream=BEDROCK), job(11, stream=BEDROCK)], at=later(0)),
               filtered=False)
    # A newer, filtered sync of the forecast stream saw only j1.
    store.sync(inventory([job(1, "SUCCEEDED")], streams=[answered(FORECAST, 1)], at=later(2)), filtered=True)
    older = store.sync(inventory([job(1), job(2), job(10, "FAILED", stream=BEDROCK), job(12, stream=BEDROCK)],
                                 at=later(1)), filtered=False)
    assert kinds(older) == [("status", "j10", "RUNNING", "FAILED"), ("new", "j12", None, "RUNNING"),
                            ("gone", "j11", "RUNNING", None)]
    assert _jobs(store) == [
        ("j1", "SUCCEEDED", later(2), None, 2),  # the bulk update of its stream left it alone
        ("j10", "FAILED", later(1), None, 3),
        ("j11", "RUNNING", later(0), later(1), 1),
        ("j12", "RUNNING", later(1), None, 3),
        ("j2", "RUNNING", later(1), None, 3),
    ]
    assert _changes(store)[4:] == [
        (2, later(2), "j1", "status", "RUNNING", "SUCCEEDED"),
        (3, later(1), "j10", "status", "RUNNING", "FAILED"), (3, later(1), "j12", "new", None, "RUNNING"),
        (3, later(1), "j11", "gone", "RUNNING", None),
    ]


def test_a_collection_written_after_a_later_one_keeps_the_later_view(store, fake_jobs):
    ops = ["forecast:ListForecastExportJobs"]
    fake_jobs.seed([("forecast", "ListForecastExportJobs")], regions=["us-east-1"], jobs_per_stream=4, seed=3)
    stale = collect(operations=ops, regions=["us-east-1"], endpoint_url=fake_jobs.url)
    fake_jobs.clear_jobs("forecast", "ListForecastExportJobs", "us-east-1")
    newer = store.collect_and_sync(operations=ops, regions=["us-east-1"], endpoint_url=fake_jobs.url)
    assert (newer.sync_id, newer.changes, newer.jobs_seen) == (1, [], 0)
    result = store.sync(stale, filtered=False)
    # The stale jobs were never seen by the newer sync: they are new (the next sync marks them gone).
    assert result.started_at == stale.collected_at < newer.started_at
    assert [c.kind for c in result.changes] == ["new"] * 4
    again = store.collect_and_sync(operations=ops, regions=["us-east-1"], endpoint_url=fake_jobs.url)
    assert [c.kind for c in again.changes] == ["gone"] * 4
    assert store.sync(stale, filtered=False).changes == []  # older than their gone_at: not listed again
    assert {row[1] for row in _jobs(store)} == {j.status.value for j in stale.jobs}
    assert [row[3] for row in _jobs(store)] == [again.started_at] * 4


class _Listing:
    """A collection as iter_jobs gives it, whose streams, read once its jobs are staged, first run `meanwhile`."""

    def __init__(self, listed, meanwhile):
        self._inventory, self._meanwhile = listed, meanwhile
        self.errors, self.collected_at, self.complete = listed.errors, listed.collected_at, listed.complete

    def __iter__(self):
        return iter(self._inventory.jobs)

    @property
    def streams(self):
        if self._meanwhile is not None:
            meanwhile, self._meanwhile = self._meanwhile, None
            meanwhile()
        return self._inventory.streams


def test_an_older_sync_written_while_a_newer_one_staged_its_jobs_is_put_back(store):
    """Jobs staged as stored (only their key and version) get this sync's view back, details kept."""
    first = [job(1), job(2), job(10, stream=BEDROCK)]
    store.sync(inventory(first, at=later(0)), filtered=False)
    # A started at 1h: j1 failed, j2 not listed (gone). B started at 2h, saw the first view, and
    # staged it; A commits before B takes the lock.
    older = inventory([job(1, "FAILED", raw_status="Failed"), job(10, stream=BEDROCK)], at=later(1))
    result = store.sync(_Listing(inventory(first, at=later(2)),
                                 lambda: store.sync(older, filtered=False)), filtered=False)

    assert (result.sync_id, result.jobs_seen) == (3, 3)
    # Not an Inventory: its changes come newest first.
    assert kinds(result) == [("new", "j2", None, "RUNNING"), ("status", "j1", "FAILED", "RUNNING")]
    assert result.counts == {"new": 1, "status": 1, "gone": 0}
    assert _jobs(store) == [("j1", "RUNNING", later(2), None, 3), ("j10", "RUNNING", later(2), None, 3),
                            ("j2", "RUNNING", later(2), None, 3)]
    assert [c.job for c in result.changes] == [first[1], first[0]]  # every field as the first view had it
    assert _changes(store)[-4:] == [
        (2, later(1), "j1", "status", "RUNNING", "FAILED"), (2, later(1), "j2", "gone", "RUNNING", None),
        (3, later(2), "j2", "new", None, "RUNNING"), (3, later(2), "j1", "status", "FAILED", "RUNNING")]
