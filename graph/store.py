"""The store interface every backend implements, and how to open one.

Two backends sit behind it: the embedded SQLite store (the default; no server)
and the Bolt store (Neo4j, or FalkorDB in tests). Queries read a store through
:meth:`Store.graph` (a NetworkX ``MultiDiGraph``) or its point look-ups.
"""

from __future__ import annotations

import abc
import contextlib
import os
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from coopgraph.graph.model import Claim, Dataset, Deal, Entity

if TYPE_CHECKING:
    import networkx as nx


class Store(abc.ABC):
    """What a coopgraph store can do; one small interface for every backend."""

    #: short name shown to users: "embedded" or "neo4j"
    backend: str = "abstract"

    @abc.abstractmethod
    def exists(self) -> bool:
        """True when the store holds a coopgraph graph (possibly empty)."""

    @abc.abstractmethod
    def write(self, dataset: Dataset, *, replace: bool = False) -> dict[str, int]:
        """Write a validated dataset, all or nothing; ``replace`` drops what was there.

        Returns counts of what the store holds afterwards.
        """

    @abc.abstractmethod
    def dataset(self, claims: bool = True) -> Dataset:
        """Everything in the store, as one :class:`Dataset`.

        ``claims=False`` leaves the claims out: documents and entities are all that
        validating new records against the store needs, and far fewer.
        """

    @abc.abstractmethod
    def entity(self, entity_id: str) -> Entity | None:
        """One entity by id, or ``None``."""

    def entities(self, entity_ids: Iterable[str]) -> dict[str, Entity]:
        """The entities among ``entity_ids`` that the store holds, by id (in the order asked)."""
        found = {}
        for entity_id in dict.fromkeys(entity_ids):
            entity = self.entity(entity_id)
            if entity is not None:
                found[entity_id] = entity
        return found

    @abc.abstractmethod
    def find_entities(self, text: str, limit: int = 50) -> list[Entity]:
        """Entities whose id, name or alias contains ``text`` (case-insensitive), best first."""

    @abc.abstractmethod
    def claims_of(self, entity_id: str) -> list[Claim]:
        """Every claim with the entity as subject or object, in date order."""

    def deal_records(self, deal_ids: Iterable[str]) -> dict[str, Deal]:
        """The declared deals among ``deal_ids`` (implied deals have no record)."""
        wanted = set(deal_ids)
        return {d: deal for d, deal in self.dataset(claims=False).deals.items() if d in wanted}

    @abc.abstractmethod
    def counts(self) -> dict[str, int]:
        """Numbers of documents, entities, claims and citations."""

    def graph(self) -> "nx.MultiDiGraph":
        """The whole store as a NetworkX ``MultiDiGraph`` (built once, then cached)."""
        cached = getattr(self, "_graph_cache", None)
        if cached is None:
            from coopgraph.graph.build import build_graph

            cached = build_graph(self.dataset())
            self._graph_cache = cached
        return cached

    #: whether :meth:`entity_graph` reads a part of the store on its own (not the whole graph), so that
    #: reports may walk outward part by part
    reads_parts: bool = False

    def entity_graph(self, entity_ids: Iterable[str], relations: Iterable[str] | None = None,
                     depth: int = 0) -> "nx.MultiDiGraph":
        """A graph holding the part of :meth:`graph` around ``entity_ids``: the claims (of
        ``relations``, or all) they take part in, then, ``depth`` times over, those of the
        entities at the other ends, with the same node and edge attributes as :meth:`graph`.

        A backend that cannot read a part on its own gives the whole graph, which holds it:
        a report that reads no further than the part answers the same on either.
        """
        return self.graph()

    def node_named(self, text: str) -> str | None:
        """The entity id ``text`` names when a cheap look-up settles it (an exact id, or the
        one exact name or alias), as :func:`coopgraph.queries.selectors.resolve_node` would
        on :meth:`graph`; ``None`` when it takes :meth:`name_graph` and ``resolve_node``."""
        return None

    def name_graph(self) -> "nx.MultiDiGraph":
        """A graph with every entity as a node carrying at least its ``name`` and ``aliases``:
        what :func:`~coopgraph.queries.selectors.resolve_node` reads (by default, :meth:`graph`)."""
        return self.graph()

    def summary(self) -> dict:
        """Counts by entity type, relation type and document, and the span of years."""
        from coopgraph.graph.summary import dataset_stats

        return dataset_stats(self.dataset())

    def writing(self) -> contextlib.AbstractContextManager:
        """Hold the store's write lock for a read-validate-write sequence (re-entrant).

        The embedded store takes a file lock, so that concurrent writers (first
        builds included) take turns and none is lost; a server does its own
        concurrency control, so the default holds nothing.
        """
        return contextlib.nullcontext()

    def close(self) -> None:
        """Release connections."""

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def default_store_path() -> Path:
    """``$COOPGRAPH_STORE`` if set, else a per-user data location."""
    env = os.environ.get("COOPGRAPH_STORE")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("coopgraph", appauthor=False)) / "coopgraph.sqlite"


def open_store(path: str | os.PathLike | None = None) -> "Store":
    """Open the embedded store at ``path`` (default: :func:`default_store_path`).

    This only opens; a store that does not exist yet is empty. To build it from
    the bundled dataset on first use, call ``coopgraph.loaders.open_or_build``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with open_store(pathlib.Path(tempfile.mkdtemp()) / "g.sqlite") as store:
    ...     store.exists(), store.counts()["claims"]
    (False, 0)
    """
    from coopgraph.graph.sqlite_store import SQLiteStore

    return SQLiteStore(Path(path).expanduser() if path else default_store_path())
