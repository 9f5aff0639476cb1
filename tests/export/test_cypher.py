"""The Cypher script: recreates the graph, makes deal nodes, stays injection-safe, passes the grammar."""

from __future__ import annotations

from tests.export.common import (  # shared data and helpers
    json, Citation, claim_deal, load_schema, split_statements, write_cypher, MINI, hostile_dataset, deals_dataset, implied_deals, _dataset_of, _cypher_graph, _cypher_deals, _cypher_dataset, _outside_strings,
)


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


def test_cypher_statements_pass_the_neo4j_grammar(tmp_path):
    """The script of a hostile dataset, statement by statement, through Neo4j's own parser."""
    from tests.test_cypher_lint import errors_of, lint

    out = tmp_path / "g.cypher"
    write_cypher(deals_dataset(), out)
    statements = {f"statement {i}": st.rstrip(";") for i, st in enumerate(split_statements(out.read_text()))}
    assert errors_of(lint(statements)) == {}
