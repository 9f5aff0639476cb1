"""Queries on small hand-made graphs whose answers are known."""

from __future__ import annotations

import networkx as nx
import pytest

from coopgraph.graph.errors import AmbiguousNameError, NotFoundError
from coopgraph.queries import (
    ClaimFilter, brokers, centrality, chains, chains_frame, impact, lineage, neighbours, paths, select, timeline,
    timeline_counts,
)
from tests.graphs import make_graph

RU = {"firm:engines": "state:ru", "body:mod": "state:ru"}


def supply_graph(**extra):
    """state:ru -> firm:engines makes tech:eng (1990) -> component of system:jet (1995) -> delivered to service:af (2001)."""
    claims = [
        ("firm:engines", "manufactures", "tech:eng", {"date": "1990", "confidence": 0.9}),
        ("tech:eng", "component_of", "system:jet", {"date": "1995", "confidence": 0.8}),
        ("system:jet", "transferred_to", "service:af", {"date": "2001-06", "status": "delivered", "confidence": 0.7}),
        ("firm:engines", "subsidiary_of", "state:ru", {"date": "1990"}),
    ]
    return make_graph(claims + extra.get("more", []), countries=RU)


def deal_graph():
    """firm:engines (Russian) makes tech:eng (1990), a component of system:jet (1995), which the firm
    develops (1996) and sells to service:af in one deal (2001)."""
    return make_graph([
        ("firm:engines", "manufactures", "tech:eng", {"date": "1990", "confidence": 0.9}),
        ("tech:eng", "component_of", "system:jet", {"date": "1995", "confidence": 0.8}),
        ("firm:engines", "develops", "system:jet", {"date": "1996", "confidence": 0.7}),
        ("firm:engines", "supplies", "system:jet", {"date": "2001-06", "status": "delivered", "confidence": 0.7,
                                                    "deal": "deal:jet"}),
        ("system:jet", "transferred_to", "service:af", {"date": "2001-06", "status": "delivered", "confidence": 0.7,
                                                        "deal": "deal:jet"}),
        ("firm:engines", "subsidiary_of", "state:ru", {"date": "1990"}),
    ], countries=RU)


def ids(chain):
    return [n["id"] for n in chain["nodes"]]


def test_chain_follows_flows_and_cites_every_hop():
    # the firm sells the jet it develops, and its own engine flies in the jet it sells: two chains
    chain, through_engine = chains(deal_graph(), "country:state:ru", "service:af").chains
    assert ids(through_engine) == ["firm:engines", "tech:eng", "deal:jet", "service:af"]
    assert ids(chain) == ["firm:engines", "deal:jet", "service:af"]
    assert [c["relation"] for c in chain["steps"][0]["claims"]] == ["develops", "supplies"]
    assert chain["path"] == "ENGINES → JET → AF"
    assert chain["deals"][0]["item"] == "system:jet" and chain["deals"][0]["status"] == "delivered"
    assert chain["score"] == 0.7
    assert chain["first_date"] == "1996" and chain["last_date"] == "2001-06"
    assert all(step["claims"][0]["citations"][0]["locator"] == "p. 1" for step in chain["steps"])


def test_time_violating_chain_is_excluded():
    graph = make_graph([
        ("state:a", "supplies", "system:x", {"date": "2010", "deal": "deal:x"}),
        ("system:x", "transferred_to", "service:b", {"date": "2005", "deal": "deal:x"}),   # delivered before it was supplied
        ("state:a", "supplies", "system:y", {"date": "2010", "deal": "deal:y"}),
        ("system:y", "transferred_to", "service:b", {"date": "2012", "deal": "deal:y"}),
    ])
    found = chains(graph, "state:a", "service:b")
    assert [ids(c) for c in found] == [["state:a", "deal:y", "service:b"]]


def test_partial_dates_compare_by_precision_and_undated_hops_are_flagged():
    graph = make_graph([
        ("state:a", "supplies", "system:x", {"date": "2015-11", "deal": "deal:x"}),
        ("system:x", "transferred_to", "state:b", {"date": "2015", "deal": "deal:x"}),     # same year: compatible
        ("system:x", "component_of", "program:p"),                       # undated
    ], countries={"program:p": "state:b"})
    found = chains(graph, "state:a", "state:b|program:p")
    assert [c["undated_hops"] for c in found] == [0, 1]
    assert found.chains[1]["steps"][1]["undated"] is True


