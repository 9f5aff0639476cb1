"""Shared name resolution for the importers.

An importer meets names ("Russia", "Su-35", "JSC Kalashnikov Concern") and must
turn each into an entity id without forking a node that already exists.
:class:`NameIndex` resolves a name to existing entities by id, name or alias
(case-insensitive), restricted to the entity types a relation allows, and
follows the merge decisions recorded in the store: when ``coopgraph merge A B``
said that B is A, a name or id of B resolves to A.

The decisions themselves are made and undone in :mod:`coopgraph.loaders.merges`.

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

from coopgraph.graph.dates import DateFormatError
from coopgraph.graph.errors import Problem, ValidationError
from coopgraph.graph.model import Dataset, Entity
from coopgraph.graph.schema import Schema, load_schema
from coopgraph.graph.sqlite_store import fold

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
    raise DateFormatError(f"'{text}' is not a date")


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

    def name_rows(self) -> list[dict[str, str]]:
        """One row per name resolved, entity created, name unresolved and record skipped: what, name, id, where, why.

        >>> ImportReport("csv", "t.csv", resolved={"Russia": "state:russia"}).name_rows()
        [{'what': 'resolved', 'name': 'Russia', 'id': 'state:russia', 'where': '', 'why': ''}]
        """
        rows = [{"what": "resolved", "name": name, "id": eid, "where": "", "why": ""} for name, eid in self.resolved.items()]
        rows += [{"what": "created", "name": name, "id": eid, "where": "", "why": why} for eid, name, why in self.created]
        rows += [{"what": "unresolved", "name": name, "id": "", "where": where, "why": why}
                 for name, where, why in self.unresolved]
        rows += [{"what": "skipped", "name": "", "id": "", "where": where, "why": why} for where, why in self.skipped]
        rows += [{"what": "skipped", "name": kind, "id": "", "where": f"{count} record(s)", "why": "not imported (kind)"}
                 for kind, count in sorted(self.skipped_kinds.items())]
        return rows

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
        #: what the store held when the index was made: importers look up the deals and claims a source's
        #: rows already became (a register row filed under a curated deal resolves to that deal)
        self.dataset: Dataset = dataset if dataset is not None else Dataset()
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


def problems_error(problems: list[Problem]) -> None:
    """Raise :class:`ValidationError` when ``problems`` is not empty."""
    if problems:
        raise ValidationError(problems)
