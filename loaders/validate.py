"""Validate raw records against the schema and turn them into a :class:`Dataset`.

Validation collects every problem of every file before it reports, so a user
fixes a file in one pass. Nothing reaches a store unless all of it is valid.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

from coopgraph.graph.dates import DateFormatError, PartialDate
from coopgraph.graph.errors import Problem, ValidationError
from coopgraph.graph.deals import normalise_deal_id
from coopgraph.graph.model import Citation, Claim, Dataset, Deal, Document, Entity, Value
from coopgraph.graph.schema import Schema
from coopgraph.loaders.claim_set import ClaimSet, details_of, identity_of
from coopgraph.loaders.claims_csv import claim_rows
from coopgraph.loaders.records import CONTROL_CHARACTERS, MAX_TEXT, RawRecord
from coopgraph.graph.names import did_you_mean

_SLUG = r"[a-z0-9][a-z0-9._-]*"
_DOC_ID = re.compile(rf"^{_SLUG}$")
_ENTITY_ID = re.compile(rf"^([a-z_]+):({_SLUG})$")
_QID = re.compile(r"^Q[1-9][0-9]*$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
DEAL_ID = re.compile(rf"^deal:{_SLUG}$")

FIELDS = {
    "documents": {"id", "title", "date", "author", "publisher", "url", "kind"},
    "entities": {"id", "type", "name", "aliases", "country", "description", "wikidata", "attributes"},
    "deals": {"id", "item", "supplier", "recipient", "variant", "name", "notes"},
    "claims": {"subject", "relation", "object", "date", "start", "end", "circa", "status", "confidence",
               "quantity", "unit", "value", "key", "deal", "citations", "notes", "attributes", "id"},
}
REQUIRED = {
    "documents": ("id", "title", "date"),
    "entities": ("id", "type", "name"),
    "deals": ("id", "item"),
    "claims": ("subject", "relation", "object", "citations"),
}
DEFAULT_STATUS = "reported"
PROGRESS_EVERY = 2000
DEFAULT_CONFIDENCE = 0.8


class _Collector:
    """Gathers problems for one validation run."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, record: RawRecord, field: str | None, message: str, hint: str | None = None) -> None:
        line = record.line_of(field) if field else record.line
        self.problems.append(Problem(record.file, line, field, message, hint))


