"""Issue 10: a large organization on threads, a local process pool and a local Dask cluster.

A accounts x 4 regions x every covered operation, mostly empty (one
stream in twenty holds 5 jobs), every List call answered after a fixed
latency L. Accounts are what an organization gives: role ARNs, assumed
through STS where the streams run (moto's STS; the fake files each request
under the account moto issued the temporary key for). moto and the fake run
in a process of their own (`OrgServers`), so the client's CPU and memory are
its own; each mode runs in a fresh interpreter (`child`), and this process
samples the RSS of that child's whole process tree (pool workers, Dask
nannies and workers included) while it runs.

Modes: `threads` (the collector's own thread pool, one process),
`processes` (`jobinventory.executors.local_process_pool(cores)`, as
`jobinventory list --processes N`), `dask` (`dask.distributed.LocalCluster`
with one worker process per core, `Client.get_executor()`). Every mode must
give the same inventory (jobs, errors, streams: compared by digest).

From the measured client CPU per call and the latency it projects the wall
time of 1.7 million streams (5,000 accounts x 20 regions x every covered operation) on
N machines. Run alone: `python -m benchmarks.org_scale [--accounts N]`.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import time
from multiprocessing.connection import Connection
from typing import Any, Dict, Iterable, List, Optional, Sequence, Set, Tuple

from . import common
from jobinventory import registry as _registry

from .common import Row
from .remote import ChildInterpreter, child_env

SECTION = "7. org scale"
REGIONS = ("us-east-1", "us-west-2", "eu-west-1", "ap-northeast-1")
#: Every covered service and the number of covered operations (every one must
#: point at the fake: a service left out of the endpoint map would go to AWS).
JOB_SERVICES = tuple(_registry.services())
OPERATIONS = len(_registry.all_specs())
ROLE = "JobInventoryRead"
MODES = ("threads", "processes", "dask")
#: The organization the issue describes: 5,000 accounts x 20 regions x every covered operation.
ORG_STREAMS = 5000 * 20 * OPERATIONS
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_TICK = os.sysconf("SC_CLK_TCK")


def account_id(i: int) -> str:
    return f"{400000000000 + i:012d}"


def role_arn(i: int) -> str:
    return f"arn:aws:iam::{account_id(i)}:role/{ROLE}"


# -- moto (STS) and the fake, in a process of their own ------------------------------


def _serve(conn: Any) -> None:  # runs in the server process
    import logging

    from moto.server import ThreadedMotoServer

    from jobinventory.testing import FakeJobServer, moto_account_resolver

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request on stderr
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    moto.start()
    host, port = moto.get_host_and_port()
    known: Dict[str, str] = {}

    def resolve(key: str) -> Optional[str]:  # moto's look-up walks every account: remember its answers
        found = known.get(key)
        if found is None:
            found = moto_account_resolver(key)
            if found:
                known[key] = found
        return found

    fake = FakeJobServer(account_resolver=resolve).start()
    conn.send((fake.url, f"http://{host}:{port}"))
    try:
        while True:
            try:
                message = conn.recv()
            except EOFError:
                return
            if message is None:
                return
            name, args, kwargs = message
            try:
                if name == "_usage":
                    result: Any = {"cpu": time.process_time(), "peak_mb": common.peak_rss_mb()}
                elif name == "seed_org":
                    result = _seed(fake, *args)
                else:
                    result = getattr(fake, name)(*args, **kwargs)
                conn.send((True, result))
            except BaseException as exc:  # noqa: BLE001 - sent back and raised there
                conn.send((False, exc))
    finally:
        fake.stop()
        moto.stop()


def _seed(fake: Any, accounts: int, latency: float) -> int:
    """One stream in twenty holds 5 jobs; every List call waits `latency`."""
    from jobinventory.registry import all_specs

    fake.clear_jobs()
    fake.clear_faults()
    specs = sorted(all_specs())
    jobs = 0
    n = 0
    for i in range(accounts):
        for region in REGIONS:
            for service, operation in specs:
                if n % 20 == 7:
                    jobs += fake.seed([(service, operation)], regions=[region], accounts=[account_id(i)],
                                      jobs_per_stream=5, seed=n)
                n += 1
    for service in JOB_SERVICES if latency else ():
        fake.inject(service=service, latency=latency)
    return jobs


class OrgServers(ChildInterpreter):
    """moto's STS and the fake in a fresh child interpreter (`python -m benchmarks.org_scale serve FD`)."""

    def __init__(self) -> None:
        super().__init__("benchmarks.org_scale", "serve", stop_timeout=15)
        self.fake_url, self.sts_url = self.greeting


