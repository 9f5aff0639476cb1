"""A parameter-free Cypher script that recreates the graph in any Neo4j.

Run it with ``cypher-shell -f graph.cypher`` (or paste it into Neo4j Browser).
It is idempotent: nodes are MERGEd on ``id``, relationships on ``claim_id``, so
running it twice changes nothing. Statements end with ``;`` and come in this
order: uniqueness constraints, documents, entities (grouped by label), deals,
claims (grouped by type), deal-item links, each group in batches of
``UNWIND [...] AS row``.

The model (the same as the Bolt store's, :mod:`coopgraph.graph.neo4j_model`):

* ``(:Entity:<Label> {id, name, type, aliases, country, description, wikidata, attributes})``
* ``(:Document {id, title, author, publisher, date, url, kind})``
* ``(:Deal {id, implied, has_record, item, supplier, recipient, variant, name, notes, label})``,
  one per deal, implied ones too, and ``(deal)-[:DEAL_ITEM]->(item)`` (no claim)
* ``(s)-[:<TYPE> {claim_id, relation, date, start, end, circa, status, confidence,
  quantity, unit, value_amount, value_currency, value_estimate, key, notes, year,
  month, day, citations, documents, locators, quotes, attributes, deal}]->(o)`` with
  ``citations`` and ``attributes`` as JSON text and the citations also as the
  parallel lists ``documents``, ``locators``, ``quotes``. A claim with a deal role
  runs ``(supplier)-[:SUPPLIES]->(deal)`` or ``(deal)-[:TRANSFERRED_TO|LICENSED_TO]->(recipient)``
  and carries its own ``subject`` and ``object``.

Absent values and empty lists are left out (Neo4j stores no nulls). Labels and
relationship types come only from the schema and the model's checked names;
every value is a literal escaped by :func:`cypher_string`, never pasted text.
"""

from __future__ import annotations

import math
import os
from collections import defaultdict
from typing import Any, Iterator

from coopgraph.graph.errors import CoopgraphError
from coopgraph.graph.model import Dataset
from coopgraph.graph.neo4j_model import (
    ENTITY_LABEL, claim_properties, deal_item_links, deal_item_type, deal_label, deal_nodes, deal_properties,
    document_properties, entity_properties, route,
)
from coopgraph.graph.schema import Schema, load_schema
from coopgraph.queries.export._write import atomic_output
from coopgraph.queries.export._write import Progress, counted

#: rows per UNWIND statement
BATCH = 200

CONSTRAINTS = (
    "CREATE CONSTRAINT coopgraph_entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE;",
    "CREATE CONSTRAINT coopgraph_document_id IF NOT EXISTS FOR (d:Document) REQUIRE d.id IS UNIQUE;",
    "CREATE CONSTRAINT coopgraph_deal_id IF NOT EXISTS FOR (d:Deal) REQUIRE d.id IS UNIQUE;",
)

_ESCAPES = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def cypher_string(text: str) -> str:
    r"""A single-quoted Cypher string literal holding exactly ``text``.

    Backslashes, quotes, line breaks and other control characters are escaped;
    other characters (any script) are written as they are.

    >>> print(cypher_string("O'Brien \\ }) DETACH DELETE n //"))
    'O\'Brien \\ }) DETACH DELETE n //'
    >>> print(cypher_string("line\nbreak"), cypher_string("Рособоронэкспорт"))
    'line\nbreak' 'Рособоронэкспорт'
    """
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F or 0xD800 <= ord(ch) <= 0xDFFF or ch in "\u2028\u2029\ufeff":
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "'" + "".join(out) + "'"