def validate_records(records: Iterable[RawRecord], schema: Schema, context: Dataset | None = None,
                     progress: Callable[[int, int, str], None] | None = None,
                     claim_files: Sequence[Path] = ()) -> Dataset:
    """Validate raw records; return a :class:`Dataset` or raise :class:`ValidationError`.

    ``context`` is what the store already holds: claims may refer to its
    entities and documents. ``progress(done, total, what)`` is called as claims
    are checked (the CLI draws a bar with it). ``claim_files`` are claims CSV
    files, read row by row when their turn comes, so that a large one is never
    held whole (plain rows take the fast lane of :mod:`coopgraph.loaders.claims_csv`).

    Examples
    --------
    >>> from coopgraph.graph.schema import load_schema
    >>> rec = RawRecord("entities", {"id": "firm:x", "type": "firm", "name": "X"}, "e.yaml", 3)
    >>> validate_records([rec], load_schema()).counts()
    {'documents': 0, 'entities': 1, 'claims': 0, 'deals': 0}
    >>> bad = RawRecord("entities", {"id": "firm:y", "type": "frim", "name": "Y"}, "e.yaml", 7, {"type": 8})
    >>> validate_records([bad], load_schema())
    Traceback (most recent call last):
    ...
    coopgraph.graph.errors.ValidationError: 1 problem found; nothing was written
    e.yaml:8: field 'type': unknown entity type 'frim' (fix: did you mean 'firm'?)
    """
    context = context or Dataset()
    records = list(records)
    out = Dataset()
    issues = _Collector()
    seen: dict[tuple[str, str], tuple[str, int | None]] = {}  # (kind, id) -> where it first appeared
    for record in records:
        _check_fields(record, issues)
    for record in (r for r in records if r.kind == "documents"):
        doc = _document(record, issues)
        if doc and _unique(record, "documents", doc.id, doc, out.documents, seen, issues):
            out.documents[doc.id] = doc
    for record in (r for r in records if r.kind == "entities"):
        entity = _entity(record, schema, issues)
        if entity and _unique(record, "entities", entity.id, entity, out.entities, seen, issues):
            out.entities[entity.id] = entity
    entity_types = {eid: e.type for eid, e in context.entities.items()}
    entity_types.update({eid: e.type for eid, e in out.entities.items()})
    for record in (r for r in records if r.kind == "entities"):
        country = record.data.get("country")
        if country and entity_types.get(country) != "state":
            hint = "name a state entity id such as state:russia" if country not in entity_types else f"'{country}' is a {entity_types[country]}, not a state"
            issues.add(record, "country", f"country '{country}' is not a known state entity", hint)
    deals = _Deals(context.deals, schema.deal_relations)
    for record in (r for r in records if r.kind == "deals"):
        deal = _deal(record, schema, entity_types, issues)
        if deal and _unique(record, "deals", deal.id, deal, out.deals, seen, issues):
            out.deals[deal.id] = deal
            deals.declare(deal, record, issues)
    documents = set(context.documents) | set(out.documents)
    claim_records = [r for r in records if r.kind == "claims"]
    # rows per claims file, for the progress bar only (a cell may span lines: an estimate from above)
    file_rows = [_count_lines(path) - 1 if progress else 0 for path in claim_files]
    total = len(claim_records) + sum(file_rows)
    claims = ClaimSet(issues.problems)

    def needing_full_checks() -> Iterator[RawRecord]:
        for done, record in enumerate(claim_records, start=1):
            if progress is not None and done % PROGRESS_EVERY == 0:
                progress(done, total, "claim rows")
            yield record
        finished = len(claim_records)
        for path, rows in zip(claim_files, file_rows):
            tick = None if progress is None else (
                lambda read, before=finished: progress(min(before + read, total), total, "claim rows"))
            try:
                for record in claim_rows(path, schema, entity_types, documents, claims, DEFAULT_STATUS,
                                         DEFAULT_CONFIDENCE, tick, deals.agrees):
                    _check_fields(record, issues)
                    yield record
            except ValidationError as exc:
                issues.problems.extend(exc.problems)
            finished += rows

    for record in needing_full_checks():
        claim = _claim(record, schema, entity_types, documents, issues)
        if claim is not None:
            if claim.deal is not None:
                deals.check(claim, record, issues)
            claims.add(identity_of(claim), details_of(claim), claim.citations, record.file, record.line)
    if progress is not None and total:
        progress(total, total, "claim rows")
    if issues.problems:
        raise ValidationError(issues.problems)
    out.claims = claims.claims()
    out.deals.update(deals.changed())
    return out


class _Deals:
    """The parties of every deal met so far, to refuse a claim that disagrees with its deal.

    A deal's supplier, item and recipient are fixed by its declaration
    (``deals:``), by the store's deals, or by the first claim that names each;
    every later claim of the deal must agree.
    """

    def __init__(self, known: dict[str, Deal], roles: dict[str, str]) -> None:
        self.known = known
        self.roles = roles
        # deal id -> part ("supplier", "item", "recipient") -> (entity, where it was fixed)
        self.parts: dict[str, dict[str, tuple[str, str]]] = {}
        self.declared: dict[str, Deal] = {}
        self.touched: set[str] = set()
        for deal in known.values():
            self._fix(deal, "the store")

    def _fix(self, deal: Deal, where: str) -> None:
        parts = self.parts.setdefault(deal.id, {})
        for part, value in (("supplier", deal.supplier), ("item", deal.item), ("recipient", deal.recipient)):
            if value:
                parts[part] = (value, where)

    def declare(self, deal: Deal, record: RawRecord, issues: _Collector) -> None:
        parts = self.parts.get(deal.id, {})
        for part, value in (("supplier", deal.supplier), ("item", deal.item), ("recipient", deal.recipient)):
            if value and part in parts and parts[part][0] != value:
                issues.add(record, part, f"deal '{deal.id}' has {part} {parts[part][0]} in {parts[part][1]}, not {value}",
                           "give this deal another id, or make the two agree")
        self._fix(deal, f"{record.file}:{record.line}")
        self.declared[deal.id] = deal
        self.touched.add(deal.id)

    def agrees(self, deal: str, relation: str, subject: str, obj: str, where: str) -> bool:
        """Whether a claim (its deal, relation and ends) agrees with what is fixed of its deal; if so, fix
        what it names first (as :meth:`check` does) and return True, else change nothing: the full checks
        then say what disagrees."""
        role = self.roles[relation]
        party, item = (subject, obj) if role == "supplier" else (obj, subject)
        parts = self.parts.get(deal, {})
        if any(part in parts and parts[part][0] != value for part, value in ((role, party), ("item", item))):
            return False
        parts = self.parts.setdefault(deal, parts)
        for part, value in ((role, party), ("item", item)):
            parts.setdefault(part, (value, where))
        self.touched.add(deal)
        return True

    def check(self, claim: Claim, record: RawRecord, issues: _Collector) -> None:
        role = self.roles[claim.relation]
        party, item = (claim.subject, claim.object) if role == "supplier" else (claim.object, claim.subject)
        parts = self.parts.setdefault(claim.deal, {})
        where = f"{record.file}:{record.line}"
        for part, value, field in ((role, party, "subject" if role == "supplier" else "object"),
                                   ("item", item, "object" if role == "supplier" else "subject")):
            fixed = parts.get(part)
            if fixed is None:
                parts[part] = (value, where)
            elif fixed[0] != value:
                issues.add(record, field,
                           f"claim of deal '{claim.deal}' names {part} {value}, but the deal's {part} is {fixed[0]} "
                           f"(from {fixed[1]})",
                           "a deal is one transfer: one supplier, one item, one recipient; give this claim its own deal, "
                           "or correct the " + part)
        self.touched.add(claim.deal)

    def changed(self) -> dict[str, Deal]:
        """The deals this run declared or added parties to, with every part known."""
        out = {}
        for deal_id in sorted(self.touched):
            parts = self.parts[deal_id]
            base = self.declared.get(deal_id) or self.known.get(deal_id)
            out[deal_id] = Deal(deal_id, parts["item"][0], parts.get("supplier", (None,))[0],
                                parts.get("recipient", (None,))[0], base.variant if base else None,
                                base.name if base else None, base.notes if base else None)
        return out


