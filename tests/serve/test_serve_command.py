"""`jobinventory serve` as users run it: a subprocess syncing the fake into a store, over HTTP."""
from __future__ import annotations

import collections
import json
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from jobinventory import JobStatus, collect
from jobinventory.testing import generate

from .process import named, stream_labels
from .promql import dashboard_targets, for_prometheus

STATUSES = [s.value for s in JobStatus]
DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
ACCOUNT = "123456789012"
SELECTION = ("--service", "bedrock,forecast", "--region", "us-east-1,eu-west-1")


def _db(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'store.db'}"


def _stream(job) -> tuple:
    return (job.service, job.operation, job.region, job.account_id)


def test_metrics_match_the_inventory_and_scrapes_never_call_aws(fake_jobs, serve, tmp_path):
    fake_jobs.seed(["bedrock", "forecast"], regions=["us-east-1", "eu-west-1"], jobs_per_stream=7)
    served = serve("--db", _db(tmp_path), *SELECTION, "--interval", "3600", "--port", "0")
    served.wait_syncs(1)
    calls = len(fake_jobs.requests)
    before = time.time()
    values = served.metrics()
    after = time.time()
    for path in ("/", "/healthz", "/metrics", "/"):
        assert served.get(path)[0] == 200
    assert len(fake_jobs.requests) == calls  # scrapes, the page and the health check read the store only

    inventory = collect(services=["bedrock", "forecast"], regions=["us-east-1", "eu-west-1"])
    assert inventory.errors == [] and len(inventory.jobs) == 15 * 2 * 7  # 6 Bedrock and 9 Forecast lists
    by_stream = collections.defaultdict(collections.Counter)
    for job in inventory.jobs:
        by_stream[_stream(job)][job.status.value] += 1
    expected = {stream_labels(*stream, status=status): counts[status]
                for stream, counts in by_stream.items() for status in STATUSES}
    assert named(values, "jobinventory_jobs") == expected
    assert named(values, "jobinventory_job_changes_total") == expected  # the first sync: every job is new

    oldest = named(values, "jobinventory_oldest_active_job_age_seconds")
    active = collections.defaultdict(list)
    for job in inventory.jobs:
        if job.status.is_active:
            active[_stream(job)].append(job.created_at.timestamp())
    assert set(oldest) == {stream_labels(*stream) for stream in active} and active
    for stream, created in active.items():
        assert before - min(created) - 1 <= oldest[stream_labels(*stream)] <= after - min(created) + 1

    assert named(values, "jobinventory_job_info") == {  # the seeded jobs failed long ago: active ones only
        stream_labels(*_stream(job), job_id=job.job_id, name=job.name or "", status=job.status.value): 1
        for job in inventory.jobs if job.status.is_active}
    assert named(values, "jobinventory_stream_failures") == {}
    assert named(values, "jobinventory_last_sync_success") == {(): 1}
    assert named(values, "jobinventory_sync_failures_total") == {(): 0}
    finished = named(values, "jobinventory_last_sync_timestamp_seconds")[()]
    assert before - 120 < finished <= before
    assert named(values, "jobinventory_last_sync_duration_seconds")[()] > 0


def _customization_jobs():
    jobs = generate("bedrock", "ListModelCustomizationJobs", 12, seed=1)
    running = next(i for i, job in enumerate(jobs) if job["status"] == "InProgress")
    return jobs, running


