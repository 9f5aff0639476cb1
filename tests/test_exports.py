"""Exports: every format round-trips, reads in the tools it is for, survives hostile text, writes atomically."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import networkx as nx
import pytest

from coopgraph.graph.errors import CoopgraphError
from coopgraph.graph.model import Citation, Claim, Dataset, Deal, Document, Entity, Value
from coopgraph.graph.neo4j_model import (
    DEAL_ITEM, claim_deal, claim_from_properties, deal_from_properties, document_from_properties,
    entity_from_properties,
)
from coopgraph.graph.schema import load_schema
from coopgraph.loaders import load_files, validate_records
from coopgraph.loaders.records import RawRecord
from coopgraph.queries import export_neo4j_csv as neo
from coopgraph.queries.export_cypher import literal_rows, split_statements, write_cypher
from coopgraph.queries.export_gexf import write_gexf
from coopgraph.loaders.import_graphml import read_graphml
from coopgraph.queries.export_graphml import EDGE_KEYS, GRAPH_KEYS, NODE_KEYS, write_graphml
from coopgraph.queries.export_json import from_node_link, to_node_link, write_json
from coopgraph.queries.export_table import read_table, write_csv, write_xlsx
from coopgraph.queries.exports import EXPORTERS
from coopgraph.queries.filters import ClaimFilter
from coopgraph.queries.subgraph import select_subgraph
from tests.conftest import MINI

XSD_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "graphml-xsd"
GEXF_XSD_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "gexf-xsd"
SINGLE_FILE_FORMATS = sorted(set(EXPORTERS) - {"neo4j-csv"})

EVIL_NAME = "x'}) DETACH DELETE n //"
HOSTILE = [
    'He said "yes"; she said \'no\' | maybe',
    "back\\slash \\' \\\" \\n (literal backslash-n)",
    "<b>bold</b> & &amp; ]]> <!-- -->",
    "line one\nline two\r\nline three",
    "Рособоронэкспорт",
    "中国航空工业集团",
    EVIL_NAME,
]


def _cite(doc: str, n: int, quote: str) -> Citation:
    return Citation(doc, f"p. {n} & <{n + 1}>", quote)


def hostile_dataset() -> Dataset:
    """A schema-valid dataset whose every text field holds something a naive writer breaks on."""
    ds = Dataset()
    ds.documents["doc-1"] = Document("doc-1", 'Report "quoted" & <b>bold</b> back\\slash it\'s\nsecond line', "2020-03",
                                     author="Рособоронэкспорт", publisher="中国航空工业集团",
                                     url="https://example.org/?a=1&b=<2>", kind="report")
    ds.documents["doc-2"] = Document("doc-2", "=HYPERLINK(\"http://x\")", "2021")
    for entity in [
        Entity("state:q", "state", "O'Brien \"Q\" state", wikidata="Q42"),
        Entity("firm:roe", "firm", "Рособоронэкспорт", aliases=("Rosoboronexport", 'ROE; "Rosoboron"', "a|b^c~d"),
               country="state:q"),
        Entity("firm:avic", "firm", "中国航空工业集团", description="multi\nline\r\ndescription with a tab\tinside"),
        Entity("system:evil", "weapon_system", EVIL_NAME, aliases=("<script>&amp;", "back\\slash"),
               attributes={"note": "it's \"nested\"", "list": [1, "two"]}),
    ]:
        ds.entities[entity.id] = entity
    claims = [
        Claim("firm:roe", "supplies", "system:evil", date="2015-11", status="contracted", confidence=0.75,
              quantity=24, value=Value(2.5e9, "USD", True), key="k'1}", notes="line1\nline2 \\ end",
              citations=(_cite("doc-1", 12, HOSTILE[0]), _cite("doc-2", 3, HOSTILE[1])),
              attributes={"role": "prime\ncontractor"}),
        Claim("firm:avic", "develops", "system:evil", start="1990s", end="2005", circa=True,
              citations=(_cite("doc-1", 1, HOSTILE[2]), _cite("doc-1", 2, HOSTILE[3]))),
        Claim("firm:avic", "manufactures", "system:evil", citations=(_cite("doc-2", 7, HOSTILE[4] + " " + HOSTILE[5]),)),
        Claim("system:evil", "transferred_to", "state:q", date="2019-12-31", status="delivered",
              citations=(_cite("doc-1", 9, HOSTILE[6]),)),
    ]
    for claim in claims:
        ds.claims[claim.id] = claim
    return ds


DEAL_SALE = "deal:roe-q-evil-2015"      # declared, with variant, name and notes
DEAL_PART = "deal:avic-evil"            # declared by its claim only (the record validation makes)
DEAL_UNUSED = "deal:q-evil-unused"      # declared, no claim here
ONE_SENTENCE = "State Q sold two X to AVIC under licence in 2018."


def deals_dataset() -> Dataset:
    """The hostile dataset plus deals: what validation makes of a file with these deals and claims.

    Every kind of deal: one declared with a variant, a name and notes (hostile text)
    and claims on both sides; one only its claim declares; one with no claim; the
    two implied deals of the hostile dataset's unpaired ``supplies`` and
    ``transferred_to`` claims; and a ``supplies`` + ``licensed_to`` pair stated by one
    sentence, which is one implied deal.
    """
    ds = hostile_dataset()
    ds.deals[DEAL_SALE] = Deal(DEAL_SALE, "system:evil", "firm:roe", "state:q", variant=HOSTILE[0], name=HOSTILE[6],
                               notes=HOSTILE[3] + " " + HOSTILE[2])
    ds.deals[DEAL_PART] = Deal(DEAL_PART, "system:evil", "firm:avic")
    ds.deals[DEAL_UNUSED] = Deal(DEAL_UNUSED, "system:evil", "state:q", notes="announced; nothing since")
    sentence = (_cite("doc-2", 5, ONE_SENTENCE),)
    claims = [
        Claim("firm:roe", "supplies", "system:evil", date="2015-11", status="contracted", quantity=24, deal=DEAL_SALE,
              citations=(_cite("doc-1", 14, HOSTILE[5]),)),
        Claim("system:evil", "transferred_to", "state:q", start="2016", end="2018", status="delivered", quantity=24,
              deal=DEAL_SALE, citations=(_cite("doc-1", 15, HOSTILE[4]), _cite("doc-2", 1, HOSTILE[0]))),
        Claim("firm:avic", "supplies", "system:evil", date="2020", deal=DEAL_PART,
              citations=(_cite("doc-2", 4, "AVIC supplies X."),)),
        Claim("state:q", "supplies", "system:evil", date="2018", quantity=2, citations=sentence),
        Claim("system:evil", "licensed_to", "firm:avic", date="2018", quantity=2, citations=sentence),
    ]
    for claim in claims:
        ds.claims[claim.id] = claim
    ds.claims = dict(sorted(ds.claims.items()))
    return ds


def implied_deals(ds: Dataset) -> set[str]:
    """The implied deals of ``ds``'s claims."""
    roles = load_schema().deal_relations
    return {claim_deal(c, roles) for c in ds.claims.values() if c.deal is None and c.relation in roles}


