"""The flow view of the claim graph: who passes technology, know-how or goods to whom.

Each flow claim becomes an arc in the direction the schema declares (a
``copy_of`` claim "J-11 copy_of Su-27" is an arc Su-27 -> J-11). Parallel claims
between the same two entities are kept together as one hop with several
pieces of evidence.

**Deals.** A transfer is one fact, so its claims do not meet at the item: the
deal is a node of its own (its id, ``deal:...``) and its claims become the arcs
supplier -> deal (``supplies``) and deal -> recipient (``transferred_to``,
``licensed_to``). Two deals of the same item share nothing, so no chain can join
the supplier of one to the recipient of another. What the recipient does with
the item continues from the deal: each flow arc out of the item (the J-11
copies the Su-27; the engine goes into the J-10) becomes an arc out of the
deal, but only towards entities on the recipient's side (the recipient, its
parts, what its country's firms make and develop), so a copy made in China
never follows a delivery to India. Likewise what went into the item reaches
the deal only from the supplier's side (the seller's own engine in the
aircraft it sells), so a maker is never joined to a third country's resale.

Deals with the same supplier, item and recipient (two engine contracts between
the same two states) share one node, named after the first of them: a chain
through it joins no facts its sources do not join, whichever contract a hop
cites, and the hop shows the claims of each with its own deal. So an analyst
sees one chain per supplier, item and recipient, not one per contract.

**A chain names a party of every deal it passes.** It enters a deal from its
supplier, or leaves it to its recipient, or both: what went into the item may
reach the deal's recipient, and the supplier's deal may go on to what the
recipient makes of the item, but a chain that came in through the item's
inputs does not go out through its uses. That would say that a deal carried the
one to the other without naming who sold or who bought, and every sale of a
much-traded item between the same two countries would repeat it
(:meth:`FlowGraph.onward`).
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import networkx as nx

from coopgraph.graph.schema import Schema, load_schema
from coopgraph.queries.filters import ClaimFilter, edge_span, filtered_graph
from coopgraph.queries.selectors import ITEM_TYPES, state_of

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
                 removed: set[str] | frozenset[str] = frozenset(), schema: Schema | None = None):
        self.graph = graph
        self.deals: dict[str, dict[str, Any]] = graph.graph.get("deals", {})
        #: deal id -> the node standing for it and the deals of the same parties and item; node -> those deals
        self.group_of, self.groups = _deal_groups(self.deals)
        view = filtered_graph(graph, claim_filter)
        self.succ: dict[str, dict[str, list[Evidence]]] = {}
        self.pred: dict[str, dict[str, list[Evidence]]] = {}
        #: deal id -> recipients its claims reach, and suppliers they name (in this view)
        delivered: dict[str, set[str]] = {}
        supplied: dict[str, set[str]] = {}
        for u, v, key, data in view.edges(keys=True, data=True):
            flow = data.get("flow", "none")
            if flow == "none" or u in removed or v in removed:
                continue
            role = data.get("deal_role")
            if role is not None:
                deal = self.group_of.get(data["deal"], data["deal"])
                a, b = (u, deal) if role == "supplier" else (deal, v)
                (delivered if role == "recipient" else supplied).setdefault(deal, set()).add(v if role == "recipient" else u)
            else:
                a, b = (u, v) if flow == "forward" else (v, u)
            if a == b:
                continue
            ev = evidence_of(u, v, key, data)
            self.succ.setdefault(a, {}).setdefault(b, []).append(ev)
            self.pred.setdefault(b, {}).setdefault(a, [])
        #: deal node -> the suppliers and the recipients its own claims name (in this view)
        self.suppliers_of, self.recipients_of = supplied, delivered
        if delivered:
            self._join_deals(delivered, supplied, schema or load_schema())
        for a, nbrs in self.succ.items():
            for b, evs in nbrs.items():
                evs.sort(key=lambda e: (e.earliest or _FAR_FUTURE, -e.confidence, e.claim))
                self.pred[b][a] = evs

    def _join_deals(self, delivered: dict[str, set[str]], supplied: dict[str, set[str]], schema: Schema) -> None:
        """Link each delivered deal to what flows into and out of its item, on the right side.

        Out: deal -> Y for each flow arc item -> Y whose Y is on a recipient's side
        (China received the Su-27; China's J-11 copies it). In: Y -> deal for each
        flow arc Y -> item whose Y is on the supplier's side (the supplier's own
        engine is in the aircraft it sells). Either arc carries the item's claims.
        """
        belongs = member_states(self.graph, schema)
        states: dict[str, str | None] = {}

        def on_side(node: str, parties: set[str]) -> bool:
            """True when ``node`` is one of ``parties`` or belongs to one's state (see the module docstring)."""
            if node in parties:
                return True
            mine = belongs.get(node)
            if not mine:
                return False
            for party in parties:
                state = states[party] if party in states else states.setdefault(party, state_of(self.graph, party, schema))
                if state in mine:
                    return True
            return False

        into: dict[str, dict[str, list[Evidence]]] = {}
        for before, nbrs in self.succ.items():
            for item, evidence in nbrs.items():
                into.setdefault(item, {})[before] = evidence
        added: list[tuple[str, str, list[Evidence]]] = []
        for deal, recipients in delivered.items():
            item = self.deals[deal]["item"] if deal in self.deals else None
            if item is None:
                continue
            added.extend((deal, nxt, evidence) for nxt, evidence in self.succ.get(item, {}).items()
                         if not nxt.startswith("deal:") and on_side(nxt, recipients))
            suppliers = supplied.get(deal)
            if suppliers:
                added.extend((before, deal, evidence) for before, evidence in into.get(item, {}).items()
                             if not before.startswith("deal:") and on_side(before, suppliers))
        for a, b, evidence in added:
            self.succ.setdefault(a, {}).setdefault(b, []).extend(evidence)
            self.pred.setdefault(b, {}).setdefault(a, [])

    @classmethod
    def of(cls, graph: nx.MultiDiGraph, claim_filter: ClaimFilter | None = None, schema: Schema | None = None) -> "FlowGraph":
        """The flow view of ``graph`` under ``claim_filter``, built once per graph and filter.

        The graph is taken as read-only once built (as ``store.graph()`` is): reports that
        search it many times (impact, the dossier, a loop over pairs) share one view.
        """
        cache = graph.graph.setdefault("_flow_views", {})
        key = (claim_filter, id(schema) if schema is not None else None)
        view = cache.get(key)
        if view is None:
            view = cache[key] = cls(graph, claim_filter, schema=schema)
        return view

    def onward(self, before: str, deal: str) -> set[str] | None:
        """Where a chain that reached ``deal`` from ``before`` may go next: ``None`` for anywhere,
        else only the deal's recipients (it came in through the item's inputs, not from a supplier)."""
        if before in self.suppliers_of.get(deal, ()):
            return None
        return self.recipients_of.get(deal, set())

    def info(self, node: str) -> dict[str, Any]:
        """A node's attributes: the entity's, or for a deal ``type`` "deal", its item's ``name`` and the deal's summary."""
        if node in self.graph:
            return self.graph.nodes[node]
        deal = self.deals.get(node)
        if deal is None:
            return {}
        members = [self.deals[d] for d in self.groups.get(node, (node,))]
        names = {m["item_name"] for m in members}
        name = deal["item_name"] if len(names) == 1 else deal["item_name"].split(" (")[0]
        return {"type": "deal", "name": name, "deal": deal, "deals": members}

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


