"""One entity's reports from its part of the graph answer as from the whole graph.

``coopgraph lineage ENTITY`` and ``coopgraph timeline ENTITY`` read the part of the
graph around the entity from the store's indexes (``SQLiteStore.entity_graph``)
instead of building the whole graph, and resolve ENTITY with the store's name
look-up (``node_named``, then ``name_graph``); ``coopgraph path A B`` reads the parts
around both ends, a level at a time (``paths_in_parts``), and ``coopgraph neighbours``
the entity's part and its neighbours' claim counts (``neighbours_in_parts``). Here, on the bundled data
and on generated data, the reports, the nodes and edges they read, and the names and
errors are checked against the whole graph.
"""

from __future__ import annotations

import random

import pytest
from coopgraph.cli.commands_reports import _entity_id
from coopgraph.graph import names as names_module
from coopgraph.graph.errors import CoopgraphError
from coopgraph.graph.schema import load_schema
from coopgraph.graph.sqlite_store import SQLiteStore
from coopgraph.graph.store import Store, open_store
from coopgraph.queries import lineage, neighbours, paths, timeline
from coopgraph.queries.paths import neighbours_in_parts, paths_in_parts
from coopgraph.queries.filters import ClaimFilter
from coopgraph.queries.selectors import resolve_node

from tests.graphs import generated_store

LINEAGE = load_schema().lineage_relations
FILTERS = [None, ClaimFilter(as_of="2021"), ClaimFilter(min_confidence=0.75),
           ClaimFilter(as_of="2020-06", min_confidence=0.5), ClaimFilter(from_date="2000", to_date="2015")]


@pytest.fixture(scope="module")
def bundled(bundled_store_file):
    return open_store(bundled_store_file)


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """3,000 generated claims with their deals (bench/generate.py), loaded into a store."""
    return generated_store(tmp_path_factory.mktemp("generated") / "data", 3000, seed=13)


def lineage_entities(graph) -> list[str]:
    return sorted({n for u, v, data in graph.edges(data=True) if data["type"] in LINEAGE for n in (u, v)})


def rows_and_empty(report):
    return report.rows, report.empty


def check_lineage(store: Store, entity: str) -> None:
    whole = store.graph()
    for depth in range(1, 6):
        part = store.entity_graph([entity], LINEAGE, depth - 1)
        check_same_parts(part, whole)
        # every filter at depths 1, 3 and 5; the unfiltered and --as-of reports at every depth
        for claim_filter in FILTERS if depth % 2 else FILTERS[:2]:
            assert (rows_and_empty(lineage(part, entity, depth=depth, claim_filter=claim_filter, node=entity))
                    == rows_and_empty(lineage(whole, entity, depth=depth, claim_filter=claim_filter))), (entity, depth, claim_filter)


def check_timeline(store: Store, entity: str) -> None:
    whole = store.graph()
    part = store.entity_graph([entity])
    check_same_parts(part, whole)
    for claim_filter in FILTERS:
        ours = timeline(part, entity, claim_filter=claim_filter, node=entity)
        theirs = timeline(whole, entity, claim_filter=claim_filter)
        assert (ours.rows, ours.notes) == (theirs.rows, theirs.notes), (entity, claim_filter)
    for relations in (["supplies", "transferred_to"], LINEAGE):
        some = store.entity_graph([entity], relations)
        assert timeline(some, entity, relations=relations, node=entity).rows == timeline(whole, entity, relations=relations).rows
    assert (timeline(part, entity, entity_types=["state"], node=entity).rows
            == timeline(whole, entity, entity_types=["state"]).rows)


def check_paths(store: Store, pairs: list[tuple[str, str]], limits=(1, 5, 40)) -> int:
    """Paths read part by part are the whole graph's, under every filter; returns how many pairs were joined."""
    whole = store.graph()

    def variants(deal_ids):
        return {d: record.variant for d, record in store.deal_records(deal_ids).items()}

    joined = 0
    for n, (a, b) in enumerate(pairs):
        for claim_filter in FILTERS if n % 3 == 0 else FILTERS[:2]:
            for limit in limits:
                ours = paths_in_parts(store.entity_graph, variants, a, b, claim_filter=claim_filter, limit=limit)
                theirs = paths(whole, a, b, claim_filter=claim_filter, limit=limit)
                assert (ours.document, ours.rows, ours.empty) == (theirs.document, theirs.rows, theirs.empty), (a, b, claim_filter, limit)
                joined += bool(theirs.rows) and claim_filter is None and limit == limits[0]
    return joined


