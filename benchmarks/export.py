"""Issue 17.4: the CPU an export adds per job over the collect (jsonl and csv).

One account, every covered operation in R regions, J jobs per stream, the
fake (another process) with no latency. Two measurements, each run with
this tree's `jobinventory` and, with `--baseline COMMIT`, that commit's,
alternating, in fresh processes:

- held: this tree collects the inventory once (sorted, as `list` does)
  and pickles its jobs; a process per tree loads them and times
  `export.write(jobs, FORMAT, stream)` alone, `stream` the text stream
  `list` writes stdout through (UTF-8, `write_through`, over a buffered
  /dev/null): process CPU per job, the best of N runs. Every tree exports
  the same jobs: the output's SHA-256 must be the same for each, and equal
  the generic path's (the converter's record through json.dumps, or
  csv.writer over `export.csv.cell`), computed in the same process.
- CLI: `jobinventory list --format FORMAT` as a fresh process writing to a
  pipe (`timed_list` below: the command as it is, its format's `write`
  timed from inside, process CPU), and its whole CPU from wait4 minus the
  same command with the format's `write` replaced by a loop that only
  counts the jobs (`collect_only`: the same process, imports and
  collection, no export; noisier, the difference of two ~3 s figures);
  medians of N alternating runs.

`python -m benchmarks.export TASK JSON` runs one measurement (held,
timed_list, collect_only) and prints its JSON as the last line of stderr.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import statistics
import subprocess
import sys
import time
from typing import Any, Dict, List, Optional, Tuple

from . import baseline, common
from .common import Row

SECTION = "9. export CPU per job"
FORMATS = ("jsonl", "csv")
TARGET_US = 10.0


def _stdout_like(raw: Any) -> io.TextIOWrapper:
    """The text stream `Output` gives `list` on stdout: UTF-8, no newline translation, write_through."""
    return io.TextIOWrapper(raw, encoding="utf-8", newline="", write_through=True)


def collect_jobs(args: Dict[str, Any]) -> Dict[str, Any]:
    """Collect the inventory (sorted, as `list` does) and pickle its jobs to args["path"]."""
    import pickle

    import jobinventory

    c0 = common.cpu()
    inv = jobinventory.collect(common.session(), regions=args["regions"], endpoint_url=args["url"])
    collect_cpu = common.cpu() - c0
    if inv.errors:
        raise RuntimeError(f"collect failed: {inv.errors}")
    with open(args["path"], "wb") as f:
        pickle.dump(inv.jobs, f, protocol=pickle.HIGHEST_PROTOCOL)
    return {"jobs": len(inv.jobs), "collect_us": collect_cpu / len(inv.jobs) * 1e6}


def _generic(jobs: List[Any], fmt: str) -> bytes:
    """The generic path's bytes: the converter's record of each job, through json.dumps or csv.writer."""
    import csv

    from jobinventory.convert import converter
    from jobinventory.export.csv import COLUMNS, cell

    records = [converter.unstructure(job) for job in jobs]
    if fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for r in records).encode()
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows([cell(r[name]) for name in COLUMNS] for r in records)
    return out.getvalue().encode()


def held(args: Dict[str, Any]) -> Dict[str, Any]:
    """Time each format's export of the pickled jobs (best of `repeats`); the output's and the generic
    path's SHA-256."""
    import gc
    import pickle

    from jobinventory import export

    with open(args["path"], "rb") as f:
        jobs = pickle.load(f)
    out: Dict[str, Any] = {"jobs": len(jobs)}
    for fmt in args["formats"]:
        written = io.BytesIO()
        stream = _stdout_like(written)
        export.write(jobs, fmt, stream)
        stream.flush()
        out[f"{fmt}_sha256"] = hashlib.sha256(written.getvalue()).hexdigest()
        out[f"{fmt}_generic_sha256"] = hashlib.sha256(_generic(jobs, fmt)).hexdigest()
        stream.detach()
    runs: Dict[str, List[float]] = {fmt: [] for fmt in args["formats"]}
    with open(os.devnull, "wb") as raw:
        for i in range(args["repeats"]):
            for fmt in (args["formats"] if i % 2 == 0 else list(reversed(args["formats"]))):
                stream = _stdout_like(raw)
                gc.collect()
                c0 = common.cpu()
                export.write(jobs, fmt, stream)
                stream.flush()
                runs[fmt].append(common.cpu() - c0)
                stream.detach()
    for fmt, cpus in runs.items():
        out[f"{fmt}_us"] = min(cpus) / len(jobs) * 1e6
        out[f"{fmt}_runs_us"] = [c / len(jobs) * 1e6 for c in cpus]
    return out


def _counting(jobs: Any, stream: Any, **_options: Any) -> int:
    return sum(1 for _job in jobs)