def test_as_of_hides_claims_published_later():
    graph = make_graph([
        ("state:a", "supplies", "system:x", {"date": "2010", "doc": "old", "deal": "deal:x"}),
        ("system:x", "transferred_to", "state:b", {"date": "2018", "doc": "new", "deal": "deal:x"}),
    ], documents={"old": "2012", "new": "2019-03"})
    assert len(chains(graph, "state:a", "state:b")) == 1
    assert len(chains(graph, "state:a", "state:b", claim_filter=ClaimFilter(as_of="2018"))) == 0
    assert len(chains(graph, "state:a", "state:b", claim_filter=ClaimFilter(as_of="2019-03"))) == 1


def test_confidence_and_status_filters():
    graph = deal_graph()
    assert len(chains(graph, "firm:engines", "service:af", claim_filter=ClaimFilter(min_confidence=0.75))) == 0
    assert len(chains(graph, "firm:engines", "service:af", claim_filter=ClaimFilter(statuses={"contracted"}))) == 0
    assert len(chains(graph, "firm:engines", "service:af", claim_filter=ClaimFilter(statuses={"delivered"}))) == 1


def test_reverse_flow_copy_of_runs_from_original_to_copy():
    graph = make_graph([
        ("system:orig", "derived_from", "system:older", {"date": "1985"}),
        ("system:copy", "copy_of", "system:orig", {"date": "1998", "circa": True}),
    ])
    [chain] = chains(graph, "system:older", "system:copy")
    assert ids(chain) == ["system:older", "system:orig", "system:copy"]
    assert chain["steps"][1]["claims"][0]["relation"] == "copy_of"


def test_tails_of_longer_chains_and_duplicates_are_dropped():
    found = chains(deal_graph(), "country:state:ru", "service:af")
    # system:jet counts as a Russian product (the Russian firm develops it) and starts from its deal,
    # yet only the chain from the firm is listed
    assert len(found) == 2 and found.found == 2


def test_max_hops_and_via():
    graph = make_graph([
        ("firm:engines", "manufactures", "tech:eng", {"date": "1990"}),
        ("tech:eng", "component_of", "system:jet", {"date": "1995"}),
        ("system:jet", "equips", "service:af", {"date": "2001"}),
    ])
    assert len(chains(graph, "firm:engines", "service:af", max_hops=2)) == 0
    assert len(chains(graph, "firm:engines", "service:af", via=["technology", "weapon_system"])) == 1
    assert len(chains(graph, "firm:engines", "service:af", via=["technology"])) == 0


def test_states_are_not_passed_through_unless_asked():
    graph = make_graph([
        ("system:x", "transferred_to", "state:cn", {"date": "2000"}),
        ("state:cn", "develops", "system:y", {"date": "2005"}),
    ])
    assert len(chains(graph, "system:x", "system:y")) == 0
    assert len(chains(graph, "system:x", "system:y", via=["state"])) == 1


def test_ties_are_ordered_deterministically():
    claims = [("state:a", "supplies", f"system:{n}", {"date": "2000", "deal": f"deal:{n}"}) for n in ("c", "a", "b")]
    claims += [(f"system:{n}", "transferred_to", "state:z", {"date": "2001", "deal": f"deal:{n}"}) for n in ("c", "a", "b")]
    first = [ids(c)[1] for c in chains(make_graph(claims), "state:a", "state:z")]
    again = [ids(c)[1] for c in chains(make_graph(list(reversed(claims))), "state:a", "state:z")]
    assert first == again == ["deal:a", "deal:b", "deal:c"]


