"""Stream tasks beyond one process: batches on any executor, a local process pool, Dask, `--processes`.

Every test that starts processes uses "spawn" (the library's own pool does):
a forked copy of this process, which runs the fake's server threads, can hang.
"""
from __future__ import annotations

import concurrent.futures as cf
import gc
import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
import weakref
from collections import Counter

import pytest

from jobinventory import collect, executors, iter_jobs
from jobinventory.accounts import AccountRef
from jobinventory.cli import build_parser
from jobinventory.clients import ClientFactory, ClientSettings
from jobinventory.executors import StreamBatch, local_process_pool, run_batch, run_on_executor, stop_now
from jobinventory.inventory import sort_key
from jobinventory.tasks import StreamTask, _KeyScheduler, run_threaded

from .conftest import A1, A2, expected_jobs, session_for

REGIONS = ["us-east-1", "us-west-2"]
SERVICES = ["forecast", "bedrock"]


def run(*args: str) -> subprocess.CompletedProcess:
    """`python -m jobinventory ARGS` in a child process, with this test's environment."""
    return subprocess.run([sys.executable, "-m", "jobinventory", *args], capture_output=True, text=True,
                          encoding="utf-8", timeout=120)


def _tasks(accounts: int, regions: int, ops: int):
    return [
        StreamTask(AccountRef("role", role_arn=f"arn:aws:iam::{a:012d}:role/R", account_id=f"{a:012d}"),
                   f"region-{r}", "forecast", f"List{i}")
        for a in range(accounts) for r in range(regions) for i in range(ops)
    ]


# -- memory follows the workers, not the accounts ---------------------------------


def test_scheduler_window_opens_a_key_when_one_is_done():
    tasks = _tasks(accounts=3, regions=2, ops=2)  # 3 accounts x 2 keys x 2 tasks, in task order
    scheduler = _KeyScheduler(tasks, per_key=4, window=2)
    first = scheduler.take(100)
    assert set(first) == set(tasks[:4])  # the first two keys only, both of account 0
    a, b = tasks[0:2], tasks[2:4]
    assert scheduler.finished(a[0]) == (False, False)
    assert scheduler.take(100) == []  # the window is full
    assert scheduler.finished(a[1]) == (True, False)  # a key done; account 0 still has one
    assert set(scheduler.take(100)) == set(tasks[4:6])  # the next key opens
    assert scheduler.finished(b[0]) == (False, False)
    assert scheduler.finished(b[1]) == (True, True)  # account 0 done with its last key
    ends = [scheduler.finished(t) for t in tasks[4:6]]
    while True:
        taken = scheduler.take(100)
        if not taken:
            break
        ends += [scheduler.finished(t) for t in taken]
    assert ends.count((True, False)) == 2 and ends.count((True, True)) == 2 and len(ends) == 8


class _Recorder:
    """A factory stand-in: records releases, and that nothing of a key runs when it is released."""

    def __init__(self):
        self.lock = threading.Lock()
        self.running = Counter()
        self.released = []
        self.accounts = []
        self.early = []

    def release(self, account, region, service):
        key = (account.key, region, service)
        with self.lock:
            if self.running[key]:
                self.early.append(key)
            self.released.append(key)

    def release_account(self, account):
        self.accounts.append(account.key)


def test_run_threaded_releases_each_key_and_account_once_done(monkeypatch):
    factory = _Recorder()

    def fake_stream(task, factory_, emit, cancelled, progress=None):
        with factory.lock:
            factory.running[task.key] += 1
        time.sleep(0.002)
        with factory.lock:
            factory.running[task.key] -= 1
        return task.result("answered")

    monkeypatch.setattr("jobinventory.tasks.run_stream", fake_stream)
    tasks = _tasks(accounts=5, regions=3, ops=4)
    events = list(run_threaded(tasks, factory, max_workers=4, per_key=2))
    assert sum(1 for e in events if e[2] is not None) == len(tasks)
    assert sorted(factory.released) == sorted({t.key for t in tasks})
    assert sorted(factory.accounts) == sorted({t.account.key for t in tasks})
    assert factory.early == []
    factory.accounts.clear()
    list(run_threaded(tasks, factory, max_workers=4, per_key=2, release_accounts=False))
    assert factory.accounts == []


