"""Issue 8: client CPU per job, from HTTP response to Job.

For every covered operation, against the fake in another process with no
latency, in the same run:

- jobinventory: process CPU of `jobinventory.collect(operations=[op])`
  (planning, clients, paging, parsing, normalization, dedup and sort: all
  of it) divided by the jobs it returns; and per service, one collect of
  the service's operations;
- its pages only: the collector's own client (private botocore session,
  fast timestamp parser) paging through the same stream, no normalization;
- plain boto3: `boto3.client(...)` and its paginator at the same page size,
  botocore's default parsing (dateutil, then a local-time zone);
- the floor: the very same HTTP requests replayed on one kept-alive
  `http.client` connection, and `json.loads` of each body.
"""
from __future__ import annotations

import http.client
import json
import statistics
from typing import Any, Dict, List, Optional, Tuple
from urllib.parse import urlsplit

from . import common
from .common import Row

SECTION = "6. client CPU per job"
REGION = "us-east-1"
#: Offered by every covered service and holding no jobs: the fixed cost of a collect.
EMPTY_REGION = "us-west-2"
#: Mean over every covered operation, us of client CPU per job.
TARGET_MEAN_US = 30.0
#: "Bedrock and Data Exchange far lower": at most half the mean target.
TARGET_LOW_US = 15.0
LOW_SERVICES = ("bedrock", "dataexchange")
#: Issue 17 point 3: at least 5x less than plain boto3, within 6x of the floor (means, same run).
TARGET_VS_PLAIN = 5.0
TARGET_VS_FLOOR = 6.0


def _ops() -> List[Tuple[str, str]]:
    from jobinventory.registry import all_specs

    return list(all_specs())


def _collect_cpu(fake: Any, sess: Any, region: str = REGION, **kwargs: Any) -> Tuple[float, int]:
    import jobinventory

    inv, _wall, cpu = common.best_of(
        _REPEATS, lambda: jobinventory.collect(sess, regions=[region], endpoint_url=fake.url, **kwargs)
    )
    if inv.errors:
        raise RuntimeError(f"collect failed: {inv.errors}")
    return cpu, len(inv.jobs)


def _count(client: Any, service: str, operation: str) -> int:
    """Jobs in every page of the stream (after the walk of its parents, where its spec has one)."""
    from jobinventory.paging import page_plan
    from jobinventory.registry import get_spec
    from jobinventory.walk import ParentPage, stream_pages

    spec = get_spec(service, operation)
    pages = stream_pages(client, spec, page_plan(service, operation))
    return sum(len(page.get(spec.list_key) or ()) for page in pages if type(page) is not ParentPage)


def _pages_cpu(fake: Any, sess: Any, service: str, operation: str) -> Tuple[float, int]:
    """The collector's client (fast parser), paging only."""
    from jobinventory.accounts import account_refs
    from jobinventory.clients import ClientFactory, ClientSettings
    factory = ClientFactory(ClientSettings(endpoint_url=fake.url), sess)
    client = factory.client(account_refs(None)[0][0], REGION, service)

    def run() -> int:
        return _count(client, service, operation)

    n, _wall, cpu = common.best_of(_REPEATS, run)
    factory.close()
    return cpu, n


def _plain_client(fake: Any, service: str) -> Any:
    import boto3

    return boto3.session.Session(
        aws_access_key_id="benchmark", aws_secret_access_key="benchmark", region_name=REGION
    ).client(service, endpoint_url=fake.url)


def _plain_cpu(fake: Any, service: str, operation: str, repeats: int) -> Tuple[float, int]:
    """Plain boto3 (client created inside the timing, as a user's script does), same page size."""
    def run() -> int:
        client = _plain_client(fake, service)
        n = _count(client, service, operation)
        client.close()
        return n

    n, _wall, cpu = common.best_of(repeats, run)
    return cpu, n


def _captured_requests(fake: Any, service: str, operation: str) -> List[Tuple[str, str, bytes, Dict[str, str]]]:
    """The HTTP requests boto3 sends to page through the stream (method, path, body, headers)."""
    client = _plain_client(fake, service)
    captured: List[Tuple[str, str, bytes, Dict[str, str]]] = []

    def keep(request: Any, **_: Any) -> None:
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode()
        url = urlsplit(request.url)
        path = url.path + (f"?{url.query}" if url.query else "")
        headers = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in request.headers.items()}
        captured.append((request.method, path, bytes(body), headers))

    client.meta.events.register("before-send", keep)
    _count(client, service, operation)
    client.close()
    return captured


