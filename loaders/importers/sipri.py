"""Import a SIPRI Arms Transfers Database trade register (its CSV/text export).

The export starts with preamble lines (what was selected, the terms, ``Data
generated: 13 Oct 2024 2:20:11 PM``) before the header line
``Recipient,Supplier,Year of order, ,Number ordered, ,...``; the unnamed ``' '``
columns hold ``?`` flags for the column before them. The file is often Latin-1,
and a record may be broken over two physical lines by an unquoted newline in
its comments; this reader detects the header, decodes, and re-joins such lines.

Each row is one **deal** (a transfer: supplier, item, recipient) and becomes
claims of that deal, cited to the register (a ``register`` document published by
SIPRI, dated from ``Data generated``) with the physical line as locator and the
row's text as quote:

- ``supplier --supplies--> item`` and ``item --transferred_to--> recipient``
  at the order year, status ``contracted``, quantity = number ordered;
- the same two at the delivery years (``date``, or ``start``/``end`` when
  deliveries span years), quantity = number delivered, status ``delivered``
  when all were delivered, ``in_progress`` when fewer were delivered and the
  last delivery is recent.

Every claim of a row carries ``deal=`` the row's deal, and a ``deals`` record
names its parties (and a variant, see below). The deal id is
``deal:sipri-<supplier>-<recipient>-<designation>-<order year>-<hash>``
(slugged; the hash is of the row's cells and of the entities its supplier,
item and recipient resolved to), so re-importing the same file changes
nothing, two rows (two orders of the same system by the same state) are two
deals that a chain never joins, and a row that resolves to another item in
another store is another deal there, never one id naming two transfers.

``?`` flags and ``(2014)``-style years are kept: ``circa`` for dates, an
``*_uncertain`` attribute and a note for numbers, and confidence 0.6 instead
of 0.8. TIV values, the weapon description, condition and comments go to
``attributes``. Weapon designations resolve to existing ``weapon_system`` or
``technology`` entities by name or alias, else become ``system:<slug>``;
states resolve by name or alias, else become ``state:<slug>``.

**Variants.** A deal's ``variant`` is what the comments name as the version
(``Su-30MKK version``, ``AL-31FN Series-2 version``: the model-like words
just before ``version``), else the designation when it is a longer name of
the existing entity it resolved to (``Su-30MKK`` for an entity ``Su-30`` that
has it as an alias).

**Generic designations.** Where SIPRI knows no model it writes a class of
item in the designation column: ``ship engine``, ``vehicle engine``,
``aircraft engine``, ``air refuel system``, ``air-independent ship engine``.
A designation is *generic* when it has no capital letter and no digit
(lower-case descriptive words, not a model name), or when it is a weapon
description itself (one of the register's own descriptions, or one of
SIPRI's class abbreviations such as ``SAM``, ``APC``, ``UAV``:
:data:`CLASS_NAMES`). A generic designation never becomes an entity of its
own (it would join every deal of its class into one node):

- when the comments name the model in the clause that names the class
  (``DR-77 (8008hp) gas turbine; for 6 Tarantul FAC``, ``Motor-Sich
  AI-20D-5M (3500hp) turboprop``), the item is that model, found by name or
  alias among existing items or created as ``tech:<slug>`` named by the model
  (a leading maker's name is dropped when the rest has a digit:
  ``AI-20D-5M``, alias ``Motor-Sich AI-20D-5M``); the same model in two rows
  is one entity, as it should be;
- otherwise (no model, only a maker or a power: ``MTU 2990hp diesel
  engine``; several models: ``BF-8L513F and BF-8L4``; alternatives: ``DS-71
  or UGT-6000``; or a comment about something else) the item is the deal's
  own: ``tech:<designation slug>-<row hash>``, named ``ship engine
  (Ukraine for India, 1997)``, with the comment in its description.

In the 2,643 rows of the register slice in ``tests/fixtures/sipri`` this
concerns 130 rows of 5 designations: 120 take the model their comments name
(78 models, such as ``DR-77`` in four deals), 10 get an item of their own.

**Comments.** What :func:`~coopgraph.loaders.importers.sipri_comments.extract`
reads in a row's comments becomes claims (status ``reported``, a confidence
below the row's own, the comments as quote, locator ``line N, comments``):
programme links ``item component_of programme`` (``for J-10 combat aircraft
produced in China``), modernisations (``component_of`` the result,
``derived_from`` the platform modernised), local production (``produced_in``,
``licensed_to`` in the row's deal, or a local entity ``copy_of`` /
``derived_from`` the item) and local designations (``Chinese designation
J-11``: ``J-11 derived_from`` the item). A platform the register places in
the recipient becomes the recipient's ``program``; any other a
``weapon_system`` of no country. The clauses no rule understood are listed in
:attr:`SipriReport.unexplained` (``coopgraph import sipri FILE --explain``).
See ``docs/importers.md``.

**Rows already held.** A row whose claims the store already holds (the same
row hash) keeps its deal, its item and what its comments became, so importing
a register again changes nothing (the bundled rows too: importing the whole
register over the bundled store adds the other rows and leaves those as they
are); ``row_deals`` files rows under existing deals (a curation decision, see
``tools/sipri_deals.yaml``).

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
>>> [r.data for r in records if r.kind == "deals"]  # doctest: +NORMALIZE_WHITESPACE
[{'id': 'deal:sipri-russia-china-su-35-2015-cb1ed9c8', 'item': 'system:su-35', 'supplier': 'state:russia',
  'recipient': 'state:china'}]
>>> {r.data["deal"] for r in records if r.kind == "claims"}
{'deal:sipri-russia-china-su-35-2015-cb1ed9c8'}

A generic designation takes the model the comment names, or an item of its own:

>>> generic_item_name("ship engine", "DR-77 (8008hp) gas turbine; for 6 Tarantul (Veer) FAC from Russia")
('DR-77', 'DR-77')
>>> generic_item_name("aircraft engine", "Motor-Sich AI-20D-5M (3500hp) turboprop for modernization of 104 An-32")
('AI-20D-5M', 'Motor-Sich AI-20D-5M')
>>> generic_item_name("ship engine", "MTU 2990hp diesel engine for 2 Jalalat FAC produced in Pakistan") is None
True
"""

