"""Node-link JSON export: documents, nodes and edges with their citations.

The keys ``documents`` (id, title, publisher, date), ``nodes`` (id, type, name,
aliases) and ``edges`` (id, source, target, type, start, end, status,
confidence, citations with document, locator, quote) are stable: other tools
read them. More keys may be added, never removed.

Deals follow the intermediate-node pattern of :mod:`coopgraph.graph.neo4j_model`
(layout version 2): each deal is a node of ``type`` ``Deal`` (an implied deal
too, with ``implied`` true; ``has_record`` and the record's ``item``,
``supplier``, ``recipient``, ``variant``, ``name``, ``notes`` when the dataset
has a ``deals`` record for it; ``label`` to display). A claim of a deal runs
``supplier -> deal`` or ``deal -> recipient`` in ``source``/``target``; every edge
also names the claim's own ``subject``, ``object`` and ``deal`` (null for an
implied deal). ``deal_items`` lists each deal's link to its item
(``{id, source: deal, target: item, type: "DEAL_ITEM"}``): it carries no claim,
so it is kept out of ``edges``, where every edge is a cited claim.
:func:`from_node_link` reads a document back into the dataset.
"""

from __future__ import annotations

import itertools
import json
import os
from typing import Any, Iterator

from coopgraph.graph.errors import CoopgraphError
from coopgraph.graph.model import Citation, Claim, Dataset, Deal, Document, Entity, Value
from coopgraph.graph.neo4j_model import DEAL_ITEM, DEAL_LABEL, DealNode, deal_item_links, deal_nodes, deal_properties, route
from coopgraph.graph.schema import Schema, load_schema
from coopgraph.queries.export._write import atomic_output
from coopgraph.queries.export.graphml import deal_item_edge_id
from coopgraph.queries.export._write import Progress, counted

FORMAT_VERSION = 2  # 2: deals as nodes


def _node(e) -> dict[str, Any]:
    return {"id": e.id, "type": e.type, "name": e.name, "aliases": list(e.aliases), "country": e.country,
            "description": e.description, "wikidata": e.wikidata, "attributes": e.attributes}


def _deal_node(node: DealNode, entities: dict[str, Entity]) -> dict[str, Any]:
    props = deal_properties(node, entities)
    return {"id": node.id, "type": DEAL_LABEL, "name": props["name"], "aliases": [], "label": props["label"],
            "implied": props["implied"], "has_record": props["has_record"], "item": props["item"],
            "supplier": props["supplier"], "recipient": props["recipient"], "variant": props["variant"],
            "notes": props["notes"]}


def _edge(cid: str, c, roles: dict[str, str] | None = None) -> dict[str, Any]:
    routed = route(c, roles or {})
    return {
        "id": cid, "source": routed.start, "target": routed.end, "type": c.relation, "date": c.date, "start": c.start,
        "end": c.end, "circa": c.circa, "status": c.status, "confidence": c.confidence, "quantity": c.quantity,
        "unit": c.unit,
        "value": None if c.value is None else {"amount": c.value.amount, "currency": c.value.currency, "estimate": c.value.estimate},
        "key": c.key, "citations": [cit.to_dict() for cit in c.citations], "notes": c.notes, "attributes": c.attributes,
        "subject": c.subject, "object": c.object, "deal": c.deal,
    }


def _deal_items(deals: dict[str, DealNode]) -> Iterator[dict[str, Any]]:
    seen: dict[str, int] = {}
    for deal, item in deal_item_links(deals):
        number = seen[deal] = seen.get(deal, 0) + 1
        yield {"id": deal_item_edge_id(deal) + (f"-{number}" if number > 1 else ""), "source": deal, "target": item,
               "type": DEAL_ITEM}


_HEADER = {"format": "coopgraph-node-link", "version": FORMAT_VERSION, "directed": True, "multigraph": True}


def to_node_link(data: Dataset, schema: Schema | None = None) -> dict[str, Any]:
    """The dataset as a node-link mapping (see the module docstring for the keys).

    Examples
    --------
    >>> from coopgraph.loaders import load_bundled
    >>> doc = to_node_link(load_bundled())
    >>> sorted(k for k in doc if k in ("documents", "nodes", "edges", "deal_items"))
    ['deal_items', 'documents', 'edges', 'nodes']
    >>> from_node_link(doc) == load_bundled()
    True
    """
    roles = (schema or load_schema()).deal_relations
    deals = deal_nodes(data, roles)
    return {
        **_HEADER,
        "documents": [d.to_dict() for d in sorted(data.documents.values(), key=lambda d: d.id)],
        "nodes": [_node(e) for e in sorted(data.entities.values(), key=lambda e: e.id)]
                 + [_deal_node(n, data.entities) for n in deals.values()],
        "edges": [_edge(cid, c, roles) for cid, c in sorted(data.claims.items())],
        "deal_items": list(_deal_items(deals)),
    }