def _floor_cpu(fake: Any, service: str, operation: str, repeats: int) -> Tuple[float, int]:
    """One HTTP request and json.loads per page: the least any Python client can do."""
    from jobinventory.registry import get_spec

    requests = _captured_requests(fake, service, operation)
    key = get_spec(service, operation).list_key
    url = urlsplit(fake.url)

    def run() -> int:
        conn = http.client.HTTPConnection(url.hostname, url.port)
        n = 0
        for method, path, body, headers in requests:
            conn.request(method, path, body=body or None, headers=headers)
            response = conn.getresponse()
            data = json.loads(response.read())
            if response.status != 200:
                raise RuntimeError(f"floor replay: HTTP {response.status}: {data}")
            n += len(data.get(key) or ())
        conn.close()
        return n

    n, _wall, cpu = common.best_of(repeats, run)
    return cpu, n


def _fast_parser_in_use(fake: Any, sess: Any) -> bool:
    from jobinventory.accounts import account_refs
    from jobinventory.clients import ClientFactory, ClientSettings
    from jobinventory.timestamps import parse_wire_timestamp

    factory = ClientFactory(ClientSettings(endpoint_url=fake.url), sess)
    try:
        ok = True
        for service in ("forecast", "personalize", "dataexchange", "bedrock"):
            client = factory.client(account_refs(None)[0][0], REGION, service)
            # botocore's endpoint builds the parser of every response from this factory.
            factory_ = client._endpoint._response_parser_factory
            parser = factory_.create_parser(client.meta.service_model.resolved_protocol)
            ok = ok and getattr(parser, "_timestamp_parser", None) is parse_wire_timestamp
        return ok
    finally:
        factory.close()


_REPEATS = 3


def us(cpu: float, n: int) -> float:
    return cpu / n * 1e6 if n else float("nan")


def _variants() -> List[Tuple[str, Any]]:
    """("as wired", no-op) and, while clients.py does not use it, ("compiled parser", its patch)."""
    import contextlib

    from . import proposed

    variants: List[Tuple[str, Any]] = [("as wired", contextlib.nullcontext)]
    if proposed.parser_available() and not proposed.parser_wired():
        variants.append(("with jobinventory.parsing (proposed)", proposed.compiled_parsers))
    return variants