def test_a_released_client_is_made_again(fake):
    factory = ClientFactory(ClientSettings(endpoint_url=fake.url))
    ref = AccountRef("default")
    try:
        first = factory.client(ref, "us-east-1", "bedrock")
        factory.release(ref, "us-east-1", "bedrock")
        again = factory.client(ref, "us-east-1", "bedrock")
        assert again is not first
        first.list_model_import_jobs()  # a thread still holding a released client can use it
        factory.release_account(ref)
        assert factory.client(ref, "us-east-1", "bedrock") is again  # the client outlives its account entry
    finally:
        factory.close()


def test_threads_keep_the_sessions_of_the_first_accounts_only(fake, monkeypatch):
    monkeypatch.setattr("jobinventory.planning.SESSIONS_KEPT", 1)
    fake.seed(["bedrock"], regions=["us-east-1"], accounts=[A1, A2], jobs_per_stream=2)
    sessions = [session_for(A2), session_for(A1)]
    with iter_jobs(sessions[0], accounts=sessions, services=["bedrock"], regions=["us-east-1"],
                   endpoint_url=fake.url) as jobs:
        kept = list(jobs._feed.run.factory._accounts)
        listed = list(jobs)
    # the first account given (account ids are known before the look-up for role ARNs only, and those
    # are kept by account id); the other's session is made again at its turn
    assert kept == [("session", None, 0)]
    assert sorted(listed, key=sort_key) == expected_jobs(fake) and not jobs.errors


# -- batches on any executor --------------------------------------------------------


class _Inline(cf.Executor):
    """Runs each batch at submit time; remembers how many were out at once and keeps weak refs."""

    def __init__(self, fail_batch=None, fail=None):
        self.submitted = 0
        self.calls = Counter()
        self.refs = []
        self.fail_batch = fail_batch
        self.fail = fail

    def submit(self, fn, *args, **kwargs):
        future = cf.Future()
        self.submitted += 1
        self.calls[fn.__name__] += 1
        try:
            if self.submitted == self.fail_batch or fn.__name__ == self.fail:
                raise OSError("worker lost")
            future.set_result(fn(*args, **kwargs))
        except Exception as exc:
            future.set_exception(exc)
        self.refs.append(weakref.ref(future))
        return future


def test_run_on_executor_batches_in_order_and_drops_each_future(fake, monkeypatch):
    fake.seed(SERVICES, regions=REGIONS, jobs_per_stream=3, seed=2)
    kwargs = dict(services=SERVICES, regions=REGIONS, endpoint_url=fake.url)
    threads = collect(**kwargs)
    inline = _Inline()
    with_batches = collect(**kwargs, executor=inline)
    assert with_batches.jobs == threads.jobs and with_batches.streams == threads.streams
    # 30 streams (9 Forecast + 6 Bedrock lists x 2 regions) in batches of ceil(30 / 16) = 2;
    # the one account looked up on the executor too
    assert inline.calls == {"run_batch": 15, "run_lookups": 1}
    gc.collect()
    assert all(ref() is None for ref in inline.refs)  # no batch result is held once read


def test_batch_sizes():
    sizes = lambda n: Counter(len(b) for b in executors._batches(_tasks(accounts=n, regions=1, ops=1)))  # noqa: E731
    assert sizes(10) == {1: 10}
    assert sizes(100) == {7: 14, 2: 1}  # about 16 batches to spread
    assert sizes(5000) == {64: 78, 8: 1}  # at most MAX_BATCH streams a batch
    batches = executors._batches(_tasks(accounts=3, regions=2, ops=30))
    assert all(len({t.account.key for t in b}) <= 2 for b in batches)  # an account's streams together


def test_a_batch_that_fails_whole_fails_each_of_its_streams(fake, caplog):
    fake.seed(["forecast"], regions=REGIONS, jobs_per_stream=2)
    inline = _Inline(fail_batch=2)
    inv = collect(services=["forecast"], regions=REGIONS, endpoint_url=fake.url, executor=inline)
    failed = [s for s in inv.streams if s.state == "failed"]
    assert failed and len(failed) < len(inv.streams)
    assert {e.message for e in inv.errors} == {"worker failed: OSError: worker lost"}
    assert "failed in its worker" in caplog.text


