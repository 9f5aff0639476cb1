"""Node-link JSON: hostile text, deal nodes, read back."""

from __future__ import annotations

from tests.export.common import (  # shared data and helpers
    json, Citation, from_node_link, to_node_link, write_json, hostile_dataset, DEAL_SALE, deals_dataset, implied_deals, _keyed_without_record,
)


def test_json_round_trips_hostile_text(tmp_path):
    ds = hostile_dataset()
    out = tmp_path / "g.json"
    write_json(ds, out)
    doc = json.loads(out.read_text(encoding="utf-8"))
    entities = [n for n in doc["nodes"] if n["type"] != "Deal"]
    assert {n["id"]: n["name"] for n in entities} == {e.id: e.name for e in ds.entities.values()}
    assert {e["id"]: [Citation(**c) for c in e["citations"]] for e in doc["edges"]} == {
        cid: list(c.citations) for cid, c in ds.claims.items()}
    assert {d["id"]: d["title"] for d in doc["documents"]} == {d.id: d.title for d in ds.documents.values()}
    assert from_node_link(doc) == ds


def test_json_makes_a_node_of_every_deal_and_reads_back(tmp_path):
    for ds in (deals_dataset(), _keyed_without_record()):
        out = tmp_path / "g.json"
        counts = write_json(ds, out)
        doc = json.loads(out.read_text(encoding="utf-8"))
        assert doc == to_node_link(ds) and doc["version"] == 2
        deals = {n["id"]: n for n in doc["nodes"] if n["type"] == "Deal"}
        assert set(deals) == set(ds.deals) | implied_deals(ds) | {c.deal for c in ds.claims.values() if c.deal}
        assert counts == {"documents": len(ds.documents), "nodes": len(ds.entities) + len(deals),
                          "edges": len(ds.claims), "deal_items": len(deals)}
        assert {n["id"] for n in deals.values() if n["implied"]} == implied_deals(ds)
        assert {(i["source"], i["target"], i["type"]) for i in doc["deal_items"]} == {
            (d, "system:evil", "DEAL_ITEM") for d in deals}
        edges = {e["id"]: e for e in doc["edges"]}
        sale = [c for c in ds.claims.values() if c.deal == DEAL_SALE and c.relation == "supplies"][0]
        assert (edges[sale.id]["source"], edges[sale.id]["target"], edges[sale.id]["object"]) == (
            "firm:roe", DEAL_SALE, "system:evil")
        assert all(e["citations"] for e in doc["edges"])   # every edge is still a cited claim
        assert from_node_link(doc) == ds


def test_cli_selection_applies_to_json_too(run, mini_store_path, tmp_path):
    out = tmp_path / "g.json"
    assert run("export", "json", out, "--store", mini_store_path, "--around", "Hawk").exit_code == 0
    doc = json.loads(out.read_text())
    assert {n["id"] for n in doc["nodes"]} == {"system:hawk", "system:falcon"}
    assert [e["type"] for e in doc["edges"]] == ["copy_of"]
