"""Import a SIPRI Arms Transfers Database trade register (its CSV/text export).

The export starts with preamble lines (what was selected, the terms, ``Data
generated: 13 Oct 2024 2:20:11 PM``) before the header line
``Recipient,Supplier,Year of order, ,Number ordered, ,...``; the unnamed ``' '``
columns hold ``?`` flags for the column before them. The file is often Latin-1,
and a record may be broken over two physical lines by an unquoted newline in
its comments; this reader detects the header, decodes, and re-joins such lines.

Each row becomes claims, cited to the register (a ``register`` document
published by SIPRI, dated from ``Data generated``) with the physical line as
locator and the row's text as quote:

- ``supplier --supplies--> system`` and ``system --transferred_to--> recipient``
  at the order year, status ``contracted``, quantity = number ordered;
- the same two at the delivery years (``date``, or ``start``/``end`` when
  deliveries span years), quantity = number delivered, status ``delivered``
  when all were delivered, ``in_progress`` when fewer were delivered and the
  last delivery is recent.

``?`` flags and ``(2014)``-style years are kept: ``circa`` for dates, an
``*_uncertain`` attribute and a note for numbers, and confidence 0.6 instead
of 0.8. TIV values, the weapon description, condition and comments go to
``attributes``. Weapon designations resolve to existing ``weapon_system`` or
``technology`` entities by name or alias, else become ``system:<slug>``;
states resolve by name or alias, else become ``state:<slug>``.

Examples
--------
>>> import tempfile, pathlib
>>> from coopgraph.graph.model import Dataset, Entity
>>> from coopgraph.loaders.resolve_names import NameIndex
>>> path = pathlib.Path(tempfile.mkdtemp()) / "trade-register.csv"
>>> _ = path.write_bytes(('Source: SIPRI Arms Transfers Database (c) SIPRI.\\n'
...     'Data generated: 13 Oct 2024 2:20:11 PM\\n'
...     'Recipient,Supplier,Year of order, ,Number ordered, ,Weapon designation,Weapon description,'
...     'Number delivered, ,Year(s) of delivery,status,Comments,SIPRI TIV per unit,SIPRI TIV for total order,'
...     'SIPRI TIV of delivered weapons\\n'
...     'China,Russia,2015,,24,,Su-35,FGA aircraft,24,,2016; 2017; 2018,New,$2.5 b deal,50,1200,1200\\n').encode("latin-1"))
>>> index = NameIndex(Dataset(entities={"state:russia": Entity("state:russia", "state", "Russian Federation", ("Russia",))}))
>>> records, report = read_sipri(path, index)
>>> [(r.data["relation"], r.data.get("date") or (r.data["start"], r.data["end"]), r.data["status"])
...  for r in records if r.kind == "claims"]  # doctest: +NORMALIZE_WHITESPACE
[('supplies', '2015', 'contracted'), ('transferred_to', '2015', 'contracted'),
 ('supplies', ('2016', '2018'), 'delivered'), ('transferred_to', ('2016', '2018'), 'delivered')]
>>> report.resolved, [c[0] for c in report.created]
({'Russia': 'state:russia'}, ['system:su-35', 'state:china'])
"""

from __future__ import annotations

import csv
import datetime as _dt
import re
from pathlib import Path

from coopgraph.graph.errors import Problem, ValidationError
from coopgraph.graph.model import Entity
from coopgraph.loaders.records import RawRecord
from coopgraph.loaders.resolve_names import ImportReport, NameIndex, loose_date, short_hash, slugify

SUPPLIER_TYPES = ("state", "firm", "gov_body", "armed_service", "research_institute")
RECIPIENT_TYPES = ("state", "gov_body", "armed_service", "firm", "research_institute", "program")
ITEM_TYPES = ("weapon_system", "technology")
UNCERTAIN_CONFIDENCE = 0.6

# header name (case-insensitive) -> our field; the ' ' column after a flagged one is its '?' flag
COLUMNS = {
    "recipient": "recipient", "supplier": "supplier", "year of order": "order_year",
    "number ordered": "ordered", "weapon designation": "designation", "weapon description": "description",
    "number delivered": "delivered", "year(s) of delivery": "delivery_years", "status": "condition",
    "comments": "comments", "sipri tiv per unit": "tiv_per_unit", "sipri tiv for total order": "tiv_total_order",
    "sipri tiv of delivered weapons": "tiv_delivered",
}
REQUIRED = ("recipient", "supplier", "order_year", "designation")
FLAGGED = ("order_year", "ordered", "delivered")
DOCUMENT_URL = "https://www.sipri.org/databases/armstransfers"


