"""Import FollowTheMoney (FtM) entities, as OpenSanctions and Aleph publish them.

The input is JSON lines: one FtM entity a line with ``id``, ``schema``,
``caption``, ``properties`` (every property a list of strings) and, from
OpenSanctions, ``datasets``, ``first_seen``, ``last_seen``.

What becomes what:

==========================================  ===================================================
FtM schema                                  coopgraph
==========================================  ===================================================
Company, Organization, LegalEntity          ``firm`` (``gov_body`` for PublicBody or a ``gov.*`` topic)
Person                                      ``person``
Ownership (owner, asset)                    ``asset --subsidiary_of--> owner``, or ``--owned_by-->`` a person
                                            (percentage, shares, role)
Directorship (director, organization)       ``director --holds_position--> organization`` (role)
Sanction (authority, entity)                a ``sanction`` entity, ``authority --imposes--> sanction``,
                                            ``sanction --targets--> entity``
Address, Family, Passport, ... (others)     skipped, counted in the report
==========================================  ===================================================

Names resolve to existing entities by id, name or alias first (and through
merge decisions); otherwise a new entity ``<prefix>:<slug>-<hash of FtM id>`` is
created, its other names (Cyrillic included) kept as aliases. ``startDate`` /
``endDate`` become ``start`` / ``end``; ``first_seen`` is kept in attributes.
Every claim cites one document per source dataset (``ftm-<dataset>``) with the
FtM id of the statement entity as locator and a compact rendering of the
properties used as quote.

None of these relations is part of a transfer (``supplies``,
``transferred_to``, ``licensed_to``), so an FtM import makes no deals; an FtM
schema mapped to one later must give its claims a ``deal``.

Examples
--------
>>> import json, tempfile, pathlib
>>> from coopgraph.loaders.resolve_names import NameIndex
>>> lines = [
...   {"id": "c1", "schema": "Company", "caption": "Acme Arms", "properties": {"name": ["Acme Arms", "Акме"]},
...    "datasets": ["demo"], "last_seen": "2024-05-01T00:00:00"},
...   {"id": "c2", "schema": "Company", "caption": "Acme Holding", "properties": {"name": ["Acme Holding"]}, "datasets": ["demo"]},
...   {"id": "o1", "schema": "Ownership", "caption": "Ownership", "datasets": ["demo"],
...    "properties": {"owner": ["c2"], "asset": ["c1"], "startDate": ["2019-05-24"], "percentage": ["51"]}},
...   {"id": "a1", "schema": "Address", "caption": "Somewhere", "properties": {}, "datasets": ["demo"]}]
>>> path = pathlib.Path(tempfile.mkdtemp()) / "demo.ftm.json"
>>> _ = path.write_text("\\n".join(json.dumps(x) for x in lines), encoding="utf-8")
>>> records, report = read_ftm(path, NameIndex())
>>> [(r.data["subject"], r.data["relation"], r.data["object"], r.data["start"]) for r in records if r.kind == "claims"]
[('firm:acme-arms-...', 'subsidiary_of', 'firm:acme-holding-...', '2019-05-24')]
>>> dict(report.skipped_kinds), [r.data.get("aliases") for r in records if r.kind == "entities"]
({'Address': 1}, [['Акме'], None])
"""

from __future__ import annotations

import datetime as _dt
import json
from pathlib import Path
from typing import Any

from coopgraph.graph.dates import PartialDate
from coopgraph.graph.errors import Problem, ValidationError
from coopgraph.graph.model import Entity
from coopgraph.graph.sqlite_store import fold
from coopgraph.loaders.records import RawRecord
from coopgraph.loaders.resolve_names import ImportReport, NameIndex, short_hash, slugify

DESCRIPTION = "FollowTheMoney entities as JSON lines (OpenSanctions, Aleph)"

NODE_TYPES = {"Company": "firm", "Organization": "firm", "LegalEntity": "firm", "PublicBody": "gov_body",
              "Person": "person"}
RESOLVE_TYPES = {"firm": ("firm", "gov_body", "research_institute"), "gov_body": ("gov_body", "firm"),
                 "person": ("person",)}
NAME_PROPERTIES = ("name", "alias", "previousName", "abbreviation")
KEEP_PROPERTIES = ("incorporationDate", "dissolutionDate", "birthDate", "position", "innCode", "ogrnCode",
                   "registrationNumber", "taxNumber", "legalForm", "topics", "website")