def check_neighbours(store: Store, entities: list[str]) -> None:
    """Neighbourhoods read part by part are the whole graph's: every depth, cap and filter, counted or read."""
    whole = store.graph()
    for n, entity in enumerate(entities):
        for depth, cap, types in ((1, 25, None), (2, 5, None), (3, 3, ["firm", "weapon_system", "technology"]), (1, 2, ["state"])):
            for claim_filter in FILTERS if n % 4 == 0 else FILTERS[:2]:
                theirs = neighbours(whole, entity, depth=depth, cap=cap, types=types, claim_filter=claim_filter)
                for counts in (None, store.claim_counts):
                    ours = neighbours_in_parts(store.entity_graph, entity, depth=depth, cap=cap, types=types,
                                               claim_filter=claim_filter, claim_counts=counts)
                    assert (ours.document, ours.notes) == (theirs.document, theirs.notes), (entity, depth, cap, claim_filter)


def check_same_parts(part, whole) -> None:
    """Every node and edge of the part is the whole graph's, with the same attributes."""
    assert part.graph["documents"] == whole.graph["documents"]
    for node, data in part.nodes(data=True):
        assert data == whole.nodes[node], node
    for u, v, key, data in part.edges(keys=True, data=True):
        assert data == whole.edges[u, v, key], key


def resolved(store: Store, text: str, resolve) -> tuple:
    """What resolving ``text`` gives: the id and what was announced, or the error's type and message."""
    said = []
    old = names_module.on_inexact_match
    names_module.on_inexact_match = lambda *args: said.append(args)
    try:
        return ("ok", resolve(text), said)
    except CoopgraphError as exc:
        return (type(exc).__name__, str(exc), said)
    finally:
        names_module.on_inexact_match = old


# -- the bundled data ------------------------------------------------------------------------------

def test_bundled_lineage_of_every_entity_with_lineage_claims(bundled):
    entities = lineage_entities(bundled.graph())
    assert "system:su-27" in entities and len(entities) > 10
    for entity in entities:
        check_lineage(bundled, entity)


def test_bundled_timeline_of_many_entities(bundled):
    whole = bundled.graph()
    entities = sorted(whole.nodes)
    for entity in lineage_entities(whole) + random.Random(5).sample(entities, 60) + ["state:russia", "state:china"]:
        check_timeline(bundled, entity)


def test_bundled_paths_read_part_by_part(bundled):
    whole = bundled.graph()
    entities = sorted(whole.nodes)
    rng = random.Random(11)
    pairs = [("system:su-27", "system:j-11"), ("state:russia", "org:pla"), ("firm:sukhoi", "state:china"),
             ("system:su-35", "system:su-35")] + [tuple(rng.sample(entities, 2)) for _ in range(60)]
    pairs = [(a, b) for a, b in pairs if a in whole and b in whole]
    assert check_paths(bundled, pairs) > 40  # most pairs are joined: the test is not of empty answers


def test_bundled_neighbourhoods_read_part_by_part(bundled):
    whole = bundled.graph()
    hubs = sorted(whole.nodes, key=lambda n: (-whole.degree(n), n))[:5]
    check_neighbours(bundled, hubs + random.Random(13).sample(sorted(whole.nodes), 30))


def test_a_part_holds_what_the_walk_reaches(bundled):
    part = bundled.entity_graph(["system:j-11"], LINEAGE, 0)
    assert sorted(part.nodes) == ["system:j-11", "system:su-27", "system:su-30"]
    assert all(data["type"] in LINEAGE for _, _, data in part.edges(data=True))
    assert bundled.entity_graph(["system:no-such-thing"]).number_of_nodes() == 0
    # deal claims carry their deal, role and item as on the whole graph
    part = bundled.entity_graph(["system:su-35"])
    dealt = [data for _, _, data in part.edges(data=True) if data.get("deal_role")]
    assert dealt and all(data["deal"] and data["item"] for data in dealt)


@pytest.mark.parametrize("text", [
    "system:su-27", "su-27", "Su-27", "SU-27 ", "  su-27", "Su27", "su 35", "S-400", "Flanker", "J-11", "j11",
    "Russia", "russia", "China", "PLA", "Sukhoi", "Rosoboronexport", "Rosteck", "Eurofighter", "Su", "AL-31",
    "state:russia", "russia:", "xyz", "", "Type 054A", "type-054a", "MR-90", "Kilo", "S-300",
])
def test_names_resolve_as_on_the_whole_graph(bundled, text):
    whole = bundled.graph()
    assert resolved(bundled, text, lambda t: _entity_id(bundled, t)) == resolved(bundled, text, lambda t: resolve_node(whole, t))


