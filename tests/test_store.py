"""The embedded store: durable, inspectable, and all-or-nothing."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest

from coopgraph.graph import sqlite_store
from coopgraph.graph.errors import ValidationError
from coopgraph.graph.store import open_store
from coopgraph.loaders import load_files, load_into
from tests.conftest import FIXTURES, MINI


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_store_round_trips_what_was_loaded(mini_store_path):
    store = open_store(mini_store_path)
    data = store.dataset()
    expected = load_files([MINI])
    assert data.claims == expected.claims
    assert data.entities == expected.entities
    assert store.counts() == {"documents": 1, "entities": 7, "claims": 5, "citations": 5, "deals": 1}


def test_store_is_plain_sqlite_a_user_can_inspect(mini_store_path):
    with sqlite3.connect(mini_store_path) as conn:
        names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {"documents", "entities", "claims", "citations"} <= names
        assert conn.execute("SELECT COUNT(*) FROM claims WHERE relation = 'copy_of'").fetchone() == (1,)


def test_loading_the_same_file_twice_changes_nothing(mini_store_path):
    store = open_store(mini_store_path)
    before = store.dataset()
    load_into(store, [MINI])
    assert store.dataset() == before


def test_restated_claim_gains_the_new_citation(mini_store_path, tmp_path):
    extra = tmp_path / "claims-more.yaml"
    extra.write_text(textwrap.dedent("""\
        - subject: firm:zenda-motors
          relation: manufactures
          object: tech:zm-9-engine
          date: "1995"
          status: reported
          confidence: 0.9
          citations:
            - {document: ruritania-review-2021, locator: p. 33, quote: "Zenda Motors makes the ZM-9."}
        """))
    store = open_store(mini_store_path)
    load_into(store, [extra])
    [claim] = [c for c in store.claims_of("tech:zm-9-engine") if c.relation == "manufactures"]
    assert [c.locator for c in claim.citations] == ["p. 3", "p. 33"]


def test_failed_validation_leaves_the_store_byte_for_byte(mini_store_path):
    before = digest(mini_store_path)
    with pytest.raises(ValidationError):
        load_into(open_store(mini_store_path), [FIXTURES / "bad_claims.yaml"])
    assert digest(mini_store_path) == before


@pytest.mark.parametrize("replace", [False, True])
def test_interrupted_write_keeps_the_previous_store(mini_store_path, monkeypatch, replace):
    store = open_store(mini_store_path)
    before = store.dataset()
    real_insert = sqlite_store._insert

    def insert_then_die(conn, dataset, **options):
        real_insert(conn, dataset, **options)  # everything is written ... then the process is interrupted
        raise KeyboardInterrupt

    monkeypatch.setattr(sqlite_store, "_insert", insert_then_die)
    with pytest.raises(KeyboardInterrupt):
        load_into(store, [MINI], replace=replace) if not replace else store.write(load_files([MINI]), replace=True)
    monkeypatch.undo()
    assert open_store(mini_store_path).dataset() == before
    assert not list(mini_store_path.parent.glob(".coopgraph-*")), "a temporary file was left behind"


def test_store_survives_a_killed_loader_process(mini_store_path, tmp_path):
    """SIGKILL a process in the middle of a large replace: the store is the old one or the new one, never broken."""
    old_counts = open_store(mini_store_path).counts()
    script = tmp_path / "big_load.py"
    script.write_text(textwrap.dedent(f"""
        from coopgraph.graph.model import Citation, Claim, Dataset, Entity
        from coopgraph.graph.store import open_store
        from coopgraph.loaders import load_files
        data = load_files([{str(MINI)!r}])
        cite = (Citation("ruritania-review-2021", "p. 1", "x"),)
        for i in range(200_000):
            eid = f"system:s{{i}}"
            data.entities[eid] = Entity(eid, "weapon_system", f"S{{i}}")
            c = Claim("state:ruritania", "supplies", eid, date="2001", citations=cite)
            data.claims[c.id] = c
        print("ready", flush=True)
        open_store({str(mini_store_path)!r}).write(data, replace=True)
        print("done", flush=True)
        """))
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "ready"
    time.sleep(0.3)
    proc.kill()
    proc.wait()
    counts = open_store(mini_store_path).counts()
    assert counts == old_counts or counts["claims"] == 200_004
    with sqlite3.connect(mini_store_path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_find_entities_matches_names_and_aliases_case_insensitively(mini_store_path):
    store = open_store(mini_store_path)
    assert [e.id for e in store.find_entities("zm-9")] == ["tech:zm-9-engine"]
    assert [e.id for e in store.find_entities("faf")] == ["service:freedonian-air-force"]
    assert store.find_entities("100%") == []


def test_entities_read_at_once_are_the_entities_read_one_by_one(store_path):
    store = open_store(store_path)
    held = sorted(store.graph().nodes)
    # more ids than SQLite takes as separate parameters, most of them unknown, some asked twice
    asked = [f"firm:nobody-{i}" for i in range(40_000)] + held[::-1] + held[:5]
    got = store.entities(asked)
    assert list(got) == held[::-1]
    assert got == {entity_id: store.entity(entity_id) for entity_id in held[::-1]}
    assert store.entities([]) == {}


def test_claims_of_are_in_date_order(mini_store_path):
    claims = open_store(mini_store_path).claims_of("system:falcon")
    assert [c.first_date.isoformat() for c in claims] == ["1996", "2001-06", "2001-06", "2005"]


def test_graph_built_from_the_tables_equals_the_graph_built_from_the_dataset(store_path):
    from coopgraph.graph.build import build_graph

    store = open_store(store_path)
    fast, reference = store.graph(), build_graph(store.dataset())
    assert dict(fast.nodes(data=True)) == dict(reference.nodes(data=True))
    assert sorted(fast.edges(keys=True, data=True), key=lambda e: e[2]) == sorted(reference.edges(keys=True, data=True), key=lambda e: e[2])
    assert fast.graph["documents"] == reference.graph["documents"]


def test_edges_filled_in_directly_make_the_graph_add_edges_from_makes(store_path):
    import networkx as nx
    from coopgraph.graph.bulk import add_multi_edges

    edges = [(u, v, k, dict(d)) for u, v, k, d in open_store(store_path).graph().edges(keys=True, data=True)]
    edges += [("x:loop", "x:loop", "c-loop", {"type": "supplies"}), ("x:new", "system:su-27", "c-new", {}),
              (edges[0][0], edges[0][1], "c-parallel", {"type": "equips"})]
    direct, reference = nx.MultiDiGraph(), nx.MultiDiGraph()
    for g in (direct, reference):
        g.add_nodes_from(["system:su-27", "x:first"])
    _ = direct.edges  # a view made before the edges are added must see them
    add_multi_edges(direct, edges)
    reference.add_edges_from(edges)
    assert list(direct.nodes) == list(reference.nodes)
    assert list(direct.edges(keys=True, data=True)) == list(reference.edges(keys=True, data=True))
    assert list(direct.in_edges(keys=True)) == list(reference.in_edges(keys=True))
    assert direct.number_of_edges("x:loop", "x:loop") == 1 and direct.has_edge("x:new", "system:su-27", "c-new")
    assert nx.utils.graphs_equal(direct, reference)


def test_store_summary_counted_by_sqlite_equals_the_dataset_count(store_path, mini_store_path):
    from coopgraph.graph.summary import dataset_stats

    for path in (store_path, mini_store_path):
        store = open_store(path)
        assert store.summary() == dataset_stats(store.dataset())


def test_a_citation_as_a_dict_has_every_field_of_the_record():
    from dataclasses import asdict

    from coopgraph.graph.model import Citation

    citation = Citation("doc:csis-2020", "endnote 12", "Russia sold Su-27s to China")
    assert citation.to_dict() == asdict(citation)
    assert list(citation.to_dict()) == ["document", "locator", "quote"]
