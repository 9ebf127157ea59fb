"""The fake's jobs move on, as real ones do between two syncs.

``move_on(fake, step=k)`` advances every stream by one step: some active
jobs end (most succeed, some fail, a few are stopped), jobs being deleted
are gone, and new jobs start (each one retiring the stream's oldest ended
job, so a stream never grows). Ended jobs keep their identity (ARN, id,
name, creation time) and get the terminal status, end and modification
times of ``now`` and, when they fail, a failure message, exactly as the
operation's generator would write them. The same (seed, step, now) and
the same jobs give the same moves in any process, so ``serve --demo`` can
call it before each sync with the sync counter as ``step``.
"""
from __future__ import annotations

import datetime as _dt
import random
from typing import Any, Iterable, NamedTuple

from .operations import FakeOperation, get_operation
from .seeds import GENERATORS, Context, status_class
from .server import _entry
from .store import Entry

__all__ = ["Moves", "move_on", "FINISH", "FAIL", "STOP", "START"]

UTC = _dt.timezone.utc

#: Chance that an active job ends at a step.
FINISH = 0.4
#: Of the jobs that end: chance of failing, and of being stopped (else they succeed).
FAIL = 0.3
STOP = 0.05
#: Chance, per stream and step, that a new job starts.
START = 0.12


class Moves(NamedTuple):
    """What one step did, over all streams."""

    succeeded: int = 0
    failed: int = 0
    stopped: int = 0
    started: int = 0
    gone: int = 0

    def __add__(self, other: "Moves") -> "Moves":  # type: ignore[override]
        return Moves(*(a + b for a, b in zip(self, other)))


class _Forced(Context):
    """A generator context whose next job has a given status class and times."""

    def force(self, klass: str, created: _dt.datetime, ended: bool) -> "_Forced":
        words = dict(self._classes)
        self._klass = klass if klass in words else "succeeded"
        self._words = words[self._klass]
        self._created_ms = int(created.timestamp() * 1000)
        self._ended = ended
        return self

    def status(self) -> tuple[str, str]:
        return self.pick(self._words), self._klass

    def times(self, klass: str):
        created, now = self.at(self._created_ms), self.at(self.now_ms)
        return created, now, (now if self._ended else None)


def move_on(fake: Any, *, step: int, seed: int = 2024, now: _dt.datetime | None = None) -> Moves:
    """Advance every stream of ``fake`` by one step; what moved."""
    now = (now or _dt.datetime.now(UTC)).astimezone(UTC)
    total = Moves()
    for key in sorted(fake.store.keys()):
        service, operation, region, account = key
        spec = get_operation(service, operation)
        if (service, operation) not in GENERATORS:
            continue
        stream = _StreamStep(spec, region, account, f"move:{seed}:{step}", now)
        fake.store.update(key, stream.apply)
        total = total + stream.moves
    return total


class _StreamStep:
    def __init__(self, spec: FakeOperation, region: str, account: str, seed: str, now: _dt.datetime) -> None:
        self.spec, self.now = spec, now
        self.ctx = _Forced(spec, region, account, seed, now)
        self.rng = random.Random(f"{seed}:{spec.service}:{spec.operation}:{region}:{account}")
        self.moves = Moves()

    def apply(self, entries: list[Entry]) -> Iterable[Entry]:
        kept, counts = [], {"succeeded": 0, "failed": 0, "stopped": 0, "gone": 0}
        for entry in sorted(entries, key=lambda e: e.key):
            klass = status_class(str(entry.summary.get(self.spec.status, "")))
            if klass == "deleting":
                counts["gone"] += 1
                continue
            if klass == "active" and self.rng.random() < FINISH:
                entry = self._end(entry)
                counts[status_class(entry.summary[self.spec.status])] += 1
            kept.append(entry)
        started = 0
        if self.rng.random() < START:
            before = len(kept)
            kept = self._retire_oldest_ended(kept)
            counts["gone"] += before - len(kept)
            kept.append(self._start(len(entries)))
            started = 1
        self.moves = Moves(counts["succeeded"], counts["failed"], counts["stopped"], started, counts["gone"])
        return kept

    def _end(self, entry: Entry) -> Entry:
        roll = self.rng.random()
        klass = "failed" if roll < FAIL else "stopped" if roll < FAIL + STOP else "succeeded"
        old = entry.summary
        created = old[self.spec.created]
        made, _ = GENERATORS[(self.spec.service, self.spec.operation)](self.ctx.force(klass, created, True), 0)
        summary = dict(old)
        for name, value in made.items():
            if name == self.spec.status or name not in old or (
                    isinstance(value, _dt.datetime) and name != self.spec.created):
                summary[name] = value
        return entry._replace(summary=summary)

    def _start(self, index: int) -> Entry:
        made, parent = GENERATORS[(self.spec.service, self.spec.operation)](
            self.ctx.force("active", self.now, False), index)
        return _entry(self.spec, made, parent)

    def _retire_oldest_ended(self, entries: list[Entry]) -> list[Entry]:
        ended = [e for e in entries if status_class(str(e.summary.get(self.spec.status, ""))) != "active"]
        if not ended:
            return entries
        oldest = min(ended, key=lambda e: (e.created, e.key))
        return [e for e in entries if e is not oldest]