def test_a_change_into_failed_is_counted_and_survives_a_restart(fake_jobs, serve, tmp_path):
    jobs, running = _customization_jobs()
    failed_at_first = sum(job["status"] == "Failed" for job in jobs)
    fake_jobs.add_jobs("bedrock", "ListModelCustomizationJobs", jobs, region="us-east-1")
    args = ("--db", _db(tmp_path), "--service", "bedrock", "--region", "us-east-1", "--port", "0")
    stream = stream_labels("bedrock", "ListModelCustomizationJobs", "us-east-1", ACCOUNT, status="FAILED")

    first = serve(*args, "--interval", "0.5")
    first.wait_syncs(1)
    assert named(first.metrics(), "jobinventory_job_changes_total")[stream] == failed_at_first

    jobs[running] = dict(jobs[running], status="Failed", endTime=jobs[running]["lastModifiedTime"])
    fake_jobs.clear_jobs("bedrock", "ListModelCustomizationJobs")
    fake_jobs.add_jobs("bedrock", "ListModelCustomizationJobs", jobs, region="us-east-1")
    first.wait_until(lambda: named(first.metrics(), "jobinventory_job_changes_total")[stream]
                     == failed_at_first + 1, what="the change into FAILED counted")
    assert first.signal(signal.SIGTERM) == 0

    fake_jobs.inject(service="bedrock", access_denied=True)  # the restarted serve's syncs fail
    second = serve(*args, "--interval", "3600")
    second.wait_until(lambda: named(second.metrics(), "jobinventory_last_sync_success") == {(): 0},
                      what="the failed sync shown")
    values = second.metrics()
    assert named(values, "jobinventory_job_changes_total")[stream] == failed_at_first + 1
    failures = named(values, "jobinventory_stream_failures")
    assert {dict(labels)["operation"] for labels in failures} == {
        "ListModelImportJobs", "ListModelCustomizationJobs", "ListModelInvocationJobs", "ListEvaluationJobs",
        "ListModelCopyJobs", "ListAdvancedPromptOptimizationJobs"}
    assert set(failures.values()) == {1}
    assert {dict(labels)["kind"] for labels in failures} == {"access_denied"}
    assert named(values, "jobinventory_jobs")[stream] == failed_at_first + 1  # jobs are kept, not gone
    assert second.get("/healthz")[0] == 200  # the failed sync finished, and was recorded
    second.wait_line(lambda line: "stream failed: " + ACCOUNT + "/us-east-1/bedrock/" in line)


def test_healthz_before_the_first_sync_after_it_and_when_stale(fake_jobs, serve, tmp_path):
    fake_jobs.seed(["bedrock"], regions=["us-east-1"], jobs_per_stream=3)
    fake_jobs.inject(latency=2)
    served = serve("--db", _db(tmp_path), "--service", "bedrock", "--region", "us-east-1", "--interval", "0.5",
                   "--port", "0")
    assert served.get("/healthz") == (503, "text/plain; charset=utf-8", "no sync has finished yet\n")
    status, ctype, page = served.get("/")
    assert (status, ctype) == (503, "text/html; charset=utf-8") and "No sync has finished yet" in page
    assert served.syncs_logged() == 0

    fake_jobs.clear_faults()
    served.wait_until(lambda: served.get("/healthz")[0] == 200, what="healthy")
    assert served.get("/healthz")[2].startswith("ok: sync ")

    fake_jobs.inject(latency=2)  # the next syncs take longer than two intervals
    served.wait_until(lambda: served.get("/healthz")[0] == 503, what="stale")
    assert served.get("/healthz")[2].startswith("stale: the last sync (")
    fake_jobs.clear_faults()
    served.wait_until(lambda: served.get("/healthz")[0] == 200, what="healthy again")


def test_sigterm_during_a_sync_leaves_the_store_as_the_last_sync_did(fake_jobs, serve, tmp_path):
    fake_jobs.seed(["bedrock"], regions=["us-east-1"], jobs_per_stream=4)
    served = serve("--db", _db(tmp_path), "--service", "bedrock", "--region", "us-east-1", "--interval", "0.2",
                   "--port", "0")
    served.wait_syncs(2)
    fake_jobs.inject(latency=60)  # the sync now running, or the next, hangs on AWS
    time.sleep(0.5)
    assert served.signal(signal.SIGTERM, timeout=20) == 0
    assert "abandoned" in served.stderr
    logged = served.syncs_logged()
    with sqlite3.connect(tmp_path / "store.db") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT count(*) FROM syncs").fetchone() == (logged,)
        assert conn.execute("SELECT count(*) FROM jobs").fetchone() == (24,)
        assert conn.execute("SELECT count(*) FROM job_changes").fetchone() == (24,)


def test_sigint_between_syncs_stops_it(fake_jobs, serve, tmp_path):
    fake_jobs.seed(["forecast"], regions=["us-east-1"], jobs_per_stream=2)
    served = serve("--db", _db(tmp_path), "--service", "forecast", "--region", "us-east-1", "--interval", "3600",
                   "--port", "0")
    served.wait_syncs(1)
    assert served.signal(signal.SIGINT, timeout=20) == 0
    assert "abandoned" not in served.stderr
    assert served.lines[-1].endswith("INFO stopping")


