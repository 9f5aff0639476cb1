"""How coopgraph's model maps onto a property graph (Neo4j, FalkorDB).

- an entity is a node ``(:Entity:<Label> {id, name, type, aliases, country, description, wikidata, attributes})``,
  ``<Label>`` from the schema (``Firm``, ``WeaponSystem`` ...);
- a document is a node ``(:Document {id, title, author, publisher, date, url, kind})``;
- a claim is a relationship ``(subject)-[:<REL_TYPE> {claim_id, relation, date, start, end, circa, status,
  confidence, quantity, unit, value_amount, value_currency, value_estimate, key, notes, year, month, day,
  citations, documents, locators, quotes, attributes}]->(object)``, ``<REL_TYPE>`` from the schema
  (``SUPPLIES``, ``COPY_OF`` ...). ``year``/``month``/``day`` are sortable integers of the first date;
  ``documents``/``locators``/``quotes`` are parallel lists (one item a citation), and ``citations`` the same as
  JSON text; ``attributes`` are JSON text.

Absent values are left out (a property graph stores no nulls). The Bolt store,
the Cypher script export and the neo4j-admin CSV export all use this model, so
a query written for one works on the others.
"""

from __future__ import annotations

import json
from typing import Any

from coopgraph.graph.model import Citation, Claim, Document, Entity, Value


def entity_properties(entity: Entity) -> dict[str, Any]:
    """The properties of an entity node (absent values included as ``None``)."""
    return {"id": entity.id, "name": entity.name, "type": entity.type, "aliases": list(entity.aliases),
            "country": entity.country, "description": entity.description, "wikidata": entity.wikidata,
            "attributes": json.dumps(entity.attributes, ensure_ascii=False) if entity.attributes else None}


def document_properties(doc: Document) -> dict[str, Any]:
    """The properties of a document node."""
    return doc.to_dict()


def claim_properties(claim: Claim) -> dict[str, Any]:
    """The properties of a claim's relationship (absent values included as ``None``).

    Examples
    --------
    >>> c = Claim("a:x", "supplies", "b:y", date="2015-11", citations=(Citation("d", "p. 2", "q"),))
    >>> p = claim_properties(c)
    >>> p["year"], p["month"], p["documents"], p["quotes"]
    (2015, 11, ['d'], ['q'])
    """
    first = claim.first_date
    value = claim.value
    return {
        "claim_id": claim.id, "relation": claim.relation, "date": claim.date, "start": claim.start, "end": claim.end,
        "circa": claim.circa, "status": claim.status, "confidence": float(claim.confidence),
        "quantity": claim.quantity, "unit": claim.unit,
        "value_amount": float(value.amount) if value else None, "value_currency": value.currency if value else None,
        "value_estimate": value.estimate if value else None, "key": claim.key, "notes": claim.notes,
        "year": first.year if first else None, "month": first.month if first else None,
        "day": first.day if first else None,
        "citations": json.dumps([c.to_dict() for c in claim.citations], ensure_ascii=False),
        "documents": [c.document for c in claim.citations],
        "locators": [c.locator for c in claim.citations],
        "quotes": [c.quote for c in claim.citations],
        "attributes": json.dumps(claim.attributes, ensure_ascii=False) if claim.attributes else None,
    }


def without_nulls(props: dict[str, Any]) -> dict[str, Any]:
    """Drop ``None`` values and empty lists (a property graph cannot store them)."""
    return {k: v for k, v in props.items() if v is not None and v != []}


def entity_from_properties(props: dict[str, Any]) -> Entity:
    """Inverse of :func:`entity_properties`.

    >>> e = Entity("firm:a", "firm", "A", aliases=("AA",), attributes={"k": 1})
    >>> entity_from_properties(without_nulls(entity_properties(e))) == e
    True
    """
    return Entity(props["id"], props["type"], props["name"], tuple(props.get("aliases") or ()), props.get("country"),
                  props.get("description"), props.get("wikidata"), json.loads(props.get("attributes") or "{}"))


def document_from_properties(props: dict[str, Any]) -> Document:
    """Inverse of :func:`document_properties`."""
    return Document(props["id"], props["title"], props["date"], props.get("author"), props.get("publisher"),
                    props.get("url"), props.get("kind"))


def claim_from_properties(subject: str, obj: str, props: dict[str, Any]) -> Claim:
    """Inverse of :func:`claim_properties`.

    >>> c = Claim("a:x", "supplies", "b:y", start="1992", end="2006", quantity=3,
    ...           value=Value(2.5e9, "USD", True), citations=(Citation("d", "p. 2", "q"),))
    >>> claim_from_properties("a:x", "b:y", without_nulls(claim_properties(c))) == c
    True
    """
    value = None
    if props.get("value_amount") is not None:
        value = Value(props["value_amount"], props["value_currency"], bool(props.get("value_estimate")))
    citations = tuple(Citation(**c) for c in json.loads(props.get("citations") or "[]"))
    return Claim(subject, props["relation"], obj, props.get("date"), props.get("start"), props.get("end"),
                 bool(props.get("circa")), props["status"], float(props["confidence"]), props.get("quantity"),
                 props.get("unit"), value, props.get("key"), citations, props.get("notes"),
                 json.loads(props.get("attributes") or "{}"))
