"""Who matters in the network: centrality measures and brokers."""

from __future__ import annotations

import random
from typing import Callable, Iterable

import networkx as nx

from coopgraph.graph.deals import item_of_deal, routed_links
from coopgraph.graph.errors import QueryError
from coopgraph.graph.schema import Schema, load_schema
from coopgraph.queries.filters import ClaimFilter, filtered_graph
from coopgraph.queries.flowgraph import FlowGraph
from coopgraph.queries.report import Report
from coopgraph.queries.selectors import select

MEASURES = ("degree", "in-degree", "out-degree", "betweenness", "pagerank", "eigenvector")


#: ``progress(done, total, stage)``, as the CLI's progress bar takes it
Progress = Callable[[int, int, str], None]
_TICK = 4096


def entity_digraph(graph: nx.MultiDiGraph, claim_filter: ClaimFilter | None = None, flow_only: bool = False,
                   progress: Progress | None = None) -> nx.DiGraph:
    """Collapse claims into a simple ``DiGraph``; an arc's ``weight`` is its number of claims.

    With ``flow_only`` only flow claims count, turned to their flow direction.
    A deal's claims are routed through the deal (a node ``deal:...``): supplier ->
    deal -> recipient, and deal -> item, so that no path runs from the supplier
    of one deal to the recipient of another through their shared item.
    :func:`fold_deals` turns the deals' scores back into their items'.
    """
    if flow_only:
        digraph = FlowGraph(graph, claim_filter).to_digraph()
        for _, _, data in digraph.edges(data=True):
            data["weight"] = data["claims"]
        return digraph
    view = filtered_graph(graph, claim_filter)
    digraph = nx.DiGraph()
    digraph.add_nodes_from(view.nodes)
    total = graph.number_of_edges()
    for done, (u, v, data) in enumerate(view.edges(data=True), start=1):
        if progress is not None and done % _TICK == 0:
            progress(done, total, "collapsing claims")
        for a, b in routed_links(u, v, data):
            if a == b:
                continue
            if digraph.has_edge(a, b):
                digraph[a][b]["weight"] += 1
            else:
                digraph.add_edge(a, b, weight=1)
    if progress is not None:
        progress(total, total, "collapsing claims")
    return digraph


def fold_deals(scores: dict[str, float], graph: nx.MultiDiGraph) -> dict[str, float]:
    """Entities' scores, each deal's score added to its item's (users rank entities, not deal records).

    >>> g = nx.MultiDiGraph(); g.graph["deals"] = {"deal:a": {"item": "system:x"}}
    >>> fold_deals({"deal:a": 0.5, "system:x": 0.25, "state:r": 0.1}, g)
    {'system:x': 0.75, 'state:r': 0.1}
    """
    deals = graph.graph.get("deals", {})
    out: dict[str, float] = {}
    for node, score in scores.items():
        key = item_of_deal(deals, node) if node in deals else node
        out[key] = out.get(key, 0.0) + score
    return out


