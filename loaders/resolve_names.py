"""Shared name resolution for the importers, and reviewable merge decisions.

An importer meets names ("Russia", "Su-35", "JSC Kalashnikov Concern") and must
turn each into an entity id without forking a node that already exists.
:class:`NameIndex` resolves a name to existing entities by id, name or alias
(case-insensitive), restricted to the entity types a relation allows, and
follows the merge decisions recorded in the store: when ``coopgraph merge A B``
said that B is A, a name or id of B resolves to A.

:func:`merge_entities` records such a decision (B's claims are redirected to
A, and so are the deals naming B as supplier, item or recipient; B's names
become A's aliases, B disappears) and :func:`unmerge_entity` undoes it exactly
from the snapshot stored with the decision.

Examples
--------
>>> from coopgraph.graph.model import Dataset, Entity
>>> ds = Dataset(entities={"state:russia": Entity("state:russia", "state", "Russian Federation", ("Russia",))})
>>> index = NameIndex(ds)
>>> index.resolve("RUSSIA", ("state", "firm")).id
'state:russia'
>>> index.resolve("Russia", ("weapon_system",)).id is None
True
>>> slugify("Su-30MKK (Flanker-G)"), slugify("Концерн Калашников")
('su-30mkk-flanker-g', 'kontsern-kalashnikov')
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any, Iterable

from coopgraph.graph.errors import CoopgraphError, NotFoundError, Problem, ValidationError
from coopgraph.graph.model import Claim, Dataset, Deal, Entity
from coopgraph.graph.schema import Schema, load_schema
from coopgraph.graph.sqlite_store import fold
from coopgraph.loaders.records import RawRecord

# -- text helpers ----------------------------------------------------------------

_CYRILLIC = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґў",
    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s", "t", "u", "f",
     "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya", "i", "yi", "ye", "g", "u"],
))


def slugify(text: str, max_length: int = 48) -> str:
    """An id slug: lower-case ASCII letters, digits, ``.``, ``_`` and ``-``.

    Cyrillic is transliterated; other scripts are dropped (the result may be
    empty; callers then fall back to a hash).

    >>> slugify("  Viet Nam "), slugify("R-27R/T"), slugify("Alizé"), slugify("東京")
    ('viet-nam', 'r-27r-t', 'alize', '')
    """
    text = "".join(_CYRILLIC.get(ch, ch) for ch in str(text).casefold())
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^a-z0-9._]+", "-", text)
    text = re.sub(r"-{2,}", "-", text).strip("-._")
    if len(text) > max_length:
        text = text[:max_length].rstrip("-._")
    return text


def short_hash(*parts: Any, length: int = 8) -> str:
    """A short, stable hex digest of ``parts`` (for keys and id suffixes).

    >>> short_hash("a", 1)
    '469f9400'
    """
    return hashlib.sha1("|".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:length]


@dataclass(frozen=True)
class LooseDate:
    """A date as a spreadsheet or register writes it, normalised to the dataset format."""

    date: str | None = None
    start: str | None = None
    end: str | None = None
    circa: bool = False

    def fields(self) -> dict[str, Any]:
        """The non-empty claim fields (``date`` or ``start``/``end``, and ``circa`` when true)."""
        out: dict[str, Any] = {k: v for k, v in (("date", self.date), ("start", self.start), ("end", self.end)) if v}
        if self.circa:
            out["circa"] = True
        return out


_UNCERTAIN = re.compile(r"^\((.*)\)$|^(?:c\.|ca\.|circa|about|around|~)\s*(.*)$|^(.*?)\s*\?$", re.IGNORECASE)
_ISOISH = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$|^\d{3}0s$")
_RANGE = re.compile(r"^(\(?\d{4}\)?\??)\s*(?:-|–|—|to)\s*(\(?\d{4}\)?\??)$")


def loose_date(value: Any) -> LooseDate | None:
    """Normalise a cell's date: ``2015``, ``2015.0``, a ``datetime``, ``2015-2019`` (start/end),
    ``(2014)``, ``2014?`` or ``c. 2014`` (circa). ``None`` for an empty cell.

    Raises ``ValueError`` when the text is not a date in any of those forms.

    >>> loose_date("2015-2019")
    LooseDate(date=None, start='2015', end='2019', circa=False)
    >>> loose_date("(2014)").fields(), loose_date(2015.0).date, loose_date("1999; 2000; 2001").fields()
    ({'date': '2014', 'circa': True}, '2015', {'start': '1999', 'end': '2001'})
    """
    if value is None:
        return None
    if isinstance(value, _dt.datetime):
        return LooseDate(date=value.date().isoformat())
    if isinstance(value, _dt.date):
        return LooseDate(date=value.isoformat())
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = " ".join(str(value).split())
    if not text:
        return None
    if ";" in text:
        parts = [loose_date(p) for p in text.split(";") if p.strip()]
        points = sorted(p.date or p.start or "" for p in parts if p) + sorted(p.end or p.date or "" for p in parts if p)
        points = [p for p in points if p]
        circa = any(p.circa for p in parts if p)
        if not points:
            return None
        first, last = min(points), max(points)
        return LooseDate(date=first, circa=circa) if first == last else LooseDate(start=first, end=last, circa=circa)
    ranged = _RANGE.match(text)
    if ranged:
        a, b = loose_date(ranged.group(1)), loose_date(ranged.group(2))
        if a.date == b.date:
            return LooseDate(date=a.date, circa=a.circa or b.circa)
        return LooseDate(start=a.date, end=b.date, circa=a.circa or b.circa)
    if _ISOISH.match(text):
        return LooseDate(date=text)
    uncertain = _UNCERTAIN.match(text)
    if uncertain:
        inner = next(g for g in uncertain.groups() if g is not None)
        found = loose_date(inner)
        if found is not None:
            return replace(found, circa=True)
    if re.match(r"^\d{4}-\d{2}-\d{2}[T ]\d", text):
        return LooseDate(date=text[:10])
    raise ValueError(f"'{text}' is not a date")


# -- the report every importer returns -----------------------------------------


@dataclass
class ImportReport:
    """What an import did with the names and rows it met.

    ``resolved`` maps a name to the existing entity it resolved to; ``created``
    lists ``(id, name, why)`` of new entities; ``unresolved`` lists
    ``(name, where, why)`` of names that became nothing; ``skipped`` lists
    ``(where, why)`` of rows or records not turned into claims; ``skipped_kinds``
    counts skipped records by kind (FtM schema, ...).
    """

    importer: str
    file: str
    rows: int = 0
    resolved: dict[str, str] = field(default_factory=dict)
    created: list[tuple[str, str, str]] = field(default_factory=list)
    unresolved: list[tuple[str, str, str]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    skipped_kinds: Counter = field(default_factory=Counter)
    counts: dict[str, int] = field(default_factory=dict)
    store_counts: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for people.

        >>> ImportReport("sipri", "t.csv", rows=3, counts={"claims": 6}).summary()
        'sipri t.csv: 3 rows -> 6 claims; 0 names resolved, 0 entities created, 0 unresolved, 0 skipped'
        """
        return (f"{self.importer} {self.file}: {self.rows} rows -> {self.counts.get('claims', 0)} claims; "
                f"{len(self.resolved)} names resolved, {len(self.created)} entities created, "
                f"{len(self.unresolved)} unresolved, {len(self.skipped) + sum(self.skipped_kinds.values())} skipped")

    def to_dict(self) -> dict[str, Any]:
        return {"importer": self.importer, "file": self.file, "rows": self.rows, "counts": dict(self.counts),
                "resolved": dict(self.resolved),
                "created": [{"id": i, "name": n, "why": w} for i, n, w in self.created],
                "unresolved": [{"name": n, "where": w, "why": y} for n, w, y in self.unresolved],
                "skipped": [{"where": w, "why": y} for w, y in self.skipped],
                "skipped_kinds": dict(self.skipped_kinds), "notes": list(self.notes)}


