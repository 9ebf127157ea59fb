"""`render_report`: an inventory as one self-contained HTML page.

Everything on the page is rendered by Jinja2 with autoescaping on: job
names and messages are user-controlled, and appear as text. The page's
own script and styles are static files of this package, inlined verbatim;
a Content-Security-Policy allows those scripts (by hash) and nothing else,
and no request leaves the page.
"""
from __future__ import annotations

import base64
import datetime as _dt
import hashlib
from typing import Any, Dict, Iterable, List, Optional, Tuple, Union

import jinja2
from markupsafe import Markup, escape

from .. import __version__
from ..errors import CollectionError
from ..inventory import Inventory, StreamResult, sort_jobs
from ..model import Job
from ..timestamps import to_utc
from . import charts, facts
from . import history as history_section

__all__ = ["render_report"]

#: Failures listed in their own section; the table below has them all.
MAX_FAILURES = 100
#: Failures shown open; the others (up to MAX_FAILURES) are one click away.
OPEN_FAILURES = 8


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("jobinventory.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["time"] = facts.fmt_time
    env.filters["duration"] = facts.fmt_duration
    env.filters["iso"] = lambda t: t.isoformat() if t is not None else ""
    env.filters["display_name"] = facts.display_name
    env.filters["soft_breaks"] = soft_breaks
    env.globals["status_colors"] = {s.value: c for s, c in charts.STATUS_COLORS.items()}
    return env


_WBR = Markup("_<wbr>")


def soft_breaks(text: str) -> Markup:
    """`text`, escaped, with a line-break opportunity after each underscore
    (snake_case names and types wrap there rather than anywhere)."""
    return _WBR.join(escape(part) for part in str(text).split("_"))


_ENV: Optional[jinja2.Environment] = None


def _env() -> jinja2.Environment:
    global _ENV
    if _ENV is None:
        _ENV = _environment()
    return _ENV


def _static(env: jinja2.Environment, name: str) -> str:
    source, _, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
    return source


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def render_report(
    inventory_or_jobs: Union[Inventory, Iterable[Job]],
    *,
    errors: Iterable[CollectionError] = (),
    streams: Iterable[StreamResult] = (),
    title: Optional[str] = None,
    now: Optional[_dt.datetime] = None,
    history: Any = None,
) -> str:
    """The inventory as one HTML page (a str), with everything inline.

    `inventory_or_jobs` is an `Inventory` (its errors, streams and
    collection time are used unless given here) or any iterable of Jobs.
    `now` anchors "failed in the last 24 hours / 7 days" and the timeline:
    by default the collection time, else the current time (UTC).
    `history`: a store's `jobinventory.store.history.History`, drawn in a
    History section (failures per day by service, durations per job type).
    """
    jobs, errors, streams, now = _inputs(inventory_or_jobs, list(errors), list(streams), now)
    env = _env()
    guard_js = _static(env, "guard.js")
    page_js = _static(env, "report.js")
    return env.get_template("report.html.j2").render(
        title=title or "AWS job inventory",
        now=now,
        jobs=jobs,
        **_contents(jobs, errors, streams, now),
        csp=_csp(guard_js, page_js),
        css=Markup(_static(env, "report.css")),  # static package files, no user data
        guard_js=Markup(guard_js),
        page_js=Markup(page_js),
        version=__version__,
        history=history,
        history_chart=history_section.failure_chart(history.failures) if history is not None else None,
        history_durations=history_section.duration_rows(history.durations) if history is not None else [],
    )


def _inputs(
    inventory_or_jobs: Union[Inventory, Iterable[Job]],
    errors: List[CollectionError],
    streams: List[StreamResult],
    now: Optional[_dt.datetime],
) -> Tuple[List[Job], List[CollectionError], List[StreamResult], _dt.datetime]:
    """The jobs (sorted), errors, streams and `now` of render_report's arguments."""
    if isinstance(inventory_or_jobs, Inventory):
        jobs: List[Job] = list(inventory_or_jobs.jobs)
        errors = errors or list(inventory_or_jobs.errors)
        streams = streams or list(inventory_or_jobs.streams)
        if now is None:
            now = inventory_or_jobs.collected_at
    else:
        jobs = sort_jobs(inventory_or_jobs)
    now = to_utc(now) if now is not None else _dt.datetime.now(_dt.timezone.utc)
    return jobs, errors, streams, now


def _contents(
    jobs: List[Job], errors: List[CollectionError], streams: List[StreamResult], now: _dt.datetime
) -> Dict[str, Any]:
    """What the template shows of the inventory: counts, failures, charts, streams."""
    failed_streams, skipped_streams, stream_counts = facts.stream_rows(errors, streams)
    head = facts.headline(jobs, now)
    fails = facts.failures(jobs)
    data: Dict[str, Any] = {
        "generated_at": now,
        "total": head.total,
        "by_status": {s.value: n for s, n in head.by_status},
        "failed_24h": head.failed_24h,
        "failed_7d": head.failed_7d,
        "streams": stream_counts,
        "streams_known": bool(streams or errors),
        "complete": not failed_streams,
        "version": __version__,
    }
    return dict(
        head=head,
        failures=fails[:MAX_FAILURES],
        failures_more=max(len(fails) - MAX_FAILURES, 0),
        failures_total=len(fails),
        failures_open=OPEN_FAILURES,
        statuses_present=[s for s, n in head.by_status if n],
        services_present=sorted({j.service for j in jobs}),
        status_rank={s: f"{i}" for i, s in enumerate(facts.STATUS_ORDER)},
        bar_charts=[
            charts.stacked_bars(jobs, lambda j: j.service, "By service"),
            charts.stacked_bars(jobs, lambda j: j.region, "By region", missing="(no region)"),
            charts.stacked_bars(jobs, lambda j: j.account_id, "By account", missing="(no account)"),
        ],
        legend=[(s, charts.STATUS_COLORS[s]) for s in facts.STATUS_ORDER],
        timeline=charts.timeline(jobs, now),
        failed_streams=failed_streams,
        skipped_streams=skipped_streams,
        stream_counts=stream_counts,
        streams_known=data["streams_known"],
        data=facts.json_ready(data),
    )


def _csp(guard_js: str, page_js: str) -> str:
    """The page's Content-Security-Policy: nothing loads; only its two scripts run."""
    return "; ".join([
        "default-src 'none'",
        "style-src 'unsafe-inline'",
        f"script-src {_sha256(guard_js)} {_sha256(page_js)}",
        "img-src data:",
        "base-uri 'none'",
        "form-action 'none'",
    ])
