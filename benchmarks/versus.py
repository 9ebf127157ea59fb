"""Issue 17.2: `jobinventory list` against the ~35-line threaded boto3 script, in one run.

One account, every covered operation in 3 regions, J jobs per stream, the
fake (another process) waiting L before answering each List call. Each
command runs as a fresh process (a first collect: imports and botocore's
models included), its output read through a pipe and its lines counted;
wall time from start to exit, CPU from wait4 (user + system). Runs
alternate between the commands; the figures are each command's median.

- `jobinventory list --format jsonl` (sorted, as by default) and with `--no-sort`;
- `benchmarks/threaded_boto3.py`: boto3 paginators on a ThreadPoolExecutor(32),
  each summary a JSON line (the comparison a user would write).
"""
from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from typing import Any, Dict, List, Optional, Sequence, Tuple

from . import baseline, common
from .common import Row

SECTION = "8. versus threaded boto3"
TARGET_WALL = 1.5  # at least 1.5x faster
TARGET_CPU = 0.5  # at most half the CPU


def operations_json() -> str:
    """[[service, operation, list_key, page_size], ...] of every covered operation a plain paginator
    lists (not ListIngestionJobs: the 35 lines do not walk knowledge bases and data sources)."""
    from jobinventory.paging import page_plan
    from jobinventory.registry import all_specs

    ops = [[s, o, spec.list_key, page_plan(s, o).page_size] for (s, o), spec in all_specs().items()
           if not spec.parents]
    return json.dumps(ops)


SCRIPT = "threaded boto3 (35 lines)"


def commands(url: str, regions: Sequence[str]) -> Dict[str, Tuple[List[str], Optional[str]]]:
    """name -> (command, the tree whose jobinventory it imports: None for this one)."""
    py = sys.executable
    ours = [py, "-m", "jobinventory", "list", "--format", "jsonl", "--quiet", "--endpoint-url", url,
            "--region", ",".join(regions)]
    out: Dict[str, Tuple[List[str], Optional[str]]] = {}
    for label, tree in baseline.variants():
        tag = "" if tree is None else f" [{label}]"
        out[f"jobinventory list --format jsonl{tag}"] = (ours, tree)
        out[f"jobinventory list --no-sort --format jsonl{tag}"] = (ours[:4] + ["--no-sort"] + ours[4:], tree)
    out[SCRIPT] = ([py, "-m", "benchmarks.threaded_boto3", url, ",".join(regions), operations_json()], None)
    return out


def run_once(cmd: List[str], tree: Optional[str] = None) -> Dict[str, float]:
    """Wall, CPU (user + system, from wait4) and lines written by one fresh process."""
    env, cwd = baseline.env_cwd(tree)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    lines = 0
    assert proc.stdout is not None
    while True:
        chunk = proc.stdout.read(1 << 20)
        if not chunk:
            break
        lines += chunk.count(b"\n")
    stderr = proc.stderr.read() if proc.stderr else b""
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise RuntimeError(f"{cmd[:4]} exited {code}: {stderr.decode(errors='replace')[-2000:]}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "lines": lines}


def run(fake: Any, jobs_per_stream: int, latency: float, region_count: int = 3,
        repeats: int = 3) -> Tuple[List[Row], str]:
    from .calls import _regions

    regions = _regions(region_count)
    fake.clear_jobs()
    fake.clear_faults()
    listed = [(s, o) for s, o, _, _ in json.loads(operations_json())]  # what both sides list
    seeded = fake.seed(listed, regions=regions, jobs_per_stream=jobs_per_stream, seed=17)
    streams = len(json.loads(operations_json())) * len(regions)
    if latency:
        for service in ("forecast", "personalize", "dataexchange", "bedrock"):
            fake.inject(service=service, latency=latency)
    cmds = commands(fake.url, regions)
    got: Dict[str, List[Dict[str, float]]] = {name: [] for name in cmds}
    for i in range(repeats):
        names = list(cmds) if i % 2 == 0 else list(reversed(cmds))
        for name in names:
            common.log(f"  versus: {name} ({i + 1}/{repeats})")
            result = run_once(*cmds[name])
            if result["lines"] != seeded:
                raise RuntimeError(f"{name}: {result['lines']} lines, {seeded} jobs seeded")
            got[name].append(result)
    fake.clear_faults()
    med = {name: {k: statistics.median(r[k] for r in runs) for k in ("wall", "cpu")} for name, runs in got.items()}
    base = med[SCRIPT]
    rows: List[Row] = []
    for name in [n for n in cmds if n != SCRIPT]:
        m = med[name]
        speed, cpu = base["wall"] / m["wall"], m["cpu"] / base["cpu"]
        rows.append(Row(SECTION, f"`{name}` vs threaded boto3: wall-time speed-up", f"{speed:.2f}x",
                        f">= {TARGET_WALL}x", speed >= TARGET_WALL,
                        f"{m['wall']:.2f} s vs {base['wall']:.2f} s; {streams} streams x {jobs_per_stream:,} jobs, "
                        f"L={latency * 1e3:.0f} ms, fresh processes, median of {repeats}"))
        rows.append(Row(SECTION, f"`{name}` vs threaded boto3: CPU ratio", f"{cpu:.2f}",
                        f"<= {TARGET_CPU}", cpu <= TARGET_CPU,
                        f"{m['cpu']:.2f} s vs {base['cpu']:.2f} s CPU ({m['cpu'] / seeded * 1e6:.0f} vs "
                        f"{base['cpu'] / seeded * 1e6:.0f} us per job)"))
    lines = [
        f"One account, {streams} streams (every covered operation x {len(regions)} regions), "
        f"{jobs_per_stream:,} jobs each ({seeded:,} in all), the fake waiting {latency * 1e3:.0f} ms per List call. "
        "Each command a fresh process writing JSON lines to a pipe; wall from start to exit, CPU from wait4. "
        f"Runs alternate; each figure is the median of {repeats} (every run shown).",
        "",
        "| command | wall (median) | CPU (median) | CPU per job | wall runs | CPU runs |",
        "|---|---|---|---|---|---|",
    ]
    for name, runs in got.items():
        m = med[name]
        lines.append(f"| `{name}` | {m['wall']:.2f} s | {m['cpu']:.2f} s | {m['cpu'] / seeded * 1e6:.0f} us | "
                     + ", ".join(f"{r['wall']:.2f}" for r in runs) + " | "
                     + ", ".join(f"{r['cpu']:.2f}" for r in runs) + " |")
    return rows, "\n".join(lines)
