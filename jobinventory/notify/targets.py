"""Targets from their command-line form, and one delivery run over several targets.

`eventbridge:BUS`, `sns:TOPIC_ARN`, `webhook:URL`, `jsonl:-`. Targets
deliver in parallel, each within its own time budget, so one that hangs
holds neither the others nor the caller for longer than that budget.
"""
from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from typing import IO, Any, Callable, Dict, List, Optional, Sequence, Tuple

from ..errors import ConfigurationError
from .base import Deadline, Delivery, NotifySettings, Target, TargetReport
from .event import Event

__all__ = ["parse_target", "send", "TARGET_SCHEMES"]

log = logging.getLogger("jobinventory.notify")

TARGET_SCHEMES = ("eventbridge", "sns", "webhook", "jsonl")


def _build(scheme: str, rest: str, session: Any, settings: NotifySettings, stdout: Optional[IO[str]]) -> Target:
    if scheme == "eventbridge":
        from .eventbridge import EventBridgeTarget

        return EventBridgeTarget(rest, session=session, settings=settings)
    if scheme == "sns":
        from .sns import SnsTarget

        return SnsTarget(rest, session=session, settings=settings)
    if scheme == "webhook":
        from .webhook import WebhookTarget

        return WebhookTarget(rest, settings=settings)
    from .lines import JsonlTarget

    return JsonlTarget(rest, stream=stdout)


def parse_target(
    text: str,
    *,
    session: Any = None,
    settings: Optional[NotifySettings] = None,
    stdout: Optional[IO[str]] = None,
) -> Target:
    """A Target from `SCHEME:VALUE`; a ConfigurationError names a bad one (a webhook by its host only)."""
    scheme, sep, rest = str(text).partition(":")
    scheme = scheme.lower()
    if not sep or scheme not in TARGET_SCHEMES:
        shown = scheme if sep else text
        if scheme == "https" or scheme == "http":
            shown = "a bare URL (write webhook:URL)"
        raise ConfigurationError(
            f"notify target {shown!s}: unknown kind; give one of "
            + ", ".join(f"{s}:..." for s in TARGET_SCHEMES)
        )
    if not rest:
        raise ConfigurationError(f"notify target {scheme}: is missing its value after the colon")
    return _build(scheme, rest, session, settings or NotifySettings(), stdout)


def _deliver_one(target: Target, events: Sequence[Event]) -> TargetReport:
    try:
        deliveries = target.deliver(list(events), Deadline(target.settings.budget))
    except Exception as exc:  # noqa: BLE001 - a target's bug must not take the others down
        reason = f"{type(exc).__name__} in {target.name}"
        deliveries = [Delivery(e.change_id, False, reason) for e in events]
    if len(deliveries) != len(events):
        raise AssertionError(f"{target.name} answered {len(deliveries)} deliveries for {len(events)} changes")
    report = TargetReport(target.name, deliveries)
    if not report.ok:
        log.info("%s", report)
    return report


def send(plan: Sequence[Tuple[Target, Sequence[Event]]]) -> List[TargetReport]:
    """Deliver each target its events (oldest first), targets in parallel; one report per target, in plan order.

    Each target spends at most its `settings.budget`. Never raises for a
    target's failure: it is in that target's report.
    """
    work = [(t, list(events)) for t, events in plan]
    if not work:
        return []
    if len(work) == 1:
        return [_deliver_one(work[0][0], work[0][1])]
    with ThreadPoolExecutor(max_workers=len(work), thread_name_prefix="jobinventory-notify") as pool:
        futures = [pool.submit(_deliver_one, t, events) for t, events in work]
        return [f.result() for f in futures]


def notify(events: Sequence[Event], targets: Sequence[Target]) -> List[TargetReport]:
    """Send the same events to every target, targets in parallel (no outbox: nothing is kept)."""
    return send([(t, events) for t in targets])
