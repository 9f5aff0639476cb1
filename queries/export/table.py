"""Claims as a spreadsheet: one row per claim and citation (CSV), plus entities and documents (xlsx).

Columns of the claims table (:data:`CLAIM_COLUMNS`): the claim id, subject and
object with their names and types, relation, dates, status, confidence,
quantity, value, key, notes, attributes (JSON text), its deal, and one citation: its
number among the claim's citations, document, document title and date,
locator, quote. A claim with three citations is three rows that share the
claim columns.

The deal columns: ``deal`` is the deal (transfer) the claim is one side of, so
that a pivot on it groups a transfer's claims: the deal the claim names, or for a
``supplies``/``transferred_to``/``licensed_to`` claim that names none its implied
deal (``deal:auto-...``, with ``deal_implied`` true). ``deal_item``,
``deal_supplier``, ``deal_recipient``, ``deal_variant``, ``deal_name`` and
``deal_notes`` repeat the dataset's ``deals`` record of that deal, when it has one.

``.csv`` holds that one table (UTF-8, a header row). ``.xlsx`` holds it on a
sheet ``claims`` and adds the sheets ``entities``, ``documents`` and ``deals``
(the ``deals`` records), so :func:`read_table` gives back the whole dataset. Text is stored as text, never
as a formula, even when it starts with ``=``. Both are written row by row to a
temporary file that replaces ``path`` only when complete.

Cells a spreadsheet would run as a formula (text starting with ``=``, ``+``, ``-``,
``@``, a tab, a carriage return or a line feed: OWASP's list for CSV injection, with
their full-width forms) are neutralised, so that opening an export never runs
``=cmd|' /C calc'!A0`` or ``=HYPERLINK(...)`` from a source: in CSV such a cell gets
a leading ``'`` (and a cell that starts with ``'`` gets a second one, so
:func:`read_table` takes exactly one off and gets the text back); in XLSX the cell
keeps its text and is marked "quote prefix", Excel's own way of saying "text, not a
formula". ``raw=True`` (``coopgraph export csv|xlsx --raw-cells``) writes them as
they are. The Neo4j CSV export is for ``neo4j-admin``, not spreadsheets, and keeps
every value exact.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterator

from coopgraph.graph.errors import CoopgraphError
from coopgraph.graph.model import Citation, Claim, Dataset, Deal, Document, Entity, Value
from coopgraph.graph.neo4j_model import claim_deal
from coopgraph.graph.schema import Schema, load_schema
from coopgraph.queries.export._write import atomic_output
from coopgraph.queries.export._write import Progress, counted

CLAIM_COLUMNS = (
    "claim_id", "subject", "subject_name", "subject_type", "relation", "object", "object_name", "object_type",
    "date", "start", "end", "circa", "status", "confidence", "quantity", "unit", "value_amount", "value_currency",
    "value_estimate", "key", "notes", "attributes", "deal", "deal_implied", "deal_item", "deal_supplier",
    "deal_recipient", "deal_variant", "deal_name", "deal_notes", "citation", "document", "document_title",
    "document_date", "locator", "quote",
)
ENTITY_COLUMNS = ("id", "type", "name", "aliases", "country", "description", "wikidata", "attributes")
DOCUMENT_COLUMNS = ("id", "title", "date", "author", "publisher", "url", "kind")
DEAL_COLUMNS = ("id", "item", "supplier", "recipient", "variant", "name", "notes")
_DEAL_RECORD_COLUMNS = ("deal_item", "deal_supplier", "deal_recipient", "deal_variant", "deal_name", "deal_notes")


def claim_rows(data: Dataset, progress: Progress | None = None, schema: Schema | None = None) -> Iterator[dict[str, Any]]:
    """One mapping per claim and citation, keyed by :data:`CLAIM_COLUMNS`, in claim-id order.

    Examples
    --------
    >>> ds = Dataset(documents={"d": Document("d", "Report", "2020")},
    ...              entities={"firm:a": Entity("firm:a", "firm", "A"), "system:x": Entity("system:x", "weapon_system", "X")})
    >>> c = Claim("firm:a", "manufactures", "system:x", date="2001",
    ...           citations=(Citation("d", "p. 1", "A makes X"), Citation("d", "p. 9", "X is made by A")))
    >>> ds.claims[c.id] = c
    >>> [(r["citation"], r["locator"], r["subject_name"]) for r in claim_rows(ds)]
    [(1, 'p. 1', 'A'), (2, 'p. 9', 'A')]
    """
    roles = (schema or load_schema()).deal_relations
    for cid, claim in counted(sorted(data.claims.items()), len(data.claims), "claims", progress):
        subject, obj = data.entities.get(claim.subject), data.entities.get(claim.object)
        value = claim.value
        deal = claim.deal or claim_deal(claim, roles)
        record = data.deals.get(deal) if deal else None
        base = {
            "claim_id": cid, "subject": claim.subject, "subject_name": subject.name if subject else None,
            "subject_type": subject.type if subject else None, "relation": claim.relation, "object": claim.object,
            "object_name": obj.name if obj else None, "object_type": obj.type if obj else None,
            "date": claim.date, "start": claim.start, "end": claim.end, "circa": claim.circa, "status": claim.status,
            "confidence": claim.confidence, "quantity": claim.quantity, "unit": claim.unit,
            "value_amount": value.amount if value else None, "value_currency": value.currency if value else None,
            "value_estimate": value.estimate if value else None, "key": claim.key, "notes": claim.notes,
            "attributes": json.dumps(claim.attributes, ensure_ascii=False) if claim.attributes else None,
            "deal": deal, "deal_implied": None if deal is None else claim.deal is None,
            **dict(zip(_DEAL_RECORD_COLUMNS, (record.item, record.supplier, record.recipient, record.variant,
                                              record.name, record.notes) if record else (None,) * 6)),
        }
        for number, citation in enumerate(claim.citations or (None,), start=1):
            doc = data.documents.get(citation.document) if citation else None
            yield {**base, "citation": number if citation else None,
                   "document": citation.document if citation else None,
                   "document_title": doc.title if doc else None, "document_date": doc.date if doc else None,
                   "locator": citation.locator if citation else None, "quote": citation.quote if citation else None}


def entity_rows(data: Dataset) -> Iterator[dict[str, Any]]:
    """One mapping per entity, keyed by :data:`ENTITY_COLUMNS`; aliases and attributes as JSON text."""
    for entity in sorted(data.entities.values(), key=lambda e: e.id):
        yield {"id": entity.id, "type": entity.type, "name": entity.name,
               "aliases": json.dumps(list(entity.aliases), ensure_ascii=False) if entity.aliases else None,
               "country": entity.country, "description": entity.description, "wikidata": entity.wikidata,
               "attributes": json.dumps(entity.attributes, ensure_ascii=False) if entity.attributes else None}


def document_rows(data: Dataset) -> Iterator[dict[str, Any]]:
    """One mapping per document, keyed by :data:`DOCUMENT_COLUMNS`."""
    for doc in sorted(data.documents.values(), key=lambda d: d.id):
        yield doc.to_dict()


def deal_rows(data: Dataset) -> Iterator[dict[str, Any]]:
    """One mapping per ``deals`` record, keyed by :data:`DEAL_COLUMNS` (implied deals have none)."""
    for deal in sorted(data.deals.values(), key=lambda d: d.id):
        yield deal.to_dict()


def claims_frame(data: Dataset):
    """The claims table as a pandas ``DataFrame`` (for use from Python).

    >>> claims_frame(Dataset()).columns[:3].tolist()
    ['claim_id', 'subject', 'subject_name']
    """
    import pandas as pd

    return pd.DataFrame(list(claim_rows(data)), columns=list(CLAIM_COLUMNS))


#: first characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection), and full-width forms
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def formula_like(value: Any) -> bool:
    """True for text a spreadsheet would take for a formula.

    >>> formula_like("=HYPERLINK('http://x')"), formula_like("@SUM(1)"), formula_like("Su-27"), formula_like(-1)
    (True, True, False, False)
    """
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def spreadsheet_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet shows as text: ``'`` before a formula-like text (and before a leading ``'``).

    >>> spreadsheet_cell("=cmd|' /C calc'!A0"), spreadsheet_cell("'quoted"), spreadsheet_cell("plain"), spreadsheet_cell(2.5)
    ("'=cmd|' /C calc'!A0", "''quoted", 'plain', '2.5')
    """
    value = csv_cell(value)
    if isinstance(value, str) and (value.startswith("'") or formula_like(value)):
        return "'" + value
    return value


