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
