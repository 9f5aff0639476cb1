"""What-if: remove suppliers, firms or technologies and see which recipients lose supply."""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable, Iterable

import networkx as nx

from coopgraph.graph.bulk import paused_gc
from coopgraph.graph.deals import DEAL_PREFIX
from coopgraph.graph.schema import Schema, load_schema
from coopgraph.queries.chains import OPAQUE_TYPES, ChainEnds, chain_ends, chains
from coopgraph.queries.filters import ClaimFilter
from coopgraph.queries.flowgraph import FlowGraph
from coopgraph.queries.report import Report
from coopgraph.queries.selectors import resolve_node, select


def reachable(flow: FlowGraph, ends: ChainEnds, max_hops: int,
              passable: Callable[[str], bool] | None = None,
              near: dict[str, int] | None = None) -> dict[str, dict[str, Any]]:
    """Goals reached by a time-respecting flow chain of at most ``max_hops``.

    Earliest-arrival labels are relaxed hop by hop (a node's label is the
    earliest day a chain can have reached it), so the work is ``max_hops`` passes
    over the arcs, not an enumeration of paths. Chains stop at goals, as in
    :func:`coopgraph.queries.chains.chains`, and pass only through nodes for
    which ``passable`` is true. A state standing in for its armed forces is
    reached only by a delivery, and counts for each of them.

    ``near`` (each node's fewest arcs to a goal, as :meth:`FlowGraph.distances_to`
    gives them for the same ``passable``, or any lower bound of that) lets the
    passes skip a node too far from every goal for the hops left. The answer is
    the same: a label set there spreads only to nodes that are, in turn, too far
    for the passes left, and it cannot hold back a label that could still reach a
    goal, since such a label arrives in an earlier pass.

    Returns ``{target: {"arrival": date or None, "suppliers": set of last-hop nodes}}``.
    """
    # a deal reached through its item's inputs, not from a supplier, goes on to its recipients only
    # (FlowGraph.onward): such a deal is labelled apart, under the key (deal, ENTERED)
    best: dict[Any, dt.date | None] = {s: None for s in ends.starts}
    suppliers: dict[str, set[str]] = {}
    reached: dict[str, dt.date | None] = {}
    frontier = dict(best)
    for hop in range(1, max_hops + 1):
        updates: dict[Any, dt.date | None] = {}
        for key, time in frontier.items():
            node, only = (key[0], flow.recipients_of.get(key[0], set())) if isinstance(key, tuple) else (key, None)
            for nxt, evidence in flow.successors(node).items():
                if only is not None and nxt not in only:
                    continue
                if near is not None and near.get(nxt, max_hops + 1) > max_hops - hop:
                    continue  # no goal within the hops left from there
                usable = [e for e in evidence if not e.dated or time is None or e.latest >= time]
                if not usable:
                    continue
                dated = [e.earliest for e in usable if e.dated]
                arrival = time if not dated else (min(dated) if time is None else max(time, min(dated)))
                if ends.reached(node, nxt):
                    for target in ends.stand_ins.get(nxt, [nxt]):
                        suppliers.setdefault(target, set()).add(node)
                        if target not in reached or _earlier(arrival, reached[target]):
                            reached[target] = arrival
                    continue
                if nxt.startswith(DEAL_PREFIX) and flow.onward(node, nxt) is not None:
                    nxt = (nxt, ENTERED)
                known = best.get(nxt, "unseen")
                improved = known == "unseen" or (known is not None and (arrival is None or arrival < known))
                if improved and (nxt not in updates or _earlier(arrival, updates[nxt])):
                    updates[nxt] = arrival
        for node, arrival in updates.items():
            best[node] = arrival
        frontier = {n: t for n, t in updates.items()
                    if n not in ends.goals and (passable is None or passable(n[0] if isinstance(n, tuple) else n))}
        if not frontier:
            break
    return {t: {"arrival": a, "suppliers": suppliers.get(t, set())} for t, a in reached.items()}


ENTERED = "entered through the item"


def _earlier(a: dt.date | None, b: dt.date | None) -> bool:
    if a is None:
        return b is not None
    return b is not None and a < b


