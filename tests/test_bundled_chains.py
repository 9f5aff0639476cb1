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


def test_russia_through_the_su27_to_its_chinese_copy(graph):
    found = chains(graph, "country:Russia", "country:China&type:weapon_system", limit=100)
    assert ["state:russia", "system:su-27", "system:j-11"] in paths_of(found)
    hop = next(c for c in found if paths_of([c])[0] == ["state:russia", "system:su-27", "system:j-11"])["steps"][1]
    assert hop["claims"][0]["relation"] == "copy_of"
    assert any("endnote 20" == cit["locator"] for cit in hop["claims"][0]["citations"])
    assert_cited(found)


def test_russian_engines_flow_to_china_with_their_contracts(graph):
    # The seeds name no engine maker and no PLA aircraft using the AL-31F; the chain they support is
    # Russia -> AL-31F -> China, with the 2011-2012 contracts (CSIS endnote 23).
    found = chains(graph, "country:Russia", "country:China", limit=200)
    engine = [c for c in found if paths_of([c])[0] == ["state:russia", "tech:al-31f", "state:china"]]
    assert engine
    quantities = sorted(c["quantity"] for c in engine[0]["steps"][1]["claims"])
    assert quantities == [140, 150]
    assert {cit["locator"] for c in engine[0]["steps"][1]["claims"] for cit in c["citations"]} == {"endnote 23"}


def test_default_report_reaches_pla_services_in_time_order(graph):
    found = chains(graph, "country:Russia", "org:PLA", limit=50)
    assert ["state:russia", "system:su-27", "service:plaaf"] in paths_of(found)
    assert ["state:russia", "system:kilo-class", "service:plan"] in paths_of(found)
    assert_cited(found)


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