from __future__ import annotations

import csv
import datetime as _dt
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Mapping

from coopgraph.graph.errors import Problem, ValidationError
from coopgraph.graph.model import Entity
from coopgraph.loaders.importers.sipri_comments import (
    Designation, Extraction, LocalProduction, Modernisation, ProgrammeLink, extract, same_country,
)
from coopgraph.loaders.records import RawRecord
from coopgraph.loaders.resolve_names import ImportReport, NameIndex, fold, loose_date, short_hash, slugify

DESCRIPTION = "a SIPRI Arms Transfers Database trade register export"

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
DEAL_PREFIX = "deal:sipri-"

#: SIPRI's class abbreviations (weapon descriptions): a designation that is one of these names no model
CLASS_NAMES = frozenset({
    "aam", "aals", "abl", "aev", "aew", "alv", "apc", "apv", "arv", "asm", "bvraam", "fac", "ifv", "mbt", "mpv",
    "mrl", "opv", "sam", "sraam", "ssm", "uav", "ucav",
})
#: what an engine (or a generic item's head noun) is called in the comments: the model precedes it
_ENGINE_WORDS = (r"(?:diesel|petrol|gasoline|steam|gas|air-independent|marine|aircraft|ship|vehicle|tank)?\s*"
                 r"(?:engines?|turbines?|turboprops?|turboshafts?|turbofans?|turbojets?)")
#: makers a comment names before the model ("Motor-Sich AI-20D-5M"); dropped from the item's name
_MAKER_NAMES = (r"Pratt & Whitney(?: Canada)?|General Electric|Rolls-Royce|SEMT-Pielstick|Pielstick|Motor-Sich|"
                r"MTU|MAN|Turbomeca|Safran|Deutz|Malyshev|Zorya(?:-Mashproekt)?|Ivchenko|Klimov|Saturn|LHTEC|Tatra|"
                r"Cummins|Caterpillar|Westinghouse|Allison|Honeywell|Lycoming|Paxman|Wärtsilä|Wartsila|Perkins|"
                r"Detroit Diesel")
_MAKERS = re.compile(rf"^(?:(?:{_MAKER_NAMES})(?:\s+or\s+|\s*/\s*|\s+|$))+")
_POWER = re.compile(r"(?<![\w-])\(?[±~]?\d[\d,.]*(?:\s*-\s*\d[\d,.]*)?\s*(?:hp|shp|kW|MW|kN|lb)\)?", re.IGNORECASE)
_HEDGES = re.compile(r"^(?:(?:probably|possibly|incl|including|mainly|and|some)\s+)+", re.IGNORECASE)


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


def is_generic(designation: str, description: str = "", descriptions: frozenset[str] | set[str] = frozenset()) -> bool:
    """True when a weapon designation names only a class of item, not a model.

    That is: no capital letter and no digit (``ship engine``), or a weapon
    description itself: the row's own, one of ``descriptions`` (the register's,
    folded) or one of :data:`CLASS_NAMES`.

    >>> [is_generic(d) for d in ("ship engine", "air-independent ship engine", "SAM", "Su-35", "Seacat", "53-65")]
    [True, True, True, False, False, False]
    >>> is_generic("Fire control radar", "fire control radar"), is_generic("Tor", "", {"tor"})
    (True, True)
    """
    text = " ".join(designation.split())
    if not text:
        return False
    if not re.search(r"[A-Z0-9]", text):
        return True
    folded = fold(text)
    return folded in CLASS_NAMES or folded == fold(description or "") or folded in descriptions


def generic_item_name(designation: str, comments: str) -> tuple[str, str] | None:
    """The model a row's comments name for a generic designation: ``(name, as written)``, or ``None``.

    The model is what precedes the class of item (``diesel engine``, ``gas
    turbine``, ``turboprop`` ..., or the designation's last word) in the first
    clause (``;``-separated) that names the class, less powers (``(8008hp)``)
    and hedges (``Probably``). A leading maker's name is dropped from the name
    when the rest holds a digit. ``None`` when that clause names no model (only
    a maker or a power), several (``A and B``, ``A, B``) or alternatives
    (``A or B``), or when no clause names the class.

    >>> generic_item_name("ship engine", "Probably second-hand; Rolls-Royce Tyne RM-1C (4950hp) gas turbine")
    ('Tyne RM-1C', 'Rolls-Royce Tyne RM-1C')
    >>> generic_item_name("aircraft engine", "Rolls-Royce Dart turboprop for 17 F-27 transport aircraft")
    ('Rolls-Royce Dart', 'Rolls-Royce Dart')
    >>> [generic_item_name("ship engine", c) for c in ("DS-71 or UGT-6000 (8300hp) gas turbines; for 3 Talwar frigates",
    ...                                               "450hp diesel engine for 90 APC", "For 6 Il-78 tanker aircraft")]
    [None, None, None]
    """
    words = designation.split()
    head = re.escape(words[-1].rstrip("s")) + "s?" if words else None
    pattern = re.compile(rf"(?<![\w-])(?:{_ENGINE_WORDS}{'|' + head if head else ''})(?![\w-])", re.IGNORECASE)
    for clause in comments.split(";"):
        found = pattern.search(clause)
        if not found:
            continue
        phrase = _POWER.sub(" ", clause[:found.start()])
        phrase = " ".join(phrase.replace("()", " ").split()).strip(" ,.:-(")
        phrase = _HEDGES.sub("", phrase).strip()
        if not phrase or not phrase[0].isupper() and not phrase[0].isdigit() or len(phrase.split()) > 5:
            return None
        model = _MAKERS.sub("", phrase).strip()
        if not model or re.search(r"\band\b|\bor\b|,|\bfor\b", model):
            return None
        name = model if re.search(r"\d", model) else phrase
        return name, phrase
    return None


