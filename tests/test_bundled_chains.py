"""The headline questions on the bundled data: chains an analyst expects to see, each hop cited."""

from __future__ import annotations

import pytest

from coopgraph.graph.store import open_store
from coopgraph.queries import chains, impact, lineage


@pytest.fixture(scope="module")
def graph(bundled_store_file):
    return open_store(bundled_store_file).graph()


def paths_of(result):
    return [[n["id"] for n in chain["nodes"]] for chain in result]


def assert_cited(result):
    for chain in result:
        for step in chain["steps"]:
            assert step["claims"] and all(c["citations"] for c in step["claims"])
            assert all(cit["quote"] for c in step["claims"] for cit in c["citations"])


def assert_time_respecting(result):
    """Each hop has a claim that had not ended before the hop before it began."""
    from coopgraph.graph.dates import PartialDate

    for chain in result:
        start = None
        for step in chain["steps"]:
            dated = [c for c in step["claims"] if c["date"] or c["start"] or c["end"]]
            if not dated:
                continue
            ends = [PartialDate.parse(c["end"] or c["date"] or c["start"]).latest for c in dated]
            if start is not None:
                assert max(ends) >= start or len(dated) < len(step["claims"]), chain["path"]
            begins = [PartialDate.parse(c["date"] or c["start"] or c["end"]).earliest for c in dated]
            start = max(start, min(begins)) if start else min(begins)


def deal_items(result):
    return {n["item"] for chain in result for n in chain["nodes"] if n["type"] == "deal"}


def test_russia_through_the_su27_to_its_chinese_copy(graph):
    found = chains(graph, "country:Russia", "country:China&type:weapon_system", limit=100)
    su27 = ["state:russia", "deal:ru-cn-su-27-1992-2006", "system:j-11"]
    assert su27 in paths_of(found)
    chain = next(c for c in found if paths_of([c])[0] == su27)
    assert chain["path"].endswith("Su-27 → J-11")
    hop = chain["steps"][1]
    cited = {(c["relation"], cit["locator"]) for c in hop["claims"] for cit in c["citations"]}
    assert ("copy_of", "endnote 20") in cited                 # CSIS: the J-11 is an unlicensed copy
    assert ("derived_from", "line 206, comments") in cited     # SIPRI: kits assembled, Chinese designation J-11
    assert_cited(found)


def test_russian_engines_flow_to_china_contract_by_contract(graph):
    # Two AL-31F contracts (150 and 140 engines, CSIS endnote 23) and SIPRI's 2011 order of 130 (line 168, which
    # matches neither by number) are three deals of the same supplier, item and recipient: one chain
    # Russia -> AL-31F -> China, whose hops cite each contract's claims with its own deal and number.
    found = chains(graph, "country:Russia", "country:China", limit=200)
    [engine] = [c for c in found if c["nodes"][1].get("item") == "tech:al-31f" and c["nodes"][-1]["id"] == "state:china"]
    assert sorted(d["ordered"] for d in engine["deals"]) == [130, 140, 150]
    sipri = next(d["id"] for d in engine["deals"] if d["ordered"] == 130)
    assert sorted(engine["nodes"][1]["deals"]) == sorted(["deal:ru-cn-al-31f-2011-2012-140",
                                                          "deal:ru-cn-al-31f-2011-2012-150", sipri])
    for step in engine["steps"]:
        assert {(c["quantity"], c["deal"]) for c in step["claims"] if c["status"] == "contracted"} == {
            (140, "deal:ru-cn-al-31f-2011-2012-140"), (150, "deal:ru-cn-al-31f-2011-2012-150"), (130, sipri)}
    csis = {cit["locator"] for step in engine["steps"] for c in step["claims"] for cit in c["citations"]
            if c["deal"] != sipri}
    assert csis == {"endnote 23"}


