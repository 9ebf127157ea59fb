"""Issue 7.3: normalization throughput, summaries per second per adapter, on one core.

Input: summaries generated for each of the covered operations exactly as the
collector's botocore client delivers them (aware UTC datetimes), the same
list for every repeat. Floor: a plain `dict(summary)` copy of the same
summaries. Also shown: the same summaries as read from a saved JSON response
(timestamps as ISO strings or epoch numbers), which `jobinventory normalize`
and saved-response users go through.
"""
from __future__ import annotations

import datetime as _dt
import json
from typing import Any, List, Tuple

from . import common
from .common import Row

SECTION = "3. normalization"
TARGET_PER_S = 100_000
#: Adapters of flat summaries (every Forecast and Personalize list, four of
#: Bedrock's): the common case the target is for. The rest carry nested
#: structures (stage times, S3 configs, Data Exchange's job details).
NESTED = {("bedrock", "ListModelCustomizationJobs"), ("bedrock", "ListModelInvocationJobs"),
          ("dataexchange", "ListJobs")}


def _as_saved_json(summaries: List[dict], epoch: bool) -> List[dict]:
    def default(value: Any) -> Any:
        if isinstance(value, _dt.datetime):
            return value.timestamp() if epoch else value.isoformat().replace("+00:00", "Z")
        raise TypeError(type(value).__name__)

    return json.loads(json.dumps(summaries, default=default))


def _rate(fn: Any, items: List[dict], repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        _, _wall, cpu = common.measure(lambda: fn(items))
        best = min(best, cpu)
    return len(items) / best if best > 0 else float("inf")


def run(n: int, repeats: int = 5) -> Tuple[List[Row], str]:
    from jobinventory.registry import all_specs, get_adapter
    from jobinventory.testing import generate

    region, account = "us-east-1", "123456789012"
    results = []
    for (service, operation), spec in all_specs().items():
        summaries = generate(service, operation, n, seed=3)
        adapter = get_adapter(service, operation)
        saved = _as_saved_json(summaries, epoch=service in ("forecast", "personalize"))

        def normalize_all(items: List[dict]) -> None:
            for summary in items:
                adapter(summary, region, account)

        def copy_all(items: List[dict]) -> None:
            for summary in items:
                dict(summary)

        normalize_all(summaries)  # compiled, warm
        rate = _rate(normalize_all, summaries, repeats)
        rate_saved = _rate(normalize_all, saved, repeats)
        floor = _rate(copy_all, summaries, repeats)
        results.append((service, operation, rate, rate_saved, floor))

    rows: List[Row] = []
    flat = [r for r in results if (r[0], r[1]) not in NESTED]
    worst_flat = min(flat, key=lambda r: r[2])
    rows.append(Row(
        SECTION, f"slowest of the {len(flat)} flat-summary adapters, summaries/s per core",
        f"{worst_flat[2]:,.0f}", f">= {TARGET_PER_S:,}", worst_flat[2] >= TARGET_PER_S,
        f"{worst_flat[0]}:{worst_flat[1]}",
    ))
    for service, operation, rate, _saved, _floor in results:
        if (service, operation) in NESTED:
            rows.append(Row(SECTION, f"{service}:{operation} (nested details), summaries/s per core",
                            f"{rate:,.0f}", f">= {TARGET_PER_S:,}", rate >= TARGET_PER_S))
    lines = [
        f"{n:,} generated summaries per operation, one thread, best of {repeats}; summaries per second "
        "(CPU time). Floor: `dict(summary)` of the same summaries.",
        "",
        "| operation | as the collector gets them (datetimes) | from saved JSON (strings / epochs) | floor: dict copy | "
        "us per summary |",
        "|---|---|---|---|---|",
    ]
    for service, operation, rate, saved, floor in results:
        lines.append(f"| {service}:{operation} | {rate:,.0f} | {saved:,.0f} | {floor:,.0f} | {1e6 / rate:.1f} |")
    return rows, "\n".join(lines)