def centrality(graph: nx.MultiDiGraph, measure: str = "degree", *, types: Iterable[str] | None = None, top: int = 20,
               claim_filter: ClaimFilter | None = None, flow_only: bool = False, k: int | None = None,
               seed: int = 0, progress: Progress | None = None) -> Report:
    """Rank entities by a centrality measure.

    Parameters
    ----------
    measure : {"degree", "in-degree", "out-degree", "betweenness", "pagerank", "eigenvector"}
        Degree measures count distinct neighbours (networkx normalisation);
        betweenness and eigenvector treat claims as links either way unless
        ``flow_only``; pagerank follows the claims' (or flows') direction.
    types : iterable of str, optional
        Report only entities of these types (the measure is computed on the whole graph).
    claim_filter : ClaimFilter, optional
        A time window (``from_date``/``to_date``), as-of date, confidence ...
    flow_only : bool
        Use flow relations only, in flow direction.
    k : int, optional
        Betweenness from ``k`` sampled sources (seeded, so repeatable) instead of all.
    progress : callable, optional
        ``progress(done, total, stage)``: the claims collapsed, then (betweenness)
        the sources searched; whole-graph measures of a million claims take minutes.

    Returns
    -------
    Report
        Rows (rank, id, name, type, score); the document adds ``measure``, ``nodes``,
        ``arcs``, ``flow_only`` and ``note`` (how it was computed, e.g. sampling),
        which the notes say.

    Notes
    -----
    The measure is computed on the claims with each deal routed through a node
    of its own (see :func:`entity_digraph`), so that betweenness never credits a
    path from one deal's supplier to another deal's recipient; a deal's score is
    then added to its item's, and only entities are ranked. ``nodes`` and
    ``arcs`` count the graph the measure ran on, deals included.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_edge("a", "b", key="1", type="supplies")
    >>> _ = g.add_edge("a", "c", key="2", type="supplies")
    >>> [r["id"] for r in centrality(g, "out-degree")["rows"]]
    ['a', 'b', 'c']
    """
    if measure not in MEASURES:
        raise QueryError(f"unknown measure '{measure}'; use one of {', '.join(MEASURES)}")
    digraph = entity_digraph(graph, claim_filter, flow_only, progress)
    note = ""
    if progress is not None and measure != "betweenness":  # one step: networkx says nothing on the way
        progress(0, 1, f"computing {measure}")
    if measure == "degree":
        scores = nx.degree_centrality(digraph.to_undirected(as_view=True)) if len(digraph) > 1 else {n: 0.0 for n in digraph}
    elif measure == "in-degree":
        scores = nx.in_degree_centrality(digraph) if len(digraph) > 1 else {n: 0.0 for n in digraph}
    elif measure == "out-degree":
        scores = nx.out_degree_centrality(digraph) if len(digraph) > 1 else {n: 0.0 for n in digraph}
    elif measure == "betweenness":
        target = digraph if flow_only else digraph.to_undirected(as_view=True)
        if k is not None and k < len(target):
            note = f"betweenness estimated from {k} sampled source nodes of {len(target)} (seed {seed})"
            scores = betweenness(target, k=k, seed=seed, progress=progress)
        else:
            scores = betweenness(target, progress=progress)
    elif measure == "pagerank":
        scores = nx.pagerank(digraph, weight="weight") if digraph.number_of_edges() else {n: 1 / max(len(digraph), 1) for n in digraph}
    else:
        undirected = digraph.to_undirected()
        try:
            scores = nx.eigenvector_centrality(undirected, max_iter=2000, weight="weight")
        except nx.PowerIterationFailedConvergence:
            scores = nx.eigenvector_centrality_numpy(undirected, weight="weight")
            note = "eigenvector centrality solved directly (power iteration did not converge)"
    if progress is not None and measure != "betweenness":
        progress(1, 1, f"computing {measure}")
    scores = fold_deals(scores, graph)
    wanted = set(types) if types else None
    rows = [
        {"id": n, "name": graph.nodes[n].get("name", n) if n in graph else n,
         "type": graph.nodes[n].get("type") if n in graph else None, "score": round(float(s), 6)}
        for n, s in scores.items()
        if wanted is None or (n in graph and graph.nodes[n].get("type") in wanted)
    ]
    rows.sort(key=lambda r: (-r["score"], r["id"]))
    rows = rows[:top]
    for i, row in enumerate(rows, start=1):
        row["rank"] = i
    rows = [{"rank": r.pop("rank"), **r} for r in rows]
    notes = [f"{measure} on {digraph.number_of_nodes()} nodes, {digraph.number_of_edges()} links"
             + (" (flows only)" if flow_only else ""), "(deals are nodes of their own; a deal's score is added to its item's)"]
    return Report(rows, notes=notes + ([note] if note else []),
                  document={"measure": measure, "rows": rows, "nodes": digraph.number_of_nodes(),
                            "arcs": digraph.number_of_edges(), "flow_only": flow_only, "note": note})


