"""Run every benchmark and write benchmarks/RESULTS.md: `python -m benchmarks [--full] [--quick]`.

Sections (issue 7: 1-5, issue 8: 6), each against a fresh fake in a process
of its own:
  1 fanout         wall time vs the critical path, and a naive boto3 loop
  1b schedule     (issue 17) every operation against max(critical path, CPU); throttling under a rate limit
  2 calls          List calls vs the lower bound, with and without `since`
  3 normalization  summaries per second per adapter vs a dict copy
  4 memory         `jobinventory list --no-sort` peak RSS; bytes per job held
  5 scale          10 to 10,000 streams: wall, CPU, RSS
  6 cpu            client CPU per job vs plain boto3 and HTTP + json.loads
  7 org_scale      (issue 10) a large organization on threads, a local process pool and Dask:
                   wall, calls/s, peak RSS of the process tree; projected to 1.7 million streams
  8 versus         (issue 17) `jobinventory list` against the 35-line threaded boto3 script
  9 export         (issue 17) the CPU a jsonl or csv export adds per job over the collect
 10 accounts       (issue 17) what one more account costs: CPU and memory per extra account
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from typing import Any, Callable, Dict, List, Optional, Tuple

from . import common
from .common import Row

HERE = os.path.dirname(os.path.abspath(__file__))
RESULTS = os.path.join(HERE, "RESULTS.md")
HISTORY = os.path.join(HERE, "HISTORY.md")
FULL_MEMORY = os.path.join(HERE, "full_memory.json")
SECTIONS = ("fanout", "schedule", "calls", "normalization", "memory", "scale", "cpu", "org_scale", "versus", "export",
            "accounts")
TITLES = {
    "fanout": "1. Fan-out: wall time against the critical path",
    "schedule": "1b. Scheduling: every operation against its floor, and under AWS's rate limits (issue 17)",
    "calls": "2. API-call economy",
    "normalization": "3. Normalization throughput",
    "memory": "4. Memory",
    "scale": "5. Scale: 10 to 10,000 streams",
    "cpu": "6. Client CPU per job (issue 8)",
    "org_scale": "7. Org scale: threads, a local process pool, Dask (issue 10)",
    "versus": "8. Against the 35-line threaded boto3 script (issue 17)",
    "export": "9. Export: CPU per job over the collect (issue 17)",
    "accounts": "10. Per account: CPU and memory of one more account (issue 17)",
}

#: Sizes per mode. "default" fits in a few minutes on 2 cores; "quick" is the smoke test's.
SIZES: Dict[str, Dict[str, Any]] = {
    "default": {
        "fanout": dict(stream_counts=[1, 8, 32, 64, 128], pages=5, latency=0.05, naive_max=32,
                       extra_latencies=[0.2]),
        "schedule": dict(jobs_per_stream=1000, latency=0.4, rate=2.0, rate_latency=0.1, repeats=2),
        "calls": dict(sizes=[0, 1, 100, 101, 1000, 2001], since_jobs=3000),
        "normalization": dict(n=2000, repeats=5),
        "memory": dict(jobs=200_000, held_jobs=100_000, long_stream_jobs=100_000),
        "scale": dict(stream_counts=[10, 100, 1000, 10000]),
        "cpu": dict(jobs_per_stream=5000, repeats=2),
        "org_scale": dict(accounts=100, latency=0.05),
        "versus": dict(jobs_per_stream=1000, latency=0.1, repeats=3),
        "export": dict(jobs_per_stream=1000, region_count=2, repeats=5, cli_repeats=5),
        "accounts": dict(counts=(10, 100), repeats=2),
    },
    "quick": {
        "fanout": dict(stream_counts=[1, 4], pages=2, latency=0.01, naive_max=4, extra_latencies=[]),
        "schedule": dict(jobs_per_stream=30, latency=0.01, rate=50.0, rate_latency=0.01, region_count=1,
                         repeats=1),
        "calls": dict(sizes=[0, 1, 101], since_jobs=150),
        "normalization": dict(n=20, repeats=1),
        "memory": dict(jobs=2000, held_jobs=500, long_stream_jobs=300),
        "scale": dict(stream_counts=[10]),
        "cpu": dict(jobs_per_stream=30, repeats=1,
                    operations=["forecast:ListForecastExportJobs", "bedrock:ListModelCopyJobs"]),
        # Dask is left to tests/collector/test_executors.py: its cluster would double this section's time.
        "org_scale": dict(accounts=1, latency=0.0, workers=1, modes=("threads", "processes")),
        "versus": dict(jobs_per_stream=20, latency=0.0, region_count=1, repeats=1),
        "export": dict(jobs_per_stream=5, region_count=1, repeats=1, cli_repeats=1),
        "accounts": dict(counts=(1, 2), repeats=1, layout_names=("minimal",)),
    },
}
FULL_MEMORY_SIZES = dict(jobs=1_000_000, held_jobs=200_000, long_stream_jobs=100_000)


def _with_fake(fn: Callable[[Any], Any]) -> Any:
    from .remote import RemoteFake

    with RemoteFake() as fake:
        return fn(fake)


def _ops() -> int:
    from jobinventory.registry import all_specs

    return len(all_specs())


def run_section(name: str, sizes: Dict[str, Any], full: bool) -> Tuple[List[Row], str, Optional[Dict[str, Any]]]:
    if name == "normalization":
        from . import normalization

        rows, detail = normalization.run(**sizes)
        return rows, detail, None
    if name == "fanout":
        from . import fanout

        rows, detail = _with_fake(lambda fake: fanout.run(fake, **sizes))
        return rows, detail, None
    if name == "calls":
        from . import calls

        rows, detail = _with_fake(lambda fake: calls.run(fake, **sizes))
        return rows, detail, None
    if name == "memory":
        from . import memory

        rows, result = _with_fake(lambda fake: memory.run(fake, **sizes))
        detail = (f"`jobinventory list --no-sort --format jsonl --quiet --endpoint-url URL --region ...` over "
                  f"{result['jobs']:,} jobs ({result['streams']} streams: {_ops()} operations x "
                  f"{result['streams'] // _ops()} regions), output read through a pipe. Seeding the fake took "
                  f"{result['seed_s']:.0f} s; the fake's own peak RSS {result['fake_peak_mb']:,.0f} MB (not counted).\n\n"
                  f"```json\n{json.dumps({k: v for k, v in result.items() if k != 'long_streams'}, indent=1)}\n```"
                  + result.get("long_streams", ""))
        return rows, detail, result
    if name == "scale":
        from . import scale

        rows, detail = _with_fake(lambda fake: scale.run(fake, **sizes))
        return rows, detail, None
    if name == "cpu":
        from . import cpu

        rows, detail = _with_fake(lambda fake: cpu.run(fake, **sizes))
        return rows, detail, None
    if name == "schedule":
        from . import schedule

        rows, detail = _with_fake(lambda fake: schedule.run(fake, **sizes))
        return rows, detail, None
    if name == "versus":
        from . import versus

        rows, detail = _with_fake(lambda fake: versus.run(fake, **sizes))
        return rows, detail, None
    if name == "export":
        from . import export

        rows, detail = _with_fake(lambda fake: export.run(fake, **sizes))
        return rows, detail, None
    if name == "accounts":
        from . import accounts

        rows, detail = accounts.run(**sizes)  # moto's STS beside the fake, as org_scale
        return rows, detail, None
    if name == "org_scale":
        from . import org_scale

        rows, detail = org_scale.run(**sizes)  # its own servers: moto's STS beside the fake
        return rows, detail, None
    raise ValueError(name)


def _full_memory_section(current: Optional[Dict[str, Any]], full: bool) -> Tuple[List[Row], str]:
    """The last --full memory run (1,000,000 jobs), kept in full_memory.json between runs."""
    from . import memory

    if full and current is not None:
        saved = {"result": current, "machine": common.machine()}
        with open(FULL_MEMORY, "w") as f:
            json.dump(saved, f, indent=1)
    if not os.path.exists(FULL_MEMORY):
        return [], "No `--full` run recorded yet: `python -m benchmarks --full --only memory`."
    with open(FULL_MEMORY) as f:
        saved = json.load(f)
    machine = saved["machine"]
    rows = memory.rows_of(saved["result"], label=f" [--full, {machine['date']}]")
    text = (f"From the last `--full` run ({machine['date']}; {machine['cores']} cores, Python {machine['python']}, "
            f"boto3 {machine['boto3']}):\n\n```json\n{json.dumps(saved['result'], indent=1)}\n```")
    return rows, text


def _tree() -> str:
    """The commit measured (and whether the working tree differs from it)."""
    import subprocess

    root = os.path.dirname(HERE)
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True,
                                timeout=10, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root,
                               capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "a tree without git metadata"
    return f"commit {commit}" + (" with uncommitted changes" if dirty else "")


def render(rows: List[Row], details: Dict[str, str], machine: Dict[str, str], mode: str, elapsed: float,
           ran: List[str]) -> str:
    out = [
        "# jobinventory benchmarks: results",
        "",
        f"Written by `python -m benchmarks{' --full' if mode == 'full' else ''}` "
        f"(see [README.md](README.md)) on {machine['date']}, in {elapsed:.0f} s, measuring {_tree()}. "
        f"Sections run: {', '.join(ran)}.",
        "",
        f"Machine: {machine['cores']} cores ({machine['cpu']}), {machine['os']}, Python {machine['python']}, "
        f"boto3 {machine['boto3']} / botocore {machine['botocore']}. The fake job server runs in a process of its "
        "own on 127.0.0.1 (it shares the machine's cores, not the client's GIL, CPU count or RSS).",
        "",
        "## Summary",
        "",
        common.table(rows),
        "",
    ]
    if os.path.exists(HISTORY):
        with open(HISTORY) as f:
            out += [f.read().strip(), ""]
    for name in SECTIONS:
        if name in details:
            out += [f"## {TITLES[name]}", "", details[name], ""]
    if "memory_full" in details:
        out += ["## 4b. Memory at 1,000,000 jobs (`--full`)", "", details["memory_full"], ""]
    return "\n".join(out)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--full", action="store_true",
                        help="memory over 1,000,000 jobs (about 2 more minutes, ~1.5 GB in the fake's process)")
    parser.add_argument("--quick", action="store_true", help="tiny sizes: checks the benchmarks run, measures nothing")
    parser.add_argument("--only", action="append", choices=SECTIONS, metavar="SECTION",
                        help=f"run only these sections ({', '.join(SECTIONS)}); repeatable")
    parser.add_argument("--output", metavar="PATH", default=None,
                        help="where to write the results (default: benchmarks/RESULTS.md; --quick: nowhere)")
    parser.add_argument("--baseline", metavar="COMMIT", default=None,
                        help="also measure COMMIT's jobinventory package, alternating with this tree's, in the "
                             "sections that run fresh processes (versus, schedule, export, accounts): before and after in "
                             "one run")
    args = parser.parse_args(argv)
    if args.full and args.quick:
        parser.error("--full and --quick do not go together")
    common.seal_environment()
    if args.baseline:
        from . import baseline

        baseline.COMMIT = args.baseline
    mode = "quick" if args.quick else "full" if args.full else "default"
    sizes = SIZES["quick" if args.quick else "default"]
    ran = [s for s in SECTIONS if not args.only or s in args.only]
    order = ["normalization", "cpu", "export", "versus", "schedule", "fanout", "calls", "memory", "scale", "org_scale",
             "accounts"]
    machine = common.machine()
    started = time.perf_counter()
    rows_by: Dict[str, List[Row]] = {}
    details: Dict[str, str] = {}
    memory_result = None
    for name in order:
        if name not in ran:
            continue
        section_sizes = dict(sizes[name])
        if name == "memory" and args.full:
            section_sizes = dict(FULL_MEMORY_SIZES)
        t0 = time.perf_counter()
        common.log(f"{TITLES[name]} ...")
        rows, detail, extra = run_section(name, section_sizes, args.full)
        common.log(f"  done in {time.perf_counter() - t0:.0f} s")
        rows_by[name], details[name] = rows, detail
        if name == "memory":
            memory_result = extra
    if "memory" in ran and mode != "quick":
        full_rows, full_text = _full_memory_section(memory_result, args.full)
        if not args.full:
            rows_by["memory"] = rows_by["memory"] + full_rows
            details["memory_full"] = full_text
    rows = [row for name in SECTIONS for row in rows_by.get(name, [])]
    elapsed = time.perf_counter() - started
    text = render(rows, details, machine, mode, elapsed, ran)
    output = args.output or (None if args.quick else RESULTS)
    if output:
        with open(output, "w") as f:
            f.write(text)
        common.log(f"wrote {output} ({elapsed:.0f} s)")
    print(common.table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