def _unguard(value: Any) -> Any:
    """What :func:`spreadsheet_cell` wrote, back: one leading ``'`` off."""
    return value[1:] if isinstance(value, str) and value.startswith("'") else value


def csv_cell(value: Any) -> Any:
    """A value as a CSV cell: empty for ``None``, ``true``/``false``, floats exactly (``repr``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return value


def write_csv(data: Dataset, path: str | os.PathLike, progress: Progress | None = None, *,
              raw: bool = False) -> dict[str, int]:
    """Write the claims table as CSV to ``path`` (``-`` for standard output), atomically.

    Formula-like cells get a leading ``'`` (:func:`spreadsheet_cell`) unless ``raw``.

    Returns
    -------
    dict
        ``rows`` and ``claims`` written.

    Examples
    --------
    >>> import tempfile, pathlib, pandas as pd
    >>> ds = Dataset(entities={"firm:a": Entity("firm:a", "firm", "A, Inc."), "system:x": Entity("system:x", "weapon_system", "X")})
    >>> c = Claim("firm:a", "manufactures", "system:x", citations=(Citation("d", "p. 1", 'A "makes" X'),))
    >>> ds.claims[c.id] = c
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "claims.csv"
    >>> write_csv(ds, target)
    {'rows': 1, 'claims': 1}
    >>> pd.read_csv(target).loc[0, ["subject_name", "quote"]].tolist()
    ['A, Inc.', 'A "makes" X']
    """
    counts = {"rows": 0, "claims": len(data.claims)}
    cell = csv_cell if raw else spreadsheet_cell
    with atomic_output(path) as out:
        writer = CsvWriter(out)
        writer.writerow(CLAIM_COLUMNS)
        for row in claim_rows(data, progress):
            writer.writerow([cell(row[c]) for c in CLAIM_COLUMNS])
            counts["rows"] += 1
    return counts


class CsvWriter:
    r"""``csv.writer`` with ``\n`` line ends that also keeps a bare carriage return inside its cell.

    The csv module quotes a cell holding ``\n`` but not one holding only ``\r``, which
    readers take for the end of the row; such a row is written with every cell quoted.

    >>> import io
    >>> out = io.StringIO()
    >>> CsvWriter(out).writerow(["a\rb", 1])
    >>> out.getvalue()
    '"a\rb","1"\n'
    """

    def __init__(self, handle) -> None:
        self._plain = csv.writer(handle, lineterminator="\n")
        self._quoted = csv.writer(handle, lineterminator="\n", quoting=csv.QUOTE_ALL)

    def writerow(self, row) -> None:
        (self._quoted if any(isinstance(c, str) and "\r" in c for c in row) else self._plain).writerow(row)


def write_xlsx(data: Dataset, path: str | os.PathLike, progress: Progress | None = None, *,
               raw: bool = False) -> dict[str, int]:
    """Write an Excel workbook (sheets ``claims``, ``entities``, ``documents``, ``deals``) to ``path``, atomically.

    Every text is a text cell; formula-like ones are also marked "quote prefix" unless ``raw``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> ds = Dataset(entities={"firm:a": Entity("firm:a", "firm", "=SUM(A1)")})
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "g.xlsx"
    >>> write_xlsx(ds, target)
    {'rows': 0, 'claims': 0, 'entities': 1, 'documents': 0, 'deals': 0}
    >>> read_table(target).entities["firm:a"].name
    '=SUM(A1)'
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils.exceptions import IllegalCharacterError

    if str(path) == "-":
        raise CoopgraphError("an xlsx workbook cannot go to standard output; give a file name")
    counts = {"rows": 0, "claims": len(data.claims), "entities": 0, "documents": 0, "deals": 0}
    book = Workbook(write_only=True)
    sheets = (("claims", CLAIM_COLUMNS, claim_rows(data, progress), "rows"),
              ("entities", ENTITY_COLUMNS, entity_rows(data), "entities"),
              ("documents", DOCUMENT_COLUMNS, document_rows(data), "documents"),
              ("deals", DEAL_COLUMNS, deal_rows(data), "deals"))
    with atomic_output(path, "wb") as out:
        try:
            for title, columns, rows, counter in sheets:
                sheet = book.create_sheet(title)
                sheet.freeze_panes = "A2"
                sheet.append(list(columns))
                for row in rows:
                    cells = []
                    for column in columns:
                        value = row[column]
                        cell = WriteOnlyCell(sheet)
                        try:
                            cell.value = value
                        except IllegalCharacterError:
                            raise CoopgraphError(f"{title} {row.get('claim_id') or row.get('id')}: {column} holds a "
                                                 "control character a spreadsheet cannot carry") from None
                        if isinstance(value, str):
                            cell.data_type = "s"  # text stays text, even "=..."
                            if not raw and formula_like(value):
                                cell.quotePrefix = True  # ... and stays text when someone edits the cell
                        cells.append(cell)
                    sheet.append(cells)
                    counts[counter] += 1
        except BaseException:
            for sheet in book.worksheets:  # finish the sheets' temporary files quietly; the target stays untouched
                with contextlib.suppress(Exception):
                    sheet.close()
            raise
        book.save(out)
    return counts


