"""Bounded time: a region that accepts connections and never answers fails its streams at the
deadline while every other stream completes; account look-ups are bounded the same way; an
interrupted command stops at once; workers of --processes die with their parent.

The black holes are real sockets on 127.0.0.1 (the fake's "hang" fault, or a bare
listening socket that accepts and never answers); deadlines are small so the tests stay fast.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
from typing import Iterator, List

import boto3
import pytest

from jobinventory import collect, iter_jobs
from jobinventory.accounts import organization_accounts
from jobinventory.clients import ClientSettings
from jobinventory.deadlines import DeadlineExceeded
from jobinventory.errors import ConfigurationError
from jobinventory.testing import FaultRule

from .conftest import by_stream, expected_jobs

ACCOUNT = "123456789012"


class BlackHole:
    """A TCP server on 127.0.0.1 that accepts connections and never answers."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.accepted: List[socket.socket] = []
        self.first = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted.append(conn)
            self.first.set()

    def close(self) -> None:
        for conn in self.accepted:
            conn.close()
        try:
            self.sock.shutdown(socket.SHUT_RDWR)  # wakes the accept() below
        except OSError:
            pass
        self.sock.close()
        self._thread.join(timeout=5)


@pytest.fixture
def black_hole() -> Iterator[BlackHole]:
    hole = BlackHole()
    try:
        yield hole
    finally:
        hole.close()


def test_a_black_holed_region_fails_its_streams_at_the_deadline_and_the_others_complete(fake):
    fake.seed(["forecast", "bedrock"], regions=["us-east-1", "eu-west-1"], jobs_per_stream=3)
    fake.add_fault(FaultRule("hang", region="eu-west-1"))
    inv = collect(services=["forecast", "bedrock"], regions=["us-east-1", "eu-west-1"], endpoint_url=fake.url,
                  stream_timeout=1.5)

    failed = [s for s in inv.streams if s.state == "failed"]
    answered = [s for s in inv.streams if s.state == "answered"]
    assert {s.region for s in failed} == {"eu-west-1"} and {s.region for s in answered} == {"us-east-1"}
    assert len(failed) == len(answered) == len(inv.errors) > 0
    assert {e.kind for e in inv.errors} == {"region_unavailable"}
    assert {e.message for e in inv.errors} == {
        "no answer within the deadline of 1.5 s (stream_timeout); 0 pages read"}
    assert all((s.jobs, s.pages) == (0, 0) for s in failed)
    us = [k for k in fake.streams() if k[2] == "us-east-1"]
    assert inv.jobs == expected_jobs(fake, us)


def test_iter_jobs_keeps_what_a_stream_read_before_its_deadline(fake):
    fake.seed([("forecast", "ListDatasetImportJobs")], regions=["us-east-1"], jobs_per_stream=150)
    fake.add_fault(FaultRule("hang", operation="ListDatasetImportJobs", after_page=1))
    with iter_jobs(operations=["forecast:ListDatasetImportJobs"], regions=["us-east-1"], endpoint_url=fake.url,
                   stream_timeout=1) as it:
        jobs = list(it)
    assert jobs == expected_jobs(fake)[:100]
    [stream] = it.streams
    assert (stream.state, stream.jobs, stream.pages, stream.error.kind) == ("failed", 100, 1, "region_unavailable")
    assert stream.error.message.endswith("; 1 pages read")


def test_every_call_black_holed_look_ups_included(black_hole, caplog):
    """STS, EC2 DescribeRegions and the List calls all go to a socket that never answers."""
    inv = collect(services=["forecast"], operations=["ListDatasetImportJobs"], regions=["us-east-1", "us-west-2"],
                  endpoint_url=black_hole.url, stream_timeout=1)
    assert [(e.region, e.kind) for e in inv.errors] == [("us-east-1", "region_unavailable"),
                                                        ("us-west-2", "region_unavailable")]
    assert [s.account for s in inv.streams] == [None, None]  # STS gave up: the account id stays unknown
    assert any("look-up of account" in r.getMessage() and "deadline of 1 s" in r.getMessage()
               for r in caplog.records)
    assert black_hole.accepted  # it really was called


