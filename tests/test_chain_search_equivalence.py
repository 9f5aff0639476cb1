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
    for a, nbrs in flow._own_succ.items():
        for b, evidence in nbrs.items():
            arcs.setdefault(a, {}).setdefault(b, set()).update(e.claim for e in evidence)
    for deal, recipients in flow.recipients_of.items():
        if deal not in flow.deals:
            continue
        item = flow.deals[deal]["item"]
        for nxt, evidence in flow._own_succ.get(item, {}).items():
            if not nxt.startswith(DEAL_PREFIX) and on_side(nxt, recipients):
                arcs.setdefault(deal, {}).setdefault(nxt, set()).update(e.claim for e in evidence)
        suppliers = flow.suppliers_of.get(deal)
        if suppliers:
            for before, nbrs in flow._own_succ.items():
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
    kept = _drop_stand_ins(_drop_tails(found, flow.deals), ends)
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
