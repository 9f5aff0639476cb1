"""The chain search's shortcuts give the answers of the plain definitions.

The flow view works out the arcs a deal takes from its item per node, from
indexes (:class:`coopgraph.queries.flowgraph.FlowGraph`), and the search prunes
by distance and by deadline. Here both are checked against the definitions
written out plainly: every delivered deal joined to each of its item's arcs on
the right side, and every simple path up to the hop limit tried in turn with
the time rule applied hop by hop. On the bundled data and on generated data
with thousands of deals, the answers (chains, and the claims of every hop) must
be the same.
"""

from __future__ import annotations

import pytest
from coopgraph.graph.deals import DEAL_PREFIX
from coopgraph.graph.schema import load_schema
from coopgraph.graph.store import open_store
from coopgraph.queries import chains
from coopgraph.queries.chains import (
    OPAQUE_TYPES,
    _drop_stand_ins,
    _drop_tails,
    _Partial,
    chain_ends,
)
from coopgraph.queries.flowgraph import FlowGraph
from coopgraph.queries.selectors import select, state_of

from tests.graphs import generated_store


@pytest.fixture(scope="module")
def generated_graph(tmp_path_factory):
    """3,000 generated claims with their deals (bench/generate.py), loaded into a store."""
    return generated_store(tmp_path_factory.mktemp("generated") / "data", 3000, seed=11).graph()


@pytest.fixture(scope="module")
def bundled_graph(tmp_path_factory, bundled_store_file):
    return open_store(bundled_store_file).graph()


def joined_by_definition(flow: FlowGraph) -> dict[str, dict[str, set[str]]]:
    """Every arc with its claims, deals joined to their items' arcs as the module docstring defines it."""
    schema = load_schema()
    graph = flow.graph
    from coopgraph.queries.flowgraph import member_states

    belongs = member_states(graph, schema)

    def on_side(node: str, parties: set[str]) -> bool:
        if node in parties:
            return True
        return any(state_of(graph, party, schema) in belongs.get(node, ()) for party in parties)

    arcs: dict[str, dict[str, set[str]]] = {}
    for a in list(flow._own_succ):
        for b, evidence in flow.own_successors(a).items():
            arcs.setdefault(a, {}).setdefault(b, set()).update(e.claim for e in evidence)
    for deal, recipients in flow.recipients_of.items():
        if deal not in flow.deals:
            continue
        item = flow.deals[deal]["item"]
        for nxt, evidence in flow.own_successors(item).items():
            if not nxt.startswith(DEAL_PREFIX) and on_side(nxt, recipients):
                arcs.setdefault(deal, {}).setdefault(nxt, set()).update(e.claim for e in evidence)
        suppliers = flow.suppliers_of.get(deal)
        if suppliers:
            for before in list(flow._own_succ):
                nbrs = flow.own_successors(before)
                if item in nbrs and not before.startswith(DEAL_PREFIX) and on_side(before, suppliers):
                    arcs.setdefault(before, {}).setdefault(deal, set()).update(e.claim for e in nbrs[item])
    return arcs


def every_chain(graph, source: str, target: str, max_hops: int) -> list[tuple[tuple[str, ...], tuple[frozenset, ...]]]:
    """Every simple path up to ``max_hops`` that the chain rules allow, found without pruning."""
    schema = load_schema()
    flow = FlowGraph(graph, schema=schema)
    ends = chain_ends(graph, flow, select(graph, source, schema), select(graph, target, schema), schema)
    via = set(schema.entity_types) - set(OPAQUE_TYPES)

    def passable(node: str) -> bool:
        return node not in ends.goals and (node.startswith(DEAL_PREFIX) or graph.nodes[node].get("type") in via)

    found = []

    def walk(nodes, hops, time):
        here = nodes[-1]
        only = flow.onward(nodes[-2], here) if len(nodes) > 1 and here.startswith(DEAL_PREFIX) else None
        for nxt, evidence in flow.successors(here).items():
            if nxt in nodes or (only is not None and nxt not in only):
                continue
            usable = [e for e in evidence if not e.dated or time is None or e.latest >= time]
            if not usable:
                continue
            starts = [e.earliest for e in usable if e.dated]
            reached = time if not starts else min(starts) if time is None else max(time, min(starts))
            if ends.reached(here, nxt):
                found.append(_Partial(nodes + (nxt,), hops + (usable,), reached))
            elif passable(nxt) and len(nodes) < max_hops:
                walk(nodes + (nxt,), hops + (usable,), reached)

    for start in sorted(ends.starts):
        walk((start,), (), None)
    kept = _drop_stand_ins(_drop_tails(found, flow.deal_items), ends)
    return sorted((p.nodes, tuple(frozenset(e.claim for e in hop) for hop in p.hops)) for p in kept)