def test_organizations_listing_is_bounded(black_hole):
    session = boto3.Session(region_name="us-east-1")
    with pytest.raises(DeadlineExceeded, match="Organizations ListAccounts: no answer within the deadline of 1 s"):
        organization_accounts(session, endpoint_url=black_hole.url, timeout=1)


@pytest.mark.parametrize("bad", [0, -1, "60", float("nan")])
def test_stream_timeout_must_be_positive_seconds(bad):
    with pytest.raises(ConfigurationError, match="stream_timeout must be a positive number of seconds"):
        collect(stream_timeout=bad)


def test_default_timeouts_are_sized_for_a_list_call():
    settings = ClientSettings()
    config = settings.config()
    assert (settings.stream_timeout, config.connect_timeout, config.read_timeout) == (60.0, 5.0, 20.0)
    assert config.retries == {"mode": "standard", "total_max_attempts": 10}


def _cli(args, env_extra) -> subprocess.Popen:
    env = dict(os.environ, PYTHONIOENCODING="utf-8", **env_extra)
    return subprocess.Popen([sys.executable, "-m", "jobinventory", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)


@pytest.mark.parametrize("signum, status, word", [(signal.SIGINT, 130, "interrupted"),
                                                  (signal.SIGTERM, 143, "terminated")])
def test_a_signal_stops_the_command_whatever_the_network_does(black_hole, signum, status, word):
    proc = _cli(["list", "--service", "forecast", "--region", "us-east-1", "--endpoint-url", black_hole.url],
                {})
    try:
        assert black_hole.first.wait(60), "the command never called"
        proc.send_signal(signum)
        out, err = proc.communicate(timeout=30)  # not 10 minutes of retries
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == status, err
    assert err.strip().splitlines()[-1] == f"jobinventory: {word}"
    assert "Traceback" not in err


_PARENT = textwrap.dedent("""
    import sys, time
    from jobinventory.executors import local_process_pool
    pool = local_process_pool(2)
    futures = [pool.submit(time.sleep, 600) for _ in range(2)]
    time.sleep(0.5)
    while len(pool._processes) < 2:
        time.sleep(0.05)
    print(" ".join(str(p) for p in pool._processes), flush=True)
    time.sleep(600)
""")


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status") as status:
            return not any(line.startswith("State:") and "Z" in line.split()[1] for line in status)
    except FileNotFoundError:
        return False


def test_workers_exit_when_their_parent_is_killed():
    parent = subprocess.Popen([sys.executable, "-c", _PARENT], stdout=subprocess.PIPE, text=True)
    workers: List[int] = []
    try:
        workers = [int(p) for p in parent.stdout.readline().split()]
        assert len(workers) == 2 and all(_alive(p) for p in workers)
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=30)
        deadline = time.monotonic() + 30
        while any(_alive(p) for p in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(_alive(p) for p in workers), "a worker outlived its killed parent"
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()
        for pid in workers:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


def test_a_long_stream_that_keeps_answering_outlives_the_deadline(fake):
    """The deadline counts time without a page, not the stream's whole length: 4 pages of 0.4 s each
    (1.6 s in all) under a 1 s stream_timeout are listed whole, while a stream that hangs after its
    first page fails 1 s after that page."""
    fake.seed([("forecast", "ListDatasetImportJobs")], regions=["us-east-1", "us-west-2"], jobs_per_stream=350)
    fake.add_fault(FaultRule("latency", region="us-east-1", latency=0.4))
    fake.add_fault(FaultRule("hang", region="us-west-2", after_page=1))
    inv = collect(operations=["forecast:ListDatasetImportJobs"], regions=["us-east-1", "us-west-2"],
                  endpoint_url=fake.url, stream_timeout=1)
    east, west = sorted(inv.streams, key=lambda s: s.region)
    assert (east.region, east.state, east.jobs, east.pages) == ("us-east-1", "answered", 350, 4)
    assert (west.region, west.state, west.jobs, west.pages) == ("us-west-2", "failed", 100, 1)
    assert west.error.message == "no answer within the deadline of 1 s (stream_timeout); 1 pages read"