def cypher_value(value: Any) -> str:
    """A Cypher literal for a string, number, boolean or list of those.

    >>> cypher_value(["a", "b"]), cypher_value(True), cypher_value(1.2e9), cypher_value(24)
    ("['a', 'b']", 'true', '1200000000.0', '24')
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise CoopgraphError(f"cannot write the number {value} in Cypher")
        return repr(value).replace("e+", "e")
    if isinstance(value, str):
        return cypher_string(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(cypher_value(v) for v in value) + "]"
    raise CoopgraphError(f"cannot write a {type(value).__name__} as a Cypher literal")


def cypher_map(values: dict[str, Any]) -> str:
    """A map literal of the values that are present (``None`` and empty lists left out).

    >>> cypher_map({"id": "x", "country": None, "aliases": []})
    "{id: 'x'}"
    """
    items = [f"{key}: {cypher_value(value)}" for key, value in values.items()
             if value is not None and value != [] and value != ()]
    return "{" + ", ".join(items) + "}"


def _batches(rows: list[str]) -> Iterator[list[str]]:
    for i in range(0, len(rows), BATCH):
        yield rows[i:i + BATCH]


def _unwind(rows: list[str], body: str) -> Iterator[str]:
    for batch in _batches(rows):
        yield "UNWIND [\n  " + ",\n  ".join(batch) + "\n] AS row\n" + body + ";"


def cypher_statements(data: Dataset, schema: Schema | None = None, progress: Progress | None = None) -> Iterator[str]:
    """The statements of the script, one string each (ending in ``;``), in order.

    Examples
    --------
    >>> from coopgraph.graph.model import Citation, Claim, Entity
    >>> ds = Dataset(entities={"firm:a": Entity("firm:a", "firm", "A"), "system:x": Entity("system:x", "weapon_system", "X")})
    >>> c = Claim("firm:a", "manufactures", "system:x", citations=(Citation("d", "p. 1", "A makes X"),))
    >>> ds.claims[c.id] = c
    >>> print(list(cypher_statements(ds))[-1])
    UNWIND [
      {s: 'firm:a', o: 'system:x', props: {claim_id: '...', relation: 'manufactures', circa: false, ...}}
    ] AS row
    MATCH (s:Entity {id: row.s})
    MATCH (o:Entity {id: row.o})
    MERGE (s)-[r:MANUFACTURES {claim_id: row.props.claim_id}]->(o)
    SET r = row.props;
    """
    schema = schema or load_schema()
    deal, deal_item = deal_label(schema), deal_item_type(schema)
    roles = schema.deal_relations
    yield from CONSTRAINTS
    documents = [cypher_map(document_properties(d)) for d in sorted(data.documents.values(), key=lambda d: d.id)]
    yield from _unwind(documents, "MERGE (d:Document {id: row.id})\nSET d = row")
    by_label: dict[str, list[str]] = defaultdict(list)
    for entity in sorted(data.entities.values(), key=lambda e: e.id):
        by_label[schema.label(entity.type)].append(cypher_map(entity_properties(entity)))
    for label in sorted(by_label):
        yield from _unwind(by_label[label], f"MERGE (n:Entity {{id: row.id}})\nSET n = row, n:{label}")
    nodes = deal_nodes(data, roles)
    recorded = [cypher_map(deal_properties(n)) for n in nodes.values() if n.record is not None]
    unrecorded = [cypher_map(deal_properties(n)) for n in nodes.values() if n.record is None]
    yield from _unwind(recorded, f"MERGE (d:{deal} {{id: row.id}})\nSET d = row")
    # an implied deal, or one only claims name: created once, never overwriting a deal's record
    yield from _unwind(unrecorded, f"MERGE (d:{deal} {{id: row.id}})\nON CREATE SET d = row")
    by_type: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for _, claim in counted(sorted(data.claims.items()), len(data.claims), "claims", progress):
        routed = route(claim, roles)
        row = "{s: " + cypher_string(routed.start) + ", o: " + cypher_string(routed.end) + \
              ", props: " + cypher_map(claim_properties(claim, through_deal=routed.deal is not None)) + "}"
        start = deal if routed.start_is_deal else ENTITY_LABEL
        end = deal if routed.end_is_deal else ENTITY_LABEL
        by_type[(schema.rel_type(claim.relation), start, end)].append(row)
    for rel_type, start, end in sorted(by_type):
        yield from _unwind(by_type[(rel_type, start, end)],
                           f"MATCH (s:{start} {{id: row.s}})\nMATCH (o:{end} {{id: row.o}})\n"
                           f"MERGE (s)-[r:{rel_type} {{claim_id: row.props.claim_id}}]->(o)\nSET r = row.props")
    links = ["{d: " + cypher_string(d) + ", i: " + cypher_string(i) + "}" for d, i in deal_item_links(nodes)]
    yield from _unwind(links, f"MATCH (d:{deal} {{id: row.d}})\nMATCH (i:Entity {{id: row.i}})\n"
                              f"MERGE (d)-[:{deal_item}]->(i)\n"
                              "SET d.label = coalesce(d.name, CASE WHEN d.variant IS NULL THEN i.name "
                              "ELSE i.name + ' (' + d.variant + ')' END)")


def split_statements(script: str) -> list[str]:
    r"""Split a script written by :func:`write_cypher` into statements (``;`` outside strings and comments).

    >>> split_statements("// c\nRETURN 'a;b';\nRETURN 1;\n")
    ["RETURN 'a;b';", 'RETURN 1;']
    """
    statements, current, i, quote = [], [], 0, None
    while i < len(script):
        ch = script[i]
        if quote:
            current.append(ch)
            if ch == "\\":
                current.append(script[i + 1])
                i += 1
            elif ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
            current.append(ch)
        elif script.startswith("//", i):
            while i < len(script) and script[i] != "\n":
                i += 1
            continue
        elif ch == ";":
            current.append(ch)
            statements.append("".join(current).strip())
            current = []
        else:
            current.append(ch)
        i += 1
    if "".join(current).strip():
        statements.append("".join(current).strip())
    return statements


def write_cypher(data: Dataset, path: str | os.PathLike, schema: Schema | None = None,
                 progress: Progress | None = None) -> dict[str, int]:
    """Write the Cypher script to ``path`` (``-`` for standard output), atomically.

    Returns
    -------
    dict
        Counts written: ``statements``, ``nodes`` (entities, documents, deals),
        ``relationships`` (claims and deal-item links).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from coopgraph.graph.model import Entity
    >>> ds = Dataset(entities={"firm:a": Entity("firm:a", "firm", "A'); MATCH (n) DETACH DELETE n //")})
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "g.cypher"
    >>> write_cypher(ds, target)
    {'statements': 4, 'nodes': 1, 'relationships': 0}
    >>> len(split_statements(target.read_text()))
    4
    """
    deals = deal_nodes(data, (schema or load_schema()).deal_relations)
    links = sum(len(n.items) for n in deals.values())
    counts = {"statements": 0, "nodes": len(data.entities) + len(data.documents) + len(deals),
              "relationships": len(data.claims) + links}
    with atomic_output(path) as out:
        out.write("// coopgraph graph: run with  cypher-shell -f <this file>  (idempotent: MERGE on id and claim_id)\n")
        for statement in cypher_statements(data, schema, progress):
            out.write(statement + "\n")
            counts["statements"] += 1
    return counts
