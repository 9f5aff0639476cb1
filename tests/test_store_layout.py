"""The embedded store's layout 3 (issue 15): each row kept once, older stores migrated in place.

Layout 2 kept every citation twice, in its table and in the unique index
``citations_key`` over all of its text; layout 3 stores citations (and the
other tables looked up by their key) in key order, WITHOUT ROWID, so the key
is the table. The guarantees are the same: a claim cites a passage once, and a
claim's citations are read in their order from one range of the table.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from coopgraph.graph import sqlite_store
from coopgraph.graph.errors import StoreError
from coopgraph.graph.store import open_store
from coopgraph.loaders import load_into
from tests.conftest import MINI
from tests.faults import digest

#: the tables and indexes of layout 2, as coopgraph wrote them before layout 3
LAYOUT_2 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE documents (
    id TEXT PRIMARY KEY, title TEXT NOT NULL, date TEXT NOT NULL,
    author TEXT, publisher TEXT, url TEXT, kind TEXT);
CREATE TABLE entities (
    id TEXT PRIMARY KEY, type TEXT NOT NULL, name TEXT NOT NULL,
    aliases TEXT NOT NULL, country TEXT REFERENCES entities(id), description TEXT, wikidata TEXT,
    attributes TEXT NOT NULL);
CREATE TABLE names (
    entity_id TEXT NOT NULL REFERENCES entities(id), name TEXT NOT NULL, folded TEXT NOT NULL);
CREATE TABLE claims (
    id TEXT NOT NULL, subject TEXT NOT NULL REFERENCES entities(id), relation TEXT NOT NULL,
    object TEXT NOT NULL REFERENCES entities(id),
    date TEXT, start TEXT, "end" TEXT, circa INTEGER NOT NULL, status TEXT NOT NULL,
    confidence REAL NOT NULL, quantity INTEGER, unit TEXT,
    value_amount REAL, value_currency TEXT, value_estimate INTEGER,
    key TEXT, notes TEXT, attributes TEXT NOT NULL, deal TEXT REFERENCES deals(id));
CREATE TABLE deals (
    id TEXT PRIMARY KEY, item TEXT NOT NULL REFERENCES entities(id), supplier TEXT REFERENCES entities(id),
    recipient TEXT REFERENCES entities(id), variant TEXT, name TEXT, notes TEXT);
CREATE TABLE citations (
    claim_id TEXT NOT NULL REFERENCES claims(id), seq INTEGER NOT NULL,
    document TEXT NOT NULL REFERENCES documents(id), locator TEXT NOT NULL, quote TEXT NOT NULL);
CREATE UNIQUE INDEX claims_id ON claims(id);
CREATE INDEX names_folded ON names(folded);
CREATE INDEX names_entity ON names(entity_id);
CREATE INDEX claims_subject ON claims(subject);
CREATE INDEX claims_object ON claims(object);
CREATE UNIQUE INDEX citations_key ON citations(claim_id, document, locator, quote);
"""


def as_layout_2(source: Path, target: Path) -> Path:
    """Write the rows of the store ``source`` into ``target`` as coopgraph's layout 2 stored them."""
    conn = sqlite3.connect(target)
    conn.executescript(LAYOUT_2)
    conn.execute("ATTACH ? AS source", (str(source),))
    with conn:
        for table in ("meta", "documents", "entities", "names", "claims", "deals"):
            conn.execute(f"INSERT INTO main.{table} SELECT * FROM source.{table}")
        # in the order the claims came, not the key's: what a layout-2 load wrote
        conn.execute("INSERT INTO main.citations SELECT claim_id, seq, document, locator, quote FROM source.citations "
                     "ORDER BY quote, claim_id")
        conn.execute("UPDATE main.meta SET value = '2' WHERE key = 'schema_version'")
    conn.execute("DETACH source")
    conn.execute(f"PRAGMA application_id = {sqlite_store.APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 2")
    conn.close()
    return target


def schema_of(path: Path) -> dict[str, str]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL").fetchall()
    conn.close()
    return dict(rows)


def everything(store) -> tuple:
    """What a store holds, as the library reads it: documents, entities, deals, claims with their citations in order."""
    data = store.dataset()
    return data.documents, data.entities, data.deals, data.claims


def test_a_new_store_keeps_each_citation_once_and_no_index_repeats_a_table(bundled_store_file):
    schema = schema_of(bundled_store_file)
    assert "PRIMARY KEY (claim_id, document, locator, quote)) WITHOUT ROWID" in schema["citations"]
    assert {name for name, sql in schema.items() if sql.startswith("CREATE INDEX") or sql.startswith("CREATE UNIQUE")} \
        == {"claims_id", "claims_subject", "claims_object"}
    for table in ("documents", "entities", "names", "deals"):
        assert schema[table].endswith("WITHOUT ROWID"), table
    with sqlite3.connect(bundled_store_file) as conn:
        assert conn.execute("PRAGMA user_version").fetchone() == (3,)
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        claim, seq, document, locator, quote = conn.execute(
            "SELECT claim_id, seq, document, locator, quote FROM citations LIMIT 1").fetchone()
        with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
            conn.execute("INSERT INTO citations (claim_id, seq, document, locator, quote) VALUES (?, ?, ?, ?, ?)",
                         (claim, seq + 1, document, locator, quote))
        plan = " ".join(row[-1] for row in conn.execute(
            "EXPLAIN QUERY PLAN SELECT document, locator, quote FROM citations WHERE claim_id = ? ORDER BY seq", (claim,)))
        assert "USING PRIMARY KEY (claim_id=?)" in plan
    conn.close()


