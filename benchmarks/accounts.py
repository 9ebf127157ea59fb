"""Issue 17 point 5: what one more account costs the client, beyond the first.

Accounts are role ARNs (what an organization gives), assumed through moto's
STS; moto and the fake run in a process of their own (`org_scale.OrgServers`),
every stream empty, no latency. Each account is listed over a layout of
regions x services (one operation each: every key (account, region,
service) gets its client, as in a collect of every operation):

- `typical`: 4 regions x the 4 covered services (16 clients, 16 List calls
  an account, besides its AssumeRole and EC2 DescribeRegions);
- `minimal`: 1 region x 1 service (the account's own overhead and one key);
- `opt-in`: the same in an opt-in region, which each account's own EC2
  DescribeRegions must say it enabled (`minimal`'s us-east-1 is enabled in
  every account: after the first answer, no account asks).

Each (layout, number of accounts) is collected in a fresh interpreter,
after a warm-up collect of two other accounts over the same layout (botocore's
models loaded): the CPU of the collect, and in another fresh interpreter its
memory under tracemalloc (peak during the collect above what the warm
process held, and what it still holds after it, the Inventory included). The
cost of an account is the slope between a small and a large number of
accounts. With `--baseline COMMIT` each measurement alternates between that
commit's package and this tree's. Run alone: `python -m benchmarks.accounts`.
"""
from __future__ import annotations

import argparse
import gc
import json
import subprocess
import sys
import time
from typing import Any, Dict, List, Optional, Sequence, Tuple

from . import baseline, common
from .common import Row

SECTION = "10. accounts"
ROLE = "JobInventoryRead"
REGIONS = ("us-east-1", "us-west-2", "eu-west-1", "ap-northeast-1")
#: An opt-in region (enabled in the fake's accounts): each account must say whether it enabled it.
OPT_IN_REGION = "af-south-1"
#: The 10 ms / 100 KB of issue 17 point 5.
CPU_TARGET_MS = 10.0
HELD_TARGET_KB = 100.0


def account_id(i: int) -> str:
    return f"{500000000000 + i:012d}"


def role_arn(i: int) -> str:
    return f"arn:aws:iam::{account_id(i)}:role/{ROLE}"


def one_operation_per_service() -> List[str]:
    from jobinventory.registry import all_specs

    first: Dict[str, str] = {}
    for service, operation in sorted(all_specs()):
        first.setdefault(service, operation)
    return [f"{service}:{operation}" for service, operation in sorted(first.items())]


def layouts() -> Dict[str, Tuple[List[str], List[str]]]:
    """name: (regions, operations)."""
    ops = one_operation_per_service()
    return {"typical": (list(REGIONS), ops), "minimal": (list(REGIONS[:1]), ops[:1]),
            "opt-in": ([OPT_IN_REGION], ops[:1])}


# -- in a fresh interpreter -----------------------------------------------------------


def child(args: Dict[str, Any]) -> Dict[str, Any]:
    """One collect of `accounts` role ARNs over the layout, after a warm-up collect of two others."""
    import tracemalloc

    import jobinventory

    from jobinventory.registry import services

    endpoints = {"sts": args["sts_url"], **{s: args["fake_url"] for s in (*services(), "ec2")}}
    kwargs = dict(operations=args["operations"], regions=args["regions"], endpoint_url=endpoints)
    warm = [role_arn(100_000 + args["accounts"] + i) for i in range(2)]
    jobinventory.collect(accounts=warm, **kwargs)
    arns = [role_arn(i) for i in range(args["accounts"])]
    gc.collect()
    trace = args.get("trace", False)
    profile = None
    if trace:
        tracemalloc.start()
    elif args.get("profile"):
        profile = _ThreadProfiles()
    base = tracemalloc.get_traced_memory()[0] if trace else 0
    c0, w0 = time.process_time(), time.perf_counter()
    if profile is not None:
        profile.enable()
    inv = jobinventory.collect(accounts=arns, **kwargs)
    if profile is not None:
        profile.dump(args["profile"])
    wall, cpu = time.perf_counter() - w0, time.process_time() - c0
    out = {"accounts": len(arns), "wall": wall, "cpu": cpu, "streams": len(inv.streams),
           "errors": len(inv.errors), "first_error": str(inv.errors[0]) if inv.errors else None,
           "calls": sum(s.calls for s in inv.streams)}
    if trace:
        peak = tracemalloc.get_traced_memory()[1]
        gc.collect()
        held = tracemalloc.get_traced_memory()[0]
        del inv
        gc.collect()
        after = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        out.update(peak_kb=(peak - base) / 1024, held_kb=(held - base) / 1024, left_kb=(after - base) / 1024)
    return out


class _ThreadProfiles:
    """cProfile in every thread started after `enable` (the collect's threads), merged into one file."""

    def __init__(self) -> None:
        self.profiles: List[Any] = []

    def enable(self) -> None:
        import cProfile
        import threading

        def start(*_: Any) -> None:
            profile = cProfile.Profile(time.thread_time)
            self.profiles.append(profile)
            profile.enable()

        threading.setprofile(start)
        start()

    def dump(self, path: str) -> None:
        import pstats
        import threading

        threading.setprofile(None)  # type: ignore[arg-type]
        for profile in self.profiles:
            profile.create_stats()
        pstats.Stats(*self.profiles).dump_stats(path)