def test_the_headline_covers_every_documented_russian_transfer_to_china(graph):
    from coopgraph.cli.commands_reports import CHAINS_DEFAULT_LIMIT, CHAINS_DEFAULT_TO

    # the headline's default: the PLA, its parts and programmes, and Chinese programmes (the register's)
    found = chains(graph, "country:Russia", list(CHAINS_DEFAULT_TO), limit=CHAINS_DEFAULT_LIMIT)
    assert not found.truncated
    items = deal_items(found)
    for item in ("system:s-400", "system:su-35", "system:su-27", "system:su-30", "system:s-300", "system:kilo-class",
                 "tech:al-31f", "tech:al-31fn", "tech:d-30kp-2", "system:mi-17", "system:lada-class"):
        assert item in items, item
    paths = paths_of(found)
    assert ["state:russia", "deal:ru-cn-su-27-1992-2006", "system:j-11", "service:pla"] in paths
    assert ["state:russia", "deal:ru-cn-su-27-1992-2006", "service:plaaf"] in paths
    assert ["state:russia", "deal:ru-cn-kilo-class-1992-2006", "service:plan"] in paths
    s400 = next(c for c in found if c["nodes"][1]["id"] == "deal:ru-cn-s-400-2015")
    assert s400["recipient_named"] == {"recipient": "state:china", "name": "People's Republic of China",
                                       "counts_as": ["service:pla"]}
    assert_cited(found)
    assert_time_respecting(found)


def test_a_deal_reported_twice_is_one_chain_with_both_reports(graph):
    found = chains(graph, "state:russia", "state:china", limit=200)
    s400 = [c for c in found if any(n.get("item") == "system:s-400" for n in c["nodes"])]
    assert len(s400) == 1
    locators = {cit["locator"] for step in s400[0]["steps"] for c in step["claims"] for cit in c["citations"]}
    assert {"endnote 31", "endnote 50"} <= locators
    su35 = [c for c in found if any(n.get("item") == "system:su-35" for n in c["nodes"])]
    assert len(su35) == 1 and su35[0]["deals"][0]["ordered"] == 24


def test_only_delivered_claims(graph):
    from coopgraph.queries import ClaimFilter

    found = chains(graph, "country:Russia", "org:PLA", claim_filter=ClaimFilter(statuses={"delivered"}))
    assert {"system:s-400", "system:su-35"} <= deal_items(found)
    assert all(c["status"] == "delivered" for chain in found for step in chain["steps"] for c in step["claims"])


def test_as_of_2019_hides_what_only_the_2022_report_says(graph):
    from coopgraph.queries import ClaimFilter

    everything = chains(graph, "country:Russia", "country:China", limit=500)
    early = chains(graph, "country:Russia", "country:China", limit=500, claim_filter=ClaimFilter(as_of="2019"))
    assert len(early) == 0  # both seed documents were published after 2019
    assert len(chains(graph, "country:Russia", "country:China", limit=500,
                      claim_filter=ClaimFilter(as_of="2020-03"))) < len(everything)


def test_su27_lineage_and_impact_of_stopping_engine_deliveries(graph):
    rows = lineage(graph, "Su-27")
    assert ("system:j-11", "descendant") in {(r["entity"], r["direction"]) for r in rows}
    report = impact(graph, ["AL-31F", "AL-31FN"], "country:Russia", "country:China&type:state")
    assert [r["outcome"] for r in report["targets"]] == ["kept"]  # China keeps many other Russian supplies
    assert report["lost_chains"]
    su35 = impact(graph, ["Su-35"], "country:Russia", "org:PLA")
    assert {n.get("item") for c in su35["lost_chains"] for n in c["nodes"]} >= {"system:su-35"}


def test_chains_through_an_entity_are_the_chains_found_that_pass_it_in_the_same_order(graph):
    """impact lists the chains a removal cuts with chains(through=...): the same chains, ranked alike, as
    picking them out of every chain found, and counted whole."""
    every = chains(graph, "country:Russia", "country:China", max_hops=4, limit=10_000)
    assert every.complete
    passed = {}
    for chain in every:
        for node in chain["nodes"][:-1]:
            for entity in {node["id"], node.get("item")} - {None}:
                passed.setdefault(entity, []).append(chain)
    busiest = sorted(passed, key=lambda e: (-len(passed[e]), e))[:5]
    assert len(passed[busiest[0]]) >= 5
    for entity in busiest:
        cut = chains(graph, "country:Russia", "country:China", max_hops=4, limit=3, through=[entity])
        assert cut.found == len(passed[entity])
        assert [c["path"] for c in cut] == [c["path"] for c in passed[entity][:3]]
        assert [c["rank"] for c in cut] == list(range(1, len(cut) + 1))
        assert cut.truncated == (len(passed[entity]) > 3)
