"""How writers write: all at once (a temporary file beside the target, then a rename), with progress.

Private to coopgraph's writers (exports, plots, the dossier). A writer takes
``progress(done, total, what)`` (the CLI draws a bar with it; nothing is printed
here) and wraps its main loop in :func:`counted`.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from pathlib import Path
from typing import IO, Callable, Iterable, Iterator, TypeVar

Progress = Callable[[int, int, str], None]
T = TypeVar("T")
EVERY = 2000


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike, mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO]:
    """Yield a handle whose content replaces ``path`` only if the block succeeds.

    ``-`` writes to standard output. On error the target is left as it was and
    no temporary file remains.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_output(target) as fh:
    ...     _ = fh.write("hello")
    >>> target.read_text()
    'hello'
    """
    if str(path) == "-":
        stream = sys.stdout.buffer if "b" in mode else sys.stdout
        yield stream
        stream.flush()
        return
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(handle)
    try:
        with open(tmp_name, mode, encoding=None if "b" in mode else encoding, newline=None if "b" in mode else "") as out:
            yield out
        os.replace(tmp_name, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise


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
