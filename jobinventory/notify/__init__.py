"""Change notifications: one module per target; the outbox lives in the store.

    from jobinventory.notify import parse_target, make_event, notify
    targets = [parse_target("eventbridge:ops-bus"), parse_target("jsonl:-")]
    reports = notify(events, targets)      # one TargetReport per target

Targets: `eventbridge:BUS`, `sns:TOPIC_ARN`, `webhook:URL`, `jsonl:-`.
A target's failure is in its report, never raised.
"""
from __future__ import annotations

import importlib
from typing import Any

from .base import Delivery, NotifySettings, Target, TargetReport
from .event import CHANGE_KINDS, Event, event_for_change, make_event
from .filters import NotifyFilter
from .targets import TARGET_SCHEMES, notify, parse_target, send

__all__ = [
    "CHANGE_KINDS",
    "Delivery",
    "Event",
    "NotifyFilter",
    "NotifySettings",
    "TARGET_SCHEMES",
    "Target",
    "TargetReport",
    "event_for_change",
    "make_event",
    "Notifier",
    "deliver_pending",
    "notify",
    "parse_target",
    "send",
]


def __getattr__(name: str) -> Any:
    # The outbox needs the store (SQLAlchemy): loaded only when used.
    if name in ("Notifier", "deliver_pending", "enqueue"):
        return getattr(importlib.import_module(f"{__name__}.outbox"), name)
    raise AttributeError(f"module 'jobinventory.notify' has no attribute {name!r}")
