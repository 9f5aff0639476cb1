"""The fast lane for large claims CSV files.

A register of a few hundred thousand rows is mostly plain rows: known
entities, an allowed relation, a date or two, one citation. Such a row is
checked here with a handful of look-ups and never becomes a dict, a
:class:`~coopgraph.loaders.records.RawRecord` or a :class:`Claim` of its own.
Any row this lane does not fully vouch for (a problem, or a column it does
not handle, such as ``value_amount`` or ``id``) is handed on, as the raw record
``iter_csv_records`` would give, to the full checks in
:mod:`coopgraph.loaders.validate`, which word the error or build the claim.
So the two lanes agree by construction on what is valid; a test runs both over
the same files and compares the datasets.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import chain
from pathlib import Path
from typing import Callable, Iterator

from coopgraph.graph.dates import DateFormatError, PartialDate
from coopgraph.graph.deals import DEAL_PREFIX
from coopgraph.graph.model import Citation
from coopgraph.graph.schema import Schema
from coopgraph.loaders.claim_set import ClaimSet
from coopgraph.loaders.records import CONTROL_CHARACTERS, MAX_TEXT, RawRecord, csv_record, iter_csv_rows

#: the columns a row may fill and still take the fast lane
FAST_COLUMNS = frozenset({"subject", "relation", "object", "date", "start", "end", "circa", "status", "confidence",
                          "quantity", "unit", "key", "notes", "document", "locator", "quote", "deal"})
_REQUIRED = ("subject", "relation", "object", "document", "locator", "quote")
_OPTIONAL = ("date", "start", "end", "circa", "status", "confidence", "quantity", "unit", "key", "notes", "deal")
_TRUE = ("1", "true", "yes", "y")
_NO_ATTRIBUTES: dict = {}
TICK_ROWS = 2000


def claim_rows(path: Path, schema: Schema, entity_types: dict[str, str], documents: set[str], claims: ClaimSet,
               default_status: str, default_confidence: float,
               tick: Callable[[int], None] | None = None,
               deal_parts: Callable[[str, str, str, str, str], bool] | None = None) -> Iterator[RawRecord]:
    """Check each row of a claims CSV file: plain rows go into ``claims``, the others are yielded as raw records.

    ``tick(rows)`` is called every :data:`TICK_ROWS` rows, and at the end, with the rows read so far.
    A row naming a deal takes the lane when ``deal_parts(deal, relation, subject, object, where)``
    agrees with (and records) the deal's parts, as the full checks' ``_Deals`` does; without
    ``deal_parts`` such rows are handed on.
    Raises :class:`~coopgraph.graph.errors.ValidationError` at a row that is not CSV at all,
    as :func:`~coopgraph.loaders.records.iter_csv_rows` does.
    """
    file = str(path)
    entries = claims.entries
    statuses = set(schema.statuses)
    allowed: dict[tuple[str, str | None, str | None], bool] = {}
    iso: dict[str, str | None | bool] = {"": None}  # date cell -> ISO date, None when blank, False when not a date
    rows = iter_csv_rows(path)
    first = next(rows, None)
    if first is None:
        return
    header = first[1]
    column = {name: index for index, name in enumerate(header)}
    if any(name not in column for name in _REQUIRED):
        # every row lacks a required column: the full checks say which
        yield csv_record("claims", file, first[0], header, first[2])
        yield from (csv_record("claims", file, line, header, row) for line, _, row in rows)
        return
    i_subject, i_relation, i_object, i_document, i_locator, i_quote = (column[name] for name in _REQUIRED)
    blank = len(header)  # an absent optional column reads the empty cell appended to each row
    i_date, i_start, i_end, i_circa, i_status, i_confidence, i_quantity, i_unit, i_key, i_notes, i_deal = (
        column.get(name, blank) for name in _OPTIONAL)
    deal_roles = schema.deal_relations
    others = [index for name, index in column.items() if name not in FAST_COLUMNS]
    count = 0
    for line, _, row in chain((first,), rows):
        count += 1
        if tick is not None and count % TICK_ROWS == 0:
            tick(count)
        row.append("")
        if others and any(row[i] and not row[i].isspace() for i in others):
            yield csv_record("claims", file, line, header, row)
            continue
        joined = "".join(row)
        if CONTROL_CHARACTERS.search(joined) or (len(joined) > MAX_TEXT and max(map(len, row)) > MAX_TEXT):
            yield csv_record("claims", file, line, header, row)  # the full checks say which cell
            continue
        subject, relation, obj = row[i_subject].strip(), row[i_relation].strip(), row[i_object].strip()
        stype, otype = entity_types.get(subject), entity_types.get(obj)
        ok = allowed.get((relation, stype, otype))
        if ok is None:
            rel = schema.relation_types.get(relation)
            ok = allowed[relation, stype, otype] = bool(stype and otype and rel and rel.allows(stype, otype))
        document, locator, quote = row[i_document].strip(), row[i_locator].strip(), row[i_quote].strip()
        status = row[i_status].strip() or default_status
        if not (ok and locator and quote and document in documents and status in statuses):
            yield csv_record("claims", file, line, header, row)
            continue
        date, start, end = row[i_date], row[i_start], row[i_end]
        date = iso[date] if date in iso else _iso(date, iso)
        start = iso[start] if start in iso else _iso(start, iso)
        end = iso[end] if end in iso else _iso(end, iso)
        if date is False or start is False or end is False or (date and (start or end)) or (
                start and end and _ends_before_start(start, end)):
            yield csv_record("claims", file, line, header, row)
            continue
        confidence, quantity = row[i_confidence], row[i_quantity]
        try:
            # a blank or whitespace-only cell, a bad number: all left to the full checks
            confidence = float(confidence) if confidence else default_confidence
            quantity = int(quantity.replace(",", "")) if quantity else None
        except ValueError:
            confidence = -1.0
        if not 0.0 <= confidence <= 1.0 or (quantity is not None and quantity < 0):
            yield csv_record("claims", file, line, header, row)
            continue
        deal = row[i_deal].strip() or None
        if deal is not None:
            if not deal.startswith(DEAL_PREFIX):
                deal = DEAL_PREFIX + deal
            if (deal_parts is None or relation not in deal_roles or not _deal_id(deal)
                    or not deal_parts(deal, relation, subject, obj, f"{file}:{line}")):
                yield csv_record("claims", file, line, header, row)
                continue
        citation = Citation(document, locator, " ".join(quote.split()))
        circa = row[i_circa]
        identity = (subject, relation, obj, date, start, end, quantity, row[i_key].strip() or None, deal)
        details = (bool(circa) and circa.strip().lower() in _TRUE, status, confidence, row[i_unit].strip() or None, None,
                   row[i_notes].strip() or None, _NO_ATTRIBUTES)
        # ClaimSet.add, inlined: this runs once per row of the largest files
        entry = entries.get(identity)
        if entry is None:
            entries[identity] = [details, [citation], file, line]
        elif entry[0] == details:
            entry[1].append(citation)
        else:
            claims.conflict(identity, file, line)
    if tick is not None:
        tick(count)


def _iso(cell: str, known: dict[str, str | None | bool]) -> str | None | bool:
    """The ISO form of a date cell (``None`` when blank, ``False`` when not a date), remembered in ``known``."""
    if cell.isspace():
        value = None
    else:
        try:
            value = PartialDate.parse(cell).isoformat()
        except DateFormatError:
            value = False
    known[cell] = value
    return value


@lru_cache(maxsize=1 << 16)
def _deal_id(deal: str) -> bool:
    from coopgraph.loaders.validate import DEAL_ID

    return DEAL_ID.match(deal) is not None


@lru_cache(maxsize=1 << 16)
def _ends_before_start(start: str, end: str) -> bool:
    return PartialDate.parse(end).latest < PartialDate.parse(start).earliest
