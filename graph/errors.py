"""Typed exceptions of coopgraph.

The library raises these; only the CLI edge turns them into ``click.ClickException``.
"""

from __future__ import annotations

from dataclasses import dataclass


class CoopgraphError(Exception):
    """Base class of every error coopgraph raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located precisely enough to fix it.

    Examples
    --------
    >>> str(Problem("claims.yaml", 12, "date", "'2015-13' is not a date", "use YYYY, YYYY-MM or YYYY-MM-DD"))
    "claims.yaml:12: field 'date': '2015-13' is not a date (fix: use YYYY, YYYY-MM or YYYY-MM-DD)"
    """

    file: str
    line: int | None
    field: str | None
    message: str
    hint: str | None = None

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        what = f"field '{self.field}': " if self.field else ""
        fix = f" (fix: {self.hint})" if self.hint else ""
        return f"{where}: {what}{self.message}{fix}"


class ValidationError(CoopgraphError):
    """Input failed validation; ``problems`` lists every problem found, in file order."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} found; nothing was written"
        super().__init__(head + "\n" + "\n".join(str(p) for p in self.problems))


class SchemaError(CoopgraphError):
    """The schema file is malformed, or a name is not declared in it."""


class NotFoundError(CoopgraphError):
    """An entity, document or claim asked for does not exist."""


class AmbiguousNameError(CoopgraphError):
    """A name matches several entities; ``candidates`` lists them."""

    def __init__(self, name: str, candidates: list[tuple[str, str]]):
        import shlex

        self.name = name
        self.candidates = candidates
        shown = 3 if len(candidates) > 4 else len(candidates)
        listing = ", ".join(f"{eid} ({ename})" for eid, ename in candidates[:shown])
        more = f" and {len(candidates) - shown} more" if len(candidates) > shown else ""
        # two short lines: what matched, and what to do (the search it suggests runs as printed)
        super().__init__(f"'{name}' matches {len(candidates)} entities: {listing}{more}\n"
                         f"give one of their ids; 'coopgraph search {shlex.quote(name)}' lists them all")


class StoreError(CoopgraphError):
    """The store cannot be opened, read or written."""


class NotAStoreError(StoreError):
    """A file given as the store is not a coopgraph store; it was left untouched."""


class DamagedStoreError(StoreError):
    """A coopgraph store that cannot be read; it is reported with how to rebuild it, never replaced silently."""


class StoreBusyError(StoreError):
    """Another process held the store's write lock for longer than the lock time-out."""


#: what each errno means to a person, and what to do about it
_FAULTS = {
    "ENOSPC": ("the disk is full", "free some space and run the command again"),
    "EDQUOT": ("the disk quota is used up", "free some space and run the command again"),
    "EFBIG": ("the file grew past the size limit (ulimit -f or the file system's)", "raise the limit or write elsewhere"),
    "EACCES": ("permission denied", "check the file's and its folder's permissions, or write elsewhere"),
    "EPERM": ("permission denied", "check the file's and its folder's permissions, or write elsewhere"),
    "EROFS": ("the file system is read-only", "write to a writable location"),
    "ENOENT": ("no such file or folder", "check the path"),
    "ENOTDIR": ("a part of the path is a file, not a folder", "check the path"),
    "EISDIR": ("the path is a folder", "give a file name"),
    "EIO": ("an input/output error from the disk", "check the disk (dmesg) and run the command again"),
    "ENAMETOOLONG": ("the file name is too long", "use a shorter path"),
}
# SQLite result codes (primary code: the low byte) -> the errno whose wording fits
_SQLITE_FAULTS = {13: "ENOSPC", 8: "EROFS", 14: "EACCES", 10: "EIO", 23: "EACCES"}


def describe_fault(exc: BaseException) -> str:
    """One line for an operating-system or SQLite failure: what went wrong and what to do.

    Examples
    --------
    >>> import errno
    >>> describe_fault(OSError(errno.ENOSPC, "No space left on device"))
    'the disk is full (No space left on device); free some space and run the command again'
    >>> describe_fault(OSError(errno.EROFS, "Read-only file system", "/mnt/x"))
    'the file system is read-only (Read-only file system: /mnt/x); write to a writable location'
    """
    import errno as errno_names

    name = errno_names.errorcode.get(getattr(exc, "errno", None) or -1)
    code = getattr(exc, "sqlite_errorcode", None)
    if name is None and code is not None:
        name = _SQLITE_FAULTS.get(code & 0xFF)
    detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    if isinstance(exc, OSError) and exc.filename:
        detail = f"{detail}: {exc.filename}"
    if name in _FAULTS:
        what, fix = _FAULTS[name]
        return f"{what} ({detail}); {fix}"
    return f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__


class QueryError(CoopgraphError):
    """A report was asked for something it cannot answer (an unknown measure, a plot file it cannot draw ...)."""