def test_store_name_lookup_settles_exact_names_only(bundled):
    assert bundled.node_named("system:su-27") == "system:su-27"
    assert bundled.node_named("SU-27") == bundled.node_named("su-27") == "system:su-27"
    assert bundled.node_named("Su27") is None  # a spelling: left to resolve_node over every name
    assert bundled.node_named("no such entity") is None


# -- generated data ---------------------------------------------------------------------------------

def test_generated_lineage_of_15_entities(generated):
    entities = lineage_entities(generated.graph())
    for entity in random.Random(7).sample(entities, 15):  # each at five depths under five filters
        check_lineage(generated, entity)


def test_generated_timeline_of_50_entities(generated):
    entities = sorted(generated.graph().nodes)
    for entity in random.Random(8).sample(entities, 50):
        check_timeline(generated, entity)


def test_generated_paths_read_part_by_part(generated):
    whole = generated.graph()
    entities = sorted(whole.nodes)
    rng = random.Random(12)
    hubs = sorted(whole.nodes, key=lambda n: (-whole.degree(n), n))[:10]
    pairs = [tuple(rng.sample(entities, 2)) for _ in range(40)] + [(rng.choice(hubs), rng.choice(entities)) for _ in range(10)]
    assert check_paths(generated, pairs) > 15  # the bundled entities in the store are apart from the generated ones


def test_generated_neighbourhoods_read_part_by_part(generated):
    whole = generated.graph()
    hubs = sorted(whole.nodes, key=lambda n: (-whole.degree(n), n))[:3]
    check_neighbours(generated, hubs + random.Random(14).sample(sorted(whole.nodes), 12))


def test_generated_names_resolve_as_on_the_whole_graph(generated):
    whole = generated.graph()
    sample = random.Random(9).sample(sorted(whole.nodes), 25)
    texts = [t for node in sample for t in (node, whole.nodes[node]["name"], whole.nodes[node]["name"].upper(),
                                            *whole.nodes[node]["aliases"], node.split(":", 1)[1])]
    texts += ["Weapon System", "weaponsystem1", "Technology 1", "nothing like it", "State"]
    for text in texts:
        assert (resolved(generated, text, lambda t: _entity_id(generated, t))
                == resolved(generated, text, lambda t: resolve_node(whole, t))), text


# -- the command line -------------------------------------------------------------------------------

def whole_graph_path(monkeypatch) -> None:
    """Make the embedded store answer as before it read parts: the whole graph for everything."""
    for name in ("entity_graph", "node_named", "name_graph", "reads_parts"):
        monkeypatch.setattr(SQLiteStore, name, getattr(Store, name))


@pytest.mark.parametrize("args", [
    ["lineage", "Su-27"], ["timeline", "Su-35"], ["lineage", "Su-27", "--json"], ["timeline", "Su-35", "--csv"],
    ["lineage", "J-11", "--depth", "2", "--as-of", "2021"], ["timeline", "Su-27", "--min-confidence", "0.8"],
    ["timeline", "Su-35", "--counts"], ["timeline", "Su-35", "--relation", "supplies"],
    ["lineage", "Su27"], ["timeline", "Sukhoi"], ["lineage", "Rosteck"], ["timeline", "Eurofighter"],
    ["lineage", "Su"], ["lineage", "Russia"], ["timeline"], ["timeline", "--counts"],
    ["path", "Su-27", "J-11"], ["path", "Russia", "PLA", "--json"], ["path", "Sukhoi", "China", "--csv", "--limit", "20"],
    ["path", "Su27", "Rosteck"], ["path", "Su", "China"], ["path", "Su-27", "nothing like it"],
    ["path", "AL-31F", "PLA", "--as-of", "2021", "--min-confidence", "0.7"], ["path", "Su-35", "China", "--flow-only"],
    ["neighbours", "Russia"], ["neighbours", "Su-35", "--depth", "2", "--json"], ["neighbours", "China", "--cap", "3", "--csv"],
    ["neighbours", "Sukhoi", "--depth", "3", "--type", "weapon_system"], ["neighbours", "Su27"], ["neighbours", "nothing like it"],
    ["neighbours", "Su-27", "--as-of", "2021"],
])
def test_cli_output_is_unchanged(run, store_path, monkeypatch, args):
    ours = run(*args, "--store", store_path)
    with monkeypatch.context() as patched:
        whole_graph_path(patched)
        theirs = run(*args, "--store", store_path)
    assert (ours.exit_code, ours.output) == (theirs.exit_code, theirs.output)