def test_shortest_then_strongest_first_and_limit():
    graph = make_graph([
        ("state:a", "supplies", "system:x", {"date": "2000", "confidence": 0.5, "deal": "deal:x"}),
        ("system:x", "transferred_to", "state:z", {"date": "2001", "confidence": 0.5, "deal": "deal:x"}),
        ("state:a", "supplies", "system:y", {"date": "2000", "confidence": 0.9, "deal": "deal:y"}),
        ("system:y", "transferred_to", "state:z", {"date": "2001", "confidence": 0.9, "deal": "deal:y"}),
        ("state:a", "supplies", "tech:t", {"date": "2000", "confidence": 1.0, "deal": "deal:t"}),
        ("tech:t", "transferred_to", "firm:zf", {"date": "2000", "confidence": 1.0, "deal": "deal:t"}),
        ("tech:t", "component_of", "program:w", {"date": "2000", "confidence": 1.0}),
        ("program:w", "equips", "service:zs", {"date": "2001", "confidence": 1.0}),
    ], countries={"firm:zf": "state:z", "program:w": "state:z", "service:zs": "state:z"})
    found = chains(graph, "state:a", "state:z|service:zs")
    assert [c["score"] for c in found] == [0.9, 0.5, 1.0]
    assert len(chains(graph, "state:a", "state:z", limit=1)) == 1


def test_chains_frame_has_one_row_per_hop():
    frame = chains_frame(chains(deal_graph(), "firm:engines", "service:af"))
    assert len(frame) == 5 and list(frame["step"]) == [1, 2, 1, 2, 3]
    assert frame["citations"].str.contains("p. 1").all()


def test_selectors():
    graph = supply_graph()
    assert select(graph, "country:state:ru") == {"state:ru", "firm:engines", "tech:eng"}
    assert select(graph, "type:weapon_system") == {"system:jet"}
    assert select(graph, "country:state:ru&type:technology") == {"tech:eng"}
    with pytest.raises(NotFoundError):
        select(graph, "Atlantis")


def test_ambiguous_name_lists_candidates():
    graph = make_graph([("state:a", "supplies", "system:x1"), ("state:a", "supplies", "system:x2")])
    with pytest.raises(AmbiguousNameError, match="system:x1"):
        select(graph, "x")


def test_impact_finds_program_that_loses_its_only_supplier():
    graph = make_graph([
        ("state:ru", "supplies", "tech:engine", {"date": "2000", "deal": "deal:engine"}),
        ("tech:engine", "transferred_to", "state:cn", {"date": "2000", "deal": "deal:engine"}),
        ("tech:engine", "component_of", "program:fighter", {"date": "2001"}),
        ("state:ru", "supplies", "tech:radar", {"date": "2000", "deal": "deal:radar"}),
        ("tech:radar", "transferred_to", "state:cn", {"date": "2000", "deal": "deal:radar"}),
        ("tech:radar", "component_of", "program:bomber", {"date": "2001"}),
        ("tech:engine", "component_of", "program:bomber", {"date": "2002"}),
    ], countries={"program:fighter": "state:cn", "program:bomber": "state:cn"})
    report = impact(graph, ["tech:engine"], "state:ru", "type:program")
    outcome = {r["id"]: (r["outcome"], r["kept_via"]) for r in report["targets"]}
    assert outcome == {"program:fighter": ("lost", []), "program:bomber": ("kept", ["deal:radar"])}
    assert len(report["lost_chains"]) == 2
    assert all(any(n.get("item") == "tech:engine" for n in c["nodes"]) for c in report["lost_chains"])


def test_impact_respects_time():
    graph = make_graph([
        ("state:ru", "supplies", "tech:engine", {"date": "2010", "deal": "deal:engine"}),
        ("tech:engine", "transferred_to", "state:cn", {"date": "2010", "deal": "deal:engine"}),
        ("tech:engine", "component_of", "program:p", {"date": "2001"}),   # before the engine was supplied
        ("state:ru", "supplies", "tech:radar", {"date": "2000", "deal": "deal:radar"}),
        ("tech:radar", "transferred_to", "state:cn", {"date": "2000", "deal": "deal:radar"}),
        ("tech:radar", "component_of", "program:q", {"date": "2001"}),
    ], countries={"program:p": "state:cn", "program:q": "state:cn"})
    report = impact(graph, ["tech:radar"], "state:ru", "type:program")
    assert [(r["id"], r["outcome"]) for r in report["targets"]] == [("program:q", "lost")]