def collect_only(args: Dict[str, Any]) -> Dict[str, Any]:
    """`jobinventory list ARGV` with the format's write only counting the jobs: the CLI's collect alone."""
    import importlib

    from jobinventory.cli import main
    from jobinventory.export import get_format

    argv = args["argv"]
    module = importlib.import_module(f"jobinventory.export.{get_format(argv[argv.index('--format') + 1]).module}")
    module.write = _counting
    return {"status": main(argv)}


def timed_list(args: Dict[str, Any]) -> Dict[str, Any]:
    """`jobinventory list ARGV` writing to stdout, the CPU of its format's `write` measured from inside."""
    import importlib

    from jobinventory.cli import main
    from jobinventory.export import get_format

    argv = args["argv"]
    module = importlib.import_module(f"jobinventory.export.{get_format(argv[argv.index('--format') + 1]).module}")
    real, spent = module.write, {}

    def timed(jobs: Any, stream: Any, **options: Any) -> int:
        c0 = common.cpu()
        count = real(jobs, stream, **options)
        stream.flush()
        spent.update(cpu=common.cpu() - c0, jobs=count)
        return count

    module.write = timed
    return {"status": main(argv), **spent}


TASKS = {"collect_jobs": collect_jobs, "held": held, "collect_only": collect_only, "timed_list": timed_list}
RESULT = "benchmarks.export result: "


def _child(task: str, args: Dict[str, Any], tree: Optional[str]) -> Dict[str, Any]:
    env, cwd = baseline.env_cwd(tree)
    out = subprocess.run([sys.executable, "-m", "benchmarks.export", task, json.dumps(args)], cwd=cwd, env=env,
                         capture_output=True, text=True, timeout=900)
    if out.returncode != 0:
        raise RuntimeError(f"benchmarks.export {task} failed ({out.returncode}):\n{out.stderr[-3000:]}")
    return _result(out.stderr)


def _result(stderr: str) -> Dict[str, Any]:
    last = stderr.strip().splitlines()[-1]
    if not last.startswith(RESULT):
        raise RuntimeError(f"no result in: {stderr[-2000:]}")
    return json.loads(last[len(RESULT):])