def run(fake: Any, jobs_per_stream: int, repeats: int = 3,
        operations: Optional[List[str]] = None) -> Tuple[List[Row], str]:
    """(summary rows, a detail table in Markdown)."""
    global _REPEATS
    _REPEATS = repeats
    import jobinventory

    fake.clear_jobs()
    fake.clear_faults()
    fake.seed(None if operations is None else sorted({o.split(":")[0] for o in operations}), regions=[REGION],
              jobs_per_stream=jobs_per_stream, seed=8)
    sess = common.session()
    jobinventory.collect(sess, regions=[REGION], endpoint_url=fake.url)  # models loaded, caches warm
    parser_ok = _fast_parser_in_use(fake, sess)
    variants = _variants()

    per_op: Dict[Tuple[str, str], Dict[str, float]] = {}
    chosen = [op for op in _ops() if operations is None or f"{op[0]}:{op[1]}" in operations]
    for service, operation in chosen:
        common.log(f"  cpu: {service}:{operation}")
        v: Dict[str, float] = {}
        for label, context in variants:
            with context():
                cpu, n = _collect_cpu(fake, sess, operations=[f"{service}:{operation}"])
                # The same collect over a region with no jobs: planning, client, one empty page.
                fixed, _ = _collect_cpu(fake, sess, region=EMPTY_REGION, operations=[f"{service}:{operation}"])
                pcpu, pn = _pages_cpu(fake, sess, service, operation)
            if pn != n:
                raise RuntimeError(f"{service}:{operation}: {n} jobs collected, {pn} paged")
            v[f"collect|{label}"] = us(cpu, n)
            v[f"marginal|{label}"] = us(cpu - fixed, n)
            v[f"pages|{label}"] = us(pcpu, n)
            v[f"fixed_ms|{label}"] = fixed * 1e3
        # One run each: comparison points, an order of magnitude apart from the collector's figures.
        bcpu, bn = _plain_cpu(fake, service, operation, 1)
        fcpu, fn = _floor_cpu(fake, service, operation, max(1, repeats))
        if not (n == bn == fn):
            raise RuntimeError(f"{service}:{operation}: job counts differ: {n} {bn} {fn}")
        v.update(jobs=n, plain=us(bcpu, n), floor=us(fcpu, n))
        per_op[(service, operation)] = v
    per_service: Dict[str, Dict[str, float]] = {}
    for service in dict.fromkeys(s for s, _o in chosen):
        common.log(f"  cpu: {service} (all its operations in one collect)")
        entry: Dict[str, float] = {}
        for label, context in variants:
            with context():
                cpu, n = _collect_cpu(fake, sess, services=[service])
            entry[f"collect|{label}"] = us(cpu, n)
        ops = [v for (s, _o), v in per_op.items() if s == service]
        entry.update(jobs=n, plain=statistics.fmean(v["plain"] for v in ops),
                     floor=statistics.fmean(v["floor"] for v in ops))
        per_service[service] = entry
    keys = [k for k in next(iter(per_op.values())) if k != "jobs"]
    mean = {k: statistics.fmean(v[k] for v in per_op.values()) for k in keys}
    wired = variants[0][0]

    rows = [Row(SECTION, "collector clients parse timestamps with parse_wire_timestamp",
                "yes" if parser_ok else "no", "yes", parser_ok)]
    for label, _context in variants:
        tag = "" if label == wired else f" [{label}]"
        rows.append(Row(
            SECTION, f"mean over {len(per_op)} operations: client CPU per job of a collect, all in{tag}",
            f"{common.fmt(mean[f'collect|{label}'])} us", f"<= {TARGET_MEAN_US:.0f} us",
            mean[f"collect|{label}"] <= TARGET_MEAN_US,
            f"{jobs_per_stream:,} jobs per stream, one collect per operation; plain boto3 "
            f"{common.fmt(mean['plain'])} us, floor (HTTP + json.loads) {common.fmt(mean['floor'])} us",
        ))
        rows.append(Row(
            SECTION, f"mean over {len(per_op)} operations: client CPU per job, less the fixed cost of a collect{tag}",
            f"{common.fmt(mean[f'marginal|{label}'])} us", f"<= {TARGET_MEAN_US:.0f} us",
            mean[f"marginal|{label}"] <= TARGET_MEAN_US,
            f"fixed cost: {common.fmt(mean[f'fixed_ms|{label}'])} ms CPU per collect (private botocore session, "
            f"STS, EC2, a client, one empty page); collector pages alone {common.fmt(mean[f'pages|{label}'])} us",
        ))
    ours = mean[f"collect|{wired}"]
    less, over = mean["plain"] / ours, ours / mean["floor"]
    rows.append(Row(SECTION, f"(issue 17) mean over {len(per_op)} operations, all in: times less than plain boto3",
                    f"{less:.1f}x", f">= {TARGET_VS_PLAIN:.0f}x", less >= TARGET_VS_PLAIN,
                    f"{common.fmt(ours)} us against {common.fmt(mean['plain'])} us, same run"))
    rows.append(Row(SECTION, f"(issue 17) mean over {len(per_op)} operations, all in: times the HTTP + json.loads floor",
                    f"{over:.1f}x", f"<= {TARGET_VS_FLOOR:.0f}x", over <= TARGET_VS_FLOOR,
                    f"{common.fmt(ours)} us against {common.fmt(mean['floor'])} us, same run"))
    for service, v in per_service.items():
        low = service in LOW_SERVICES
        for label, _context in variants:
            tag = "" if label == wired else f" [{label}]"
            value = v[f"collect|{label}"]
            rows.append(Row(
                SECTION, f"{service}: one collect of its operations, client CPU per job{tag}",
                f"{common.fmt(value)} us", f"<= {TARGET_LOW_US:.0f} us" if low else "",
                (value <= TARGET_LOW_US) if low else None,
                f"{int(v['jobs']):,} jobs; plain boto3 {common.fmt(v['plain'])} us, floor {common.fmt(v['floor'])} us",
            ))

    head = ["operation", "jobs"]
    for label, _context in variants:
        head += [f"collect, {label}", f"less fixed cost, {label}", f"pages only, {label}"]
    head += ["plain boto3", "floor: HTTP + json.loads"]
    lines = [
        f"Fake in another process, no latency, {jobs_per_stream:,} jobs per stream, one region, best of {repeats}; "
        "us of client process CPU per job. *collect*: all of `jobinventory.collect(operations=[op])` divided by its "
        "jobs; *less fixed cost*: minus the same collect over a region with no jobs (planning, STS, EC2, a client, "
        "one empty page); *pages only*: the collector's client paging the stream, no normalization; *plain boto3*: "
        "`boto3.client` and its paginator at the same page size, default parsing; *floor*: the same HTTP requests "
        "replayed on one kept-alive `http.client` connection, `json.loads` of each body.",
        "",
        "| " + " | ".join(head) + " |",
        "|" + "---|" * len(head),
    ]

    def cells(v: Dict[str, float]) -> List[str]:
        out = []
        for label, _context in variants:
            out += [common.fmt(v.get(f"collect|{label}", float("nan"))),
                    common.fmt(v.get(f"marginal|{label}", float("nan"))),
                    common.fmt(v.get(f"pages|{label}", float("nan")))]
        return out + [common.fmt(v["plain"]), common.fmt(v["floor"])]

    for (service, operation), v in per_op.items():
        lines.append(f"| {service}:{operation} | {int(v['jobs']):,} | " + " | ".join(cells(v)) + " |")
    lines.append("| **mean of the operations** | | " + " | ".join(f"**{c}**" for c in cells(mean)) + " |")
    for service, v in per_service.items():
        lines.append(f"| {service} (one collect of its operations) | {int(v['jobs']):,} | " + " | ".join(
            c.replace("nan", "") for c in cells(v)) + " |")
    return rows, "\n".join(lines)
