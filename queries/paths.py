"""Shortest paths between two entities, and capped neighbourhoods."""

from __future__ import annotations

from itertools import islice
from typing import Any, Iterable

import networkx as nx

from coopgraph.graph.errors import NotFoundError
from coopgraph.queries.evidence import edge_claim_row
from coopgraph.queries.filters import ClaimFilter, Cut, filtered_graph
from coopgraph.queries.flowgraph import FlowGraph
from coopgraph.queries.report import Report
from coopgraph.queries.selectors import resolve_node


def paths(graph: nx.MultiDiGraph, a: str, b: str, *, flow_only: bool = False,
          claim_filter: ClaimFilter | None = None, limit: int = 10) -> Report:
    """Shortest paths from ``a`` to ``b``, with the claims (and citations) of every hop.

    Parameters
    ----------
    a, b : str
        Entity ids, names or aliases.
    flow_only : bool
        Follow only flow relations, in their flow direction; otherwise any claim, either way.
    limit : int
        Most paths to return (all have the shortest length).

    Returns
    -------
    Report
        Reads as the list of paths (``rank``, ``hops``, ``path``, ``nodes``, ``steps``
        with their claims and citations); its rows are one per hop (:data:`PATH_COLUMNS`).

    Raises
    ------
    NotFoundError, AmbiguousNameError
        When ``a`` or ``b`` names no entity, or several.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_nodes_from([("a", {"name": "A"}), ("b", {"name": "B"}), ("c", {"name": "C"})])
    >>> _ = g.add_edge("a", "b", key="c1", type="supplies", flow="forward", citations=[])
    >>> _ = g.add_edge("c", "b", key="c2", type="part_of", flow="none", citations=[])
    >>> [p["path"] for p in paths(g, "a", "c")]
    ['A — B — C']
    >>> list(paths(g, "a", "c", flow_only=True))
    []
    """
    source, target = resolve_node(graph, a), resolve_node(graph, b)
    empty = f"no path from {a} to {b}" + (" along flows" if flow_only else "")
    view = filtered_graph(graph, claim_filter)
    if flow_only:
        flow = FlowGraph(graph, claim_filter)
        simple = flow.to_digraph()
        info = flow.info
        arrow = " → "
    else:
        simple, hop_claims = _deal_routed(view)
        deals = graph.graph.get("deals", {})

        def info(node: str) -> dict[str, Any]:
            if node in graph:
                return graph.nodes[node]
            return {"type": "deal", "name": deals[node]["item_name"] + " (deal)"} if node in deals else {}

        arrow = " — "
    if source not in simple or target not in simple:
        return _path_report([], empty)
    try:
        found = list(islice(nx.all_shortest_paths(simple, source, target), limit * 10))
    except nx.NetworkXNoPath:
        return _path_report([], empty)
    found.sort()
    rows = []
    for rank, nodes in enumerate(found[:limit], start=1):
        steps = []
        for i in range(len(nodes) - 1):
            u, v = nodes[i], nodes[i + 1]
            if flow_only:
                claims = [edge_claim_row(graph, e.subject, e.object, e.claim, e.data) for e in flow.successors(u)[v]]
            else:
                claims = [edge_claim_row(graph, x, y, key, data) for x, y, key, data in hop_claims[frozenset((u, v))]]
            steps.append({"step": i + 1, "from": u, "from_name": info(u).get("name", u), "to": v,
                          "to_name": info(v).get("name", v), "claims": claims})
        rows.append({"rank": rank, "hops": len(nodes) - 1,
                     "path": arrow.join(info(n).get("name", n) for n in nodes), "nodes": nodes, "steps": steps})
    return _path_report(rows, empty)


#: the columns of a path report's rows, one row per hop
PATH_COLUMNS = ["path", "step", "from", "to", "claims", "statements", "citations"]


def _path_report(paths: list[dict[str, Any]], empty: str) -> Report:
    flat = [{"path": r["rank"], "step": s["step"], "from": s["from"], "to": s["to"],
             "claims": "; ".join(c["claim"] for c in s["claims"]),
             "statements": "; ".join(f"{c['statement']} ({c['when']})" for c in s["claims"]),
             "citations": " | ".join(f"{x['document']} {x['locator']}" for c in s["claims"] for x in c["citations"])}
            for r in paths for s in r["steps"]]
    return Report(flat, columns=PATH_COLUMNS, empty=empty, document=paths)


