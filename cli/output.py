"""Format rows for people (table) and programs (JSON, CSV)."""

from __future__ import annotations

import csv
import io
import json
import shutil
from typing import TYPE_CHECKING, Any, Callable, Iterable, Sequence

import click

if TYPE_CHECKING:
    from coopgraph.queries.report import Report

FORMATS = ("table", "json", "csv", "nl")


def cell_text(value: Any) -> str:
    """A value as one line of text: lists joined, numbers trimmed, ``None`` empty.

    >>> cell_text(["a", "b"]), cell_text(0.8), cell_text(None)
    ('a; b', '0.8', '')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (list, tuple)):
        return "; ".join(cell_text(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return " ".join(str(value).split())


def table(rows: Sequence[dict[str, Any]], columns: Sequence[str] | None = None, width: int | None = None) -> str:
    """Render rows as an aligned text table that fits ``width`` columns.

    The widest columns are shortened (ending in ``…``) until the table fits.

    >>> print(table([{"id": "firm:rostec", "name": "Rostec"}]))
    id           name
    -----------  ------
    firm:rostec  Rostec
    """
    if not rows:
        return "(no rows)"
    columns = list(columns or rows[0].keys())
    width = width or shutil.get_terminal_size((80, 24)).columns
    cells = [[cell_text(row.get(col)) for col in columns] for row in rows]
    widths = [max([len(col)] + [len(r[i]) for r in cells]) for i, col in enumerate(columns)]
    budget = width - 2 * (len(columns) - 1)
    floor = [min(max(len(col), 6), widths[i]) for i, col in enumerate(columns)]
    while sum(widths) > budget:
        widest = max(range(len(widths)), key=lambda i: widths[i] - floor[i])
        if widths[widest] <= floor[widest]:
            break
        widths[widest] -= 1

    def fit(text: str, size: int) -> str:
        return text if len(text) <= size else text[: max(size - 1, 0)] + "…"

    lines = ["  ".join(fit(col, widths[i]).ljust(widths[i]) for i, col in enumerate(columns)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in cells:
        lines.append("  ".join(fit(text, widths[i]).ljust(widths[i]) for i, text in enumerate(row)).rstrip())
    return "\n".join(lines)


def to_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)


def to_csv(rows: Iterable[dict[str, Any]], columns: Sequence[str] | None = None) -> str:
    """CSV with a header; lists and mappings become JSON text so nothing is lost.

    With no rows: the header alone when the columns are known, else nothing.
    """
    rows = list(rows)
    buffer = io.StringIO()
    if not rows and not columns:
        return ""
    columns = list(columns or rows[0].keys())
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        out = []
        for col in columns:
            value = row.get(col)
            if isinstance(value, (list, dict)):
                out.append(json.dumps(value, ensure_ascii=False))
            elif value is None:
                out.append("")
            else:
                out.append(value)
        writer.writerow(out)
    return buffer.getvalue()


def to_nl(rows: Iterable[dict[str, Any]]) -> str:
    """One JSON object per line (newline-delimited JSON), as ``sqlite-utils --nl`` writes.

    >>> print(to_nl([{"a": 1}, {"a": 2}]))
    {"a": 1}
    {"a": 2}
    """
    return "\n".join(json.dumps(row, ensure_ascii=False, default=str) for row in rows)


def output(report: Report, fmt: str, text: Callable[[Report], str] | None = None) -> None:
    """Print ``report`` in ``fmt``: the one place a report becomes a table, JSON, CSV or JSON lines.

    JSON prints the report's document; CSV and JSON lines its rows; a table either
    ``text(report)`` (a report drawn its own way, such as chains) or the rows'
    ``table_columns`` followed by the notes, or the report's ``empty`` message.
    """
    if fmt == "json":
        click.echo(to_json(report.document))
    elif fmt == "csv":
        click.echo(to_csv(report.rows, report.columns).rstrip("\n"))
    elif fmt == "nl":
        if report.rows:
            click.echo(to_nl(report.rows))
    elif not report.rows and report.empty and text is None:
        click.echo(report.empty)
    else:
        click.echo(text(report) if text is not None else table(report.rows, report.table_columns or report.columns))
        for note in report.notes:
            click.echo(note)


def short_citation(citation: dict[str, str]) -> str:
    """``csis-2020-mtc-primer`` + ``endnote 20`` -> ``csis-2020-mtc-primer en.20``."""
    locator = citation["locator"].replace("endnote ", "en.").replace("section ", "§")
    return f"{citation['document']} {locator}"
