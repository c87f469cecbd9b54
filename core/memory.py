"""Process-level memory policy for the explicit attention path.

Keeping every weight means writing fresh (H, N, N) tensors on each recompute. glibc serves blocks above its
mmap threshold (32 MiB at most by default) with new mappings, and every page of a new mapping is a page fault:
on the machines we measured, faulting in a 32 MiB score matrix cost more than computing it (benchmarks/
core_attention.py reports both settings). Raising the threshold lets freed blocks be reused from the heap.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys

_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3


def reuse_freed_memory(mmap_threshold: int = 1 << 30, trim_threshold: int = 1 << 29) -> bool:
    """Serve allocations up to ``mmap_threshold`` bytes from the heap and return freed memory to the OS only
    above ``trim_threshold``. Linux/glibc only; returns False (and changes nothing) elsewhere."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # musl and other libcs have no mallopt
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    return bool(mallopt(_M_MMAP_THRESHOLD, mmap_threshold)) and bool(mallopt(_M_TRIM_THRESHOLD, trim_threshold))


def freeze_long_lived() -> int:
    """Move every object alive now out of the garbage collector's sight (``gc.freeze``); returns how many.

    With torch and Qt loaded the app holds ~220 000 tracked objects, and a full (generation-2) collection walked
    all of them: a 220 ms freeze of the GUI every few hundred edits on the development machine. What is alive once
    the core and a page are built (modules, widgets, the page's models) lives as long as the app, so the collector
    need not look at it again. Objects are still freed by reference counting; only a reference cycle among them
    that becomes garbage later is not reclaimed.
    """
    import gc

    gc.freeze()
    return gc.get_freeze_count()
