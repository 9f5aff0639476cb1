"""Shortest paths between two entities, and capped neighbourhoods."""

from __future__ import annotations

from typing import Any, Callable, Iterable, Mapping

import networkx as nx

from coopgraph.graph.deals import DEAL_PREFIX, routed_links
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
        Most paths to return: all have the shortest length, and they are the first
        ``limit`` of them in the order of their nodes' ids (:func:`shortest_paths`).

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
    found = shortest_paths(lambda nodes: {n: simple.adj[n] for n in nodes}, source, target, limit,
                           predecessors=(lambda nodes: {n: simple.pred[n] for n in nodes}) if simple.is_directed() else None)
    if flow_only:
        def hop(u: str, v: str) -> list[dict[str, Any]]:
            return [edge_claim_row(graph, e.subject, e.object, e.claim, e.data) for e in flow.successors(u)[v]]
    else:
        def hop(u: str, v: str) -> list[dict[str, Any]]:
            return [edge_claim_row(graph, x, y, key, data) for x, y, key, data in hop_claims[frozenset((u, v))]]
    return _path_report(_path_rows(found, hop, info, arrow), empty)


def paths_in_parts(part: Callable[[list[str]], nx.MultiDiGraph], deal_variants: Callable[[list[str]], Mapping[str, str | None]],
                   source: str, target: str, *, claim_filter: ClaimFilter | None = None, limit: int = 10,
                   names: tuple[str, str] | None = None) -> Report:
    """:func:`paths` (not ``flow_only``) read outward from both ends, never the whole graph.

    ``part(ids)`` gives the claims that the entities ``ids`` take part in, as
    :meth:`coopgraph.graph.sqlite_store.SQLiteStore.entity_graph` does (with each deal
    claim's ``deal``, ``deal_role`` and ``item``); ``deal_variants(deal_ids)`` the declared
    variant of those deals that have one (``store.deal_records``). The search reads the
    parts a level at a time from the smaller side, so a million-claim store answers in
    the time its few neighbourhoods take to read. The report is the one :func:`paths`
    gives on the whole graph: the same paths, hops, claims and citations.

    Parameters
    ----------
    source, target : str
        Entity ids (resolved by the caller, as the store's name look-up does).
    names : (str, str), optional
        How the user named them, for the message when no path joins them.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from coopgraph.loaders import open_or_build
    >>> store = open_or_build(pathlib.Path(tempfile.mkdtemp()) / "g.sqlite")
    >>> variants = lambda ids: {d: r.variant for d, r in store.deal_records(ids).items()}
    >>> here = paths_in_parts(store.entity_graph, variants, "system:su-27", "system:j-11")
    >>> here.document == paths(store.graph(), "system:su-27", "system:j-11").document
    True
    """
    a, b = names or (source, target)
    empty = f"no path from {a} to {b}"
    links = _PartLinks(part, claim_filter)
    links.expand([source, target])
    if source not in links.nodes or target not in links.nodes:
        return _path_report([], empty)
    found = shortest_paths(links.expand, source, target, limit)
    on_paths = sorted({n for nodes in found for n in nodes if n.startswith(DEAL_PREFIX) and n in links.deal_items})
    variants = deal_variants(on_paths) if on_paths else {}
    part_graph = nx.MultiDiGraph()
    part_graph.add_nodes_from(links.nodes.items())

    def info(node: str) -> dict[str, Any]:
        if node in links.deal_items:
            item = links.deal_items[node]
            variant = variants.get(node)
            return {"type": "deal", "name": links.nodes[item].get("name", item) + (f" ({variant})" if variant else "") + " (deal)"}
        return links.nodes.get(node, {})

    def hop(u: str, v: str) -> list[dict[str, Any]]:
        return [edge_claim_row(part_graph, x, y, key, data) for x, y, key, data in links.hop_claims[frozenset((u, v))]]

    return _path_report(_path_rows(found, hop, info, " — "), empty)


