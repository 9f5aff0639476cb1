"""Dependency chains: how technology, know-how and goods flowed, hop by hop, on whose evidence.

A chain follows *flow* relations in their direction (as the schema declares
them) from a source entity to a target entity, and respects time: each hop
happens no earlier than the hop before it. Dates are compared by the span they
stand for, so ``2015`` and ``2015-11`` do not contradict; an undated hop is
allowed but flagged.

The search finds the shortest chains first (one depth-first pass per length,
so it holds one path at a time) and prunes while it searches: a partial chain
is only extended towards entities that can still reach a target within the hops
left, through allowed types, at a time no earlier than the chain has reached,
and early enough for some way on to a target to be usable (a deadline per node
and hops left, worked out from the part of the graph the search has read). It
never enumerates all simple paths.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable

import networkx as nx

if TYPE_CHECKING:
    import pandas as pd

from coopgraph.graph.bulk import paused_gc
from coopgraph.graph.deals import DEAL_PREFIX, deal_parties
from coopgraph.graph.schema import Schema, load_schema
from coopgraph.queries.evidence import edge_claim_row
from coopgraph.queries.filters import ClaimFilter, as_of_note
from coopgraph.queries.flowgraph import Evidence, FlowGraph
from coopgraph.queries.report import Report
from coopgraph.queries.selectors import select

#: types a chain does not pass through unless ``via`` names them
OPAQUE_TYPES = ("state",)

#: the search stops collecting after this many chains times the limit, and says so
SEARCH_BUDGET_FACTOR = 20
#: with ``through``, the search collects as many chains (through or not) as a search with this limit does
THROUGH_SEARCH_LIMIT = 10_000


class ChainResult(Report):
    """Chains found, plus what the search left out: a :class:`~coopgraph.queries.report.Report`.

    ``chains`` holds the best ``limit`` chains; ``found`` counts every chain the
    search found (after leaving out tails and state stand-ins, see :func:`chains`);
    ``truncated`` is true when more exist than are listed, and ``complete`` false
    when the search stopped at its budget, so that ``found`` is a lower bound.
    Iterating, indexing and ``len`` go over the chains; :attr:`rows` has one row
    per hop (:data:`CHAIN_COLUMNS`), as ``coopgraph chains --format csv`` writes them.
    """

    def __init__(self, chains: list[dict[str, Any]] | None = None, truncated: bool = False, sources: int = 0,
                 targets: int = 0, found: int = 0, complete: bool = True,
                 documents: dict[str, dict[str, Any]] | None = None, notes: list[str] | None = None) -> None:
        super().__init__(columns=CHAIN_COLUMNS, empty="no chains found", notes=notes or ())
        self.chains = chains if chains is not None else []
        self.documents = documents if documents is not None else {}
        self.truncated, self.found, self.complete = truncated, found, complete
        self.sources, self.targets = sources, targets  # how many entities the selectors chose

    @property
    def rows(self) -> list[dict[str, Any]]:
        return chain_rows(self.chains)

    @property
    def document(self) -> dict[str, Any]:
        return {"sources": self.sources, "targets": self.targets, "truncated": self.truncated, "found": self.found,
                "complete": self.complete, "chains": self.chains, "documents": self.documents, "notes": self.notes}

    def __iter__(self):
        return iter(self.chains)

    def __len__(self) -> int:
        return len(self.chains)

    def __getitem__(self, key: Any) -> Any:
        return self.chains[key] if isinstance(key, (int, slice)) else self.document[key]


_NO_END = dt.date.max  # a hop with an undated claim can be taken at any time
_NO_START = dt.date.min


class _Partial:
    """A chain found: its nodes, each hop's usable evidence, and the earliest day it can have reached its end."""

    __slots__ = ("nodes", "hops", "time", "_measures")

    def __init__(self, nodes: tuple[str, ...], hops: tuple[list[Evidence], ...], time: dt.date | None) -> None:
        self.nodes, self.hops, self.time = nodes, hops, time
        self._measures: tuple | None = None

    def measures(self) -> tuple[float, int, Evidence | None, Evidence | None]:
        """Weakest-link confidence, undated hops, and the claims with the earliest start and the latest end."""
        if self._measures is None:
            score: float | None = None
            undated = 0
            first = last = None
            for hop in self.hops:
                strongest = hop[0].confidence
                dated = False
                for e in hop:
                    if e.confidence > strongest:
                        strongest = e.confidence
                    if e.dated:
                        dated = True
                        if first is None or e.earliest < first.earliest:
                            first = e
                        if last is None or e.latest > last.latest:
                            last = e
                undated += not dated
                score = strongest if score is None or strongest < score else score
            self._measures = (score, undated, first, last)
        return self._measures