def _count_lines(path: Path) -> int:
    with open(path, "rb") as handle:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))


def _check_fields(record: RawRecord, issues: _Collector) -> None:
    _check_texts(record, issues)
    allowed = FIELDS[record.kind]
    for name in record.data:
        if name not in allowed:
            guess = did_you_mean(str(name), allowed)
            hint = f"did you mean '{guess[0]}'?" if guess else f"allowed fields: {', '.join(sorted(allowed))}"
            issues.add(record, str(name), "unknown field", hint)
    for name in REQUIRED[record.kind]:
        value = record.data.get(name)
        if value is None or (isinstance(value, (str, list)) and not value):
            hint = "add at least one citation: {document, locator, quote}" if name == "citations" else f"give the {record.kind[:-1]} a {name}"
            issues.add(record, name, "missing", hint)


def _check_texts(record: RawRecord, issues: _Collector) -> None:
    """Refuse control characters and texts longer than :data:`MAX_TEXT`, in every field (nested ones too)."""
    for name, value in record.data.items():
        if type(value) is str:
            if len(value) > MAX_TEXT or CONTROL_CHARACTERS.search(value):
                _text_problem(record, str(name), value, issues)
        elif isinstance(value, (dict, list)):
            for text in _nested_texts(value):
                if len(text) > MAX_TEXT or CONTROL_CHARACTERS.search(text):
                    _text_problem(record, str(name), text, issues)
                    break


def _nested_texts(value) -> Iterator[str]:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            stack.extend(k for k in item if isinstance(k, str))
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def control_character_problem(text: str) -> str | None:
    """What is wrong with ``text`` (a control character, where), or ``None``.

    >>> control_character_problem("Su-27\x1b[31m")
    'contains the control character U+001B (ESC) at character 6'
    >>> control_character_problem("fine\ttext") is None
    True
    """
    found = CONTROL_CHARACTERS.search(text)
    if found is None:
        return None
    char = found.group()
    names = {0: "NUL", 0x1B: "ESC", 0x7F: "DEL", 0x08: "BACKSPACE", 0x0C: "FORM FEED", 0x0B: "VERTICAL TAB"}
    label = names.get(ord(char)) or ("a lone surrogate" if 0xD800 <= ord(char) <= 0xDFFF else "not a character"
                                     if ord(char) in (0xFFFE, 0xFFFF) else "control")
    return f"contains the control character U+{ord(char):04X} ({label}) at character {found.start() + 1}"


def _text_problem(record: RawRecord, name: str, text: str, issues: _Collector) -> None:
    if len(text) > MAX_TEXT:
        issues.add(record, name, f"a text of {len(text):,} characters (the limit is {MAX_TEXT:,})",
                   "shorten it: quote the passage that supports the claim, not the whole source")
    else:
        issues.add(record, name, control_character_problem(text),
                   "remove it: text may hold tabs and line breaks, but no other control characters "
                   "(often a sign of a wrong encoding or a pasted terminal colour code)")


