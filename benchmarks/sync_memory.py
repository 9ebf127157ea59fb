"""Benchmark (issue 17.6): peak memory of `jobinventory sync` into SQLite over many jobs.

    python -m benchmarks.sync_memory --jobs 1000000                      # this tree
    python -m benchmarks.sync_memory --jobs 1000000 --baseline COMMIT    # before/after, alternating

The fake runs in its own process (benchmarks/remote.py), seeded once per
shape: "many streams" (every covered operation x enough regions) and "long
streams" (Bedrock's operations in one region, the jobs split among them).
For each shape and tree, `jobinventory sync --db sqlite:///FILE
--endpoint-url FAKE` runs as a fresh process twice on a new store: the first
sync (every job new) and a second one that finds nothing changed. Figures:
the CLI's own peak RSS (VmHWM, sampled until it exits; wait4's ru_maxrss
shown beside it, which on Linux may carry the spawning parent's RSS), wall
and CPU. Nothing here is asserted by the tests.
"""
from __future__ import annotations

import argparse
import math
import os
import subprocess
import sys
import tempfile
import threading
import time
from typing import Any, Dict, List, Optional, Sequence, Tuple

from . import baseline, common
from .remote import RemoteFake

TARGET_MB = 150.0


def _many_streams(fake: Any, jobs: int) -> Tuple[int, List[str], List[str]]:
    from jobinventory.registry import all_specs

    from .calls import _regions

    regions = _regions(4)
    per_stream = math.ceil(jobs / (len(all_specs()) * len(regions)))
    return fake.seed(None, regions=regions, jobs_per_stream=per_stream, seed=31), regions, []


def _long_streams(fake: Any, jobs: int) -> Tuple[int, List[str], List[str]]:
    from jobinventory.registry import all_specs

    operations = [key for key in all_specs() if key[0] == "bedrock"]
    per_stream = math.ceil(jobs / len(operations))
    seeded = fake.seed(["bedrock"], regions=["us-east-1"], jobs_per_stream=per_stream, seed=32)
    return seeded, ["us-east-1"], ["--service", "bedrock"]


SHAPES = {"many streams": _many_streams, "long streams": _long_streams}


def run_sync(url: str, db: str, regions: Sequence[str], extra: Sequence[str], tree: Optional[str]) -> Dict[str, Any]:
    """One `jobinventory sync` in a fresh process: its peak RSS, wall, CPU and summary line."""
    cmd = [sys.executable, "-m", "jobinventory", "sync", "--quiet", "--db", db, "--endpoint-url", url,
           "--region", ",".join(regions), *extra]
    if baseline.has(tree, "--stream-timeout"):
        cmd += ["--stream-timeout", "3600"]  # a stream of 170,000 jobs on a busy machine
    env, cwd = baseline.env_cwd(tree)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=err)
        hwm = [0]
        done = threading.Event()

        def sample() -> None:
            while not done.wait(0.1):
                hwm[0] = max(hwm[0], common._status_kb("VmHWM", str(proc.pid)) or 0)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        done.set()
        sampler.join()
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode(errors="replace")
    if proc.returncode != 0:
        raise RuntimeError(f"jobinventory sync exited {proc.returncode}: {stderr[-2000:]}")
    return {"peak_mb": hwm[0] / 1024.0, "ru_maxrss_mb": usage.ru_maxrss / 1024.0, "wall": wall,
            "cpu": usage.ru_utime + usage.ru_stime, "summary": stdout.strip()}


def run(jobs: int, shapes: Sequence[str]) -> List[str]:
    common.seal_environment()
    lines = [f"`jobinventory sync --db sqlite:///FILE` in a fresh process, the fake in another; peak RSS is the "
             "CLI's own VmHWM (target < 150 MB).", "",
             "| jobs | shape | tree | sync | changes | peak RSS (VmHWM) | ru_maxrss | wall s | CPU s | CPU us/job |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    with RemoteFake() as fake, tempfile.TemporaryDirectory() as tmp:
        for shape in shapes:
            fake.clear_jobs()
            fake.clear_faults()
            t0 = time.perf_counter()
            seeded, regions, extra = SHAPES[shape](fake, jobs)
            common.log(f"sync_memory: {shape}: seeded {seeded:,} jobs in {time.perf_counter() - t0:.0f} s")
            variants = baseline.variants()
            for phase in ("first", "unchanged"):
                for label, tree in variants:
                    db = f"sqlite:///{tmp}/{shape.replace(' ', '_')}_{label.split()[0]}.db"
                    common.log(f"sync_memory: {shape}: {label}: {phase} sync")
                    r = run_sync(fake.url, db, regions, extra, tree)
                    common.log(f"  {r['summary']} | peak {r['peak_mb']:.0f} MB, {r['wall']:.0f} s, {r['cpu']:.0f} s CPU")
                    lines.append(f"| {seeded:,} | {shape} | {label} | {phase} | {_changes(r['summary'])} | "
                                 f"{r['peak_mb']:.0f} MB | {r['ru_maxrss_mb']:.0f} MB | {r['wall']:.1f} | {r['cpu']:.1f} | "
                                 f"{r['cpu'] / seeded * 1e6:.0f} |")
    return lines


def _changes(summary: str) -> str:
    # "sync 1: 1000 changes (...)": the count.
    try:
        return f"{int(summary.split(':')[1].split()[0]):,}"
    except (IndexError, ValueError):
        return "?"


def main(argv: Any = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.sync_memory", description=__doc__.split("\n")[0])
    parser.add_argument("--jobs", type=int, default=1_000_000)
    parser.add_argument("--shape", action="append", choices=list(SHAPES),
                        help="many streams, long streams (default: both)")
    parser.add_argument("--baseline", metavar="COMMIT", help="also run COMMIT's jobinventory, alternating")
    args = parser.parse_args(argv)
    if args.baseline:
        baseline.COMMIT = args.baseline
    lines = run(args.jobs, args.shape or list(SHAPES))
    m = common.machine()
    sys.stdout.write("\n".join([f"Machine: {m['cores']} cores, {m['cpu']}, Python {m['python']}, {m['date']}.", ""]
                               + lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
