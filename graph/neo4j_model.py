"""How coopgraph's model maps onto a property graph (Neo4j, FalkorDB).

- an entity is a node ``(:Entity:<Label> {id, name, type, aliases, country, description, wikidata, attributes})``,
  ``<Label>`` from the schema (``Firm``, ``WeaponSystem`` ...);
- a document is a node ``(:Document {id, title, author, publisher, date, url, kind})``;
- a deal (a transfer: supplier, item, recipient) is a node ``(:Deal {id, implied, has_record, item, supplier,
  recipient, variant, name, notes, label})`` with a structural link ``(deal)-[:DEAL_ITEM]->(item)`` that
  carries no claim. ``implied`` is true for the implied deal (``deal:auto-...``) of claims that name
  none; ``has_record`` is true when the dataset holds a ``deals`` record for it, whose fields are then
  ``item`` ... ``notes``; ``label`` is for display (the deal's name, else its item's name and variant);
- a claim is a relationship ``(subject)-[:<REL_TYPE> {claim_id, relation, date, start, end, circa, status,
  confidence, quantity, unit, value_amount, value_currency, value_estimate, key, notes, year, month, day,
  citations, documents, locators, quotes, attributes}]->(object)``, ``<REL_TYPE>`` from the schema
  (``SUPPLIES``, ``COPY_OF`` ...). ``year``/``month``/``day`` are sortable integers of the first date;
  ``documents``/``locators``/``quotes`` are parallel lists (one item a citation), and ``citations`` the same as
  JSON text; ``attributes`` are JSON text. ``deal`` is the claim's deal key when it names one.
- a claim with a *deal role* (``supplies``, ``transferred_to``, ``licensed_to``) is routed through its deal's
  node instead of meeting the other deals of its item there: ``(supplier)-[:SUPPLIES]->(deal)`` and
  ``(deal)-[:TRANSFERRED_TO|LICENSED_TO]->(recipient)``. Such a relationship also carries the claim's own
  ``subject`` and ``object`` (entity ids), so the claim reads back exactly.

Absent values are left out (a property graph stores no nulls). The Bolt store,
the Cypher script export and the neo4j-admin CSV export all use this model, so
a query written for one works on the others. The labels ``Entity``, ``Document``
and ``Deal`` and the type ``DEAL_ITEM`` are the model's own names;
:func:`deal_label` and :func:`deal_item_type` check them against the schema
before any statement uses them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterator, Mapping

from coopgraph.graph.deals import deal_item, implied_deal_id
from coopgraph.graph.errors import SchemaError
from coopgraph.graph.model import Citation, Claim, Dataset, Deal, Document, Entity, Value

if TYPE_CHECKING:
    from coopgraph.graph.schema import Schema

#: the label of every entity node and of every document node
ENTITY_LABEL = "Entity"
DOCUMENT_LABEL = "Document"
#: the label of a deal's node, and the type of its structural link to the item (no claim)
DEAL_LABEL = "Deal"
DEAL_ITEM = "DEAL_ITEM"


def deal_label(schema: "Schema") -> str:
    """The label of deal nodes, checked: a plain identifier that no entity type of ``schema`` uses.

    >>> from coopgraph.graph.schema import load_schema
    >>> deal_label(load_schema())
    'Deal'
    """
    from coopgraph.graph.schema import _LABEL

    taken = {etype.label for etype in schema.entity_types.values()}
    if not _LABEL.match(DEAL_LABEL) or DEAL_LABEL in taken | {ENTITY_LABEL, DOCUMENT_LABEL}:
        raise SchemaError(f"the deal label '{DEAL_LABEL}' is not a plain identifier or an entity type uses it")
    return DEAL_LABEL


def deal_item_type(schema: "Schema") -> str:
    """The type of the deal -> item link, checked: a plain identifier that no relation of ``schema`` uses.

    >>> from coopgraph.graph.schema import load_schema
    >>> deal_item_type(load_schema())
    'DEAL_ITEM'
    """
    from coopgraph.graph.schema import _REL_TYPE

    taken = {rel.neo4j_type for rel in schema.relation_types.values()}
    if not _REL_TYPE.match(DEAL_ITEM) or DEAL_ITEM in taken:
        raise SchemaError(f"the relationship type '{DEAL_ITEM}' is not a plain identifier or a relation uses it")
    return DEAL_ITEM


# -- deals as nodes -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DealNode:
    """One deal node: its id, whether it is implied, its record (if the dataset has one) and its items.

    ``items`` is the record's item first, then any other item its claims name
    (a validated dataset has exactly one).
    """

    id: str
    implied: bool
    record: Deal | None
    items: tuple[str, ...]

    @property
    def item(self) -> str:
        return self.items[0]


@dataclass(frozen=True)
class Routed:
    """Where a claim's relationship runs: ``start`` -> ``end``; ``deal`` is the deal node it passes through."""

    start: str
    end: str
    deal: str | None = None
    role: str | None = None

    @property
    def start_is_deal(self) -> bool:
        return self.deal is not None and self.role == "recipient"

    @property
    def end_is_deal(self) -> bool:
        return self.deal is not None and self.role == "supplier"


