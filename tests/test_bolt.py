"""The Bolt store against a real Bolt server (FalkorDB here; Neo4j too when $NEO4J_URI is set)."""

from __future__ import annotations

import json

import pytest

from coopgraph.graph.bolt_store import BatchError, BoltStore
from coopgraph.graph.errors import SchemaError
from coopgraph.graph.model import Citation, Claim, Dataset, Document, Entity
from coopgraph.graph.neo4j_model import claim_deal
from coopgraph.graph.schema import load_schema
from coopgraph.graph.store import open_store
from coopgraph.loaders import load_bundled
from coopgraph.queries import centrality, chains, lineage, paths, timeline
from tests.export.common import DEAL_PART, DEAL_SALE, DEAL_UNUSED, deals_dataset, implied_deals

pytestmark = pytest.mark.bolt


@pytest.fixture
def bolt(bolt_target):
    uri, driver, dialect = bolt_target
    return BoltStore(uri, driver=driver, dialect=dialect)


@pytest.fixture(scope="module")
def bundled():
    return load_bundled()


GRAPH_SNAPSHOT = {
    "nodes": "MATCH (n) RETURN count(n) AS n",
    "relationships": "MATCH ()-[r]->() RETURN count(r) AS n",
    "deal nodes": "MATCH (d:Deal) RETURN count(d) AS n",
    "implied deal nodes": "MATCH (d:Deal) WHERE d.implied = true RETURN count(d) AS n",
    "deal items": "MATCH (:Deal)-[r:DEAL_ITEM]->(:Entity) RETURN count(r) AS n",
    "claims through deals": "MATCH (a)-[r]->(b) WHERE r.claim_id IS NOT NULL AND (a:Deal OR b:Deal) RETURN count(r) AS n",
}


def _snapshot(bolt) -> dict:
    """Everything a repeated load could change: counts, and every deal node's properties."""
    out = {name: bolt.run_cypher(query)[0]["n"] for name, query in GRAPH_SNAPSHOT.items()}
    out["deals"] = sorted((r["p"]["id"], sorted(r["p"].items())) for r in
                          bolt.run_cypher("MATCH (d:Deal) RETURN properties(d) AS p"))
    return out


def test_loading_bundled_data_twice_gives_the_embedded_counts(bolt, bundled, store_path):
    embedded = open_store(store_path).counts()
    assert embedded["deals"] == len(bundled.deals) > 0
    assert bolt.write(bundled, replace=True) == embedded
    before = _snapshot(bolt)
    assert bolt.write(bundled) == embedded          # idempotent: MERGE on stable ids
    assert _snapshot(bolt) == before                # not one node, link or deal property more or changed
    roles = load_schema().deal_relations
    deal_nodes = set(bundled.deals) | {claim_deal(c, roles) for c in bundled.claims.values() if c.relation in roles}
    assert before["deal nodes"] == before["deal items"] == len(deal_nodes)
    assert before["claims through deals"] == sum(c.relation in roles for c in bundled.claims.values())
    assert bolt.dataset() == bundled


def test_deals_become_nodes_that_their_claims_pass_through(bolt):
    ds = deals_dataset()
    counts = bolt.write(ds, replace=True)
    assert counts["deals"] == len(ds.deals) and counts["claims"] == len(ds.claims)
    back = bolt.dataset()
    assert back == ds                               # every claim's deal, every record; implied deals stay implied
    assert not set(back.deals) & implied_deals(ds)
    implied = {r["id"] for r in bolt.run_cypher("MATCH (d:Deal) WHERE d.implied = true RETURN d.id AS id")}
    assert implied == implied_deals(ds)
    sale = bolt.run_cypher("MATCH (s:Entity)-[r:SUPPLIES]->(d:Deal {id: $id})-[t:TRANSFERRED_TO]->(c:Entity) "
                           "MATCH (d)-[:DEAL_ITEM]->(i:Entity) "
                           "RETURN s.id AS s, r.object AS item, t.subject AS item2, c.id AS c, i.id AS i, d.label AS label, "
                           "d.variant AS variant, d.notes AS notes", {"id": DEAL_SALE})
    assert sale == [{"s": "firm:roe", "item": "system:evil", "item2": "system:evil", "c": "state:q", "i": "system:evil",
                     "label": ds.deals[DEAL_SALE].name, "variant": ds.deals[DEAL_SALE].variant,
                     "notes": ds.deals[DEAL_SALE].notes}]
    # no supplier reaches an item, or an item a recipient, except through a deal
    assert bolt.run_cypher("MATCH (:Entity)-[r:SUPPLIES|TRANSFERRED_TO|LICENSED_TO]->(:Entity) RETURN count(r) AS n") == [
        {"n": 0}]
    # the one-sentence sale is one implied deal, so a path runs supplier -> deal -> recipient
    paths = bolt.run_cypher("MATCH p = (:Entity {id: 'state:q'})-[:SUPPLIES]->(d:Deal)-[:LICENSED_TO]->(:Entity {id: 'firm:avic'}) "
                            "RETURN d.implied AS implied")
    assert paths == [{"implied": True}]
    assert bolt.run_cypher("MATCH (d:Deal {id: $id}) RETURN size([(d)-[r]-() | r]) AS n", {"id": DEAL_UNUSED}) == [{"n": 1}]
    here = {c.id for c in ds.claims.values() if "system:evil" in (c.subject, c.object)}
    assert {c.id for c in bolt.claims_of("system:evil")} == here
    assert {c.id for c in bolt.claims_of("firm:avic")} == {c.id for c in ds.claims.values() if "firm:avic" in (c.subject, c.object)}