_VARIANT_ROLE = re.compile(r"^(?:(?i:trainer|combat|trainer/combat|armed|naval|export|transport|improved|modernized|"
                           r"upgraded|land-based|ship-based)|ASW|AEW|AEW&C|MP|SAR|CP|ASM|SSM|SAM|AAM|EW|ELINT|SIGINT|"
                           r"VIP|MPA|COIN|FGA)$")
_VARIANT_STOP = re.compile(r"^(?:\d+|[A-Z][a-z]+-[a-z]+.*|.*[,:]|.*\)\W*|(?i:incl|including|probably|possibly|"
                           r"mainly|some|and|or|of|to|for|from|with|as))$")


def comment_variant(comments: str) -> str | None:
    """The version a row's comments name (``Su-30MKK version`` -> ``Su-30MKK``), or ``None``.

    The variant is the model-like words (a capital or a digit first, at most
    three, with a bracketed alias) just before ``version`` (singular), past
    role words such as ``trainer``, ``armed`` or ``SAR``; none when the clause
    names several versions (``A or B version``).

    >>> [comment_variant(c) for c in ("$1 b deal; Su-30MKK version", "9M38M1 (SA-N-7) version",
    ...     "Mi-171Sh armed version", "F-16 Block-15 version", "in several versions", "Chinese-produced H/PJ-26 version")]
    ['Su-30MKK', '9M38M1 (SA-N-7)', 'Mi-171Sh', 'F-16 Block-15', None, 'H/PJ-26']
    >>> [comment_variant(c) for c in ("Armed Mi-171Sh version", "Ka-28PS SAR version", "BTR-60PU-12 CP version")]
    ['Mi-171Sh', 'Ka-28PS', 'BTR-60PU-12']
    >>> [comment_variant(c) for c in ("Mi-171 or Mi-171E version", "R-27R-1 and probably R-27ER version")]
    [None, None]

    A version that ``incl`` introduces is of a part of the order, not the deal's:

    >>> [comment_variant(c) for c in ("Part of 24 (incl 4 Su-27UBK version) ordered in $700 m deal",
    ...     "incl 2 Il-76MD and 3 Il-76TD version", "MiG-29K version (incl 4 MiG-29KUB trainer/combat version)")]
    [None, None, 'MiG-29K']
    """
    for clause in comments.split(";"):
        tokens = clause.split()
        if "version" not in tokens:
            continue
        at = tokens.index("version") - 1
        while at >= 0 and _VARIANT_ROLE.match(tokens[at]):
            at -= 1
        picked: list[str] = []
        models = 0
        while at >= 0 and models < 3:
            token = tokens[at]
            bracket = token.startswith("(") and token.endswith(")")
            if not bracket and (not (token[0].isupper() or token[0].isdigit()) or _VARIANT_STOP.match(token)):
                break
            picked.insert(0, token)
            models += not bracket
            at -= 1
        while picked and (picked[0].startswith("(") or _VARIANT_ROLE.match(picked[0])):
            picked.pop(0)  # a bracket, or a role word written first ("Armed Mi-171Sh version")
        before = at
        while before >= 0 and tokens[before].lower() in ("probably", "possibly", "most"):
            before -= 1
        if before >= 0 and tokens[before].lower() in ("and", "or", "and/or"):
            return None  # "Mi-171 or Mi-171E version": several versions, none the deal's
        if any(t.lower().lstrip("(") in ("incl", "including") for t in tokens[:before + 1]):
            continue  # "(incl 4 Su-27UBK version)": the version of some of the aircraft, not of the deal
        if picked and not (len(picked) == 1 and fold(picked[0]) in CLASS_NAMES):
            return " ".join(picked)
    return None


def deal_id(supplier: str, recipient: str, designation: str, order_year: str, row_key: str,
            parties: tuple[str | None, str, str | None]) -> str:
    """The deal of one register row: ``deal:sipri-<supplier>-<recipient>-<designation>-<order year>-<hash>``.

    The words are the row's; the hash is of the row's cells (``row_key``) and of
    the entities its supplier, item and recipient resolved to (``parties``), so
    that a row read into another store, where a name resolves to another entity,
    gives another deal rather than one id naming two transfers (whose export
    could not be loaded where the other is).

    >>> deal_id("Russia", "China", "Su-35", "2015", "adb75d03f00d", ("state:russia", "system:su-35", "state:china"))
    'deal:sipri-russia-china-su-35-2015-9e686148'
    >>> deal_id("Russia", "China", "Su-35", "2015", "adb75d03f00d", ("state:russia", "system:su-35s", "state:china"))
    'deal:sipri-russia-china-su-35-2015-73de8421'
    >>> deal_id("unknown supplier(s)", "Viet Nam", "ship engine", "(2004)", "0123456789ab", (None, "tech:x", "state:vn"))
    'deal:sipri-unknown-supplier-s-viet-nam-ship-engine-2004-fe0b1183'
    """
    parts = [slugify(text, 24) or "x" + short_hash(text, length=6) for text in (supplier, recipient, designation)]
    parts.append(slugify(order_year) or "undated")
    return DEAL_PREFIX + "-".join(parts + [short_hash(row_key, *(p or "" for p in parties))])


