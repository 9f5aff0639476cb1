"""Temporary files that killed writers leave behind, and how the next writer sweeps them.

A writer holds a ``flock`` on its temporary file (or folder) for as long as it
builds it; a temporary that is free and more than :data:`SWEEP_AGE` seconds old
belongs to nobody. The store (``graph/sqlite_store.py``) and the exports
(``queries/export/_write.py``) sweep their own kinds of temporary with
:func:`remove_unheld`.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import time
from pathlib import Path
from typing import Iterable

#: how old, in seconds, a free temporary must be before a sweep removes it
SWEEP_AGE = 2.0


def remove_unheld(candidates: Iterable[Path], age: float = SWEEP_AGE) -> list[Path]:
    """Remove the files and folders among ``candidates`` that no process holds and that are older than ``age``.

    Returns what was removed.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> old = pathlib.Path(tempfile.mkdtemp()) / ".x.tmp"
    >>> _ = old.write_text("left by a killed writer")
    >>> [p.name for p in remove_unheld([old], age=0)]
    ['.x.tmp']
    """
    removed = []
    for candidate in candidates:
        try:
            if candidate.is_symlink() or time.time() - candidate.stat().st_mtime < age:
                continue
            fd = os.open(candidate, os.O_RDONLY)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            shutil.rmtree(candidate) if candidate.is_dir() else candidate.unlink()
            removed.append(candidate)
        except OSError:
            pass  # held by a live writer, or gone already
        finally:
            os.close(fd)
    return removed
