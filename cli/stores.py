"""Open the store a command asked for."""

from __future__ import annotations

import os
from pathlib import Path

from coopgraph.graph.errors import StoreError
from coopgraph.graph.store import Store
from coopgraph.loaders import open_or_build


def open_cli_store(store_path: Path | None, backend: str = "embedded", uri: str | None = None,
                   user: str | None = None, database: str | None = None) -> Store:
    """The embedded store (built on first use) or a Bolt store with the password from ``$NEO4J_PASSWORD``."""
    if backend == "embedded":
        return open_or_build(store_path)
    try:
        from coopgraph.graph.bolt_store import BoltStore
    except ImportError as exc:  # pragma: no cover - the module ships with the package
        raise StoreError(f"the neo4j backend is not available: {exc}") from None
    return BoltStore(uri, user=user, password=os.environ.get("NEO4J_PASSWORD"), database=database)