class _Entities:
    """Resolve or create the states and systems a register names; each created once."""

    def __init__(self, index: NameIndex, report: ImportReport, name: str):
        self.index, self.report, self.name = index, report, name
        self.new: dict[str, Entity] = {}

    def get(self, text: str, types: tuple[str, ...], create_type: str, where: str,
            attributes: dict | None = None, aliases: tuple[str, ...] = ()) -> str:
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
                self.new[eid] = replace(entity, aliases=entity.aliases + (text,))
            elif eid not in self.new:
                self.report.resolved[text] = eid
            return eid
        entity = Entity(eid, create_type, text, tuple(a for a in aliases if fold(a) != fold(text)),
                        attributes=attributes or {})
        self.new[eid] = entity
        self.index.add(entity)
        self.report.created.append((eid, text, f"not in the store ({where})"))
        return eid

    def own_item(self, designation: str, name: str, row_key: str, where: str, attributes: dict,
                 description: str) -> str:
        """The item of one deal whose designation is generic and whose comments name no model:
        ``tech:<designation slug>-<row hash>``, never resolved by name."""
        prefix = self.index.schema.entity_type("technology").prefix
        eid = self.index.canonical(f"{prefix}:{slugify(designation, 32) or 'item'}-{row_key[:8]}")
        if eid in self.index.entities:
            return eid
        entity = Entity(eid, "technology", name, description=description, attributes=attributes)
        self.new[eid] = entity
        self.index.add(entity, names=False)
        self.report.created.append((eid, name, f"generic designation '{designation}' ({where}): "
                                               "the comments name no model, so an item of this deal only"))
        return eid


    def variant_item(self, variant: str, designation: str) -> str | None:
        """The existing item a row's version names.

        ``AL-31FN Series-3 version`` of the designation ``AL-31``: the engine is
        ``tech:al-31fn`` (by its name, or the version's first word). The version
        must extend the designation (``AL-31`` -> ``AL-31FN``), and only entities
        that were in the store before this import count, so the item does not
        depend on the order of the rows. The version wins even when the
        designation names an entity too: an ``AL-31`` that an earlier import
        made from another row must not turn this row's AL-31FN into an AL-31,
        or the same row would be another item in a store with another history
        (and its deal another deal).
        """
        bare = re.sub(r"\s*\([^()]*\)", "", variant).strip()
        if not fold(bare).startswith(fold(designation)):
            return None  # a version of another name ("PL-2 version" of the PL-1B) is not this designation's
        for text in dict.fromkeys((bare, bare.split()[0] if bare else "")):
            found = self.index.resolve(text, ITEM_TYPES) if text else None
            if found is not None and found.id and found.id not in self.new:
                self.report.resolved[variant] = found.id
                return found.id
        return None

    def find(self, names: tuple[str, ...], types: tuple[str, ...], where: str,
             prefer: str | None = None) -> str | None:
        """The entity one of ``names`` (tried in order) resolves to among ``types``; ``prefer`` breaks a tie."""
        for text in names:
            found = self.index.resolve(text, types)
            if found.id:
                if found.id not in self.new:
                    self.report.resolved.setdefault(text, found.id)
                return found.id
            if found.ambiguous:
                preferred = [c for c in found.candidates if self.index.type_of(c) == prefer]
                choice = preferred[0] if len(preferred) == 1 else found.candidates[0]
                self.report.unresolved.append((text, where, f"ambiguous ({', '.join(found.candidates)}); used {choice}; "
                                                            "record a decision with 'coopgraph merge'"))
                return choice
        return None

    def create(self, etype: str, name: str, aliases: tuple[str, ...], where: str, why: str, *,
               country: str | None = None, description: str | None = None, attributes: dict | None = None,
               suffix: str | None = None) -> str:
        """A new entity (or the one of the same id made earlier in this import, given the new aliases)."""
        prefix = self.index.schema.entity_type(etype).prefix
        slug = slugify(name) or "x-" + short_hash(name)
        eid = self.index.canonical(f"{prefix}:{slug}" + (f"-{slugify(suffix, 24)}" if suffix else ""))
        names = tuple(dict.fromkeys(a for a in aliases if fold(a) != fold(name)))
        if eid in self.index.entities:
            entity = self.index.entities[eid]
            if eid in self.new:
                more = tuple(a for a in names if fold(a) not in {fold(n) for n in entity.names})
                if more:
                    entity = self.new[eid] = replace(entity, aliases=entity.aliases + more)
                    self.index.add(entity)
            return eid
        entity = Entity(eid, etype, name, names, country=country, description=description, attributes=attributes or {})
        self.new[eid] = entity
        self.index.add(entity)
        self.report.created.append((eid, name, f"{why} ({where})"))
        return eid


@dataclass
class SipriReport(ImportReport):
    """An :class:`~coopgraph.loaders.resolve_names.ImportReport` plus what the comments gave.

    ``unexplained`` lists ``(where, comment, clause)`` for every comment clause
    no rule understood (``coopgraph import sipri FILE --explain``);
    ``comment_counts`` counts the claims read from comments, by kind.
    """

    unexplained: list[tuple[str, str, str]] = field(default_factory=list)
    comment_counts: dict[str, int] = field(default_factory=dict)

    def explain_rows(self) -> list[dict[str, str]]:
        """One row per clause no rule understood: where (the row's line), comment, clause.

        >>> SipriReport("sipri", "t.csv", unexplained=[("line 9", "In 3 batches", "In 3 batches")]).explain_rows()
        [{'where': 'line 9', 'comment': 'In 3 batches', 'clause': 'In 3 batches'}]
        """
        return [{"where": w, "comment": c, "clause": x} for w, c, x in self.unexplained]

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "comment_claims": dict(self.comment_counts), "unexplained": self.explain_rows()}


#: the entity types a platform or programme named in a comment may resolve to (programmes win a tie)
PLATFORM_TYPES = ("program", "weapon_system", "technology")
#: how much a claim read from a row's comments is below the row's own confidence, and hedges below that
COMMENT_DROP = 0.1
HEDGE_DROP = {"probably": 0.1, "likely": 0.1, "reportedly": 0.1, "apparently": 0.1, "presumably": 0.1,
              "possibly": 0.2, "perhaps": 0.2}
_LATER = re.compile(r"(?i)\b(?:later|more|after|subsequently|then)\b")


def comment_confidence(row_confidence: float, certainty: str | None = None) -> float:
    """The confidence of a claim read from a row's comments: below the row's own, lower when hedged.

    >>> comment_confidence(0.8), comment_confidence(0.8, "probably"), comment_confidence(0.6, "possibly")
    (0.7, 0.6, 0.3)
    """
    return max(0.1, round(row_confidence - COMMENT_DROP - HEDGE_DROP.get(certainty or "", 0.0), 2))