class _PartLinks:
    """The links of :func:`_deal_routed`, read part by part: each node's complete once it is expanded."""

    def __init__(self, part: Callable[[list[str]], nx.MultiDiGraph], claim_filter: ClaimFilter | None):
        self.part = part
        self.claim_filter = None if claim_filter is None or claim_filter.is_open else claim_filter
        self.adj: dict[str, set[str]] = {}
        self.nodes: dict[str, dict[str, Any]] = {}
        self.deal_items: dict[str, str] = {}
        self.hop_claims: dict[frozenset, list[tuple]] = {}
        self.done: set[str] = set()
        self.claims_seen: set[str] = set()

    def expand(self, nodes: list[str]) -> dict[str, set[str]]:
        todo = [n for n in nodes if n not in self.done]
        if todo:
            # a deal's claims all name its item: reading the item's claims reads the deal's
            wanted = list(dict.fromkeys(self.deal_items.get(n, n) for n in todo))
            graph = self.part(wanted)
            documents = graph.graph.get("documents", {})
            for node, attrs in graph.nodes(data=True):
                self.nodes.setdefault(node, attrs)
            touched: set[frozenset] = set()
            for u, v, key, data in graph.edges(keys=True, data=True):
                if key in self.claims_seen:
                    continue
                self.claims_seen.add(key)
                if self.claim_filter is not None and not self.claim_filter.keeps(data, documents):
                    continue
                if data.get("deal_role") is not None:
                    self.deal_items[data["deal"]] = data["item"]
                for x, y in routed_links(u, v, data):
                    if x == y:
                        continue
                    self.adj.setdefault(x, set()).add(y)
                    self.adj.setdefault(y, set()).add(x)
                    link = frozenset((x, y))
                    bucket = self.hop_claims.setdefault(link, [])
                    if all(existing[2] != key for existing in bucket):
                        bucket.append((u, v, key, data))
                        touched.add(link)
            for link in touched:
                self.hop_claims[link].sort(key=lambda claim: claim[2])
            self.done.update(todo)
            self.done.update(w for w in wanted if w in self.nodes)  # an item read for its deal is read whole too
        return {n: self.adj.get(n, set()) for n in nodes}


def shortest_paths(neighbours: Callable[[list[str]], Mapping[str, Iterable[str]]], source: str, target: str,
                   limit: int, predecessors: Callable[[list[str]], Mapping[str, Iterable[str]]] | None = None) -> list[list[str]]:
    """The first ``limit`` shortest paths from ``source`` to ``target``, in the order of their nodes' ids.

    A breadth-first search from both ends, one level at a time from the side with
    the smaller frontier, asks ``neighbours(nodes)`` (an undirected graph's adjacency,
    complete for every node asked about) only for the nodes it expands; the levels
    then give every node on a shortest path, and the paths are listed from them in
    order, without listing the others. Neither the answer nor its order depends on
    the order of the neighbours. In a directed graph, ``neighbours`` gives the
    successors and ``predecessors`` the predecessors, which the target's side follows.

    Examples
    --------
    >>> g = nx.Graph([("a", "c"), ("c", "z"), ("a", "b"), ("b", "z"), ("a", "x"), ("x", "y"), ("y", "z")])
    >>> shortest_paths(lambda nodes: {n: g.adj[n] for n in nodes}, "a", "z", 5)
    [['a', 'b', 'z'], ['a', 'c', 'z']]
    >>> shortest_paths(lambda nodes: {n: g.adj[n] for n in nodes}, "a", "z", 1)
    [['a', 'b', 'z']]
    >>> d = nx.DiGraph([("a", "b"), ("b", "z"), ("z", "c"), ("c", "a")])
    >>> shortest_paths(lambda nodes: {n: d.succ[n] for n in nodes}, "a", "z", 5, lambda nodes: {n: d.pred[n] for n in nodes})
    [['a', 'b', 'z']]
    """
    if source == target:
        return [[source]]
    succ_of: dict[str, Iterable[str]] = {}
    pred_of: dict[str, Iterable[str]] = succ_of if predecessors is None else {}
    sides = ((succ_of, neighbours), (pred_of, predecessors or neighbours))

    dist = ({source: 0}, {target: 0})
    levels: tuple[list[list[str]], list[list[str]]] = ([[source]], [[target]])
    meeting: list[str] = []
    while not meeting:
        side = 0 if len(levels[0][-1]) <= len(levels[1][-1]) else 1
        mine, other = dist[side], dist[1 - side]
        frontier = levels[side][-1]
        if not frontier:
            return []
        adj, read = sides[side]
        missing = [n for n in frontier if n not in adj]
        if missing:
            adj.update(read(missing))
        depth = len(levels[side])
        nxt = []
        for u in frontier:
            for w in adj[u]:
                if w not in mine:
                    mine[w] = depth
                    nxt.append(w)
                    if w in other:
                        meeting.append(w)
        levels[side].append(nxt)
    from_source, to_target = dist
    length = min(from_source[w] + to_target[w] for w in meeting)
    middle = {w for w in meeting if from_source[w] + to_target[w] == length}
    m = from_source[next(iter(middle))]
    # the nodes of shortest paths, level by level: back to the source through expanded levels,
    # on to the target through the target side's expanded levels
    on_path: dict[int, set[str]] = {m: middle}
    succ: dict[str, list[str]] = {}
    for i in range(m - 1, -1, -1):
        on_path[i] = set()
        for u in levels[0][i]:
            ahead = [w for w in succ_of[u] if w in on_path[i + 1]]
            if ahead:
                on_path[i].add(u)
                succ[u] = ahead
    for i in range(m, length):
        on_path[i + 1] = set()
        for w in levels[1][length - i - 1]:
            behind = [u for u in pred_of[w] if u in on_path[i]]
            if behind:
                on_path[i + 1].add(w)
                for u in behind:
                    succ.setdefault(u, []).append(w)
    for nodes in succ.values():
        nodes.sort()
    found: list[list[str]] = []
    stack = [[source]]
    while stack and len(found) < limit:
        path = stack.pop()
        if path[-1] == target:
            found.append(path)
            continue
        stack.extend(path + [w] for w in reversed(succ[path[-1]]))
    return found


