"""Data and helpers shared by the export tests (one module per format beside this one)."""

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


from coopgraph.queries.export import neo4j_csv as neo


from coopgraph.queries.export.cypher import split_statements, write_cypher


from tests.cypher_literals import literal_rows


from coopgraph.queries.export.gexf import write_gexf


from coopgraph.queries.export.graphml import read_graphml


from coopgraph.queries.export.graphml import EDGE_KEYS, GRAPH_KEYS, NODE_KEYS, write_graphml


from coopgraph.queries.export.json import from_node_link, to_node_link, write_json


from coopgraph.queries.export.table import read_table, write_csv, write_xlsx


from coopgraph.queries.export import EXPORTERS


from coopgraph.queries.filters import ClaimFilter


from coopgraph.queries.subgraph import select_subgraph


from tests.conftest import MINI


XSD_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "graphml-xsd"  # byte-identical copy of ../shared/data/graphml-xsd


GEXF_XSD_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "gexf-xsd"  # byte-identical copy of ../shared/data/gexf-xsd


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


def _deal_node_count(ds: Dataset) -> int:
    return len(set(ds.deals) | {c.deal for c in ds.claims.values() if c.deal} | implied_deals(ds))


def _keyed_without_record() -> Dataset:
    """Claims naming a deal the dataset has no record of (a hand-made dataset; validation makes the record)."""
    ds = deals_dataset()
    del ds.deals[DEAL_PART]
    return ds


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
    import coopgraph.queries.export.table as table

    real_rows = table.claim_rows

    def exploding_rows(data, progress=None):
        yield from list(real_rows(data))[:1]
        raise CoopgraphError("disk full")

    def exploding_relationship(claim, schema, delimiter):
        raise CoopgraphError("disk full")

    monkeypatch.setattr(table, "claim_rows", exploding_rows)
    monkeypatch.setattr(neo, "relationship_row", exploding_relationship)


def _graphml_counts(run, store, out, *options) -> tuple[int, int]:
    """Entities and claims in a GraphML export (deal nodes and DEAL_ITEM links aside)."""
    result = run("export", "graphml", out, "--store", store, *options)
    assert result.exit_code == 0, result.output
    g = nx.read_graphml(out)
    return (sum(t != "Deal" for _, t in g.nodes(data="type")),
            sum(r != DEAL_ITEM for _, _, r in g.edges(data="relation")))
