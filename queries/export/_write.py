"""How writers write: all at once (a temporary file beside the target, then a rename), with progress.

Private to coopgraph's writers (exports, plots, the dossier). A writer takes
``progress(done, total, what)`` (the CLI draws a bar with it; nothing is printed
here) and wraps its main loop in :func:`counted`.

A failure of the machine while writing (a full disk, a denied permission, a
read-only file system) raises :class:`WriteError`: one line naming the target and
what to do, the target as it was, the temporary file gone. A temporary file left
by a writer that was killed (``.<name>.*.tmp``; each writer holds a ``flock`` on its
own) is swept by the next write of the same target.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import sys
import tempfile
from pathlib import Path
from typing import IO, Callable, Iterable, Iterator, TypeVar

from coopgraph.graph.errors import CoopgraphError, describe_fault
from coopgraph.graph.tempfiles import SWEEP_AGE, remove_unheld

Progress = Callable[[int, int, str], None]
T = TypeVar("T")
EVERY = 2000
#: a temporary file no writer holds is swept once it is this many seconds old


class WriteError(CoopgraphError):
    """The machine would not let a file be written (disk full, permission, read-only); nothing was replaced."""


def fault(exc: BaseException) -> OSError | None:
    """The operating-system error behind ``exc`` (itself, or one it was raised while handling), if any.

    openpyxl, for one, reports a full disk as "seek of closed file" raised while closing after the real error.
    """
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, OSError) and not isinstance(exc, BrokenPipeError):
            return exc
        if type(exc).__name__ == "SerialisationError" and str(exc).startswith("IO_E"):
            # lxml (under openpyxl's sheets) names the errno instead of raising OSError: "IO_ENOSPC"
            code = getattr(errno, str(exc)[3:], None)
            if code is not None:
                return OSError(code, os.strerror(code))
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return None


def write_error(exc: BaseException, target: Path) -> WriteError:
    return WriteError(f"cannot write {target}: {describe_fault(exc)}; nothing was written, "
                      f"{'and ' + str(target) + ' is as it was' if target.exists() else 'and no file was left'}")


@contextlib.contextmanager
def held_temporary(target: Path, directory: bool = False) -> Iterator[Path]:
    """A new temporary file (or folder) beside ``target``, held with a ``flock`` until the block ends.

    Temporary names are ``.<target name>.<random>.tmp``; before making one, those of
    earlier writers of the same target that no process holds any more are removed.
    """
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        sweep(target)
        if directory:
            tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
            fd = os.open(tmp, os.O_RDONLY)
        else:
            fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            tmp = Path(name)
        # tempfile makes them private (0600, 0700); what replaces the target gets the modes the user's umask
        # gives a new file or folder (0644, 0755 under umask 022), so that others, neo4j-admin among them, can read
        os.chmod(tmp, (0o777 if directory else 0o666) & ~current_umask())
    except OSError as exc:
        raise write_error(exc, target) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield tmp
    finally:
        os.close(fd)


def current_umask() -> int:
    """The process's umask (read by setting it and setting it back).

    >>> 0 <= current_umask() <= 0o777
    True
    """
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def sweep(target: Path) -> list[Path]:
    """Remove the temporary files (and folders) of ``target``'s earlier writers that no process holds."""
    prefix = f".{target.name}."
    try:
        # .old: a folder export's previous version, left if killed while swapping them
        candidates = [c for c in target.parent.iterdir() if c.name.startswith(prefix) and c.name.endswith((".tmp", ".old"))]
    except OSError:
        return []
    return remove_unheld(candidates, SWEEP_AGE)


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike, mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO]:
    """Yield a handle whose content replaces ``path`` only if the block succeeds.

    ``-`` writes to standard output. On error the target is left as it was and
    no temporary file remains; a failure of the machine is a :class:`WriteError`.

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
    with held_temporary(target) as tmp:
        try:
            with open(tmp, mode, encoding=None if "b" in mode else encoding, newline=None if "b" in mode else "") as out:
                yield out
            os.replace(tmp, target)
        except BaseException as exc:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            cause = fault(exc)
            if cause is not None:
                raise write_error(cause, target) from None
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