def answers(result) -> list[tuple[tuple[str, ...], tuple[frozenset, ...]]]:
    return sorted((tuple(n["id"] for n in c["nodes"]), tuple(frozenset(cl["claim"] for cl in s["claims"]) for s in c["steps"]))
                  for c in result)


@pytest.mark.parametrize("which", ["bundled_graph", "generated_graph"])
def test_joins_looked_up_per_node_are_the_joins_by_definition(which, request):
    graph = request.getfixturevalue(which)
    flow = FlowGraph(graph)
    # a deal's arcs to its recipients, worked out alone, are those of all its arcs
    alone = {deal: [(r, [e.claim for e in evidence]) for r, evidence in flow.recipient_arcs(deal)] for deal in flow.recipients_of}
    expected = joined_by_definition(flow)
    got = {a: {b: {e.claim for e in evidence} for b, evidence in nbrs.items()} for a, nbrs in flow.succ.items()}
    assert got == {a: nbrs for a, nbrs in expected.items() if nbrs}
    assert sum(len(nbrs) for nbrs in got.values()) > sum(len(nbrs) for nbrs in flow._own_succ.values())
    for deal, arcs in alone.items():
        assert arcs == [(r, [e.claim for e in evidence]) for r, evidence in flow.successors(deal).items()
                        if r in flow.recipients_of[deal]], deal
    # and the arcs into each node are the same arcs, seen from the other end
    into = {}
    for a, nbrs in got.items():
        for b in nbrs:
            into.setdefault(b, set()).add(a)
    for node in sorted(into):
        assert set(flow.predecessors(node)) == into[node], node


@pytest.mark.parametrize("source, target, hops", [
    ("country:Russia", "org:PLA", 4),
    ("country:Russia", "country:China&type:program", 4),
    ("country:Soviet Union", "country:China", 3),
])
def test_bundled_chains_are_every_allowed_path(bundled_graph, source, target, hops):
    result = chains(bundled_graph, source, target, max_hops=hops, limit=10**6)
    assert result.complete and len(result) > 0
    assert answers(result) == every_chain(bundled_graph, source, target, hops)


@pytest.mark.parametrize("source, target, hops", [
    ("firm:firm-3", "service:armed-service-1", 3),
    ("firm:firm-1", "type:armed_service", 3),
    ("state:state-2", "program:program-4", 4),
])
def test_generated_chains_are_every_allowed_path(generated_graph, source, target, hops):
    result = chains(generated_graph, source, target, max_hops=hops, limit=10**6)
    assert result.complete
    expected = every_chain(generated_graph, source, target, hops)
    assert expected, "the question should have answers on the generated data"
    assert answers(result) == expected


