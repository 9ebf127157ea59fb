"""`serve` takes sync's options: --notify at every sync, a relative --since that moves on, the demo's store removed."""
from __future__ import annotations

import datetime as dt
import json
import signal
import time

from jobinventory.cli import build_parser
from jobinventory.cli.commands.serve import syncer
from jobinventory.cli.options import at_time, collect_kwargs, relative_times
from jobinventory.store import open_store

OP = ("--region", "us-east-1", "--operation", "bedrock:ListModelImportJobs")
UTC = dt.timezone.utc


def _summary(name: str, status: str, created: dt.datetime) -> dict:
    return {
        "jobArn": f"arn:aws:bedrock:us-east-1:123456789012:model-import-job/{name}",
        "jobName": name,
        "importedModelName": f"{name}-model",
        "status": status,
        "creationTime": created,
        "lastModifiedTime": created + dt.timedelta(minutes=20),
    }


def _jobs(fake, *jobs: tuple) -> None:
    fake.clear_jobs("bedrock", "ListModelImportJobs")
    fake.add_jobs("bedrock", "ListModelImportJobs", [_summary(*job) for job in jobs])


def _lines(path) -> list:
    if not path.exists():
        return []
    return [(e["change"], e["name"], e["previous_status"], e["status"])
            for e in map(json.loads, path.read_text().splitlines())]


def test_serve_notifies_each_change_once_and_a_failing_target_gets_them_later(fake_jobs, serve, tmp_path):
    created = dt.datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
    _jobs(fake_jobs, ("import-x", "InProgress", created), ("import-y", "InProgress", created))
    sent, later = tmp_path / "sent.jsonl", tmp_path / "later" / "sent.jsonl"
    served = serve("--db", f"sqlite:///{tmp_path / 'store.db'}", *OP, "--interval", "0.3", "--port", "0",
                   "--notify", f"jsonl:{sent}", "--notify", f"jsonl:{later}", "--notify-kind", "status,new")
    served.wait_syncs(2)
    assert not sent.exists() and not later.exists()  # the first sync of an empty store is the baseline
    assert "ERROR notify" not in served.stderr

    _jobs(fake_jobs, ("import-x", "Failed", created), ("import-y", "InProgress", created),
          ("import-z", "InProgress", created))
    expected = [("status", "import-x", "RUNNING", "FAILED"), ("new", "import-z", None, "RUNNING")]
    served.wait_until(lambda: _lines(sent) == expected, what="the changes sent")
    served.wait_line(lambda line: f"ERROR notify jsonl:{later}" in line and "2 change(s) kept" in line)
    synced = served.syncs_logged()
    served.wait_syncs(synced + 2)
    assert served.proc.poll() is None and served.get("/healthz")[0] == 200  # still serving

    later.parent.mkdir()  # the failing target works again: its changes go with the next sync
    served.wait_until(lambda: _lines(later) == expected, what="the kept changes sent")
    served.wait_syncs(served.syncs_logged() + 2)
    assert _lines(sent) == expected and _lines(later) == expected  # each once


def test_a_bad_notify_target_is_one_line_before_serving(tmp_path):
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "jobinventory", "serve", "--demo", "--port", "0",
                           "--notify", "pager:me"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and len(proc.stderr.splitlines()) == 1, proc.stderr
    assert proc.stderr.startswith("jobinventory: error: notify target pager:") and "serving" not in proc.stderr


def test_a_relative_since_is_evaluated_at_each_sync(fake_jobs, tmp_path):
    _jobs(fake_jobs, ("import-new", "InProgress", dt.datetime(2026, 11, 30, 10, 0, tzinfo=UTC)),
          ("import-old", "InProgress", dt.datetime(2026, 11, 29, 10, 0, tzinfo=UTC)))
    args = build_parser().parse_args(["serve", *OP, "--since", "24h", "--until", "2026-12-05"])
    relative = relative_times(args)
    assert relative == {"since": dt.timedelta(hours=24)}  # an absolute --until stays as it is
    kwargs = collect_kwargs(args)
    clock = iter([dt.datetime(2026, 11, 30, 9, 0, tzinfo=UTC), dt.datetime(2026, 11, 30, 12, 0, tzinfo=UTC)])
    with open_store(f"sqlite:///{tmp_path / 'store.db'}") as store:
        sync = syncer(store, kwargs, relative, clock=lambda: next(clock))
        first, second = sync(), sync()
    assert (first.jobs_seen, second.jobs_seen) == (2, 1)  # 24 h before 12:00 leaves the job of the day before out
    assert at_time(kwargs, relative, dt.datetime(2026, 12, 1, tzinfo=UTC))["since"] == dt.datetime(2026, 11, 30, tzinfo=UTC)
    assert at_time(kwargs, relative, dt.datetime(2026, 12, 1, tzinfo=UTC))["until"] == dt.datetime(2026, 12, 5, tzinfo=UTC)
    absolute = build_parser().parse_args(["serve", "--since", "2026-11-01", "--until", "now"])
    assert relative_times(absolute) == {"until": dt.timedelta(0)}


#: Each sync after the first hangs on the demo's fake (its calls take a minute).
HANG_AFTER_FIRST = """\
import jobinventory.demo as demo
_move_on = demo.DemoTarget.move_on
def move_on(self, step, now=None):
    moved = _move_on(self, step, now)
    self.fake.inject(latency=60)
    return moved
demo.DemoTarget.move_on = move_on
"""


def test_sigterm_cutting_a_demo_sync_short_removes_its_temporary_store(serve, tmp_path):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    served = serve("--demo", "--interval", "0.2", "--port", "0", "--max-attempts", "1",
                   env={"TMPDIR": str(scratch)}, code=HANG_AFTER_FIRST)
    served.wait_syncs(1)
    assert sorted(p.name.split("-")[1] for p in scratch.iterdir()) == ["demo", "empty"]
    time.sleep(0.5)  # the second sync is hanging
    assert served.signal(signal.SIGTERM, timeout=30) == 0
    assert "abandoned" in served.stderr
    assert list(scratch.iterdir()) == []
