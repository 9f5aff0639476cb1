"""Design lineage: what a design was derived from, copied from or licensed as, both ways."""

from __future__ import annotations

from collections import deque
from typing import Any

import networkx as nx

from coopgraph.graph.schema import Schema, load_schema
from coopgraph.queries.evidence import edge_claim_row
from coopgraph.queries.filters import ClaimFilter, filtered_graph
from coopgraph.queries.report import Report
from coopgraph.queries.selectors import resolve_node


def lineage(graph: nx.MultiDiGraph, entity: str, *, depth: int = 5, claim_filter: ClaimFilter | None = None,
            schema: Schema | None = None, node: str | None = None) -> Report:
    """Follow the schema's lineage relations (derived_from, copy_of, licensed_to) both ways.

    Rows give the ``depth`` from the start, the ``entity`` reached and the entity
    it was reached ``from`` (with ``entity_name`` and ``from_name``), the
    ``direction`` of ``entity`` relative to ``from`` (``descendant``: a later
    design or licensee of it; ``ancestor``: an earlier design of it), the claim,
    its date and its citations. At depth 2 and beyond, ``from`` is not the start:
    an ancestor of a descendant is a relative, not an ancestor of the start.

    ``graph`` may be the part of the store's graph that the lineage reads (the
    store's ``entity_graph([node], schema.lineage_relations, depth - 1)``): the rows
    are the same as on the whole graph. ``node``, the id ``entity`` was already
    resolved to (by the store's name look-up), is then given, and ``entity`` is
    not looked up again; ``entity`` still words the message of an empty report.

    Raises
    ------
    NotFoundError, AmbiguousNameError
        When ``entity`` names no entity, or several; the message of the
        second lists them, so that an id can be given instead.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_nodes_from([("su27", {"name": "Su-27"}), ("j11", {"name": "J-11"}), ("j16", {"name": "J-16"})])
    >>> _ = g.add_edge("j11", "su27", key="c1", type="copy_of", citations=[])
    >>> _ = g.add_edge("j16", "j11", key="c2", type="derived_from", citations=[])
    >>> [(r["depth"], r["entity_name"], r["direction"], r["from_name"]) for r in lineage(g, "su27")]
    [(1, 'J-11', 'descendant', 'Su-27'), (2, 'J-16', 'descendant', 'J-11')]
    """
    schema = schema or load_schema()
    start = node if node is not None else resolve_node(graph, entity)
    rels = {name: schema.relation(name) for name in schema.lineage_relations}
    view = filtered_graph(graph, claim_filter)
    rows: list[dict[str, Any]] = []
    seen = {start}
    used: set[str] = set()
    queue = deque([(start, 0)])
    while queue:
        node, level = queue.popleft()
        if level >= depth:
            continue
        steps = []
        for u, v, key, data in list(view.out_edges(node, keys=True, data=True)) + list(view.in_edges(node, keys=True, data=True)):
            rel = rels.get(data.get("type"))
            if rel is None or key in used:
                continue
            # design knowledge flows from the earlier design to the later one
            earlier, later = (u, v) if rel.flow == "forward" else (v, u)
            other = later if earlier == node else earlier
            direction = "descendant" if earlier == node else "ancestor"
            steps.append((other, direction, u, v, key, data))
        for other, direction, u, v, key, data in sorted(steps, key=lambda s: (s[1] != "descendant", s[4])):
            used.add(key)
            row = edge_claim_row(graph, u, v, key, data)
            rows.append({"depth": level + 1, "direction": direction, "from": node,
                         "from_name": graph.nodes[node].get("name", node), "entity": other,
                         "entity_name": graph.nodes[other].get("name", other), **row})
            if other not in seen:
                seen.add(other)
                queue.append((other, level + 1))
    return Report(rows, empty=f"no lineage claims for {entity}")
