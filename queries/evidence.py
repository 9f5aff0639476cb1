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
        "unit": data.get("unit"),
        "deal": data.get("deal"),
        "citations": list(data.get("citations") or []),
    }
