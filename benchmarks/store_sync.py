"""Benchmark (issue 14): syncing 100,000 jobs into the store, on SQLite and PostgreSQL.

    python -m benchmarks.store_sync                 # 100,000 jobs; writes benchmarks/STORE_RESULTS.md
    python -m benchmarks.store_sync --jobs 2000 --output /tmp/x.md

The jobs come from a real collect against the fake (in its own process,
benchmarks/remote.py): every covered operation x 2 regions. Then, per backend, into
an empty store (SQLite file; a throwaway PostgreSQL cluster from
jobinventory.testing.postgres, tuned for tests: fsync off):
- first sync: every job new;
- steady state: the same jobs again (nothing changed);
- 1% changed: one job in a hundred with another status.
Figures: wall, CPU of this process (the client) per job, and for
PostgreSQL the server's CPU too; the client CPU beside the collect's own
(target: a steady-state sync adds at most 20% to it); store size per job.
Nothing here is asserted by the tests (tests/benchmarks runs it tiny).
"""
from __future__ import annotations

import argparse
import datetime as _dt
import os
import sys
import tempfile
from typing import Any, Dict, List, Tuple

import attrs

from . import common
from .remote import RemoteFake

HERE = os.path.dirname(os.path.abspath(__file__))
REGIONS = ("us-east-1", "eu-west-1")


def _operations() -> int:
    """The covered operations: one stream each per region."""
    from jobinventory.registry import all_specs

    return len(all_specs())


def _inventory(jobs: int) -> Tuple[Any, float, float]:
    """(inventory, collect wall, collect CPU) of about `jobs` jobs from the fake."""
    import jobinventory

    with RemoteFake() as fake:
        per_stream = max(1, jobs // (_operations() * len(REGIONS)))
        fake.seed(regions=list(REGIONS), jobs_per_stream=per_stream, seed=14)
        sess = common.session()
        inv, wall, cpu = common.measure(lambda: jobinventory.collect(sess, regions=list(REGIONS),
                                                                     endpoint_url=fake.url))
    if inv.errors:
        raise RuntimeError(f"collect failed: {inv.errors}")
    return inv, wall, cpu


def _again(inv: Any, hours: int, changed_every: int = 0) -> Any:
    from jobinventory import JobStatus
    from jobinventory.inventory import Inventory

    jobs = list(inv.jobs)
    if changed_every:
        for i in range(0, len(jobs), changed_every):
            other = JobStatus.FAILED if jobs[i].status is not JobStatus.FAILED else JobStatus.SUCCEEDED
            jobs[i] = attrs.evolve(jobs[i], status=other, raw_status=other.value)
    return Inventory(jobs=jobs, errors=list(inv.errors), streams=list(inv.streams),
                     collected_at=inv.collected_at + _dt.timedelta(hours=hours))


def _proc_cpu(pids: List[int]) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14])
        except OSError:
            pass
    return total / ticks


def _server_pids(root: int) -> List[int]:
    pids = [root]
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == root:
                        pids.append(int(entry))
            except OSError:
                pass
    return pids


def _size(store: Any) -> int:
    from sqlalchemy import text

    with store.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            path = store.engine.url.database
            return sum(os.path.getsize(p) for p in (path, path + "-wal") if os.path.exists(p))
        return int(conn.execute(text(
            "SELECT sum(pg_total_relation_size(c)) FROM unnest(ARRAY['jobs','job_changes','syncs',"
            "'sync_streams']::regclass[]) AS c")).scalar_one())


def _syncs(url: str, inv: Any, server_pid: Any) -> Dict[str, Any]:
    from jobinventory.store import open_store

    out: Dict[str, Any] = {}
    with open_store(url) as store:
        for name, inventory in (("first sync", inv), ("steady state", _again(inv, 1)),
                                ("1% changed", _again(inv, 2, changed_every=100))):
            before = _proc_cpu(_server_pids(server_pid)) if server_pid else 0.0
            result, wall, cpu = common.measure(lambda: store.sync(inventory, filtered=False))
            server = _proc_cpu(_server_pids(server_pid)) - before if server_pid else None
            out[name] = dict(wall=wall, cpu=cpu, server=server, changes=len(result.changes))
        out["size"] = _size(store)
    return out


def run(jobs: int) -> Tuple[List[str], Dict[str, Any]]:
    from jobinventory.testing.postgres import PostgresServer

    common.seal_environment()
    inv, collect_wall, collect_cpu = _inventory(jobs)
    n = len(inv.jobs)
    results: Dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        results["SQLite"] = _syncs(f"sqlite:///{tmp}/inventory.db", inv, None)
    with PostgresServer() as server:
        results["PostgreSQL"] = _syncs(server.create_database("bench"), inv, server.process.pid)
    per_job = collect_cpu / n * 1e6
    lines = [
        f"{n:,} jobs ({_operations()} operations x {len(REGIONS)} regions) collected from the fake in "
        f"{collect_wall:.2f} s wall, {collect_cpu:.2f} s client CPU: **{per_job:.1f} us/job** (the collect).",
        "",
        "| backend | sync | changes | wall s | client CPU us/job | client CPU / collect | server CPU us/job |",
        "|---|---|---|---|---|---|---|",
    ]
    for backend, figures in results.items():
        for name in ("first sync", "steady state", "1% changed"):
            f = figures[name]
            server = "" if f["server"] is None else f"{f['server'] / n * 1e6:.1f}"
            lines.append(f"| {backend} | {name} | {f['changes']:,} | {f['wall']:.2f} | {f['cpu'] / n * 1e6:.1f} | "
                         f"{f['cpu'] / collect_cpu * 100:.0f}% | {server} |")
    lines += ["", "| backend | store size after the three syncs | per job |", "|---|---|---|"]
    for backend, figures in results.items():
        lines.append(f"| {backend} | {figures['size'] / 1e6:.1f} MB | {figures['size'] / n:,.0f} bytes |")
    return lines, dict(results=results, jobs=n, collect_cpu=collect_cpu)


def main(argv: Any = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.store_sync", description=__doc__.split("\n")[0])
    parser.add_argument("--jobs", type=int, default=100_000)
    parser.add_argument("--output", default=os.path.join(HERE, "STORE_RESULTS.md"))
    args = parser.parse_args(argv)
    lines, _ = run(args.jobs)
    m = common.machine()
    text = "\n".join(["# Store sync benchmark (issue 14)", "",
                      f"Machine: {m['cores']} cores, {m['cpu']}, Python {m['python']}, {m['date']}. "
                      "`python -m benchmarks.store_sync`.", ""] + lines) + "\n"
    with open(args.output, "w") as f:
        f.write(text)
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
