"""One transaction per sync: a killed sync leaves the last finished state; two syncs never write a change twice."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

from sqlalchemy import event, func, select

from jobinventory.store import open_store
from jobinventory.store.tables import job_changes, jobs, sync_streams, syncs

from .helpers import inventory, job, kinds, later

CHILD = Path(__file__).with_name("sync_child.py")
ROOT = Path(__file__).resolve().parents[2]


def _counts(store):
    with store.engine.connect() as conn:
        return {
            "syncs": conn.execute(select(func.count()).select_from(syncs)).scalar_one(),
            "changes": conn.execute(select(func.count()).select_from(job_changes)).scalar_one(),
            "streams": conn.execute(select(func.count()).select_from(sync_streams)).scalar_one(),
            "jobs": sorted(conn.execute(select(jobs.c.name, jobs.c.status, jobs.c.message, jobs.c.last_sync_id))
                           .all()),
        }


def test_a_sync_killed_mid_transaction_leaves_the_last_finished_sync(store_url):
    with open_store(store_url) as store:
        store.sync(inventory([job(n, "RUNNING") for n in range(1, 41)], at=later(0)), filtered=False)
        before = _counts(store)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    child = subprocess.Popen([sys.executable, str(CHILD), store_url], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=env, cwd=str(ROOT))
    try:
        line = child.stdout.readline()
        assert line == "writing\n", child.stderr.read() if not line else line
        child.kill()  # SIGKILL: no cleanup, no rollback by the child
        child.wait(30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(30)
        child.stdout.close()
        child.stderr.close()
    assert child.returncode == -9
    with open_store(store_url) as store:
        assert _counts(store) == before
        assert before["syncs"] == 1 and before["changes"] == 40
        assert {row[1] for row in before["jobs"]} == {"RUNNING"}
        # and the store takes the next sync as if the killed one had never started
        result = store.sync(inventory([job(n, "FAILED") for n in range(1, 41)], at=later(2)), filtered=False)
        # SQLite reuses the rolled-back id; PostgreSQL's sequence does not go back
        assert result.sync_id == (2 if store_url.startswith("sqlite") else 3)
        assert len(result.changes) == 40


def test_two_syncs_at_once_run_one_after_the_other_and_write_each_change_once(store_url):
    with open_store(store_url) as base:
        base.sync(inventory([job(1, "RUNNING")], at=later(0)), filtered=False)
    first, second = open_store(store_url), open_store(store_url)
    paused, release, second_waiting = threading.Event(), threading.Event(), threading.Event()
    results = {}

    def hold(conn, cursor, statement, *rest):
        if statement.lstrip().upper().startswith("INSERT INTO JOB_CHANGES") and not release.is_set():
            paused.set()
            assert release.wait(60)

    def lock_asked(conn, cursor, statement, *rest):
        if "BEGIN IMMEDIATE" in statement or "pg_advisory_xact_lock" in statement:
            second_waiting.set()

    event.listen(first.engine, "before_cursor_execute", hold)
    event.listen(second.engine, "before_cursor_execute", lock_asked)
    same = [job(1, "FAILED"), job(2, "RUNNING")]

    def run(name, store, at):
        try:
            results[name] = store.sync(inventory(same, at=at), filtered=False)
        except BaseException as exc:  # reported by the assertions below
            results[name] = exc

    threads = [threading.Thread(target=run, args=("first", first, later(1)))]
    try:
        threads[0].start()
        assert paused.wait(60)
        threads.append(threading.Thread(target=run, args=("second", second, later(2))))
        threads[1].start()
        assert second_waiting.wait(60)
    finally:
        release.set()
        for thread in threads:
            thread.join(120)
        first.close()
        second.close()
    assert kinds(results["first"]) == [("status", "j1", "RUNNING", "FAILED"), ("new", "j2", None, "RUNNING")]
    assert kinds(results["second"]) == []
    assert (results["first"].sync_id, results["second"].sync_id) == (2, 3)
    with open_store(store_url) as store:
        counts = _counts(store)
    assert counts["syncs"] == 3 and counts["changes"] == 3
    assert counts["jobs"] == [("j1", "FAILED", None, 3), ("j2", "RUNNING", None, 3)]
