"""Large blocks straight from the system for a one-shot command (glibc's malloc only).

glibc serves a request of 128 KiB or more with a mapping of its own, given
back to the system when freed, until the first such block is freed: from
then on it raises that threshold to the freed block's size (up to 32 MiB),
so the bodies of List answers and their decoded text (0.1-1 MB a page)
come from its heaps, one heap per thread. A streamed collection frees a
page long after the next ones were allocated, in another thread, and the
heaps keep the holes: 15-20 MB of a streamed sync's peak memory
(benchmarks/HISTORY.md, issue 17 point 6). `map_large_blocks()` sets the
threshold (mallopt M_MMAP_THRESHOLD, which also turns the raising off) so
those blocks stay mappings: a page's buffers cost the system calls that
map and unmap them (well under a microsecond per job), and nothing stays.

It is process-wide, as `jobinventory.gcpolicy` is: the command line sets it
for a one-shot command (not `serve`); the library never does. Where malloc
is not glibc's (musl, macOS), nothing is done.
"""
from __future__ import annotations

import ctypes
import threading
from typing import Optional

__all__ = ["map_large_blocks", "MMAP_THRESHOLD"]

#: Blocks of this many bytes or more are mapped on their own (glibc's initial threshold).
MMAP_THRESHOLD = 128 * 1024
_M_MMAP_THRESHOLD = -3  # <malloc.h>
_lock = threading.Lock()
_done: Optional[bool] = None


def map_large_blocks() -> bool:
    """Fix glibc's mmap threshold at MMAP_THRESHOLD for the rest of the process; True if it was set.

    Once per process (later calls return the first answer); False where
    malloc is not glibc's or refuses.
    """
    global _done
    with _lock:
        if _done is None:
            _done = _set_threshold()
        return _done


def _set_threshold() -> bool:
    try:
        libc = ctypes.CDLL(None)  # the process's own symbols: its C library's
        mallopt = libc.mallopt
        libc.gnu_get_libc_version  # glibc's own: musl has a mallopt that does nothing
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = (ctypes.c_int, ctypes.c_int), ctypes.c_int
    return mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1
