"""Import a user's own spreadsheet (CSV or XLSX) of relations through a column mapping.

A mapping says which column holds which claim field (``subject``, ``object``,
``relation``, ``date``, ``start``, ``end``, ``status``, ``confidence``,
``quantity``, ``unit``, ``notes``, ``key``, ``deal``, ``circa``, ``value_amount``,
``value_currency``, ``attr.NAME``), and which fields are constants for every row
(``relation: supplies``). ``subject_type`` / ``object_type`` give the entity type
of names that match no entity: a column holding a type per row, or a constant.

``deal`` says which transfer (deal) a ``supplies`` / ``transferred_to`` /
``licensed_to`` row is one side of: rows with the same value are one deal, and
must agree on its supplier, item and recipient. A value that is not already a
deal id is slugged (``RU-CN Su-35 2015`` -> ``deal:ru-cn-su-35-2015``); an empty
cell leaves the row to its implied deal (see :mod:`coopgraph.graph.deals`).

The file itself becomes the cited document (id from the file name, ``kind:
spreadsheet``, dated by ``doc_date`` or the file's modification date); each claim
cites it with the row number as locator (``row 14``, the header being row 1)
and the row's cells as quote (``Supplier=Russia; Recipient=China; Year=2015``).

Names in cells resolve to existing entities by id, name or alias
(case-insensitive, within the types the relation allows, following merge
decisions). A name that matches nothing becomes a new entity when a type is
given, else it is an error naming the row and column.

Examples
--------
>>> import tempfile, pathlib
>>> from coopgraph.graph.model import Dataset, Entity
>>> from coopgraph.loaders.resolve_names import NameIndex
>>> path = pathlib.Path(tempfile.mkdtemp()) / "deals.csv"
>>> _ = path.write_text("Supplier,Recipient,Year\\nRuritania,Freedonia,2015-2019\\n", encoding="utf-8")
>>> states = {f"state:{n.lower()}": Entity(f"state:{n.lower()}", "state", n) for n in ("Ruritania", "Freedonia")}
>>> mapping = Mapping(columns={"subject": "Supplier", "object": "Recipient", "date": "Year"},
...                   constants={"relation": "arms_transfers_to"}, doc_date="2024-01-31")
>>> records, report = read_table(path, NameIndex(Dataset(entities=states)), mapping)
>>> claim = records[-1].data
>>> claim["subject"], claim["object"], claim["start"], claim["end"], claim["citations"][0]["locator"]
('state:ruritania', 'state:freedonia', '2015', '2019', 'row 2')
>>> claim["citations"][0]["quote"]
'Supplier=Ruritania; Recipient=Freedonia; Year=2015-2019'
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from coopgraph.graph.errors import Problem, ValidationError
from coopgraph.graph.model import Entity
from coopgraph.loaders.records import RawRecord
from coopgraph.graph.deals import DEAL_PREFIX
from coopgraph.loaders.resolve_names import ImportReport, NameIndex, loose_date, short_hash, slugify
from coopgraph.graph.names import did_you_mean

DESCRIPTION_CSV = "your own CSV of relations, with a column mapping (--map/--set or --mapping FILE)"
DESCRIPTION_XLSX = "your own Excel sheet of relations, with a column mapping"

FIELDS = ("subject", "object", "relation", "date", "start", "end", "status", "confidence", "quantity", "unit",
          "notes", "key", "deal", "circa", "value_amount", "value_currency", "value_estimate", "subject_type", "object_type")
DATE_FIELDS = ("date", "start", "end")
_DEAL_SLUG = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
ENDPOINTS = ("subject", "object")


@dataclass
class Mapping:
    """Which column holds which claim field, the constants, and how to treat new names.

    Examples
    --------
    >>> m = Mapping.from_options(["subject=Supplier", "object=Recipient"], ["relation=supplies"], create="firm")
    >>> m.columns, m.constants, m.create
    ({'subject': 'Supplier', 'object': 'Recipient'}, {'relation': 'supplies'}, 'firm')
    """

    columns: dict[str, str] = field(default_factory=dict)
    constants: dict[str, Any] = field(default_factory=dict)
    create: str | None = None
    sheet: str | None = None
    doc_id: str | None = None
    doc_title: str | None = None
    doc_date: str | None = None
    doc_publisher: str | None = None

    @classmethod
    def from_options(cls, maps: list[str] = (), sets: list[str] = (), *, create: str | None = None,
                     base: "Mapping | None" = None, **document: Any) -> "Mapping":
        """Build from ``--map FIELD=COLUMN`` and ``--set FIELD=VALUE`` pairs (on top of ``base``)."""
        mapping = base or cls()
        for kind, pairs in (("--map", maps), ("--set", sets)):
            for pair in pairs:
                key, sep, value = pair.partition("=")
                if not sep or not key.strip():
                    raise ValidationError([Problem(kind, None, None, f"'{pair}' is not FIELD=VALUE", f"write {kind} subject=Supplier")])
                target = mapping.columns if kind == "--map" else mapping.constants
                target[key.strip()] = value.strip()
        mapping.create = create or mapping.create
        for key, value in document.items():
            if value is not None:
                setattr(mapping, key, value)
        return mapping

    @classmethod
    def from_file(cls, path: str | Path) -> "Mapping":
        """Read a YAML mapping file::

            map: {subject: Supplier, object: Recipient, date: Year}
            set: {relation: supplies}
            create_entities: firm
            sheet: Transfers
            document: {id: my-deals, title: My deals, date: 2024-05, publisher: Me}
        """
        name = str(path)
        try:
            raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        except OSError as exc:
            raise ValidationError([Problem(name, None, None, f"cannot read the mapping: {exc.strerror}", "check the path")]) from None
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            raise ValidationError([Problem(name, mark.line + 1 if mark else None, None, "not valid YAML",
                                           "fix the YAML syntax of the mapping")]) from None
        known = {"map", "set", "create_entities", "sheet", "document"}
        if not isinstance(raw, dict) or set(raw) - known:
            extra = sorted(set(raw) - known) if isinstance(raw, dict) else []
            raise ValidationError([Problem(name, None, ", ".join(extra) or None, "not a mapping file",
                                           f"use the keys {', '.join(sorted(known))}")])
        doc = raw.get("document") or {}
        return cls({str(k): str(v) for k, v in (raw.get("map") or {}).items()},
                   {str(k): v for k, v in (raw.get("set") or {}).items()}, raw.get("create_entities"), raw.get("sheet"),
                   doc.get("id"), doc.get("title"), None if doc.get("date") is None else str(doc.get("date")),
                   doc.get("publisher"))


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, _dt.datetime):
        return value.date().isoformat() if value.time() == _dt.time() else value.isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    return " ".join(str(value).split())


def _utf8_text(raw: bytes, name: str) -> str:
    """The text of a CSV file that must be UTF-8: a byte that is not, or a NUL, is refused with its line.

    A spreadsheet's "CSV" may be Windows-1252 or UTF-16; guessing would turn names into
    other names without a word, so the file is refused with how to save it instead.

    >>> _utf8_text("Alizé".encode("utf-8"), "t.csv")
    'Alizé'
    >>> _utf8_text(b"a,b\\nAliz\\xe9,c\\n", "t.csv")
    Traceback (most recent call last):
    ...
    coopgraph.graph.errors.ValidationError: 1 problem found; nothing was written
    t.csv:2: byte 0xE9 is not UTF-8 (column 5) (fix: save the file as UTF-8: in Excel, Save As > 'CSV UTF-8'; in LibreOffice, pick the character set UTF-8)
    """
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        utf16 = raw[:2] in (b"\xff\xfe", b"\xfe\xff")
        raise ValidationError([Problem(name, line, None, f"byte 0x{raw[exc.start]:02X} is not UTF-8 (column {column})"
                                       + ("; the file is UTF-16" if utf16 else ""),
                                       "save the file as UTF-8: in Excel, Save As > 'CSV UTF-8'; in LibreOffice, "
                                       "pick the character set UTF-8")]) from None
    if "\x00" in text:
        at = text.index("\x00")
        raise ValidationError([Problem(name, text.count("\n", 0, at) + 1, None, "a NUL byte: not a text file, or "
                                       "saved as UTF-16", "save the file as UTF-8 CSV")])
    return text


def read_rows(path: Path, kind: str | None = None, sheet: str | None = None) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    """The header and ``(row number, cells)`` of a CSV or XLSX file; row 1 is the header.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = p.write_text("a;b\\n1;2\\n", encoding="utf-8")
    >>> read_rows(p)
    (['a', 'b'], [(2, ['1', '2'])])
    """
    name = str(path)
    kind = kind or ("xlsx" if path.suffix.lower() in (".xlsx", ".xlsm") else "csv")
    if kind == "xlsx":
        import openpyxl

        try:
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
            raise ValidationError([Problem(name, None, None, f"not an XLSX workbook ({type(exc).__name__})",
                                           "save the spreadsheet as .xlsx, or as CSV and use 'import csv'")]) from None
        if sheet is not None and sheet not in book.sheetnames:
            raise ValidationError([Problem(name, None, "sheet", f"no sheet '{sheet}'", f"use one of: {', '.join(book.sheetnames)}")])
        ws = book[sheet] if sheet else book.worksheets[0]
        rows = [(number, list(values)) for number, values in enumerate(ws.iter_rows(values_only=True), start=1)]
        book.close()
    else:
        text = _utf8_text(path.read_bytes(), name)
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        try:
            rows = [(number, row) for number, row in enumerate(csv.reader(io.StringIO(text), dialect), start=1)]
        except csv.Error as exc:
            raise ValidationError([Problem(name, None, None, f"not valid CSV: {exc}", "check the quoting")]) from None
    rows = [(n, r) for n, r in rows if any(_cell_text(c) for c in r)]
    if not rows:
        raise ValidationError([Problem(name, None, None, "no rows", "the first row names the columns; one relation a row below it")])
    head_number, head = rows[0]
    header = [_cell_text(h) for h in head]
    while header and not header[-1]:
        header.pop()
    return header, rows[1:]


def read_table(path: str | Path, index: NameIndex, mapping: Mapping, *, kind: str | None = None
               ) -> tuple[list[RawRecord], ImportReport]:
    """Read a spreadsheet into raw records (the document, new entities, one claim a row).

    Parameters
    ----------
    path : path
        A ``.csv`` (any of ``,``, ``;``, tab) or ``.xlsx`` file whose first row names the columns.
    index : NameIndex
        Existing entities and merge decisions; new entities are added to it.
    mapping : Mapping
        Columns and constants for the claim fields.
    kind : "csv" or "xlsx", optional
        Forces the reader; by default the suffix decides.

    Returns
    -------
    (records, report)

    Raises
    ------
    ValidationError
        A mapping that names a missing column, or rows whose names match no entity
        (each problem with its row, the field, the column and a fix).
    """
    path = Path(path)
    name = str(path)
    report = ImportReport("table", name)
    if not path.is_file():
        raise ValidationError([Problem(name, None, None, "no such file", "check the path")])
    header, rows = read_rows(path, kind, mapping.sheet)
    problems = _check_mapping(mapping, header, name, index)
    if problems:
        raise ValidationError(problems)
    position = {h: i for i, h in enumerate(header)}
    doc_id = mapping.doc_id or slugify(path.name, 80) or "spreadsheet"
    doc_date = mapping.doc_date or _dt.date.fromtimestamp(path.stat().st_mtime).isoformat()
    records = [RawRecord("documents", {"id": doc_id, "title": mapping.doc_title or path.name, "date": doc_date,
                                       "publisher": mapping.doc_publisher, "kind": "spreadsheet"}, name, None)]
    records[0].data = {k: v for k, v in records[0].data.items() if v}
    new: dict[str, Entity] = {}
    claims = []
    relation_types = index.schema.relation_types
    for number, cells in rows:
        report.rows += 1
        values = {h: _cell_text(cells[i]) if i < len(cells) else "" for h, i in position.items()}
        raw = {h: cells[i] if i < len(cells) else None for h, i in position.items()}

        def get(field_name: str) -> Any:
            if field_name in mapping.columns:
                column = mapping.columns[field_name]
                return raw[column] if field_name in DATE_FIELDS else values[column]
            return mapping.constants.get(field_name)

        data: dict[str, Any] = {}
        before = len(problems)
        relation = _cell_text(get("relation"))
        rel = relation_types.get(relation)
        for end in ENDPOINTS:
            text = _cell_text(get(end))
            column = mapping.columns.get(end)
            where = f"column '{column}'" if column else "--set"
            if not text:
                problems.append(Problem(name, number, end, f"empty ({where})", f"give every row a {end}"))
                continue
            allowed = (rel.subject if end == "subject" else rel.object) if rel else None
            found = index.resolve(text, allowed)
            if found.id:
                data[end] = found.id
                if found.id not in new:
                    report.resolved[text] = found.id
                continue
            if found.ambiguous:
                problems.append(Problem(name, number, end, f"'{text}' ({where}) matches {len(found.candidates)} entities: "
                                        f"{', '.join(found.candidates)}", "write the entity id in the cell, or record a "
                                        "decision with 'coopgraph merge'"))
                continue
            etype = _cell_text(get(f"{end}_type")) or mapping.create
            other = index.resolve(text) if allowed else None
            if other is not None and other.id:
                problems.append(Problem(name, number, end, f"'{text}' ({where}) is {other.id}, a {index.type_of(other.id)}; "
                                        f"'{relation}' needs a {' or '.join(allowed)} as {end}",
                                        "use another relation, or swap the subject and object columns"))
                continue
            if not etype:
                problems.append(Problem(name, number, end, f"'{text}' ({where}) matches no entity",
                                        f"add it to the store first, pass --create-entities TYPE, or --map {end}_type=COLUMN"))
                report.unresolved.append((text, f"row {number}, {where}", "no entity has this name"))
                continue
            if etype not in index.schema.entity_types:
                guess = did_you_mean(etype, index.schema.entity_types)
                problems.append(Problem(name, number, f"{end}_type", f"unknown entity type '{etype}'",
                                        f"did you mean '{guess[0]}'?" if guess else "see 'coopgraph schema'"))
                continue
            if allowed and "*" not in allowed and etype not in allowed:
                problems.append(Problem(name, number, f"{end}_type", f"a {etype} cannot be the {end} of '{relation}'",
                                        f"use one of: {', '.join(allowed)}"))
                continue
            eid = index.canonical(f"{index.schema.entity_type(etype).prefix}:{slugify(text) or 'x'}")
            if eid not in index.entities:
                new[eid] = Entity(eid, etype, text)
                index.add(new[eid])
                report.created.append((eid, text, f"row {number}, {where}"))
            elif eid in new:
                index.add_name(eid, text)
            data[end] = eid
        data["relation"] = relation
        for key in ("status", "confidence", "quantity", "unit", "notes", "key"):
            value = _cell_text(get(key))
            if value:
                data[key] = value
        deal = deal_key(_cell_text(get("deal")))
        if deal:
            data["deal"] = deal
        circa = _cell_text(get("circa")).lower()
        if circa:
            data["circa"] = circa in ("1", "true", "yes", "y", "x")
        for key in DATE_FIELDS:
            value = get(key)
            try:
                found_date = loose_date(value)
            except ValueError:
                data[key] = _cell_text(value)  # validation names the row and field
                continue
            if found_date is None:
                continue
            if key == "date":
                data.update(found_date.fields())
            else:
                data[key] = found_date.date or (found_date.start if key == "start" else found_date.end)
                if found_date.circa:
                    data["circa"] = True
        amount, currency = _cell_text(get("value_amount")), _cell_text(get("value_currency"))
        if amount or currency:
            data["value"] = {"amount": amount, "currency": currency}
            estimate = _cell_text(get("value_estimate")).lower()
            if estimate:
                data["value"]["estimate"] = estimate in ("1", "true", "yes", "y", "x")
        attributes = {k[5:]: _cell_text(get(k)) for k in list(mapping.columns) + list(mapping.constants)
                      if k.startswith("attr.") and _cell_text(get(k))}
        if attributes:
            data["attributes"] = attributes
        quote = "; ".join(f"{h}={v}" for h, v in values.items() if v and h)
        data["citations"] = [{"document": doc_id, "locator": f"row {number}", "quote": quote}]
        if len(problems) == before:
            claims.append(RawRecord("claims", data, name, number))
    if problems:
        raise ValidationError(problems)
    records.extend(RawRecord("entities", e.to_dict() | {"aliases": list(e.aliases)}, name, None) for e in new.values())
    for record in records[1:]:
        record.data = {k: v for k, v in record.data.items() if v not in (None, [], {})}
    records.extend(claims)
    report.counts = {"documents": 1, "entities": len(new), "claims": len(claims)}
    return records, report


def deal_key(text: str) -> str | None:
    """A cell's deal as a deal id: kept when it is one, else slugged; ``None`` for an empty cell.

    >>> deal_key("RU-CN Su-35 2015"), deal_key("deal:ru-cn-su-35-2015"), deal_key("ru-cn-su-35-2015"), deal_key("")
    ('deal:ru-cn-su-35-2015', 'deal:ru-cn-su-35-2015', 'deal:ru-cn-su-35-2015', None)
    >>> deal_key("東京")
    'deal:x-681ee300'
    """
    text = " ".join(text.split())
    if not text:
        return None
    bare = text[len(DEAL_PREFIX):] if text.startswith(DEAL_PREFIX) else text
    if _DEAL_SLUG.match(bare):
        return DEAL_PREFIX + bare
    return DEAL_PREFIX + (slugify(bare, 120) or "x-" + short_hash(bare))


def _check_mapping(mapping: Mapping, header: list[str], name: str, index: NameIndex) -> list[Problem]:
    problems = []
    for key, column in mapping.columns.items():
        if key not in FIELDS and not key.startswith("attr."):
            guess = did_you_mean(key, FIELDS)
            problems.append(Problem("--map", None, key, "not a claim field",
                                    f"did you mean '{guess[0]}'?" if guess else f"map one of: {', '.join(FIELDS)}, attr.NAME"))
        elif column not in header:
            if key.endswith("_type") and column in index.schema.entity_types:
                mapping.constants[key] = column  # --map subject_type=firm: a type, not a column
                continue
            guess = did_you_mean(column, header)
            problems.append(Problem(name, 1, key, f"no column '{column}' in the header",
                                    f"did you mean '{guess[0]}'?" if guess else f"the columns are: {', '.join(header)}"))
    for key in list(mapping.columns):
        if key.endswith("_type") and mapping.columns[key] not in header and key in mapping.constants:
            del mapping.columns[key]
    for key in mapping.constants:
        if key not in FIELDS and not key.startswith("attr."):
            problems.append(Problem("--set", None, key, "not a claim field", f"set one of: {', '.join(FIELDS)}"))
        elif key in mapping.columns:
            problems.append(Problem("--set", None, key, "given both as a column (--map) and a constant (--set)",
                                    "keep one of them"))
    for key in ("subject", "object", "relation"):
        if key not in mapping.columns and key not in mapping.constants:
            problems.append(Problem("--map", None, key, "no column or constant",
                                    f"--map {key}=COLUMN or --set {key}=VALUE"))
    if mapping.create and mapping.create not in index.schema.entity_types:
        problems.append(Problem("--create-entities", None, None, f"unknown entity type '{mapping.create}'",
                                f"use one of: {', '.join(index.schema.entity_types)}"))
    return problems
