"""CPython's cyclic garbage collector, relaxed while a collection runs.

A collection allocates tens of container objects per job (parsed pages,
summaries, details, Jobs) and usually keeps the Jobs. With CPython's default
generation-0 threshold (700 allocations) a young collection runs every few
jobs, and every tenth of those walks the middle generation, where the Jobs
kept so far wait to be promoted: measured, 25-40% of a collect's client CPU
(issue 17; see benchmarks/HISTORY.md). Almost none of it is garbage with
cycles: parsed JSON and Jobs are freed by reference counting.

`relaxed_gc()` raises the generation-0 threshold to YOUNG_THRESHOLD while at
least one collection runs in the process (re-entrant, thread-safe), and puts
the process's own thresholds back when the last one ends, unless something
else changed them meanwhile (then theirs stand). Nothing is disabled: cycles
are still collected, in batches of up to YOUNG_THRESHOLD allocations. A
process that turned the collector off (`gc.disable()` or a threshold of 0) or
already runs a higher threshold is left as it is.
"""
from __future__ import annotations

import contextlib
import gc
import threading
from typing import Iterator, Optional, Tuple

__all__ = ["relaxed_gc", "YOUNG_THRESHOLD"]

#: Allocations between young collections while a collection runs (CPython's default: 700).
YOUNG_THRESHOLD = 100_000

_lock = threading.Lock()
_depth = 0
_saved: Optional[Tuple[int, ...]] = None  # the process's thresholds, while ours are set
_ours: Optional[Tuple[int, ...]] = None


def _enter() -> None:
    global _depth, _saved, _ours
    with _lock:
        _depth += 1
        if _depth > 1:
            return
        current = gc.get_threshold()
        if current[0] == 0 or current[0] >= YOUNG_THRESHOLD:
            return  # the collector is off, or relaxed already: the process knows best
        _saved, _ours = current, (YOUNG_THRESHOLD, *current[1:])
        gc.set_threshold(*_ours)


def _exit() -> None:
    global _depth, _saved, _ours
    with _lock:
        _depth -= 1
        if _depth > 0 or _saved is None:
            return
        if gc.get_threshold() == _ours:  # nobody changed them meanwhile
            gc.set_threshold(*_saved)
        _saved = _ours = None


@contextlib.contextmanager
def relaxed_gc() -> Iterator[None]:
    """The generation-0 threshold at YOUNG_THRESHOLD (at least) for the block."""
    _enter()
    try:
        yield
    finally:
        _exit()