# -- name resolution -------------------------------------------------------------


@dataclass(frozen=True)
class Resolution:
    """The outcome of resolving one name: ``id`` (or ``None``) and every candidate seen."""

    name: str
    id: str | None
    candidates: tuple[str, ...] = ()
    how: str = ""

    @property
    def ambiguous(self) -> bool:
        return self.id is None and len(self.candidates) > 1


class NameIndex:
    """Existing entities by folded id, name and alias, following merge decisions.

    Parameters
    ----------
    dataset : Dataset
        What the store holds (``store.dataset()``).
    merges : mapping, optional
        Merge decisions ``{merged id: kept id}`` (see :func:`merge_map`).
    schema : Schema, optional
        Maps id prefixes to entity types.

    Examples
    --------
    >>> from coopgraph.graph.model import Dataset, Entity
    >>> ds = Dataset(entities={"firm:a": Entity("firm:a", "firm", "Alpha", ("Alpha Ltd",))})
    >>> index = NameIndex(ds, merges={"firm:a-old": "firm:a"})
    >>> index.resolve("alpha ltd").id, index.canonical("firm:a-old"), index.resolve("firm:a-old").id
    ('firm:a', 'firm:a', 'firm:a')
    >>> index.add(Entity("firm:b", "firm", "Alpha"))
    >>> index.resolve("Alpha").candidates
    ('firm:a', 'firm:b')
    """

    def __init__(self, dataset: Dataset | None = None, merges: dict[str, str] | None = None, schema: Schema | None = None):
        self.schema = schema or load_schema()
        self.entities: dict[str, Entity] = {}
        self._names: dict[str, set[str]] = {}
        self.merges = dict(merges or {})
        for entity in (dataset.entities.values() if dataset else ()):
            self.add(entity)

    def add(self, entity: Entity, names: bool = True) -> None:
        """Make ``entity`` resolvable by id (and by its names unless ``names`` is false)."""
        self.entities[entity.id] = entity
        self._names.setdefault(fold(entity.id), set()).add(entity.id)
        if names:
            for name in entity.names:
                self._names.setdefault(fold(name), set()).add(entity.id)

    def add_name(self, entity_id: str, name: str) -> None:
        """Make ``name`` resolve to ``entity_id`` too."""
        self._names.setdefault(fold(name), set()).add(entity_id)

    def canonical(self, entity_id: str) -> str:
        """Follow merge decisions: the id an entity was merged into, else the id itself."""
        seen = set()
        while entity_id in self.merges and entity_id not in seen:
            seen.add(entity_id)
            entity_id = self.merges[entity_id]
        return entity_id

    def type_of(self, entity_id: str) -> str | None:
        """The entity type an id has or would have (from its prefix)."""
        if entity_id in self.entities:
            return self.entities[entity_id].type
        etype = self.schema.type_for_prefix(entity_id.split(":", 1)[0]) if ":" in entity_id else None
        return etype.name if etype else None

    def exists(self, entity_id: str) -> bool:
        return self.canonical(entity_id) in self.entities

    def resolve(self, name: str, types: Iterable[str] | None = None) -> Resolution:
        """Resolve ``name`` to one entity of one of ``types`` (any type when ``None``).

        An id (or a merged id) wins; then an exact name or alias, case- and
        space-insensitive. Several matches leave ``id`` empty and list them.
        """
        wanted = set(types) if types is not None and "*" not in set(types) else None
        text = str(name).strip()
        direct = self.canonical(text)
        if direct in self.entities and (wanted is None or self.entities[direct].type in wanted):
            return Resolution(text, direct, (direct,), "id" if direct == text else "merge")
        found = sorted({self.canonical(eid) for eid in self._names.get(fold(text), ())})
        found = [eid for eid in found if eid in self.entities and (wanted is None or self.entities[eid].type in wanted)]
        if len(found) == 1:
            return Resolution(text, found[0], tuple(found), "name")
        return Resolution(text, None, tuple(found), "ambiguous" if found else "")