# --- reading ----------------------------------------------------------------------


def _none(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, float) and value != value:  # NaN from pandas
        return None
    if isinstance(value, str) and value == "":
        return None
    return value


def _bool(value: Any) -> bool:
    value = _none(value)
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    return bool(value)


def _claims_from_rows(rows: list[dict[str, Any]], data: Dataset) -> None:
    for row in rows:
        row = {k: _none(v) for k, v in row.items()}
        if row.get("claim_id") is None:
            continue
        amount = row.get("value_amount")
        quantity = row.get("quantity")
        claim = Claim(
            subject=row["subject"], relation=row["relation"], object=row["object"],
            date=_str(row.get("date")), start=_str(row.get("start")), end=_str(row.get("end")),
            circa=_bool(row.get("circa")), status=row.get("status") or "reported",
            confidence=float(row["confidence"]) if row.get("confidence") is not None else 0.8,
            quantity=None if quantity is None else int(quantity), unit=row.get("unit"),
            value=None if amount is None else Value(float(amount), row.get("value_currency") or "",
                                                    _bool(row.get("value_estimate"))),
            key=_str(row.get("key")), notes=row.get("notes"),
            attributes=json.loads(row["attributes"]) if row.get("attributes") else {},
            deal=None if _bool(row.get("deal_implied")) else _str(row.get("deal")),
        )
        if claim.id != row["claim_id"]:
            raise CoopgraphError(f"claim {row['claim_id']} does not match its columns (they give {claim.id})")
        known = data.claims.get(claim.id)
        citations = known.citations if known else ()
        if row.get("document") is not None:
            citations += (Citation(row["document"], _str(row["locator"]), _str(row["quote"])),)
        data.claims[claim.id] = replace(claim, citations=citations)
        for side in ("subject", "object"):
            eid = row[side]
            if eid not in data.entities and row.get(f"{side}_name") is not None:
                data.entities[eid] = Entity(eid, row[f"{side}_type"], _str(row[f"{side}_name"]))
        doc_id = row.get("document")
        if doc_id is not None and doc_id not in data.documents and row.get("document_title") is not None:
            data.documents[doc_id] = Document(doc_id, _str(row["document_title"]), _str(row["document_date"]))
        if claim.deal is not None and row.get("deal_item") is not None and claim.deal not in data.deals:
            data.deals[claim.deal] = Deal(claim.deal, *(_str(row.get(c)) for c in _DEAL_RECORD_COLUMNS))


