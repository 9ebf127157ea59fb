"""Which stream starts next: the longest first, bounded by what AWS limits.

AWS rate-limits List calls per API operation, account and region (and
botocore's retry modes slow a client that gets throttled), so streams are
bounded per (account, region, service, operation): at most `per_operation`
at once (more than one only where an operation is listed in several
streams, e.g. per parent resource). A bound per (account, region, service)
is there only when asked for (`per_key`): it would run a service's five
operations in two waves for nothing.

Order: the wall time of a collection is at least its longest stream, so
among the streams that may start, the one expected to take the most pages
goes first: the pages a store saw for it last time (the task's
`expected_pages`), else the
operation's page size (smaller pages, more calls for as many jobs), ties
spread round-robin over (account, region, service).

At most `window` keys (account, region, service) are open at once (None:
every key): a key opens when one before it has no stream left, so a
collection over thousands of accounts holds the clients of about `window`
keys, not of every key.
"""
from __future__ import annotations

import collections
import heapq
from typing import Any, Deque, Dict, Hashable, List, Optional, Sequence, Tuple

__all__ = ["StreamScheduler", "DEFAULT_PER_OPERATION", "UNKNOWN_PAGES"]

#: Most streams of one (account, region, service, operation) at once.
DEFAULT_PER_OPERATION = 4
#: The pages assumed of a stream no hint speaks for.
UNKNOWN_PAGES = 2


def _page_size(task: Any) -> int:
    from .paging import page_plan

    try:
        return page_plan(task.service, task.operation).page_size or 1000
    except Exception:  # an operation botocore does not model (a plug-in): no preference
        return 1000


class StreamScheduler:
    """Hands out tasks longest first, within the per-operation (and optional per-key) bounds.

    `take(n)` gives up to n tasks that may start now; `finished(task)`
    accounts for one and says whether its key, and its account, are done.
    Streams of one (account, region, service, operation) form a lane; the
    lanes that may start a stream wait in one heap, by their best stream.
    """

    def __init__(
        self,
        tasks: Sequence[Any],
        per_key: Optional[int] = None,
        window: Optional[int] = None,
        *,
        per_operation: int = DEFAULT_PER_OPERATION,
    ) -> None:
        self._per_key = per_key
        self._per_operation = max(1, per_operation)
        self._sizes: Dict[Tuple[str, str], int] = {}
        self._pending: Dict[Hashable, List[Any]] = collections.OrderedDict()
        for task in tasks:
            self._pending.setdefault(task.key, []).append(task)
        self._key_index = {key: k for k, key in enumerate(self._pending)}
        self._left: Dict[Hashable, int] = {key: len(group) for key, group in self._pending.items()}
        self._running: Dict[Hashable, int] = collections.Counter()
        #: (key, operation) -> [streams running, its waiting streams (a heap)].
        self._lanes: Dict[Hashable, List[Any]] = {}
        #: Lanes that may start a stream now, by their best stream: (rank, lane).
        self._ready: List[Tuple[Tuple[Any, ...], Hashable]] = []
        #: Lanes set aside while their key is at `per_key`.
        self._parked: Dict[Hashable, List[Hashable]] = collections.defaultdict(list)
        #: Lanes in `_ready` or `_parked` (each is in one place at most once).
        self._queued: set = set()
        #: Keys not opened yet, in task order.
        self._closed: Deque[Hashable] = collections.deque(self._pending)
        #: Keys left per account: an account is done with its last key.
        self._keys_left: Dict[Hashable, int] = collections.Counter(key[0] for key in self._pending)
        for _ in range(max(1, window) if window is not None else len(self._closed)):
            if not self._open():
                break

    def _rank(self, task: Any, i: int, k: int) -> Tuple[Any, ...]:
        """Longest first; then smaller pages; then round-robin over keys, in task order."""
        pages = getattr(task, "expected_pages", None)
        size = self._sizes.get((task.service, task.operation))
        if size is None:
            size = self._sizes[(task.service, task.operation)] = _page_size(task)
        return (-(UNKNOWN_PAGES if pages is None else pages), size, i, k)

    def _open(self) -> bool:
        if not self._closed:
            return False
        key = self._closed.popleft()
        k = self._key_index.pop(key)
        opened = {}
        for i, task in enumerate(self._pending.pop(key)):
            lane = (key, task.operation)
            entry = self._lanes.get(lane)
            if entry is None:
                entry = self._lanes[lane] = [0, []]
            heapq.heappush(entry[1], (self._rank(task, i, k), i, task))
            opened[lane] = True
        for lane in opened:
            self._offer(lane)
        return True

    def _offer(self, lane: Hashable) -> None:
        """Queue a lane that has a stream waiting and room to start it (once)."""
        running, waiting = self._lanes[lane]
        if waiting and running < self._per_operation and lane not in self._queued:
            self._queued.add(lane)
            heapq.heappush(self._ready, (waiting[0][0], lane))

    def take(self, n: int) -> List[Any]:
        out: List[Any] = []
        while len(out) < n and self._ready:
            _rank, lane = heapq.heappop(self._ready)
            key = lane[0]
            if self._per_key is not None and self._running[key] >= self._per_key:
                self._parked[key].append(lane)  # still queued: offered again when the key has room
                continue
            self._queued.discard(lane)
            entry = self._lanes[lane]
            task = heapq.heappop(entry[1])[2]
            out.append(task)
            entry[0] += 1
            self._running[key] += 1
            self._offer(lane)
        return out

    def finished(self, task: Any) -> Tuple[bool, bool]:
        """Account a finished task; (its key has no stream left, its account has none left)."""
        key = task.key
        lane = (key, task.operation)
        entry = self._lanes[lane]
        self._running[key] -= 1
        entry[0] -= 1
        for parked in self._parked.pop(key, ()):
            self._queued.discard(parked)
            self._offer(parked)
        self._offer(lane)
        if not entry[0] and not entry[1]:
            del self._lanes[lane]
        self._left[key] -= 1
        if self._left[key]:
            return False, False
        del self._running[key], self._left[key]
        self._open()
        self._keys_left[key[0]] -= 1
        return True, self._keys_left[key[0]] == 0
