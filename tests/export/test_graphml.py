"""GraphML, both ways: schema-valid, read by networkx and igraph, deals as nodes, lossless."""

from __future__ import annotations

from tests.export.common import (  # shared data and helpers
    nx, pytest, CoopgraphError, DEAL_ITEM, claim_deal, load_schema, validate_records, read_graphml, EDGE_KEYS, GRAPH_KEYS, NODE_KEYS, write_graphml, MINI, XSD_DIR, EVIL_NAME, HOSTILE, hostile_dataset, DEAL_SALE, DEAL_PART, DEAL_UNUSED, deals_dataset, _dataset_of, _records, _offline_schema, _deal_node_count, _keyed_without_record,
)


def test_graphml_validates_against_the_xml_schema(tmp_path):
    from lxml import etree

    schema = _offline_schema(XSD_DIR / "graphml.xsd")
    for ds in (_dataset_of(MINI), hostile_dataset(), deals_dataset()):
        out = tmp_path / "g.graphml"
        write_graphml(ds, out)
        doc = etree.parse(str(out))
        assert schema.validate(doc), schema.error_log


def test_graphml_keys_have_one_type_and_no_none(tmp_path):
    from lxml import etree

    out = tmp_path / "g.graphml"
    write_graphml(deals_dataset(), out)
    root = etree.parse(str(out)).getroot()
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    keys = root.findall("g:key", ns)
    declared = {(k.get("for"), k.get("attr.name")): k.get("attr.type") for k in keys}
    assert len(declared) == len(keys) == len(NODE_KEYS + EDGE_KEYS + GRAPH_KEYS)
    assert all(k.find("g:desc", ns) is not None for k in keys)
    ids = {k.get("id") for k in keys}
    data = root.findall(".//g:data", ns)
    assert data and all(d.get("key") in ids for d in data)
    assert not [d for d in data if (d.text or "") in ("None", "null", "nan")]
    names = {name for _, name in declared}
    assert {"type", "name", "aliases_json", "relation", "date", "start", "end", "status", "confidence",
            "citations_json", "documents_json", "implied", "has_record", "item", "subject", "object", "deal"} <= names


def test_graphml_reads_in_networkx_and_igraph_with_equal_counts(tmp_path):
    igraph = pytest.importorskip("igraph")
    for ds in (_dataset_of(MINI), hostile_dataset(), deals_dataset()):
        out = tmp_path / "g.graphml"
        counts = write_graphml(ds, out)
        deals = _deal_node_count(ds)
        nodes, edges = len(ds.entities) + deals, len(ds.claims) + deals   # one DEAL_ITEM edge a deal
        assert counts == {"nodes": nodes, "edges": edges, "documents": len(ds.documents), "deals": deals}
        g = nx.read_graphml(out)
        assert (g.number_of_nodes(), g.number_of_edges()) == (nodes, edges)
        ig = igraph.Graph.Read_GraphML(str(out))
        assert (ig.vcount(), ig.ecount()) == (nodes, edges)
        assert ig.is_directed()
        entity_names = {v["name"] for v in ig.vs if v["type"] != "Deal"}
        assert entity_names == {e.name for e in ds.entities.values()}
        assert sum(v["type"] == "Deal" for v in ig.vs) == deals


def test_graphml_routes_each_deal_through_its_node(tmp_path):
    ds = deals_dataset()
    out = tmp_path / "g.graphml"
    write_graphml(ds, out)
    g = nx.read_graphml(out)
    roles = load_schema().deal_relations
    for cid, claim in ds.claims.items():
        (u, v), = [(u, v) for u, v, k in g.edges(keys=True) if k == cid]
        data = g.edges[u, v, cid]
        if claim.relation not in roles:
            assert (u, v) == (claim.subject, claim.object) and "subject" not in data
            continue
        deal = claim.deal or claim_deal(claim, roles)
        assert (u, v) == ((claim.subject, deal) if roles[claim.relation] == "supplier" else (deal, claim.object))
        assert (data["subject"], data["object"], data.get("deal")) == (claim.subject, claim.object, claim.deal)
        assert g.nodes[deal]["type"] == "Deal" and g.nodes[deal]["implied"] == (claim.deal is None)
        assert [t for _, t, k in g.out_edges(deal, keys=True) if g.edges[deal, t, k]["relation"] == DEAL_ITEM] == [
            "system:evil"]
    # a supplier never reaches the item itself: only through a deal
    assert not g.has_edge("firm:roe", "system:evil")
    sale = g.nodes[DEAL_SALE]
    assert (sale["has_record"], sale["implied"], sale["variant"], sale["name"], sale["notes"]) == (
        True, False, HOSTILE[0], HOSTILE[6], ds.deals[DEAL_SALE].notes)
    assert sale["label"] == HOSTILE[6] and g.nodes[DEAL_PART]["label"] == EVIL_NAME   # a name, else the item's
    assert g.nodes[DEAL_UNUSED]["has_record"] and g.degree(DEAL_UNUSED) == 1   # only its item
    one = {v for u, v in g.edges() if u == "state:q" and g.nodes[v]["type"] == "Deal"}
    assert len(one) == 1 and g.has_edge(one.pop(), "firm:avic")            # the one-sentence sale: one implied deal


def test_graphml_round_trips_losslessly(tmp_path):
    for ds in (_dataset_of(MINI), hostile_dataset(), deals_dataset(), _keyed_without_record()):
        out = tmp_path / "g.graphml"
        write_graphml(ds, out)
        assert read_graphml(out) == ds


def test_graphml_round_trip_passes_validation_unchanged(tmp_path):
    """What ``coopgraph import graphml`` will do: read, then validate as records."""
    from coopgraph.loaders.importers.graphml import read_graphml_records

    ds = _dataset_of(MINI)
    assert ds.deals  # the fixture names a deal
    out = tmp_path / "g.graphml"
    write_graphml(ds, out)
    back = read_graphml(out)
    assert validate_records(_records(back, str(out)), load_schema()) == ds
    full = deals_dataset()
    write_graphml(full, out)
    records, _ = read_graphml_records(out)
    valid = validate_records(records, load_schema())
    assert valid.deals == full.deals and {c: v.deal for c, v in valid.claims.items()} == {
        c: v.deal for c, v in full.claims.items()}


def test_graphml_reader_rejects_a_tampered_edge(tmp_path):
    out = tmp_path / "g.graphml"
    write_graphml(_dataset_of(MINI), out)
    text = out.read_text(encoding="utf-8").replace('<data key="e_date">1995</data>', '<data key="e_date">1996</data>')
    out.write_text(text, encoding="utf-8")
    with pytest.raises(CoopgraphError, match="does not match its content"):
        read_graphml(out)
