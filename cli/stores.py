"""Open the store a command asked for."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from coopgraph.graph.errors import StoreError
from coopgraph.graph.store import Store
from coopgraph.loaders import open_or_build


@dataclass(frozen=True)
class StoreSpec:
    """What ``--store``, ``--backend``, ``--uri``, ``--user`` and ``--database`` said."""

    path: Path | None = None
    backend: str = "embedded"
    uri: str | None = None
    user: str | None = None
    database: str | None = None

    @property
    def is_bolt(self) -> bool:
        return self.backend == "neo4j"


def open_bolt_store(spec: StoreSpec, **kwargs) -> Store:
    """The Bolt store named by ``spec``; the password comes from ``$NEO4J_PASSWORD`` only."""
    from coopgraph.graph.bolt_store import BoltStore

    return BoltStore(spec.uri, user=spec.user, password=os.environ.get("NEO4J_PASSWORD"), database=spec.database, **kwargs)


def open_cli_store(spec: StoreSpec | None) -> Store:
    """The embedded store (built on first use) or the Bolt store the options name."""
    spec = spec or StoreSpec()
    if spec.is_bolt:
        store = open_bolt_store(spec)
        if not store.exists():
            raise StoreError(f"the Neo4j database at {store.uri} holds no coopgraph graph yet; "
                             "run 'coopgraph load --backend neo4j --replace' or 'coopgraph push' first")
        return store
    check_store_folder(spec.path)
    store = open_or_build(spec.path)
    tell_if_migrated(store)
    return store


def check_store_folder(path: Path | None) -> None:
    """A store path given by ``--store`` (or ``$COOPGRAPH_STORE``) must lie in a folder that exists.

    A mistyped path must not become folders and a fresh store in which the
    claims loaded before seem to have vanished; only the default location
    (a per-user data folder) is created on first use.

    Raises
    ------
    StoreError
        When the folder is missing (or is not a folder).
    """
    if path is None:
        return
    folder = Path(path).expanduser().parent
    if not folder.is_dir():
        raise StoreError(f"no folder {folder} for the store {path}; check --store (or $COOPGRAPH_STORE), "
                         f"or create the folder first: mkdir -p {folder}")


def tell_if_migrated(store: Store) -> None:
    """Say on standard error that opening the store migrated it from an older layout (once per store)."""
    note = getattr(store, "migrated", None)
    if note:
        import click

        click.echo(note, err=True)
        store.migrated = None


def require_embedded(spec: StoreSpec, what: str) -> StoreSpec:
    """``spec``, or a clear error when a command that needs the embedded store got ``--backend neo4j``."""
    if spec.is_bolt:
        raise StoreError(f"{what} live in the embedded store only; drop --backend neo4j")
    return spec
