"""The snapshot read from a real store after syncs of the fake."""
from __future__ import annotations

import collections
import datetime as dt

from jobinventory import JobStatus, demo
from jobinventory.serve.state import read_snapshot
from jobinventory.store import open_store

NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.timezone.utc)
STEP = dt.timedelta(minutes=5)


def _key(job):
    return (job.service, job.operation, job.region or "", job.account_id or "")


def test_the_snapshot_follows_the_store_sync_after_sync(store_url):
    with demo.running(now=NOW) as target, open_store(store_url) as store:
        assert read_snapshot(store.engine).last_sync is None
        previous, changes = None, collections.Counter()
        for step in range(4):
            if step:
                target.move_on(step, now=NOW + step * STEP)
            result = store.collect_and_sync(target.session, endpoint_url=target.endpoint_url,
                                            regions=["us-east-1"])
            changes.update((_key(c.job), c.to_status) for c in result.changes if c.kind != "gone")
            at = NOW + step * STEP
            snap = read_snapshot(store.engine, previous, now=at)
            assert snap == read_snapshot(store.engine, now=at)  # counting on from the last snapshot = recounting
            previous = snap
            if step == 0:
                first_failed = sum(n for (_, status), n in snap.jobs.items() if status == JobStatus.FAILED.value)

            listed = [c.job for c in store.changes() if c.kind == "new"]  # every job ever seen
            jobs = collections.Counter()
            with store.engine.connect() as conn:
                from sqlalchemy import select

                from jobinventory.store.tables import jobs as jobs_table
                for row in conn.execute(select(jobs_table).where(jobs_table.c.gone_at.is_(None))):
                    jobs[(_key(row), row.status)] += 1
            assert dict(snap.jobs) == dict(jobs)
            assert sum(snap.jobs.values()) == result.jobs_seen
            assert dict(snap.changes) == dict(changes)
            assert set(snap.streams) == {_key(job) for job in listed}
            assert snap.last_sync.sync_id == result.sync_id
            assert snap.last_sync.finished_at == result.finished_at
            assert snap.stream_failures == {}
            with store.engine.connect() as conn:
                rows = conn.execute(select(jobs_table).where(jobs_table.c.gone_at.is_(None))).mappings().all()
            recent = at - dt.timedelta(hours=24)
            wanted = sorted((r for r in rows if r["status"] in ("PENDING", "RUNNING", "STOPPING", "DELETING") or (
                r["status"] == "FAILED" and max(t for t in (r["ended_at"], r["updated_at"], r["created_at"]) if t)
                >= recent)), key=lambda r: (-r["created_at"].timestamp(), r["service"], r["job_id"]))[:100]
            assert [(i.job_id, i.status) for i in snap.info] == [(r["job_id"], r["status"]) for r in wanted]
        # Jobs moved on: more changes into FAILED than jobs FAILED at the first sync.
        assert sum(n for (_, status), n in snap.changes.items() if status == JobStatus.FAILED.value) > first_failed
        assert snap.oldest_active  # the demo has running jobs
        for stream, created in snap.oldest_active.items():
            assert created.tzinfo is not None


def test_failed_streams_of_the_last_sync_by_kind(store_url):
    with demo.running(now=NOW) as target, open_store(store_url) as store:
        target.fake.inject(service="bedrock", region="eu-west-1", access_denied=True)
        result = store.collect_and_sync(target.session, endpoint_url=target.endpoint_url,
                                        regions=["us-east-1", "eu-west-1"])
        snap = read_snapshot(store.engine)
        expected = collections.Counter(((e.service, e.operation, e.region, e.account or ""), e.kind)
                                       for e in result.errors)
        assert dict(snap.stream_failures) == dict(expected)
        assert sum(expected.values()) == result.streams_failed == 6
        assert snap.last_sync.streams_failed == 6
        target.fake.clear_faults()
        store.collect_and_sync(target.session, endpoint_url=target.endpoint_url, regions=["us-east-1", "eu-west-1"])
        assert read_snapshot(store.engine).stream_failures == {}
