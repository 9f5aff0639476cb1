"""Claims between two entities, as rows with citations (shared by path-like reports)."""

from __future__ import annotations

from typing import Any

import networkx as nx

from coopgraph.graph.model import Claim
from coopgraph.queries.basic import when_text


def edge_claim_row(graph: nx.MultiDiGraph, u: str, v: str, key: str, data: dict[str, Any]) -> dict[str, Any]:
    """One claim (edge) as a row a person can check: statement, date, status, citations."""
    when = when_text(Claim(u, data.get("type", ""), v, data.get("date"), data.get("start"), data.get("end"), bool(data.get("circa"))))
    return {
        "claim": key,
        "subject": u,
        "relation": data.get("type"),
        "object": v,
        "statement": f"{graph.nodes[u].get('name', u)} {data.get('type')} {graph.nodes[v].get('name', v)}",
        "when": when,
        "date": data.get("date"),
        "start": data.get("start"),
        "end": data.get("end"),
        "circa": bool(data.get("circa")),
        "status": data.get("status"),
        "confidence": data.get("confidence"),
        "quantity": data.get("quantity"),
        "citations": list(data.get("citations") or []),
    }


def claims_between(graph: nx.MultiDiGraph, u: str, v: str, *, both_ways: bool = True) -> list[dict[str, Any]]:
    """Every claim from ``u`` to ``v`` (and from ``v`` to ``u`` when ``both_ways``), in id order."""
    rows = []
    pairs = [(u, v), (v, u)] if both_ways else [(u, v)]
    for a, b in pairs:
        if graph.has_edge(a, b):
            for key, data in sorted(graph[a][b].items()):
                rows.append(edge_claim_row(graph, a, b, key, data))
    return rows
