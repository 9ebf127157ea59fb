"""Issue 7.5: cost against the size of the organization.

accounts x 4 regions x 5 Forecast operations, from 10 to 10,000 streams,
mostly empty (one stream in ten holds 5 jobs), each size collected in a
fresh process (benchmarks.child) against the fake (another process) with
no latency: wall time, client CPU, peak RSS, and their growth per stream.
Every account is a ready boto3 Session with a key the fake files under its
own account id, so each costs what an account costs: its STS and EC2
look-ups, a private botocore session, a client per region.
"""
from __future__ import annotations

from typing import Any, Dict, List, Sequence, Tuple

from . import common
from .child import run_child
from .common import Row

SECTION = "5. scale"
OPERATIONS = ("ListDatasetImportJobs", "ListForecastExportJobs", "ListExplainabilityExports",
              "ListPredictorBacktestExportJobs", "ListWhatIfForecastExports")
REGIONS = ("us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2")


def account_id(i: int) -> str:
    return f"{300000000000 + i:012d}"


def layout(streams: int) -> Tuple[int, int]:
    """(accounts, regions) for `streams` = accounts x regions x 5 operations."""
    if streams < 20:
        return 1, max(1, streams // len(OPERATIONS))
    accounts = streams // (len(REGIONS) * len(OPERATIONS))
    return accounts, len(REGIONS)


def setup(fake: Any, max_accounts: int) -> None:
    fake.clear_jobs()
    fake.clear_faults()
    for i in range(max_accounts):
        fake.set_account(f"AKIDSCALE{i:08d}", account_id(i))
        # One stream in ten holds jobs: (account, region, operation) picked by i.
        op = OPERATIONS[i % len(OPERATIONS)]
        for r, region in enumerate(REGIONS):
            if (i + r) % 2 == 0:
                fake.seed([("forecast", op)], regions=[region], accounts=[account_id(i)], jobs_per_stream=5,
                          seed=i)


def run(fake: Any, stream_counts: Sequence[int]) -> Tuple[List[Row], str]:
    plans = [(n, *layout(n)) for n in stream_counts]
    setup(fake, max(a for _n, a, _r in plans))
    results: List[Dict[str, Any]] = []
    for n, accounts, regions in plans:
        common.log(f"  scale: {n:,} streams ({accounts} accounts x {regions} regions x {len(OPERATIONS)} operations)")
        got = run_child("scale", {"url": fake.url, "accounts": accounts, "regions": list(REGIONS[:regions]),
                                  "operations": [f"forecast:{op}" for op in OPERATIONS]})
        if got["errors"] or got["streams"] != accounts * regions * len(OPERATIONS):
            raise RuntimeError(f"scale run of {n} streams: {got}")
        got.update(planned=n, accounts=accounts, regions=regions)
        results.append(got)
    rows: List[Row] = []
    first, last = results[0], results[-1]
    d_streams = last["streams"] - first["streams"]
    for r in results:
        rows.append(Row(
            SECTION, f"{r['streams']:,} streams ({r['accounts']} accounts): wall / peak RSS",
            f"{r['wall']:.2f} s / {r['peak_mb']:.0f} MB", "", None,
            f"CPU {r['cpu']:.2f} s ({r['cpu'] / r['streams'] * 1e3:.2f} ms per stream), {r['calls']:,} List calls, "
            f"{r['jobs']:,} jobs",
        ))
    if d_streams > 0:
        rows.append(Row(
            SECTION, f"growth from {first['streams']:,} to {last['streams']:,} streams",
            f"{(last['wall'] - first['wall']) / d_streams * 1e3:.2f} ms wall, "
            f"{(last['peak_mb'] - first['peak_mb']) * 1024 / d_streams:.0f} KB RSS per stream",
            "", None,
            f"per account: {(last['peak_mb'] - first['peak_mb']) * 1024 / max(1, last['accounts'] - first['accounts']):,.0f} KB",
        ))
    lines = [
        "Each size in a fresh process; the fake in another. No latency: this is the client's own cost.",
        "",
        "| streams | accounts x regions x operations | jobs | List calls | wall | client CPU | CPU per stream | "
        "RSS before | peak RSS |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(f"| {r['streams']:,} | {r['accounts']} x {r['regions']} x {len(OPERATIONS)} | {r['jobs']:,} | "
                     f"{r['calls']:,} | {r['wall']:.2f} s | {r['cpu']:.2f} s | "
                     f"{r['cpu'] / r['streams'] * 1e3:.2f} ms | {r['start_mb']:.0f} MB | {r['peak_mb']:.0f} MB |")
    return rows, "\n".join(lines)
