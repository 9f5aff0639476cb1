"""Helpers for bulk work over hundreds of thousands of records."""

from __future__ import annotations

import contextlib
import gc
from typing import Iterator


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector for a bulk load; restore its state afterwards.

    A load creates millions of small objects (rows, tuples, claims) that hold no
    reference cycles. Each time allocations pass the collector's threshold it
    rescans the whole, growing heap and frees nothing: at 100k claims that was
    half the load time. Reference counting still frees everything as usual.

    What the work keeps (a graph, a report) is then handed to the oldest
    generation at once (``gc.freeze()`` then ``gc.unfreeze()``, two list splices)
    instead of being traced by the youngest generation's first pass and again by
    the middle one's: for a 100k-claim graph that first pass alone took a second,
    charged to whatever ran next. Nothing is done when objects are frozen
    already (a server that froze its heap before forking keeps it frozen).

    >>> with paused_gc():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if gc.get_freeze_count() == 0:
                gc.freeze()
                gc.unfreeze()
            gc.enable()