@dataclass
class ChainEnds:
    """Where chains may start and end on a :class:`FlowGraph`, deals included.

    ``starts``: the selected sources, plus the deals of a selected item (those
    its selected suppliers made, or all of them when the item is named alone).
    ``goals``: the selected targets, the deals of a selected item, and each
    state whose armed forces are selected (``stand_ins``: state -> those armed
    services): a delivery the source names as going to the state China counts
    as reaching China's armed forces, and only a delivery (a deal's arc) does.
    """

    starts: set[str]
    goals: set[str]
    stand_ins: dict[str, list[str]]

    def reached(self, before: str, node: str) -> bool:
        """True when a chain arriving at ``node`` from ``before`` has reached a goal."""
        return node in self.goals and (node not in self.stand_ins or before.startswith(DEAL_PREFIX))


def chain_ends(graph: nx.MultiDiGraph, flow: FlowGraph, sources: set[str], targets: set[str],
               schema: Schema) -> ChainEnds:
    """Work out :class:`ChainEnds` for selected ``sources`` and ``targets`` (entity ids)."""
    by_item: dict[str, list[str]] = graph.graph.get("deals_by_item", {})
    deals = flow.deals
    starts = set(sources)
    node = flow.group_of
    for item in sources & by_item.keys():
        own = [d for d in by_item[item] if set(deal_parties(deals, d)[0]) & sources]
        starts.update(node.get(d, d) for d in own or by_item[item])
    goals = set(targets)
    for item in targets & by_item.keys():
        goals.update(node.get(d, d) for d in by_item[item])
    ownership = set(schema.ownership_relations)
    stand_ins: dict[str, list[str]] = {}
    for target in targets:
        if target not in graph or graph.nodes[target].get("type") != "armed_service":
            continue
        for _, state, rel in graph.out_edges(target, data="type"):
            if rel in ownership and graph.nodes[state].get("type") == "state" and state not in targets:
                stand_ins.setdefault(state, []).append(target)
    goals.update(stand_ins)
    return ChainEnds(starts, goals, {s: sorted(t) for s, t in stand_ins.items()})


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
    through: Iterable[str] | None = None,
) -> ChainResult:
    """Find time-respecting flow chains from ``sources`` to ``targets``.

    A transfer is one fact: a chain passes from a supplier through a deal to
    its recipient, never from the supplier of one deal to the recipient of
    another (see :mod:`coopgraph.queries.flowgraph`). A delivery to a state
    counts as reaching the state's armed forces when they are a target; the
    chain then says which recipient the source names (``recipient_named``), and
    is left out when the same deal reaches a target of its own.

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
        Deals are always passed through.
    limit : int
        Most chains to return.
    through : iterable of str, optional
        Entity ids: keep only the chains that pass through one of them, before
        the last node (a deal of one of them as its item counts). ``found``
        then counts only those. The search collects as many chains as one of
        ``limit`` 10,000 does (the chains left out as tails of others depend
        on every chain found), and ranks and describes only those kept.
        :func:`coopgraph.queries.impact.impact` lists the chains a removal cuts
        this way.

    Returns
    -------
    ChainResult
        ``chains``: dicts with ``rank``, ``hops``, ``score`` (weakest-link
        confidence), ``path``, ``nodes`` (a deal's node has type ``deal`` and its
        summary), ``deals``, ``first_date``, ``last_date``, ``undated_hops``,
        ``recipient_named`` and ``steps`` (each with its claims and citations),
        shortest first, then strongest, then earliest. A chain that is the tail
        of a longer chain found from another source is left out. ``found``
        counts all chains found. ``documents`` maps each document the chains
        cite to its record (title, date, author, publisher); ``notes`` says why
        nothing could be found when ``--as-of`` is earlier than every document.

    Raises
    ------
    NotFoundError, AmbiguousNameError
        When a selector names no entity, or several.
    SchemaError
        When ``via`` names an unknown entity type.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> for n, t in [("state:r", "state"), ("system:x", "weapon_system"), ("service:s", "armed_service")]:
    ...     g.add_node(n, type=t, name=n.split(":")[1].upper())
    >>> _ = g.add_edge("state:r", "system:x", key="c1", type="copy_of", flow="reverse", date="2001", confidence=0.9, citations=[])
    >>> _ = g.add_edge("system:x", "service:s", key="c2", type="equips", flow="forward", date="2003", confidence=0.7, citations=[])
    >>> found = chains(g, "system:x", "service:s")
    >>> found.chains[0]["path"], found.chains[0]["score"]
    ('X → S', 0.7)
    """
    # the search makes hundreds of thousands of short-lived tuples and lists: with the collector on, each
    # threshold would rescan a large graph's whole heap (5 s of 9 at 100k claims). They hold no cycles, and
    # are freed (by reference counting) when _search returns, before the collector is back.
    with paused_gc():
        return _search(graph, sources, targets, claim_filter, max_hops, via, limit, schema,
                       None if through is None else set(through))


