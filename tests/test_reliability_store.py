"""Reliability of the embedded store (issue 13, points 1, 2, 6 and 7): nothing lost, every failure one clear line.

docs/reliability.md lists each promise with the test here that checks it.
"""

from __future__ import annotations

import fcntl
import json
import os
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from coopgraph.graph import sqlite_store
from coopgraph.graph.errors import DamagedStoreError, NotAStoreError, StoreBusyError
from coopgraph.graph.model import Dataset, Entity
from coopgraph.graph.sqlite_store import APPLICATION_ID, probe, sweep_temp_files, write_lock
from coopgraph.graph.store import open_store
from coopgraph.loaders import load_files, load_into, open_or_build
from tests.conftest import MINI
from tests.faults import COOPGRAPH, digest, listing, on_tmpfs, one_clear_line, without_privileges


def cli(*args, env=None, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([*COOPGRAPH, *map(str, args)], capture_output=True, text=True, timeout=300,
                          env={**os.environ, **(env or {})}, **kwargs)


def own_file(folder: Path, i: int, claims: int = 1, quote: str = "They cooperate.") -> Path:
    """A self-contained dataset file: one document, its own firms, ``claims`` claims."""
    path = folder / f"own-{i}.yaml"
    lines = ["documents:", f"  - {{id: doc-own-{i}, title: 'Own {i}', date: '2020'}}", "entities:"]
    lines += [f"  - {{id: 'firm:own-{i}-{k}', type: firm, name: 'Own {i} firm {k}'}}" for k in range(claims + 1)]
    lines += ["claims:"]
    lines += [f"  - {{subject: 'firm:own-{i}-{k}', relation: cooperates_with, object: 'firm:own-{i}-{k + 1}', "
              f"citations: [{{document: doc-own-{i}, locator: 'p. {k}', quote: '{quote}'}}]}}" for k in range(claims)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def foreign_sqlite(path: Path, application_id: int = 0) -> Path:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)")
        conn.execute("INSERT INTO users (name) VALUES ('alice'), ('bob')")
        if application_id:
            conn.execute(f"PRAGMA application_id = {application_id}")
    conn.close()
    return path


# -- 1. a file that is not a coopgraph store is refused and left untouched ---------------------------

COMMANDS = [
    ("stats",), ("search", "su"), ("show", "Su-27"), ("chains",), ("validate", "{mini}"),
    ("load", "{mini}"), ("load", "--replace", "{mini}"), ("export", "json", "{out}"),
    ("merge", "system:su-27", "system:su-30"), ("import", "csv", "{csv}", "--map", "subject=a"),
]


@pytest.mark.parametrize("kind", ["sqlite of another program", "another application id", "text", "binary"])
def test_a_file_that_is_not_a_store_is_refused_by_every_command_and_left_byte_for_byte(tmp_path, kind, run):
    target = tmp_path / "other_app.db"
    if kind == "sqlite of another program":
        foreign_sqlite(target)
    elif kind == "another application id":
        foreign_sqlite(target, application_id=0x0F0F0F0F)
    elif kind == "text":
        target.write_text("meeting notes\n" * 200, encoding="utf-8")
    else:
        target.write_bytes(bytes(range(256)) * 64)
    before, files_before = digest(target), listing(tmp_path)
    (tmp_path / "in.csv").write_text("a,b\nx,y\n", encoding="utf-8")
    for command in COMMANDS:
        args = [a.format(mini=MINI, out=tmp_path / "out.json", csv=tmp_path / "in.csv") for a in command]
        result = run(*args, "--store", target)
        assert result.exit_code == 1, (command, result.output)
        assert "not a coopgraph store" in result.output and "left untouched" in result.output, (command, result.output)
        assert len(result.output.strip().splitlines()) == 1, result.output
    assert digest(target) == before
    assert listing(tmp_path) == sorted(files_before + ["in.csv"])      # no lock file, no output beside it
    if kind == "another application id":
        assert "0x0f0f0f0f" in result.output


def test_the_read_only_stats_of_the_issue_leaves_another_programs_database_as_it_was(tmp_path):
    target = foreign_sqlite(tmp_path / "other_app.db")
    before = digest(target)
    result = cli("stats", "--store", target)
    assert result.returncode == 1
    line = one_clear_line(result.stderr)
    assert "another program" in line and "Pick another --store path" in line
    assert digest(target) == before
    with sqlite3.connect(target) as conn:
        assert conn.execute("SELECT name FROM sqlite_master").fetchall() == [("users",)]


def test_a_new_store_carries_coopgraphs_marker(tmp_path):
    path = tmp_path / "s.sqlite"
    open_or_build(path)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA application_id").fetchone() == (APPLICATION_ID,)
        assert conn.execute("PRAGMA user_version").fetchone() == (int(sqlite_store.SCHEMA_VERSION),)
        assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == (sqlite_store.SCHEMA_VERSION,)
    assert probe(path) == "store"


def test_a_store_written_before_the_marker_still_opens_and_is_marked_at_its_next_write(tmp_path, bundled_store_file):
    path = tmp_path / "old.sqlite"
    path.write_bytes(bundled_store_file.read_bytes())
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA application_id = 0")
        conn.execute("PRAGMA user_version = 0")
    conn.close()
    assert probe(path) == "unmarked"
    before = digest(path)
    store = open_store(path)
    counts = store.counts()
    assert counts["claims"] > 0 and digest(path) == before            # reading writes nothing
    load_into(store, [MINI])
    assert probe(path) == "store" and open_store(path).counts()["claims"] == counts["claims"] + 5


def test_a_layout_1_store_without_the_marker_is_migrated_and_marked(tmp_path, mini_store_path):
    with sqlite3.connect(mini_store_path) as conn:
        conn.executescript("DROP TABLE deals; ALTER TABLE claims DROP COLUMN deal; "
                           "UPDATE meta SET value = '1' WHERE key = 'schema_version'; PRAGMA application_id = 0;")
    conn.close()
    store = open_store(mini_store_path)
    assert store.counts()["claims"] == 5 and "layout 1 to 2" in store.migrated
    assert probe(mini_store_path) == "store"


def test_an_empty_file_is_built_like_a_missing_store(tmp_path):
    path = tmp_path / "empty.sqlite"
    path.touch()
    assert open_or_build(path).counts()["claims"] > 0


def damage(path: Path) -> None:
    """Keep the header and the first pages; cut the rest (a torn copy, a full disk during a copy)."""
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


def test_a_damaged_store_is_reported_with_how_to_rebuild_it_and_never_replaced_silently(tmp_path, store_path, run):
    damage(store_path)
    before = digest(store_path)
    for command in (("stats",), ("chains",), ("load", MINI), ("show", "Su-27")):
        result = run(*command, "--store", store_path)
        assert result.exit_code == 1, (command, result.output)
        assert "damaged coopgraph store" in result.output and "coopgraph load --replace --store" in result.output, \
            (command, result.output)
        assert digest(store_path) == before, command
    with pytest.raises(DamagedStoreError):
        open_or_build(store_path)
    # the way out it names works: the bundled data plus the user's files
    rebuilt = run("load", "--replace", MINI, "--store", store_path)
    assert rebuilt.exit_code == 0, rebuilt.output
    assert open_store(store_path).counts()["claims"] > 5


def test_a_store_that_lost_its_meta_row_is_damaged_not_rebuilt(tmp_path, mini_store_path):
    with sqlite3.connect(mini_store_path) as conn:
        conn.execute("DELETE FROM meta")
    conn.close()
    before = digest(mini_store_path)
    with pytest.raises(DamagedStoreError, match="meta row"):
        open_or_build(mini_store_path)
    assert digest(mini_store_path) == before


# -- 2. concurrent loads: serialised, none lost, readers see whole stores -------------------------------

def test_concurrent_first_loads_into_a_new_store_lose_nothing(tmp_path):
    store = tmp_path / "fresh.sqlite"
    files = [own_file(tmp_path, i) for i in range(4)]
    bundled_claims = open_or_build(tmp_path / "reference.sqlite").counts()["claims"]
    env = {**os.environ, "PYTHONFAULTHANDLER": "1"}
    loads = [subprocess.Popen([*COOPGRAPH, "load", str(f), "--store", str(store), "-q"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=env) for f in files]
    readers = [subprocess.Popen([*COOPGRAPH, "stats", "--store", str(store), "--format", "json"], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=env) for _ in range(2)]
    results = [(p.wait(timeout=300), *p.communicate()) for p in loads + readers]
    for code, out, err in results:
        assert "Traceback" not in err and "rollback" not in err, err
        assert code == 0, err
    data = open_store(store).dataset()
    # every load that said it was done is in the store
    for i in range(4):
        assert f"doc-own-{i}" in data.documents and f"firm:own-{i}-0" in data.entities
    assert len(data.claims) == bundled_claims + 4
    # a reader saw the bundled store plus some of the loads, whole: never a store part-built
    for code, out, err in results[4:]:
        claims = json.loads(out)["totals"]["claims"]
        assert bundled_claims <= claims <= bundled_claims + 4


def test_a_writer_waits_for_the_lock_and_says_so_and_gives_up_with_a_clear_error(tmp_path, mini_store_path):
    f = own_file(tmp_path, 7)
    with write_lock(mini_store_path):
        started = time.monotonic()
        result = cli("load", f, "--store", mini_store_path, env={"COOPGRAPH_LOCK_TIMEOUT": "1"})
        waited = time.monotonic() - started
    assert result.returncode == 1 and waited < 30
    assert "waiting for another coopgraph process" in result.stderr
    line = one_clear_line(result.stderr)
    assert "another coopgraph process has been writing" in line and "COOPGRAPH_LOCK_TIMEOUT" in line
    assert "doc-own-7" not in open_store(mini_store_path).dataset().documents
    # once the lock is free the same command goes through
    assert cli("load", f, "--store", mini_store_path).returncode == 0


def test_the_lock_is_reentrant_and_another_thread_waits(tmp_path, mini_store_path):
    import threading

    got = []
    with write_lock(mini_store_path), write_lock(mini_store_path):
        worker = threading.Thread(target=lambda: got.append(_try_lock(mini_store_path)))
        worker.start()
        worker.join()
    assert got == ["busy"]
    assert _try_lock(mini_store_path) == "free"


def _try_lock(path):
    try:
        with write_lock(path, timeout=0.2):
            return "free"
    except StoreBusyError:
        return "busy"


def test_a_killed_writer_never_leaves_the_store_locked(tmp_path, mini_store_path):
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys, time
        from coopgraph.graph.sqlite_store import write_lock
        with write_lock({str(mini_store_path)!r}):
            print("locked", flush=True)
            time.sleep(600)
        """)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "locked"
    assert _try_lock(mini_store_path) == "busy"
    holder.kill()
    holder.wait()
    assert _try_lock(mini_store_path) == "free"


def test_a_failed_transaction_reports_its_own_cause_not_a_second_rollback(mini_store_path, monkeypatch):
    """The 'cannot rollback - no transaction is active' of the issue: SQLite had rolled back already."""
    real = sqlite_store._insert

    def insert_then_full(conn, dataset, **options):
        real(conn, dataset, **options)
        conn.execute("ROLLBACK")  # what SQLite does by itself on SQLITE_FULL
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(sqlite_store, "_insert", insert_then_full)
    with pytest.raises(sqlite_store.StoreError) as info:
        load_into(open_store(mini_store_path), [own_file(mini_store_path.parent, 1)])
    assert "disk is full" in str(info.value) and "rollback" not in str(info.value)


# -- 6. a full disk, a read-only file system, a denied permission: one line, store intact ---------------

@pytest.fixture(scope="module")
def big_file(tmp_path_factory) -> Path:
    """A valid file of 2,000 claims with long quotes: about a megabyte once stored."""
    return own_file(tmp_path_factory.mktemp("big"), 99, claims=2000, quote="q" * 400)


def test_a_full_disk_leaves_the_store_as_it_was(tmp_path, bundled_store_file, big_file):
    size_kb = bundled_store_file.stat().st_size // 1024
    steps = [[*COOPGRAPH, "load", str(big_file), "--store", "store.sqlite", "-q"],            # in one transaction
             [*COOPGRAPH, "load", "--replace", str(big_file), "--store", "store.sqlite", "-q"],  # a new file
             [*COOPGRAPH, "stats", "--store", "store.sqlite", "--format", "json"],
             [*COOPGRAPH, "stats", "--store", "new.sqlite"]]                                  # a first build
    add, replace, stats, first = on_tmpfs(tmp_path, size_kb + 160, {"store.sqlite": bundled_store_file}, steps)
    before = digest(bundled_store_file)
    for result in (add, replace):
        assert result["code"] == 1
        line = one_clear_line(result["err"])
        assert "the disk is full" in line and "the store is as it was" in line, line
        assert result["files"] == {"store.sqlite": before}, result["files"]     # no temporary file, no lock left
    assert stats["code"] == 0 and json.loads(stats["out"])["totals"]["claims"] == \
        open_store(bundled_store_file).counts()["claims"]
    assert first["code"] == 1 and "the disk is full" in one_clear_line(first["err"])
    assert "new.sqlite" not in first["files"]                          # no partial store
    assert not [n for n in first["files"] if n.endswith(".tmp")]       # no temporary file either


def test_a_read_only_file_system_refuses_writes_in_one_line_and_still_reads(tmp_path, bundled_store_file, mini_store_path):
    steps = [[*COOPGRAPH, "load", str(MINI), "--store", "store.sqlite"],
             [*COOPGRAPH, "stats", "--store", "store.sqlite", "--format", "json"],
             [*COOPGRAPH, "stats", "--store", "new.sqlite"]]
    load, stats, first = on_tmpfs(tmp_path, 2048, {"store.sqlite": bundled_store_file}, steps, readonly=True)
    assert load["code"] == 1 and "read-only" in one_clear_line(load["err"])
    assert load["files"] == {"store.sqlite": digest(bundled_store_file)}
    assert stats["code"] == 0 and json.loads(stats["out"])["totals"]["claims"] > 0
    assert first["code"] == 1 and "read-only" in one_clear_line(first["err"])


def test_permission_denied_ends_in_one_line_and_leaves_the_store(tmp_path, mini_store_path):
    folder = mini_store_path.parent
    before = digest(mini_store_path)
    f = own_file(tmp_path, 3)
    os.chmod(mini_store_path, 0o444)
    os.chmod(folder, 0o555)
    try:
        for args in (("load", f), ("load", "--replace", f), ("merge", "system:hawk", "system:falcon")):
            result = without_privileges([*COOPGRAPH, *map(str, args), "--store", str(mini_store_path)])
            assert result.returncode == 1, (args, result.stderr)
            assert "permission denied" in one_clear_line(result.stderr), (args, result.stderr)
        reading = without_privileges([*COOPGRAPH, "stats", "--store", str(mini_store_path)])
        assert reading.returncode == 0, reading.stderr
    finally:
        os.chmod(folder, 0o755)
        os.chmod(mini_store_path, 0o644)
    assert digest(mini_store_path) == before


def test_a_read_only_store_file_is_not_replaced(tmp_path, mini_store_path):
    before = digest(mini_store_path)
    os.chmod(mini_store_path, 0o444)
    try:
        result = cli("load", "--replace", own_file(tmp_path, 4), "--store", mini_store_path)
    finally:
        os.chmod(mini_store_path, 0o644)
    assert result.returncode == 1 and "read-only" in one_clear_line(result.stderr)
    assert digest(mini_store_path) == before


# -- 7. temporary files: removed on failure, swept at the next write --------------------------------------

def test_a_killed_replace_leaves_a_temporary_file_that_the_next_write_sweeps(tmp_path, mini_store_path):
    script = tmp_path / "slow_replace.py"
    script.write_text(textwrap.dedent(f"""
        from coopgraph.graph import sqlite_store
        from coopgraph.graph.store import open_store
        from coopgraph.loaders import load_files
        real = sqlite_store._insert
        def slow(conn, dataset, **options):
            real(conn, dataset, **options)
            print("building", flush=True)
            import time; time.sleep(600)
        sqlite_store._insert = slow
        open_store({str(mini_store_path)!r}).write(load_files([{str(MINI)!r}]), replace=True)
        """))
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "building"
    [temp] = mini_store_path.parent.glob(".coopgraph-*.sqlite.tmp")
    assert sweep_temp_files(mini_store_path.parent) == []          # held by a live writer: left alone
    proc.kill()
    proc.wait()
    assert temp.exists()                                           # what a kill -9 leaves behind
    os.utime(temp, (time.time() - 60, time.time() - 60))
    # a write to any store in the folder sweeps it
    other = mini_store_path.parent / "other.sqlite"
    open_store(other).write(Dataset(entities={"state:x": Entity("state:x", "state", "X")}))
    assert not temp.exists()
    assert open_store(mini_store_path).counts()["claims"] == 5


def test_a_temporary_file_another_process_is_building_is_not_swept(tmp_path):
    temp = tmp_path / ".coopgraph-inuse.sqlite.tmp"
    temp.write_bytes(b"x")
    os.utime(temp, (time.time() - 60, time.time() - 60))
    with open(temp, "rb") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        assert sweep_temp_files(tmp_path) == []
    assert sweep_temp_files(tmp_path) == [temp] and not temp.exists()


def test_a_failed_write_removes_its_temporary_file(mini_store_path, monkeypatch):
    def broken(conn, dataset, **options):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(sqlite_store, "_insert", broken)
    with pytest.raises(sqlite_store.StoreError, match="I/O error"):
        open_store(mini_store_path).write(load_files([MINI]), replace=True)
    assert not list(mini_store_path.parent.glob(".coopgraph-*"))


def test_library_errors_are_typed(tmp_path):
    target = foreign_sqlite(tmp_path / "x.db")
    with pytest.raises(NotAStoreError):
        open_store(target).exists()
    with pytest.raises(NotAStoreError):
        open_or_build(target)