def claim_deal(claim: Claim, roles: Mapping[str, str]) -> str | None:
    """The deal node a claim goes through: its deal key, else its implied deal; ``None`` without a deal role.

    >>> c = Claim("state:r", "supplies", "system:x", date="2001", citations=(Citation("d", "p. 1", "R sold X"),))
    >>> claim_deal(c, {"supplies": "supplier"}).startswith("deal:auto-")
    True
    >>> claim_deal(Claim("firm:a", "manufactures", "system:x"), {"supplies": "supplier"}) is None
    True
    """
    role = roles.get(claim.relation)
    if role is None:
        return None
    if claim.deal:
        return claim.deal
    return implied_deal_id(deal_item(role, claim.subject, claim.object), claim.date, claim.start, claim.end,
                           claim.quantity, claim.key, claim.citations)


def route(claim: Claim, roles: Mapping[str, str]) -> Routed:
    """Where a claim's relationship runs: supplier -> deal, deal -> recipient, or subject -> object.

    >>> c = Claim("system:x", "transferred_to", "state:c", deal="deal:r-c-x")
    >>> route(c, {"transferred_to": "recipient"})
    Routed(start='deal:r-c-x', end='state:c', deal='deal:r-c-x', role='recipient')
    """
    deal = claim_deal(claim, roles)
    if deal is None:
        return Routed(claim.subject, claim.object)
    role = roles[claim.relation]
    if role == "supplier":
        return Routed(claim.subject, deal, deal, role)
    return Routed(deal, claim.object, deal, role)


def deal_nodes(data: Dataset, roles: Mapping[str, str]) -> dict[str, DealNode]:
    """Every deal node of ``data``, by id, sorted: its records and the deals (keyed or implied) its claims go through.

    >>> from coopgraph.graph.model import Deal
    >>> ds = Dataset(deals={"deal:a": Deal("deal:a", "system:x", "state:r", "state:c", variant="X-1")})
    >>> c = Claim("state:r", "supplies", "system:y", date="2001", citations=(Citation("d", "p. 1", "R sold Y"),))
    >>> ds.claims[c.id] = c
    >>> [(n.id[:10], n.implied, n.record is not None, n.items) for n in deal_nodes(ds, {"supplies": "supplier"}).values()]
    [('deal:a', False, True, ('system:x',)), ('deal:auto-', True, False, ('system:y',))]
    """
    items: dict[str, list[str]] = {}
    for deal in data.deals.values():
        items.setdefault(deal.id, []).append(deal.item)
    for claim in data.claims.values():
        deal = claim_deal(claim, roles)
        if deal is not None:
            found = items.setdefault(deal, [])
            item = deal_item(roles[claim.relation], claim.subject, claim.object)
            if item not in found:
                found.append(item)
    named = {c.deal for c in data.claims.values() if c.deal}
    out = {}
    for deal_id in sorted(items):
        record = data.deals.get(deal_id)
        # implied: no record and no claim names it; only its claims' content makes it
        out[deal_id] = DealNode(deal_id, record is None and deal_id not in named, record, tuple(items[deal_id]))
    return out


def deal_display(record: Deal | None, item_name: str) -> str:
    """A deal's display label: its name, else its item's name with the variant.

    >>> deal_display(Deal("deal:x", "system:su-27", variant="export version"), "Su-27")
    'Su-27 (export version)'
    """
    if record is not None and record.name:
        return record.name
    if record is not None and record.variant:
        return f"{item_name} ({record.variant})"
    return item_name


def deal_properties(node: DealNode, entities: Mapping[str, Entity] | None = None) -> dict[str, Any]:
    """The properties of a deal node (absent values as ``None``); ``label`` only when ``entities`` are given.

    >>> node = DealNode("deal:x", False, Deal("deal:x", "system:x", "state:r", name="X deal"), ("system:x",))
    >>> without_nulls(deal_properties(node))
    {'id': 'deal:x', 'implied': False, 'has_record': True, 'item': 'system:x', 'supplier': 'state:r', 'name': 'X deal'}
    """
    record = node.record
    props = {"id": node.id, "implied": node.implied, "has_record": record is not None, "item": node.item,
             "supplier": record.supplier if record else None, "recipient": record.recipient if record else None,
             "variant": record.variant if record else None, "name": record.name if record else None,
             "notes": record.notes if record else None}
    if entities is not None:
        entity = entities.get(node.item)
        props["label"] = deal_display(record, entity.name if entity else node.item)
    return props