def _search(graph: nx.MultiDiGraph, sources: str | Iterable[str], targets: str | Iterable[str],
            claim_filter: ClaimFilter | None, max_hops: int, via: Iterable[str] | None, limit: int,
            schema: Schema | None, through: set[str] | None = None) -> ChainResult:
    schema = schema or load_schema()
    source_set = select(graph, sources, schema) if not isinstance(sources, set) else sources
    target_set = select(graph, targets, schema) if not isinstance(targets, set) else targets
    flow = FlowGraph.of(graph, claim_filter, schema)
    via_types = set(via) if via else set(schema.entity_types) - set(OPAQUE_TYPES)
    for etype in via_types:
        schema.entity_type(etype)
    ends = chain_ends(graph, flow, source_set, target_set, schema)
    goals = ends.goals
    node_type = {n: t for n, t in graph.nodes(data="type")}

    def passable(node: str) -> bool:
        return node not in goals and (node.startswith(DEAL_PREFIX) or node_type.get(node) in via_types)

    dist = flow.distances_to(goals, max_hops, passable, starts=ends.starts)
    steps: dict[str, list[tuple]] = {}
    spans: dict[int, tuple] = {}
    stand_ins = ends.stand_ins

    def steps_from(node: str) -> list[tuple]:
        # the arcs worth following out of a node, nearest to a target first, worked out once per node:
        # (distance, next node, evidence, the earliest end of its dated claims, the earliest start of them,
        # whether the next node ends the chain); an arc that neither ends a chain nor may be passed is left out
        found_steps = steps[node] = _steps(node, flow.successors(node).items())
        return found_steps

    def _steps(node: str, arcs: Iterable[tuple[str, list[Evidence]]]) -> list[tuple]:
        found_steps = []
        from_deal = node.startswith(DEAL_PREFIX)
        for nxt, evidence in arcs:
            distance = dist.get(nxt)
            if distance is None:
                continue
            is_target = nxt in goals and (nxt not in stand_ins or from_deal)  # ChainEnds.reached
            if not is_target and not passable(nxt):
                continue
            span = spans.get(id(evidence))
            if span is None:  # an item's arcs are shared by its deals: work each list out once
                dated = [e for e in evidence if e.dated]
                span = spans[id(evidence)] = (min((e.latest for e in dated), default=None),
                                              min((e.earliest for e in dated), default=None),
                                              max(e.latest for e in dated) if len(dated) == len(evidence) else _NO_END)
            found_steps.append((distance, nxt, evidence, span[0], span[1], is_target, span[2]))
        found_steps.sort(key=_first)
        return found_steps

    recipient_steps: dict[str, list[tuple]] = {}

    def steps_to_recipients(deal: str) -> list[tuple]:
        # FlowGraph.onward: a chain that came into a deal through the item's inputs goes on to its recipients only
        found_steps = recipient_steps.get(deal)
        if found_steps is None:
            found_steps = recipient_steps[deal] = _steps(deal, flow.recipient_arcs(deal))
        return found_steps

    deadlines: dict[tuple[str, int], dt.date] = {}

    def deadline(node: str, hops_left: int) -> dt.date:
        # the latest day a chain may reach ``node`` and still end at a goal within ``hops_left`` hops: a chain's
        # day never goes back, and a hop is usable only up to its last claim's end (an upper bound: it ignores
        # the other rules, so it never cuts a chain that could be completed). It is worked out from the nodes
        # whose steps the search has already read, and a node not yet read bounds nothing: reading every
        # node within reach to work it out cost more than the chains it cut (at a million claims it read the
        # arcs of 7,334 nodes, where the search reads 626 without it). Any upper bound gives the same chains.
        key = (node, hops_left)
        latest = deadlines.get(key)
        if latest is None:
            out = steps.get(node)
            if out is None:
                return _NO_END
            latest = _NO_START
            for distance, nxt, _, _, _, is_target, reach in out:
                if distance >= hops_left:
                    break
                bound = reach if is_target else min(reach, deadline(nxt, hops_left - 1))
                if bound > latest:
                    latest = bound
                    if latest == _NO_END:
                        break
            deadlines[key] = latest
        return latest

    # with ``through``, the search collects what a search of THROUGH_SEARCH_LIMIT chains does, through those
    # entities or not: the chains it drops as tails or stand-ins of others depend on every chain found
    budget = max(limit if through is None else max(limit, THROUGH_SEARCH_LIMIT), 1) * SEARCH_BUDGET_FACTOR
    hits: list[tuple] = []
    exhausted = False
    first_nodes = [s for s in sorted(ends.starts) if dist.get(s, max_hops + 1) <= max_hops]
    onward = flow.onward
    # Shortest chains first, as a breadth-first search finds them, but depth first within each length
    # (iterative deepening): a breadth-first level at a million claims held tens of millions of partial
    # chains (13 GB), while a depth-first pass holds one path and the steps beside it. A pass for length
    # ``level`` re-walks the shorter prefixes, a small share of its own work.
    for level in range(1, max_hops + 1):
        if exhausted:
            break
        for first in first_nodes:
            if dist[first] > level:
                continue
            stack: list[tuple] = [((first,), (), None)]
            while stack:
                nodes, hops, time = stack.pop()
                here = nodes[-1]
                left = level - len(nodes)  # hops left after the next one
                if len(nodes) > 1 and here.startswith(DEAL_PREFIX) and onward(nodes[-2], here) is not None:
                    out = steps_to_recipients(here)  # the deal was entered through its item's inputs
                else:
                    out = steps.get(here)
                    if out is None:
                        out = steps_from(here)
                grown_here = []
                for distance, nxt, evidence, latest_end, starts, is_target, _ in out:
                    if distance > left:
                        break
                    if is_target != (left == 0) or nxt in nodes:
                        continue  # a goal only ends a chain of this pass's length
                    if time is None or latest_end is None or latest_end >= time:
                        usable = evidence  # no claim on this arc ended before the chain got here
                    else:
                        usable = [e for e in evidence if not e.dated or e.latest >= time]
                        if not usable:
                            continue
                        starts = min((e.earliest for e in usable if e.dated), default=None)
                    reached = time if starts is None else starts if time is None or starts > time else time
                    if not is_target and reached is not None and reached > deadline(nxt, left):
                        continue  # too late for every way on from there
                    grown = (nodes + (nxt,), hops + (usable,), reached)
                    if is_target:
                        hits.append(grown)
                        if len(hits) >= budget:
                            exhausted = True
                            break
                    else:
                        grown_here.append(grown)
                if exhausted:
                    break
                stack.extend(reversed(grown_here))  # the nearest step is walked first
            if exhausted:
                break
    found = [_Partial(*hit) for hit in hits]
    kept = _drop_stand_ins(_drop_tails(found, flow.deal_items), ends)
    if through is not None:  # after the drops above, which weigh every chain found against the others
        kept = [p for p in kept if _passes_through(p.nodes, through, flow.deal_items)]
    best = sorted(kept, key=lambda p: _rank_key(p, graph))[:limit]
    evidence_rows: dict[Any, Any] = {}  # claim id -> its row; id of a hop's evidence -> its rows and undated flag
    node_rows: dict[str, tuple] = {}
    rows = [_chain_row(flow, p, evidence_rows, node_rows, ends) for p in best]
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
    known = graph.graph.get("documents") or {}
    cited = sorted({c["document"] for key, claim in evidence_rows.items() if isinstance(key, str) for c in claim["citations"]})
    documents = {doc_id: known.get(doc_id, {"id": doc_id}) for doc_id in cited}
    note = as_of_note(known, claim_filter)
    return ChainResult(rows, len(kept) > len(rows) or exhausted, len(source_set), len(target_set), len(kept),
                       not exhausted, documents, [note] if note else [])