def betweenness(graph: nx.Graph, k: int | None = None, seed: int = 0, progress: Progress | None = None) -> dict:
    """``nx.betweenness_centrality(graph, k=k, seed=seed)``, source by source, saying how far it is.

    The same sums in the same order as networkx's (its breadth-first search and
    accumulation for each source, then its rescaling), so the same scores; a
    networkx without those steps gives its own function's answer, without progress.

    Examples
    --------
    >>> g = nx.karate_club_graph()
    >>> betweenness(g) == nx.betweenness_centrality(g)
    True
    >>> betweenness(g, k=10, seed=3) == nx.betweenness_centrality(g, k=10, seed=3)
    True
    """
    from networkx.algorithms.centrality import betweenness as steps

    try:
        search, accumulate, rescale = (steps._single_source_shortest_path_basic, steps._accumulate_basic, steps._rescale)
    except AttributeError:  # pragma: no cover - another networkx
        return nx.betweenness_centrality(graph, k=k, seed=seed)
    if k == len(graph):
        k = None
    sources = list(graph) if k is None else random.Random(seed).sample(list(graph.nodes()), k)
    scores = dict.fromkeys(graph, 0.0)
    for done, source in enumerate(sources, start=1):
        found, preds, sigma, _ = search(graph, source)
        scores, _ = accumulate(scores, found, preds, sigma, source)
        if progress is not None and (done % 64 == 0 or done == len(sources)):
            progress(done, len(sources), "betweenness: sources searched")
    try:
        return rescale(scores, len(graph), normalized=True, directed=graph.is_directed(), endpoints=False,
                       sampled_nodes=None if k is None else sources)
    except TypeError:  # pragma: no cover - a networkx whose rescaling takes other arguments
        return nx.betweenness_centrality(graph, k=k, seed=seed)


def brokers(graph: nx.MultiDiGraph, sources: str | Iterable[str] | None = None, targets: str | Iterable[str] | None = None,
            *, claim_filter: ClaimFilter | None = None, top: int = 20, schema: Schema | None = None) -> Report:
    """Entities whose removal cuts the most supplier → recipient pairs on the flow graph.

    Deals are nodes of the flow graph (see :mod:`coopgraph.queries.flowgraph`);
    a deal that every path needs counts for its item. For each source, the dominator tree of the flow graph says which entities
    every path to a recipient must pass through; an entity's score is the number
    of (source, recipient) pairs it alone connects. By default the sources are
    the original suppliers (flows out, none in) and the recipients the final
    ones (flows in, none out). Time order is not considered here.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> for u, v in [("s1", "hub"), ("s2", "hub"), ("hub", "t1"), ("hub", "t2"), ("s1", "t3")]:
    ...     _ = g.add_edge(u, v, key=u + v, type="supplies", flow="forward")
    >>> [(r["id"], r["pairs_cut"]) for r in brokers(g)["rows"]]
    [('hub', 4)]
    """
    schema = schema or load_schema()
    flow = FlowGraph(graph, claim_filter).to_digraph()
    deals = graph.graph.get("deals", {})
    if sources is None:
        source_set = {n for n in flow if n not in deals and flow.out_degree(n) and not flow.in_degree(n)}
    else:
        source_set = select(graph, sources, schema)
    if targets is None:
        target_set = {n for n in flow if n not in deals and flow.in_degree(n) and not flow.out_degree(n)}
    else:
        target_set = select(graph, targets, schema)
    counts: dict[str, int] = {}
    pairs = 0
    for source in sorted(source_set):
        if source not in flow:
            continue
        idom = nx.immediate_dominators(flow, source)
        for target in target_set:
            if target == source or target not in idom:
                continue
            pairs += 1
            node = idom[target]
            cut_by = set()
            while node != source:
                # a deal that every path needs makes its item a broker (removing the item removes its deals)
                cut_by.add(item_of_deal(deals, node) if node in deals else node)
                node = idom[node]
            for entity in cut_by - {source, target}:
                counts[entity] = counts.get(entity, 0) + 1
    rows = [{"id": n, "name": graph.nodes[n].get("name", n), "type": graph.nodes[n].get("type"), "pairs_cut": c,
             "share": round(c / pairs, 4) if pairs else 0.0} for n, c in counts.items()]
    rows.sort(key=lambda r: (-r["pairs_cut"], r["id"]))
    rows = rows[:top]
    rows = [{"rank": i, **r} for i, r in enumerate(rows, start=1)]
    return Report(rows, notes=[f"{pairs} connected supplier → recipient pairs ({len(source_set)} suppliers, "
                               f"{len(target_set)} recipients)"],
                  document={"rows": rows, "pairs": pairs, "sources": len(source_set), "targets": len(target_set)})
