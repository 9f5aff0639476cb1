"""GEXF 1.3: schema-valid, dynamic intervals, deals as nodes, hostile text."""

from __future__ import annotations

from tests.export.common import (  # shared data and helpers
    json, nx, Citation, DEAL_ITEM, write_gexf, MINI, GEXF_XSD_DIR, HOSTILE, hostile_dataset, DEAL_SALE, DEAL_UNUSED, deals_dataset, implied_deals, _dataset_of, _offline_schema, _deal_node_count,
)


def test_gexf_validates_against_the_xml_schema(tmp_path):
    from lxml import etree

    schema = _offline_schema(GEXF_XSD_DIR / "gexf.xsd")
    for ds in (_dataset_of(MINI), hostile_dataset(), deals_dataset()):
        out = tmp_path / "g.gexf"
        write_gexf(ds, out)
        assert schema.validate(etree.parse(str(out))), schema.error_log


def test_gexf_is_dynamic_with_claim_intervals(tmp_path):
    out = tmp_path / "g.gexf"
    counts = write_gexf(_dataset_of(MINI), out)
    assert counts == {"nodes": 8, "edges": 6, "dated_edges": 6, "deals": 1}   # 7 entities and a deal; 5 claims, 1 link
    g = nx.read_gexf(out, version="1.3")
    assert g.graph["mode"] == "dynamic"
    assert (g.number_of_nodes(), g.number_of_edges()) == (8, 6)
    edges = {d["relation"]: d for _, _, d in g.edges(data=True)}
    assert (edges["transferred_to"]["start"], edges["transferred_to"]["end"]) == ("2001-06-01", "2001-06-30")
    assert (edges["manufactures"]["start"], edges["manufactures"]["end"]) == ("1995-01-01", "1995-12-31")
    assert edges["component_of"]["start"] == "1996-01-01" and "end" not in edges["component_of"]  # open-ended
    falcon = g.nodes["system:falcon"]
    assert falcon["start"] == "1996-01-01" and "end" not in falcon
    assert g.nodes["firm:zenda-motors"]["start"] == "1995-01-01" and g.nodes["firm:zenda-motors"]["end"] == "1995-12-31"
    assert "start" not in g.nodes["state:freedonia"]  # no claims: always present
    # the deal exists over its claims' span, and so does its link to the item
    deal = g.nodes["deal:rur-faf-falcon-2001"]
    assert (deal["type"], deal["start"], deal["end"], deal["label"]) == ("Deal", "2001-06-01", "2001-06-30", "Falcon fighter")
    assert (edges["DEAL_ITEM"]["start"], edges["DEAL_ITEM"]["end"]) == ("2001-06-01", "2001-06-30")
    assert '<graph mode="dynamic" defaultedgetype="directed" timeformat="date">' in out.read_text(encoding="utf-8")


def test_gexf_undated_claim_has_no_interval_and_makes_its_nodes_permanent(tmp_path):
    out = tmp_path / "g.gexf"
    ds = hostile_dataset()
    write_gexf(ds, out)
    g = nx.read_gexf(out, version="1.3")
    deals = _deal_node_count(ds)
    assert g.number_of_edges() == len(ds.claims) + deals
    undated = [d for _, _, d in g.edges(data=True) if d["relation"] == "manufactures"][0]
    assert "start" not in undated and "end" not in undated
    assert "start" not in g.nodes["firm:avic"] and "end" not in g.nodes["firm:avic"]
    assert g.nodes["firm:roe"]["start"] == "2015-11-01"
    decade = [d for _, _, d in g.edges(data=True) if d["relation"] == "develops"][0]
    assert (decade["start"], decade["end"]) == ("1990-01-01", "2005-12-31")


def test_gexf_routes_deals_through_their_nodes(tmp_path):
    out = tmp_path / "g.gexf"
    ds = deals_dataset()
    counts = write_gexf(ds, out)
    deals = _deal_node_count(ds)
    assert counts["deals"] == deals and counts["nodes"] == len(ds.entities) + deals
    g = nx.read_gexf(out, version="1.3")
    sale = g.nodes[DEAL_SALE]
    assert (sale["type"], sale["implied"], sale["has_record"], sale["variant"], sale["deal_name"], sale["deal_notes"]) == (
        "Deal", False, True, HOSTILE[0], HOSTILE[6], ds.deals[DEAL_SALE].notes)
    assert (sale["start"], sale["end"]) == ("2015-11-01", "2018-12-31")   # its claims' span
    assert "start" not in g.nodes[DEAL_UNUSED]                            # no claim: always there
    for deal in implied_deals(ds):
        assert g.nodes[deal]["implied"] and not g.nodes[deal]["has_record"]
    for cid, claim in ds.claims.items():
        (u, v, data), = [(u, v, d) for u, v, d in g.edges(data=True) if d["id"] == cid]
        if claim.relation in ("supplies", "transferred_to", "licensed_to"):
            assert (data["subject"], data["object"], data.get("deal")) == (claim.subject, claim.object, claim.deal)
            assert g.nodes[v if claim.relation == "supplies" else u]["type"] == "Deal"
    links = [(u, v) for u, v, d in g.edges(data=True) if d["relation"] == DEAL_ITEM]
    assert len(links) == deals and {v for _, v in links} == {"system:evil"}


def test_gexf_keeps_hostile_text_in_attributes(tmp_path):
    ds = deals_dataset()
    out = tmp_path / "g.gexf"
    write_gexf(ds, out)
    g = nx.read_gexf(out, version="1.3")
    assert g.nodes["firm:avic"]["description"] == ds.entities["firm:avic"].description
    assert json.loads(g.nodes["firm:roe"]["aliases_json"]) == list(ds.entities["firm:roe"].aliases)
    assert g.nodes[DEAL_SALE]["deal_notes"] == ds.deals[DEAL_SALE].notes
    for _, _, data in g.edges(data=True):
        if data["relation"] == DEAL_ITEM:
            continue
        claim = ds.claims[data["id"]]
        assert [Citation(**c) for c in json.loads(data["citations_json"])] == list(claim.citations)
        assert data.get("notes") == claim.notes
