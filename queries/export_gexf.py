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
from coopgraph.graph.schema import Schema, load_schema
from coopgraph.queries.atomic import atomic_output
from coopgraph.queries.export_graphml import _XML_ILLEGAL
from coopgraph.queries.progress import Progress, counted

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


def node_intervals(data: Dataset) -> dict[str, tuple[dt.date | None, dt.date | None]]:
    """Each entity's span: from its edges' earliest start to their latest end (``None``: open)."""
    spans: dict[str, tuple[dt.date | None, dt.date | None]] = {}
    seen: set[str] = set()
    for claim in data.claims.values():
        start, end = claim_interval(claim)
        for node in (claim.subject, claim.object):
            if node not in seen:
                seen.add(node)
                spans[node] = (start, end)
                continue
            old_start, old_end = spans[node]
            spans[node] = (None if old_start is None or start is None else min(old_start, start),
                           None if old_end is None or end is None else max(old_end, end))
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
        Counts written: ``nodes``, ``edges``, ``dated_edges``.

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
    {'nodes': 2, 'edges': 1, 'dated_edges': 1}
    >>> g = nx.read_gexf(target, version="1.3")
    >>> g.nodes["system:x"]["label"], g.nodes["system:x"]["start"], g.edges["state:a", "system:x"]["end"]
    ('X & Y', '2001-06-01', '2001-06-30')
    """
    schema = schema or load_schema()
    flows = {name: rel.flow for name, rel in schema.relation_types.items()}
    spans = node_intervals(data)
    counts = {"nodes": 0, "edges": 0, "dated_edges": 0}
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
                        xf.write("Entities joined by dated, cited claims; edges exist over the days their dates stand for.")
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
                            start, end = spans.get(entity.id, (None, None))
                            if start:
                                attrib["start"] = start.isoformat()
                            if end:
                                attrib["end"] = end.isoformat()
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
                    xf.write("\n")
                    with xf.element(f"{{{NS}}}edges"):
                        for cid, claim in counted(sorted(data.claims.items()), len(data.claims), "claims", progress):
                            attrib = {"id": cid, "source": claim.subject, "target": claim.object,
                                      "label": claim.relation, "kind": claim.relation,
                                      "weight": repr(float(claim.confidence))}
                            start, end = claim_interval(claim)
                            if start:
                                attrib["start"] = start.isoformat()
                            if end:
                                attrib["end"] = end.isoformat()
                            counts["dated_edges"] += bool(start or end)
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
                                ])
                            counts["edges"] += 1
                    xf.write("\n")
                xf.write("\n")
    return counts