def _dataset_of(path: Path) -> Dataset:
    return load_files([path])


def _listing(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


# --- the selection ------------------------------------------------------------------


def _records(ds: Dataset, source: str = "test") -> list[RawRecord]:
    records = [RawRecord("documents", d.to_dict(), source, None) for d in ds.documents.values()]
    records += [RawRecord("entities", e.to_dict(), source, None) for e in ds.entities.values()]
    records += [RawRecord("deals", {k: v for k, v in d.to_dict().items() if v is not None}, source, None)
                for d in ds.deals.values()]
    for c in ds.claims.values():
        rec = c.to_dict()
        rec.pop("id")
        rec["value"] = None if c.value is None else {"amount": c.value.amount, "currency": c.value.currency,
                                                     "estimate": c.value.estimate}
        records.append(RawRecord("claims", {k: v for k, v in rec.items() if v is not None}, source, None))
    return records


def test_hostile_dataset_is_schema_valid():
    ds = hostile_dataset()
    schema = load_schema()
    for claim in ds.claims.values():
        rel = schema.relation(claim.relation)
        assert rel.allows(ds.entities[claim.subject].type, ds.entities[claim.object].type)


def test_deals_dataset_is_what_validation_makes_of_it():
    ds = deals_dataset()
    valid = validate_records(_records(ds), load_schema())
    assert valid.deals == ds.deals and set(valid.claims) == set(ds.claims)   # (validation folds the quotes' spaces)
    assert all(valid.claims[cid].deal == c.deal for cid, c in ds.claims.items())
    assert len(ds.deals) == 3 and len(implied_deals(ds)) == 3   # the one-sentence pair is one implied deal


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


# --- GraphML ------------------------------------------------------------------------


def _offline_schema(path: Path):
    from lxml import etree

    if not path.exists():
        pytest.skip(f"{path.name} copy not present")

    class NoNetwork(etree.Resolver):
        def resolve(self, url, pubid, context):
            if url.startswith(("http:", "https:")):
                raise AssertionError(f"schema tried to fetch {url}")
            return None

    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(NoNetwork())
    return etree.XMLSchema(etree.parse(str(path), parser))


def test_graphml_validates_against_the_xml_schema(tmp_path):
    from lxml import etree

    schema = _offline_schema(XSD_DIR / "graphml.xsd")
    for ds in (_dataset_of(MINI), hostile_dataset(), deals_dataset()):
        out = tmp_path / "g.graphml"
        write_graphml(ds, out)
        doc = etree.parse(str(out))
        assert schema.validate(doc), schema.error_log


def test_gexf_validates_against_the_xml_schema(tmp_path):
    from lxml import etree

    schema = _offline_schema(GEXF_XSD_DIR / "gexf.xsd")
    for ds in (_dataset_of(MINI), hostile_dataset(), deals_dataset()):
        out = tmp_path / "g.gexf"
        write_gexf(ds, out)
        assert schema.validate(etree.parse(str(out))), schema.error_log


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


def _deal_node_count(ds: Dataset) -> int:
    return len(set(ds.deals) | {c.deal for c in ds.claims.values() if c.deal} | implied_deals(ds))


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


def _keyed_without_record() -> Dataset:
    """Claims naming a deal the dataset has no record of (a hand-made dataset; validation makes the record)."""
    ds = deals_dataset()
    del ds.deals[DEAL_PART]
    return ds


def test_graphml_round_trip_passes_validation_unchanged(tmp_path):
    """What ``coopgraph import graphml`` will do: read, then validate as records."""
    from coopgraph.loaders.import_graphml import read_graphml_records

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


# --- GEXF ---------------------------------------------------------------------------


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


# --- neo4j-admin CSV ----------------------------------------------------------------


def _read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        return header, [dict(zip(header, row)) for row in reader]


def _neo4j_csv_dataset(out: Path, delimiter: str) -> Dataset:
    """What ``neo4j-admin`` would load from an export, as a dataset (through the model's inverse functions)."""
    def props(row: dict[str, str]) -> tuple[dict[str, object], dict[str, str]]:
        values, special = {}, {}
        for header, text in row.items():
            name, _, kind = header.partition(":")
            if not name or kind.startswith(("ID", "START_ID", "END_ID")):
                special[kind.split("(")[0] or name] = text
                if name:
                    values[name] = text
                continue
            if text == "":
                continue  # an empty field sets no property
            values[name] = {"int": int, "long": int, "double": float, "boolean": lambda t: t == "true",
                            "string[]": lambda t: t.split(delimiter)}.get(kind, str)(text)
        return values, special

    data = Dataset()
    for row in _read_csv(out / neo.ENTITY_FILE)[1]:
        entity = entity_from_properties(props(row)[0])
        data.entities[entity.id] = entity
    for row in _read_csv(out / neo.DOCUMENT_FILE)[1]:
        doc = document_from_properties(props(row)[0])
        data.documents[doc.id] = doc
    for row in _read_csv(out / neo.DEAL_FILE)[1]:
        deal = deal_from_properties(props(row)[0])
        if deal is not None:
            data.deals[deal.id] = deal
    for name in (neo.RELATIONSHIP_FILE, neo.SUPPLIER_FILE, neo.RECIPIENT_FILE):
        for row in _read_csv(out / name)[1]:
            values, special = props(row)
            claim = claim_from_properties(special["START_ID"], special["END_ID"], values)
            assert claim.id == values["claim_id"]
            data.claims[claim.id] = claim
    data.claims = dict(sorted(data.claims.items()))
    return data


def test_neo4j_csv_headers_follow_the_import_tool_format(run, mini_store_path, tmp_path):
    out = tmp_path / "neo"
    result = run("export", "neo4j-csv", out, "--store", mini_store_path)
    assert result.exit_code == 0, result.output
    assert _listing(out) == sorted(neo.FILES)
    header, entities = _read_csv(out / "entities.csv")
    assert header[:2] == ["id:ID(Entity)", ":LABEL"] and "aliases:string[]" in header
    header, documents = _read_csv(out / "documents.csv")
    assert header[:2] == ["id:ID(Document)", ":LABEL"] and {d[":LABEL"] for d in documents} == {"Document"}
    header, deals = _read_csv(out / "deals.csv")
    assert header[:4] == ["id:ID(Deal)", ":LABEL", "implied:boolean", "has_record:boolean"]
    assert [(d["id:ID(Deal)"], d[":LABEL"], d["has_record:boolean"]) for d in deals] == [
        ("deal:rur-faf-falcon-2001", "Deal", "true")]
    header, rels = _read_csv(out / "relationships.csv")
    assert header[:3] == [":START_ID(Entity)", ":END_ID(Entity)", ":TYPE"]
    assert {"confidence:double", "year:int", "month:int", "day:int", "circa:boolean", "quantity:long",
            "documents:string[]", "locators:string[]", "quotes:string[]"} <= set(header)
    suppliers_header, suppliers = _read_csv(out / "deal_suppliers.csv")
    assert suppliers_header[:3] == [":START_ID(Entity)", ":END_ID(Deal)", ":TYPE"]
    recipients_header, recipients = _read_csv(out / "deal_recipients.csv")
    assert recipients_header[:3] == [":START_ID(Deal)", ":END_ID(Entity)", ":TYPE"]
    items_header, items = _read_csv(out / "deal_items.csv")
    assert items_header == [":START_ID(Deal)", ":END_ID(Entity)", ":TYPE"]
    assert items == [{":START_ID(Deal)": "deal:rur-faf-falcon-2001", ":END_ID(Entity)": "system:falcon",
                      ":TYPE": "DEAL_ITEM"}]
    for h in header + suppliers_header + recipients_header + list(neo.ENTITY_HEADER) + list(neo.DOCUMENT_HEADER) \
            + list(neo.DEAL_HEADER):
        name, _, kind = h.partition(":")
        assert kind in ("", "ID(Entity)", "ID(Document)", "ID(Deal)", "LABEL", "START_ID(Entity)", "END_ID(Entity)",
                        "START_ID(Deal)", "END_ID(Deal)", "TYPE", "int", "long", "double", "boolean", "string[]"), h
    schema = load_schema()
    ds = _dataset_of(MINI)
    assert {e["id:ID(Entity)"]: e[":LABEL"] for e in entities} == {
        e.id: "Entity;" + schema.label(e.type) for e in ds.entities.values()}
    claims = rels + suppliers + recipients
    assert {r["claim_id"]: r[":TYPE"] for r in claims} == {cid: schema.rel_type(c.relation) for cid, c in ds.claims.items()}
    falcon = [r for r in recipients if r["relation"] == "transferred_to"][0]
    assert (falcon[":START_ID(Deal)"], falcon[":END_ID(Entity)"]) == ("deal:rur-faf-falcon-2001",
                                                                       "service:freedonian-air-force")
    assert (falcon["subject"], falcon["object"], falcon["deal"]) == ("system:falcon", "service:freedonian-air-force",
                                                                     "deal:rur-faf-falcon-2001")
    assert (falcon["year:int"], falcon["month:int"], falcon["day:int"], falcon["quantity:long"]) == ("2001", "6", "", "12")
    assert falcon["circa:boolean"] == "false" and falcon["value_estimate:boolean"] == "true"
    assert [(r[":START_ID(Entity)"], r[":END_ID(Deal)"]) for r in suppliers] == [("state:ruritania",
                                                                                  "deal:rur-faf-falcon-2001")]
    # the exact command, on standard output
    command = result.stdout.strip().splitlines()[-1]
    assert command == f"neo4j-admin database import full --nodes={out}/entities.csv --nodes={out}/documents.csv " \
                      f"--nodes={out}/deals.csv --relationships={out}/relationships.csv " \
                      f"--relationships={out}/deal_suppliers.csv --relationships={out}/deal_recipients.csv " \
                      f"--relationships={out}/deal_items.csv neo4j"
    assert "--relationships=deal_items.csv neo4j" in (out / "import.sh").read_text()
    assert _neo4j_csv_dataset(out, ";") == ds


def test_neo4j_csv_picks_a_free_array_delimiter_and_says_so(tmp_path):
    ds = hostile_dataset()  # aliases hold ; | ^ ~, so only U+001F is free
    result = neo.write_neo4j_csv(ds, tmp_path / "neo")
    assert "--array-delimiter=U+001F" in result["command"] and "--multiline-fields=true" in result["command"]
    assert neo.choose_array_delimiter(["a", "b"]) == ";"


def test_neo4j_csv_round_trips_hostile_text(tmp_path):
    ds = hostile_dataset()
    out = tmp_path / "neo"
    result = neo.write_neo4j_csv(ds, out)
    delim = "\x1f" if "U+001F" in result["command"] else ";"
    _, entities = _read_csv(out / "entities.csv")
    for row in entities:
        entity = ds.entities[row["id:ID(Entity)"]]
        assert row["name"] == entity.name
        assert (row["aliases:string[]"].split(delim) if row["aliases:string[]"] else []) == list(entity.aliases)
        assert (row["description"] or None) == entity.description
        assert json.loads(row["attributes"] or "{}") == entity.attributes
    _, documents = _read_csv(out / "documents.csv")
    assert {d["id:ID(Document)"]: d["title"] for d in documents} == {d.id: d.title for d in ds.documents.values()}
    rels = [row for name in ("relationships.csv", "deal_suppliers.csv", "deal_recipients.csv")
            for row in _read_csv(out / name)[1]]
    assert len(rels) == len(ds.claims)
    for row in rels:
        claim = ds.claims[row["claim_id"]]
        assert (row.get("subject") or row[":START_ID(Entity)"], row.get("object") or row[":END_ID(Entity)"]) == (
            claim.subject, claim.object)
        quotes = row["quotes:string[]"].split(delim)
        assert quotes == [c.quote for c in claim.citations]
        assert row["locators:string[]"].split(delim) == [c.locator for c in claim.citations]
        assert [Citation(**c) for c in json.loads(row["citations"])] == list(claim.citations)
        assert (row["notes"] or None) == claim.notes and (row["key"] or None) == claim.key
        assert float(row["confidence:double"]) == claim.confidence
    assert _neo4j_csv_dataset(out, delim) == ds


def test_neo4j_csv_carries_every_deal(tmp_path):
    for ds in (deals_dataset(), _keyed_without_record()):
        out = tmp_path / "neo"
        result = neo.write_neo4j_csv(ds, out)
        delim = "\x1f" if "U+001F" in result["command"] else ";"
        deals = _deal_node_count(ds)
        assert (result["deals"], result["deal_items"], result["relationships"]) == (deals, deals, len(ds.claims))
        assert _neo4j_csv_dataset(out, delim) == ds
        _, rows = _read_csv(out / "deals.csv")
        implied = {r["id:ID(Deal)"] for r in rows if r["implied:boolean"] == "true"}
        assert implied == implied_deals(ds)
        assert all(r["has_record:boolean"] == "false" and r["item"] == "system:evil" for r in rows
                   if r["id:ID(Deal)"] in implied)
        sale = [r for r in rows if r["id:ID(Deal)"] == DEAL_SALE][0]
        assert (sale["variant"], sale["name"], sale["notes"], sale["label"]) == (
            HOSTILE[0], HOSTILE[6], ds.deals[DEAL_SALE].notes, HOSTILE[6])


def test_neo4j_csv_refuses_a_directory_with_other_files(run, mini_store_path, tmp_path):
    out = tmp_path / "busy"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    result = run("export", "neo4j-csv", out, "--store", mini_store_path)
    assert result.exit_code == 1 and "holds other files" in result.output
    assert _listing(out) == ["keep.txt"]
    assert _listing(tmp_path) == ["busy", "mini.sqlite"]


def test_neo4j_csv_replaces_an_earlier_export(run, mini_store_path, tmp_path):
    out = tmp_path / "neo"
    assert run("export", "neo4j-csv", out, "--store", mini_store_path).exit_code == 0
    assert run("export", "neo4j-csv", out, "--store", mini_store_path, "--type", "state").exit_code == 0
    _, rels = _read_csv(out / "relationships.csv")
    assert rels == []
    assert _listing(tmp_path) == ["mini.sqlite", "neo"]


# --- Cypher -------------------------------------------------------------------------


def _cypher_graph(script: str) -> tuple[dict[str, dict], dict[str, dict], dict[str, dict], dict[str, set[str]]]:
    """Replay the UNWIND rows of a script: documents, entities (with labels), relationships (with types)."""
    documents, entities, rels, labels = {}, {}, {}, {}
    for statement in split_statements(script):
        rows = literal_rows(statement)
        if "MERGE (d:Document" in statement:
            documents.update({r["id"]: r for r in rows})
        elif "MERGE (n:Entity" in statement:
            label = statement.rsplit("n:", 1)[1].rstrip(";")
            for r in rows:
                entities[r["id"]] = r
                labels[r["id"]] = {"Entity", label}
        elif "MERGE (s)-[r:" in statement:
            rel_type = statement.split("MERGE (s)-[r:", 1)[1].split(" ", 1)[0]
            ends = tuple(statement.split(f"MATCH ({v}:", 1)[1].split(" ", 1)[0] for v in "so")
            for r in rows:
                rels[r["props"]["claim_id"]] = {**r, "type": rel_type, "labels": ends}
    return documents, entities, rels, labels


def _cypher_deals(script: str) -> tuple[dict[str, dict], list[tuple[str, str]], list[str]]:
    """The deal nodes (by id), the DEAL_ITEM links and the statements that made them."""
    deals, links, statements = {}, [], []
    for statement in split_statements(script):
        if "MERGE (d:Deal" in statement:
            deals.update({r["id"]: r for r in literal_rows(statement)})
            statements.append(statement)
        elif "MERGE (d)-[:DEAL_ITEM]->(i)" in statement:
            links += [(r["d"], r["i"]) for r in literal_rows(statement)]
            statements.append(statement)
    return deals, links, statements


def _cypher_dataset(script: str) -> Dataset:
    """What running the script builds, read back through the model's inverse functions."""
    documents, entities, rels, _ = _cypher_graph(script)
    deals, _, _ = _cypher_deals(script)
    data = Dataset(documents={k: document_from_properties(v) for k, v in documents.items()},
                   entities={k: entity_from_properties(v) for k, v in entities.items()})
    data.deals = {k: deal_from_properties(v) for k, v in deals.items() if deal_from_properties(v)}
    for cid, rel in rels.items():
        claim = claim_from_properties(rel["s"], rel["o"], rel["props"])
        assert claim.id == cid
        data.claims[cid] = claim
    data.claims = dict(sorted(data.claims.items()))
    return data


def test_cypher_script_recreates_the_graph(tmp_path):
    schema = load_schema()
    roles = schema.deal_relations
    for ds in (_dataset_of(MINI), hostile_dataset(), deals_dataset()):
        out = tmp_path / "g.cypher"
        counts = write_cypher(ds, out)
        script = out.read_text(encoding="utf-8")
        statements = split_statements(script)
        assert len(statements) == counts["statements"]
        assert all(s.startswith(("CREATE CONSTRAINT", "UNWIND [")) and s.endswith(";") for s in statements)
        assert "$" not in "".join(s for s in statements if not s.startswith("UNWIND"))  # no parameters
        documents, entities, rels, labels = _cypher_graph(script)
        assert {k: {**v} for k, v in documents.items()} == {
            d.id: {k: v for k, v in d.to_dict().items() if v is not None} for d in ds.documents.values()}
        for entity in ds.entities.values():
            node = entities[entity.id]
            assert labels[entity.id] == {"Entity", schema.label(entity.type)}
            assert node["name"] == entity.name and node.get("aliases", []) == list(entity.aliases)
            assert node.get("description") == entity.description
            assert None not in node.values()
        for cid, claim in ds.claims.items():
            rel = rels[cid]
            deal = claim_deal(claim, roles)
            if deal is None:
                assert (rel["s"], rel["o"], rel["labels"]) == (claim.subject, claim.object, ("Entity", "Entity"))
            elif roles[claim.relation] == "supplier":
                assert (rel["s"], rel["o"], rel["labels"]) == (claim.subject, deal, ("Entity", "Deal"))
            else:
                assert (rel["s"], rel["o"], rel["labels"]) == (deal, claim.object, ("Deal", "Entity"))
            assert rel["type"] == schema.rel_type(claim.relation)
            props = rel["props"]
            assert props["quotes"] == [c.quote for c in claim.citations]
            assert props["documents"] == [c.document for c in claim.citations]
            assert [Citation(**c) for c in json.loads(props["citations"])] == list(claim.citations)
            assert props.get("notes") == claim.notes and props["confidence"] == claim.confidence
            assert props.get("deal") == claim.deal
            assert None not in props.values()
        assert _cypher_dataset(script) == ds


def test_cypher_script_makes_a_node_of_every_deal(tmp_path):
    ds = deals_dataset()
    out = tmp_path / "g.cypher"
    counts = write_cypher(ds, out)
    deals, links, statements = _cypher_deals(out.read_text(encoding="utf-8"))
    assert set(deals) == set(ds.deals) | implied_deals(ds)
    assert counts["nodes"] == len(ds.entities) + len(ds.documents) + len(deals)
    assert counts["relationships"] == len(ds.claims) + len(links)
    assert sorted(links) == sorted((d, "system:evil") for d in deals)
    assert {d for d, node in deals.items() if node["implied"]} == implied_deals(ds)
    assert all(deals[d]["has_record"] == (d in ds.deals) for d in deals)
    # a record is set on every run; an implied node only when created, so it never overwrites a record
    recorded, implied = [s for s in statements if "MERGE (d:Deal" in s]
    assert recorded.endswith("SET d = row;") and implied.endswith("ON CREATE SET d = row;")
    assert "CREATE CONSTRAINT coopgraph_deal_id IF NOT EXISTS FOR (d:Deal) REQUIRE d.id IS UNIQUE;" in out.read_text()


def test_cypher_hostile_name_stays_inside_its_string(tmp_path):
    out = tmp_path / "g.cypher"
    write_cypher(deals_dataset(), out)
    script = out.read_text(encoding="utf-8")
    for statement in split_statements(script):
        outside = _outside_strings(statement)
        assert "DETACH" not in outside and "DELETE" not in outside and "//" not in outside
    assert "Рособоронэкспорт" in script and "中国航空工业集团" in script  # written as they are
    assert not any(ch in script for ch in "\r\t")  # control characters escaped


def _outside_strings(statement: str) -> str:
    out, quote, i = [], None, 0
    while i < len(statement):
        ch = statement[i]
        if quote:
            if ch == "\\":
                i += 2
                continue
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        else:
            out.append(ch)
        i += 1
    return "".join(out)


def test_cypher_statements_pass_the_neo4j_grammar(tmp_path):
    """The script of a hostile dataset, statement by statement, through Neo4j's own parser."""
    from tests.test_cypher_lint import errors_of, lint

    out = tmp_path / "g.cypher"
    write_cypher(deals_dataset(), out)
    statements = {f"statement {i}": st.rstrip(";") for i, st in enumerate(split_statements(out.read_text()))}
    assert errors_of(lint(statements)) == {}


# --- CSV / xlsx ---------------------------------------------------------------------


def test_csv_has_one_row_per_claim_and_citation_and_round_trips_claims(tmp_path):
    pd = pytest.importorskip("pandas")
    ds = hostile_dataset()
    out = tmp_path / "claims.csv"
    counts = write_csv(ds, out)
    assert counts == {"rows": sum(len(c.citations) for c in ds.claims.values()), "claims": len(ds.claims)}
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert len(frame) == counts["rows"]
    assert set(frame["quote"]) == {c.quote for claim in ds.claims.values() for c in claim.citations}
    assert read_table(out).claims == ds.claims


def test_csv_names_each_claims_deal_and_gives_back_the_deal_records(tmp_path):
    pd = pytest.importorskip("pandas")
    ds = deals_dataset()
    out = tmp_path / "claims.csv"
    write_csv(ds, out)
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    roles = load_schema().deal_relations
    by_claim = frame.drop_duplicates("claim_id").set_index("claim_id")
    for cid, claim in ds.claims.items():
        row = by_claim.loc[cid]
        expected = claim.deal or claim_deal(claim, roles) or ""
        assert (row["deal"], row["deal_implied"]) == (expected, "" if not expected else str(claim.deal is None).lower())
    sale = by_claim[by_claim["deal"] == DEAL_SALE].iloc[0]
    assert (sale["deal_variant"], sale["deal_name"], sale["deal_notes"]) == (HOSTILE[0], HOSTILE[6], ds.deals[DEAL_SALE].notes)
    # the one-sentence pair shares its implied deal, so a pivot on `deal` groups it
    pair = by_claim[by_claim["subject"].eq("state:q") | by_claim["object"].eq("firm:avic")]
    assert pair["deal"].nunique() == 1 and pair["deal"].iloc[0].startswith("deal:auto-")
    back = read_table(out)
    assert back.claims == ds.claims
    assert back.deals == {k: v for k, v in ds.deals.items() if k != DEAL_UNUSED}   # a deal with no claim has no row


def test_xlsx_has_four_sheets_and_round_trips(tmp_path):
    from openpyxl import load_workbook

    for ds in (hostile_dataset(), deals_dataset(), _keyed_without_record()):
        out = tmp_path / "g.xlsx"
        counts = write_xlsx(ds, out)
        assert counts["deals"] == len(ds.deals)
        book = load_workbook(out)
        assert book.sheetnames == ["claims", "entities", "documents", "deals"]
        titles = [row[1] for row in book["documents"].iter_rows(min_row=2, values_only=True)]
        assert '=HYPERLINK("http://x")' in titles  # text, not a formula
        assert all(cell.data_type != "f" for row in book["documents"].iter_rows() for cell in row)
        assert read_table(out) == ds


def test_xlsx_from_before_deals_still_reads(tmp_path):
    from openpyxl import load_workbook

    ds = hostile_dataset()
    out = tmp_path / "g.xlsx"
    write_xlsx(ds, out)
    book = load_workbook(out)
    del book["deals"]
    book.save(out)
    assert read_table(out) == ds


# --- JSON ---------------------------------------------------------------------------


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


# --- every format -------------------------------------------------------------------


@pytest.mark.parametrize("fmt", sorted(EXPORTERS))
def test_every_format_exports_the_mini_store_from_the_cli(run, mini_store_path, tmp_path, fmt):
    out = tmp_path / f"out.{fmt}"
    result = run("export", fmt, out, "--store", mini_store_path)
    assert result.exit_code == 0, result.output
    assert out.exists() and (out.is_dir() or out.stat().st_size > 0)
    assert f"wrote {out}:" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


@pytest.mark.parametrize("fmt", sorted(EXPORTERS))
def test_hostile_text_survives_every_format(tmp_path, fmt):
    ds = hostile_dataset()
    out = tmp_path / f"out.{fmt}"
    EXPORTERS[fmt](ds, out)
    files = sorted(out.iterdir()) if out.is_dir() else [out]
    if fmt == "xlsx":
        from openpyxl import load_workbook

        book = load_workbook(out, read_only=True)
        text = "\n".join(str(v) for ws in book for row in ws.iter_rows(values_only=True) for v in row if v is not None)
    else:
        text = "".join(f.read_text(encoding="utf-8") for f in files)
    # the non-Latin names appear as they are in every format
    for name in ("Рособоронэкспорт", "中国航空工业集团"):
        assert name in text, fmt
    # and each format reads back to the same names
    readers = {
        "graphml": lambda: {e.name for e in read_graphml(out).entities.values()},
        "gexf": lambda: {d["label"] for _, d in nx.read_gexf(out, version="1.3").nodes(data=True) if d["type"] != "Deal"},
        "json": lambda: {n["name"] for n in json.loads(out.read_text(encoding="utf-8"))["nodes"] if n["type"] != "Deal"},
        "neo4j-csv": lambda: {r["name"] for r in _read_csv(out / "entities.csv")[1]},
        "cypher": lambda: {e["name"] for e in _cypher_graph(out.read_text(encoding="utf-8"))[1].values()},
        "csv": lambda: {e.name for e in read_table(out).entities.values()},
        "xlsx": lambda: {e.name for e in read_table(out).entities.values()},
    }
    names = {e.name for e in ds.entities.values()}
    if fmt == "csv":  # the claims table names only the entities that have claims
        names = {ds.entities[i].name for c in ds.claims.values() for i in (c.subject, c.object)}
    assert readers[fmt]() == names


@pytest.mark.parametrize("fmt", sorted(EXPORTERS))
def test_every_format_keeps_the_deals(tmp_path, fmt):
    """Each claim's deal and each deal record survive; a reader gives implied deals back as none."""
    ds = deals_dataset()
    out = tmp_path / ("neo" if fmt == "neo4j-csv" else f"out.{fmt}")
    result = EXPORTERS[fmt](ds, out)
    readers = {
        "graphml": lambda: read_graphml(out),
        "json": lambda: from_node_link(json.loads(out.read_text(encoding="utf-8"))),
        "neo4j-csv": lambda: _neo4j_csv_dataset(out, "\x1f" if "U+001F" in result["command"] else ";"),
        "cypher": lambda: _cypher_dataset(out.read_text(encoding="utf-8")),
        "csv": lambda: read_table(out),
        "xlsx": lambda: read_table(out),
    }
    if fmt == "gexf":  # no reader: the deal nodes and each claim's deal are there
        g = nx.read_gexf(out, version="1.3")
        assert {n for n, t in g.nodes(data="type") if t == "Deal"} == set(ds.deals) | implied_deals(ds)
        assert {d["id"]: d.get("deal") for _, _, d in g.edges(data=True) if d["relation"] != DEAL_ITEM} == {
            cid: c.deal for cid, c in ds.claims.items()}
        return
    back = readers[fmt]()
    assert {cid: c.deal for cid, c in back.claims.items()} == {cid: c.deal for cid, c in ds.claims.items()}
    assert back.claims == ds.claims
    expected = {k: v for k, v in ds.deals.items() if fmt != "csv" or k != DEAL_UNUSED}   # csv: deals with claims
    assert back.deals == expected
    assert not set(back.deals) & implied_deals(ds)


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


# --- atomic writes ------------------------------------------------------------------


def _broken_dataset() -> Dataset:
    """Valid up to the last claim, which holds what no writer can carry.

    A bell character (XML and spreadsheets refuse it), an infinite amount (Cypher
    has no literal for it) and an attribute JSON cannot encode.
    """
    from dataclasses import replace

    ds = hostile_dataset()
    last = sorted(ds.claims)[-1]
    ds.claims[last] = replace(ds.claims[last], notes="bell \x07 inside", value=Value(float("inf"), "USD"),
                              attributes={"unencodable": object()})
    return ds


def _break_writers(monkeypatch) -> None:
    """CSV carries any text, and neo4j-csv has no JSON step first: make them fail after some rows."""
    import coopgraph.queries.export_table as table

    real_rows = table.claim_rows

    def exploding_rows(data, progress=None):
        yield from list(real_rows(data))[:1]
        raise CoopgraphError("disk full")

    def exploding_relationship(claim, schema, delimiter):
        raise CoopgraphError("disk full")

    monkeypatch.setattr(table, "claim_rows", exploding_rows)
    monkeypatch.setattr(neo, "relationship_row", exploding_relationship)


@pytest.mark.parametrize("fmt", sorted(EXPORTERS))
def test_an_error_mid_write_leaves_no_file_and_no_temp_file(tmp_path, fmt, monkeypatch):
    _break_writers(monkeypatch)
    out = tmp_path / "sub" / f"out.{fmt}"
    with pytest.raises((CoopgraphError, TypeError)):
        EXPORTERS[fmt](_broken_dataset(), out)
    assert not out.exists()
    assert _listing(out.parent) == []


@pytest.mark.parametrize("fmt", sorted(EXPORTERS))
def test_an_error_keeps_the_earlier_export(tmp_path, fmt, monkeypatch):
    out = tmp_path / f"out.{fmt}"
    EXPORTERS[fmt](_dataset_of(MINI), out)
    before = {p.name: p.read_bytes() for p in out.iterdir()} if out.is_dir() else out.read_bytes()
    _break_writers(monkeypatch)
    with pytest.raises((CoopgraphError, TypeError)):
        EXPORTERS[fmt](_broken_dataset(), out)
    after = {p.name: p.read_bytes() for p in out.iterdir()} if out.is_dir() else out.read_bytes()
    assert after == before
    assert _listing(tmp_path) == [out.name]


def test_cli_error_exits_1_and_writes_nothing(run, mini_store_path, tmp_path):
    out = tmp_path / "x.graphml"
    result = run("export", "graphml", out, "--store", mini_store_path, "--around", "Eurofighter")
    assert result.exit_code == 1 and "no entity matches 'Eurofighter'" in result.output
    assert not out.exists()


# --- the CLI selection options ------------------------------------------------------


def _graphml_counts(run, store, out, *options) -> tuple[int, int]:
    """Entities and claims in a GraphML export (deal nodes and DEAL_ITEM links aside)."""
    result = run("export", "graphml", out, "--store", store, *options)
    assert result.exit_code == 0, result.output
    g = nx.read_graphml(out)
    return (sum(t != "Deal" for _, t in g.nodes(data="type")),
            sum(r != DEAL_ITEM for _, _, r in g.edges(data="relation")))


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


def test_cli_selection_applies_to_json_too(run, mini_store_path, tmp_path):
    out = tmp_path / "g.json"
    assert run("export", "json", out, "--store", mini_store_path, "--around", "Hawk").exit_code == 0
    doc = json.loads(out.read_text())
    assert {n["id"] for n in doc["nodes"]} == {"system:hawk", "system:falcon"}
    assert [e["type"] for e in doc["edges"]] == ["copy_of"]


def test_cli_usage_errors(run, mini_store_path, tmp_path):
    assert run("export", "graphml", tmp_path / "g", "--store", mini_store_path, "--depth", "2").exit_code == 2
    assert run("export", "graphml", tmp_path / "g", "--store", mini_store_path, "--chains-from", "ZM").exit_code == 2
    assert run("export", "graphml", tmp_path, "--store", mini_store_path).exit_code == 2
    assert run("export", "graphml", tmp_path / "g", "--store", mini_store_path, "--type", "frim").exit_code == 2
    assert run("export", "dot", tmp_path / "g", "--store", mini_store_path).exit_code == 2


def test_cli_standard_output(run, mini_store_path):
    result = run("export", "graphml", "-", "--store", mini_store_path)
    assert result.exit_code == 0 and result.stdout.startswith("<?xml") and "</graphml>" in result.stdout
    assert run("export", "cypher", "-", "--store", mini_store_path).stdout.startswith("// coopgraph")
    for fmt in ("xlsx", "neo4j-csv"):
        result = run("export", fmt, "-", "--store", mini_store_path)
        assert result.exit_code == 1 and ("standard output" in result.output or "not '-'" in result.output)


@pytest.mark.parametrize("fmt", sorted(EXPORTERS))
def test_every_writer_reports_its_progress_through_the_claims(tmp_path, fmt):
    data = load_files([MINI])
    seen = []
    target = tmp_path / ("out" if fmt == "neo4j-csv" else f"out.{fmt}")
    EXPORTERS[fmt](data, target, progress=lambda done, total, what: seen.append((done, total, what)))
    assert seen and seen[-1] == (len(data.claims), len(data.claims), "claims")


def test_export_on_the_cli_is_quiet_when_asked(run, mini_store_path, tmp_path):
    result = run("export", "graphml", tmp_path / "g.graphml", "--quiet", "--store", mini_store_path)
    assert result.exit_code == 0, result.output
    assert "exporting" not in result.output and (tmp_path / "g.graphml").exists()
