"""`jsonl:-` (or `jsonl:PATH`): one change a line, the event JSON, for pipes.

`-` is the standard output of the process as it is when the delivery runs
(or a stream given to the target); a PATH is appended to. A line is
delivered once it is written and flushed.
"""
from __future__ import annotations

import sys
from typing import IO, List, Optional, Sequence

from ..errors import ConfigurationError
from .base import Deadline, Delivery, Target, not_attempted
from .event import Event

__all__ = ["JsonlTarget"]


class JsonlTarget(Target):
    scheme = "jsonl"

    def __init__(self, where: str = "-", *, stream: Optional[IO[str]] = None) -> None:
        if not where:
            raise ConfigurationError("notify target jsonl:: give - (standard output) or a file path")
        self.where = where
        self._stream = stream

    @property
    def name(self) -> str:
        return f"jsonl:{self.where}"

    def deliver(self, events: Sequence[Event], deadline: Deadline) -> List[Delivery]:
        if not events:
            return []
        try:
            if self.where == "-":
                return self._write(self._stream or sys.stdout, events)
            with open(self.where, "a", encoding="utf-8") as stream:
                return self._write(stream, events)
        except OSError as exc:
            reason = f"cannot open {self.where}: {exc.strerror or exc}"
            return [Delivery(e.change_id, False, reason) for e in events]

    @staticmethod
    def _write(stream: IO[str], events: Sequence[Event]) -> List[Delivery]:
        results: List[Delivery] = []
        for i, event in enumerate(events):
            try:
                stream.write(event.body + "\n")
                stream.flush()
            except (OSError, ValueError) as exc:
                reason = f"write failed: {getattr(exc, 'strerror', None) or exc}"
                results.append(Delivery(event.change_id, False, reason))
                return results + not_attempted(events[i + 1:], "not attempted: an earlier write failed")
            results.append(Delivery(event.change_id, True))
        return results