def test_a_claim_naming_a_deal_without_its_record_keeps_the_record(bolt):
    ds = deals_dataset()
    bolt.write(ds, replace=True)
    later = Claim("firm:roe", "supplies", "system:evil", date="2017", deal=DEAL_SALE, citations=(Citation("doc-1", "p. 99", "More X."),))
    bolt.write(Dataset(claims={later.id: later}))   # a load that names the deal but does not carry its record
    back = bolt.dataset()
    assert back.deals == ds.deals and back.claims[later.id] == later
    # and a dataset that names a deal it has no record of reads back as it was
    bare = deals_dataset()
    del bare.deals[DEAL_PART]
    bolt.write(bare, replace=True)
    assert bolt.dataset() == bare and bolt.counts()["deals"] == len(bare.deals)


def test_deals_row_by_row_agree_with_batches(bolt):
    ds = deals_dataset()
    bolt.write(ds, replace=True, batched=False)
    snapshot = _snapshot(bolt)
    assert bolt.dataset() == ds
    bolt.write(ds, replace=True)
    assert _snapshot(bolt) == snapshot


def test_a_schema_that_takes_the_deal_label_is_refused(bolt, tmp_path):
    ext = tmp_path / "ext.yaml"
    ext.write_text("entity_types:\n  deal_thing:\n    prefix: dealthing\n    label: Deal\n", encoding="utf-8")
    with pytest.raises(SchemaError, match="Deal"):
        BoltStore(bolt.uri, driver=bolt.driver, schema=load_schema(ext))
    other = tmp_path / "ext2.yaml"
    other.write_text("relation_types:\n  deal_item:\n    neo4j_type: DEAL_ITEM\n", encoding="utf-8")
    with pytest.raises(SchemaError, match="DEAL_ITEM"):
        BoltStore(bolt.uri, driver=bolt.driver, schema=load_schema(other))


def test_batched_and_row_by_row_loads_agree(bolt, bundled):
    bolt.write(bundled, replace=True, batched=False)
    assert bolt.dataset() == bundled


def test_queries_give_the_same_answers_as_the_embedded_store(bolt, bundled, store_path):
    bolt.write(bundled, replace=True)
    here, there = open_store(store_path).graph(), bolt.graph()
    for args in (("country:Russia", "org:PLA"), ("country:Russia", "country:China")):
        assert chains(here, *args, limit=200).chains == chains(there, *args, limit=200).chains
    assert paths(here, "Rostec", "PLAAF") == paths(there, "Rostec", "PLAAF")
    for measure in ("degree", "pagerank", "betweenness"):
        assert centrality(here, measure, top=30) == centrality(there, measure, top=30)
    assert lineage(here, "Su-27") == lineage(there, "Su-27")
    assert timeline(here, "Su-35") == timeline(there, "Su-35")


def test_point_lookups_on_the_server(bolt, bundled, store_path):
    bolt.write(bundled, replace=True)
    embedded = open_store(store_path)
    assert bolt.entity("system:su-27") == embedded.entity("system:su-27")
    assert "system:su-35" in [e.id for e in bolt.find_entities("SU-3")]
    assert bolt.claims_of("system:su-35") == embedded.claims_of("system:su-35")


HOSTILE = ["it's", 'say "hi"', "back\\slash \\n not a newline", "`tick`", "}) DETACH DELETE n //",
           "x' RETURN 1 //", "Рособоронэкспорт", "中国航空工业集团", "line\nbreak", "$param {brace}"]


