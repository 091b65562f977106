"""Garbage collection around bursts of allocation.

Loading a large file or ranking thousands of rows creates hundreds of thousands of small objects
that form no reference cycles. CPython's cycle collector would scan the whole heap several times
while that happens, for nothing; pausing it for the burst is the usual remedy.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def gc_paused():
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def settle_heap() -> None:
    """Move everything alive now (the loaded app) out of the collector's way for good."""
    gc.collect()
    gc.freeze()