def _deal_groups(deals: dict[str, dict[str, Any]]) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Deals of the same suppliers, item and recipients, keyed to the first of them (see the module docstring).

    >>> deals = {"deal:b": {"suppliers": ["r"], "item": "x", "recipients": ["c"]},
    ...          "deal:a": {"suppliers": ["r"], "item": "x", "recipients": ["c"]},
    ...          "deal:c": {"suppliers": ["r"], "item": "x", "recipients": ["d"]}}
    >>> _deal_groups(deals)
    ({'deal:a': 'deal:a', 'deal:b': 'deal:a', 'deal:c': 'deal:c'}, {'deal:a': ['deal:a', 'deal:b'], 'deal:c': ['deal:c']})
    """
    by_parties: dict[tuple, list[str]] = {}
    for deal_id in sorted(deals):
        deal = deals[deal_id]
        key = (tuple(sorted(deal["suppliers"])), deal["item"], tuple(sorted(deal["recipients"])))
        by_parties.setdefault(key, []).append(deal_id)
    group_of: dict[str, str] = {}
    groups: dict[str, list[str]] = {}
    for members in by_parties.values():
        groups[members[0]] = members
        for deal_id in members:
            group_of[deal_id] = members[0]
    return dict(sorted(group_of.items())), groups


def member_states(graph: nx.MultiDiGraph, schema: Schema) -> dict[str, frozenset[str]]:
    """Each entity's states, worked out once for the whole graph (and kept with it).

    An entity belongs to a state as :func:`~coopgraph.queries.selectors.country_members`
    says: the state itself, what names it as ``country``, what belongs to those
    through the schema's ownership relations, and the items they make or develop
    (an origin claim that is not part of a deal). One pass over the graph instead
    of one per state.

    Examples
    --------
    >>> from coopgraph.graph.schema import load_schema
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("state:r", type="state"); g.add_node("firm:f", type="firm", country="state:r")
    >>> g.add_node("firm:sub", type="firm"); g.add_node("tech:t", type="technology")
    >>> _ = g.add_edge("firm:sub", "firm:f", type="subsidiary_of"); _ = g.add_edge("firm:sub", "tech:t", type="manufactures")
    >>> sorted(n for n, s in member_states(g, load_schema()).items() if "state:r" in s)
    ['firm:f', 'firm:sub', 'state:r', 'tech:t']
    """
    cached = graph.graph.get("_member_states")
    if cached is not None:
        return cached
    ownership = set(schema.ownership_relations)
    origin = set(schema.origin_relations)
    belongs: dict[str, set[str]] = {}
    queue: deque[str] = deque()
    for node, data in graph.nodes(data=True):
        roots = ({node} if data.get("type") == "state" else set()) | ({data["country"]} if data.get("country") else set())
        if roots:
            belongs[node] = roots
            queue.append(node)
    while queue:  # down the ownership relations: what belongs to a member is a member
        node = queue.popleft()
        mine = belongs[node]
        for child, _, rel in graph.in_edges(node, data="type"):
            if rel in ownership:
                have = belongs.setdefault(child, set())
                if not mine <= have:
                    have |= mine
                    queue.append(child)
    products: dict[str, set[str]] = {}
    for maker, item, data in graph.edges(data=True):
        if data.get("type") in origin and not data.get("deal_role") and maker in belongs:
            if graph.nodes[item].get("type") in ITEM_TYPES:
                products.setdefault(item, set()).update(belongs[maker])
    for item, found in products.items():
        belongs.setdefault(item, set()).update(found)
    result = {node: frozenset(found) for node, found in belongs.items()}
    graph.graph["_member_states"] = result
    return result