def test_centrality_matches_networkx():
    # no deal claims here: the measure runs on the claims as they are
    graph = make_graph([
        ("firm:engines", "manufactures", "tech:eng", {"date": "1990"}),
        ("tech:eng", "component_of", "system:jet", {"date": "1995"}),
        ("system:jet", "equips", "service:af", {"date": "2001"}),
        ("firm:engines", "subsidiary_of", "state:ru", {"date": "1990"}),
        ("state:ru", "develops", "system:jet", {"date": "1996"}),
    ])
    simple = nx.DiGraph(graph)
    report = centrality(graph, "pagerank", top=100)
    expected = nx.pagerank(nx.DiGraph([(u, v, {"weight": graph.number_of_edges(u, v)}) for u, v in simple.edges()]))
    assert {r["id"]: r["score"] for r in report["rows"]} == {n: round(s, 6) for n, s in expected.items()}
    degree = centrality(graph, "degree", top=100)
    assert {r["id"]: r["score"] for r in degree["rows"]} == {n: round(s, 6) for n, s in nx.degree_centrality(simple.to_undirected()).items()}
    betw = centrality(graph, "betweenness", top=100)
    assert {r["id"]: r["score"] for r in betw["rows"]} == {n: round(s, 6) for n, s in nx.betweenness_centrality(simple.to_undirected()).items()}


def test_centrality_type_filter_time_window_and_sampling_note():
    graph = supply_graph()
    rows = centrality(graph, "degree", types=["weapon_system"])["rows"]
    assert [r["id"] for r in rows] == ["system:jet"]
    window = centrality(graph, "degree", claim_filter=ClaimFilter(from_date="2000"), top=100)["rows"]
    assert {r["id"] for r in window if r["score"] > 0} == {"system:jet", "service:af"}
    assert "sampled" in centrality(graph, "betweenness", k=2)["note"]


def test_brokers_are_the_chokepoints():
    graph = make_graph([
        ("state:a", "develops", "tech:hub"), ("state:b", "contributes_to", "tech:hub"),
        ("tech:hub", "component_of", "system:x"), ("tech:hub", "component_of", "system:y"),
    ])
    rows = brokers(graph)["rows"]
    assert [(r["id"], r["pairs_cut"]) for r in rows] == [("tech:hub", 4)]


def test_a_deal_every_path_needs_makes_its_item_the_broker():
    graph = make_graph([
        ("state:a", "supplies", "tech:hub", {"deal": "deal:h"}), ("tech:hub", "transferred_to", "state:c", {"deal": "deal:h"}),
        ("tech:hub", "component_of", "program:x"), ("tech:hub", "component_of", "program:y"),
    ], countries={"program:x": "state:c", "program:y": "state:c"})
    rows = brokers(graph, "state:a", "program:x|program:y")["rows"]
    assert [(r["id"], r["pairs_cut"]) for r in rows] == [("tech:hub", 2)]


def test_betweenness_never_credits_a_path_joining_two_deals():
    # B sold X to C, A sold X to D: nothing passes from B to D, so X brokers nothing between them
    graph = make_graph([
        ("state:b", "supplies", "system:x", {"deal": "deal:bc"}), ("system:x", "transferred_to", "state:c", {"deal": "deal:bc"}),
        ("state:a", "supplies", "system:x", {"deal": "deal:ad"}), ("system:x", "transferred_to", "state:d", {"deal": "deal:ad"}),
    ])
    scores = {r["id"]: r["score"] for r in centrality(graph, "betweenness", flow_only=True, top=100)["rows"]}
    # one supplier-recipient pair per deal and none across them: 2 pairs, normalised over 7 nodes (5 entities, 2 deals)
    assert scores["system:x"] == pytest.approx(2 / (6 * 5), abs=1e-6)
    assert set(scores) == {"state:a", "state:b", "state:c", "state:d", "system:x"}


