"""Progress reporting for long-running writers, without any printing here.

A writer takes ``progress(done, total, what)`` (the CLI draws a bar with it)
and wraps its main loop in :func:`counted`.
"""

from __future__ import annotations

from typing import Callable, Iterable, Iterator, TypeVar

Progress = Callable[[int, int, str], None]
T = TypeVar("T")
EVERY = 2000


def counted(items: Iterable[T], total: int, what: str, progress: Progress | None) -> Iterator[T]:
    """Yield ``items``, calling ``progress`` every :data:`EVERY` items and once at the end.

    >>> seen = []
    >>> list(counted(range(3), 3, "claims", lambda *a: seen.append(a)))
    [0, 1, 2]
    >>> seen
    [(3, 3, 'claims')]
    """
    if progress is None:
        yield from items
        return
    done = 0
    for done, item in enumerate(items, start=1):
        if done % EVERY == 0:
            progress(done, total, what)
        yield item
    progress(max(done, total), total, what)