def _deal_routed(view: nx.MultiDiGraph) -> tuple[nx.Graph, dict[frozenset, list[tuple]]]:
    """The claims as undirected links, each deal's claims routed through the deal.

    A deal's supplier and recipient link to the deal, and the deal to its item
    (every claim of the deal names the item, so that link cites them all): two
    deals of one item meet only at the item, never supplier to recipient.
    """
    simple = nx.Graph()
    simple.add_nodes_from(view.nodes)
    hop_claims: dict[frozenset, list[tuple]] = {}
    for u, v, key, data in view.edges(keys=True, data=True):
        role = data.get("deal_role")
        links = [(u, v)] if role is None else [
            (u, data["deal"]) if role == "supplier" else (data["deal"], v), (data["deal"], data["item"])]
        for x, y in links:
            if x == y:
                continue
            simple.add_edge(x, y)
            bucket = hop_claims.setdefault(frozenset((x, y)), [])
            if all(existing[2] != key for existing in bucket):
                bucket.append((u, v, key, data))
    for bucket in hop_claims.values():
        bucket.sort(key=lambda claim: claim[2])
    return simple, hop_claims


def neighbours(graph: nx.MultiDiGraph, entity: str, *, depth: int = 1, types: Iterable[str] | None = None,
               cap: int = 25, claim_filter: ClaimFilter | None = None) -> Report:
    """Entities within ``depth`` claims of ``entity``, capping each node's expansion.

    A high-degree node (a state with thousands of claims) contributes at most
    ``cap`` neighbours, the best connected first; ``cut`` counts what was left out.

    Returns
    -------
    Report
        Rows (id, name, type, depth, via, relations, claims); the document adds
        ``entity`` and ``cut`` (what the cap left out), which the notes say.

    Raises
    ------
    NotFoundError, AmbiguousNameError
        When ``entity`` names no entity, or several.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> for i in range(5):
    ...     _ = g.add_edge("hub", f"n{i}", key=f"c{i}", type="supplies")
    >>> out = neighbours(g, "hub", cap=3)
    >>> len(out["rows"]), out["cut"]
    (3, {'neighbours beyond the cap': 2})
    """
    start = resolve_node(graph, entity)
    view = filtered_graph(graph, claim_filter)
    wanted = set(types) if types else None
    seen = {start: 0}
    rows: list[dict[str, Any]] = []
    cut = Cut()
    frontier = [start]
    for level in range(1, depth + 1):
        nxt = []
        for node in frontier:
            links: dict[str, list[str]] = {}
            for _, other, rel in view.out_edges(node, data="type"):
                links.setdefault(other, []).append(f"{rel} →")
            for other, _, rel in view.in_edges(node, data="type"):
                links.setdefault(other, []).append(f"← {rel}")
            candidates = [o for o in links if o not in seen]
            if wanted is not None:
                kept = [o for o in candidates if graph.nodes[o].get("type") in wanted]
                if len(kept) < len(candidates):
                    cut.add("neighbours of other types", len(candidates) - len(kept))
                candidates = kept
            candidates.sort(key=lambda o: (-view.degree(o), o))
            if len(candidates) > cap:
                cut.add("neighbours beyond the cap", len(candidates) - cap)
                candidates = candidates[:cap]
            for other in candidates:
                seen[other] = level
                nxt.append(other)
                rows.append({"id": other, "name": graph.nodes[other].get("name", other),
                             "type": graph.nodes[other].get("type"), "depth": level, "via": node,
                             "relations": sorted(set(links[other])), "claims": len(links[other])})
        frontier = nxt
    if start not in graph:
        raise NotFoundError(entity)
    notes = ["cut: " + ", ".join(f"{n} {what}" for what, n in cut.counts.items())] if cut.counts else []
    return Report(rows, table_columns=["depth", "id", "name", "type", "relations"], notes=notes,
                  document={"entity": start, "rows": rows, "cut": cut.counts})