def impact(graph: nx.MultiDiGraph, remove: Iterable[str], sources: str | Iterable[str], targets: str | Iterable[str], *,
           claim_filter: ClaimFilter | None = None, max_hops: int = 4, chain_limit: int = 50,
           schema: Schema | None = None) -> Report:
    """Remove entities and report which targets lose every supply chain.

    Parameters
    ----------
    remove : iterable of str
        Entities (ids, names, aliases) taken out: suppliers, firms, technologies.
    sources, targets : selectors
        Who supplies and who receives (see :mod:`coopgraph.queries.selectors`).

    Returns
    -------
    Report
        Rows: one per target that had a chain before, with ``outcome`` ``lost``
        (no chain left), ``kept`` (still supplied; ``kept_via`` lists the remaining
        last-hop suppliers) and ``suppliers_before``. The document adds ``removed``,
        ``targets`` (the rows), ``lost`` and ``kept`` (counts), ``lost_chains``: the
        first ``chain_limit`` chains (with citations) that ran through a removed
        entity, ranked as :func:`~coopgraph.queries.chains.chains` ranks them,
        and ``lost_chains_found``: how many there were in all.

    Raises
    ------
    NotFoundError, AmbiguousNameError
        When a removed entity or a selector names no entity, or several.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> for u, v in [("r", "engine"), ("engine", "prog1"), ("r", "radar"), ("radar", "prog2"), ("engine", "prog2")]:
    ...     _ = g.add_edge(u, v, key=u + v, type="supplies", flow="forward", confidence=0.8, citations=[])
    >>> out = impact(g, ["engine"], "r", "prog1|prog2")
    >>> [(t["id"], t["outcome"]) for t in out["targets"]]
    [('prog1', 'lost'), ('prog2', 'kept')]
    """
    # two flow views, three searches over them, and the chains cut: short-lived objects in the millions at a large
    # graph, with no cycles among them (as in chains()); the collector would rescan the graph's heap at each threshold
    with paused_gc():
        return _impact(graph, remove, sources, targets, claim_filter, max_hops, chain_limit, schema or load_schema())


def _impact(graph: nx.MultiDiGraph, remove: Iterable[str], sources: str | Iterable[str], targets: str | Iterable[str],
            claim_filter: ClaimFilter | None, max_hops: int, chain_limit: int, schema: Schema) -> Report:
    removed = {resolve_node(graph, r) for r in remove}
    source_set = select(graph, sources, schema) - removed
    target_set = select(graph, targets, schema) - removed
    flow_before = FlowGraph.of(graph, claim_filter, schema)
    flow_after = flow_before.without(removed)
    # a deal of a removed item is removed with it
    removed_deals = flow_before.deal_nodes_of(removed)

    node_type = dict(graph.nodes(data="type"))

    def passable(node: str) -> bool:  # a deal (no entity type) is always passed through
        return node_type.get(node) not in OPAQUE_TYPES

    ends = chain_ends(graph, flow_before, source_set, target_set, schema)
    ends_after = ChainEnds(ends.starts - removed_deals, ends.goals - removed_deals, ends.stand_ins)
    # one bound for both searches: taking entities out only lengthens the ways to a goal
    near = flow_before.distances_to(ends.goals, max_hops, lambda n: n not in ends.goals and passable(n), starts=ends.starts)
    before = reachable(flow_before, ends, max_hops, passable, near)
    after = reachable(flow_after, ends_after, max_hops, passable, near)
    rows = []
    for target in sorted(t for t in before if t in graph):
        survived = after.get(target)
        rows.append({
            "id": target,
            "name": graph.nodes[target].get("name", target),
            "type": graph.nodes[target].get("type"),
            "outcome": "kept" if survived else "lost",
            "suppliers_before": sorted(before[target]["suppliers"]),
            "kept_via": sorted(survived["suppliers"]) if survived else [],
        })
    rows.sort(key=lambda r: (r["outcome"] != "lost", r["id"]))
    through = chains(graph, source_set, target_set, claim_filter=claim_filter, max_hops=max_hops, limit=chain_limit,
                     schema=schema, through=removed)
    return Report(rows, table_columns=["outcome", "id", "name", "kept_via"],
                  document={"removed": sorted(removed), "targets": rows, "lost_chains": through.chains,
                            "lost_chains_found": through.found,
                            "lost": sum(r["outcome"] == "lost" for r in rows),
                            "kept": sum(r["outcome"] == "kept" for r in rows)})
