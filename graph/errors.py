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
        self.name = name
        self.candidates = candidates
        listing = ", ".join(f"{eid} ({ename})" for eid, ename in candidates[:10])
        super().__init__(f"'{name}' matches {len(candidates)} entities: {listing}; use an id")


class StoreError(CoopgraphError):
    """The store cannot be opened, read or written."""