def _str(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def read_table(path: str | os.PathLike) -> Dataset:
    """Read a table written by :func:`write_csv` or :func:`write_xlsx` back into a :class:`Dataset`.

    From an xlsx workbook everything comes back. From CSV the claims come back
    whole, the entities and documents with only what the claim rows carry (id,
    type and name; id, title and date), and the ``deals`` records of the deals
    some claim belongs to. Implied deals never become records. Not validated:
    pass the result through the loaders before a store.
    """
    path = Path(path)
    data = Dataset()
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True, data_only=False)
        sheets = {}
        for name in ("claims", "entities", "documents", "deals"):
            if name not in book.sheetnames:  # a workbook from before deals
                sheets[name] = []
                continue
            rows = book[name].iter_rows(values_only=True)
            header = next(rows)
            sheets[name] = [{h: (r[i] if i < len(r) else None) for i, h in enumerate(header)} for r in rows]
        book.close()
        for row in sheets["documents"]:
            row = {k: _str(_none(v)) for k, v in row.items()}
            data.documents[row["id"]] = Document(**row)
        for row in sheets["entities"]:
            row = {k: _none(v) for k, v in row.items()}
            data.entities[row["id"]] = Entity(
                row["id"], row["type"], _str(row["name"]), tuple(json.loads(row["aliases"] or "[]")),
                row.get("country"), _str(row.get("description")), row.get("wikidata"),
                json.loads(row["attributes"]) if row.get("attributes") else {})
        for row in sheets["deals"]:
            row = {k: _str(_none(v)) for k, v in row.items()}
            data.deals[row["id"]] = Deal(**row)
        _claims_from_rows(sheets["claims"], data)
    else:
        with open(path, encoding="utf-8", newline="") as fh:
            _claims_from_rows([{k: _unguard(v) for k, v in row.items()} for row in csv.DictReader(fh)], data)
    data.documents = dict(sorted(data.documents.items()))
    data.entities = dict(sorted(data.entities.items()))
    data.claims = dict(sorted(data.claims.items()))
    data.deals = dict(sorted(data.deals.items()))
    return data