def deal_from_properties(props: Mapping[str, Any]) -> Deal | None:
    """The :class:`Deal` record a deal node carries, or ``None`` (an implied deal, or one named only by claims).

    >>> node = DealNode("deal:x", False, Deal("deal:x", "system:x", notes="n"), ("system:x",))
    >>> deal_from_properties(without_nulls(deal_properties(node)))
    Deal(id='deal:x', item='system:x', supplier=None, recipient=None, variant=None, name=None, notes='n')
    >>> deal_from_properties({"id": "deal:auto-1", "implied": True, "has_record": False, "item": "system:x"}) is None
    True
    """
    if not props.get("has_record"):
        return None
    return Deal(props["id"], props["item"], props.get("supplier"), props.get("recipient"), props.get("variant"),
                props.get("name"), props.get("notes"))


def deal_item_links(nodes: Mapping[str, DealNode]) -> Iterator[tuple[str, str]]:
    """The structural ``(deal)-[:DEAL_ITEM]->(item)`` links: ``(deal id, item id)``."""
    for node in nodes.values():
        for item in node.items:
            yield node.id, item


def entity_properties(entity: Entity) -> dict[str, Any]:
    """The properties of an entity node (absent values included as ``None``)."""
    return {"id": entity.id, "name": entity.name, "type": entity.type, "aliases": list(entity.aliases),
            "country": entity.country, "description": entity.description, "wikidata": entity.wikidata,
            "attributes": json.dumps(entity.attributes, ensure_ascii=False) if entity.attributes else None}


def document_properties(doc: Document) -> dict[str, Any]:
    """The properties of a document node."""
    return doc.to_dict()


def claim_properties(claim: Claim, through_deal: bool = False) -> dict[str, Any]:
    """The properties of a claim's relationship (absent values included as ``None``).

    ``through_deal``: the relationship is routed through a deal node (see :func:`route`),
    so it carries the claim's own ``subject`` and ``object`` too.

    Examples
    --------
    >>> c = Claim("a:x", "supplies", "b:y", date="2015-11", citations=(Citation("d", "p. 2", "q"),))
    >>> p = claim_properties(c)
    >>> p["year"], p["month"], p["documents"], p["quotes"]
    (2015, 11, ['d'], ['q'])
    >>> without_nulls(claim_properties(c, through_deal=True))["object"]
    'b:y'
    """
    first = claim.first_date
    value = claim.value
    routed = {"subject": claim.subject, "object": claim.object} if through_deal else {}
    return {
        "claim_id": claim.id, "relation": claim.relation, **routed, "deal": claim.deal,
        "date": claim.date, "start": claim.start, "end": claim.end,
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
    """Inverse of :func:`claim_properties`; ``subject``/``obj`` are the relationship's ends (entity or deal ids).

    A relationship routed through a deal node names the claim's own subject and
    object in its properties, and those win.

    >>> c = Claim("a:x", "supplies", "b:y", start="1992", end="2006", quantity=3,
    ...           value=Value(2.5e9, "USD", True), citations=(Citation("d", "p. 2", "q"),))
    >>> claim_from_properties("a:x", "b:y", without_nulls(claim_properties(c))) == c
    True
    >>> d = Claim("a:x", "supplies", "b:y", deal="deal:a-b", citations=(Citation("d", "p. 2", "q"),))
    >>> claim_from_properties("a:x", "deal:a-b", without_nulls(claim_properties(d, through_deal=True))) == d
    True
    """
    value = None
    if props.get("value_amount") is not None:
        value = Value(props["value_amount"], props["value_currency"], bool(props.get("value_estimate")))
    citations = tuple(Citation(**c) for c in json.loads(props.get("citations") or "[]"))
    return Claim(props.get("subject") or subject, props["relation"], props.get("object") or obj, props.get("date"),
                 props.get("start"), props.get("end"), bool(props.get("circa")), props["status"],
                 float(props["confidence"]), props.get("quantity"), props.get("unit"), value, props.get("key"),
                 citations, props.get("notes"), json.loads(props.get("attributes") or "{}"), props.get("deal"))