def _passes_through(nodes: tuple[str, ...], through: set[str], deal_items: dict[str, str]) -> bool:
    """Whether a chain passes through one of ``through`` before its last node (a deal counts as its item too)."""
    return any(n in through or deal_items.get(n) in through for n in nodes[:-1])


def _drop_stand_ins(found: list[_Partial], ends: ChainEnds) -> list[_Partial]:
    """Leave out a chain that ends at a state standing in for its armed forces when the same deal reaches a target."""
    if not ends.stand_ins:
        return found
    reaching = {node for p in found if p.nodes[-1] not in ends.stand_ins for node in p.nodes if node.startswith(DEAL_PREFIX)}
    return [p for p in found if p.nodes[-1] not in ends.stand_ins or p.nodes[-2] not in reaching]


def _rank_key(partial: _Partial, graph: nx.MultiDiGraph) -> tuple:
    """Shortest first, then strongest (weakest-link confidence), fewest undated hops, earliest, by ids."""
    score, undated, first, _ = partial.measures()
    return (len(partial.hops), -round(score, 3), undated, first.first if first else "9999", partial.nodes)


def _drop_tails(found: list[_Partial], items: dict[str, str]) -> list[_Partial]:
    """Leave out a chain that is the tail of a longer found chain (same later hops).

    A deal counts as its item here: "Kilo → PLAN" (the item, from a selected
    Russian item) is the tail of "Russia → Kilo (deal) → PLAN"; and of two chains
    through the same entities, one through the item's deal, only that one is kept.
    """
    def plain(nodes: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(items.get(n, n) for n in nodes)

    by_nodes = {p.nodes: p for p in found}
    # a tail that matches a chain starts where a chain starts (itself, or read as its item): only such cuts count
    heads = {head for nodes in by_nodes for head in (nodes[0], items.get(nodes[0], nodes[0]))}
    tails = set()
    for nodes in by_nodes:
        for cut in range(1, len(nodes) - 1):
            node = nodes[cut]
            if node in heads or (node in items and items[node] in heads):
                tails.add(nodes[cut:])
                tails.add(plain(nodes[cut:]))
    # the same entities reached through a deal and through the item itself ("Russia develops the software"
    # beside "Russia sold the software"): one chain, the deal's, which says more
    groups: dict[tuple[str, ...], list[_Partial]] = {}
    for nodes, p in by_nodes.items():
        if nodes not in tails:
            as_items = plain(nodes)
            if as_items not in tails:
                groups.setdefault(as_items, []).append(p)
    kept = []
    for group in groups.values():
        most = max(_deal_count(p) for p in group)
        kept.extend(p for p in group if _deal_count(p) == most)   # two deals of one item stay two chains
    return kept


def _first(step: tuple) -> Any:
    return step[0]


def _deal_count(partial: _Partial) -> int:
    return sum(node.startswith(DEAL_PREFIX) for node in partial.nodes)


def _chain_row(flow: FlowGraph, partial: _Partial, evidence_rows: dict[Any, Any],
               node_rows: dict[str, tuple], ends: ChainEnds) -> dict[str, Any]:
    graph = flow.graph
    described = []
    for n in partial.nodes:  # a node's name, row and deals, worked out once per report
        entry = node_rows.get(n)
        if entry is None:
            info = flow.info(n)
            name = info.get("name", n)
            node = {"id": n, "name": name, "type": info.get("type")}
            deals: list[dict[str, Any]] = []
            if "deal" in info:
                node["item"] = info["deal"]["item"]
                node["deals"] = [d["id"] for d in info["deals"]]
                deals = [deal_row(d) for d in info["deals"]]
            entry = node_rows[n] = (name, node, deals)
        described.append(entry)
    names = [entry[0] for entry in described]
    steps = []
    score, undated, earliest, latest = partial.measures()
    for i, evidence in enumerate(partial.hops):
        # a hop's evidence list is most often the flow view's own, shared by every chain through the hop
        # (the partials keep each list alive while the rows are made, so its id stays its own)
        hop = evidence_rows.get(id(evidence))
        if hop is None:
            claims = []
            for e in evidence:
                row = evidence_rows.get(e.claim)
                if row is None:
                    row = evidence_rows[e.claim] = edge_claim_row(graph, e.subject, e.object, e.claim, e.data)
                claims.append(row)
            hop = evidence_rows[id(evidence)] = (claims, not any(e.dated for e in evidence))
        steps.append({
            "step": i + 1,
            "from": partial.nodes[i],
            "from_name": names[i],
            "to": partial.nodes[i + 1],
            "to_name": names[i + 1],
            "undated": hop[1],
            "claims": list(hop[0]),
        })
    last = partial.nodes[-1]
    named = None
    if last in ends.stand_ins and len(partial.nodes) > 1 and partial.nodes[-2].startswith(DEAL_PREFIX):
        named = {"recipient": last, "name": names[-1], "counts_as": ends.stand_ins[last]}
    return {
        "hops": len(partial.hops),
        "score": round(score, 3),
        "path": " → ".join(names),
        "nodes": [dict(entry[1]) for entry in described],
        "deals": [dict(d) for entry in described for d in entry[2]],
        "recipient_named": named,
        "first_date": earliest.first if earliest else None,
        "last_date": latest.last if latest else None,
        "undated_hops": undated,
        "steps": steps,
    }


def deal_row(deal: dict[str, Any]) -> dict[str, Any]:
    """The parts of a deal summary a report shows: parties, status, numbers, dates, value, documents."""
    keys = ("id", "label", "item", "variant", "suppliers", "recipients", "status", "ordered", "delivered", "unit",
            "order_date", "delivery_dates", "reported_dates", "value", "documents")
    return {k: deal.get(k) for k in keys}


#: the columns of a chain report's rows, one row per hop
CHAIN_COLUMNS = ["chain", "chain_score", "step", "from", "from_name", "to", "to_name", "relations", "when", "status",
                 "confidence", "undated", "claims", "deals", "recipient_named", "citations"]


def chain_rows(result: ChainResult | list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per hop: chain rank, step, from, to, relations, dates, status, confidence, deals, citations.

    Examples
    --------
    >>> chain_rows([])
    []
    """
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
                "deals": "; ".join(dict.fromkeys(c["deal"] for c in claims if c.get("deal"))),
                "recipient_named": (chain.get("recipient_named") or {}).get("recipient", "") if step is chain["steps"][-1] else "",
                "citations": " | ".join(f'{cit["document"]} {cit["locator"]}: "{cit["quote"]}"' for c in claims for cit in c["citations"]),
            })
    return rows


def chains_frame(result: ChainResult | list[dict[str, Any]]) -> "pd.DataFrame":
    """:func:`chain_rows` as a pandas DataFrame.

    Examples
    --------
    >>> chains_frame([]).columns[:4].tolist()
    ['chain', 'chain_score', 'step', 'from']
    """
    import pandas as pd

    return pd.DataFrame(chain_rows(result), columns=CHAIN_COLUMNS)
