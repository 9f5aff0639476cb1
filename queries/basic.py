"""Reports about what the store holds: counts, name search, one entity's claims."""

from __future__ import annotations

from typing import Any

from coopgraph.graph.model import Claim, Entity
from coopgraph.graph.summary import dataset_stats  # noqa: F401  (part of the query API)
from coopgraph.graph.store import Store
from coopgraph.queries.report import Report
from coopgraph.queries.resolve import resolve_entity


def stats(store: Store) -> Report:
    """Counts by entity type, relation type and document, and the span of years.

    Returns
    -------
    Report
        Rows ``section, name, count``; the document has ``totals`` (documents,
        entities, claims, citations), ``entity_types``, ``relation_types``,
        ``documents`` (claims citing each), ``years`` (first, last, undated claims).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from coopgraph.loaders import open_or_build
    >>> report = stats(open_or_build(pathlib.Path(tempfile.mkdtemp()) / "g.sqlite"))
    >>> report["totals"]["claims"] == sum(report["relation_types"].values())
    True
    """
    summary = store.summary()
    return Report(stats_rows(summary), columns=["section", "name", "count"], document=summary)


def stats_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Flatten a :func:`stats` report into ``section, name, count`` rows."""
    rows = []
    for section in ("totals", "entity_types", "relation_types", "documents", "years"):
        for name, count in report[section].items():
            rows.append({"section": section, "name": name, "count": count})
    return rows


def info(store: Store) -> Report:
    """What a store is: where it lives, its layout version, its counts, the schema and bundled data.

    Returns
    -------
    Report
        Rows ``what, value``: ``store`` (path or URI), ``backend``, ``store layout``
        (the version of the store's tables, the one this coopgraph writes beside it),
        ``documents``, ``entities``, ``deals``, ``claims``, ``citations``,
        ``merge decisions``, ``schema`` (types and version), ``bundled data`` (a
        fingerprint of the files shipped) and ``coopgraph`` (the version).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from coopgraph.loaders import open_or_build
    >>> report = info(open_or_build(pathlib.Path(tempfile.mkdtemp()) / "g.sqlite"))
    >>> report["claims"] == report["counts"]["claims"] > 0
    True
    """
    import yaml

    from coopgraph import __version__
    from coopgraph.graph.schema import SCHEMA_FILE, load_schema
    from coopgraph.loaders.bundled import bundled_version

    counts = store.counts()
    schema = load_schema()
    schema_version = (yaml.safe_load(SCHEMA_FILE.read_text(encoding="utf-8")) or {}).get("version")
    where = getattr(store, "path", None) or getattr(store, "uri", None)
    layout = None
    if hasattr(store, "_layout") and store.exists():
        from coopgraph.graph.sqlite_store import SCHEMA_VERSION

        layout = f"{store._layout()} (this coopgraph writes {SCHEMA_VERSION})"
    merges = len(store.merges()) if hasattr(store, "merges") and store.exists() else None
    document = {
        "store": str(where) if where is not None else None,
        "backend": "embedded" if hasattr(store, "path") else "neo4j",
        "store layout": layout,
        **{name: counts.get(name, 0) for name in ("documents", "entities", "deals", "claims", "citations")},
        "merge decisions": merges,
        "schema": f"{len(schema.entity_types)} entity types, {len(schema.relation_types)} relation types "
                  f"(graph/schema.yaml version {schema_version})",
        "bundled data": bundled_version(),
        "coopgraph": __version__,
    }
    rows = [{"what": k, "value": v} for k, v in document.items() if v is not None]
    return Report(rows, columns=["what", "value"], document={**document, "counts": counts})


def search(store: Store, text: str, limit: int = 50) -> Report:
    """Entities whose id, name or alias contains ``text``, exact matches first.

    Case, and when nothing else matches hyphens and spaces, do not matter
    (``Su27`` finds Su-27); when nothing matches at all, :attr:`Report.empty`
    names the closest entities.

    Returns
    -------
    Report
        One row per entity: id, type, name, aliases, country.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from coopgraph.loaders import open_or_build
    >>> rows = search(open_or_build(pathlib.Path(tempfile.mkdtemp()) / "g.sqlite"), "rostec")
    >>> rows[0]["id"]
    'firm:rostec'
    """
    from coopgraph.graph.names import close_entities, not_found_message, squash
    from coopgraph.queries.resolve import _name_index

    found = store.find_entities(text, limit=limit)
    empty = f"no entity matches '{text}'"
    if not found and squash(text):
        # forgiving: the same letters and digits, hyphens, spaces and case aside (Su27, su 27 -> Su-27)
        entities = store.dataset(claims=False).entities
        wanted = squash(text)
        found = sorted((e for e in entities.values()
                        if any(wanted in squash(n) for n in (e.id.split(":", 1)[-1], *e.names))),
                       key=lambda e: (not any(squash(n) == wanted for n in e.names), e.id))[:limit]
        if not found:
            close = close_entities(text, _name_index(entities.values()), {i: e.name for i, e in entities.items()})
            empty = not_found_message(text, close)
    return Report([entity_row(e) for e in found], columns=ENTITY_COLUMNS,
                  table_columns=["id", "type", "name", "aliases"], empty=empty)


ENTITY_COLUMNS = ["id", "type", "name", "aliases", "country"]


def schema_report(schema=None) -> Report:
    """The schema's entity and relation types with their meaning, as rows.

    Examples
    --------
    >>> schema_report()[0]["kind"], schema_report()[0]["name"]
    ('entity', 'state')
    """
    from coopgraph.graph.schema import load_schema

    schema = schema or load_schema()
    rows = [{"kind": "entity", "name": t.name, "id prefix / endpoints": f"{t.prefix}:", "flow": "", "meaning": t.description}
            for t in schema.entity_types.values()]
    rows += [{"kind": "relation", "name": r.name, "id prefix / endpoints": f"{'|'.join(r.subject)} -> {'|'.join(r.object)}",
              "flow": r.flow, "meaning": r.description} for r in schema.relation_types.values()]
    return Report(rows)


def entity_row(entity: Entity) -> dict[str, Any]:
    return {
        "id": entity.id,
        "type": entity.type,
        "name": entity.name,
        "aliases": list(entity.aliases),
        "country": entity.country,
    }


def claim_row(claim: Claim, focus: str | None = None, names: dict[str, str] | None = None) -> dict[str, Any]:
    """One claim as a flat row; with ``focus``, says which way the claim points from it."""
    names = names or {}
    direction = "out" if focus is None or claim.subject == focus else "in"
    if claim.subject == focus and claim.object == focus:
        direction = "self"
    return {
        "claim": claim.id,
        "when": when_text(claim),
        "subject": claim.subject,
        "subject_name": names.get(claim.subject, claim.subject),
        "relation": claim.relation,
        "object": claim.object,
        "object_name": names.get(claim.object, claim.object),
        "direction": direction,
        "status": claim.status,
        "confidence": claim.confidence,
        "quantity": claim.quantity,
        "unit": claim.unit,
        "deal": claim.deal,
        "value": None if claim.value is None else f"{claim.value.amount:,.0f} {claim.value.currency}" + (" (est.)" if claim.value.estimate else ""),
        "date": claim.date,
        "start": claim.start,
        "end": claim.end,
        "circa": claim.circa,
        "citations": [c.to_dict() for c in claim.citations],
        "notes": claim.notes,
    }


def when_text(claim: Claim) -> str:
    """A claim's date as a person reads it: ``2015-11``, ``1992–2006``, ``c. 1990s``, ``undated``.

    >>> when_text(Claim("a", "r", "b", start="1992", end="2006"))
    '1992–2006'
    >>> when_text(Claim("a", "r", "b", date="1990s", circa=True))
    'c. 1990s'
    """
    if claim.date:
        text = claim.date
    elif claim.start or claim.end:
        text = f"{claim.start or '?'}–{claim.end or ''}"
    else:
        return "undated"
    return f"c. {text}" if claim.circa else text


def show(store: Store, name: str) -> Report:
    """An entity with every claim it takes part in, dated and cited.

    Parameters
    ----------
    name : str
        An id, name or alias (see :func:`coopgraph.queries.resolve.resolve_entity`).

    Returns
    -------
    Report
        Rows: the claims (:func:`claim_row`, in date order). The document has ``entity``
        (its fields), ``claims`` and
        ``deals``: the transfers those claims belong to (parties, status, numbers ordered and
        delivered, dates, value, documents, and ``claim_numbers``: which of the claims).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from coopgraph.loaders import open_or_build
    >>> report = show(open_or_build(pathlib.Path(tempfile.mkdtemp()) / "g.sqlite"), "Su-27")
    >>> report["entity"]["id"], all(row["citations"] for row in report["claims"])
    ('system:su-27', True)
    """
    from coopgraph.graph.deals import claim_summaries
    from coopgraph.graph.schema import load_schema

    entity = resolve_entity(store, name)
    claims = store.claims_of(entity.id)
    declared = store.deal_records(c.deal for c in claims if c.deal)
    others = {c.subject for c in claims} | {c.object for c in claims}
    others |= {p for deal in declared.values() for p in deal.parties if p}
    known = store.entities(sorted(others))
    names = {other: known[other].name if other in known else other for other in others}
    info = entity.to_dict()
    rows = [claim_row(c, entity.id, names) for c in claims]
    deals = claim_summaries(claims, load_schema().deal_relations, declared, names)
    numbers = {row["claim"]: i for i, row in enumerate(rows, start=1)}
    for deal in deals:
        deal["claim_numbers"] = sorted(numbers[c] for c in deal["claims"] if c in numbers)
        del deal["citations"]   # the claims carry them
    deals.sort(key=lambda d: (min(d["claim_numbers"], default=0), d["id"]))
    deal_of = {claim: deal["id"] for deal in deals for claim in deal["claims"]}
    for row in rows:
        if row["claim"] in deal_of:
            row["deal"] = deal_of[row["claim"]]
    return Report(rows, document={"entity": info, "claims": rows, "deals": deals})