def _process(cmd: List[str], tree: Optional[str]) -> Dict[str, Any]:
    """CPU (user + system, wait4), lines written to a pipe and the reported result of one fresh process."""
    env, cwd = baseline.env_cwd(tree)
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    lines, t0 = 0, time.perf_counter()
    while True:
        chunk = proc.stdout.read(1 << 20)
        if not chunk:
            break
        lines += chunk.count(b"\n")
    stderr = proc.stderr.read()
    _pid, status, usage = os.wait4(proc.pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise RuntimeError(f"{cmd[:6]} exited {code}: {stderr.decode(errors='replace')[-2000:]}")
    return {"cpu": usage.ru_utime + usage.ru_stime, "lines": lines, "wall": time.perf_counter() - t0,
            "result": _result(stderr.decode(errors="replace"))}


def _cli_runs(url: str, regions: List[str], repeats: int, jobs: int) -> Dict[str, Dict[str, Dict[str, List[float]]]]:
    """figure -> tree label -> format -> us per job over `repeats` alternating runs; figures: `write` (timed
    inside list), `difference` (list - collect_only, wait4), `collect` (collect_only, wait4)."""
    labels = [label for label, _ in baseline.variants()]
    got: Dict[str, Dict[str, Dict[str, List[float]]]] = {
        figure: {label: {f: [] for f in FORMATS} for label in labels} for figure in ("write", "difference", "collect")
    }
    for i in range(repeats):
        order = baseline.variants() if i % 2 == 0 else list(reversed(baseline.variants()))
        for label, tree in order:
            for fmt in FORMATS:
                argv = ["list", "--format", fmt, "--quiet", "--endpoint-url", url, "--region", ",".join(regions)]
                common.log(f"  export: CLI {fmt} [{label}] ({i + 1}/{repeats})")
                listed = _process([sys.executable, "-m", "benchmarks.export", "timed_list", json.dumps({"argv": argv})],
                                  tree)
                header = 1 if fmt == "csv" else 0
                if listed["lines"] != jobs + header or listed["result"]["jobs"] != jobs:
                    raise RuntimeError(f"list --format {fmt}: {listed['lines']} lines for {jobs} jobs")
                only = _process([sys.executable, "-m", "benchmarks.export", "collect_only",
                                 json.dumps({"argv": argv})], tree)
                got["write"][label][fmt].append(listed["result"]["cpu"] / jobs * 1e6)
                got["difference"][label][fmt].append((listed["cpu"] - only["cpu"]) / jobs * 1e6)
                got["collect"][label][fmt].append(only["cpu"] / jobs * 1e6)
    return got


def _held_runs(args: Dict[str, Any], repeats: int) -> Dict[str, List[Dict[str, Any]]]:
    """tree label -> its held results: two processes per tree (one with --quick), alternating."""
    variants = baseline.variants()
    runs: Dict[str, List[Dict[str, Any]]] = {label: [] for label, _ in variants}
    for i in range(2 if repeats > 1 else 1):
        for label, tree in (variants if i % 2 == 0 else list(reversed(variants))):
            common.log(f"  export: held [{label}] ({i + 1})")
            runs[label].append(_child("held", args, tree))
    return runs


def _check_bytes(held_runs: Dict[str, List[Dict[str, Any]]]) -> str:
    """One SHA-256 per format, the same for every tree, run and the generic path; RuntimeError otherwise."""
    for fmt in FORMATS:
        digests = {r[f"{fmt}_sha256"] for runs in held_runs.values() for r in runs}
        digests |= {r[f"{fmt}_generic_sha256"] for runs in held_runs.values() for r in runs}
        if len(digests) != 1:
            raise RuntimeError(f"{fmt}: the export's bytes differ between trees or from the generic path: {digests}")
    return ("Every tree wrote the same bytes as the generic path (the converter's record through json.dumps, "
            "csv.writer over `export.csv.cell`) in each format, SHA-256: "
            + ", ".join(f"{fmt} {next(iter(held_runs.values()))[0][f'{fmt}_sha256'][:12]}" for fmt in FORMATS) + ".")


def run(fake: Any, jobs_per_stream: int, region_count: int = 2, repeats: int = 5,
        cli_repeats: int = 3) -> Tuple[List[Row], str]:
    import tempfile

    from jobinventory.registry import all_specs

    from .calls import _regions

    regions = _regions(region_count)
    fake.clear_jobs()
    fake.clear_faults()
    seeded = fake.seed(None, regions=regions, jobs_per_stream=jobs_per_stream, seed=17)
    n_ops = len(all_specs())
    with tempfile.TemporaryDirectory(prefix="jobinventory-export-") as tmp:
        args = {"url": fake.url, "regions": regions, "formats": list(FORMATS), "repeats": repeats,
                "path": os.path.join(tmp, "jobs.pickle")}
        collected = _child("collect_jobs", args, None)
        if collected["jobs"] != seeded:
            raise RuntimeError(f"collect: {collected['jobs']} jobs, {seeded} seeded")
        held_runs = _held_runs(args, repeats)
    same = _check_bytes(held_runs)
    cli = _cli_runs(fake.url, regions, cli_repeats, seeded)
    rows: List[Row] = []
    lines = [
        f"One account, {n_ops} operations x {len(regions)} regions, {jobs_per_stream:,} jobs per stream "
        f"({seeded:,} jobs), no latency. *held*: `export.write` of the same collected jobs (this tree's collect, "
        "pickled) to a UTF-8 write-through text stream over a buffered /dev/null (what `list` writes stdout "
        f"through), process CPU per job, the best of {repeats} runs in each of "
        f"{len(next(iter(held_runs.values())))} processes per tree. *CLI*: `jobinventory list --format F` in a "
        "fresh process writing to a pipe: its format's `write` timed from inside (process CPU), and its whole CPU "
        "(wait4) minus the same command with the format's write only counting the jobs; medians of "
        f"{cli_repeats} alternating runs. *collect alone*: that command's CPU per job.",
        "",
        "| tree | format | held: us/job (best) | held runs | CLI: write, us/job (median) | CLI write runs | "
        "CLI: list - collect (wait4, median) | list - collect runs | collect alone |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for label, _tree in baseline.variants():
        for fmt in FORMATS:
            best = min(r[f"{fmt}_us"] for r in held_runs[label])
            every = [f"{x:.1f}" for r in held_runs[label] for x in r[f"{fmt}_runs_us"]]
            write, diff = (statistics.median(cli[figure][label][fmt]) for figure in ("write", "difference"))
            tag = "" if len(held_runs) == 1 else f" [{label}]"
            rows.append(Row(SECTION, f"`{fmt}` export, us of CPU per job over the collect (held){tag}",
                            f"{best:.1f} us", f"<= {TARGET_US:.0f} us", best <= TARGET_US,
                            f"{seeded:,} jobs of {n_ops} operations; in the CLI (median): write {write:.1f} us, "
                            f"list - collect {diff:.1f} us"))
            lines.append(f"| {label} | {fmt} | {best:.1f} | {', '.join(every)} | {write:.1f} | "
                         + ", ".join(f"{x:.1f}" for x in cli["write"][label][fmt]) + f" | {diff:.1f} | "
                         + ", ".join(f"{x:.1f}" for x in cli["difference"][label][fmt])
                         + f" | {statistics.median(cli['collect'][label][fmt]):.1f} |")
    return rows, "\n".join(lines + ["", same])


if __name__ == "__main__":
    common.seal_environment()
    result = TASKS[sys.argv[1]](json.loads(sys.argv[2]))
    sys.stdout.flush()
    print(RESULT + json.dumps(result), file=sys.stderr)