def test_loading_a_claim_again_adds_only_the_citations_it_lacks(mini_store_path):
    store = open_store(mini_store_path)
    before = store.counts()
    load_into(store, [MINI])
    assert store.counts() == before


def test_a_layout_2_store_is_migrated_in_place_with_a_message_and_reads_the_same(tmp_path, bundled_store_file):
    expected = everything(open_store(bundled_store_file))
    path = as_layout_2(bundled_store_file, tmp_path / "old.sqlite")
    size_before = path.stat().st_size
    store = open_store(path)
    assert everything(store) == expected
    assert store.migrated.startswith(f"migrated store {path} from layout 2 to 3 (")
    assert "load --replace" in store.migrated
    schema = schema_of(path)
    assert "citations_key" not in schema and "names_folded" not in schema
    assert schema["citations"].endswith("WITHOUT ROWID") and schema["names"].endswith("WITHOUT ROWID")
    assert path.stat().st_size < size_before * 0.8      # compacted: the freed pages went back
    assert sqlite_store.probe(path) == "store"
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone() == (3,)
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()
    again = open_store(path)
    assert everything(again) == expected and again.migrated is None
    assert [e.id for e in again.find_entities("su-2")] == [e.id for e in open_store(bundled_store_file).find_entities("su-2")]


def test_the_cli_says_once_that_it_migrated_a_layout_2_store(run, tmp_path, bundled_store_file):
    path = as_layout_2(bundled_store_file, tmp_path / "old.sqlite")
    first = run("show", "Su-35", "--store", path)
    assert first.exit_code == 0 and "migrated store" in first.output and "from layout 2 to 3" in first.output
    again = run("show", "Su-35", "--store", path)
    assert again.exit_code == 0 and "migrated" not in again.output
    assert again.output in first.output


def test_a_layout_1_store_names_each_step_of_its_migration(tmp_path, mini_store_path):
    path = as_layout_2(mini_store_path, tmp_path / "old.sqlite")
    with sqlite3.connect(path) as conn:
        conn.executescript("DROP TABLE deals; ALTER TABLE claims DROP COLUMN deal; "
                           "UPDATE meta SET value = '1' WHERE key = 'schema_version';")
    conn.close()
    store = open_store(path)
    assert store.counts()["claims"] == 5
    assert "from layout 1 to 3" in store.migrated
    assert "layout 1 to 2: " in store.migrated and "layout 2 to 3: " in store.migrated


def test_a_layout_2_store_that_cannot_be_written_is_read_as_it_is(tmp_path, bundled_store_file):
    expected = everything(open_store(bundled_store_file))
    path = as_layout_2(bundled_store_file, tmp_path / "old.sqlite")
    before = digest(path)
    os.chmod(path, 0o444)
    try:
        store = open_store(path)
        assert everything(store) == expected and store.migrated is None
        assert store._layout() == "2"
        assert [c.id for c in store.claims_of("system:su-35")] == \
            [c.id for c in open_store(bundled_store_file).claims_of("system:su-35")]
    finally:
        os.chmod(path, 0o644)
    assert digest(path) == before
    assert open_store(path).counts() == open_store(bundled_store_file).counts()     # writable again: migrated
    assert "citations_key" not in schema_of(path)


def test_a_migration_that_fails_leaves_the_store_as_it_was_and_readable(tmp_path, mini_store_path, monkeypatch):
    path = as_layout_2(mini_store_path, tmp_path / "old.sqlite")
    before = digest(path)
    expected = everything(open_store(mini_store_path))
    what, statements = sqlite_store._MIGRATIONS["2"]
    # every rebuild done, then a statement that fails (as a full disk would): the transaction takes all of them back
    monkeypatch.setitem(sqlite_store._MIGRATIONS, "2", (what, [*statements, "INSERT INTO meta VALUES (NULL, NULL)"]))
    store = open_store(path)
    assert everything(store) == expected and store.migrated is None      # read as it is
    assert digest(path) == before
    assert not [p for p in path.parent.iterdir() if p.name not in {path.name, mini_store_path.name}]
    monkeypatch.undo()
    store = open_store(path)                                            # the next open migrates it
    assert everything(store) == expected and "layout 2 to 3" in store.migrated


def test_a_layout_1_migration_that_fails_is_an_error_and_leaves_the_store(tmp_path, mini_store_path, monkeypatch):
    path = as_layout_2(mini_store_path, tmp_path / "old.sqlite")
    with sqlite3.connect(path) as conn:
        conn.executescript("DROP TABLE deals; ALTER TABLE claims DROP COLUMN deal; "
                           "UPDATE meta SET value = '1' WHERE key = 'schema_version';")
    conn.close()
    before = digest(path)
    what, statements = sqlite_store._MIGRATIONS["2"]
    monkeypatch.setitem(sqlite_store._MIGRATIONS, "2", (what, [*statements, "INSERT INTO meta VALUES (NULL, NULL)"]))
    with pytest.raises(StoreError, match="NOT NULL"):
        open_store(path).counts()
    assert digest(path) == before


def test_a_store_written_anew_has_full_pages(tmp_path, bundled_store_file):
    # the new file is copied in key order (VACUUM INTO): no page is left mostly empty, and no temporary file
    with sqlite3.connect(bundled_store_file) as conn:
        try:
            used, total = conn.execute("SELECT SUM(pgsize - unused), SUM(pgsize) FROM dbstat WHERE name = 'citations'"
                                       ).fetchone()
        except sqlite3.OperationalError:
            pytest.skip("this SQLite has no dbstat table")
    conn.close()
    assert used / total > 0.9
    copy = tmp_path / "s.sqlite"
    shutil.copy(bundled_store_file, copy)
    load_into(open_store(copy), [MINI], replace=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.sqlite"]
