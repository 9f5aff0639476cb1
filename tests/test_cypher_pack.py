"""The Cypher pack: well-formed files, in step with the schema, running on a real Bolt server."""

from __future__ import annotations

import json
import re

import pytest

from pathlib import Path

from coopgraph.graph.bolt_store import BoltStore
from coopgraph.graph.model import Citation, Claim, Dataset, Entity
from coopgraph.graph.neo4j_model import DEAL_ITEM
from coopgraph.graph.schema import load_schema
from coopgraph.loaders import load_bundled
from coopgraph.queries.cypher_pack import pack, run_pack_query

QUERIES = pack()
DOCS = Path(__file__).resolve().parents[1] / "docs"


def doc_queries(name: str = "neo4j.md") -> dict[str, str]:
    """The ```cypher blocks of a doc page, by their first line."""
    text = (DOCS / name).read_text(encoding="utf-8")
    blocks = re.findall(r"```cypher\n(.*?)```", text, flags=re.S)
    return {f"{name}: {b.splitlines()[0]}": b.strip() for b in blocks}


def test_pack_has_the_questions_analysts_ask():
    assert {"chains_russia_to_pla", "suppliers_of", "flows_in_years", "lineage", "documents_behind",
            "top_brokers", "deals_between"} <= set(QUERIES)


WALKERS = ("SUPPLIES", "TRANSFERRED_TO", "LICENSED_TO")


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_queries_that_walk_transfers_know_the_deal_nodes(name):
    """A query over SUPPLIES/TRANSFERRED_TO meets Deal nodes; one that names an entity's claims must
    not assume both ends are entities (``(:Entity)-[r]-(:Entity)`` misses every transfer)."""
    statement = QUERIES[name].statement
    assert not re.search(r"\(\w*:Entity[^)]*\)-\[r\]-[>]?\(\w*:Entity", statement), name
    if any(w in statement for w in WALKERS):
        assert ":Deal" in statement or "DEAL_ITEM" in statement or "r.subject" in statement \
            or "coalesce(n.label" in statement, name


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_query_says_what_it_answers_and_declares_its_parameters(name):
    query = QUERIES[name]
    assert len(query.description) > 30
    used = set(re.findall(r"\$([A-Za-z_][A-Za-z0-9_]*)", query.statement))
    assert used == set(query.params), f"{name}: parameters used {used} but declared {set(query.params)}"


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_relationship_types_exist_in_the_schema(name):
    known = {rel.neo4j_type for rel in load_schema().relation_types.values()} | {DEAL_ITEM}
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


def _two_deals_of_one_item() -> Dataset:
    """Ruritania sells Falcons to Elbonia; Urbania sells Falcons to the Freedonian Air Force; Ruritania sells
    Hawks to Freedonia (a state standing in for its air force); Ruritania arms Freedonia (no deal)."""
    cite = (Citation("d", "p. 1", "q"),)
    data = Dataset(entities={e.id: e for e in (
        Entity("state:ruritania", "state", "Ruritania"), Entity("state:urbania", "state", "Urbania"),
        Entity("state:elbonia", "state", "Elbonia"), Entity("state:freedonia", "state", "Freedonia"),
        Entity("service:faf", "armed_service", "FAF", country="state:freedonia"),
        Entity("system:falcon", "weapon_system", "Falcon"), Entity("system:hawk", "weapon_system", "Hawk"))})
    for claim in (
        Claim("state:ruritania", "supplies", "system:falcon", date="2001", deal="deal:a", citations=cite),
        Claim("system:falcon", "transferred_to", "state:elbonia", date="2001", deal="deal:a", citations=cite),
        # deal b states its two halves apart, without a deal key: two implied deals, never joined
        Claim("state:urbania", "supplies", "system:falcon", date="2002", citations=(Citation("d", "p. 2", "U sold."),)),
        Claim("system:falcon", "transferred_to", "service:faf", date="2002", citations=(Citation("d", "p. 3", "FAF got."),)),
        # one sentence, both halves: one implied deal
        Claim("state:urbania", "supplies", "system:hawk", date="2003", citations=(Citation("d", "p. 4", "U sold H to FAF."),)),
        Claim("system:hawk", "transferred_to", "service:faf", date="2003", citations=(Citation("d", "p. 4", "U sold H to FAF."),)),
        Claim("state:ruritania", "supplies", "system:hawk", date="2004", deal="deal:c", citations=cite),
        Claim("system:hawk", "transferred_to", "state:freedonia", date="2004", deal="deal:c", citations=cite),
        Claim("state:ruritania", "arms_transfers_to", "state:freedonia", date="2005", citations=cite),
    ):
        data.claims[claim.id] = claim
    return data