#: ISO 3166 codes FtM uses -> the state names coopgraph entities use (resolved by name or alias)
COUNTRIES = {
    "ru": "Russia", "ua": "Ukraine", "by": "Belarus", "cn": "China", "us": "United States", "gb": "United Kingdom",
    "fr": "France", "de": "Germany", "it": "Italy", "es": "Spain", "nl": "Netherlands", "be": "Belgium",
    "ch": "Switzerland", "at": "Austria", "pl": "Poland", "cz": "Czechia", "se": "Sweden", "no": "Norway",
    "fi": "Finland", "dk": "Denmark", "lv": "Latvia", "lt": "Lithuania", "ee": "Estonia", "mc": "Monaco",
    "jp": "Japan", "kr": "South Korea", "kp": "North Korea", "tw": "Taiwan", "in": "India", "pk": "Pakistan",
    "ir": "Iran", "il": "Israel", "tr": "Turkiye", "sy": "Syria", "kz": "Kazakhstan", "au": "Australia",
    "nz": "New Zealand", "ca": "Canada", "ae": "UAE", "sg": "Singapore", "vn": "Viet Nam", "th": "Thailand",
}
QUOTE_LIMIT = 400


def _values(entity: dict, prop: str) -> list[str]:
    raw = (entity.get("properties") or {}).get(prop) or []
    if isinstance(raw, str):
        raw = [raw]
    return [" ".join(str(v).split()) for v in raw if str(v).strip()]


def _date_part(text: str) -> str | None:
    text = text.strip()[:10]
    for size in (10, 7, 4):
        candidate = text[:size]
        try:
            _dt.date.fromisoformat(candidate if size == 10 else candidate + ("-01" if size == 7 else "-01-01"))
            return candidate
        except ValueError:
            continue
    return None


def _span(entity: dict) -> dict[str, str]:
    """``start``/``end`` from startDate/endDate (earliest, latest); else the earliest listingDate as ``date``.

    An end before the start is left out (it stays in the claim's attributes).

    >>> _span({"properties": {"startDate": ["2023-12-21", "2025-04-23"], "endDate": ["2033-07-01"]}})
    {'start': '2023-12-21', 'end': '2033-07-01'}
    >>> _span({"properties": {"listingDate": ["2025-03-15", "2023-12-18"]}})
    {'date': '2023-12-18'}
    """
    starts = sorted(d for d in (_date_part(v) for v in _values(entity, "startDate")) if d)
    ends = sorted(d for d in (_date_part(v) for v in _values(entity, "endDate")) if d)
    out: dict[str, str] = {}
    if starts:
        out["start"] = starts[0]
    if ends and (not starts or PartialDate.parse(ends[-1]).latest >= PartialDate.parse(starts[0]).earliest):
        out["end"] = ends[-1]
    if not out:
        listed = sorted(d for d in (_date_part(v) for v in _values(entity, "listingDate")) if d)
        if listed:
            out["date"] = listed[0]
    return out


def _quote(entity: dict, props: tuple[str, ...], captions: dict[str, str]) -> str:
    parts = []
    for prop in props:
        values = [captions.get(v, v) for v in _values(entity, prop)]
        if values:
            parts.append(f"{prop}={' | '.join(values)}")
    text = f"{entity.get('schema')}: " + "; ".join(parts)
    return text if len(text) <= QUOTE_LIMIT else text[: QUOTE_LIMIT - 1] + "…"


def _read_lines(path: Path, problems: list[Problem]) -> list[tuple[int, dict]]:
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError([Problem(name, None, None, f"not UTF-8 text ({exc.reason})", "save the file as UTF-8 JSON lines")]) from None
    if text.lstrip().startswith("["):
        line = text[:len(text) - len(text.lstrip())].count("\n") + 1
        raise ValidationError([Problem(name, line, None, "a JSON array, but FollowTheMoney files are JSON lines: "
                                       "one entity object on each line",
                                       "write one entity per line, e.g. jq -c '.[]' FILE > FILE.ftm.json")])
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            out.append((number, json.loads(line)))
        except json.JSONDecodeError as exc:
            problems.append(Problem(name, number, None, f"not valid JSON: {exc.msg} (column {exc.colno})",
                                    "write one complete FtM entity as JSON on each line"))
    return out


