"""Choosing the part of the graph an export writes: time windows, --around, chains."""

from __future__ import annotations

from tests.export.common import (  # shared data and helpers
    read_graphml, ClaimFilter, select_subgraph, MINI, _dataset_of, _graphml_counts,
)


def test_no_option_selects_the_dataset_itself():
    ds = _dataset_of(MINI)
    assert select_subgraph(ds) is ds
    assert select_subgraph(ds, claim_filter=ClaimFilter()) is ds


def test_time_window_keeps_overlapping_claims_and_their_entities():
    ds = _dataset_of(MINI)
    early = select_subgraph(ds, claim_filter=ClaimFilter(to_date="2000"))
    assert {c.relation for c in early.claims.values()} == {"manufactures", "component_of"}
    assert set(early.entities) == {"firm:zenda-motors", "tech:zm-9-engine", "system:falcon"}
    late = select_subgraph(ds, claim_filter=ClaimFilter(from_date="2001"))
    assert {c.relation for c in late.claims.values()} == {"supplies", "transferred_to", "copy_of"}
    assert set(late.deals) == {"deal:rur-faf-falcon-2001"} and not early.deals


def test_as_of_before_the_only_document_leaves_nothing():
    ds = _dataset_of(MINI)
    assert select_subgraph(ds, claim_filter=ClaimFilter(as_of="2020")).counts() == {
        "documents": 0, "entities": 0, "claims": 0, "deals": 0}


def test_around_grows_with_depth():
    ds = _dataset_of(MINI)
    one = select_subgraph(ds, around="ZM-9", depth=1)
    assert set(one.entities) == {"firm:zenda-motors", "tech:zm-9-engine", "system:falcon"}
    two = select_subgraph(ds, around="ZM-9", depth=2)
    assert set(two.entities) == set(one.entities) | {"system:hawk", "service:freedonian-air-force", "state:ruritania"}
    assert all(c.subject in two.entities and c.object in two.entities for c in two.claims.values())


def test_chains_selection_keeps_the_chain_only():
    ds = _dataset_of(MINI)
    chain = select_subgraph(ds, chains_from="Zenda Motors", chains_to="Freedonian Air Force")
    assert set(chain.entities) == {"firm:zenda-motors", "tech:zm-9-engine", "system:falcon", "service:freedonian-air-force"}
    assert {c.relation for c in chain.claims.values()} == {"manufactures", "component_of", "transferred_to"}


def test_cli_around_and_time_filters_shrink_the_export(run, mini_store_path, tmp_path):
    out = tmp_path / "g.graphml"
    assert _graphml_counts(run, mini_store_path, out) == (7, 5)
    assert _graphml_counts(run, mini_store_path, out, "--around", "ZM-9") == (3, 2)
    assert _graphml_counts(run, mini_store_path, out, "--around", "ZM-9", "--depth", "2") == (6, 5)
    assert _graphml_counts(run, mini_store_path, out, "--to-date", "2000") == (3, 2)
    assert _graphml_counts(run, mini_store_path, out, "--from-date", "2001") == (4, 3)
    assert _graphml_counts(run, mini_store_path, out, "--from-date", "2001", "--around", "Hawk") == (2, 1)
    assert _graphml_counts(run, mini_store_path, out, "--type", "weapon_system") == (2, 1)
    assert _graphml_counts(run, mini_store_path, out, "--status", "delivered") == (3, 2)   # the deal's two claims
    assert _graphml_counts(run, mini_store_path, out, "--as-of", "2021") == (6, 5)
    assert _graphml_counts(run, mini_store_path, out, "--chains-from", "Zenda Motors",
                           "--chains-to", "FAF") == (4, 3)


def test_cli_selection_keeps_the_deals_of_its_claims(run, mini_store_path, tmp_path):
    out = tmp_path / "g.graphml"
    for options, deals in (((), {"deal:rur-faf-falcon-2001"}), (("--to-date", "2000"), set()),
                           (("--status", "delivered"), {"deal:rur-faf-falcon-2001"})):
        assert run("export", "graphml", out, "--store", mini_store_path, *options).exit_code == 0
        assert set(read_graphml(out).deals) == deals