def merge_map(store) -> dict[str, str]:
    """The store's merge decisions as ``{merged id: kept id}`` (empty for stores without them)."""
    getter = getattr(store, "merges", None)
    if getter is None or not store.exists():
        return {}
    return {row["merged"]: row["into"] for row in getter()}


def index_for(store, schema: Schema | None = None) -> tuple[Dataset, NameIndex]:
    """The store's dataset and a :class:`NameIndex` over it with its merge decisions."""
    dataset = store.dataset() if store.exists() else Dataset()
    return dataset, NameIndex(dataset, merge_map(store), schema)


# -- merge decisions -----------------------------------------------------------------


def _records(dataset: Dataset, source: str) -> list[RawRecord]:
    out = [RawRecord("entities", e.to_dict(), source, None) for e in dataset.entities.values()]
    out.extend(RawRecord("deals", d.to_dict(), source, None) for d in dataset.deals.values())
    for claim in dataset.claims.values():
        data = claim.to_dict()
        data["value"] = (None if claim.value is None else
                         {"amount": claim.value.amount, "currency": claim.value.currency, "estimate": claim.value.estimate})
        out.append(RawRecord("claims", data, source, None))
    return out


def _validated(upsert: Dataset, context: Dataset, schema: Schema, source: str) -> Dataset:
    """Pass a merge's changes through the same validation as every load.

    The deals written are the plan's own (validation checks their parties, and
    adds the deals of claims that name one with no record)."""
    checked = _records(upsert, source)
    for record in checked:
        if record.kind == "claims":
            record.data = {k: v for k, v in record.data.items() if v is not None}
        else:
            record.data = {k: v for k, v in record.data.items() if v not in (None, {}, [])}
    out = _validate(checked, schema, context)
    out.deals.update(upsert.deals)
    return out


