"""The flow view of the claim graph: who passes technology, know-how or goods to whom.

Each flow claim becomes an arc in the direction the schema declares (a
``copy_of`` claim "J-11 copy_of Su-27" is an arc Su-27 -> J-11). Parallel claims
between the same two entities are kept together as one hop with several
pieces of evidence.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import networkx as nx

from coopgraph.queries.filters import ClaimFilter, edge_span, filtered_graph

_FAR_PAST = dt.date.min
_FAR_FUTURE = dt.date.max
#: how far a "circa" date may stray either side
CIRCA_SLACK = dt.timedelta(days=366)


@dataclass(frozen=True, slots=True)
class Evidence:
    """One claim behind a hop, with the days it may stand for."""

    claim: str
    subject: str
    object: str
    relation: str
    earliest: dt.date | None
    latest: dt.date | None
    confidence: float
    data: dict[str, Any]
    first: str | None = None  # the claim's own first and last dates, at their precision
    last: str | None = None
    #: whether the claim carries a date (kept as a field: the chain search asks millions of times)
    dated: bool = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "dated", self.earliest is not None)


def evidence_of(u: str, v: str, key: str, data: dict[str, Any]) -> Evidence:
    when = (data.get("date"), data.get("start"), data.get("end"), bool(data.get("circa")))
    try:
        earliest, latest, first, last = _days(*when)
    except TypeError:  # a date value that cannot be a cache key (not text): work it out directly
        earliest, latest, first, last = _days.__wrapped__(*when)
    return Evidence(key, u, v, data.get("type", ""), earliest, latest, float(data.get("confidence", 0.0)), data, first, last)


@lru_cache(maxsize=1 << 14)
def _days(date: Any, start: Any, end: Any, circa: bool) -> tuple[dt.date | None, dt.date | None, str | None, str | None]:
    # a large graph repeats a few thousand dates: work each combination out once
    first, last = edge_span({"date": date, "start": start, "end": end})
    earliest = first.earliest if first else None
    latest = last.latest if last else None
    if first and circa:
        earliest = max(_FAR_PAST + CIRCA_SLACK, earliest) - CIRCA_SLACK
        latest = min(_FAR_FUTURE - CIRCA_SLACK, latest) + CIRCA_SLACK
    return earliest, latest, first.isoformat() if first else None, last.isoformat() if last else None


class FlowGraph:
    """Adjacency of flow arcs, each arc holding its evidence.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_edge("system:j-11", "system:su-27", key="c1", type="copy_of", flow="reverse", confidence=0.9)
    >>> fg = FlowGraph(g)
    >>> list(fg.succ["system:su-27"])
    ['system:j-11']
    """

    def __init__(self, graph: nx.MultiDiGraph, claim_filter: ClaimFilter | None = None,
                 removed: set[str] | frozenset[str] = frozenset()):
        self.graph = graph
        view = filtered_graph(graph, claim_filter)
        self.succ: dict[str, dict[str, list[Evidence]]] = {}
        self.pred: dict[str, dict[str, list[Evidence]]] = {}
        for u, v, key, data in view.edges(keys=True, data=True):
            flow = data.get("flow", "none")
            if flow == "none" or u in removed or v in removed:
                continue
            a, b = (u, v) if flow == "forward" else (v, u)
            if a == b:
                continue
            ev = evidence_of(u, v, key, data)
            self.succ.setdefault(a, {}).setdefault(b, []).append(ev)
            self.pred.setdefault(b, {}).setdefault(a, [])
        for a, nbrs in self.succ.items():
            for b, evs in nbrs.items():
                evs.sort(key=lambda e: (e.earliest or _FAR_FUTURE, -e.confidence, e.claim))
                self.pred[b][a] = evs

    def arcs(self) -> int:
        return sum(len(n) for n in self.succ.values())

    def distances_to(self, targets: set[str], max_hops: int, passable=None) -> dict[str, int]:
        """Fewest arcs from each node to any target (ignoring time), up to ``max_hops``.

        ``passable(node)`` says whether a chain may pass through a node on its way.
        """
        dist = {t: 0 for t in targets}
        frontier = list(targets)
        for depth in range(1, max_hops + 1):
            nxt = []
            for node in frontier:
                for before in self.pred.get(node, ()):
                    if before in dist:
                        continue
                    if passable is not None and not passable(before):
                        # it can still start a chain, just not be passed through
                        dist[before] = depth
                        continue
                    dist[before] = depth
                    nxt.append(before)
            frontier = nxt
            if not frontier:
                break
        return dist

    def to_digraph(self) -> nx.DiGraph:
        """The flow arcs as a simple ``DiGraph`` (for dominators, reachability)."""
        out = nx.DiGraph()
        out.add_nodes_from(self.graph.nodes)
        for a, nbrs in self.succ.items():
            for b, evs in nbrs.items():
                out.add_edge(a, b, claims=len(evs), confidence=max(e.confidence for e in evs))
        return out