def _read_comment(row: dict[str, str]) -> tuple[dict[str, str], Extraction]:
    """The row's cells by field, and what the rules read in its comments (an unreadable one is all left over)."""
    comment = row.get("comments", "")
    recipient = _party(row.get("recipient", ""))[0]
    supplier = _party(row.get("supplier", ""))[0]
    try:
        return row, extract(comment, recipient=recipient, supplier=supplier)
    except (ValueError, IndexError, KeyError, TypeError, re.error, RecursionError):
        return row, Extraction(comment, leftover=(comment,) if comment.strip() else ())


def _single_variant(extraction: Extraction, ordered: str = "") -> str | None:
    """The version the comments name when they name exactly one, unhedged (``D-30KP-2 veraion``), and not
    of a part of the order: ``incl 4 Su-27UBK version`` of a row of 24 names the version of 4 of them."""
    certain = [v for v in extraction.variants if not v.certainty]
    if len(certain) != 1 or len(extraction.variants) != 1:
        return None
    if certain[0].count and certain[0].count.strip() != ordered.strip():
        return None
    return certain[0].name


def local_platforms(readings: list[tuple[dict[str, str], Extraction]]) -> dict[str, set[str]]:
    """Per recipient (folded), the platforms (folded names and aliases) the register places there.

    A platform is the recipient's when a comment says it is ``produced in`` the
    recipient (a link with ``local=True``), or when the recipient modernises
    a platform of its own into it (``for modernization of J-8B to J-8IIM``,
    unless the phrase places it elsewhere). A link elsewhere in the register
    that names such a platform without a place (``for Type-052B destroyers``)
    then names the recipient's platform too.

    >>> x = extract("For 2 Type-052B (Luyang-1) destroyers produced in China", recipient="China")
    >>> sorted(local_platforms([({"recipient": "China"}, x)])["china"])
    ['luyang-1', 'type-052b']
    """
    local: dict[str, set[str]] = {}
    for row, extraction in readings:
        recipient = fold(_party(row.get("recipient", ""))[0])
        names: list[str] = []
        for link in extraction.links:
            if link.local:
                names += [link.name, *link.aliases]
        for mod in extraction.modernisations:
            if mod.to and mod.name and not _placed_elsewhere(mod, row.get("recipient", "")):
                names += [mod.to, *mod.to_aliases]
        if names:
            local.setdefault(recipient, set()).update(fold(n) for n in names)
    return local


def _placed_elsewhere(finding: ProgrammeLink | Modernisation, recipient: str) -> bool:
    places = [p for p in (finding.produced_in, finding.from_country) if p]
    return any(not same_country(p, _party(recipient)[0]) for p in places)


def _filed_rows(index: NameIndex) -> dict[str, str]:
    """``{row hash: deal id}`` of the register rows the store holds (their order and delivery claims)."""
    filed: dict[str, str] = {}
    for claim in index.dataset.claims.values():
        key = claim.key or ""
        if claim.deal and key.startswith("sipri ") and key.endswith((" order", " delivery")):
            filed.setdefault(key.split()[1], claim.deal)
    return filed


@dataclass
class _RowContext:
    """What the comment claims of one row need to know about it."""

    row: dict[str, str]
    row_key: str
    where: str
    first: int
    item: str
    deal: str
    deal_known: bool
    recipient: str | None
    recipient_name: str
    supplier_name: str
    when: dict[str, Any]
    confidence: float
    source: str
    order: dict[str, Any] = field(default_factory=dict)
    text: str = ""