def test_hostile_names_and_values_are_stored_and_returned_unchanged(bolt):
    data = Dataset(documents={"d": Document("d", HOSTILE[0], "2020", author=HOSTILE[5])})
    for i, name in enumerate(HOSTILE):
        data.entities[f"firm:f{i}"] = Entity(f"firm:f{i}", "firm", name, aliases=(HOSTILE[-1 - i],),
                                             description=name, attributes={"note": name})
    for i in range(len(HOSTILE) - 1):
        claim = Claim(f"firm:f{i}", "cooperates_with", f"firm:f{i + 1}", notes=HOSTILE[i],
                      citations=(Citation("d", HOSTILE[i + 1], HOSTILE[i]),), attributes={"k": HOSTILE[i]})
        data.claims[claim.id] = claim
    bolt.write(data, replace=True)
    assert bolt.dataset() == data
    assert bolt.counts()["entities"] == len(HOSTILE)          # nothing was deleted by a hostile string
    # found by name (f4) and by alias (f5: the aliases run through the list backwards)
    assert sorted(e.id for e in bolt.find_entities("detach delete")) == ["firm:f4", "firm:f5"]


def test_no_label_or_type_outside_the_schema_reaches_the_server(bolt):
    evil = Dataset(entities={"x:1": Entity("x:1", "Firm) DETACH DELETE n //", "X")})
    with pytest.raises(SchemaError):
        bolt.write(evil)
    claim = Claim("firm:a", "SUPPLIES]->() DETACH DELETE n //", "firm:b", citations=(Citation("d", "l", "q"),))
    with pytest.raises(SchemaError):
        bolt.write(Dataset(claims={claim.id: claim}))
    assert bolt.counts()["entities"] == 0


def test_failed_batch_names_its_rows_and_a_rerun_completes(bolt, bundled, bolt_target):
    if bolt_target[2] != "falkordb":
        pytest.skip("the failure is provoked with FalkorDB's statement-size limit")
    data = load_bundled()
    big = data.entities["system:su-27"]
    data.entities["system:su-27"] = Entity(big.id, big.type, big.name, big.aliases, big.country, "x" * 5000)
    with pytest.raises(BatchError) as info:
        bolt.write(data, replace=True)
    assert "system:su-27" in str(info.value) and "re-run" in str(info.value)
    assert bolt.counts()["entities"] > 0                     # earlier batches stay
    assert bolt.write(bundled) == bolt.write(bundled)         # fixed input: the re-run completes
    assert bolt.dataset() == bundled


def test_cli_push_then_report_from_neo4j(run, store_path, bolt_target, monkeypatch):
    uri, _, _ = bolt_target
    monkeypatch.delenv("NEO4J_PASSWORD", raising=False) if bolt_target[2] == "falkordb" else None
    pushed = run("push", "--store", store_path, "--uri", uri, "--replace")
    assert pushed.exit_code == 0, pushed.output
    assert "rows/s" in pushed.output
    bolt = BoltStore(uri, driver=bolt_target[1], dialect=bolt_target[2])
    before = _snapshot(bolt)
    assert before["deal nodes"] > 0
    again = run("push", "--store", store_path, "--uri", uri)     # a second push changes nothing
    assert again.exit_code == 0, again.output
    assert _snapshot(bolt) == before and bolt.counts() == open_store(store_path).counts()
    embedded = json.loads(run("stats", "--store", store_path, "--format", "json").output)
    remote = json.loads(run("stats", "--backend", "neo4j", "--uri", uri, "--format", "json").output)
    assert remote == embedded
    show = run("show", "Su-27", "--backend", "neo4j", "--uri", uri)
    assert "an unlicensed copy of Russia's Su-27/Su-30 fighter" in " ".join(show.output.split())
    here = run("chains", "--store", store_path, "--format", "json").output
    there = run("chains", "--backend", "neo4j", "--uri", uri, "--format", "json").output
    assert here == there
    again = run("load", "tests/fixtures/mini", "--backend", "neo4j", "--uri", uri)
    assert again.exit_code == 0, again.output
    assert "Twelve Falcons" in run("show", "Falcon", "--backend", "neo4j", "--uri", uri).output


def test_empty_server_gets_a_clear_message(run, bolt_target):
    result = run("stats", "--backend", "neo4j", "--uri", bolt_target[0])
    assert result.exit_code == 1 and "holds no coopgraph graph yet" in result.output