def _unique(record, kind, key, value, bucket, seen, issues) -> bool:
    if key in bucket:
        if bucket[key] == value:
            return False
        first_file, first_line = seen[(kind, key)]
        issues.add(record, "id", f"duplicate id '{key}' with different content (first at {first_file}:{first_line})",
                   "give each record its own id, or make the duplicates identical")
        return False
    seen[(kind, key)] = (record.file, record.line)
    return True


def _text(record: RawRecord, name: str, issues: _Collector, required: bool = False) -> str | None:
    value = record.data.get(name)
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        issues.add(record, name, f"expected text, got {type(value).__name__}", "write a plain string")
        return None
    value = value.strip()
    return value or None


def _date(record: RawRecord, name: str, issues: _Collector) -> str | None:
    value = record.data.get(name)
    if value is None or value == "":
        return None
    try:
        return _date_text(value) if isinstance(value, str) else PartialDate.parse(value).isoformat()
    except DateFormatError as exc:
        issues.add(record, name, str(exc), "use YYYY, YYYY-MM, YYYY-MM-DD or a decade like 1990s, and quote it in YAML")
        return None


@lru_cache(maxsize=1 << 16)
def _date_text(value: str) -> str:
    # large files repeat the same few thousand dates: parse each once
    return PartialDate.parse(value).isoformat()


def _document(record: RawRecord, issues: _Collector) -> Document | None:
    doc_id = _text(record, "id", issues)
    if doc_id and not _DOC_ID.match(doc_id):
        issues.add(record, "id", f"document id '{doc_id}' is not a slug", "use lower-case letters, digits, '.', '-', '_'")
        return None
    title = _text(record, "title", issues)
    date = _date(record, "date", issues)
    if not (doc_id and title and date):
        return None
    return Document(doc_id, title, date, _text(record, "author", issues), _text(record, "publisher", issues),
                    _text(record, "url", issues), _text(record, "kind", issues))


def _entity(record: RawRecord, schema: Schema, issues: _Collector) -> Entity | None:
    eid = _text(record, "id", issues)
    etype = _text(record, "type", issues)
    name = _text(record, "name", issues)
    ok = bool(eid and etype and name)
    if etype and etype not in schema.entity_types:
        guess = did_you_mean(etype, schema.entity_types)
        issues.add(record, "type", f"unknown entity type '{etype}'",
                   f"did you mean '{guess[0]}'?" if guess else f"use one of: {', '.join(schema.entity_types)}")
        ok = False
    if eid:
        match = _ENTITY_ID.match(eid)
        if not match:
            issues.add(record, "id", f"entity id '{eid}' is not of the form prefix:slug", "e.g. firm:rostec, system:su-27 (lower case)")
            ok = False
        elif etype in schema.entity_types and match.group(1) != schema.entity_types[etype].prefix:
            want = schema.entity_types[etype].prefix
            issues.add(record, "id", f"a {etype} id must start with '{want}:'", f"write {want}:{match.group(2)}")
            ok = False
    aliases = record.data.get("aliases") or []
    if isinstance(aliases, str):
        aliases = [aliases]
    if not isinstance(aliases, list) or not all(isinstance(a, (str, int)) for a in aliases):
        issues.add(record, "aliases", "expected a list of names", "write aliases: [name, other name]")
        ok = False
        aliases = []
    wikidata = _text(record, "wikidata", issues)
    if wikidata and not _QID.match(wikidata):
        issues.add(record, "wikidata", f"'{wikidata}' is not a Wikidata QID", "write it as Q followed by digits, e.g. Q42")
        ok = False
    attributes = record.data.get("attributes") or {}
    if not isinstance(attributes, dict):
        issues.add(record, "attributes", "expected a mapping", "write attributes as key: value lines")
        ok = False
    if not ok:
        return None
    clean_aliases = tuple(dict.fromkeys(str(a).strip() for a in aliases if str(a).strip() and str(a).strip() != name))
    return Entity(eid, etype, name, clean_aliases, _text(record, "country", issues),
                  _text(record, "description", issues), wikidata, attributes if isinstance(attributes, dict) else {})