def test_paths_any_direction_and_flow_only():
    graph = supply_graph()
    [row] = paths(graph, "state:ru", "tech:eng")
    assert row["nodes"] == ["state:ru", "firm:engines", "tech:eng"]
    assert paths(graph, "state:ru", "tech:eng", flow_only=True) == []
    assert paths(graph, "firm:engines", "service:af", flow_only=True) == []   # the jet's sale names no supplier
    [flow] = paths(deal_graph(), "firm:engines", "service:af", flow_only=True)
    assert flow["hops"] == 2 and flow["path"] == "ENGINES → JET → AF"


def test_neighbours_counts_what_the_cap_cut():
    graph = make_graph([("state:a", "supplies", f"system:s{i}") for i in range(10)])
    report = neighbours(graph, "state:a", cap=4)
    assert len(report["rows"]) == 4 and report["cut"] == {"neighbours beyond the cap": 6}


def test_lineage_both_ways():
    graph = make_graph([
        ("system:j11", "copy_of", "system:su27", {"date": "2000"}),
        ("system:su27", "derived_from", "system:t10", {"date": "1985"}),
        ("system:su27", "licensed_to", "state:cn", {"date": "1996"}),
    ])
    rows = lineage(graph, "system:su27")
    assert {(r["entity"], r["direction"]) for r in rows} == {
        ("system:j11", "descendant"), ("state:cn", "descendant"), ("system:t10", "ancestor")}


def test_timeline_orders_and_counts():
    graph = supply_graph()
    rows = timeline(graph)
    assert [r["when"] for r in rows] == ["1990", "1990", "1995", "2001-06"]
    counts = timeline_counts(rows)
    assert {row["period"]: row["total"] for row in counts.rows} == {"1990": 2, "1995": 1, "2001": 1}
    assert [r["when"] for r in timeline(graph, "system:jet")] == ["1995", "2001-06"]


def test_betweenness_says_how_far_it_is_and_gives_networkx_scores(bundled_store_file):
    from coopgraph.graph.store import open_store
    from coopgraph.queries.centrality import betweenness, entity_digraph

    graph = open_store(bundled_store_file).graph()
    undirected = entity_digraph(graph).to_undirected(as_view=True)
    assert betweenness(undirected) == nx.betweenness_centrality(undirected)
    assert betweenness(undirected, k=40, seed=4) == nx.betweenness_centrality(undirected, k=40, seed=4)
    said = []
    report = centrality(graph, "betweenness", k=100, progress=lambda done, total, stage: said.append((done, total, stage)))
    assert report.rows == centrality(graph, "betweenness", k=100).rows
    stages = list(dict.fromkeys(stage for _, _, stage in said))
    assert stages == ["collapsing claims", "betweenness: sources searched"]
    assert said[-1] == (100, 100, "betweenness: sources searched")
    assert (graph.number_of_edges(), graph.number_of_edges(), "collapsing claims") in said
    assert [done for done, _, stage in said if stage.startswith("betweenness")] == sorted(
        done for done, _, stage in said if stage.startswith("betweenness"))
    said.clear()
    centrality(graph, "pagerank", progress=lambda *step: said.append(step))
    assert said[-2:] == [(0, 1, "computing pagerank"), (1, 1, "computing pagerank")]


@pytest.mark.parametrize("directed", [False, True])
def test_shortest_paths_from_both_ends_are_networkx_shortest_paths_in_id_order(directed):
    import random

    from coopgraph.queries.paths import shortest_paths

    for seed in range(300):
        rng = random.Random(seed)
        n = rng.randint(2, 40)
        graph = nx.gnm_random_graph(n, rng.randint(1, 4 * n), seed=seed, directed=directed)
        graph = nx.relabel_nodes(graph, {i: f"n{i:02d}" for i in graph})
        source, target = rng.sample(sorted(graph), 2)
        try:
            want = sorted(nx.all_shortest_paths(graph, source, target))
        except nx.NetworkXNoPath:
            want = []
        successors = (lambda nodes: {x: list(graph.adj[x])[::-1] for x in nodes})  # order must not matter
        predecessors = (lambda nodes: {x: graph.pred[x] for x in nodes}) if directed else None
        for limit in (1, 3, 1000):
            assert shortest_paths(successors, source, target, limit, predecessors) == want[:limit], (seed, limit)