def _path_rows(found: list[list[str]], hop: Callable[[str, str], list[dict[str, Any]]],
               info: Callable[[str], dict[str, Any]], arrow: str) -> list[dict[str, Any]]:
    rows = []
    for rank, nodes in enumerate(found, start=1):
        steps = [{"step": i + 1, "from": u, "from_name": info(u).get("name", u), "to": v,
                  "to_name": info(v).get("name", v), "claims": hop(u, v)}
                 for i, (u, v) in enumerate(zip(nodes, nodes[1:]))]
        rows.append({"rank": rank, "hops": len(nodes) - 1,
                     "path": arrow.join(info(n).get("name", n) for n in nodes), "nodes": nodes, "steps": steps})
    return rows


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
        for x, y in routed_links(u, v, data):
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

    def links_of(nodes: list[str]) -> dict[str, list[tuple[str, str]]]:
        return {node: [(other, f"{rel} →") for _, other, rel in view.out_edges(node, data="type")]
                + [(other, f"← {rel}") for other, _, rel in view.in_edges(node, data="type")] for node in nodes}

    if start not in graph:
        raise NotFoundError(entity)
    rows, cut = _neighbourhood(start, links_of, lambda nodes: {n: view.degree(n) for n in nodes}, graph.nodes,
                               depth=depth, types=types, cap=cap)
    return _neighbours_report(start, rows, cut)