def from_node_link(doc: dict[str, Any]) -> Dataset:
    """The dataset a node-link mapping holds (the inverse of :func:`to_node_link`).

    Deal nodes give back the ``deals`` records they carry (``has_record``), never
    an implied deal; edges give back their claims with their own subject,
    object and deal. A version 1 document (no deal nodes) reads too.
    """
    data = Dataset()
    for d in doc.get("documents", []):
        data.documents[d["id"]] = Document(**d)
    for n in doc.get("nodes", []):
        if n.get("type") == DEAL_LABEL:
            if n.get("has_record"):
                data.deals[n["id"]] = Deal(n["id"], n["item"], n.get("supplier"), n.get("recipient"), n.get("variant"),
                                           n.get("name"), n.get("notes"))
            continue
        data.entities[n["id"]] = Entity(n["id"], n["type"], n["name"], tuple(n.get("aliases") or ()), n.get("country"),
                                        n.get("description"), n.get("wikidata"), n.get("attributes") or {})
    for e in doc.get("edges", []):
        value = e.get("value")
        claim = Claim(e.get("subject") or e["source"], e["type"], e.get("object") or e["target"], e.get("date"),
                      e.get("start"), e.get("end"), bool(e.get("circa")), e["status"], e["confidence"],
                      e.get("quantity"), e.get("unit"),
                      None if value is None else Value(value["amount"], value["currency"], bool(value.get("estimate"))),
                      e.get("key"), tuple(Citation(**c) for c in e.get("citations") or ()), e.get("notes"),
                      e.get("attributes") or {}, e.get("deal"))
        data.claims[claim.id] = claim
    data.claims = dict(sorted(data.claims.items()))
    return data


def write_json(data: Dataset, path: str | os.PathLike, progress: Progress | None = None) -> dict[str, int]:
    """Write node-link JSON to ``path`` (``-`` for standard output), atomically.

    Streams one record at a time, so no second copy of the graph is built in memory.
    Returns the counts written (``nodes`` counts entities and deals).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from coopgraph.loaders import load_bundled
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "g.json"
    >>> data = load_bundled()
    >>> _ = write_json(data, target)
    >>> json.loads(target.read_text()) == to_node_link(data)
    True
    >>> from_node_link(json.loads(target.read_text())) == data
    True
    """
    roles = load_schema().deal_relations
    deals = deal_nodes(data, roles)
    sections = (
        ("documents", (d.to_dict() for d in sorted(data.documents.values(), key=lambda d: d.id))),
        ("nodes", itertools.chain((_node(e) for e in sorted(data.entities.values(), key=lambda e: e.id)),
                                  (_deal_node(n, data.entities) for n in deals.values()))),
        ("edges", (_edge(cid, c, roles)
                   for cid, c in counted(sorted(data.claims.items()), len(data.claims), "claims", progress))),
        ("deal_items", _deal_items(deals)),
    )
    counts = {}
    with atomic_output(path) as out:
        out.write("{\n")
        for key, value in _HEADER.items():
            out.write(f" {json.dumps(key)}: {json.dumps(value)},\n")
        for number, (key, items) in enumerate(sections):
            out.write(f" {json.dumps(key)}: [")
            count = 0
            for item in items:
                out.write(("," if count else "") + "\n  " + json.dumps(item, ensure_ascii=False))
                count += 1
            out.write("\n ]" + ("," if number < len(sections) - 1 else "") + "\n")
            counts[key] = count
        out.write("}\n")
    return counts


def read_json(path: str | os.PathLike) -> Dataset:
    """Read a node-link JSON file written by :func:`write_json` back into a :class:`Dataset`.

    Raises
    ------
    CoopgraphError
        When the file is not JSON or not a coopgraph node-link document.
    """
    try:
        with open(path, encoding="utf-8") as handle:
            doc = json.load(handle)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise CoopgraphError(f"{path}: not a readable JSON file ({exc})") from None
    if not isinstance(doc, dict) or "nodes" not in doc:
        raise CoopgraphError(f"{path}: not a coopgraph node-link JSON file (no 'nodes')")
    return from_node_link(doc)
