"""Exports: every format round-trips, reads in the tools it is for, survives hostile text, writes atomically."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import networkx as nx
import pytest

from coopgraph.graph.errors import CoopgraphError
from coopgraph.graph.model import Citation, Claim, Dataset, Document, Entity, Value
from coopgraph.graph.schema import load_schema
from coopgraph.loaders import load_files, validate_records
from coopgraph.loaders.records import RawRecord
from coopgraph.queries import export_neo4j_csv as neo
from coopgraph.queries.export_cypher import literal_rows, split_statements, write_cypher
from coopgraph.queries.export_gexf import write_gexf
from coopgraph.loaders.import_graphml import read_graphml
from coopgraph.queries.export_graphml import EDGE_KEYS, GRAPH_KEYS, NODE_KEYS, write_graphml
from coopgraph.queries.export_json import write_json
from coopgraph.queries.export_table import read_table, write_csv, write_xlsx
from coopgraph.queries.exports import EXPORTERS
from coopgraph.queries.filters import ClaimFilter
from coopgraph.queries.subgraph import select_subgraph
from tests.conftest import MINI

XSD_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "graphml-xsd"
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


def _dataset_of(path: Path) -> Dataset:
    return load_files([path])


def _listing(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


# --- the selection ------------------------------------------------------------------


def test_hostile_dataset_is_schema_valid():
    ds = hostile_dataset()
    schema = load_schema()
    for claim in ds.claims.values():
        rel = schema.relation(claim.relation)
        assert rel.allows(ds.entities[claim.subject].type, ds.entities[claim.object].type)


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
    assert {c.relation for c in late.claims.values()} == {"transferred_to", "copy_of"}


def test_as_of_before_the_only_document_leaves_nothing():
    ds = _dataset_of(MINI)
    assert select_subgraph(ds, claim_filter=ClaimFilter(as_of="2020")).counts() == {"documents": 0, "entities": 0, "claims": 0}


def test_around_grows_with_depth():
    ds = _dataset_of(MINI)
    one = select_subgraph(ds, around="ZM-9", depth=1)
    assert set(one.entities) == {"firm:zenda-motors", "tech:zm-9-engine", "system:falcon"}
    two = select_subgraph(ds, around="ZM-9", depth=2)
    assert set(two.entities) == set(one.entities) | {"system:hawk", "service:freedonian-air-force"}
    assert all(c.subject in two.entities and c.object in two.entities for c in two.claims.values())


def test_chains_selection_keeps_the_chain_only():
    ds = _dataset_of(MINI)
    chain = select_subgraph(ds, chains_from="Zenda Motors", chains_to="Freedonian Air Force")
    assert set(chain.entities) == {"firm:zenda-motors", "tech:zm-9-engine", "system:falcon", "service:freedonian-air-force"}
    assert {c.relation for c in chain.claims.values()} == {"manufactures", "component_of", "transferred_to"}


# --- GraphML ------------------------------------------------------------------------


def test_graphml_validates_against_the_xml_schema(tmp_path):
    if not (XSD_DIR / "graphml.xsd").exists():
        pytest.skip("GraphML XSD copy not present")
    from lxml import etree

    class NoNetwork(etree.Resolver):
        def resolve(self, url, pubid, context):
            if url.startswith(("http:", "https:")):
                raise AssertionError(f"schema tried to fetch {url}")
            return None

    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(NoNetwork())
    schema = etree.XMLSchema(etree.parse(str(XSD_DIR / "graphml.xsd"), parser))
    for ds in (_dataset_of(MINI), hostile_dataset()):
        out = tmp_path / "g.graphml"
        write_graphml(ds, out)
        doc = etree.parse(str(out))
        assert schema.validate(doc), schema.error_log


def test_graphml_keys_have_one_type_and_no_none(tmp_path):
    from lxml import etree

    out = tmp_path / "g.graphml"
    write_graphml(hostile_dataset(), out)
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
            "citations_json", "documents_json"} <= names


def test_graphml_reads_in_networkx_and_igraph_with_equal_counts(tmp_path):
    igraph = pytest.importorskip("igraph")
    for ds in (_dataset_of(MINI), hostile_dataset()):
        out = tmp_path / "g.graphml"
        counts = write_graphml(ds, out)
        g = nx.read_graphml(out)
        assert (g.number_of_nodes(), g.number_of_edges()) == (len(ds.entities), len(ds.claims))
        ig = igraph.Graph.Read_GraphML(str(out))
        assert (ig.vcount(), ig.ecount()) == (len(ds.entities), len(ds.claims)) == (counts["nodes"], counts["edges"])
        assert ig.is_directed()
        names = set(ig.vs["name"])
        assert names == {e.name for e in ds.entities.values()}


def test_graphml_round_trips_losslessly(tmp_path):
    for ds in (_dataset_of(MINI), hostile_dataset()):
        out = tmp_path / "g.graphml"
        write_graphml(ds, out)
        assert read_graphml(out) == ds


def test_graphml_round_trip_passes_validation_unchanged(tmp_path):
    """What ``coopgraph import graphml`` will do: read, then validate as records."""
    ds = _dataset_of(MINI)
    out = tmp_path / "g.graphml"
    write_graphml(ds, out)
    back = read_graphml(out)
    records = [RawRecord("documents", d.to_dict(), str(out), None) for d in back.documents.values()]
    records += [RawRecord("entities", e.to_dict(), str(out), None) for e in back.entities.values()]
    for c in back.claims.values():
        rec = c.to_dict()
        rec["value"] = None if c.value is None else {"amount": c.value.amount, "currency": c.value.currency,
                                                     "estimate": c.value.estimate}
        records.append(RawRecord("claims", rec, str(out), None))
    assert validate_records(records, load_schema()) == ds


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
    assert counts == {"nodes": 7, "edges": 4, "dated_edges": 4}
    g = nx.read_gexf(out, version="1.3")
    assert g.graph["mode"] == "dynamic"
    assert (g.number_of_nodes(), g.number_of_edges()) == (7, 4)
    edges = {d["relation"]: d for _, _, d in g.edges(data=True)}
    assert (edges["transferred_to"]["start"], edges["transferred_to"]["end"]) == ("2001-06-01", "2001-06-30")
    assert (edges["manufactures"]["start"], edges["manufactures"]["end"]) == ("1995-01-01", "1995-12-31")
    assert edges["component_of"]["start"] == "1996-01-01" and "end" not in edges["component_of"]  # open-ended
    falcon = g.nodes["system:falcon"]
    assert falcon["start"] == "1996-01-01" and "end" not in falcon
    assert g.nodes["firm:zenda-motors"]["start"] == "1995-01-01" and g.nodes["firm:zenda-motors"]["end"] == "1995-12-31"
    assert "start" not in g.nodes["state:ruritania"]  # no claims: always present
    assert '<graph mode="dynamic" defaultedgetype="directed" timeformat="date">' in out.read_text(encoding="utf-8")


def test_gexf_undated_claim_has_no_interval_and_makes_its_nodes_permanent(tmp_path):
    out = tmp_path / "g.gexf"
    ds = hostile_dataset()
    write_gexf(ds, out)
    g = nx.read_gexf(out, version="1.3")
    assert g.number_of_edges() == len(ds.claims)
    undated = [d for _, _, d in g.edges(data=True) if d["relation"] == "manufactures"][0]
    assert "start" not in undated and "end" not in undated
    assert "start" not in g.nodes["firm:avic"] and "end" not in g.nodes["firm:avic"]
    assert g.nodes["firm:roe"]["start"] == "2015-11-01"
    decade = [d for _, _, d in g.edges(data=True) if d["relation"] == "develops"][0]
    assert (decade["start"], decade["end"]) == ("1990-01-01", "2005-12-31")


# --- neo4j-admin CSV ----------------------------------------------------------------


def _read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        return header, [dict(zip(header, row)) for row in reader]


def test_neo4j_csv_headers_follow_the_import_tool_format(run, mini_store_path, tmp_path):
    out = tmp_path / "neo"
    result = run("export", "neo4j-csv", out, "--store", mini_store_path)
    assert result.exit_code == 0, result.output
    assert _listing(out) == sorted(neo.FILES)
    header, entities = _read_csv(out / "entities.csv")
    assert header[:2] == ["id:ID(Entity)", ":LABEL"] and "aliases:string[]" in header
    header, documents = _read_csv(out / "documents.csv")
    assert header[:2] == ["id:ID(Document)", ":LABEL"] and {d[":LABEL"] for d in documents} == {"Document"}
    header, rels = _read_csv(out / "relationships.csv")
    assert header[:3] == [":START_ID(Entity)", ":END_ID(Entity)", ":TYPE"]
    assert {"confidence:double", "year:int", "month:int", "day:int", "circa:boolean", "quantity:long",
            "documents:string[]", "locators:string[]", "quotes:string[]"} <= set(header)
    for h in header + list(neo.ENTITY_HEADER) + list(neo.DOCUMENT_HEADER):
        name, _, kind = h.partition(":")
        assert kind in ("", "ID(Entity)", "ID(Document)", "LABEL", "START_ID(Entity)", "END_ID(Entity)", "TYPE",
                        "int", "long", "double", "boolean", "string[]"), h
    schema = load_schema()
    ds = _dataset_of(MINI)
    assert {e["id:ID(Entity)"]: e[":LABEL"] for e in entities} == {
        e.id: "Entity;" + schema.label(e.type) for e in ds.entities.values()}
    assert {r["claim_id"]: r[":TYPE"] for r in rels} == {cid: schema.rel_type(c.relation) for cid, c in ds.claims.items()}
    falcon = [r for r in rels if r["relation"] == "transferred_to"][0]
    assert (falcon["year:int"], falcon["month:int"], falcon["day:int"], falcon["quantity:long"]) == ("2001", "6", "", "12")
    assert falcon["circa:boolean"] == "false" and falcon["value_estimate:boolean"] == "true"
    # the exact command, on standard output
    command = result.stdout.strip().splitlines()[-1]
    assert command == f"neo4j-admin database import full --nodes={out}/entities.csv --nodes={out}/documents.csv " \
                      f"--relationships={out}/relationships.csv neo4j"
    assert "--relationships=relationships.csv neo4j" in (out / "import.sh").read_text()


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
    _, rels = _read_csv(out / "relationships.csv")
    assert len(rels) == len(ds.claims)
    for row in rels:
        claim = ds.claims[row["claim_id"]]
        assert (row[":START_ID(Entity)"], row[":END_ID(Entity)"]) == (claim.subject, claim.object)
        quotes = row["quotes:string[]"].split(delim)
        assert quotes == [c.quote for c in claim.citations]
        assert row["locators:string[]"].split(delim) == [c.locator for c in claim.citations]
        assert [Citation(**c) for c in json.loads(row["citations"])] == list(claim.citations)
        assert (row["notes"] or None) == claim.notes and (row["key"] or None) == claim.key
        assert float(row["confidence:double"]) == claim.confidence


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
            for r in rows:
                rels[r["props"]["claim_id"]] = {**r, "type": rel_type}
    return documents, entities, rels, labels


def test_cypher_script_recreates_the_graph(tmp_path):
    schema = load_schema()
    for ds in (_dataset_of(MINI), hostile_dataset()):
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
            assert (rel["s"], rel["o"], rel["type"]) == (claim.subject, claim.object, schema.rel_type(claim.relation))
            props = rel["props"]
            assert props["quotes"] == [c.quote for c in claim.citations]
            assert props["documents"] == [c.document for c in claim.citations]
            assert [Citation(**c) for c in json.loads(props["citations"])] == list(claim.citations)
            assert props.get("notes") == claim.notes and props["confidence"] == claim.confidence
            assert None not in props.values()


def test_cypher_hostile_name_stays_inside_its_string(tmp_path):
    out = tmp_path / "g.cypher"
    write_cypher(hostile_dataset(), out)
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
    write_cypher(hostile_dataset(), out)
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


def test_xlsx_has_three_sheets_and_round_trips(tmp_path):
    from openpyxl import load_workbook

    ds = hostile_dataset()
    out = tmp_path / "g.xlsx"
    write_xlsx(ds, out)
    book = load_workbook(out)
    assert book.sheetnames == ["claims", "entities", "documents"]
    titles = [row[1] for row in book["documents"].iter_rows(min_row=2, values_only=True)]
    assert '=HYPERLINK("http://x")' in titles  # text, not a formula
    assert all(cell.data_type != "f" for row in book["documents"].iter_rows() for cell in row)
    assert read_table(out) == ds


# --- JSON ---------------------------------------------------------------------------


def test_json_round_trips_hostile_text(tmp_path):
    ds = hostile_dataset()
    out = tmp_path / "g.json"
    write_json(ds, out)
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert {n["id"]: n["name"] for n in doc["nodes"]} == {e.id: e.name for e in ds.entities.values()}
    assert {e["id"]: [Citation(**c) for c in e["citations"]] for e in doc["edges"]} == {
        cid: list(c.citations) for cid, c in ds.claims.items()}
    assert {d["id"]: d["title"] for d in doc["documents"]} == {d.id: d.title for d in ds.documents.values()}


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
        "gexf": lambda: {d["label"] for _, d in nx.read_gexf(out, version="1.3").nodes(data=True)},
        "json": lambda: {n["name"] for n in json.loads(out.read_text(encoding="utf-8"))["nodes"]},
        "neo4j-csv": lambda: {r["name"] for r in _read_csv(out / "entities.csv")[1]},
        "cypher": lambda: {e["name"] for e in _cypher_graph(out.read_text(encoding="utf-8"))[1].values()},
        "csv": lambda: {e.name for e in read_table(out).entities.values()},
        "xlsx": lambda: {e.name for e in read_table(out).entities.values()},
    }
    names = {e.name for e in ds.entities.values()}
    if fmt == "csv":  # the claims table names only the entities that have claims
        names = {ds.entities[i].name for c in ds.claims.values() for i in (c.subject, c.object)}
    assert readers[fmt]() == names


def test_gexf_keeps_hostile_text_in_attributes(tmp_path):
    ds = hostile_dataset()
    out = tmp_path / "g.gexf"
    write_gexf(ds, out)
    g = nx.read_gexf(out, version="1.3")
    assert g.nodes["firm:avic"]["description"] == ds.entities["firm:avic"].description
    assert json.loads(g.nodes["firm:roe"]["aliases_json"]) == list(ds.entities["firm:roe"].aliases)
    for _, _, data in g.edges(data=True):
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
    result = run("export", "graphml", out, "--store", store, *options)
    assert result.exit_code == 0, result.output
    g = nx.read_graphml(out)
    return g.number_of_nodes(), g.number_of_edges()


def test_cli_around_and_time_filters_shrink_the_export(run, mini_store_path, tmp_path):
    out = tmp_path / "g.graphml"
    assert _graphml_counts(run, mini_store_path, out) == (7, 4)
    assert _graphml_counts(run, mini_store_path, out, "--around", "ZM-9") == (3, 2)
    assert _graphml_counts(run, mini_store_path, out, "--around", "ZM-9", "--depth", "2") == (5, 4)
    assert _graphml_counts(run, mini_store_path, out, "--to-date", "2000") == (3, 2)
    assert _graphml_counts(run, mini_store_path, out, "--from-date", "2001") == (3, 2)
    assert _graphml_counts(run, mini_store_path, out, "--from-date", "2001", "--around", "Hawk") == (2, 1)
    assert _graphml_counts(run, mini_store_path, out, "--type", "weapon_system") == (2, 1)
    assert _graphml_counts(run, mini_store_path, out, "--status", "delivered") == (2, 1)
    assert _graphml_counts(run, mini_store_path, out, "--as-of", "2021") == (5, 4)
    assert _graphml_counts(run, mini_store_path, out, "--chains-from", "Zenda Motors",
                           "--chains-to", "FAF") == (4, 3)


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