# -- a process tree, from /proc ---------------------------------------------------------


def _tree(root: int) -> Set[int]:
    """`root` and every process descended from it."""
    children: Dict[int, List[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2:].split()[1])
        children.setdefault(ppid, []).append(int(name))
    found, todo = set(), [root]
    while todo:
        pid = todo.pop()
        if pid not in found:
            found.add(pid)
            todo.extend(children.get(pid, ()))
    return found


def _cpu_s(pids: Iterable[int]) -> float:
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / _TICK


def _rss_mb(pids: Iterable[int]) -> float:
    return sum(common._status_kb("VmRSS", str(pid)) for pid in pids) / 1024.0


# -- one mode, in a fresh interpreter ------------------------------------------------------


def child(args: Dict[str, Any]) -> Dict[str, Any]:
    """Collect the organization in one mode; wall, client-tree CPU, List calls, and a digest of the inventory."""
    import jobinventory

    mode, workers = args["mode"], args["workers"]
    endpoints = {"sts": args["sts_url"], **{s: args["fake_url"] for s in (*JOB_SERVICES, "ec2")}}
    arns = [role_arn(i) for i in range(args["accounts"])]
    t0 = time.perf_counter()
    executor: Any = None
    cluster = client = pool = None
    if mode == "processes":
        from jobinventory.executors import StreamBatch, local_process_pool, run_batch

        pool = executor = local_process_pool(workers)
        # Start every worker (one per submit while none is idle) and import the library there.
        list(pool.map(run_batch, [StreamBatch(())] * workers))
    elif mode == "dask":
        import logging

        from dask.distributed import Client, LocalCluster

        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                               silence_logs=logging.CRITICAL)
        client = Client(cluster)
        client.run(lambda: __import__("jobinventory.executors"))
        executor = client.get_executor()
    startup = time.perf_counter() - t0
    try:
        # Warm-up on two other accounts (no jobs): botocore's models loaded, moto's backends made, in
        # every process; the figures below are then what one more account and one more call cost.
        warm = [role_arn(args["accounts"] + i) for i in range(2 * workers)]
        jobinventory.collect(accounts=warm, regions=list(REGIONS), endpoint_url=endpoints, executor=executor)
        tree = _tree(os.getpid())
        rss_before = common.rss_mb()
        cpu0, own0, w0 = _cpu_s(tree), time.process_time(), time.perf_counter()
        inv = jobinventory.collect(accounts=arns, regions=list(REGIONS), endpoint_url=endpoints,
                                   executor=executor)
        wall = time.perf_counter() - w0
        cpu, own = _cpu_s(tree) - cpu0, time.process_time() - own0
        held = common.rss_mb()
        tree_size = len(tree)
        stream_bytes = _deep_size(inv.streams) / len(inv.streams)
    finally:
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()
        if pool is not None:
            pool.shutdown(wait=True)
    digest = hashlib.sha256()
    for job in inv.jobs:
        digest.update(f"{job.service}|{job.job_id}|{job.status.value}|{job.created_at.isoformat()}\n".encode())
    for s in inv.streams:
        digest.update(f"{s.account}|{s.region}|{s.service}|{s.operation}|{s.state}|{s.jobs}|{s.pages}\n".encode())
    return {
        "mode": mode, "workers": workers, "startup": startup, "wall": wall, "cpu": cpu, "own_cpu": own,
        "processes": tree_size,
        "streams": len(inv.streams), "jobs": len(inv.jobs), "errors": len(inv.errors),
        "first_error": str(inv.errors[0]) if inv.errors else None,
        "calls": sum(s.calls for s in inv.streams), "digest": digest.hexdigest(),
        "rss_before_mb": rss_before, "rss_held_mb": held, "stream_bytes": stream_bytes,
    }