@pytest.mark.bolt
def test_chain_query_passes_through_an_item_only_within_one_deal(bolt_target):
    uri, driver, dialect = bolt_target
    store = BoltStore(uri, driver=driver, dialect=dialect)
    store.write(_two_deals_of_one_item(), replace=True)

    def chains(country: str) -> list[tuple]:
        rows = run_pack_query(store, "chains_russia_to_pla", {"country": country, "org": "service:faf"})
        return sorted((tuple(r["chain"]), tuple(h["relation"] for h in r["hops"]), len(r["deals"])) for r in rows)

    # Ruritania's Falcons went to Elbonia: nothing joins them to the Falcons Urbania sold the FAF;
    # its Hawks went to Freedonia, which stands in for the FAF; arming Freedonia is no deal
    assert chains("state:ruritania") == [(("Ruritania", "Hawk", "Freedonia"), ("supplies", "transferred_to"), 1)]
    # Urbania's Falcons: two halves stated apart are two implied deals, so no chain; its Hawks: one sentence
    assert chains("state:urbania") == [(("Urbania", "Hawk", "FAF"), ("supplies", "transferred_to"), 1)]
    falcon = run_pack_query(store, "suppliers_of", {"entity": "system:falcon"})
    assert sorted(r["supplier"] for r in falcon) == ["Ruritania", "Urbania"]
    faf = run_pack_query(store, "suppliers_of", {"entity": "service:faf"})
    assert sorted((r["supplier"], r["item"]) for r in faf) == [("Urbania", "Hawk"), ("not named", "Falcon")]


@pytest.mark.bolt
def test_deals_between_lists_each_deal_with_its_citations(loaded_bolt):
    rows = run_pack_query(loaded_bolt, "deals_between")
    bundled = load_bundled()
    deals = {r["deal"] for r in rows}
    assert "deal:ru-cn-su-35-2015" in deals
    for deal in deals:
        record = bundled.deals.get(deal)
        assert record is None or record.supplier == "state:russia"
    assert all(r["quote"] and r["locator"] for r in rows)
    su35 = {(r["relation"], r["locator"]) for r in rows if r["deal"] == "deal:ru-cn-su-35-2015"}
    expected = {(c.relation, cit.locator) for c in bundled.claims.values() if c.deal == "deal:ru-cn-su-35-2015"
                for cit in c.citations}
    assert su35 == expected


@pytest.mark.bolt
def test_the_docs_queries_run(loaded_bolt):
    queries = doc_queries()
    assert any("Deal" in q for q in queries.values())
    for name, statement in queries.items():
        if "$" in statement:  # a query that takes parameters: run by the `cypher run --param` tests
            continue
        assert loaded_bolt.run_cypher(statement), f"{name} returned nothing"


@pytest.mark.bolt
def test_chain_query_finds_russian_systems_reaching_pla_services(loaded_bolt):
    rows = run_pack_query(loaded_bolt, "chains_russia_to_pla")
    chains = [row["chain"] for row in rows]
    assert ["Su-27", "People's Liberation Army Air Force"] in chains or any(
        c[-1] == "People's Liberation Army Air Force" and "Su-27" in c for c in chains)
    assert all(hop["locators"] for row in rows for hop in row["hops"])
    # Russian deals reach the PLA's state through their Deal node, supplier -> deal -> recipient
    through = [row for row in rows if row["deals"]]
    assert through and all(row["chain"][0] == "Russian Federation" for row in through if row["hopCount"] == 2)
    assert all([h["relation"] for h in row["hops"]][-2:] in (["supplies", "transferred_to"], ["supplies", "licensed_to"])
               for row in through if row["chain"][-1] == "People's Republic of China")


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