@pytest.mark.parametrize("which, source, target, removed, hops", [
    ("bundled_graph", "country:Russia", "org:PLA", [], 4),
    ("bundled_graph", "country:Russia", "country:China", ["system:su-27"], 3),
    ("generated_graph", "firm:firm-3", "service:armed-service-1", [], 3),
    ("generated_graph", "firm:firm-1", "type:armed_service", ["firm:firm-2"], 4),
    ("generated_graph", "state:state-2", "type:program", [], 4),
])
def test_impact_search_pruned_by_distance_reaches_what_the_full_search_reaches(which, source, target, removed, hops, request):
    from coopgraph.queries.impact import reachable

    graph = request.getfixturevalue(which)
    schema = load_schema()
    flow = FlowGraph(graph, removed=set(removed), schema=schema)
    ends = chain_ends(graph, flow, select(graph, source, schema) - set(removed),
                      select(graph, target, schema) - set(removed), schema)

    def passable(node: str) -> bool:
        return flow.info(node).get("type") not in OPAQUE_TYPES

    near = flow.distances_to(ends.goals, hops, lambda n: n not in ends.goals and passable(n), starts=ends.starts)
    full = reachable(flow, ends, hops, passable)
    assert full, "the question should reach some goal"
    assert reachable(flow, ends, hops, passable, near) == full


def arcs_and_parties(flow: FlowGraph) -> tuple:
    """Everything a flow view answers, order aside: each node's arcs both ways (with their claims) and the deals' parties."""
    out = {a: {b: sorted(e.claim for e in evidence) for b, evidence in nbrs.items()} for a, nbrs in flow.succ.items()}
    ends = set(flow._own_pred) | {b for nbrs in out.values() for b in nbrs}
    into = {b: {a: sorted(e.claim for e in evidence) for a, evidence in flow.predecessors(b).items()} for b in sorted(ends)}
    deals_of_item = {item: set(deals) for item, deals in flow._deals_of_item.items()}
    return out, {b: nbrs for b, nbrs in into.items() if nbrs}, flow.suppliers_of, flow.recipients_of, deals_of_item


def much_sold_item(flow: FlowGraph) -> str:
    return max(sorted(flow._deals_of_item), key=lambda item: len(flow._deals_of_item[item]))


def a_supplier(flow: FlowGraph) -> str:
    return sorted(s for deal in flow._deals_of_item[much_sold_item(flow)] for s in flow.suppliers_of.get(deal, ()))[0]


def a_recipient(flow: FlowGraph) -> str:
    return sorted(r for deal in flow._deals_of_item[much_sold_item(flow)] for r in flow.recipients_of[deal])[-1]


def a_maker(flow: FlowGraph) -> str:
    # an entity whose own arcs reach an item that is sold: what it makes goes on through the item's deals
    return sorted(a for a, nbrs in flow._own_succ.items() if not a.startswith(DEAL_PREFIX)
                  and any(b in flow._deals_of_item for b in nbrs))[0]


@pytest.mark.parametrize("which", ["bundled_graph", "generated_graph"])
@pytest.mark.parametrize("choose", [much_sold_item, a_supplier, a_recipient, a_maker])
def test_a_view_without_some_entities_is_the_view_built_without_them(which, choose, request):
    graph = request.getfixturevalue(which)
    whole = FlowGraph(graph)
    removed = {choose(whole)}
    before = arcs_and_parties(whole)
    derived = arcs_and_parties(whole.without(removed))
    assert derived == arcs_and_parties(FlowGraph(graph, removed=removed))
    assert derived != before, f"taking out {removed} should change the view"
    assert not any(node in removed for node in derived[0]) and not any(node in removed for node in derived[1])
    assert arcs_and_parties(whole) == before, "the view it was made from is left as it was"


