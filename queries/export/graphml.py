"""GraphML, both ways: one node per entity and per deal, one edge per claim, nothing lost.

The file validates against the GraphML XML Schema and opens in yEd, Gephi,
Cytoscape, networkx (``read_graphml``) and igraph (``Graph.Read_GraphML``).

Deals follow the intermediate-node pattern of :mod:`coopgraph.graph.neo4j_model`:
each deal is a node of type ``Deal`` (an implied one too, with ``implied`` true),
the claims of a deal run ``supplier -> deal`` (``supplies``) and ``deal -> recipient``
(``transferred_to``, ``licensed_to``) and keep their own ``subject``, ``object`` and
``deal`` as attributes, and a ``DEAL_ITEM`` edge (no claim) joins the deal to its
item. A deal node with ``has_record`` carries the dataset's ``deals`` record
(``item``, ``supplier``, ``recipient``, ``variant``, ``name``, ``notes``).
Every attribute is declared by a ``<key>`` of one type (:data:`NODE_KEYS`,
:data:`EDGE_KEYS`, :data:`GRAPH_KEYS`); a value that is absent is left out, never
written as ``None``. Lists and mappings (aliases, citations, attributes, the
documents) are JSON text in keys whose name ends in ``_json``, so
:func:`read_graphml` gives back exactly the dataset that was written (and
``coopgraph import graphml`` validates what it reads before it reaches a store).

Examples
--------
>>> import tempfile, pathlib
>>> from coopgraph.loaders import load_bundled
>>> data, path = load_bundled(), pathlib.Path(tempfile.mkdtemp()) / "g.graphml"
>>> _ = write_graphml(data, path)
>>> read_graphml(path) == data
True

The writer streams (``lxml.etree.xmlfile``): it holds one element at a time,
and writes to a temporary file that replaces ``path`` only when complete.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any, Callable

from lxml import etree

from coopgraph.graph.errors import CoopgraphError
from coopgraph.graph.model import Citation, Claim, Dataset, Deal, Document, Entity, Value
from coopgraph.graph.neo4j_model import DEAL_ITEM, DEAL_LABEL, DealNode, Routed, deal_nodes, deal_properties, route
from coopgraph.graph.schema import Schema, load_schema
from coopgraph.queries.export._write import Progress, atomic_output, counted

NS = "http://graphml.graphdrawing.org/xmlns"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{NS} http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd"
FORMAT_NAME = "coopgraph-graphml"
FORMAT_VERSION = 2  # 2: deals as nodes

# an XML NMTOKEN, which GraphML requires of node, edge and key ids
_NMTOKEN = re.compile(r"^[\w.:-]+$")
# characters XML 1.0 cannot carry at all, even escaped
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Key:
    """One declared GraphML attribute: its id, domain, name, type and meaning."""

    id: str
    domain: str
    name: str
    type: str
    description: str


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=False)


NODE_KEYS: tuple[Key, ...] = (
    Key("n_type", "node", "type", "string", "entity type (coopgraph schema)"),
    Key("n_name", "node", "name", "string", "the usual name"),
    Key("n_label", "node", "label", "string", "display label for viewers (a copy of name)"),
    Key("n_aliases", "node", "aliases_json", "string", "JSON array of strings: other names"),
    Key("n_country", "node", "country", "string", "id of the state entity the entity belongs to"),
    Key("n_description", "node", "description", "string", "one or two sentences"),
    Key("n_wikidata", "node", "wikidata", "string", "Wikidata QID"),
    Key("n_attributes", "node", "attributes_json", "string", "JSON object: extra facts"),
    Key("n_implied", "node", "implied", "boolean", "Deal nodes: true for the implied deal of claims that name none"),
    Key("n_has_record", "node", "has_record", "boolean", "Deal nodes: true when the dataset has a deals record for it"),
    Key("n_item", "node", "item", "string", "Deal nodes: entity id of the item transferred"),
    Key("n_supplier", "node", "supplier", "string", "Deal nodes: entity id of the supplier (deals record)"),
    Key("n_recipient", "node", "recipient", "string", "Deal nodes: entity id of the recipient (deals record)"),
    Key("n_variant", "node", "variant", "string", "Deal nodes: the variant the sources name (deals record)"),
    Key("n_notes", "node", "notes", "string", "Deal nodes: free text (deals record)"),
)

EDGE_KEYS: tuple[Key, ...] = (
    Key("e_claim_id", "edge", "claim_id", "string", "the claim id (also the edge id)"),
    Key("e_relation", "edge", "relation", "string",
        "relation type (coopgraph schema): the edge type; DEAL_ITEM for a deal's link to its item (no claim)"),
    Key("e_label", "edge", "label", "string", "display label for viewers (a copy of relation)"),
    Key("e_flow", "edge", "flow", "string", "forward, reverse or none: which way things move, per the schema"),
    Key("e_date", "edge", "date", "string", "point date, partial ISO (2015, 2015-11, 2015-11-19, 1990s)"),
    Key("e_start", "edge", "start", "string", "interval start, partial ISO"),
    Key("e_end", "edge", "end", "string", "interval end, partial ISO"),
    Key("e_year", "edge", "year", "int", "year of the earliest date, for sorting and filtering"),
    Key("e_circa", "edge", "circa", "boolean", "true when the source gives the date approximately"),
    Key("e_status", "edge", "status", "string", "claim status (coopgraph schema)"),
    Key("e_confidence", "edge", "confidence", "double", "0..1: how sure the source is"),
    Key("e_quantity", "edge", "quantity", "long", "number of items"),
    Key("e_unit", "edge", "unit", "string", "what quantity counts"),
    Key("e_value_amount", "edge", "value_amount", "double", "money value as stated"),
    Key("e_value_currency", "edge", "value_currency", "string", "ISO 4217 currency of value_amount"),
    Key("e_value_estimate", "edge", "value_estimate", "boolean", "true when the source calls the value an estimate"),
    Key("e_key", "edge", "key", "string", "disambiguates otherwise identical claims"),
    Key("e_citations", "edge", "citations_json", "string", "JSON array of {document, locator, quote}"),
    Key("e_notes", "edge", "notes", "string", "free text"),
    Key("e_attributes", "edge", "attributes_json", "string", "JSON object: extra facts"),
    Key("e_subject", "edge", "subject", "string", "claims routed through a deal node: the claim's own subject"),
    Key("e_object", "edge", "object", "string", "claims routed through a deal node: the claim's own object"),
    Key("e_deal", "edge", "deal", "string", "the deal the claim names (absent for an implied deal)"),
)

GRAPH_KEYS: tuple[Key, ...] = (
    Key("g_format", "graph", "coopgraph_format", "string", "coopgraph-graphml"),
    Key("g_version", "graph", "coopgraph_version", "int", "version of this layout"),
    Key("g_documents", "graph", "documents_json", "string",
        "JSON array of the cited documents {id, title, date, author, publisher, url, kind}"),
)


def _node_values(entity: Entity) -> list[tuple[str, Any]]:
    return [
        ("n_type", entity.type),
        ("n_name", entity.name),
        ("n_label", entity.name),
        ("n_aliases", _json(list(entity.aliases))),
        ("n_country", entity.country),
        ("n_description", entity.description),
        ("n_wikidata", entity.wikidata),
        ("n_attributes", _json(entity.attributes) if entity.attributes else None),
    ]


def _deal_values(node: DealNode, entities: dict[str, Entity]) -> list[tuple[str, Any]]:
    props = deal_properties(node, entities)
    return [
        ("n_type", DEAL_LABEL),
        ("n_name", props["name"]),
        ("n_label", props["label"]),
        ("n_implied", props["implied"]),
        ("n_has_record", props["has_record"]),
        ("n_item", props["item"]),
        ("n_supplier", props["supplier"]),
        ("n_recipient", props["recipient"]),
        ("n_variant", props["variant"]),
        ("n_notes", props["notes"]),
    ]


def _edge_values(claim: Claim, flows: dict[str, str], routed: Routed | None = None) -> list[tuple[str, Any]]:
    first = claim.first_date
    value = claim.value
    through = routed is not None and routed.deal is not None
    return [
        ("e_claim_id", claim.id),
        ("e_relation", claim.relation),
        ("e_label", claim.relation),
        ("e_flow", flows.get(claim.relation)),
        ("e_date", claim.date),
        ("e_start", claim.start),
        ("e_end", claim.end),
        ("e_year", first.year if first else None),
        ("e_circa", claim.circa),
        ("e_status", claim.status),
        ("e_confidence", claim.confidence),
        ("e_quantity", claim.quantity),
        ("e_unit", claim.unit),
        ("e_value_amount", value.amount if value else None),
        ("e_value_currency", value.currency if value else None),
        ("e_value_estimate", value.estimate if value else None),
        ("e_key", claim.key),
        ("e_citations", _json([c.to_dict() for c in claim.citations])),
        ("e_notes", claim.notes),
        ("e_attributes", _json(claim.attributes) if claim.attributes else None),
        ("e_subject", claim.subject if through else None),
        ("e_object", claim.object if through else None),
        ("e_deal", claim.deal),
    ]


def deal_item_edge_id(deal_id: str) -> str:
    """The id of a deal's ``DEAL_ITEM`` edge (never a claim id, which starts ``c-``).

    >>> deal_item_edge_id("deal:ru-cn-su-35-2015")
    'deal:ru-cn-su-35-2015:item'
    """
    return f"{deal_id}:item"


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _check_id(kind: str, value: str) -> str:
    if not _NMTOKEN.match(value):
        raise CoopgraphError(f"{kind} id {value!r} cannot be a GraphML id (letters, digits, '.', '-', '_', ':' only)")
    return value


def write_graphml(data: Dataset, path: str | os.PathLike, schema: Schema | None = None,
                  progress: Progress | None = None) -> dict[str, int]:
    """Write ``data`` as GraphML to ``path`` (``-`` for standard output), atomically.

    Parameters
    ----------
    data : Dataset
        What to write (often a :func:`~coopgraph.queries.subgraph.select_subgraph`).
    path : str or path-like
        The file; it is replaced only once the whole graph is written.

    Returns
    -------
    dict
        Counts written: ``nodes`` and ``edges`` (deal nodes and ``DEAL_ITEM`` edges
        included), ``documents``, ``deals`` (deal nodes).

    Examples
    --------
    >>> import tempfile, pathlib, networkx as nx
    >>> from coopgraph.graph.model import Citation, Document, Entity
    >>> ds = Dataset(documents={"d": Document("d", "A <report> & more", "2020")},
    ...              entities={"state:a": Entity("state:a", "state", "A"),
    ...                        "system:x": Entity("system:x", "weapon_system", "X", aliases=("X-1",))})
    >>> c = Claim("state:a", "supplies", "system:x", date="2001", citations=(Citation("d", "p. 1", "A sold 'X'"),))
    >>> ds.claims[c.id] = c
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "g.graphml"
    >>> write_graphml(ds, target)
    {'nodes': 3, 'edges': 2, 'documents': 1, 'deals': 1}
    >>> g = nx.read_graphml(target)
    >>> g.nodes["system:x"]["name"], g.nodes["system:x"]["aliases_json"]
    ('X', '["X-1"]')
    >>> deal = next(n for n, t in g.nodes(data="type") if t == "Deal")
    >>> list(g.successors("state:a")) == [deal], list(g.successors(deal)), g.nodes[deal]["implied"]
    (True, ['system:x'], True)
    >>> from coopgraph.loaders.importers.graphml import read_graphml
    >>> read_graphml(target) == ds
    True
    """
    schema = schema or load_schema()
    flows = {name: rel.flow for name, rel in schema.relation_types.items()}
    roles = schema.deal_relations
    deals = deal_nodes(data, roles)
    counts = {"nodes": 0, "edges": 0, "documents": 0, "deals": 0}
    with atomic_output(path, "wb") as out:
        with etree.xmlfile(out, encoding="utf-8") as xf:
            xf.write_declaration()
            with xf.element(f"{{{NS}}}graphml", nsmap={None: NS, "xsi": XSI},
                            attrib={f"{{{XSI}}}schemaLocation": SCHEMA_LOCATION}):
                for key in GRAPH_KEYS + NODE_KEYS + EDGE_KEYS:
                    xf.write("\n")
                    with xf.element(f"{{{NS}}}key", {"id": key.id, "for": key.domain,
                                                     "attr.name": key.name, "attr.type": key.type}):
                        with xf.element(f"{{{NS}}}desc"):
                            xf.write(key.description)
                xf.write("\n")
                with xf.element(f"{{{NS}}}graph", {"id": "coopgraph", "edgedefault": "directed"}):
                    xf.write("\n")
                    _write_data(xf, "g_format", FORMAT_NAME)
                    _write_data(xf, "g_version", FORMAT_VERSION)
                    with xf.element(f"{{{NS}}}data", {"key": "g_documents"}):
                        xf.write("[")
                        for i, doc in enumerate(sorted(data.documents.values(), key=lambda d: d.id)):
                            xf.write(("," if i else "") + _json(doc.to_dict()))
                            counts["documents"] += 1
                        xf.write("]")
                    for entity in sorted(data.entities.values(), key=lambda e: e.id):
                        xf.write("\n")
                        with xf.element(f"{{{NS}}}node", {"id": _check_id("entity", entity.id)}):
                            _write_values(xf, entity.id, _node_values(entity))
                        counts["nodes"] += 1
                    for node in deals.values():
                        xf.write("\n")
                        with xf.element(f"{{{NS}}}node", {"id": _check_id("deal", node.id)}):
                            _write_values(xf, node.id, _deal_values(node, data.entities))
                        counts["nodes"] += 1
                        counts["deals"] += 1
                    for cid, claim in counted(sorted(data.claims.items()), len(data.claims), "claims", progress):
                        routed = route(claim, roles)
                        xf.write("\n")
                        with xf.element(f"{{{NS}}}edge", {"id": _check_id("claim", cid),
                                                          "source": _check_id("node", routed.start),
                                                          "target": _check_id("node", routed.end)}):
                            _write_values(xf, cid, _edge_values(claim, flows, routed))
                        counts["edges"] += 1
                    for node in deals.values():
                        for i, item in enumerate(node.items):
                            edge_id = deal_item_edge_id(node.id) + (f"-{i + 1}" if i else "")
                            xf.write("\n")
                            with xf.element(f"{{{NS}}}edge", {"id": edge_id, "source": node.id,
                                                              "target": _check_id("entity", item)}):
                                _write_values(xf, edge_id, [("e_relation", DEAL_ITEM), ("e_label", DEAL_ITEM)])
                            counts["edges"] += 1
                    xf.write("\n")
                xf.write("\n")
    return counts


def _write_data(xf, key: str, value: Any) -> None:
    with xf.element(f"{{{NS}}}data", {"key": key}):
        xf.write(_text(value))


def _write_values(xf, owner: str, values: list[tuple[str, Any]]) -> None:
    for key, value in values:
        if value is None:
            continue
        text = _text(value)
        if _XML_ILLEGAL.search(text):
            raise CoopgraphError(f"{owner}: {key[2:]} holds a control character that XML cannot carry")
        _write_data(xf, key, text)


# --- reading ----------------------------------------------------------------------


# -- reading -------------------------------------------------------------------------------------

#: the attribute names, as the keys above declare them: the reader uses no name of its own
K = SimpleNamespace(**{key.name: key.name for key in NODE_KEYS + EDGE_KEYS + GRAPH_KEYS})

def _bool(text: str) -> bool:
    return text.strip().lower() in ("true", "1")


_PARSERS: dict[str, Callable[[str], Any]] = {
    "boolean": _bool, "int": int, "long": int, "float": float, "double": float, "string": str,
}


def read_graphml(path: str | os.PathLike) -> Dataset:
    """Read a GraphML file written by :func:`write_graphml` back into a :class:`Dataset`.

    Keys are matched by ``attr.name``, so a file another tool re-saved (yEd,
    Gephi) still reads as long as the names survive. Unknown keys are ignored.
    The result is not validated against the schema: pass it through
    :func:`coopgraph.loaders.validate_records` (``coopgraph import graphml``
    does) before writing it to a store.

    Raises
    ------
    CoopgraphError
        When the file is not GraphML or lacks what a coopgraph graph needs
        (a node without a type or name, an edge without citations ...).
    """
    try:
        tree_iter = etree.iterparse(str(path), events=("end",), huge_tree=True,
                                    resolve_entities=False, no_network=True)
        keys: dict[str, tuple[str, Callable[[str], Any]]] = {}
        data = Dataset()
        for _, element in tree_iter:
            tag = etree.QName(element).localname
            if tag == "key":
                keys[element.get("id")] = (element.get("attr.name") or element.get("id"),
                                           _PARSERS.get(element.get("attr.type") or "string", str))
            elif tag == "node":
                values = _values(element, keys)
                if values.get(K.type) == DEAL_LABEL:
                    deal = _deal(element, values, path)
                    if deal is not None:
                        data.deals[deal.id] = deal
                else:
                    data.entities[element.get("id")] = _entity(element, values, path)
                element.clear()
            elif tag == "edge":
                values = _values(element, keys)
                if values.get(K.relation) != DEAL_ITEM:
                    claim = _claim(element, values, path)
                    data.claims[claim.id] = claim
                element.clear()
            elif tag == "graph":
                values = _values(element, keys)
                for doc in json.loads(values.get(K.documents_json) or "[]"):
                    data.documents[doc["id"]] = Document(**doc)
        root = tree_iter.root
        if root is None or etree.QName(root).localname != "graphml" or etree.QName(root).namespace not in (NS, None):
            found = etree.QName(root).text if root is not None else "nothing"
            line = root.sourceline if root is not None else 1
            raise CoopgraphError(f"{path}:{line}: not GraphML: the root element is <{found}>, expected <graphml> "
                                 f"in the namespace {NS} (a file written by 'coopgraph export graphml')")
        names = {name for name, _ in keys.values()}
        if not {K.type, K.name} <= names and not {K.relation, K.citations_json} <= names:
            raise CoopgraphError(f"{path}:{root.sourceline}: GraphML without coopgraph's keys (type and name for nodes, "
                                 "relation and citations_json for edges): written by another tool, it would import "
                                 "nothing. Export it from coopgraph, or import its data with 'coopgraph import csv'")
    except etree.XMLSyntaxError as exc:
        raise CoopgraphError(f"{path}: not well-formed XML: {exc}") from None
    except OSError as exc:
        raise CoopgraphError(f"cannot read {path}: {exc.strerror or exc}") from None
    except (ValueError, TypeError, KeyError) as exc:
        raise CoopgraphError(f"{path}: not a coopgraph GraphML file: {exc}") from None
    data.documents = dict(sorted(data.documents.items()))
    data.entities = dict(sorted(data.entities.items()))
    data.claims = dict(sorted(data.claims.items()))
    data.deals = dict(sorted(data.deals.items()))
    return data


#: how the attributes of :meth:`coopgraph.graph.store.Store.graph` are named in the GraphML file
#: (``store.graph()`` name -> file name); names not listed are the same in both
GRAPH_TO_FILE_NAMES = {
    "nodes": {"aliases": "aliases_json", "attributes": "attributes_json"},
    "edges": {"type": "relation", "id": "claim_id", "claim_key": "key", "citations": "citations_json",
              "attributes": "attributes_json", "value": "value_amount, value_currency, value_estimate"},
}


def read_graphml_graph(path: str | os.PathLike) -> "nx.MultiDiGraph":
    """A GraphML file written by :func:`write_graphml` as a networkx ``MultiDiGraph``, lists as lists.

    ``networkx.read_graphml`` gives every ``*_json`` attribute as JSON text; here
    they are decoded and named without the suffix: ``aliases`` and ``citations``
    are lists, ``attributes`` a mapping, and the graph's ``documents`` a list of
    records. Everything else is as the file names it (see :data:`NODE_KEYS`,
    :data:`EDGE_KEYS`): an edge's relation is ``relation`` (``type`` in
    ``store.graph()``; :data:`GRAPH_TO_FILE_NAMES` lists every difference), and
    deals are nodes of ``type`` ``Deal`` with ``DEAL_ITEM`` edges to their items.
    Edge keys are the claim ids.

    Raises
    ------
    CoopgraphError
        When the file is not GraphML.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from coopgraph.loaders import load_bundled
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "g.graphml"
    >>> _ = write_graphml(load_bundled(), path)
    >>> g = read_graphml_graph(path)
    >>> g.nodes["system:su-27"]["name"], isinstance(g.nodes["system:su-27"]["aliases"], list)
    ('Su-27', True)
    >>> all(isinstance(c, dict) for _, _, cites in g.edges(data="citations") if cites for c in cites)
    True
    """
    import networkx as nx

    try:
        graph = nx.read_graphml(str(path), force_multigraph=True)
    except (etree.XMLSyntaxError, nx.NetworkXError, ValueError, KeyError) as exc:
        raise CoopgraphError(f"{path}: not a GraphML file networkx can read: {exc}") from None
    except OSError as exc:
        raise CoopgraphError(f"cannot read {path}: {exc.strerror or exc}") from None

    def decode(values: dict) -> None:
        for name in [k for k in values if k.endswith("_json")]:
            values[name[: -len("_json")]] = json.loads(values.pop(name))

    decode(graph.graph)
    for _, values in graph.nodes(data=True):
        decode(values)
    for _, _, values in graph.edges(data=True):
        decode(values)
    return graph


def _values(element: etree._Element, keys: dict[str, tuple[str, Callable[[str], Any]]]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for child in element:
        if etree.QName(child).localname != "data":
            continue
        name, parse = keys.get(child.get("key"), (child.get("key"), str))
        values[name] = parse(child.text or "")
    return values


def _need(values: dict[str, Any], name: str, element: etree._Element, path) -> Any:
    if values.get(name) in (None, ""):
        what = etree.QName(element).localname
        raise CoopgraphError(f"{path}:{element.sourceline}: {what} {element.get('id')!r} has no '{name}'")
    return values[name]


def _entity(element: etree._Element, values: dict[str, Any], path) -> Entity:
    return Entity(
        id=element.get("id"),
        type=_need(values, K.type, element, path),
        name=_need(values, K.name, element, path),
        aliases=tuple(json.loads(values.get(K.aliases_json) or "[]")),
        country=values.get(K.country),
        description=values.get(K.description),
        wikidata=values.get(K.wikidata),
        attributes=json.loads(values.get(K.attributes_json) or "{}"),
    )


def _deal(element: etree._Element, values: dict[str, Any], path) -> Deal | None:
    """The ``deals`` record a deal node carries; ``None`` for an implied deal or one only its claims name."""
    if not values.get(K.has_record):
        return None
    return Deal(element.get("id"), _need(values, K.item, element, path), values.get(K.supplier),
                values.get(K.recipient), values.get(K.variant), values.get(K.name), values.get(K.notes))


def _claim(element: etree._Element, values: dict[str, Any], path) -> Claim:
    amount = values.get(K.value_amount)
    claim = Claim(
        subject=values.get(K.subject) or element.get("source"),
        relation=_need(values, K.relation, element, path),
        object=values.get(K.object) or element.get("target"),
        date=values.get(K.date),
        start=values.get(K.start),
        end=values.get(K.end),
        circa=bool(values.get(K.circa, False)),
        status=values.get(K.status) or "reported",
        confidence=float(values.get(K.confidence, 0.8)),
        quantity=values.get(K.quantity),
        unit=values.get(K.unit),
        value=None if amount is None else Value(float(amount), values.get(K.value_currency) or "",
                                                bool(values.get(K.value_estimate, False))),
        key=values.get(K.key),
        citations=tuple(Citation(**c) for c in json.loads(_need(values, K.citations_json, element, path))),
        notes=values.get(K.notes),
        attributes=json.loads(values.get(K.attributes_json) or "{}"),
        deal=values.get(K.deal),
    )
    given = element.get("id") or values.get(K.claim_id)
    if given and given != claim.id:
        raise CoopgraphError(f"{path}:{element.sourceline}: edge {given!r} does not match its content "
                             f"(its subject, relation, object, dates, quantity, key and deal give {claim.id})")
    return claim
