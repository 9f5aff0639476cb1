"""The Cypher pack: well-formed files, in step with the schema, running on a real Bolt server."""

from __future__ import annotations

import json
import re

import pytest

from coopgraph.graph.bolt_store import BoltStore
from coopgraph.graph.schema import load_schema
from coopgraph.loaders import load_bundled
from coopgraph.queries.cypher_pack import pack, run_pack_query

QUERIES = pack()


def test_pack_has_the_questions_analysts_ask():
    assert {"chains_russia_to_pla", "suppliers_of", "flows_in_years", "lineage", "documents_behind",
            "top_brokers"} <= set(QUERIES)


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_query_says_what_it_answers_and_declares_its_parameters(name):
    query = QUERIES[name]
    assert len(query.description) > 30
    used = set(re.findall(r"\$([A-Za-z_][A-Za-z0-9_]*)", query.statement))
    assert used == set(query.params), f"{name}: parameters used {used} but declared {set(query.params)}"


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_relationship_types_exist_in_the_schema(name):
    known = {rel.neo4j_type for rel in load_schema().relation_types.values()}
    for group in re.findall(r"\[(?:\w+)?:([A-Z_|]+)", QUERIES[name].statement):
        assert set(group.split("|")) <= known, f"{name}: unknown relationship type in {group}"


def test_chain_queries_follow_every_forward_flow_of_the_schema():
    forward = {r.neo4j_type for r in load_schema().relation_types.values() if r.flow == "forward"}
    for name in ("chains_russia_to_pla", "china_to_russia", "suppliers_of"):
        groups = re.findall(r":((?:[A-Z_]+\|)+[A-Z_]+)", QUERIES[name].statement)
        flows = max((set(g.split("|")) for g in groups), key=len)
        assert flows == forward, name


@pytest.fixture
def loaded_bolt(bolt_target):
    uri, driver, dialect = bolt_target
    store = BoltStore(uri, driver=driver, dialect=dialect)
    store.write(load_bundled(), replace=True)
    return store


@pytest.mark.bolt
@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_pack_query_runs_on_the_bolt_server(loaded_bolt, name):
    if QUERIES[name].neo4j_only and loaded_bolt.dialect.name != "neo4j":
        pytest.skip(f"Neo4j only: {QUERIES[name].neo4j_only}")
    rows = run_pack_query(loaded_bolt, name)
    assert rows, f"{name} returned nothing on the bundled data"


@pytest.mark.bolt
def test_chain_query_finds_russian_systems_reaching_pla_services(loaded_bolt):
    rows = run_pack_query(loaded_bolt, "chains_russia_to_pla")
    chains = [row["chain"] for row in rows]
    assert ["Su-27", "People's Liberation Army Air Force"] in chains or any(
        c[-1] == "People's Liberation Army Air Force" and "Su-27" in c for c in chains)
    assert all(hop["locators"] for row in rows for hop in row["hops"])


@pytest.mark.bolt
def test_cli_cypher_list_show_run(run, loaded_bolt, bolt_target):
    listed = run("cypher", "list", "--format", "json")
    assert {q["name"] for q in json.loads(listed.output)} == set(QUERIES)
    assert ":param design => 'system:su-27';" in run("cypher", "show", "lineage").output
    result = run("cypher", "run", "suppliers_of", "--param", "entity='system:su-35'", "--uri", bolt_target[0],
                 "--format", "json")
    assert result.exit_code == 0, result.output
    assert "Russian Federation" in {r["supplier"] for r in json.loads(result.output)}
    bad = run("cypher", "run", "suppliers_of", "--param", "nope=1", "--uri", bolt_target[0])
    assert bad.exit_code == 1 and "takes no parameter nope" in bad.output