@pytest.mark.parametrize("which, target, hops", [
    ("bundled_graph", "org:PLA", 4),
    ("bundled_graph", "country:China", 3),
    ("generated_graph", "type:armed_service", 4),
    ("generated_graph", "program:program-4", 4),
])
def test_distances_back_from_the_goals_are_breadth_first_over_every_arc(which, target, hops, request):
    graph = request.getfixturevalue(which)
    schema = load_schema()
    flow = FlowGraph(graph, schema=schema)
    goals = select(graph, target, schema)

    def passable(node: str) -> bool:
        return node not in goals and (node.startswith(DEAL_PREFIX) or graph.nodes[node].get("type") not in OPAQUE_TYPES)

    expected = {goal: 0 for goal in goals}
    frontier = sorted(goals)
    for depth in range(1, hops + 1):
        reached = [before for node in frontier for before in flow.predecessors(node) if before not in expected]
        expected.update((before, depth) for before in reached)
        frontier = sorted({before for before in reached if passable(before)})
    got = flow.distances_to(goals, hops, passable)
    assert len(got) > 2 * len(goals)
    assert any(node.startswith(DEAL_PREFIX) for node in got)
    assert got == expected


def states_by_definition(graph, node: str, schema) -> set[str]:
    """The roots (itself if a state, its country) of the entity and of everything above it through ownership."""
    ownership = set(schema.ownership_relations)
    found, seen, todo = set(), {node}, [node]
    while todo:
        current = todo.pop()
        data = graph.nodes[current]
        found |= ({current} if data.get("type") == "state" else set()) | ({data["country"]} if data.get("country") else set())
        for _, owner, rel in graph.out_edges(current, data="type"):
            if rel in ownership and owner not in seen:
                seen.add(owner)
                todo.append(owner)
    return found


def test_member_states_follow_rings_of_owners_and_stop_at_products():
    import networkx as nx
    from coopgraph.queries.flowgraph import member_states

    g = nx.MultiDiGraph()
    for node, etype, country in [("state:r", "state", None), ("state:c", "state", None), ("firm:a", "firm", "state:r"),
                                 ("firm:b", "firm", "state:c"), ("firm:sub", "firm", None), ("tech:t", "technology", None),
                                 ("firm:t-owned", "firm", None)]:
        g.add_node(node, type=etype, **({"country": country} if country else {}))
    _ = g.add_edge("firm:a", "firm:b", type="subsidiary_of")  # a ring: each owns the other
    _ = g.add_edge("firm:b", "firm:a", type="subsidiary_of")
    _ = g.add_edge("firm:sub", "firm:b", type="subsidiary_of")
    _ = g.add_edge("firm:sub", "tech:t", type="manufactures")
    _ = g.add_edge("firm:t-owned", "tech:t", type="part_of")  # a product's states are not handed down
    states = member_states(g, load_schema())
    assert states["firm:a"] == states["firm:b"] == states["firm:sub"] == {"state:r", "state:c"}
    assert states["tech:t"] == {"state:r", "state:c"}
    assert "firm:t-owned" not in states and states.get("firm:t-owned", ()) == ()


@pytest.mark.parametrize("worked_out", ["alone", "in the flow view's pass"])
@pytest.mark.parametrize("which", ["bundled_graph", "generated_graph"])
def test_member_states_are_the_states_above_each_entity(which, worked_out, request):
    import networkx as nx
    from coopgraph.queries.flowgraph import FlowGraph, member_states
    from coopgraph.queries.selectors import ITEM_TYPES

    graph = nx.MultiDiGraph(request.getfixturevalue(which))  # a copy: nothing worked out and kept with it yet
    graph.graph = {key: value for key, value in graph.graph.items() if key not in ("_member_states", "_flow_views")}
    if worked_out != "alone":  # the flow view gathers what member_states reads in its own pass, and keeps the states
        FlowGraph(graph)
        assert "_member_states" in graph.graph
    schema = load_schema()
    expected = {}
    for node in graph:
        found = states_by_definition(graph, node, schema)
        if graph.nodes[node].get("type") in ITEM_TYPES:  # and its makers' states, outside deals
            for maker, _, data in graph.in_edges(node, data=True):
                if data.get("type") in schema.origin_relations and not data.get("deal_role"):
                    found |= states_by_definition(graph, maker, schema)
        if found:
            expected[node] = found
    got = member_states(graph, schema)
    assert {node: set(got[node]) for node in got} == expected
    assert sum(len(states) > 1 for states in expected.values()) > 0
