"""`--notify`: the Notifier of the parsed options, and the lines that name a failing target.

The targets are parsed before anything is collected, so a bad one is a
usage error (exit 2) that costs nothing. A failing target is named on
stderr (a webhook by its host only) and makes the exit status 3; its
changes stay in the store for the next sync.
"""
from __future__ import annotations

import argparse
import sys
from typing import Any, Optional, Sequence

from .status import EXIT_OK, EXIT_PARTIAL, UsageError, one_line, say

__all__ = ["notifier_for", "report_notifications", "writes_stdout", "NOTIFY_OPTIONS"]

#: The options that only make sense with --notify (attribute -> flag).
NOTIFY_OPTIONS = {"notify_statuses": "--notify-status", "notify_kinds": "--notify-kind",
                  "notify_timeout": "--notify-timeout"}


def notifier_for(args: argparse.Namespace) -> Optional[Any]:
    """The Notifier of --notify/--notify-status/--notify-kind/--notify-timeout; None without --notify.

    AWS targets use the --profile session (the usual chain without it).
    """
    given = getattr(args, "notify", None)
    if not given:
        extra = [flag for name, flag in NOTIFY_OPTIONS.items() if getattr(args, name, None)]
        if extra:
            raise UsageError(f"{' and '.join(extra)} only go with --notify")
        return None
    from ..notify import NotifySettings, parse_target
    from ..notify.outbox import Notifier
    from .context import session_for

    session = session_for(getattr(args, "profile", None))
    timeout = getattr(args, "notify_timeout", None)
    settings = NotifySettings(timeout=timeout) if timeout else NotifySettings()
    # Clients are made now: before --demo sets the AWS environment aside.
    targets = [parse_target(text, session=session, settings=settings, stdout=sys.stdout).prepare()
               for text in given]
    return Notifier.of(targets, statuses=getattr(args, "notify_statuses", None),
                       kinds=getattr(args, "notify_kinds", None))


def report_notifications(reports: Sequence[Any]) -> int:
    """Name each target that failed on stderr; 3 if any did, else 0."""
    status = EXIT_OK
    for report in reports:
        if not report.ok:
            say(f"notify {one_line(report)}; {report.failed} change(s) kept for the next sync")
            status = EXIT_PARTIAL
    return status


def writes_stdout(notifier: Optional[Any]) -> bool:
    """True when a target writes on stdout (`jsonl:-`): the command's own line then goes to stderr."""
    return notifier is not None and any(t.key == "jsonl:-" for t in notifier.targets)