def _claim(record: RawRecord, schema: Schema, entity_types: dict[str, str], documents: set[str],
           issues: _Collector) -> Claim | None:
    before = len(issues.problems)
    data = record.data
    subject = _text(record, "subject", issues)
    relation = _text(record, "relation", issues)
    obj = _text(record, "object", issues)
    for name, ref in (("subject", subject), ("object", obj)):
        if ref and ref not in entity_types:
            guess = did_you_mean(ref, entity_types)
            issues.add(record, name, f"unknown entity '{ref}'",
                       f"did you mean '{guess[0]}'?" if guess else "add the entity to an entities file first")
    rel = schema.relation_types.get(relation) if relation else None
    if relation and rel is None:
        guess = did_you_mean(relation, schema.relation_types)
        issues.add(record, "relation", f"unknown relation type '{relation}'",
                   f"did you mean '{guess[0]}'?" if guess else "see 'coopgraph schema' for the relation types")
    if rel and subject in entity_types and obj in entity_types:
        stype, otype = entity_types[subject], entity_types[obj]
        if not rel.allows(stype, otype):
            issues.add(record, "relation", f"'{relation}' cannot join a {stype} ({subject}) to a {otype} ({obj})",
                       f"'{relation}' goes from [{', '.join(rel.subject)}] to [{', '.join(rel.object)}]; pick another relation or swap subject and object")
    date, start, end = (_date(record, n, issues) for n in ("date", "start", "end"))
    if date and (start or end):
        issues.add(record, "date", "both a point date and a start/end", "use either date, or start and end")
    if start and end and PartialDate.parse(end).latest < PartialDate.parse(start).earliest:
        issues.add(record, "end", f"end {end} is before start {start}", "swap them or correct the dates")
    status = _text(record, "status", issues) or DEFAULT_STATUS
    if status not in schema.statuses:
        guess = did_you_mean(status, schema.statuses)
        issues.add(record, "status", f"unknown status '{status}'",
                   f"did you mean '{guess[0]}'?" if guess else f"use one of: {', '.join(schema.statuses)}")
    confidence = _number(record, "confidence", issues, DEFAULT_CONFIDENCE)
    if confidence is not None and not 0.0 <= confidence <= 1.0:
        issues.add(record, "confidence", f"{confidence} is outside 0..1", "use a number between 0 and 1")
    quantity = _integer(record, "quantity", issues)
    value = _value(record, issues)
    circa = data.get("circa", False)
    if not isinstance(circa, bool):
        issues.add(record, "circa", f"expected true or false, got {circa!r}", "write circa: true")
    citations = _citations(record, documents, issues)
    attributes = data.get("attributes") or {}
    if not isinstance(attributes, dict):
        issues.add(record, "attributes", "expected a mapping", "write attributes as key: value lines")
    deal = _text(record, "deal", issues)
    if deal is not None:
        deal = normalise_deal_id(deal)
        if not DEAL_ID.match(deal):
            issues.add(record, "deal", f"deal id '{deal}' is not of the form deal:slug",
                       "e.g. deal:ru-cn-su-35-2015 (lower-case letters, digits, '.', '-', '_')")
        elif rel and not rel.deal_role:
            roles = ", ".join(schema.deal_relations) or "none"
            issues.add(record, "deal", f"a '{relation}' claim is not part of a transfer",
                       f"only claims of {roles} belong to a deal; leave 'deal' out")
    if len(issues.problems) > before or not (subject and relation and obj):
        return None
    claim = Claim(subject, relation, obj, date, start, end, bool(circa), status, confidence, quantity,
                  _text(record, "unit", issues), value, _text(record, "key", issues), citations,
                  _text(record, "notes", issues), attributes, deal)
    given = _text(record, "id", issues)
    if given and given != claim.id:
        issues.add(record, "id", f"id '{given}' does not match the claim's content (expected {claim.id})",
                   "leave 'id' out; it is computed from subject, relation, object, dates, quantity and key")
        return None
    return claim