def test_the_page_is_the_report_of_the_store(fake_jobs, serve, tmp_path):
    fake_jobs.seed(["dataexchange"], regions=["us-east-1"], jobs_per_stream=5)
    served = serve("--db", _db(tmp_path), "--service", "dataexchange", "--region", "us-east-1", "--interval",
                   "3600", "--port", "0")
    served.wait_syncs(1)
    status, ctype, page = served.get("/")
    assert (status, ctype) == (200, "text/html; charset=utf-8")
    assert '<section id="history">' in page and "<title>jobinventory serve" in page  # report --db's page
    for summary in fake_jobs.jobs("dataexchange", "ListJobs"):
        assert summary["Id"] in page
    assert served.get("/nothing-here")[0] == 404


def test_the_demo_moves_on_between_syncs_in_a_store_of_its_own(serve, tmp_path):
    mine = tmp_path / "mine.db"
    served = serve("--demo", "--interval", "0.5", "--port", "0",
                   env={"JOBINVENTORY_DB": f"sqlite:///{mine}", "XDG_DATA_HOME": str(tmp_path / "data")})
    served.wait_syncs(3)
    values = served.metrics()
    jobs = sum(named(values, "jobinventory_jobs").values())
    changes = sum(named(values, "jobinventory_job_changes_total").values())
    assert changes > jobs  # jobs ended (some failed) and started after the first sync
    assert named(values, "jobinventory_last_sync_success") == {(): 1}
    served.stop()
    assert list(tmp_path.iterdir()) == []  # neither $JOBINVENTORY_DB nor the default store was touched


def test_a_real_prometheus_scrapes_it(fake_jobs, serve, prometheus, tmp_path):
    fake_jobs.seed(["personalize"], regions=["us-east-1", "eu-west-1"], jobs_per_stream=6)
    served = serve("--db", _db(tmp_path), "--service", "personalize", "--region", "us-east-1,eu-west-1",
                   "--interval", "3600", "--port", "0")
    served.wait_syncs(1)
    prom = prometheus([served.url.split("//", 1)[1]], scrape_interval=1)
    assert prom.wait_for("sum(jobinventory_jobs)") == 6 * 2 * 6  # six Personalize lists
    assert prom.wait_for("sum(jobinventory_job_changes_total)") == 6 * 2 * 6
    assert prom.wait_for('up{job="jobinventory"}') == 1
    assert prom.wait_for("jobinventory_last_sync_success") == 1
    assert prom.wait_for('count(jobinventory_jobs{status="FAILED"})') == 12  # every stream (6 x 2), zeros included
    # The dashboard's panels show data (failing streams: none here).
    dashboard = json.loads((DEPLOY / "grafana" / "jobinventory.json").read_text())
    empty = {title for title, expr in dashboard_targets(dashboard) if not prom.query(for_prometheus(expr))}
    assert empty <= {"Failing streams", "Failing streams by kind", "Changes into FAILED", "Changes by status per hour"}
    assert {"Failing streams", "Failing streams by kind"} <= empty


def _run(*args: str, code: str = "") -> subprocess.CompletedProcess:
    program = code + "import sys; from jobinventory.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", program, "serve", *args], capture_output=True, text=True,
                          timeout=60)


def test_without_prometheus_client_one_line_names_the_extra(tmp_path):
    proc = _run("--demo", "--db", _db(tmp_path), code="import sys; sys.modules['prometheus_client'] = None; ")
    assert (proc.returncode, proc.stderr) == (
        2, "jobinventory: error: serve needs prometheus_client: pip install 'jobinventory[serve]'\n")


def test_bad_options_are_usage_errors(tmp_path):
    for args, words in ((("--interval", "0"), "'0' is not a positive number of seconds"),
                        (("--interval", "soon"), "'soon' is not a positive number of seconds"),
                        (("--port", "70000"), "'70000' is not a port number")):
        proc = _run("--demo", "--db", _db(tmp_path), *args)
        assert proc.returncode == 2 and words in proc.stderr.splitlines()[-1], proc.stderr


def test_a_port_in_use_is_one_line(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = _run("--demo", "--db", _db(tmp_path), "--port", str(port))
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"jobinventory: error: cannot listen on 127.0.0.1:{port}: ")
    assert len(proc.stderr.splitlines()) == 1
