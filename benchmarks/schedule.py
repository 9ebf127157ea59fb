"""Issue 17.1: scheduling the fan-out against its floor, and throttling under AWS's rate limits.

One account, every covered operation in 3 regions, J jobs per stream, the
fake (another process) waiting L per List call. Each collect runs in a
fresh process after a warm-up collect (botocore's models loaded), with
`--baseline` once with the earlier commit's package too, alternating.

- Fan-out: wall / max(critical path, client CPU), where the critical path
  is the longest stream's pages x L.
- Throttling: the same streams under a per-(account, region, operation)
  request-rate limit in the fake (AWS's kind of limit); ThrottlingException
  answers counted by the fake, and whether the inventory came out complete
  (botocore's retries, standard mode, absorb them).
"""
from __future__ import annotations

import statistics
from typing import Any, Dict, List, Optional, Tuple

from . import baseline, common
from .child import run_child
from .common import Row

SECTION = "1b. scheduling"
TARGET_RATIO = 1.3


def _run(fake: Any, regions: List[str], empty: str, tree: Optional[str]) -> Dict[str, Any]:
    fake.reset_log()
    result = run_child("timed_collect", {"url": fake.url, "regions": regions, "empty_region": empty}, tree=tree)
    result["throttled"] = fake.count(fault="throttle")
    return result


def run(fake: Any, jobs_per_stream: int, latency: float, rate: float, rate_latency: float,
        region_count: int = 3, repeats: int = 2) -> Tuple[List[Row], str]:
    from .calls import _regions

    every = _regions(region_count + 1)
    regions, empty = every[:region_count], every[region_count]
    fake.clear_jobs()
    fake.clear_faults()
    seeded = fake.seed(None, regions=regions, jobs_per_stream=jobs_per_stream, seed=17)
    services = ("forecast", "personalize", "dataexchange", "bedrock")
    variants = baseline.variants()
    results: Dict[Tuple[str, str], List[Dict[str, Any]]] = {}
    for case in ("fan-out", "throttled"):
        fake.clear_faults()
        lat = latency if case == "fan-out" else rate_latency
        for service in services:
            fake.inject(service=service, latency=lat)
            if case == "throttled":
                fake.limit_rate(rate, burst=rate, service=service)
        for i in range(repeats):
            for label, tree in (variants if i % 2 == 0 else list(reversed(variants))):
                common.log(f"  schedule: {case}, {label} ({i + 1}/{repeats})")
                got = _run(fake, regions, empty, tree)
                if not got["errors"] and got["jobs"] != seeded:
                    raise RuntimeError(f"{case} {label}: {got['jobs']} jobs of {seeded}")
                got["latency"] = lat
                results.setdefault((case, label), []).append(got)
    fake.clear_faults()

    def med(runs: List[Dict[str, Any]], key: str) -> float:
        return statistics.median(r[key] for r in runs)

    rows: List[Row] = []
    lines = [
        f"One account, every covered operation x {region_count} regions, {jobs_per_stream:,} jobs per stream "
        f"({seeded:,} jobs). Fan-out: L={latency * 1e3:.0f} ms per List call. Throttled: L={rate_latency * 1e3:.0f} ms "
        f"and at most {rate:g} requests/s (bursts of {rate:g}) per (account, region, operation), ThrottlingException "
        f"above it. Each collect in a fresh, warmed process; median of {repeats} alternating runs.",
        "",
        "| case | tree | streams | longest stream | critical path | wall | client CPU | wall / max(critical path, CPU) "
        "| List calls (retries incl.) | throttled | complete | runs (wall) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for (case, label), runs in results.items():
        lat = runs[0]["latency"]
        crit = runs[0]["max_pages"] * lat
        wall, cpu = med(runs, "wall"), med(runs, "cpu")
        ratio = wall / max(crit, cpu)
        complete = all(not r["errors"] for r in runs)
        throttled = med(runs, "throttled")
        lines.append(f"| {case} | {label} | {runs[0]['streams']} | {runs[0]['max_pages']} pages | {crit:.2f} s | "
                     f"{wall:.2f} s | {cpu:.2f} s | {ratio:.2f}x | {med(runs, 'calls'):.0f} | {throttled:.0f} | "
                     f"{'yes' if complete else 'NO: ' + runs[0]['errors'][0][:80] if runs[0]['errors'] else 'no'} | "
                     + ", ".join(f"{r['wall']:.2f}" for r in runs) + " |")
        if case == "fan-out":
            rows.append(Row(SECTION, f"all operations x {region_count} regions, {jobs_per_stream:,} jobs per stream, "
                                     f"L={lat * 1e3:.0f} ms: wall / max(critical path, CPU) [{label}]",
                            f"{ratio:.2f}x", f"<= {TARGET_RATIO}", ratio <= TARGET_RATIO,
                            f"{wall:.2f} s; critical path {crit:.2f} s ({runs[0]['max_pages']} pages), "
                            f"client CPU {cpu:.2f} s"))
        else:
            rows.append(Row(SECTION, f"under {rate:g} requests/s per (account, region, operation), "
                                     f"L={lat * 1e3:.0f} ms: throttled calls / complete [{label}]",
                            f"{throttled:.0f} / {'yes' if complete else 'no'}", "complete", complete,
                            f"{wall:.2f} s wall; {med(runs, 'calls'):.0f} List calls, retries included"))
    return rows, "\n".join(lines)
