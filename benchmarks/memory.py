"""Issue 7.4: memory.

1. Peak RSS of `jobinventory list --no-sort --format jsonl` over N jobs,
   run as a subprocess against the fake (another process, seeded with the
   N jobs), its output read through a pipe and counted. The CLI's own peak
   is its VmHWM, sampled every 0.1 s until it exits (not wait4's ru_maxrss,
   which on Linux includes the spawning parent's RSS); its RSS is also
   sampled from /proc while it runs, to show whether it grows with jobs.
2. The sorted collect: RSS held by an Inventory of M jobs, in a fresh
   process (benchmarks.child), as bytes per job.
"""
from __future__ import annotations

import math
import os
import subprocess
import sys
import threading
import time
from typing import Any, Dict, List, Optional, Sequence, Tuple

from jobinventory.registry import all_specs

from . import baseline, common
from .child import run_child
from .common import Row

SECTION = "4. memory"
TARGET_MB = 150.0


def regions_for_all_services(count: int) -> List[str]:
    from .calls import _regions

    return _regions(count)


def seed(fake: Any, jobs: int, regions: List[str]) -> int:
    from jobinventory.registry import all_specs

    fake.clear_jobs()
    fake.clear_faults()
    per_stream = math.ceil(jobs / (len(all_specs()) * len(regions)))
    return fake.seed(None, regions=regions, jobs_per_stream=per_stream, seed=21)


