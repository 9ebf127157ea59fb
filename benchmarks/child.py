"""Measurements that need a process of their own (a clean RSS): `python -m benchmarks.child TASK JSON`.

Prints one JSON object on stdout. Tasks:

- `sorted_collect`: RSS after start-up, then `collect(...)` holding its
  Inventory: RSS held, peak RSS, jobs, bytes per job held.
- `scale`: `collect(...)` over accounts x regions x operations: wall, CPU,
  peak RSS, streams, calls.
- `timed_collect`: one `collect(...)` after a warm-up collect: wall, CPU,
  jobs, errors, pages and calls (retries included), the longest stream.
"""
from __future__ import annotations

import gc
import json
import sys
import time
from typing import Any, Dict

from . import common


def _sessions(n: int) -> list:
    return [common.session(f"AKIDSCALE{i:08d}") for i in range(n)]


def sorted_collect(args: Dict[str, Any]) -> Dict[str, Any]:
    import jobinventory

    sess = common.session()
    kwargs = dict(regions=args["regions"], endpoint_url=args["url"])
    # Start-up: imports, models, one tiny collect (a region with no jobs).
    jobinventory.collect(sess, operations=["bedrock:ListModelImportJobs"], regions=[args["empty_region"]],
                         endpoint_url=args["url"])
    gc.collect()
    base = common.rss_mb()
    t0, c0 = time.perf_counter(), common.cpu()
    inv = jobinventory.collect(sess, **kwargs)
    wall, cpu = time.perf_counter() - t0, common.cpu() - c0
    gc.collect()
    held = common.rss_mb()
    jobs = len(inv.jobs)
    return {
        "jobs": jobs, "errors": len(inv.errors), "base_mb": base, "held_mb": held, "peak_mb": common.peak_rss_mb(),
        "bytes_per_job": (held - base) * 1024 * 1024 / jobs if jobs else 0.0, "wall": wall, "cpu": cpu,
    }


def scale(args: Dict[str, Any]) -> Dict[str, Any]:
    import jobinventory

    sessions = _sessions(args["accounts"])
    base = sessions[0]
    gc.collect()
    start_mb = common.rss_mb()
    t0, c0 = time.perf_counter(), common.cpu()
    inv = jobinventory.collect(base, accounts=sessions if len(sessions) > 1 else None,
                               operations=args["operations"], regions=args["regions"], endpoint_url=args["url"])
    wall, cpu = time.perf_counter() - t0, common.cpu() - c0
    return {
        "streams": len(inv.streams), "answered": sum(1 for s in inv.streams if s.state == "answered"),
        "errors": len(inv.errors), "jobs": len(inv.jobs), "calls": sum(s.calls for s in inv.streams),
        "wall": wall, "cpu": cpu, "start_mb": start_mb, "peak_mb": common.peak_rss_mb(),
        "end_mb": common.rss_mb(),
    }


def timed_collect(args: Dict[str, Any]) -> Dict[str, Any]:
    """One collect in a warm process (botocore's models loaded by a collect over an empty region first)."""
    import jobinventory

    sess = common.session()
    jobinventory.collect(sess, regions=[args["empty_region"]], endpoint_url=args["url"])
    extra = dict(args.get("kwargs") or {})
    gc.collect()
    t0, c0 = time.perf_counter(), common.cpu()
    inv = jobinventory.collect(sess, regions=args["regions"], endpoint_url=args["url"], **extra)
    wall, cpu = time.perf_counter() - t0, common.cpu() - c0
    return {
        "wall": wall, "cpu": cpu, "jobs": len(inv.jobs), "errors": [str(e) for e in inv.errors],
        "streams": len(inv.streams), "max_pages": max((s.pages for s in inv.streams), default=0),
        "pages": sum(s.pages for s in inv.streams), "calls": sum(s.calls for s in inv.streams),
        "peak_mb": common.peak_rss_mb(),
    }


TASKS = {"sorted_collect": sorted_collect, "scale": scale, "timed_collect": timed_collect}


def run_child(task: str, args: Dict[str, Any], timeout: float = 900, tree: Any = None) -> Dict[str, Any]:
    """Run a task in a fresh interpreter (importing jobinventory from `tree`, None: this one); its JSON result."""
    import subprocess

    from .baseline import env_cwd

    env, cwd = env_cwd(tree)
    out = subprocess.run([sys.executable, "-m", "benchmarks.child", task, json.dumps(args)], cwd=cwd, env=env,
                         capture_output=True, text=True, timeout=timeout)
    if out.returncode != 0:
        raise RuntimeError(f"benchmarks.child {task} failed ({out.returncode}):\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    common.seal_environment()
    result = TASKS[sys.argv[1]](json.loads(sys.argv[2]))
    print(json.dumps(result))
