"""GEXF 1.3 export with time: Gephi's timeline plays the network over the years.

The graph is ``mode="dynamic"`` with ``timeformat="date"``. Each claim is an
edge that exists from the first day its date may stand for to the last:

* a point date (``2015-11``) spans that month, a decade (``1990s``) ten years;
* ``start``/``end`` span from the first day of ``start`` to the last day of ``end``;
  a claim with only a ``start`` stays open to the future, one with only an
  ``end`` is open to the past;
* an undated claim has no interval: it is always present.

A node exists while any of its claims does: from the earliest start to the
latest end of its edges, open on a side where one of its edges is open, and
always present when it has no dated edge.

Deals are nodes (``type`` ``Deal``; an implied deal too, with ``implied`` true),
as in :mod:`coopgraph.graph.neo4j_model`: a deal's claims run ``supplier -> deal``
and ``deal -> recipient`` and keep their own ``subject``, ``object`` and ``deal``
as attributes, and a ``DEAL_ITEM`` edge (no claim) joins the deal to its item
over the span of the deal's claims. A deal node carries its ``deals`` record
(``item``, ``supplier``, ``recipient``, ``variant``, ``deal_name``, ``notes``) when
the dataset has one (``has_record``).

Attributes (``<attvalues>``) carry the entity and claim fields; lists and
citations are JSON text. ``networkx.read_gexf(path, version="1.3")`` reads it.
The writer streams and replaces ``path`` only when complete.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from typing import Any

from lxml import etree

from coopgraph.graph.dates import parse_optional
from coopgraph.graph.errors import CoopgraphError
from coopgraph.graph.model import Claim, Dataset
from coopgraph.graph.neo4j_model import DEAL_ITEM, DEAL_LABEL, deal_nodes, deal_properties, route
from coopgraph.graph.schema import Schema, load_schema
from coopgraph.queries.export._write import atomic_output
from coopgraph.queries.export.graphml import _XML_ILLEGAL, deal_item_edge_id
from coopgraph.queries.export._write import Progress, counted

NS = "http://gexf.net/1.3"
VIZ = "http://gexf.net/1.3/viz"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{NS} http://gexf.net/1.3/gexf.xsd"

#: (id, title, GEXF type) of node attributes
NODE_ATTRIBUTES = (
    ("type", "type", "string"),
    ("aliases", "aliases_json", "string"),
    ("country", "country", "string"),
    ("description", "description", "string"),
    ("wikidata", "wikidata", "string"),
    ("implied", "implied", "boolean"),
    ("has_record", "has_record", "boolean"),
    ("item", "item", "string"),
    ("supplier", "supplier", "string"),
    ("recipient", "recipient", "string"),
    ("variant", "variant", "string"),
    ("deal_name", "deal_name", "string"),
    ("deal_notes", "deal_notes", "string"),
)
#: (id, title, GEXF type) of edge attributes; the interval itself is on the edge element
EDGE_ATTRIBUTES = (
    ("relation", "relation", "string"),
    ("flow", "flow", "string"),
    ("date", "claim_date", "string"),
    ("start", "claim_start", "string"),
    ("end", "claim_end", "string"),
    ("circa", "circa", "boolean"),
    ("status", "status", "string"),
    ("confidence", "confidence", "double"),
    ("quantity", "quantity", "long"),
    ("unit", "unit", "string"),
    ("value_amount", "value_amount", "double"),
    ("value_currency", "value_currency", "string"),
    ("citations", "citations_json", "string"),
    ("notes", "notes", "string"),
    ("subject", "subject", "string"),
    ("object", "object", "string"),
    ("deal", "deal", "string"),
)


def claim_interval(claim: Claim) -> tuple[dt.date | None, dt.date | None]:
    """The first and last day a claim's edge exists (``None``: open on that side).

    Examples
    --------
    >>> claim_interval(Claim("a", "supplies", "b", date="2015-11"))
    (datetime.date(2015, 11, 1), datetime.date(2015, 11, 30))
    >>> claim_interval(Claim("a", "supplies", "b", start="1996"))
    (datetime.date(1996, 1, 1), None)
    >>> claim_interval(Claim("a", "supplies", "b"))
    (None, None)
    """
    if claim.date:
        point = parse_optional(claim.date)
        return point.earliest, point.latest
    start, end = parse_optional(claim.start), parse_optional(claim.end)
    return (start.earliest if start else None), (end.latest if end else None)


Span = tuple[dt.date | None, dt.date | None]


def _widen(old: Span | None, new: Span) -> Span:
    """The union of two spans (``None`` on a side: open there)."""
    if old is None:
        return new
    return (None if old[0] is None or new[0] is None else min(old[0], new[0]),
            None if old[1] is None or new[1] is None else max(old[1], new[1]))


def deal_intervals(data: Dataset, schema: Schema | None = None) -> dict[str, Span]:
    """Each deal node's span: the union of its claims' (a deal with no claim here: always present)."""
    roles = (schema or load_schema()).deal_relations
    spans: dict[str, Span] = {}
    for claim in data.claims.values():
        routed = route(claim, roles)
        if routed.deal is not None:
            spans[routed.deal] = _widen(spans.get(routed.deal), claim_interval(claim))
    return spans


def edge_intervals(data: Dataset, schema: Schema | None = None) -> list[tuple[str, str, Span]]:
    """Every edge of the exported graph as ``(source, target, span)``: claims (routed through their
    deals) and each deal's ``DEAL_ITEM`` edge, which spans the deal's claims."""
    schema = schema or load_schema()
    roles = schema.deal_relations
    edges: list[tuple[str, str, Span]] = []
    for claim in data.claims.values():
        routed = route(claim, roles)
        edges.append((routed.start, routed.end, claim_interval(claim)))
    deal_spans = deal_intervals(data, schema)
    for node in deal_nodes(data, roles).values():
        for item in node.items:
            edges.append((node.id, item, deal_spans.get(node.id, (None, None))))
    return edges


def node_intervals(data: Dataset, schema: Schema | None = None) -> dict[str, Span]:
    """Each node's span (entities and deals): from its edges' earliest start to their latest end (``None``: open)."""
    spans: dict[str, Span] = {}
    for source, target, span in edge_intervals(data, schema):
        for node in (source, target):
            spans[node] = _widen(spans.get(node), span)
    return spans


def _text(value: Any, owner: str, field: str) -> str:
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, float):
        text = repr(value)
    else:
        text = str(value)
    if _XML_ILLEGAL.search(text):
        raise CoopgraphError(f"{owner}: {field} holds a control character that XML cannot carry")
    return text


def _attvalues(xf, owner: str, values: list[tuple[str, Any]]) -> None:
    present = [(key, value) for key, value in values if value is not None]
    if not present:
        return
    with xf.element(f"{{{NS}}}attvalues"):
        for key, value in present:
            with xf.element(f"{{{NS}}}attvalue", {"for": key, "value": _text(value, owner, key)}):
                pass


def write_gexf(data: Dataset, path: str | os.PathLike, schema: Schema | None = None,
               progress: Progress | None = None) -> dict[str, int]:
    """Write ``data`` as dynamic GEXF 1.3 to ``path`` (``-`` for standard output), atomically.

    Returns
    -------
    dict
        Counts written: ``nodes`` and ``edges`` (deal nodes and ``DEAL_ITEM`` edges
        included), ``dated_edges``, ``deals``.

    Examples
    --------
    >>> import tempfile, pathlib, networkx as nx
    >>> from coopgraph.graph.model import Citation, Entity
    >>> ds = Dataset(entities={"state:a": Entity("state:a", "state", "A"),
    ...                        "system:x": Entity("system:x", "weapon_system", "X & Y")})
    >>> c = Claim("state:a", "supplies", "system:x", date="2001-06", citations=(Citation("d", "p. 1", "A sold X"),))
    >>> ds.claims[c.id] = c
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "g.gexf"
    >>> write_gexf(ds, target)
    {'nodes': 3, 'edges': 2, 'dated_edges': 2, 'deals': 1}
    >>> g = nx.read_gexf(target, version="1.3")
    >>> deal = next(n for n, t in g.nodes(data="type") if t == "Deal")
    >>> g.nodes["system:x"]["label"], g.nodes["system:x"]["start"], g.edges["state:a", deal]["end"]
    ('X & Y', '2001-06-01', '2001-06-30')
    >>> g.edges["state:a", deal]["object"], g.nodes[deal]["label"], g.nodes[deal]["implied"]
    ('system:x', 'X & Y', True)
    """
    schema = schema or load_schema()
    flows = {name: rel.flow for name, rel in schema.relation_types.items()}
    roles = schema.deal_relations
    deals = deal_nodes(data, roles)
    deal_spans = deal_intervals(data, schema)
    spans = node_intervals(data, schema)
    counts = {"nodes": 0, "edges": 0, "dated_edges": 0, "deals": 0}

    def interval(attrib: dict[str, str], span: Span) -> None:
        start, end = span
        if start:
            attrib["start"] = start.isoformat()
        if end:
            attrib["end"] = end.isoformat()

    with atomic_output(path, "wb") as out:
        with etree.xmlfile(out, encoding="utf-8") as xf:
            xf.write_declaration()
            with xf.element(f"{{{NS}}}gexf", nsmap={None: NS, "viz": VIZ, "xsi": XSI},
                            attrib={f"{{{XSI}}}schemaLocation": SCHEMA_LOCATION, "version": "1.3"}):
                xf.write("\n")
                with xf.element(f"{{{NS}}}meta"):
                    with xf.element(f"{{{NS}}}creator"):
                        xf.write("coopgraph")
                    with xf.element(f"{{{NS}}}description"):
                        xf.write("Entities and deals joined by dated, cited claims; edges exist over the days their "
                                 "dates stand for.")
                xf.write("\n")
                with xf.element(f"{{{NS}}}graph", {"mode": "dynamic", "defaultedgetype": "directed",
                                                   "timeformat": "date"}):
                    for cls, attributes in (("node", NODE_ATTRIBUTES), ("edge", EDGE_ATTRIBUTES)):
                        xf.write("\n")
                        with xf.element(f"{{{NS}}}attributes", {"class": cls, "mode": "static"}):
                            for att_id, title, att_type in attributes:
                                with xf.element(f"{{{NS}}}attribute", {"id": att_id, "title": title, "type": att_type}):
                                    pass
                    xf.write("\n")
                    with xf.element(f"{{{NS}}}nodes"):
                        for entity in sorted(data.entities.values(), key=lambda e: e.id):
                            attrib = {"id": entity.id, "label": _text(entity.name, entity.id, "name")}
                            interval(attrib, spans.get(entity.id, (None, None)))
                            xf.write("\n")
                            with xf.element(f"{{{NS}}}node", attrib):
                                _attvalues(xf, entity.id, [
                                    ("type", entity.type),
                                    ("aliases", json.dumps(list(entity.aliases), ensure_ascii=False)),
                                    ("country", entity.country),
                                    ("description", entity.description),
                                    ("wikidata", entity.wikidata),
                                ])
                            counts["nodes"] += 1
                        for node in deals.values():
                            props = deal_properties(node, data.entities)
                            attrib = {"id": node.id, "label": _text(props["label"], node.id, "label")}
                            interval(attrib, spans.get(node.id, (None, None)))
                            xf.write("\n")
                            with xf.element(f"{{{NS}}}node", attrib):
                                _attvalues(xf, node.id, [
                                    ("type", DEAL_LABEL),
                                    ("implied", props["implied"]),
                                    ("has_record", props["has_record"]),
                                    ("item", props["item"]),
                                    ("supplier", props["supplier"]),
                                    ("recipient", props["recipient"]),
                                    ("variant", props["variant"]),
                                    ("deal_name", props["name"]),
                                    ("deal_notes", props["notes"]),
                                ])
                            counts["nodes"] += 1
                            counts["deals"] += 1
                    xf.write("\n")
                    with xf.element(f"{{{NS}}}edges"):
                        for cid, claim in counted(sorted(data.claims.items()), len(data.claims), "claims", progress):
                            routed = route(claim, roles)
                            through = routed.deal is not None
                            attrib = {"id": cid, "source": routed.start, "target": routed.end,
                                      "label": claim.relation, "kind": claim.relation,
                                      "weight": repr(float(claim.confidence))}
                            span = claim_interval(claim)
                            interval(attrib, span)
                            counts["dated_edges"] += bool(span[0] or span[1])
                            value = claim.value
                            xf.write("\n")
                            with xf.element(f"{{{NS}}}edge", attrib):
                                _attvalues(xf, cid, [
                                    ("relation", claim.relation),
                                    ("flow", flows.get(claim.relation)),
                                    ("date", claim.date),
                                    ("start", claim.start),
                                    ("end", claim.end),
                                    ("circa", claim.circa),
                                    ("status", claim.status),
                                    ("confidence", float(claim.confidence)),
                                    ("quantity", claim.quantity),
                                    ("unit", claim.unit),
                                    ("value_amount", value.amount if value else None),
                                    ("value_currency", value.currency if value else None),
                                    ("citations", json.dumps([c.to_dict() for c in claim.citations], ensure_ascii=False)),
                                    ("notes", claim.notes),
                                    ("subject", claim.subject if through else None),
                                    ("object", claim.object if through else None),
                                    ("deal", claim.deal),
                                ])
                            counts["edges"] += 1
                        for node in deals.values():
                            span = deal_spans.get(node.id, (None, None))
                            for i, item in enumerate(node.items):
                                edge_id = deal_item_edge_id(node.id) + (f"-{i + 1}" if i else "")
                                attrib = {"id": edge_id, "source": node.id, "target": item, "label": DEAL_ITEM,
                                          "kind": DEAL_ITEM}
                                interval(attrib, span)
                                counts["dated_edges"] += bool(span[0] or span[1])
                                xf.write("\n")
                                with xf.element(f"{{{NS}}}edge", attrib):
                                    _attvalues(xf, edge_id, [("relation", DEAL_ITEM)])
                                counts["edges"] += 1
                    xf.write("\n")
                xf.write("\n")
    return counts
