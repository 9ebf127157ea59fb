"""Issue 7.2: API-call economy, counted by the fake.

Lower bound: every stream costs ceil(jobs / the largest page its API
allows) List calls, one when it is empty. `collect` over every covered
operation, in regions holding 0, 1, a page, a page + 1, ... jobs per
stream: calls made / lower bound, which should be exactly 1.

With `since`: the same streams, a 30-day window. Bedrock pushes the time
bound down (creationTimeAfter / submitTimeAfter) and pages newest first;
Data Exchange lists newest first and paging stops at the first page
holding an older job; Forecast and Personalize can neither, so every page
is read. The lower bound with `since` is then ceil(matching / page) where
the API filters, the pages up to and including the first older job where
paging can stop early, and every page otherwise.
"""
from __future__ import annotations

import datetime as _dt
import math
from typing import Any, Dict, List, Sequence, Tuple

from . import common
from .common import Row

SECTION = "2. API-call economy"
WINDOW = _dt.timedelta(days=30)


def _regions(count: int) -> List[str]:
    from jobinventory.regions import service_regions
    from jobinventory.testing.callers import ALWAYS_ENABLED

    common_regions = set(ALWAYS_ENABLED)
    for service in ("forecast", "personalize", "dataexchange", "bedrock"):
        common_regions &= set(service_regions(service, "aws"))
    regions = sorted(common_regions)
    if len(regions) < count:
        raise RuntimeError(f"only {len(regions)} regions offer every service")
    return regions[:count]


def _bound(jobs: int, page: int) -> int:
    return max(1, math.ceil(jobs / page))


def _walk_bound(fake: Any, spec: Any, region: str) -> int:
    """The fewest calls of a stream whose spec walks parents (ListIngestionJobs): every level's
    listings, each ceil(items / its page) (one when empty), from what the fake holds."""
    from jobinventory.paging import page_plan

    scopes: List[Dict[str, Any]] = [{}]
    total = 0
    for level in (*spec.parents, None):
        operation = level.operation if level else spec.operation
        rows = fake.jobs(spec.service, operation, region=region)
        page = page_plan(spec.service, operation).page_size
        below: List[Dict[str, Any]] = []
        for scope in scopes:
            under = [r for r in rows if all(r.get(k) == v for k, v in scope.items())]
            total += _bound(len(under), page)
            if level:
                below += [{**scope, **{p: r[m] for p, m in level.params.items()}} for r in under]
        scopes = below
    return total


def _walk_calls(fake: Any, spec: Any) -> int:
    """Calls the fake answered for a stream's operation and, for a walk, its parents' lists."""
    return sum(fake.count(service=spec.service, operation=op)
               for op in (spec.operation, *(level.operation for level in spec.parents)))


def run(fake: Any, sizes: Sequence[int], since_jobs: int) -> Tuple[List[Row], str]:
    import jobinventory
    from jobinventory.filters import make_filters, request_params, stops_early
    from jobinventory.paging import operation_model, page_plan
    from jobinventory.registry import all_specs
    from jobinventory.testing import ANCHOR

    sess = common.session()
    fake.clear_jobs()
    fake.clear_faults()
    regions = _regions(len(sizes))
    for region, size in zip(regions, sizes):
        if size:
            fake.seed(None, regions=[region], jobs_per_stream=size, seed=5)
    fake.reset_log()
    inv = jobinventory.collect(sess, regions=regions, endpoint_url=fake.url)
    if inv.errors:
        raise RuntimeError(f"collect failed: {inv.errors[:3]}")
    specs = all_specs()
    per_op: Dict[Tuple[str, str], Tuple[int, int]] = {}
    for (service, operation), spec in specs.items():
        page = page_plan(service, operation).page_size
        if spec.parents:
            bound, made = sum(_walk_bound(fake, spec, r) for r in regions), _walk_calls(fake, spec)
        else:
            bound, made = sum(_bound(size, page) for size in sizes), fake.count(service=service, operation=operation)
        per_op[(service, operation)] = (made, bound)
    made_total = sum(m for m, _ in per_op.values())
    bound_total = sum(b for _, b in per_op.values())
    side_calls = fake.count(service="sts") + fake.count(service="ec2")
    by_stream_calls = sum(s.calls for s in inv.streams)

    # -- since: one stream per operation, a 30-day window ---------------------------
    fake.clear_jobs()
    region = regions[0]
    fake.seed(None, regions=[region], jobs_per_stream=since_jobs, seed=6)
    since = ANCHOR - WINDOW
    filters = make_filters(None, since, None, None, True)
    with_since: Dict[Tuple[str, str], Tuple[int, int, int, int, str]] = {}
    fake.reset_log()
    full = jobinventory.collect(sess, regions=[region], endpoint_url=fake.url)
    full_calls = {k: _walk_calls(fake, spec) for k, spec in specs.items()}
    fake.reset_log()
    windowed = jobinventory.collect(sess, regions=[region], since=since, endpoint_url=fake.url)
    if full.errors or windowed.errors:
        raise RuntimeError("collect with since failed")
    for (service, operation), spec in specs.items():
        page = page_plan(service, operation).page_size
        op_model = operation_model(service, operation)
        created = [s[spec.created] for s in fake.jobs(service, operation, region=region)]
        matching = sum(1 for c in created if c >= since)
        pages_all = _bound(len(created), page)
        params = request_params(spec, op_model, filters)
        if spec.pushdown.created_after_param and spec.pushdown.created_after_param in params:
            how, bound = "server filter", _bound(matching, page)
        elif stops_early(spec, op_model, filters):
            how, bound = "early stop", min(pages_all, matching // page + 1)
        elif spec.parents:
            how, bound = "walks every parent, reads every page", _walk_bound(fake, spec, region)
        else:
            how, bound = "reads every page", pages_all
        made = _walk_calls(fake, spec)
        with_since[(service, operation)] = (matching, full_calls[(service, operation)], made, bound, how)
    since_made = sum(v[2] for v in with_since.values())
    since_bound = sum(v[3] for v in with_since.values())
    since_full = sum(v[1] for v in with_since.values())

    rows = [
        Row(SECTION, f"List calls / lower bound, {len(specs)} operations x {len(sizes)} regions "
                     f"(streams of {', '.join(map(str, sizes))} jobs)",
            f"{made_total / bound_total:.3f} ({made_total:,} / {bound_total:,})", "= 1.000",
            made_total == bound_total,
            f"+{side_calls} STS/EC2 calls for planning (one account); the collector's own count agrees: "
            f"{by_stream_calls == made_total}"),
        Row(SECTION, f"with since (30-day window, {since_jobs:,} jobs per stream): List calls / lower bound",
            f"{since_made / since_bound:.3f} ({since_made:,} / {since_bound:,})", "= 1.000",
            since_made == since_bound,
            f"{since_full - since_made:,} of {since_full:,} calls saved by time push-down and early stop"),
    ]
    lines = [
        f"Page sizes: the model's maximum (Forecast, Personalize 100; Data Exchange 200; Bedrock 1,000).",
        "",
        "| operation | calls, every stream | lower bound | with since: matching jobs | calls without since | "
        "calls with since | lower bound with since | how |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for key in specs:
        made, bound = per_op[key]
        matching, full_n, made_s, bound_s, how = with_since[key]
        lines.append(f"| {key[0]}:{key[1]} | {made:,} | {bound:,} | {matching:,} | {full_n:,} | {made_s:,} | "
                     f"{bound_s:,} | {how} |")
    return rows, "\n".join(lines)
