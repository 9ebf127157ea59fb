"""The fake's jobs: one stream per (service, operation, region, account).

A stream keeps its jobs newest first (creation time, then key, descending),
sorting lazily after additions, and caches the filtered views it has served
so paging through a filtered listing of a million jobs does not refilter on
every page. Thread-safe.
"""
from __future__ import annotations

import threading
from typing import Any, Callable, Iterable, NamedTuple, Sequence

StreamKey = tuple[str, str, str, str]  # service, operation, region, account


class Entry(NamedTuple):
    created: float  # epoch seconds, for ordering and time filters
    key: str        # the ARN or Id: tie-break and identity
    summary: dict   # exactly as boto3 returns it
    parent: Any     # the ``@parent`` attribute (see operations.py), or None


Predicate = Callable[[Entry], bool]


class _Stream:
    __slots__ = ("entries", "dirty", "views")

    def __init__(self) -> None:
        self.entries: list[Entry] = []
        self.dirty = False
        self.views: dict[Any, list[Entry]] = {}

    def ordered(self) -> list[Entry]:
        if self.dirty:
            self.entries.sort(key=lambda e: (e.created, e.key), reverse=True)
            self.dirty = False
        return self.entries


class JobStore:
    _MAX_VIEWS = 64

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._streams: dict[StreamKey, _Stream] = {}

    def add(self, key: StreamKey, entries: Iterable[Entry]) -> int:
        entries = list(entries)
        with self._lock:
            stream = self._streams.setdefault(key, _Stream())
            stream.entries.extend(entries)
            stream.dirty = True
            stream.views.clear()
        return len(entries)

    def update(self, key: StreamKey, change: Callable[[list[Entry]], Iterable[Entry]]) -> None:
        """Replace a stream's entries by ``change(entries newest first)``, atomically."""
        with self._lock:
            stream = self._streams.get(key)
            if stream is None:
                return
            stream.entries = list(change(list(stream.ordered())))
            stream.dirty = True
            stream.views.clear()

    def clear(self, match: Callable[[StreamKey], bool]) -> int:
        with self._lock:
            doomed = [k for k in self._streams if match(k)]
            removed = sum(len(self._streams.pop(k).entries) for k in doomed)
        return removed

    def keys(self) -> list[StreamKey]:
        with self._lock:
            return [k for k, s in self._streams.items() if s.entries]

    def count(self, match: Callable[[StreamKey], bool]) -> int:
        with self._lock:
            return sum(len(s.entries) for k, s in self._streams.items() if match(k))

    def page(
        self,
        key: StreamKey,
        *,
        view: Any,
        predicate: Predicate | None,
        ascending: bool,
        offset: int,
        limit: int,
    ) -> tuple[Sequence[Entry], int]:
        """Entries ``[offset, offset+limit)`` of the stream's view, and the view's size.

        ``view`` names the (filters, order) combination for the cache.
        """
        with self._lock:
            stream = self._streams.get(key)
            if stream is None:
                return [], 0
            items = stream.ordered()
            if predicate is not None or ascending:
                cached = stream.views.get(view)
                if cached is None:
                    cached = [e for e in items if predicate(e)] if predicate else list(items)
                    if ascending:
                        cached.reverse()
                    if len(stream.views) >= self._MAX_VIEWS:
                        stream.views.clear()
                    stream.views[view] = cached
                items = cached
            return items[offset:offset + limit], len(items)