class _CommentClaims:
    """Turn what the rules read in a row's comments into claims, each citing the row's comments.

    See :func:`read_sipri` and ``docs/importers.md`` ("Comments"): programme links
    become ``component_of`` claims, modernisations ``component_of`` and
    ``derived_from``, local production ``produced_in`` / ``licensed_to`` or a
    local entity ``copy_of`` / ``derived_from`` the item, local designations a
    local entity ``derived_from`` the item.
    """

    def __init__(self, doc: str, entities: "_Entities", local: dict[str, set[str]]):
        self.doc, self.entities, self.local = doc, entities, local
        self.schema = entities.index.schema
        self.counts: dict[str, int] = {}

    def claims(self, x: Extraction, ctx: _RowContext) -> list[RawRecord]:
        out: list[RawRecord] = []
        seen: set[tuple[str, str, str]] = set()
        if not x.findings or not ctx.row.get("comments"):
            return out

        def claim(subject: str | None, relation: str, obj: str | None, finding: Any, kind: str,
                  extra: dict | None = None, dated: bool = True, deal: str | None = None,
                  dates: dict | None = None) -> None:
            if not subject or not obj or subject == obj or (subject, relation, obj) in seen:
                return
            if not self._allowed(relation, subject, obj):
                return
            seen.add((subject, relation, obj))
            when = dates if dates is not None else (ctx.when if dated else {})
            note = ("Read by rule from the register row's comments (coopgraph's reading, not SIPRI's own claim; "
                    "see docs/importers.md).")
            if when:
                note += " Dated as the row's " + ("year of order (licence)." if dates is not None else
                                                   "deliveries (or its year of order when none are recorded).")
            else:
                said = getattr(finding, "when", None)
                note += f" Undated: the comments say '{said}'." if said else " Undated: the comments give no year."
            attributes = {"sipri_row": ctx.row_key, "finding": kind, "phrase": getattr(finding, "phrase", "")}
            attributes.update({k: v for k, v in (extra or {}).items() if v not in (None, "", ())})
            if getattr(finding, "certainty", None):
                attributes["certainty"] = finding.certainty
            data = {"subject": subject, "relation": relation, "object": obj,
                    **{k: v for k, v in when.items() if v}, "status": "reported",
                    "confidence": comment_confidence(ctx.confidence, getattr(finding, "certainty", None)),
                    "key": f"sipri {ctx.row_key} comments", "citations": [
                        {"document": self.doc, "locator": f"{ctx.where}, comments", "quote": ctx.row["comments"]}],
                    "notes": note, "attributes": attributes}
            if deal:  # a claim of the row's deal cites the row, as the deal's other claims do
                data["deal"] = deal
                data["citations"] = [{"document": self.doc, "locator": ctx.where, "quote": ctx.text}]
            out.append(RawRecord("claims", data, ctx.source, ctx.first))
            self.counts[kind] = self.counts.get(kind, 0) + 1

        for finding in x.findings:
            if isinstance(finding, ProgrammeLink):
                target = self._platform(finding.name, finding.aliases, finding.kind, ctx,
                                        local=finding.local is not False and (finding.local or self._known_local(
                                            ctx, (finding.name, *finding.aliases))), phrase=finding.phrase)
                claim(ctx.item, "component_of", target, finding, "programme link",
                      {"link": finding.relation, "platform_kind": finding.kind, "platforms": finding.count,
                       "qualifier": finding.qualifier})
            elif isinstance(finding, Modernisation):
                self._modernisation(finding, ctx, claim)
            elif isinstance(finding, LocalProduction):
                self._production(finding, ctx, claim)
            elif isinstance(finding, Designation):
                country = self._country(finding.country, ctx)
                local = self._local_item((finding.name, *finding.aliases), ctx, country, finding.phrase)
                claim(local, "derived_from", ctx.item, finding, "local designation",
                      {"designated_by": finding.country or ctx.recipient_name})
        return out

    # -- the findings ------------------------------------------------------------------------------

    def _modernisation(self, m: Modernisation, ctx: _RowContext, claim) -> None:
        platform = None
        if m.name:
            platform = self._platform(m.name, m.aliases, m.kind, ctx,
                                      local=self._known_local(ctx, (m.name, *m.aliases)), phrase=m.phrase)
        result = None
        if m.to:
            # the recipient modernises a platform of its own into the result: its programme, unless placed elsewhere
            local = bool(m.name) and not _placed_elsewhere(m, ctx.row.get("recipient", ""))
            result = self._platform(m.to, m.to_aliases, m.kind, ctx, local=local, phrase=m.phrase,
                                    what="modernisation")
        extra = {"platform_kind": m.kind, "platforms": m.count, "modernised": m.name, "into": m.to}
        if platform and result:
            claim(ctx.item, "component_of", result, m, "modernisation", extra)
            claim(result, "derived_from", platform, m, "modernisation", extra)
        elif platform:
            claim(ctx.item, "component_of", platform, m, "modernisation", extra)
        elif result:
            claim(result, "derived_from", ctx.item, m, "modernisation", extra)

    def _production(self, lp: LocalProduction, ctx: _RowContext, claim) -> None:
        country = self._country(lp.country if lp.country_stated else None, ctx)
        later = bool(lp.when) or lp.mode in ("copy", "development") or bool(_LATER.search(lp.phrase or ""))
        extra = {"mode": lp.mode, "variant": lp.item, "count": lp.count, "licensed": lp.licensed, "when": lp.when}
        if lp.local_name:
            local = self._local_item((lp.local_name, *lp.aliases), ctx, country, lp.phrase)
            relation = "copy_of" if lp.mode == "copy" or lp.licensed is False else "derived_from"
            claim(local, relation, ctx.item, lp, "local production", extra, dated=not later)
        elif lp.mode != "development" and country:
            claim(ctx.item, "produced_in", country, lp, "local production", extra, dated=not later)
        licensed = lp.licensed is True or (lp.mode == "licence" and lp.licensed is not False)
        if licensed and country and country == ctx.recipient and ctx.deal_known:
            claim(ctx.item, "licensed_to", ctx.recipient, lp, "licence", extra, deal=ctx.deal, dates=ctx.order)

    # -- entities ----------------------------------------------------------------------------------

    def _known_local(self, ctx: _RowContext, names: tuple[str, ...]) -> bool:
        placed = self.local.get(fold(ctx.recipient_name), set())
        return any(fold(n) in placed for n in names)

    def _platform(self, name: str, aliases: tuple[str, ...], kind: str | None, ctx: _RowContext, *, local: bool,
                  phrase: str, what: str = "programme") -> str:
        """The platform or programme a comment names: an existing entity by name or alias, else a new one.

        A new one is the recipient's ``program`` (``country`` the recipient) when
        ``local``, else a ``weapon_system`` of no country.
        """
        found = self.entities.find((name, *aliases), PLATFORM_TYPES, ctx.where, prefer="program")
        if found:
            return found
        recipient_state = ctx.recipient if ctx.recipient and self.entities.index.type_of(ctx.recipient) == "state" else None
        label = f"{name} {kind}" if kind else name
        if local and recipient_state:
            return self.entities.create(
                "program", name, aliases, ctx.where, f"a {what} the comments place in {ctx.recipient_name}",
                country=recipient_state,
                description=f"{label[0].upper() + label[1:]}: {ctx.recipient_name}'s, as the SIPRI trade register's "
                            f"comments name it ('{phrase}').", attributes={"sipri_kind": kind} if kind else None)
        return self.entities.create(
            "weapon_system", name, aliases, ctx.where, "a platform the comments name",
            description=f"{label[0].upper() + label[1:]}, named in the SIPRI trade register's comments ('{phrase}').",
            attributes={"sipri_kind": kind} if kind else None)

    def _local_item(self, names: tuple[str, ...], ctx: _RowContext, country: str | None, phrase: str) -> str:
        """The entity a local name (``Chinese designation J-11``, ``produced in China as KR-1``) stands for.

        An existing entity by name or alias: one made from an item of the same
        kind (the first word of SIPRI's weapon description), else one of no
        recorded kind (``system:j-11`` from the reports). When the name is taken
        only by items of other kinds (``Type-59``: a gun and a tank), a new
        entity ``<prefix>:<name>-<kind>``. Else a new entity of the item's type,
        belonging to the country that names or produces it. The choice depends
        on what the store holds, never on the order of the rows.
        """
        kind = ctx.row.get("description", "")
        index = self.entities.index
        suffix = None
        for text in names:
            found = index.resolve(text, PLATFORM_TYPES)
            candidates = [found.id] if found.id else list(found.candidates)
            if not candidates:
                continue
            recorded = {c: _head(index.entities[c].attributes.get("sipri_description", "")) for c in candidates}
            fits = [c for c in candidates if recorded[c] == _head(kind)] or [c for c in candidates if not recorded[c]]
            if fits:
                if fits[0] not in self.entities.new:
                    self.entities.report.resolved.setdefault(text, fits[0])
                return fits[0]
            suffix = suffix or kind or ctx.row_key[:8]
        item_type = index.type_of(ctx.item) or "weapon_system"
        item_type = item_type if item_type in ITEM_TYPES else "weapon_system"
        item_name = index.entities[ctx.item].name
        where_made = index.entities[country].name if country in index.entities else None
        return self.entities.create(
            item_type, names[0], names[1:], ctx.where, "a local name the comments give", country=country,
            description=f"{item_name} as {where_made + ' ' if where_made else ''}produced or designated it: "
                        f"'{phrase}' (SIPRI trade register comments).",
            attributes={"sipri_description": kind} if kind else None, suffix=suffix)

    def _country(self, name: str | None, ctx: _RowContext) -> str | None:
        """The state a phrase names (the recipient when it names none)."""
        if not name or same_country(name, ctx.recipient_name):
            return ctx.recipient if ctx.recipient and self.entities.index.type_of(ctx.recipient) == "state" else None
        return self.entities.get(name, ("state",), "state", ctx.where)

    def _allowed(self, relation: str, subject: str, obj: str) -> bool:
        return self.schema.relation(relation).allows(self.entities.index.type_of(subject),
                                                     self.entities.index.type_of(obj))