def test_look_ups_that_fail_in_a_worker_are_made_here(fake, caplog):
    fake.seed(["bedrock"], regions=REGIONS, jobs_per_stream=2)
    inline = _Inline(fail="run_lookups")
    inv = collect(services=["bedrock"], regions=REGIONS, endpoint_url=fake.url, executor=inline)
    assert inv.errors == [] and inv.jobs == expected_jobs(fake)
    assert "1 account look-ups failed in a worker (OSError: worker lost); looking them up here" in caplog.text


def test_warnings_of_the_workers_reach_the_collecting_process(fake, caplog):
    fake.inject(service="ec2", access_denied=True)
    with local_process_pool(1) as pool:
        inv = collect(operations=["dataexchange:ListJobs"], regions=["us-east-1"], endpoint_url=fake.url,
                      executor=pool)
    assert inv.errors == [] and len(inv.streams) == 1
    [warning] = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert "EC2 DescribeRegions failed" in warning.getMessage() and "UnauthorizedOperation" in warning.getMessage()


def test_batches_in_flight_are_bounded(monkeypatch):
    monkeypatch.setattr(executors, "MAX_BATCHES_IN_FLIGHT", 3)
    monkeypatch.setattr(executors, "run_batch", lambda batch: [])
    out, peak = [], [0]

    class Deferred(cf.Executor):
        def submit(self, fn, *args):
            future = cf.Future()
            out.append(future)
            peak[0] = max(peak[0], sum(1 for f in out if not f.done()))
            return future

    tasks = _tasks(accounts=4, regions=2, ops=4)  # 32 tasks: 16 batches of 2
    events = run_on_executor(tasks, Deferred(), executors.SessionSource(), threads=4)
    consumed = []

    def finish():
        while len(consumed) < 16:
            pending = [f for f in out if not f.done()]
            if pending:
                pending[0].set_result([])  # wrong length: each batch fails, all accounted
                consumed.append(1)
            time.sleep(0.001)

    worker = threading.Thread(target=finish)
    worker.start()
    results = [e[2] for e in events if e[2] is not None]
    worker.join()
    assert peak[0] == 3
    assert len(results) == len(tasks) and {r.state for r in results} == {"failed"}


def test_run_batch_outcomes_follow_the_batch(fake):
    fake.seed(["bedrock"], regions=["us-east-1"], jobs_per_stream=2)
    settings = ClientSettings(endpoint_url=fake.url)
    ref = AccountRef("default", account_id=fake.default_account_id)
    ops = ["ListModelImportJobs", "ListModelCopyJobs", "ListEvaluationJobs"]
    tasks = tuple(StreamTask(ref, "us-east-1", "bedrock", op, settings=settings) for op in ops)
    outcomes = run_batch(StreamBatch(tasks[::-1], threads=3))
    assert [o.result.operation for o in outcomes] == ops[::-1]
    assert all(o.result.state == "answered" and len(o.jobs) == 2 for o in outcomes)


# -- a local process pool ------------------------------------------------------------


def test_stop_now_ends_a_running_pool_at_once():
    pool = local_process_pool(1)
    future = pool.submit(time.sleep, 60)
    deadline = time.monotonic() + 30
    while not pool._processes and time.monotonic() < deadline:
        time.sleep(0.01)
    [worker] = list(pool._processes.values())
    time.sleep(0.5)  # let it start sleeping
    stop_now(pool)
    # The pool's own thread may reap the worker first: its exit code shows once that thread has run
    # (a join racing it finds the child already reaped and returns with no exit code yet).
    worker.join(timeout=30)
    deadline = time.monotonic() + 30
    while worker.exitcode is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert worker.exitcode == -signal.SIGKILL or worker.exitcode == -signal.SIGTERM  # killed, not finished
    with pytest.raises((cf.process.BrokenProcessPool, cf.CancelledError)):
        future.result(timeout=10)
    with pytest.raises(ValueError):
        local_process_pool(0)


