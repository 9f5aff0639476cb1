"""Merge decisions: applied, recorded, undone exactly; importers and deals follow them."""

from __future__ import annotations

from tests.importers.common import (  # shared data and helpers
    json, open_store, Mapping, import_file, merge_entities, unmerge_entity, SIPRI, FTM, claims_where, write_csv,
)


def test_merge_unmerge_round_trips_exactly(store_path):
    store = open_store(store_path)
    import_file(store, "ftm", FTM)
    before = store.dataset()
    result = merge_entities(store, "body:office-of-foreign-assets-control", "body:ofac", note="same office")
    assert result["claims_redirected"] == 1
    merged = store.dataset()
    assert "body:ofac" not in merged.entities
    assert "OFAC" in merged.entities["body:office-of-foreign-assets-control"].aliases
    assert not [c for c in merged.claims.values() if "body:ofac" in (c.subject, c.object)]
    assert store.merges()[0]["note"] == "same office"
    unmerge_entity(store, "body:ofac")
    assert store.dataset() == before
    assert store.merges() == []


def test_merge_folds_a_claim_into_an_equal_one_and_unmerge_restores_both(store_path, tmp_path):
    path = write_csv(tmp_path / "twins.csv", [["A", "B"], ["Rostec", "Zenda Twin"], ["Rostec", "Zenda Twin 2"]])
    store = open_store(store_path)
    import_file(store, "csv", path, mapping=Mapping.from_options(["subject=A", "object=B"], ["relation=cooperates_with"],
                                                                 create="firm", doc_date="2024"))
    before = store.dataset()
    result = merge_entities(store, "firm:zenda-twin", "firm:zenda-twin-2")
    assert result["claims_folded"] == 1
    folded = claims_where(store, subject="firm:rostec", object="firm:zenda-twin")
    assert len(folded) == 1 and [c.locator for c in folded[0].citations] == ["row 2", "row 3"]
    unmerge_entity(store, "firm:zenda-twin-2")
    assert store.dataset() == before


def test_merge_redirects_deals_and_unmerge_restores_them(store_path):
    from coopgraph.graph.model import Dataset, Deal

    store = open_store(store_path)
    import_file(store, "sipri", SIPRI)
    # a declared deal with a variant and notes, which a merge must carry over untouched
    store.write(Dataset(deals={"deal:rr-fr-hawk": Deal("deal:rr-fr-hawk", "system:hawk-x", "state:ruritania",
                                                       "state:freedonia", "Hawk-X2", "Hawk-X2 trainers", "made up")}))
    before = store.dataset()
    deals_of = {d.id for d in before.deals.values() if "state:ruritania" in (d.supplier, d.recipient)}
    assert len(deals_of) == 3  # supplier of the Épée-9 and of the declared deal, recipient of the Type-99X
    result = merge_entities(store, "state:russia", "state:ruritania", note="test")
    assert result["deals_redirected"] == 3
    merged = store.dataset()
    assert not [d for d in merged.deals.values() if "state:ruritania" in d.parties]
    declared = merged.deals["deal:rr-fr-hawk"]
    assert (declared.supplier, declared.variant, declared.name, declared.notes) == (
        "state:russia", "Hawk-X2", "Hawk-X2 trainers", "made up")
    type99 = [d for d in merged.deals.values() if d.item == "system:type-99x"][0]
    assert (type99.supplier, type99.recipient) == ("state:china", "state:russia")
    graph = store.graph()
    assert graph.graph["deals"][type99.id]["recipients"] == ["state:russia"]
    unmerge_entity(store, "state:ruritania")
    assert store.dataset() == before


def test_merge_of_an_item_moves_its_deals_and_a_deal_without_a_record_is_undone(store_path):
    from coopgraph.graph.model import Citation, Claim, Dataset

    store = open_store(store_path)
    import_file(store, "sipri", SIPRI)
    cite = (Citation("sipri-trade-register-2024-10-13", "line 99", "made up"),)
    # a deal the store knows only from a claim naming it (no deals record)
    bare = Claim("state:china", "supplies", "system:type-99x", date="2020", citations=cite, deal="deal:bare")
    store.write(Dataset(claims={bare.id: bare}))  # straight into the store: no deals record is written
    before = store.dataset()
    assert "deal:bare" not in before.deals
    result = merge_entities(store, "system:su-35", "system:type-99x")
    assert result["deals_redirected"] == 1  # the register row's; 'deal:bare' has no record to redirect
    merged = store.dataset()
    assert merged.deals["deal:bare"].item == "system:su-35"  # validation recorded it, with the new item
    type99 = [d for d in before.deals.values() if d.item == "system:type-99x"][0]
    assert merged.deals[type99.id].item == "system:su-35"
    assert all(c.object != "system:type-99x" and c.subject != "system:type-99x" for c in merged.claims.values())
    unmerge_entity(store, "system:type-99x")
    assert store.dataset() == before


def test_merge_command_reports_deals(run, store_path):
    assert run("import", "sipri", SIPRI, "--store", store_path).exit_code == 0
    result = run("merge", "state:russia", "state:ruritania", "--store", store_path)
    assert result.exit_code == 0, result.output
    assert "2 deal(s) redirected" in result.output
    result = run("unmerge", "Ruritania", "--store", store_path)
    assert result.exit_code == 0 and "2 deal(s) restored" in result.output


def test_importers_consult_merge_decisions(store_path):
    store = open_store(store_path)
    import_file(store, "ftm", FTM)
    merge_entities(store, "body:office-of-foreign-assets-control", "body:ofac")
    merged = store.dataset()
    report = import_file(store, "ftm", FTM)
    assert store.dataset() == merged  # 'OFAC' resolves to the kept body, nothing forks
    assert report.resolved["OFAC"] == "body:office-of-foreign-assets-control"


def test_merge_commands(run, store_path):
    assert run("import", "ftm", FTM, "--store", store_path).exit_code == 0
    result = run("merge", "Office of Foreign Assets Control", "OFAC", "--note", "same", "--store", store_path)
    assert result.exit_code == 0, result.output
    assert "merged body:ofac (OFAC) into body:office-of-foreign-assets-control" in result.output
    listing = run("merges", "--store", store_path, "--format", "json")
    assert json.loads(listing.output)[0]["merged"] == "body:ofac"
    assert run("show", "OFAC", "--store", store_path).output.startswith("Office of Foreign Assets Control")
    assert run("unmerge", "OFAC", "--store", store_path).exit_code == 0
    assert "no merge decisions recorded" in run("merges", "--store", store_path).output
    again = run("unmerge", "body:ofac", "--store", store_path)
    assert again.exit_code == 1 and "no merge decision about 'body:ofac'" in again.output