def _head(description: str) -> str:
    """The first word of a weapon description: ``SAM system`` and ``SAM`` are one kind, a gun and a tank two."""
    words = fold(description or "").split()
    return words[0] if words else ""


def row_hash(cells: list[str]) -> str:
    """The hash of a register row's cells (stripped) that names the row in claim keys, deal ids and curation.

    >>> row_hash(["China", "Russia", "2015"]) == row_hash([" China", "Russia ", "2015"])
    True
    """
    return short_hash(*[c.strip() for c in cells], length=12)


def _date_fields(when, circa: bool) -> dict[str, Any]:
    """A loose date's claim fields (``circa`` when the row flags it uncertain); none for no date."""
    if when is None:
        return {}
    return {**when.fields(), **({"circa": True} if circa else {})}


def _party(text: str) -> tuple[str, str]:
    """SIPRI marks non-state armed groups with ``*`` and international organisations with ``**``."""
    if text.endswith("**"):
        return text.rstrip("*").strip(), "gov_body"
    if text.endswith("*"):
        return text.rstrip("*").strip(), "armed_service"
    return text, "state"


def read_sipri(path: str | Path, index: NameIndex, *, doc_id: str | None = None,
               only: Callable[[dict[str, str]], bool] | None = None,
               row_deals: Mapping[str, str] | None = None) -> tuple[list[RawRecord], "SipriReport"]:
    """Read a SIPRI trade register into raw records (a document, new entities, deals, claims).

    Parameters
    ----------
    path : path
        The register export (CSV/text; Latin-1 or UTF-8).
    index : NameIndex
        Existing entities and merge decisions; new entities are added to it. Its
        ``dataset`` (what the store holds) tells which rows the store already
        files under a curated deal: such a row keeps that deal.
    doc_id : str, optional
        Id of the register document (default ``sipri-trade-register-<generated date>``).
    only : callable, optional
        ``only(row) -> bool`` on the row's cells by field name (``recipient``,
        ``supplier``, ``designation`` ...): the rows to import. The others are
        still read for what the register says as a whole (its weapon
        descriptions, the platforms its comments place in each recipient).
    row_deals : mapping, optional
        ``{row hash: deal id}``: a curation decision that a row is one of an
        existing deal (a report of the same transfer); the row's claims then name
        that deal, whose supplier, item and recipient must be the row's.

    Returns
    -------
    (records, report)
        Records still to validate, and what became of each name, row and
        comment clause (:class:`SipriReport`; ``unexplained`` lists the clauses
        no rule understood).

    Raises
    ------
    ValidationError
        For a file that is not a register (no header line), rows with unreadable
        years or numbers, or a row curated into a deal it does not match: every
        problem with its line, column and a fix.
    """
    path = Path(path)
    name = str(path)
    report = SipriReport("sipri", name)
    if not path.is_file():
        raise ValidationError([Problem(name, None, None, "no such file", "check the path")])
    lines = decode(path.read_bytes()).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    head = find_header(lines)
    if head is None:
        first = next(((n, ln.strip()) for n, ln in enumerate(lines[:200]) if ln.strip()), None)
        seen = f"line {first[0] + 1} reads '{first[1][:60]}'" if first else "the file is empty"
        raise ValidationError([Problem(name, first[0] + 1 if first else None, None,
                                       "not a SIPRI trade register: no header line naming Recipient, Supplier and "
                                       f"Weapon designation in its first 200 lines ({seen})",
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
    # the preamble's first line says what was selected ("Transfers of major conventional arms from All
    # countries  to All countries . Deals with ..."): its spacing is SIPRI's typesetting, not its words
    title_line = next((" ".join(ln.split()).replace(" .", ".") for ln in lines[:head] if ln.strip()),
                      "SIPRI trade register")
    doc = doc_id or f"sipri-trade-register-{generated or 'undated'}"
    records: list[RawRecord] = [RawRecord("documents", {
        "id": doc, "title": f"SIPRI Arms Transfers Database, trade register: {title_line}"[:300],
        "date": generated or "", "publisher": "Stockholm International Peace Research Institute (SIPRI)",
        "url": DOCUMENT_URL, "kind": "register"}, name, head + 1)]
    entities = _Entities(index, report, name)
    claims: list[RawRecord] = []
    deals: dict[str, RawRecord] = {}
    by_name = {v: k for k, v in COLUMNS.items()}
    rows = list(_records_of(lines, head + 1, len(header), name, problems))
    at = columns.get("description")
    descriptions = frozenset(fold(cells[at]) for _, _, cells, _ in rows if at is not None and cells[at])
    readings = [_read_comment({key: cells[i] for key, i in columns.items()}) for _, _, cells, _ in rows]
    comments = _CommentClaims(doc, entities, local_platforms(readings))
    filed = _filed_rows(index)
    curated = dict(row_deals or {})
    for (first, last, cells, text), (row, extraction) in zip(rows, readings):
        if only is not None and not only(row):
            continue
        report.rows += 1
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
        row_key = row_hash(cells)
        described = {"sipri_description": row["description"]} if row.get("description") else {}
        designation = " ".join(row["designation"].split())
        variant = comment_variant(row.get("comments", "")) or _single_variant(extraction, row.get("ordered", ""))
        # a row curated into a deal, or one the store already files under a deal, keeps that deal (and its
        # item): importing it again changes nothing, whatever names the store has learnt since
        deal = curated.get(row_key) or filed.get(row_key)
        known_deal = index.dataset.deals.get(deal) if deal else None
        if row_key in curated and known_deal is None:
            problems.append(Problem(name, first, None, f"the row is curated into deal '{deal}', which the store does not hold",
                                    "load the dataset that declares the deal first, or correct the curation"))
            continue
        if known_deal is not None:
            system = known_deal.item  # a row the store files under a deal keeps that deal's item
        elif is_generic(designation, row.get("description", ""), descriptions):
            named = generic_item_name(designation, row.get("comments", ""))
            if named:
                system = entities.get(named[0], ITEM_TYPES, "technology", where,
                                      {**described, "sipri_designation": designation}, aliases=(named[1],))
            else:
                year = row.get("order_year") or "year of order unknown"
                system = entities.own_item(
                    designation, f"{designation} ({supplier_name} for {recipient_name}, {year})", row_key, where,
                    {**described, "sipri_designation": designation, "sipri_row": row_key},
                    f"The {designation} of one SIPRI trade register row; the register names no model"
                    + (f". SIPRI's comments: {row['comments']}" if row.get("comments") else "."))
        else:
            system = entities.variant_item(variant, designation) if variant else None
            if system is None:
                system = entities.get(row["designation"], ITEM_TYPES, "weapon_system", where, described or None)
        item_name = entities.index.entities[system].name
        if variant is None and fold(designation) != fold(item_name) and fold(designation).startswith(fold(item_name)):
            variant = designation  # "Su-30MKK" resolved to "Su-30" by an alias: the designation names a variant
        if variant and fold(variant) == fold(item_name):
            variant = None
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
        if known_deal is not None:
            mismatch = [f"{part} {mine or 'none'} (the deal has {theirs})" for part, mine, theirs in
                        (("supplier", supplier, known_deal.supplier), ("recipient", recipient, known_deal.recipient))
                        if theirs and mine != theirs]
            if mismatch:
                problems.append(Problem(name, first, None, f"the row is filed under deal '{deal}' but names "
                                        + "; ".join(mismatch), "a deal is one supplier, item and recipient: "
                                        "correct the curation (a Soviet order before 1992 is not a Russian deal)"))
                continue
        if deal is None:
            deal = deal_id(row["supplier"], row["recipient"], designation, row.get("order_year", ""), row_key,
                           (supplier, system, recipient))
        cite = [{"document": doc, "locator": where, "quote": text}]
        common = {k: row[k] for k in ("description", "condition", "comments") if row.get(k)}
        common.update(tiv)
        common["sipri_row"] = row_key
        if fold(item_name) != fold(designation):
            common["designation"] = designation
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
        # the row's own confidence: its best claim's (a '?' on a number lowers that claim, not the comments)
        confidence = max((UNCERTAIN_CONFIDENCE if p[4] else 0.8 for p in phases), default=UNCERTAIN_CONFIDENCE)
        for phase, dates, status, quantity, uncertain, notes, extra in phases:
            attrs = {**common, **extra}
            base = {**{k: v for k, v in dates.items() if v}, "status": status,
                    "confidence": UNCERTAIN_CONFIDENCE if uncertain else 0.8, "key": f"sipri {row_key} {phase}",
                    "deal": deal, "citations": cite}
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
        if phases and (supplier or recipient) and known_deal is None:
            fields = {"id": deal, "item": system, "supplier": supplier, "recipient": recipient, "variant": variant}
            deals[deal] = RawRecord("deals", {k: v for k, v in fields.items() if v}, name, first)
        if row_key not in filed:  # a row the store already holds keeps what its comments became then
            when = delivery if delivery is not None and (delivered or 0) > 0 else order
            context = _RowContext(
                row=row, row_key=row_key, where=where, first=first, item=system, deal=deal,
                deal_known=bool(phases and (supplier or recipient)) or known_deal is not None,
                recipient=recipient, recipient_name=recipient_name, supplier_name=supplier_name,
                when=_date_fields(when, order_q if when is order else False), confidence=confidence, source=name,
                order=_date_fields(order, order_q), text=text)
            claims.extend(comments.claims(extraction, context))
        report.unexplained.extend((where, row.get("comments", ""), clause) for clause in extraction.leftover)
    if problems:
        raise ValidationError(problems)
    records.extend(RawRecord("entities", {k: v for k, v in e.to_dict().items() if v not in (None, [], {})}, name, None)
                   for e in entities.new.values())
    records.extend(deals.values())
    records.extend(claims)
    report.counts = {"documents": 1, "entities": len(entities.new), "deals": len(deals), "claims": len(claims)}
    report.comment_counts = dict(comments.counts)
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