def _deep_size(items: Sequence[Any]) -> int:
    """Bytes of `items` and of every object they reach through attributes and containers (each once)."""
    seen: Set[int] = set()
    todo: List[Any] = [items]
    total = 0
    while todo:
        obj = todo.pop()
        if id(obj) in seen or obj is None or isinstance(obj, (bool, int, float)) and -5 <= obj <= 256:
            continue
        seen.add(id(obj))
        total += sys.getsizeof(obj)
        if isinstance(obj, (list, tuple, set, frozenset)):
            todo.extend(obj)
        elif isinstance(obj, dict):
            todo.extend(obj.keys())
            todo.extend(obj.values())
        elif hasattr(obj, "__slots__"):
            todo.extend(getattr(obj, name) for name in obj.__slots__ if hasattr(obj, name))
    return total


def _run_mode(args: Dict[str, Any], timeout: float = 1800) -> Dict[str, Any]:
    """Run `child` in a fresh interpreter; sample its process tree's RSS (sum) until it exits."""
    proc = subprocess.Popen([sys.executable, "-m", "benchmarks.org_scale", "child", json.dumps(args)],
                            cwd=ROOT, env=child_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    peak, pids, refreshed = 0.0, {proc.pid}, 0.0
    started = time.monotonic()
    while proc.poll() is None:
        now = time.monotonic()
        if now - refreshed > 0.5:
            pids, refreshed = _tree(proc.pid), now
        peak = max(peak, _rss_mb(pids))
        if now - started > timeout:
            proc.kill()
            break
        time.sleep(0.05)
    out, err = proc.communicate()
    if proc.returncode != 0:
        raise RuntimeError(f"org_scale {args['mode']} failed ({proc.returncode}):\n{err[-3000:]}")
    result = json.loads(out.strip().splitlines()[-1])
    result["peak_mb"] = peak
    return result


def _have_dask() -> bool:
    try:
        import dask.distributed  # noqa: F401
    except ImportError:
        return False
    return True


# -- the section ---------------------------------------------------------------------------


def run(accounts: int, latency: float, workers: Optional[int] = None,
        modes: Sequence[str] = MODES) -> Tuple[List[Row], str]:
    workers = workers or os.cpu_count() or 2
    modes = [m for m in modes if m != "dask" or _have_dask()]
    skipped_dask = "dask" not in modes
    with OrgServers() as servers:
        t0 = time.perf_counter()
        seeded = servers.call("seed_org", accounts, latency)
        common.log(f"  org scale: {accounts} accounts seeded ({seeded} jobs) in {time.perf_counter() - t0:.0f} s")
        results = []
        for mode in modes:
            common.log(f"  org scale: {mode} ...")
            before = servers.call("_usage")
            got = _run_mode({"mode": mode, "workers": workers, "accounts": accounts,
                             "fake_url": servers.fake_url, "sts_url": servers.sts_url})
            got["server_cpu"] = servers.call("_usage")["cpu"] - before["cpu"]
            common.log(f"  org scale: {mode}: {got['wall']:.1f} s, {got['calls'] / got['wall']:.0f} calls/s, "
                       f"peak {got['peak_mb']:.0f} MB")
            results.append(got)
        server_peak = servers.call("_usage")["peak_mb"]
    streams = accounts * len(REGIONS) * OPERATIONS
    for r in results:
        if r["errors"] or r["streams"] != streams:
            raise RuntimeError(f"org scale {r['mode']}: {r['errors']} errors ({r['first_error']}), "
                               f"{r['streams']} of {streams} streams")
    if len({r["digest"] for r in results}) != 1:
        raise RuntimeError(f"org scale: the modes disagree: {[(r['mode'], r['digest'][:12]) for r in results]}")
    return _report(results, accounts, latency, workers, streams, seeded, server_peak, skipped_dask)


def _projection(cpu_per_call: float, latency: float, threads: int, machines: int, cores: int,
                collector_cpu: float = 0.0) -> float:
    """Seconds for ORG_STREAMS one-call streams on `machines` x `cores` processes of `threads` threads.

    `collector_cpu`: CPU seconds per stream of the one collecting process (it plans, sends, merges):
    a floor no number of machines lowers.
    """
    per_process = min(threads / latency, 1.0 / cpu_per_call)  # calls/s: latency bound or CPU bound
    return max(ORG_STREAMS / (machines * cores * per_process), ORG_STREAMS * collector_cpu)


def _hms(seconds: float) -> str:
    if seconds >= 3600:
        return f"{seconds / 3600:.1f} h"
    if seconds >= 60:
        return f"{seconds / 60:.0f} min"
    return f"{seconds:.0f} s"


def _report(results: List[Dict[str, Any]], accounts: int, latency: float, workers: int, streams: int,
            seeded: int, server_peak: float, skipped_dask: bool) -> Tuple[List[Row], str]:
    from jobinventory.collector import DEFAULT_MAX_WORKERS as THREADS

    by = {r["mode"]: r for r in results}
    label = f"{_n(accounts, 'account')} x {len(REGIONS)} regions x {OPERATIONS} operations, L={latency * 1e3:.0f} ms"
    rows: List[Row] = []
    for r in results:
        rows.append(Row(
            SECTION, f"{label}: {r['mode']} ({_workers(r)}): wall / List calls per s / peak RSS",
            f"{r['wall']:.1f} s / {r['calls'] / r['wall']:,.0f} / {r['peak_mb']:,.0f} MB", "", None,
            f"client CPU {r['cpu'] / r['calls'] * 1e3:.2f} ms per call; start-up {r['startup']:.1f} s",
        ))
    # What a worker process costs per call, and what the one collecting process costs per stream (a floor):
    # from the local pool (with Dask here, the collecting process also runs the scheduler).
    spread = by.get("processes") or by.get("dask") or results[0]
    cpu_per_call = spread["cpu"] / spread["calls"]
    collector_cpu = spread["own_cpu"] / spread["streams"]
    held_per_stream = max(r["stream_bytes"] for r in results)
    shapes = ((1, 2), (1, 8), (4, 8), (16, 8), (64, 8))
    at_100ms = {shape: _projection(cpu_per_call, 0.1, THREADS, *shape, collector_cpu) for shape in shapes}
    rows.append(Row(
        SECTION, "1.7 million streams, List calls at 100 ms: projected wall on 1 / 4 / 16 / 64 machines of 8 cores",
        " / ".join(_hms(at_100ms[(n, 8)]) for n in (1, 4, 16, 64)), "", None,
        f"{cpu_per_call * 1e3:.2f} ms of worker CPU per call, {collector_cpu * 1e3:.2f} ms of the collecting "
        f"process per stream (measured, {spread['mode']})",
    ))
    lines = [
        f"{label}: {streams:,} streams, one List call each ({seeded:,} jobs in one stream in twenty). "
        f"Accounts are role ARNs, assumed through moto's STS by the process that uses them; the fake answers "
        f"each List call after L. moto and the fake share a process of their own (its CPU is shown, not "
        f"counted; its peak RSS {server_peak:,.0f} MB). Each mode runs in a fresh interpreter; "
        f"{workers} worker processes (the machine's cores) for the pool and Dask (one thread each; a batch "
        f"runs {THREADS} threads).",
        "",
        "- **client CPU** is the whole client process tree's (the collecting process, pool workers, Dask "
        "scheduler, nannies and workers) during the collect, from /proc; **collector CPU** the collecting "
        "process's alone; **peak RSS** the sum over the tree, sampled every 50 ms from outside, start-up "
        "included; **held** the collecting process's RSS after the collect, the Inventory held.",
        "- Every mode gave the same inventory (jobs, errors, streams compared by digest). Planning (per "
        "account: AssumeRole, EC2 DescribeRegions) is included: in the collecting process with threads, on the "
        "workers with the pool and Dask, where a worker assumes a role again for the streams it lists unless "
        "it looked that account up itself.",
        "- Each mode first collects two other accounts per worker, untimed, so that every process has loaded "
        "botocore's models: the figures are the marginal cost of accounts and calls, what a long run pays.",
        "- The fake shares the machine's 2 cores with the client (its CPU per call is about "
        f"{spread['server_cpu'] / spread['calls'] * 1e3:.1f} ms); against AWS the client has them to itself.",
    ]
    if skipped_dask:
        lines.append("- **Dask was not run**: `dask[distributed]` is not installed "
                     "(`pip install 'jobinventory[dask]'`).")
    if accounts < 1000:
        lines.append(f"- Scaled down from the issue's 1,000 accounts to {accounts:,} to fit a few minutes on this "
                     "machine (`python -m benchmarks.org_scale --accounts 1000` runs the full size, some 15 "
                     "minutes, into benchmarks/ORG_SCALE.md). The projection uses per-call and per-stream "
                     "figures only.")
    lines += [
        "",
        "| mode | processes | start-up | collect wall | List calls | calls/s | client CPU | CPU per call | "
        "collector CPU | fake+STS CPU | peak RSS (tree) | held | speed-up |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    base = by.get("threads", results[0])
    for r in results:
        lines.append(
            f"| {r['mode']} | {r['processes']} | {r['startup']:.1f} s | {r['wall']:.1f} s | {r['calls']:,} | "
            f"{r['calls'] / r['wall']:,.0f} | {r['cpu']:.1f} s | {r['cpu'] / r['calls'] * 1e3:.2f} ms | "
            f"{r['own_cpu']:.1f} s | {r['server_cpu']:.1f} s | {r['peak_mb']:,.0f} MB | "
            f"{r['rss_held_mb']:,.0f} MB | {base['wall'] / r['wall']:.2f}x |")
    lines += [
        "",
        f"### Projection: {ORG_STREAMS:,} streams (5,000 accounts x 20 regions x {OPERATIONS} operations)",
        "",
        f"A worker process runs {THREADS} threads: it makes min({THREADS} / L, 1 / CPU per call) calls per "
        f"second, latency bound while L < {THREADS} x CPU per call = {THREADS * cpu_per_call * 1e3:.0f} ms, CPU "
        f"bound beyond. With one worker process per core, N machines of C cores take 1.7 M / (N x C x that "
        f"rate), but never less than the collecting process's own share, 1.7 M x "
        f"{collector_cpu * 1e3:.2f} ms = {_hms(ORG_STREAMS * collector_cpu)} (it plans, sends batches and "
        f"merges results, on one core). Measured here: {cpu_per_call * 1e3:.2f} ms of worker CPU per call "
        f"(planning included at 68 streams an account; at 340 it weighs a fifth as much). Not modelled: AWS "
        "throttling (the collector keeps at most 4 streams per account, region and service in flight), slow "
        "streams' tail, many-page streams. Memory of the collecting process: "
        f"{held_per_stream:,.0f} bytes per stream result held, {ORG_STREAMS * held_per_stream / 2**30:.1f} GB "
        "for 1.7 M (`Inventory.streams`), besides the jobs and the tasks; workers' memory does not grow with "
        "the organization.",
        "",
        "| machines x cores | L = 50 ms | L = 100 ms | L = 300 ms |",
        "|---|---|---|---|",
    ]
    for shape in shapes:
        cells = [_hms(_projection(cpu_per_call, lat, THREADS, *shape, collector_cpu)) for lat in (0.05, 0.1, 0.3)]
        lines.append(f"| {shape[0]} x {shape[1]} | " + " | ".join(cells) + " |")
    return rows, "\n".join(lines)


def _n(count: int, noun: str) -> str:
    return f"{count:,} {noun}" + ("" if count == 1 else "s")


def _workers(r: Dict[str, Any]) -> str:
    return {"threads": "1 process", "processes": _n(r["workers"], "worker process").replace("processs", "processes"),
            "dask": _n(r["workers"], "Dask worker")}[r["mode"]]


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.org_scale", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--accounts", type=int, default=100)
    parser.add_argument("--latency", type=float, default=0.05, help="seconds per List call (default 0.05)")
    parser.add_argument("--workers", type=int, default=None, help="processes / Dask workers (default: cores)")
    parser.add_argument("--mode", action="append", choices=MODES, help="only these modes; repeatable")
    parser.add_argument("--output", default=os.path.join(ROOT, "benchmarks", "ORG_SCALE.md"))
    args = parser.parse_args(argv)
    common.seal_environment()
    rows, detail = run(args.accounts, args.latency, args.workers, args.mode or MODES)
    with open(args.output, "w") as f:
        f.write(f"# Org scale (issue 10)\n\n{common.table(rows)}\n\n{detail}\n")
    print(common.table(rows))
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "serve":
        _serve(Connection(int(sys.argv[2])))
    elif len(sys.argv) > 2 and sys.argv[1] == "child":
        common.seal_environment()
        print(json.dumps(child(json.loads(sys.argv[2]))))
    else:
        sys.exit(main())
