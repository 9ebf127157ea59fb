"""A job listed twice in one stream, caught with the ids of two pages, not of the whole stream.

The List APIs page newest first (by creation time): a job created while a
stream is being listed pushes the others down, and the last jobs of one page
come again at the top of the next. A job therefore repeats only across a
page boundary, so the ids of the page before and of the current page are
enough to catch it, however long the stream (holding every id of a stream
of 100,000 jobs cost tens of MB). The same job twice within a page is
caught too.
"""
from __future__ import annotations

from typing import Set

__all__ = ["PageWindow"]


class PageWindow:
    """The job ids of a stream's previous and current page; `fresh(id)` says whether one is new."""

    __slots__ = ("_previous", "_current")

    def __init__(self) -> None:
        self._previous: Set[str] = set()
        self._current: Set[str] = set()

    def next_page(self) -> None:
        """The current page is done: it becomes the previous one."""
        self._previous, self._current = self._current, set()

    def fresh(self, job_id: str) -> bool:
        """True the first time `job_id` is seen in these two pages (and remember it)."""
        if job_id in self._current or job_id in self._previous:
            return False
        self._current.add(job_id)
        return True

    def __len__(self) -> int:
        """Ids held (two pages at most)."""
        return len(self._previous) + len(self._current)