def neighbours_in_parts(part: Callable[[list[str]], nx.MultiDiGraph], start: str, *, depth: int = 1,
                        types: Iterable[str] | None = None, cap: int = 25,
                        claim_filter: ClaimFilter | None = None,
                        claim_counts: Callable[[list[str]], Mapping[str, int]] | None = None) -> Report:
    """:func:`neighbours` of the entity ``start`` (an id), read from the store part by part.

    ``part(ids)`` gives the claims those entities take part in (as
    :meth:`coopgraph.graph.sqlite_store.SQLiteStore.entity_graph` does): the entity's
    first, then its neighbours' (for their degrees, which rank them under the cap), and
    so on to ``depth``. With no claim filter, ``claim_counts(ids)`` (the store's
    ``claim_counts``) gives the neighbours' degrees without reading their claims. The
    report is the one :func:`neighbours` gives on the whole graph.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from coopgraph.loaders import open_or_build
    >>> store = open_or_build(pathlib.Path(tempfile.mkdtemp()) / "g.sqlite")
    >>> here = neighbours_in_parts(store.entity_graph, "system:su-35", depth=2)
    >>> here.document == neighbours(store.graph(), "system:su-35", depth=2).document
    True
    """
    claim_filter = None if claim_filter is None or claim_filter.is_open else claim_filter
    touching: dict[str, list[tuple[str, str, str, str]]] = {}  # node -> its kept claims (u, v, key, relation)
    attrs: dict[str, dict[str, Any]] = {}

    def read(nodes: list[str]) -> None:
        todo = [n for n in dict.fromkeys(nodes) if n not in touching]
        if not todo:
            return
        graph = part(todo)
        documents = graph.graph.get("documents", {})
        for node, data in graph.nodes(data=True):
            attrs.setdefault(node, data)
        fresh = set(todo)
        for node in todo:
            touching[node] = []
        for u, v, key, data in graph.edges(keys=True, data=True):
            if claim_filter is not None and not claim_filter.keeps(data, documents):
                continue
            for end in {u, v} & fresh:
                touching[end].append((u, v, key, data["type"]))

    def links_of(nodes: list[str]) -> dict[str, list[tuple[str, str]]]:
        read(nodes)
        # the order is of no matter: a neighbour's relations are sorted, and the neighbours ranked
        return {node: [(v, f"{rel} →") for u, v, key, rel in touching[node] if u == node]
                + [(u, f"← {rel}") for u, v, key, rel in touching[node] if v == node] for node in nodes}

    def degrees(nodes: list[str]) -> Mapping[str, int]:
        if claim_filter is None and claim_counts is not None:
            return claim_counts(nodes)
        read(nodes)
        return {n: sum((u == n) + (v == n) for u, v, _, _ in touching[n]) for n in nodes}

    read([start])
    if start not in attrs:
        raise NotFoundError(start)
    rows, cut = _neighbourhood(start, links_of, degrees, attrs, depth=depth, types=types, cap=cap)
    return _neighbours_report(start, rows, cut)


def _neighbourhood(start: str, links_of: Callable[[list[str]], dict[str, list[tuple[str, str]]]],
                   degrees: Callable[[list[str]], dict[str, int]], nodes: Mapping[str, dict[str, Any]], *,
                   depth: int, types: Iterable[str] | None, cap: int) -> tuple[list[dict[str, Any]], Cut]:
    wanted = set(types) if types else None
    seen = {start: 0}
    rows: list[dict[str, Any]] = []
    cut = Cut()
    frontier = [start]
    for level in range(1, depth + 1):
        nxt = []
        every = links_of(frontier)
        for node in frontier:
            links: dict[str, list[str]] = {}
            for other, label in every[node]:
                links.setdefault(other, []).append(label)
            candidates = [o for o in links if o not in seen]
            if wanted is not None:
                kept = [o for o in candidates if nodes[o].get("type") in wanted]
                if len(kept) < len(candidates):
                    cut.add("neighbours of other types", len(candidates) - len(kept))
                candidates = kept
            degree = degrees(candidates)
            candidates.sort(key=lambda o: (-degree[o], o))
            if len(candidates) > cap:
                cut.add("neighbours beyond the cap", len(candidates) - cap)
                candidates = candidates[:cap]
            for other in candidates:
                seen[other] = level
                nxt.append(other)
                rows.append({"id": other, "name": nodes[other].get("name", other),
                             "type": nodes[other].get("type"), "depth": level, "via": node,
                             "relations": sorted(set(links[other])), "claims": len(links[other])})
        frontier = nxt
    return rows, cut


def _neighbours_report(start: str, rows: list[dict[str, Any]], cut: Cut) -> Report:
    notes = ["cut: " + ", ".join(f"{n} {what}" for what, n in cut.counts.items())] if cut.counts else []
    return Report(rows, table_columns=["depth", "id", "name", "type", "relations"], notes=notes,
                  document={"entity": start, "rows": rows, "cut": cut.counts})
