"""`serve` over many syncs: does memory stay flat? (issue 15)

    python -m benchmarks.serve_memory                    # 200 syncs of a large demo (10,200 jobs)
    python -m benchmarks.serve_memory --syncs 20 --jobs-per-stream 10    # a quick look

One fresh interpreter runs what `serve` runs, back to back with no waiting:
a fake seeded with every operation in three regions (`--jobs-per-stream`
jobs each), an SQLite store in a temporary directory, and `serve`'s own
`SyncLoop.run_once(step)`: the demo's jobs move on (`move_on`: jobs end,
some fail, new ones start), `collect_and_sync`, the store's snapshot read;
then a scrape of `/metrics` (the registry's exposition) after every sync and
the HTML page every 20 syncs. The fake lives in this process too: its
streams never grow and its request log is emptied before each sync (as
`serve --demo` does), so its memory is constant, and it is counted.

Prints RSS after the first sync, after every tenth and after the last, the
peak (VmHWM), syncs per second, and the store's size, as JSON (also written
to `--output` when given). A benchmark, not a test: nothing is asserted.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import sys
import tempfile
import time
from typing import Any, Dict, List, Optional

from . import common


def _rss_mb() -> float:
    return common._status_kb("VmRSS") / 1024.0


def _hwm_mb() -> float:
    return common._status_kb("VmHWM") / 1024.0


def run(syncs: int = 200, jobs_per_stream: int = 200, page_every: int = 20) -> Dict[str, Any]:
    common.seal_environment()
    from prometheus_client import generate_latest

    from jobinventory.demo import demo_session
    from jobinventory.serve.service import Service
    from jobinventory.store import open_store
    from jobinventory.testing import FakeJobServer
    from jobinventory.testing.evolve import move_on
    from jobinventory.testing.seeds import DEMO_REGIONS

    now = _dt.datetime.now(_dt.timezone.utc)
    samples: List[Dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="serve-memory-") as tmp, FakeJobServer() as fake:
        jobs = fake.seed(None, regions=DEMO_REGIONS, jobs_per_stream=jobs_per_stream, seed=1, now=now)
        path = os.path.join(tmp, "store.db")
        session = demo_session()
        with open_store(f"sqlite:///{path}") as store:
            def sync() -> Any:
                return store.collect_and_sync(session, endpoint_url=fake.url, regions=list(DEMO_REGIONS))

            def before(step: int) -> None:  # as DemoTarget.move_on does
                fake.reset_log()
                move_on(fake, step=step, seed=1, now=now + _dt.timedelta(minutes=5 * step))

            service = Service(store, sync, interval=300, before_sync=before)
            loop = service.loop
            started = time.perf_counter()
            scrape_bytes = 0
            for step in range(syncs):
                loop.run_once(step)
                scrape_bytes = len(generate_latest(service.registry))
                if step % page_every == 0:
                    service.pages.page()
                if step == 0 or (step + 1) % 10 == 0 or step == syncs - 1:
                    samples.append({"sync": step + 1, "rss_mb": round(_rss_mb(), 1),
                                    "s": round(time.perf_counter() - started, 1)})
            elapsed = time.perf_counter() - started
            snap = loop.snapshot
        size = os.path.getsize(path) + sum(os.path.getsize(os.path.join(tmp, f)) for f in os.listdir(tmp)
                                           if f.startswith("store.db-"))
    return {
        "syncs": syncs, "jobs": jobs, "streams": len(snap.streams) if snap else 0,
        "failed_syncs": loop.state.failures, "changes_counted": sum(snap.changes.values()) if snap else 0,
        "rss_first_mb": samples[0]["rss_mb"], "rss_last_mb": samples[-1]["rss_mb"], "peak_mb": round(_hwm_mb(), 1),
        "syncs_per_s": round(syncs / elapsed, 2), "elapsed_s": round(elapsed, 1),
        "scrape_bytes": scrape_bytes, "store_mb": round(size / 2**20, 1), "samples": samples,
    }


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.serve_memory", description=__doc__.split("\n")[0])
    parser.add_argument("--syncs", type=int, default=200)
    parser.add_argument("--jobs-per-stream", type=int, default=200)
    parser.add_argument("--output", help="also write the JSON result here")
    args = parser.parse_args(argv)
    result = run(args.syncs, args.jobs_per_stream)
    text = json.dumps(result, indent=1)
    print(text)
    if args.output:
        with open(args.output, "w") as f:
            f.write(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
