"""Dependency chains: how technology, know-how and goods flowed, hop by hop, on whose evidence.

A chain follows *flow* relations in their direction (as the schema declares
them) from a source entity to a target entity, and respects time: each hop
happens no earlier than the hop before it. Dates are compared by the span they
stand for, so ``2015`` and ``2015-11`` do not contradict; an undated hop is
allowed but flagged.

The search runs level by level (shortest chains first) and prunes while it
searches: a partial chain is only extended towards entities that can still
reach a target within the hops left, through allowed types, at a time no
earlier than the chain has reached. It never enumerates all simple paths.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable

import networkx as nx

if TYPE_CHECKING:
    import pandas as pd

from coopgraph.graph.schema import Schema, load_schema
from coopgraph.queries.evidence import edge_claim_row
from coopgraph.queries.filters import ClaimFilter
from coopgraph.queries.flowgraph import Evidence, FlowGraph
from coopgraph.queries.selectors import select

#: types a chain does not pass through unless ``via`` names them
OPAQUE_TYPES = ("state",)

#: the search stops collecting after this many chains times the limit, and says so
SEARCH_BUDGET_FACTOR = 20


@dataclass
class ChainResult:
    """Chains found, plus what the search left out."""

    chains: list[dict[str, Any]] = field(default_factory=list)
    truncated: bool = False
    sources: int = 0
    targets: int = 0

    def __iter__(self):
        return iter(self.chains)

    def __len__(self) -> int:
        return len(self.chains)


@dataclass(frozen=True)
class _Partial:
    nodes: tuple[str, ...]
    hops: tuple[tuple[Evidence, ...], ...]
    time: dt.date | None  # the earliest day the chain can have reached its last node


def chains(
    graph: nx.MultiDiGraph,
    sources: str | Iterable[str],
    targets: str | Iterable[str],
    *,
    claim_filter: ClaimFilter | None = None,
    max_hops: int = 4,
    via: Iterable[str] | None = None,
    limit: int = 50,
    schema: Schema | None = None,
) -> ChainResult:
    """Find time-respecting flow chains from ``sources`` to ``targets``.

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        The claim graph (``store.graph()``).
    sources, targets : selector or list of selectors
        See :mod:`coopgraph.queries.selectors` (``country:Russia``, ``org:PLA``,
        ``type:program``, an entity name ...).
    claim_filter : ClaimFilter, optional
        As-of date, confidence, status filters.
    max_hops : int
        Longest chain, in hops.
    via : iterable of str, optional
        Entity types the chain may pass through (sources and targets excepted).
        By default every type but ``state``: a state aggregates so many flows
        that passing through one joins unrelated deliveries into false chains.
    limit : int
        Most chains to return.

    Returns
    -------
    ChainResult
        ``chains``: dicts with ``rank``, ``hops``, ``score`` (weakest-link
        confidence), ``path``, ``nodes``, ``first_date``, ``last_date``,
        ``undated_hops`` and ``steps`` (each with its claims and citations),
        shortest first, then strongest, then earliest. A chain that is the tail
        of a longer chain found from another source is left out.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> for n, t in [("state:r", "state"), ("system:x", "weapon_system"), ("service:s", "armed_service")]:
    ...     g.add_node(n, type=t, name=n.split(":")[1].upper())
    >>> _ = g.add_edge("state:r", "system:x", key="c1", type="supplies", flow="forward", date="2001", confidence=0.9, citations=[])
    >>> _ = g.add_edge("system:x", "service:s", key="c2", type="transferred_to", flow="forward", date="2003", confidence=0.7, citations=[])
    >>> found = chains(g, "state:r", "service:s")
    >>> found.chains[0]["path"], found.chains[0]["score"]
    ('R → X → S', 0.7)
    >>> g.edges["system:x", "service:s", "c2"]["date"] = "1999"   # delivered before it was supplied
    >>> len(chains(g, "state:r", "service:s"))
    0
    """
    schema = schema or load_schema()
    source_set = select(graph, sources, schema) if not isinstance(sources, set) else sources
    target_set = select(graph, targets, schema) if not isinstance(targets, set) else targets
    flow = FlowGraph(graph, claim_filter)
    via_types = set(via) if via else set(schema.entity_types) - set(OPAQUE_TYPES)
    for etype in via_types:
        schema.entity_type(etype)

    def passable(node: str) -> bool:
        return node not in target_set and graph.nodes[node].get("type") in via_types

    dist = flow.distances_to(target_set, max_hops, passable)
    steps: dict[str, list[tuple]] = {}

    def steps_from(node: str) -> list[tuple]:
        # the arcs worth following out of a node, nearest to a target first, worked out once per node:
        # (distance, next node, evidence, the earliest end of its dated claims, the earliest start of them)
        found_steps = steps.get(node)
        if found_steps is None:
            found_steps = []
            for nxt, evidence in flow.succ.get(node, {}).items():
                if nxt in dist and (nxt in target_set or passable(nxt)):
                    dated = [e for e in evidence if e.dated]
                    found_steps.append((dist[nxt], nxt, tuple(evidence), min((e.latest for e in dated), default=None),
                                        min((e.earliest for e in dated), default=None)))
            found_steps.sort(key=lambda t: t[0])
            steps[node] = found_steps
        return found_steps

    budget = max(limit, 1) * SEARCH_BUDGET_FACTOR
    found: list[_Partial] = []
    truncated = False
    frontier = [_Partial((s,), (), None) for s in sorted(source_set) if dist.get(s, max_hops + 1) <= max_hops and s not in target_set]
    for level in range(1, max_hops + 1):
        if not frontier or truncated:
            break
        next_frontier: list[_Partial] = []
        for partial in frontier:
            for distance, nxt, evidence, ends, starts in steps_from(partial.nodes[-1]):
                if distance > max_hops - level:
                    break
                if nxt in partial.nodes:
                    continue
                is_target = nxt in target_set
                time = partial.time
                if time is None or ends is None or ends >= time:
                    usable = evidence  # no claim on this arc ended before the chain got here
                else:
                    usable = tuple(e for e in evidence if not e.dated or e.latest >= time)
                    if not usable:
                        continue
                    starts = min((e.earliest for e in usable if e.dated), default=None)
                if starts is not None:
                    time = starts if time is None else max(time, starts)
                grown = _Partial(partial.nodes + (nxt,), partial.hops + (usable,), time)
                if is_target:
                    found.append(grown)
                    if len(found) >= budget:
                        truncated = True
                        break
                else:
                    next_frontier.append(grown)
            if truncated:
                break
        frontier = next_frontier
        if len(found) >= limit and level < max_hops:
            # shortest first: a longer chain can never rank above the ones found so far
            truncated = truncated or bool(frontier)
            break
    best = sorted(_drop_tails(found), key=lambda p: _rank_key(p, graph))[:limit]
    evidence_rows: dict[str, dict[str, Any]] = {}
    rows = [_chain_row(graph, p, evidence_rows) for p in best]
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
    return ChainResult(rows, truncated, len(source_set), len(target_set))


def _rank_key(partial: _Partial, graph: nx.MultiDiGraph) -> tuple:
    """Shortest first, then strongest (weakest-link confidence), fewest undated hops, earliest, by ids."""
    score = round(min(max(e.confidence for e in hop) for hop in partial.hops), 3)
    undated = sum(1 for hop in partial.hops if not any(e.dated for e in hop))
    dated = [e for hop in partial.hops for e in hop if e.dated]
    first = min(dated, key=lambda e: e.earliest).first if dated else "9999"
    return (len(partial.hops), -score, undated, first, partial.nodes)


def _drop_tails(found: list[_Partial]) -> list[_Partial]:
    """Leave out a chain that is the tail of a longer found chain (same later hops)."""
    by_nodes = {p.nodes: p for p in found}
    tails = set()
    for nodes in by_nodes:
        for cut in range(1, len(nodes) - 1):
            tails.add(nodes[cut:])
    return [p for nodes, p in by_nodes.items() if nodes not in tails]


def _chain_row(graph: nx.MultiDiGraph, partial: _Partial, evidence_rows: dict[str, dict[str, Any]]) -> dict[str, Any]:
    names = [graph.nodes[n].get("name", n) for n in partial.nodes]
    steps = []
    undated = 0
    for i, evidence in enumerate(partial.hops):
        has_date = any(e.dated for e in evidence)
        undated += not has_date
        steps.append({
            "step": i + 1,
            "from": partial.nodes[i],
            "from_name": names[i],
            "to": partial.nodes[i + 1],
            "to_name": names[i + 1],
            "undated": not has_date,
            "claims": [evidence_rows.get(e.claim) or evidence_rows.setdefault(e.claim, edge_claim_row(graph, e.subject, e.object, e.claim, e.data))
                       for e in evidence],
        })
    dates = [e for hop in partial.hops for e in hop if e.dated]
    score = min(max(e.confidence for e in hop) for hop in partial.hops)
    return {
        "hops": len(partial.hops),
        "score": round(score, 3),
        "path": " → ".join(names),
        "nodes": [{"id": n, "name": names[i], "type": graph.nodes[n].get("type")} for i, n in enumerate(partial.nodes)],
        "first_date": min(dates, key=lambda e: e.earliest).first if dates else None,
        "last_date": max(dates, key=lambda e: e.latest).last if dates else None,
        "undated_hops": undated,
        "steps": steps,
    }


def chains_frame(result: ChainResult | list[dict[str, Any]]) -> "pd.DataFrame":
    """One row per hop: chain rank, step, from, to, relations, dates, status, confidence, citations.

    Examples
    --------
    >>> chains_frame([]).columns[:4].tolist()
    ['chain', 'chain_score', 'step', 'from']
    """
    import pandas as pd

    rows = []
    for chain in result:
        for step in chain["steps"]:
            claims = step["claims"]
            rows.append({
                "chain": chain["rank"],
                "chain_score": chain["score"],
                "step": step["step"],
                "from": step["from"],
                "from_name": step["from_name"],
                "to": step["to"],
                "to_name": step["to_name"],
                "relations": "; ".join(dict.fromkeys(c["relation"] for c in claims)),
                "when": "; ".join(c["when"] for c in claims),
                "status": "; ".join(c["status"] or "" for c in claims),
                "confidence": max(c["confidence"] for c in claims),
                "undated": step["undated"],
                "claims": "; ".join(c["claim"] for c in claims),
                "citations": " | ".join(f'{cit["document"]} {cit["locator"]}: "{cit["quote"]}"' for c in claims for cit in c["citations"]),
            })
    columns = ["chain", "chain_score", "step", "from", "from_name", "to", "to_name", "relations", "when", "status",
               "confidence", "undated", "claims", "citations"]
    return pd.DataFrame(rows, columns=columns)