def decode(raw: bytes) -> str:
    """UTF-8 when the bytes are UTF-8, else Windows-1252, else Latin-1 (never fails).

    >>> decode("Alizé".encode("latin-1")), decode("Alizé".encode("utf-8"))
    ('Alizé', 'Alizé')
    """
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def find_header(lines: list[str]) -> int | None:
    """Index of the header line: the first naming Recipient, Supplier and a weapon designation.

    >>> find_header(["Source: SIPRI", "Recipient,Supplier,Year of order,Weapon designation", "China,..."])
    1
    """
    for number, line in enumerate(lines[:200]):
        cells = {c.strip().lower() for c in next(csv.reader([line]), [])}
        if {"recipient", "supplier", "weapon designation"} <= cells:
            return number
    return None


def generated_date(lines: list[str]) -> str | None:
    """The ISO date of the preamble's ``Data generated:`` line.

    >>> generated_date(["Data generated: 13 Oct 2024 2:20:11 PM"])
    '2024-10-13'
    """
    for line in lines:
        match = re.match(r"\s*Data generated:\s*(\d{1,2} \w{3} \d{4})", line)
        if match:
            try:
                return _dt.datetime.strptime(match.group(1), "%d %b %Y").date().isoformat()
            except ValueError:
                return None
    return None


def _records_of(lines: list[str], start: int, width: int, name: str, problems: list[Problem]):
    """Yield ``(first line, last line, cells, text)``; lines broken by an unquoted newline are re-joined."""
    buffer: list[str] = []
    first = 0
    for number in range(start, len(lines)):
        line = lines[number]
        if not buffer and not line.strip():
            continue
        if not buffer:
            first = number
        buffer.append(line)
        text = " ".join(part.strip("\r") for part in buffer)
        try:
            cells = next(csv.reader([text]), [])
        except csv.Error as exc:
            problems.append(Problem(name, first + 1, None, f"not valid CSV: {exc}", "check the quoting of this record"))
            buffer = []
            continue
        if len(cells) < width and len(buffer) < 4:
            continue
        if len(cells) != width:
            problems.append(Problem(name, first + 1, None,
                                    f"a record of {len(cells)} cells (lines {first + 1}-{number + 1}), but the header has {width}",
                                    "re-export the register, or repair the line so it has one cell per header column"))
            buffer = []
            continue
        yield first + 1, number + 1, [c.strip() for c in cells], text
        buffer = []
    if buffer:
        problems.append(Problem(name, first + 1, None, f"the file ends inside a record of {len(next(csv.reader([' '.join(buffer)]), []))} cells; the header has {width}",
                                "the file is truncated: export it again"))


