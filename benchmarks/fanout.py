"""Issue 7.1: fan-out efficiency against injected latency.

S streams (Forecast operations x regions x accounts) of P pages each; the
fake (another process) waits L before answering every List call. The
critical path is the longest single stream: P x L. In the same run:

- jobinventory: wall time of `jobinventory.collect(...)`, end to end
  (planning, the STS and EC2 look-ups, clients, every page, sort);
- naive: the loop a user would write: for each account, region and
  operation, a boto3 client and its paginator, one page after another.

Each is reported as a ratio to the critical path. Only the List calls are
delayed (STS and EC2 answer at once). Each stream holds (P-1) x 100 + 1
jobs: P pages at Forecast's page size of 100, the last one nearly empty.
"""
from __future__ import annotations

import math
from typing import Any, List, Sequence, Tuple

from . import common
from .common import Row

SECTION = "1. fan-out"
TARGET_RATIO = 1.3
OPERATIONS = ("ListDatasetImportJobs", "ListForecastExportJobs", "ListExplainabilityExports",
              "ListPredictorBacktestExportJobs")
REGIONS = ("us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-central-1", "ap-northeast-1",
           "ap-southeast-1", "ap-southeast-2", "ap-south-1", "ap-northeast-2")
PAGE = 100


def layout(streams: int) -> Tuple[int, int, int]:
    """(operations, regions, accounts) whose product is `streams`."""
    if streams <= len(OPERATIONS):
        return streams, 1, 1
    ops = len(OPERATIONS)
    regions = min(8, streams // ops)
    accounts = math.ceil(streams / (ops * regions))
    if ops * regions * accounts != streams:
        raise ValueError(f"pick streams as 1-4, 4 x regions (<= 8) or 32 x accounts: {streams}")
    return ops, regions, accounts


def account_id(i: int) -> str:
    return f"{100000000000 + i:012d}"


def setup(fake: Any, streams: int, pages: int) -> Tuple[List[str], List[str], List[Any]]:
    """Seed the streams; (operations, regions, sessions of the accounts)."""
    n_ops, n_regions, n_accounts = layout(streams)
    ops, regions = list(OPERATIONS[:n_ops]), list(REGIONS[:n_regions])
    jobs = (pages - 1) * PAGE + 1
    sessions = []
    fake.clear_jobs()
    for i in range(n_accounts):
        key = f"AKIDFANOUT{i:06d}"
        fake.set_account(key, account_id(i))
        sessions.append(common.session(key))
        fake.seed([("forecast", op) for op in ops], regions=regions, accounts=[account_id(i)],
                  jobs_per_stream=jobs, seed=i)
    return ops, regions, sessions


def naive(fake: Any, sessions: Sequence[Any], ops: Sequence[str], regions: Sequence[str]) -> int:
    """What a user writes: a sequential loop over boto3 paginators."""
    from botocore import xform_name

    jobs = 0
    for sess in sessions:
        for region in regions:
            client = sess.client("forecast", region_name=region, endpoint_url=fake.url)
            for op in ops:
                for page in client.get_paginator(xform_name(op)).paginate():
                    jobs += len(page[op[len("List"):]])
            client.close()
    return jobs


def run(fake: Any, stream_counts: Sequence[int], pages: int, latency: float, naive_max: int,
        extra_latencies: Sequence[float] = ()) -> Tuple[List[Row], str]:
    import jobinventory

    # Warm: botocore's models and endpoint data loaded once per process, before any timing.
    fake.clear_faults()
    jobinventory.collect(common.session(), operations=["forecast:ListDatasetImportJobs"], regions=[REGIONS[0]],
                         endpoint_url=fake.url)
    results = []
    for lat in (latency, *extra_latencies):
        for streams in stream_counts:
            if lat != latency and streams > 64:
                continue
            ops, regions, sessions = setup(fake, streams, pages)
            fake.clear_faults()
            fake.inject(service="forecast", latency=lat)
            crit = pages * lat
            accounts = sessions if len(sessions) > 1 else None
            base = sessions[0]

            def ours() -> Any:
                return jobinventory.collect(base, accounts=accounts, operations=[f"forecast:{o}" for o in ops],
                                            regions=regions, endpoint_url=fake.url)

            fake.reset_log()
            inv, wall, cpu = common.measure(ours)
            calls = fake.count(service="forecast")
            if inv.errors:
                raise RuntimeError(f"fan-out collect failed: {inv.errors[:3]}")
            workers = min(jobinventory.collector.DEFAULT_MAX_WORKERS, streams)
            waves = math.ceil(streams / jobinventory.collector.DEFAULT_MAX_WORKERS)
            naive_wall = None
            if lat == latency and streams <= naive_max:
                common.log(f"  fan-out: naive loop over {streams} streams x {pages} pages")
                n, naive_wall, _ = common.measure(lambda: naive(fake, sessions, ops, regions))
                if n != len(inv.jobs):
                    raise RuntimeError(f"naive found {n} jobs, jobinventory {len(inv.jobs)}")
            results.append((lat, streams, workers, waves, len(inv.jobs), calls, wall, cpu, naive_wall, crit))
            common.log(f"  fan-out: L={lat * 1e3:.0f} ms, {streams} streams: {wall:.3f} s "
                       f"({wall / crit:.2f}x critical path)")
    fake.clear_faults()

    rows: List[Row] = []
    for lat, streams, workers, waves, jobs, calls, wall, cpu, naive_wall, crit in results:
        expected = waves  # streams / max_workers rounds of the critical path
        target = f"<= {TARGET_RATIO}" if waves == 1 else f"~{expected} (streams/max_workers) x {TARGET_RATIO}"
        ok = wall / crit <= TARGET_RATIO * expected
        naive_text = (f"naive loop {naive_wall / crit:.1f}x ({naive_wall:.2f} s)" if naive_wall is not None
                      else f"naive loop not run: ~{streams}x by construction ({streams * crit:.1f} s)")
        naive_text += f"; client CPU {cpu:.2f} s"
        rows.append(Row(
            SECTION, f"{streams} streams x {pages} pages, L={lat * 1e3:.0f} ms: jobinventory / critical path",
            f"{wall / crit:.2f}x", target, ok, naive_text,
        ))
    lines = [
        f"Critical path = pages x latency. Streams = Forecast operations x regions x accounts; "
        f"default max_workers ({jobinventory.collector.DEFAULT_MAX_WORKERS}), per_key 4. "
        "CPU is the client process's CPU during the collect: near the wall time, the client is CPU bound "
        "(one process, one GIL; the fake uses the other core). Rounds: streams / max_workers, rounded up.",
        "",
        "| L | streams | pages each | jobs | list calls | critical path | jobinventory | ratio | client CPU | "
        "wall / max(critical path x rounds, CPU) | naive loop | ratio |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for lat, streams, workers, waves, jobs, calls, wall, cpu, naive_wall, crit in results:
        naive_cells = (f"{naive_wall:.2f} s | {naive_wall / crit:.1f}x" if naive_wall is not None
                       else "not run | ")
        bound = max(crit * waves, cpu)
        lines.append(f"| {lat * 1e3:.0f} ms | {streams} | {pages} | {jobs:,} | {calls:,} | {crit:.2f} s | "
                     f"{wall:.3f} s | {wall / crit:.2f}x | {cpu:.2f} s | {wall / bound:.2f}x | {naive_cells} |")
    return rows, "\n".join(lines)
