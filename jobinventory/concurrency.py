"""How many calls a collection makes at once: the defaults and the one rule.

`max_workers` means the same everywhere: the most List calls (and account
look-ups) in flight at once in one process; with an executor, in each of
its workers. None means DEFAULT_MAX_WORKERS. No module imported here, so
the command line can read these without loading boto3.
"""
from __future__ import annotations

from typing import Optional

__all__ = ["DEFAULT_MAX_WORKERS", "STREAMING_MAX_WORKERS", "DEFAULT_PER_KEY", "DEFAULT_STREAM_TIMEOUT", "threads_for"]

#: Default calls in flight: streams are I/O bound (one HTTPS call of ~50-300
#: ms per page) and a stream's pages come one after another, so the wall
#: time is the longest stream only if every long stream runs at once: one
#: account's covered operations in 3 regions are 72 streams, 45 of them with
#: pages of 100. At 32, those ran in two waves (2x the longest stream); at
#: 64, one. A process spends ~1-2 ms of CPU per page under the GIL, so at
#: latencies under ~50 ms it is CPU bound either way; memory follows the
#: pages in flight (a streamed export asks for fewer: STREAMING_MAX_WORKERS).
DEFAULT_MAX_WORKERS = 64
#: What `jobinventory list --no-sort` asks for unless --max-workers says
#: otherwise: a streamed export is for inventories too big to hold, and its
#: memory follows the pages in the workers' hands (about 2 MB each); 8 keep
#: one core busy parsing (benchmarks/RESULTS.md).
STREAMING_MAX_WORKERS = 8
#: Most streams of one (account, region, service) in flight: None, no such
#: bound. AWS rate-limits per account, region and API operation, so the
#: scheduler bounds streams per operation (jobinventory.scheduling) and
#: starts the longest first; a bound per service only made waves.
DEFAULT_PER_KEY: Optional[int] = None
#: Seconds one stream (or one account look-up) may take, retries included.
DEFAULT_STREAM_TIMEOUT = 60.0


def threads_for(max_workers: Optional[int], work: int) -> int:
    """Threads for `work` concurrent units: `max_workers` (None: the default), no more than the work, at least 1."""
    return max(1, min(max_workers or DEFAULT_MAX_WORKERS, work))