def _column_map(header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for i, cell in enumerate(header):
        key = COLUMNS.get(" ".join(cell.split()).lower())
        if key and key not in found:
            found[key] = i
            if key in FLAGGED and i + 1 < len(header) and not header[i + 1].strip():
                found[key + "_flag"] = i + 1
    return found


def _number(text: str, row: int, column: str, name: str, problems: list[Problem], integer: bool = True):
    if text == "":
        return None, False
    uncertain = text.startswith("(") or text.endswith("?")
    clean = text.strip("()? ").replace(",", "")
    try:
        return (int(clean) if integer else float(clean)), uncertain
    except ValueError:
        problems.append(Problem(name, row, column, f"'{text}' is not a {'whole number' if integer else 'number'}",
                                "write digits only (a '?' flag belongs in the unnamed column after it)"))
        return None, False


class _Entities:
    """Resolve or create the states and systems a register names; each created once."""

    def __init__(self, index: NameIndex, report: ImportReport, name: str):
        self.index, self.report, self.name = index, report, name
        self.new: dict[str, Entity] = {}

    def get(self, text: str, types: tuple[str, ...], create_type: str, where: str,
            attributes: dict | None = None) -> str:
        found = self.index.resolve(text, types)
        if found.id:
            if found.id not in self.new:
                self.report.resolved[text] = found.id
            return found.id
        if found.ambiguous:
            choice = found.candidates[0]
            self.report.unresolved.append((text, where, f"ambiguous ({', '.join(found.candidates)}); used {choice}; "
                                                        "record a decision with 'coopgraph merge'"))
            return choice
        prefix = self.index.schema.entity_type(create_type).prefix
        slug = slugify(text) or "x-" + short_hash(text)
        eid = self.index.canonical(f"{prefix}:{slug}")
        if eid in self.index.entities:  # same slug, other spelling: the same thing
            self.index.add_name(eid, text)
            if eid in self.new and text not in self.new[eid].names:
                entity = self.new[eid]
                self.new[eid] = Entity(entity.id, entity.type, entity.name, entity.aliases + (text,),
                                       attributes=entity.attributes)
            elif eid not in self.new:
                self.report.resolved[text] = eid
            return eid
        entity = Entity(eid, create_type, text, attributes=attributes or {})
        self.new[eid] = entity
        self.index.add(entity)
        self.report.created.append((eid, text, f"not in the store ({where})"))
        return eid


def _party(text: str) -> tuple[str, str]:
    """SIPRI marks non-state armed groups with ``*`` and international organisations with ``**``."""
    if text.endswith("**"):
        return text.rstrip("*").strip(), "gov_body"
    if text.endswith("*"):
        return text.rstrip("*").strip(), "armed_service"
    return text, "state"


def read_sipri(path: str | Path, index: NameIndex, *, doc_id: str | None = None) -> tuple[list[RawRecord], ImportReport]:
    """Read a SIPRI trade register into raw records (a document, new entities, claims).

    Parameters
    ----------
    path : path
        The register export (CSV/text; Latin-1 or UTF-8).
    index : NameIndex
        Existing entities and merge decisions; new entities are added to it.
    doc_id : str, optional
        Id of the register document (default ``sipri-trade-register-<generated date>``).

    Returns
    -------
    (records, report)
        Records still to validate, and what became of each name and row.

    Raises
    ------
    ValidationError
        For a file without a header, or rows with unreadable years or numbers:
        every problem with its line, column and a fix.
    """
    path = Path(path)
    name = str(path)
    report = ImportReport("sipri", name)
    if not path.is_file():
        raise ValidationError([Problem(name, None, None, "no such file", "check the path")])
    lines = decode(path.read_bytes()).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    head = find_header(lines)
    if head is None:
        raise ValidationError([Problem(name, None, None, "no header line naming Recipient, Supplier and Weapon designation",
                                       "give the SIPRI trade register export as downloaded (CSV), preamble and all")])
    header = next(csv.reader([lines[head]]))
    columns = _column_map(header)
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        wanted = {v: k for k, v in COLUMNS.items()}
        raise ValidationError([Problem(name, head + 1, wanted[m], "column missing from the header",
                                       "export the trade register with all its columns") for m in missing])
    generated = generated_date(lines[:head])
    problems: list[Problem] = []
    if generated is None:
        problems.append(Problem(name, None, "Data generated", "no 'Data generated: DD Mon YYYY' line before the header",
                                "keep the preamble of the export; it dates the register"))
    title_line = next((ln.strip() for ln in lines[:head] if ln.strip()), "SIPRI trade register")
    doc = doc_id or f"sipri-trade-register-{generated or 'undated'}"
    records: list[RawRecord] = [RawRecord("documents", {
        "id": doc, "title": f"SIPRI Arms Transfers Database, trade register: {title_line}"[:300],
        "date": generated or "", "publisher": "Stockholm International Peace Research Institute (SIPRI)",
        "url": DOCUMENT_URL, "kind": "register"}, name, head + 1)]
    entities = _Entities(index, report, name)
    claims: list[RawRecord] = []
    by_name = {v: k for k, v in COLUMNS.items()}
    for first, last, cells, text in _records_of(lines, head + 1, len(header), name, problems):
        report.rows += 1
        row = {key: cells[i] for key, i in columns.items()}
        where = f"line {first}" if first == last else f"lines {first}-{last}"
        before = len(problems)
        for key in ("recipient", "supplier", "designation"):
            if not row.get(key):
                problems.append(Problem(name, first, by_name[key], "empty", f"every record needs a {by_name[key]}"))
        try:
            order = loose_date(row["order_year"]) if row.get("order_year") else None
        except ValueError:
            problems.append(Problem(name, first, "Year of order", f"'{row['order_year']}' is not a year",
                                    "write a year such as 2015, or (2015) when uncertain"))
            order = None
        try:
            delivery = loose_date(row.get("delivery_years", ""))
        except ValueError:
            problems.append(Problem(name, first, "Year(s) of delivery", f"'{row['delivery_years']}' is not a list of years",
                                    "write years separated by '; ', e.g. 2016; 2017"))
            delivery = None
        ordered, ordered_q = _number(row.get("ordered", ""), first, "Number ordered", name, problems)
        delivered, delivered_q = _number(row.get("delivered", ""), first, "Number delivered", name, problems)
        tiv = {}
        for key in ("tiv_per_unit", "tiv_total_order", "tiv_delivered"):
            value, _ = _number(row.get(key, ""), first, by_name[key], name, problems, integer=False)
            if value is not None:
                tiv[key] = value
        if len(problems) > before:
            continue
        order_q = bool(order and order.circa) or row.get("order_year_flag") == "?"
        ordered_q = ordered_q or row.get("ordered_flag") == "?"
        delivered_q = delivered_q or row.get("delivered_flag") == "?"
        recipient_name, recipient_type = _party(row["recipient"])
        supplier_name, supplier_type = _party(row["supplier"])
        system = entities.get(row["designation"], ITEM_TYPES, "weapon_system", where,
                              {"sipri_description": row["description"]} if row.get("description") else None)
        recipient = None
        if recipient_name.lower().startswith("unknown"):
            report.skipped.append((where, f"recipient '{row['recipient']}' names no one: no transferred_to claims"))
        else:
            recipient = entities.get(recipient_name, RECIPIENT_TYPES, recipient_type, where)
        supplier = None
        if supplier_name.lower().startswith("unknown"):
            report.skipped.append((where, f"supplier '{row['supplier']}' names no one: no supplies claims"))
        else:
            supplier = entities.get(supplier_name, SUPPLIER_TYPES, supplier_type, where)
        row_key = short_hash(*cells, length=12)
        cite = [{"document": doc, "locator": where, "quote": text}]
        common = {k: row[k] for k in ("description", "condition", "comments") if row.get(k)}
        common.update(tiv)
        common["sipri_row"] = row_key
        phases = []
        if order is not None:
            notes = []
            if order_q:
                notes.append("SIPRI marks the year of order as uncertain.")
            if ordered_q:
                notes.append("SIPRI marks the number ordered as uncertain.")
            if ordered is None:
                notes.append("SIPRI gives no number ordered (data not yet available).")
            phases.append(("order", {**order.fields(), "circa": order_q}, "contracted", ordered, order_q or ordered_q,
                           notes, {"number_ordered_uncertain": ordered_q} if ordered_q else {}))
        else:
            report.skipped.append((where, "no year of order: no contracted claims"))
        if delivery is not None and (delivered or 0) > 0:
            status, notes = _delivery_status(ordered, delivered, delivery, generated, row.get("comments", ""))
            if delivered_q:
                notes.append("SIPRI marks the number delivered as uncertain.")
            extra = {"delivery_years": row["delivery_years"]}
            if delivered_q:
                extra["number_delivered_uncertain"] = True
            phases.append(("delivery", delivery.fields(), status, delivered,
                           delivered_q, notes, extra))
        for phase, dates, status, quantity, uncertain, notes, extra in phases:
            attrs = {**common, **extra}
            base = {**{k: v for k, v in dates.items() if v}, "status": status,
                    "confidence": UNCERTAIN_CONFIDENCE if uncertain else 0.8, "key": f"sipri {row_key} {phase}",
                    "citations": cite}
            if quantity is not None:
                base["quantity"] = quantity
            if notes:
                base["notes"] = " ".join(notes)
            if supplier:
                claims.append(RawRecord("claims", {**base, "subject": supplier, "relation": "supplies", "object": system,
                                                   "attributes": {**attrs, "recipient": row["recipient"]}}, name, first))
            if recipient:
                claims.append(RawRecord("claims", {**base, "subject": system, "relation": "transferred_to",
                                                   "object": recipient,
                                                   "attributes": {**attrs, "supplier": row["supplier"]}}, name, first))
    if problems:
        raise ValidationError(problems)
    records.extend(RawRecord("entities", {k: v for k, v in e.to_dict().items() if v not in (None, [], {})}, name, None)
                   for e in entities.new.values())
    records.extend(claims)
    report.counts = {"documents": 1, "entities": len(entities.new), "claims": len(claims)}
    return records, report


def _delivery_status(ordered: int | None, delivered: int, delivery, generated: str | None,
                     comments: str) -> tuple[str, list[str]]:
    """``delivered`` when all ordered items arrived (or the deliveries ended long before the
    register was generated); ``in_progress`` when fewer arrived and deliveries are recent."""
    last = int((delivery.end or delivery.date)[:4])
    recent = generated is None or last >= int(generated[:4]) - 1
    if ordered is not None and delivered >= ordered:
        return "delivered", []
    if ordered is None:
        return ("in_progress", ["SIPRI gives no number ordered; deliveries continue to the latest year."]) if recent \
            else ("delivered", ["SIPRI gives no number ordered."])
    note = f"SIPRI records {delivered} of {ordered} delivered"
    if "cancel" in comments.lower():
        return "delivered", [note + "; its comments mention a cancellation."]
    if recent:
        return "in_progress", [note + " so far."]
    return "delivered", [note + "; no later deliveries are recorded."]