def _datasets(entity: dict, fallback: str) -> list[tuple[str, str]]:
    """``(document id, dataset name)`` of each source dataset of an FtM entity."""
    found = [(f"ftm-{slugify(d)}", str(d)) for d in entity.get("datasets") or [] if slugify(d)]
    return found or [(f"ftm-{slugify(fallback) or 'file'}", fallback)]


class _Nodes:
    """Resolve or create the coopgraph entity of each FtM node entity."""

    def __init__(self, index: NameIndex, report: ImportReport):
        self.index, self.report = index, report
        self.emit: dict[str, Entity] = {}
        self.ids: dict[str, str] = {}

    def state(self, code: str) -> str | None:
        name = COUNTRIES.get(code.lower())
        if not name:
            return None
        found = self.index.resolve(name, ("state",))
        if found.id:
            if found.id not in self.emit:
                self.report.resolved.setdefault(name, found.id)
            return found.id
        eid = self.index.canonical("state:" + slugify(name))
        if eid not in self.index.entities:
            entity = Entity(eid, "state", name)
            self.index.add(entity)
            self.emit[eid] = entity
            self.report.created.append((eid, name, f"country code '{code}'"))
        return eid

    def node(self, obj: dict, etype: str) -> str:
        ftm_id = str(obj["id"])
        names = [n for n in [" ".join(str(obj.get("caption") or "").split())] + [v for p in NAME_PROPERTIES for v in _values(obj, p)] if n]
        names = list(dict.fromkeys(names)) or [ftm_id]
        caption = names[0]
        readable = next((slugify(n, 40) for n in names if slugify(n, 40)), "ftm")
        prefix = self.index.schema.entity_type(etype).prefix
        own = f"{prefix}:{readable}-{short_hash(ftm_id, length=6)}"
        canonical = self.index.canonical(own)
        if canonical != own and canonical in self.index.entities:
            self.report.resolved[caption] = canonical
            self.ids[ftm_id] = canonical
            return canonical
        if own not in self.index.entities:
            for name in names:
                found = self.index.resolve(name, RESOLVE_TYPES[etype])
                if found.id:
                    self.report.resolved[caption if name == caption else f"{caption} (as '{name}')"] = found.id
                    self.ids[ftm_id] = found.id
                    return found.id
                if found.ambiguous:
                    self.report.unresolved.append((name, f"entity {ftm_id}", f"matches {', '.join(found.candidates)}; "
                                                   f"created {own} — record a decision with 'coopgraph merge'"))
                    break
            self.report.created.append((own, caption, f"FtM {obj.get('schema')} {ftm_id}"))
        earlier = self.index.entities.get(own)  # refreshed: keep aliases a merge gave it
        aliases = list(earlier.aliases) if earlier else []
        seen = {fold(caption)} | {fold(a) for a in aliases}
        for name in names[1:]:
            if fold(name) not in seen:
                seen.add(fold(name))
                aliases.append(name)
        attributes: dict[str, Any] = {"ftm_id": ftm_id, "ftm_schema": obj.get("schema")}
        if obj.get("datasets"):
            attributes["datasets"] = list(obj["datasets"])
        if obj.get("first_seen"):
            attributes["first_seen"] = obj["first_seen"]
        for prop in KEEP_PROPERTIES:
            values = _values(obj, prop)
            if values:
                attributes[prop] = values if len(values) > 1 else values[0]
        codes = _values(obj, "country") + _values(obj, "jurisdiction") + _values(obj, "nationality")
        country = next((c for c in (self.state(code) for code in codes) if c), None)
        if etype == "state":
            country = None
        entity = Entity(own, etype, caption, tuple(aliases), country, None, None, attributes)
        self.index.add(entity, names=False)
        self.emit[own] = entity
        self.ids[ftm_id] = own
        return own

    def body(self, authority: str, code: str | None) -> str:
        found = self.index.resolve(authority, ("gov_body", "state"))
        if found.id:
            if found.id not in self.emit:
                self.report.resolved.setdefault(authority, found.id)
            return found.id
        eid = self.index.canonical("body:" + (slugify(authority) or "x-" + short_hash(authority)))
        if eid not in self.index.entities:
            country = self.state(code) if code else None
            entity = Entity(eid, "gov_body", authority, (), country)
            self.index.add(entity)
            self.emit[eid] = entity
            self.report.created.append((eid, authority, "sanction authority"))
        return eid