def _child(args: Dict[str, Any], tree: Optional[str], timeout: float = 1200) -> Dict[str, Any]:
    env, cwd = baseline.env_cwd(tree)
    done = subprocess.run([sys.executable, "-m", "benchmarks.accounts", "child", json.dumps(args)], cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"benchmarks.accounts child failed ({done.returncode}):\n{done.stderr[-3000:]}")
    got = json.loads(done.stdout.strip().splitlines()[-1])
    streams = args["accounts"] * len(args["regions"]) * len(args["operations"])
    if got["errors"] or got["streams"] != streams:
        raise RuntimeError(f"accounts: {got['errors']} errors ({got['first_error']}), "
                           f"{got['streams']} of {streams} streams")
    return got


# -- the section ----------------------------------------------------------------------------


def run(counts: Sequence[int] = (10, 200), repeats: int = 2,
        layout_names: Sequence[str] = ("typical", "minimal", "opt-in"),
        trace: bool = True) -> Tuple[List[Row], str]:
    from .org_scale import OrgServers

    small, large = counts
    found: Dict[Tuple[str, str, int], List[Dict[str, Any]]] = {}
    mem: Dict[Tuple[str, str, int], Dict[str, Any]] = {}
    with OrgServers() as servers:
        urls = {"fake_url": servers.fake_url, "sts_url": servers.sts_url}
        for name in layout_names:
            regions, operations = layouts()[name]
            for rep in range(repeats):
                for label, tree in baseline.variants():
                    for n in (small, large):
                        args = dict(urls, accounts=n, regions=regions, operations=operations)
                        got = _child(args, tree)
                        common.log(f"  accounts: {name} {label} {n} accounts: {got['cpu']:.2f} s CPU")
                        found.setdefault((name, label, n), []).append(got)
                        if trace and rep == 0:
                            mem[(name, label, n)] = _child(dict(args, trace=True), tree)
    return _report(found, mem, counts, layout_names, trace)


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _median(values: List[float]) -> float:
    values = sorted(values)
    mid = len(values) // 2
    return values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2


def _report(found: Dict[Tuple[str, str, int], List[Dict[str, Any]]], mem: Dict[Tuple[str, str, int], Dict[str, Any]],
            counts: Sequence[int], layout_names: Sequence[str], trace: bool) -> Tuple[List[Row], str]:
    small, large = counts
    extra = large - small
    rows: List[Row] = []
    lines = [
        f"Role ARNs assumed through moto's STS, empty streams, no latency; {small} and {large} accounts, each "
        "in a fresh interpreter after a warm-up collect of two other accounts (medians of "
        f"{len(next(iter(found.values())))} runs, alternating). Per account: (large - small) / {extra}. "
        "Memory from tracemalloc in another run: the peak during the collect above the warm process, and "
        "what the process holds after it with the Inventory (its stream results) kept.",
        "",
        "| layout | variant | accounts | clients per account | CPU | wall | CPU per extra account | "
        "peak per extra account | held per extra account |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name in layout_names:
        regions, operations = layouts()[name]
        keys = len(regions) * len(operations)
        for label in [v for v, _ in baseline.variants()]:
            cpu = {n: _median([r["cpu"] for r in found[(name, label, n)]]) for n in counts}
            wall = {n: _median([r["wall"] for r in found[(name, label, n)]]) for n in counts}
            per_cpu = (cpu[large] - cpu[small]) / extra * 1e3
            peak = held = None
            if trace and (name, label, small) in mem:
                peak = (mem[(name, label, large)]["peak_kb"] - mem[(name, label, small)]["peak_kb"]) / extra
                held = (mem[(name, label, large)]["held_kb"] - mem[(name, label, small)]["held_kb"]) / extra
            for n in counts:
                lines.append(
                    f"| {name} ({len(regions)} x {len(operations)}) | {label} | {n} | {keys} | {cpu[n]:.2f} s | "
                    f"{wall[n]:.2f} s | " + (f"{per_cpu:.1f} ms | " if n == large else " | ")
                    + (f"{peak:,.0f} KB | {held:,.0f} KB |" if n == large and peak is not None else " | |"))
            value = f"{per_cpu:.1f} ms" + (f" / {max(peak, held):,.0f} KB" if peak is not None else "")
            ok = per_cpu <= CPU_TARGET_MS and (peak is None or max(peak, held) <= HELD_TARGET_KB)
            rows.append(Row(
                SECTION, f"per extra account, {name} ({_n(len(regions), 'region')} x "
                         f"{_n(len(operations), 'service')}, {_n(keys, 'client')}): CPU / memory [{label}]",
                value, f"<= {CPU_TARGET_MS:.0f} ms / {HELD_TARGET_KB:.0f} KB", ok if name != "typical" else None,
                f"{small} -> {large} accounts; memory: max(peak, held) per account"))
    lines += ["", "The target applies to the account itself (`minimal` and `opt-in`: its credentials, STS "
              "AssumeRole, EC2 DescribeRegions where needed, and one client with its List call); `typical` shows "
              "what its keys (one client each, one List call each) add."]
    return rows, "\n".join(lines)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.accounts", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--counts", type=int, nargs=2, default=(10, 200))
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--layout", action="append", choices=("typical", "minimal", "opt-in"))
    parser.add_argument("--baseline", metavar="COMMIT", default=None)
    parser.add_argument("--no-trace", action="store_true")
    args = parser.parse_args(argv)
    common.seal_environment()
    if args.baseline:
        baseline.COMMIT = args.baseline
    rows, detail = run(args.counts, args.repeats, args.layout or ("typical", "minimal", "opt-in"), not args.no_trace)
    print(common.table(rows))
    print()
    print(detail)
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "child":
        common.seal_environment()
        print(json.dumps(child(json.loads(sys.argv[2]))))
    else:
        sys.exit(main())
