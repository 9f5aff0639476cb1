"""The one shape every report takes: rows, the columns to write, the columns a table shows, notes.

A :class:`Report` holds

- ``rows``: flat dicts, one per line of a table or CSV file (a chain is one row
  per hop, as ``coopgraph chains --format csv`` writes it);
- ``columns``: the columns of those rows, in order (all keys of the first row
  when not given);
- ``table_columns``: the fewer columns a table for people shows;
- ``notes``: lines a person reads under the table ("cut: 6 neighbours beyond the cap");
- ``empty``: what to say when there are no rows ("no entity matches 'x'");
- ``document``: the report as a JSON document when it says more than its rows
  (the chains with their steps, a centrality report with its counts); the rows
  themselves otherwise.

A report reads like its document: ``report["rows"]`` when the document is a
mapping, ``report[0]``, ``len(report)`` and iteration when it is a list. The CLI
turns any report into a table, JSON, CSV or JSON lines with one function
(``coopgraph.cli.output.output``); no module here branches on a format.

Examples
--------
>>> r = Report([{"id": "a", "n": 1}, {"id": "b", "n": 2}], table_columns=["id"], notes=["2 entities"])
>>> r.columns, len(r), r[0]["id"]
(['id', 'n'], 2, 'a')
>>> Report([{"x": 1}], document={"total": 1, "rows": [{"x": 1}]})["total"]
1
"""

from __future__ import annotations

from typing import Any, Iterator, Sequence


class Report:
    """Rows, the columns to write and to show, notes, and the report as a document (see the module docstring)."""

    def __init__(self, rows: Sequence[dict[str, Any]] | None = None, *, columns: Sequence[str] | None = None,
                 table_columns: Sequence[str] | None = None, notes: Sequence[str] = (), empty: str | None = None,
                 document: Any = None) -> None:
        self._rows = list(rows) if rows is not None else None
        self._columns = list(columns) if columns is not None else None
        self.table_columns = list(table_columns) if table_columns is not None else None
        self.notes = list(notes)
        self.empty = empty
        self._document = document

    @property
    def rows(self) -> list[dict[str, Any]]:
        """The flat rows (one per line of a table or CSV file)."""
        return self._rows if self._rows is not None else []

    @property
    def columns(self) -> list[str]:
        """The columns of :attr:`rows`, in order."""
        if self._columns is not None:
            return self._columns
        rows = self.rows
        return list(rows[0].keys()) if rows else []

    @property
    def document(self) -> Any:
        """The report as a JSON document: the rows unless the report says more."""
        return self.rows if self._document is None else self._document

    # -- reading a report like its document ------------------------------------------------------
    def __getitem__(self, key: Any) -> Any:
        return self.document[key]

    def get(self, key: str, default: Any = None) -> Any:
        document = self.document
        return document.get(key, default) if isinstance(document, dict) else default

    def __contains__(self, key: Any) -> bool:
        return key in self.document

    def __iter__(self) -> Iterator[Any]:
        return iter(self.document)

    def __len__(self) -> int:
        return len(self.document)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Report):
            return self.document == other.document and self.rows == other.rows
        return self.document == other

    __hash__ = None  # type: ignore[assignment]  # mutable, like the rows it holds

    def __repr__(self) -> str:
        return f"{type(self).__name__}({len(self.rows)} rows, columns={self.columns})"