def read_ftm(path: str | Path, index: NameIndex) -> tuple[list[RawRecord], ImportReport]:
    """Read FtM JSON lines into raw records (documents, new entities, claims).

    Parameters
    ----------
    path : path
        A ``.json``/``.ftm.json``/``.jsonl`` file, one FtM entity a line (a JSON array is refused, with how to
        turn it into lines).
    index : NameIndex
        Existing entities and merge decisions; new entities are added to it.

    Returns
    -------
    (records, report)

    Raises
    ------
    ValidationError
        For lines that are not JSON or not FtM entities (each with its line, field and a fix).
    """
    path = Path(path)
    name = str(path)
    report = ImportReport("ftm", name)
    if not path.is_file():
        raise ValidationError([Problem(name, None, None, "no such file", "check the path")])
    problems: list[Problem] = []
    rows = _read_lines(path, problems)
    entities: dict[str, tuple[int, dict]] = {}
    for number, obj in rows:
        if not isinstance(obj, dict):
            problems.append(Problem(name, number, None, f"expected a JSON object, got {type(obj).__name__}",
                                    "write one FtM entity {id, schema, properties} per line"))
            continue
        for key, kind in (("id", (str,)), ("schema", (str,)), ("properties", (dict,))):
            if not isinstance(obj.get(key), kind) or not obj.get(key) and key != "properties":
                problems.append(Problem(name, number, key, "missing or not a " + ("mapping" if key == "properties" else "string"),
                                        "every FtM entity has an id, a schema name and a properties mapping"))
                break
        else:
            entities[obj["id"]] = (number, obj)
    if problems:
        raise ValidationError(problems)
    report.rows = len(entities)
    fallback = path.name.split(".")[0]
    captions = {eid: " ".join(str(obj.get("caption") or eid).split()) for eid, (_, obj) in entities.items()}
    nodes = _Nodes(index, report)
    for eid, (number, obj) in entities.items():
        etype = NODE_TYPES.get(obj["schema"])
        if etype == "firm" and any(t.startswith("gov") for t in _values(obj, "topics")):
            etype = "gov_body"
        if etype:
            nodes.node(obj, etype)
    claims: list[RawRecord] = []
    used: dict[str, tuple[str, list[dict]]] = {}

    def cite(obj: dict, props: tuple[str, ...]) -> list[dict]:
        quote = _quote(obj, props, captions)
        out = []
        for doc, dataset in _datasets(obj, fallback):
            used.setdefault(doc, (dataset, []))[1].append(obj)
            out.append({"document": doc, "locator": str(obj["id"]), "quote": quote})
        return out

    def claim(number: int, obj: dict, subject: str, relation: str, target: str, props: tuple[str, ...],
              attributes: dict, suffix: str = "") -> None:
        data: dict[str, Any] = {"subject": subject, "relation": relation, "object": target, **_span(obj),
                                "key": f"ftm {obj['id']}{suffix}", "citations": cite(obj, props)}
        attrs = {k: v for k, v in attributes.items() if v}
        attrs["ftm_id"] = obj["id"]
        if obj.get("first_seen"):
            attrs["first_seen"] = obj["first_seen"]
        ends = _values(obj, "endDate")
        if ends and "end" not in data:
            attrs["endDate"] = ends
        data["attributes"] = attrs
        claims.append(RawRecord("claims", data, name, number))

    def ref(obj: dict, prop: str, where: str) -> tuple[str | None, dict | None]:
        values = _values(obj, prop)
        if not values:
            report.skipped.append((where, f"no '{prop}'"))
            return None, None
        target = values[0]
        if target not in nodes.ids:
            what = entities[target][1]["schema"] if target in entities else "not in the file"
            report.skipped.append((where, f"'{prop}' {target} is {what}: not an organisation or person"))
            return None, None
        return nodes.ids[target], entities[target][1]

    for eid, (number, obj) in entities.items():
        schema = obj["schema"]
        where = f"line {number} ({schema} {eid})"
        if schema in NODE_TYPES:
            continue
        if schema == "Ownership":
            owner, owner_obj = ref(obj, "owner", where)
            asset, _ = ref(obj, "asset", where)
            if not (owner and asset):
                continue
            otype, atype = index.type_of(owner), index.type_of(asset)
            relation = next((r for r in ("subsidiary_of", "owned_by") if index.schema.relation(r).allows(atype, otype)), None)
            if relation is None:
                report.skipped.append((where, f"{owner_obj.get('schema')} {captions[_values(obj, 'owner')[0]]} owns "
                                              f"{captions[_values(obj, 'asset')[0]]}: no relation joins a {atype} to a {otype} owner"))
                continue
            claim(number, obj, asset, relation, owner, ("owner", "asset", "role", "percentage", "sharesCount", "startDate", "endDate"),
                  {"role": "; ".join(_values(obj, "role")), "percentage": "; ".join(_values(obj, "percentage")),
                   "sharesCount": "; ".join(_values(obj, "sharesCount"))})
        elif schema == "Directorship":
            director, _ = ref(obj, "director", where)
            organization, _ = ref(obj, "organization", where)
            if not (director and organization):
                continue
            if not index.schema.relation("holds_position").allows(index.type_of(director), index.type_of(organization)):
                report.skipped.append((where, f"holds_position cannot join a {index.type_of(director)} to a {index.type_of(organization)}"))
                continue
            claim(number, obj, director, "holds_position", organization, ("director", "organization", "role", "startDate", "endDate"),
                  {"role": "; ".join(_values(obj, "role")), "summary": "; ".join(_values(obj, "summary"))})
        elif schema == "Sanction":
            target, target_obj = ref(obj, "entity", where)
            if not target:
                continue
            authorities = _values(obj, "authority")
            codes = _values(obj, "country")
            program = (_values(obj, "program") or [""])[0]
            label = authorities[0] if authorities else (COUNTRIES.get(codes[0], codes[0].upper()) if codes else "Unknown authority")
            title = f"{label} sanction on {captions[_values(obj, 'entity')[0]]}"
            if program:
                title += f" ({program if len(program) <= 60 else program[:59] + '…'})"
            own = f"sanction:{slugify(label, 24) or 'x'}-{short_hash(eid, length=8)}"
            sid = index.canonical(own)
            attributes: dict[str, Any] = {"ftm_id": eid}
            for prop in ("program", "programId", "provisions", "reason", "status", "listingDate", "authorityId",
                         "sourceUrl", "startDate", "endDate"):
                values = _values(obj, prop)
                if values:
                    attributes[prop] = values if len(values) > 1 else values[0]
            if sid == own:  # ours: create it, or refresh what an earlier import created
                if own not in index.entities:
                    report.created.append((sid, title, f"FtM Sanction {eid}"))
                entity = Entity(sid, "sanction", title, attributes=attributes)
                index.add(entity, names=False)
                nodes.emit[sid] = entity
            else:
                report.resolved[title] = sid
            props = ("authority", "country", "program", "entity", "startDate", "endDate", "listingDate")
            claim(number, obj, sid, "targets", target, props, {"program": program})
            imposers = {nodes.body(a, codes[0] if codes else None): a for a in authorities}
            if not imposers and codes and nodes.state(codes[0]):
                imposers = {nodes.state(codes[0]): ""}
            if not imposers:
                report.skipped.append((where, "no authority or known country: no imposes claim"))
            for imposer, authority in imposers.items():
                claim(number, obj, imposer, "imposes", sid, props, {"authority": authority}, suffix=" imposes")
        else:
            report.skipped_kinds[schema] += 1
    documents = []
    for doc, (dataset, objs) in sorted(used.items()):
        # dated by the newest sighting of any entity of the dataset in the file
        members = objs + [o for _, o in entities.values() if doc in {d for d, _ in _datasets(o, fallback)}]
        stamps = [d for d in (_date_part(str(o.get(k))) for o in members for k in ("last_seen", "last_change", "first_seen")
                              if o.get(k)) if d]
        date = max(stamps) if stamps else _dt.date.fromtimestamp(path.stat().st_mtime).isoformat()
        documents.append(RawRecord("documents", {
            "id": doc, "title": f"OpenSanctions dataset '{dataset}' (FollowTheMoney entities)",
            "date": date, "publisher": "OpenSanctions", "kind": "dataset",
            "url": f"https://www.opensanctions.org/datasets/{dataset}/"}, name, None))
    new = [RawRecord("entities", {k: v for k, v in e.to_dict().items() if v not in (None, [], {})}, name, None)
           for e in nodes.emit.values()]
    report.counts = {"documents": len(documents), "entities": len(new), "claims": len(claims)}
    return documents + new + claims, report