def _deal(record: RawRecord, schema: Schema, entity_types: dict[str, str], issues: _Collector) -> Deal | None:
    """A declared deal: its id, its item and (when known) its supplier and recipient."""
    before = len(issues.problems)
    deal_id = _text(record, "id", issues)
    if deal_id:
        deal_id = normalise_deal_id(deal_id)
        if not DEAL_ID.match(deal_id):
            issues.add(record, "id", f"deal id '{deal_id}' is not of the form deal:slug",
                       "e.g. deal:ru-cn-su-35-2015 (lower-case letters, digits, '.', '-', '_')")
    roles = schema.deal_relations
    supplier_rels = [schema.relation(r) for r, role in roles.items() if role == "supplier"]
    recipient_rels = [schema.relation(r) for r, role in roles.items() if role == "recipient"]
    parts = {}
    for part, allowed in (("supplier", {t for r in supplier_rels for t in r.subject}),
                          ("item", {t for r in supplier_rels + recipient_rels for t in (r.object if r in supplier_rels else r.subject)}),
                          ("recipient", {t for r in recipient_rels for t in r.object})):
        ref = _text(record, part, issues)
        parts[part] = ref
        if ref is None:
            continue
        if ref not in entity_types:
            guess = did_you_mean(ref, entity_types)
            issues.add(record, part, f"unknown entity '{ref}'",
                       f"did you mean '{guess[0]}'?" if guess else "add the entity to an entities file first")
        elif "*" not in allowed and entity_types[ref] not in allowed:
            issues.add(record, part, f"a {entity_types[ref]} ({ref}) cannot be a deal's {part}",
                       f"a deal's {part} is one of: {', '.join(sorted(allowed))}")
    if len(issues.problems) > before or not deal_id or not parts["item"]:
        return None
    return Deal(deal_id, parts["item"], parts["supplier"], parts["recipient"], _text(record, "variant", issues),
                _text(record, "name", issues), _text(record, "notes", issues))


def _number(record: RawRecord, name: str, issues: _Collector, default: float | None = None) -> float | None:
    value = record.data.get(name)
    if value is None or value == "":
        return default
    try:
        return float(value)
    except (TypeError, ValueError):
        issues.add(record, name, f"'{value}' is not a number", "write a number such as 0.7")
        return None


def _integer(record: RawRecord, name: str, issues: _Collector) -> int | None:
    value = record.data.get(name)
    if value is None or value == "":
        return None
    try:
        number = int(str(value).replace(",", ""))
    except ValueError:
        issues.add(record, name, f"'{value}' is not a whole number", "write a whole number such as 24")
        return None
    if number < 0:
        issues.add(record, name, f"{number} is negative", "write a count of zero or more")
        return None
    return number


def _value(record: RawRecord, issues: _Collector) -> Value | None:
    raw = record.data.get("value")
    if raw is None:
        return None
    if not isinstance(raw, dict):
        issues.add(record, "value", "expected {amount, currency}", "write value: {amount: 3.0e9, currency: USD}")
        return None
    try:
        amount = float(str(raw.get("amount")).replace(",", ""))
    except ValueError:
        issues.add(record, "value", f"amount '{raw.get('amount')}' is not a number", "write the amount as a number")
        return None
    currency = str(raw.get("currency") or "")
    if not _CURRENCY.match(currency):
        issues.add(record, "value", f"currency '{currency}' is not an ISO 4217 code", "write a three-letter code such as USD")
        return None
    estimate = raw.get("estimate", False)
    if isinstance(estimate, str):
        estimate = estimate.lower() in ("1", "true", "yes")
    return Value(amount, currency, bool(estimate))


def _citations(record: RawRecord, documents: set[str], issues: _Collector) -> tuple[Citation, ...]:
    raw = record.data.get("citations")
    if raw is None:
        return ()
    if isinstance(raw, dict):
        raw = [raw]
    if not isinstance(raw, list):
        issues.add(record, "citations", "expected a list of {document, locator, quote}", "write citations as a '- ' list")
        return ()
    out = []
    for number, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            issues.add(record, "citations", f"citation {number} is not a mapping", "write {document, locator, quote}")
            continue
        extra = set(item) - {"document", "locator", "quote"}
        if extra:
            issues.add(record, "citations", f"citation {number} has unknown field(s) {', '.join(sorted(extra))}", "use document, locator and quote")
        values = {k: str(item.get(k)).strip() if item.get(k) is not None else "" for k in ("document", "locator", "quote")}
        missing = [k for k, v in values.items() if not v]
        if missing:
            issues.add(record, "citations", f"citation {number} lacks {', '.join(missing)}",
                       "every citation needs a document id, a locator (endnote, page, section, row) and a verbatim quote")
            continue
        if values["document"] not in documents:
            guess = did_you_mean(values["document"], documents)
            issues.add(record, "citations", f"citation {number} cites unknown document '{values['document']}'",
                       f"did you mean '{guess[0]}'?" if guess else "add the document to a documents file")
            continue
        out.append(Citation(values["document"], values["locator"], " ".join(values["quote"].split())))
    return tuple(dict.fromkeys(out))