def _validate(records, schema, context):
    from coopgraph.loaders.validate import validate_records

    return validate_records(records, schema, context)


def _redirect(claim: Claim, old: str, new: str) -> Claim:
    return replace(claim, subject=new if claim.subject == old else claim.subject,
                   object=new if claim.object == old else claim.object)


def _redirect_deal(deal: Deal, old: str, new: str) -> Deal:
    return replace(deal, **{part: new for part in ("supplier", "item", "recipient") if getattr(deal, part) == old})


def merge_entities(store, keep: str, merged: str, note: str | None = None, schema: Schema | None = None) -> dict[str, Any]:
    """Record that ``merged`` is the same entity as ``keep``, and apply it.

    ``merged``'s claims are redirected to ``keep`` (a claim that then equals one
    of ``keep``'s gains its citations), deals whose supplier, item or recipient
    is ``merged`` name ``keep`` instead (the deal keeps its id, so its claims
    stay together), its name and aliases become ``keep``'s aliases, entities
    whose ``country`` was ``merged`` point to ``keep``, and ``merged`` is
    removed. Everything needed to undo it is stored with the decision;
    importers resolve ``merged``'s id to ``keep`` from then on.

    Returns a summary: ``merged``, ``into``, ``claims_redirected``, ``claims_folded``,
    ``deals_redirected``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from coopgraph.graph.sqlite_store import SQLiteStore
    >>> from coopgraph.graph.model import Entity
    >>> store = SQLiteStore(pathlib.Path(tempfile.mkdtemp()) / "m.sqlite")
    >>> _ = store.write(Dataset(entities={i: Entity(i, "firm", n) for i, n in (("firm:a", "Alpha"), ("firm:b", "Alfa"))}))
    >>> before = store.dataset()
    >>> merge_entities(store, "firm:a", "firm:b")["into"]
    'firm:a'
    >>> store.entity("firm:a").aliases, store.entity("firm:b")
    (('Alfa',), None)
    >>> _ = unmerge_entity(store, "firm:b")
    >>> store.dataset() == before
    True
    """
    schema = schema or load_schema()
    if keep == merged:
        raise CoopgraphError(f"cannot merge {keep} into itself")
    data = store.dataset()
    decided = merge_map(store)
    if merged in decided:
        raise CoopgraphError(f"{merged} is already merged into {decided[merged]}; 'coopgraph unmerge {merged}' first")
    for eid in (keep, merged):
        if eid not in data.entities:
            raise NotFoundError(f"no entity with id '{eid}'; try 'coopgraph search'")
    a, b = data.entities[keep], data.entities[merged]
    touched = {cid: c for cid, c in data.claims.items() if merged in (c.subject, c.object)}
    upsert = Dataset()
    folded = 0
    for cid, claim in touched.items():
        moved = _redirect(claim, merged, keep)
        target = upsert.claims.get(moved.id) or data.claims.get(moved.id)
        if target is not None and moved.id not in touched:
            folded += 1
            moved = replace(target, citations=tuple(dict.fromkeys(target.citations + moved.citations)))
        upsert.claims[moved.id] = moved
    deals = {did: d for did, d in data.deals.items() if merged in (d.supplier, d.item, d.recipient)}
    for did, deal in deals.items():
        upsert.deals[did] = _redirect_deal(deal, merged, keep)
    aliases = tuple(dict.fromkeys(n for n in a.aliases + b.names if fold(n) != fold(a.name)))
    upsert.entities[keep] = replace(a, aliases=aliases)
    countries = {eid: e for eid, e in data.entities.items() if e.country == merged and eid != merged}
    for eid, entity in countries.items():
        upsert.entities[eid] = replace(upsert.entities.get(eid, entity), country=keep)
    created = [cid for cid in upsert.claims if cid not in data.claims]
    changed = [cid for cid in upsert.claims if cid in data.claims]
    context = Dataset(dict(data.documents), {k: v for k, v in data.entities.items() if k != merged},
                      {k: v for k, v in data.claims.items() if k not in touched},
                      {k: v for k, v in data.deals.items() if k not in deals})
    checked = _validated(upsert, context, schema, f"merge {keep} {merged}")
    undo = {
        "entities": [e.to_dict() for e in [a, b] + list(countries.values())],
        "claims": [c.to_dict() for c in list(touched.values()) + [data.claims[cid] for cid in changed if cid not in touched]],
        "created_claims": sorted(created),
        "deals": [d.to_dict() for d in deals.values()],
        # deals the store had claims of but no record of, which the merge's validation wrote
        "created_deals": sorted(did for did in checked.deals if did not in data.deals),
    }
    record = {"merged": merged, "into": keep, "note": note, "undo": undo,
              "decided": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")}
    store.apply_merge_change(checked, delete_claims=[c for c in touched if c not in upsert.claims],
                             delete_entities=[merged], record=record)
    return {"merged": merged, "into": keep, "claims_redirected": len(touched), "claims_folded": folded,
            "deals_redirected": len(deals)}


def unmerge_entity(store, merged: str, schema: Schema | None = None) -> dict[str, Any]:
    """Undo the merge decision about ``merged`` exactly: restore it, its claims, the deals
    that named it, and the kept entity's aliases as they were, and forget the decision.

    Claims that other imports added since the merge are kept.
    """
    schema = schema or load_schema()
    rows = {row["merged"]: row for row in (store.merges() if store.exists() else [])}
    if merged not in rows:
        known = ", ".join(sorted(rows)) or "none"
        raise NotFoundError(f"no merge decision about '{merged}' (recorded: {known}); see 'coopgraph merges'")
    row = rows[merged]
    undo = row["undo"]
    restore = [RawRecord("entities", {k: v for k, v in e.items() if v not in (None, {}, [])}, f"unmerge {merged}", None)
               for e in undo["entities"]]
    deals = {d["id"]: Deal(**d) for d in undo.get("deals", [])}  # decisions recorded before deals have none
    restore.extend(RawRecord("deals", {k: v for k, v in d.to_dict().items() if v is not None}, f"unmerge {merged}", None)
                   for d in deals.values())
    for claim in undo["claims"]:
        data = {k: v for k, v in claim.items() if v is not None}
        restore.append(RawRecord("claims", data, f"unmerge {merged}", None))
    data = store.dataset()
    created = set(undo["created_claims"])
    created_deals = set(undo.get("created_deals", [])) - set(deals)
    restored_ids = {c["id"] for c in undo["claims"]}
    context = Dataset(dict(data.documents), dict(data.entities),
                      {k: v for k, v in data.claims.items() if k not in created},
                      {k: v for k, v in data.deals.items() if k not in deals and k not in created_deals})
    checked = _validate(restore, schema, context)
    checked.deals = {did: d for did, d in checked.deals.items() if did not in created_deals}
    checked.deals.update(deals)
    store.apply_merge_change(checked, delete_claims=sorted(created - restored_ids), delete_deals=sorted(created_deals),
                             forget=merged)
    return {"merged": merged, "into": row["into"], "claims_restored": len(undo["claims"]), "deals_restored": len(deals)}


def merge_rows(store) -> list[dict[str, Any]]:
    """The merge decisions as rows for a report: merged, into, decided, note, claims."""
    return [{"merged": r["merged"], "into": r["into"], "decided": r["decided"], "note": r["note"] or "",
             "claims": len(r["undo"].get("claims", []))} for r in (store.merges() if store.exists() else [])]


def problems_error(problems: list[Problem]) -> None:
    """Raise :class:`ValidationError` when ``problems`` is not empty."""
    if problems:
        raise ValidationError(problems)