def cli_peak(url: str, regions: List[str], expected: int, extra: Sequence[str] = (),
             tree: Optional[str] = None) -> Dict[str, Any]:
    """Run `jobinventory list --no-sort --format jsonl`; its peak RSS, RSS samples, lines, wall."""
    cmd = [sys.executable, "-m", "jobinventory", "list", "--no-sort", "--format", "jsonl", "--quiet",
           "--endpoint-url", url, "--region", ",".join(regions), *extra]
    env, cwd = baseline.env_cwd(tree)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    samples: List[Tuple[int, float]] = []  # (lines read so far, RSS MB)
    lines = 0
    done = threading.Event()

    hwm = [0]  # the child's own high-water mark (VmHWM), in kB

    def sample() -> None:
        while not done.wait(0.1):
            kb = common._status_kb("VmRSS", str(proc.pid))
            if kb:
                samples.append((lines, kb / 1024.0))
            hwm[0] = max(hwm[0], common._status_kb("VmHWM", str(proc.pid)) or 0)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    assert proc.stdout is not None
    while True:
        chunk = proc.stdout.read(1 << 20)
        if not chunk:
            break
        lines += chunk.count(b"\n")
    stderr = proc.stderr.read() if proc.stderr else b""
    done.set()
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - t0
    sampler.join()
    if proc.returncode != 0 or lines != expected:
        raise RuntimeError(f"jobinventory list exited {proc.returncode} with {lines} lines "
                           f"(expected {expected}): {stderr.decode(errors='replace')[-2000:]}")
    # RSS once a fifth of the jobs were written, and at the end: flat means no growth.
    early = next((mb for n, mb in samples if n >= expected // 5), None)
    late = samples[-1][1] if samples else None
    # Not ru_maxrss: Linux carries into a vfork()ed child's maxrss the RSS of
    # the parent it was spawned from (this benchmark process, hundreds of MB
    # after the other sections), so it measured us, not the CLI. VmHWM is the
    # high-water mark of the CLI's own memory, read until just before it exits.
    return {"peak_mb": hwm[0] / 1024.0, "ru_maxrss_mb": usage.ru_maxrss / 1024.0, "lines": lines, "wall": wall,
            "cpu": usage.ru_utime + usage.ru_stime, "rss_at_20pct_mb": early, "rss_at_end_mb": late}


def long_streams(fake: Any, per_stream: int) -> Tuple[List[Row], str]:
    """Issue 17.6: the streamed export when the jobs come in a few long streams (Bedrock's 6 operations)."""
    regions = regions_for_all_services(1)
    fake.clear_jobs()
    fake.clear_faults()
    seeded = fake.seed(["bedrock"], regions=regions, jobs_per_stream=per_stream, seed=23)
    rows: List[Row] = []
    lines = ["", "", f"Long streams: `jobinventory list --no-sort --format jsonl --service bedrock` over {seeded:,} jobs "
             f"in 6 streams of {per_stream:,} (one region); the CLI's own VmHWM.", "",
             "| tree | peak RSS | RSS at 20% | RSS at the end | wall | CPU per job |", "|---|---|---|---|---|---|"]
    for label, tree in baseline.variants():
        common.log(f"  memory: 6 Bedrock streams of {per_stream:,} jobs, {label}")
        # A stream of 100,000 jobs takes longer than the default stream deadline on a busy machine.
        extra = ["--service", "bedrock"] + (["--stream-timeout", "3600"] if baseline.has(tree, "--stream-timeout") else [])
        cli = cli_peak(fake.url, regions, seeded, extra, tree)
        rows.append(Row(SECTION, f"peak RSS of `list --no-sort --format jsonl`, 6 Bedrock streams x {per_stream:,} jobs "
                                 f"[{label}]", f"{cli['peak_mb']:.0f} MB", f"< {TARGET_MB:.0f} MB",
                        cli["peak_mb"] < TARGET_MB, f"{cli['wall']:.0f} s wall, "
                        f"{cli['cpu'] / seeded * 1e6:.0f} us CPU per job"))
        lines.append(f"| {label} | {cli['peak_mb']:.0f} MB | {cli['rss_at_20pct_mb'] or 0:.0f} MB | "
                     f"{cli['rss_at_end_mb'] or 0:.0f} MB | {cli['wall']:.1f} s | {cli['cpu'] / seeded * 1e6:.0f} us |")
    return rows, "\n".join(lines)


def run(fake: Any, jobs: int, held_jobs: int, region_count: int = 8,
        long_stream_jobs: int = 0) -> Tuple[List[Row], Dict[str, Any]]:
    regions = regions_for_all_services(region_count)
    common.log(f"  memory: seeding {jobs:,} jobs in the fake (another process)")
    t0 = time.perf_counter()
    seeded = seed(fake, jobs, regions)
    seed_s = time.perf_counter() - t0
    common.log(f"  memory: seeded {seeded:,} jobs in {seed_s:.0f} s; running jobinventory list --no-sort")
    cli = cli_peak(fake.url, regions, seeded)
    # The sorted collect over about `held_jobs` of them (whole regions).
    per_region = seeded / len(regions)
    k = max(1, min(len(regions), round(held_jobs / per_region)))
    empty = next(r for r in regions_for_all_services(len(regions) + 1) if r not in regions)
    common.log(f"  memory: sorted collect over {k} region(s) in a fresh process")
    held = run_child("sorted_collect", {"url": fake.url, "regions": regions[:k], "empty_region": empty})
    result = {"jobs": seeded, "streams": len(all_specs()) * len(regions), "seed_s": seed_s, "cli": cli, "held": held,
              "fake_peak_mb": fake.rss_peak_mb()}
    rows = rows_of(result)
    if long_stream_jobs:
        long_rows, result["long_streams"] = long_streams(fake, long_stream_jobs)
        rows += long_rows
    return rows, result


def rows_of(result: Dict[str, Any], label: str = "") -> List[Row]:
    cli, held = result["cli"], result["held"]
    jobs = result["jobs"]
    rows = [
        Row(SECTION, f"peak RSS of `jobinventory list --no-sort --format jsonl`, {jobs:,} jobs{label}",
            f"{cli['peak_mb']:.0f} MB", f"< {TARGET_MB:.0f} MB", cli["peak_mb"] < TARGET_MB,
            f"{result['streams']} streams; RSS {cli['rss_at_20pct_mb'] or 0:.0f} MB at 20% of the jobs, "
            f"{cli['rss_at_end_mb'] or 0:.0f} MB at the end; {cli['wall']:.0f} s wall, "
            f"{cli['cpu'] / jobs * 1e6:.0f} us CPU per job (collect + JSON Lines)"),
        Row(SECTION, f"sorted collect: bytes held per job ({held['jobs']:,} jobs){label}",
            f"{held['bytes_per_job']:,.0f} B", "", None,
            f"RSS {held['base_mb']:.0f} MB after start-up, {held['held_mb']:.0f} MB holding the Inventory, "
            f"peak {held['peak_mb']:.0f} MB"),
    ]
    return rows
