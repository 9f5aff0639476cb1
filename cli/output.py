"""Format rows for people (table) and programs (JSON, CSV)."""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import shutil
import sys
import textwrap
from typing import TYPE_CHECKING, Any, Callable, Iterable, Sequence

import click

if TYPE_CHECKING:
    from coopgraph.queries.report import Report

FORMATS = ("table", "json", "csv", "nl")

#: the codec error handler that spells characters an output encoding lacks in ASCII (see :func:`ascii_fallback`)
ASCII_FALLBACK = "coopgraph-ascii"
_ASCII = {"→": "->", "←": "<-", "…": "...", "–": "-", "—": "-", "“": '"', "”": '"', "‘": "'", "’": "'",
          "§": "sect. ", "×": "x", "\u00a0": " ", "≥": ">=", "≤": "<="}


def ascii_fallback(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: ``→`` as ``->``, ``…`` as ``...``, other characters the encoding lacks as ``?``.

    >>> "Su-27 → J-11 (1992–2006)".encode("ascii", errors=ASCII_FALLBACK)
    b'Su-27 -> J-11 (1992-2006)'
    """
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text = error.object[error.start:error.end]
    return "".join(_ASCII.get(ch, "?") for ch in text), error.end


codecs.register_error(ASCII_FALLBACK, ascii_fallback)


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


_ID = re.compile(r"^[a-z][a-z0-9_]*:\S+$")


def terminal_width() -> int | None:
    """The width of the terminal standard output is, or ``None`` when it is a pipe or a file.

    Output that is not a terminal is never shortened nor wrapped: a table written to a
    file or piped to ``grep`` keeps every character.
    """
    try:
        if not sys.stdout.isatty():
            return None
    except (AttributeError, ValueError):
        return None
    return shutil.get_terminal_size((80, 24)).columns


def _is_id_column(texts: Sequence[str]) -> bool:
    return any(_ID.match(text) for text in texts if text)


def _wrap_cell(text: str, size: int) -> list[str]:
    # words are never cut (an id, a name with hyphens stays whole); a word longer than the column overflows it
    return textwrap.wrap(text, width=max(size, 1), break_long_words=False, break_on_hyphens=False) or [""]


def table(rows: Sequence[dict[str, Any]], columns: Sequence[str] | None = None, width: int | None = None) -> str:
    """Render rows as an aligned text table; nothing is ever cut.

    ``width`` (default: the terminal's when standard output is one, else no limit)
    is met by wrapping the widest text columns onto more lines, at spaces; columns
    holding ids (``firm:rostec``) and single words are never narrowed, so an id
    can always be copied into the next command.

    >>> print(table([{"id": "firm:rostec", "name": "Rostec"}]))
    id           name
    -----------  ------
    firm:rostec  Rostec
    >>> print(table([{"id": "firm:rostec", "name": "State Corporation Rostec"}], width=30))
    id           name
    -----------  -----------------
    firm:rostec  State Corporation
                 Rostec
    """
    if not rows:
        return "(no rows)"
    columns = list(columns or rows[0].keys())
    width = width if width is not None else terminal_width()
    cells = [[cell_text(row.get(col)) for col in columns] for row in rows]
    widths = [max([len(col)] + [len(r[i]) for r in cells]) for i, col in enumerate(columns)]
    if width:
        budget = width - 2 * (len(columns) - 1)
        floor = []
        for i, col in enumerate(columns):
            texts = [r[i] for r in cells]
            if _is_id_column(texts):
                floor.append(widths[i])
            else:
                longest_word = max((len(w) for t in texts + [col] for w in t.split()), default=1)
                floor.append(min(widths[i], max(longest_word, min(len(col), 12))))
        while sum(widths) > budget:
            # narrow the widest column that can still give, so the wrapped columns end up alike
            shrinkable = [i for i in range(len(widths)) if widths[i] > floor[i]]
            if not shrinkable:
                break
            widest = max(shrinkable, key=lambda i: widths[i])
            widths[widest] -= 1

    def block(texts: Sequence[str]) -> list[str]:
        wrapped = [_wrap_cell(text, widths[i]) if len(text) > widths[i] else [text] for i, text in enumerate(texts)]
        height = max(len(w) for w in wrapped)
        return ["  ".join((w[n] if n < len(w) else "").ljust(widths[i]) for i, w in enumerate(wrapped)).rstrip()
                for n in range(height)]

    lines = block(columns)
    lines.append("  ".join("-" * w for w in widths))
    for row in cells:
        lines.extend(block(row))
    return "\n".join(lines)


#: orjson writes what ``json.dumps(data, ensure_ascii=False, indent=2, default=str)`` writes, byte for byte
#: (datetimes and dataclasses go to ``str`` as there), about twenty times faster: a report of a
#: hundred thousand rows is printed in a fraction of a second rather than in ten
_JSON_OPTIONS = None


def to_json(data: Any) -> str:
    """Indented JSON, UTF-8 as it is; what JSON cannot hold is written as its ``str``.

    >>> print(to_json({"name": "Су-27", "when": __import__("datetime").date(1992, 1, 1), "ids": (1,)}))
    {
      "name": "Су-27",
      "when": "1992-01-01",
      "ids": [
        1
      ]
    }
    """
    import orjson

    global _JSON_OPTIONS
    if _JSON_OPTIONS is None:
        _JSON_OPTIONS = (orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME
                         | orjson.OPT_PASSTHROUGH_DATACLASS)
    return orjson.dumps(data, default=str, option=_JSON_OPTIONS).decode("utf-8")


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
