"""Which changes are sent: `--notify-status` and `--notify-kind`."""
from __future__ import annotations

from typing import Any, FrozenSet, Iterable, Optional

import attrs

from ..errors import ConfigurationError
from ..model import JobStatus
from .event import CHANGE_KINDS

__all__ = ["NotifyFilter"]


def _statuses(values: Optional[Iterable[Any]]) -> FrozenSet[JobStatus]:
    out = set()
    for value in values or ():
        try:
            out.add(JobStatus(str(getattr(value, "value", value)).strip().upper()))
        except ValueError:
            names = ", ".join(s.value.lower() for s in JobStatus)
            raise ConfigurationError(f"notify status {value!r} is not a unified status ({names})") from None
    return frozenset(out)


def _kinds(values: Optional[Iterable[str]]) -> FrozenSet[str]:
    out = set()
    for value in values or ():
        kind = str(value).strip().lower()
        if kind not in CHANGE_KINDS:
            raise ConfigurationError(f"notify kind {value!r} is not one of {', '.join(CHANGE_KINDS)}")
        out.add(kind)
    return frozenset(out)


@attrs.frozen
class NotifyFilter:
    """Send a change only if its kind is in `kinds` and the status it went into is in `statuses`.

    Empty means no restriction. A gone change goes into no status: with
    `statuses` given it is not sent.
    """

    statuses: FrozenSet[JobStatus] = attrs.field(factory=frozenset, converter=_statuses)
    kinds: FrozenSet[str] = attrs.field(factory=frozenset, converter=_kinds)

    def accepts(self, kind: str, to_status: Any) -> bool:
        if self.kinds and kind not in self.kinds:
            return False
        if self.statuses:
            if to_status is None:
                return False
            return JobStatus(getattr(to_status, "value", to_status)) in self.statuses
        return True