def test_processes_option_is_shared_by_every_collecting_command():
    parser = build_parser()
    for command in ("list", "summary", "report"):
        assert parser.parse_args([command, "--processes", "3"]).processes == 3
    assert parser.parse_args(["list"]).processes is None


@pytest.fixture
def cli_fake(fake_jobs):
    fake_jobs.seed(SERVICES, regions=REGIONS, jobs_per_stream=120, seed=9)
    fake_jobs.inject(service="bedrock", region="us-west-2", access_denied=True)
    return fake_jobs


def test_list_processes_gives_the_thread_output(cli_fake):
    args = ("list", "--region", ",".join(REGIONS), "--service", ",".join(SERVICES), "--format", "jsonl")
    threads = run(*args)
    processes = run(*args, "--processes", "2")
    assert threads.returncode == processes.returncode == 3, processes.stderr
    assert processes.stdout == threads.stdout
    assert processes.stderr == threads.stderr  # the same failed streams, named the same way
    assert len(processes.stdout.splitlines()) == cli_fake.job_count() - cli_fake.job_count(
        service="bedrock", region="us-west-2")
    assert run("list", "--processes", "0").returncode == 2


def test_interrupted_list_processes_stops_at_once(fake_jobs):
    fake_jobs.seed(["forecast"], regions=["us-east-1"], jobs_per_stream=1)
    fake_jobs.inject(service="forecast", latency=60)
    proc = subprocess.Popen([sys.executable, "-m", "jobinventory", "list", "--service", "forecast", "--region",
                             "us-east-1", "--processes", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while fake_jobs.count(operation="DescribeRegions") == 0 and time.monotonic() < deadline:
            time.sleep(0.05)  # looked up on a worker: listing comes next
        time.sleep(0.5)
        os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C: the whole process group
        # Waiting for the calls in flight would take their 60 s: communicate() would time out.
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130 and err == "jobinventory: interrupted\n"


def test_demo_with_processes():
    proc = run("list", "--demo", "--processes", "2", "--format", "jsonl")
    assert proc.returncode == 0, proc.stderr
    assert len(proc.stdout.splitlines()) > 100
    assert {json.loads(line)["service"] for line in proc.stdout.splitlines()} == {
        "forecast", "personalize", "dataexchange", "bedrock", "bedrock-runtime", "bedrock-agent"}


# -- Dask ------------------------------------------------------------------------------


def _distributed():
    try:
        import dask.distributed
    except ImportError:
        if os.environ.get("CI", "").lower() not in ("", "0", "false"):
            raise  # CI installs the dask extra: a missing Dask there is a failure, not a skip
        pytest.skip("dask[distributed] is not installed (pip install 'jobinventory[dask]'); "
                    "this test runs whenever CI is set")
    return dask.distributed


def test_dask_local_cluster_gives_the_thread_inventory(fake):
    distributed = _distributed()
    fake.seed(SERVICES, regions=REGIONS, jobs_per_stream=120, seed=5)
    fake.inject(service="bedrock", region="us-west-2", operation="ListModelCopyJobs", access_denied=True)
    kwargs = dict(services=SERVICES, regions=REGIONS, endpoint_url=fake.url, max_attempts=1)
    threads = collect(**kwargs)
    assert len(threads.errors) == 1 and threads.jobs

    quiet = {name: logging.getLogger(name).level for name in ("distributed", "tornado", "asyncio")}
    for name in quiet:
        logging.getLogger(name).setLevel(logging.CRITICAL)
    cluster = client = None
    try:
        cluster = distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=2,
                                           dashboard_address=None, silence_logs=logging.CRITICAL)
        client = distributed.Client(cluster)
        on_dask = collect(**kwargs, executor=client.get_executor())
        worker_pids = set(client.run(os.getpid).values())
    finally:
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()
        for name, level in quiet.items():
            logging.getLogger(name).setLevel(level)
    assert len(worker_pids) == 2 and os.getpid() not in worker_pids
    assert on_dask.jobs == threads.jobs == expected_jobs(
        fake, [s for s in fake.streams() if s[:3] != ("bedrock", "ListModelCopyJobs", "us-west-2")])
    assert on_dask.errors == threads.errors
    assert on_dask.streams == threads.streams
