"""Read sources, validate them, and hand validated datasets to a store.

Examples
--------
>>> import tempfile, pathlib
>>> from coopgraph.loaders import open_or_build
>>> store = open_or_build(pathlib.Path(tempfile.mkdtemp()) / "g.sqlite")
>>> store.counts()["claims"] > 0
True
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Callable, Iterable

from coopgraph._lazy import lazy_names
from coopgraph.graph.store import Store, open_store

if TYPE_CHECKING:
    from coopgraph.graph.schema import Schema
    from coopgraph.loaders.bundled import load_bundled
    from coopgraph.loaders.files import load_files, read_files
    from coopgraph.loaders.validate import validate_records

__all__ = ["load_bundled", "load_files", "read_files", "validate_records", "open_or_build", "load_into"]

# Imported on first use (PEP 562): opening a store that exists needs none of the readers, the
# validators or the importers, and a quick command (`coopgraph show`) should not pay for them.
_LAZY = {"load_bundled": "coopgraph.loaders.bundled", "load_files": "coopgraph.loaders.files",
         "read_files": "coopgraph.loaders.files", "validate_records": "coopgraph.loaders.validate"}


__getattr__, __dir__ = lazy_names(globals(), _LAZY)


def open_or_build(path: str | os.PathLike | None = None) -> Store:
    """Open the embedded store, building it from the bundled dataset on first use."""
    store = open_store(path)
    if not store.exists():
        from coopgraph.loaders.bundled import load_bundled

        # under the write lock, and checked again: of several processes that find no store, one builds it
        # and the others wait and then use it (the new file appears whole, by a rename)
        with store.writing():
            if not store.exists():
                store.write(load_bundled(), replace=True)
    return store


def load_into(store: Store, paths: Iterable[str | os.PathLike], *, replace: bool = False,
              schema: Schema | None = None, progress: Callable[[int, int, str], None] | None = None) -> dict[str, int]:
    """Validate ``paths`` and write them into ``store``, all or nothing.

    With ``replace`` the store is rebuilt from the bundled dataset plus the files;
    otherwise the files are added to what the store holds (a restated claim gains
    the new citations; an entity or document with a known id is updated).

    Returns the store's counts afterwards.
    """
    from coopgraph.graph.bulk import paused_gc
    from coopgraph.graph.model import Dataset
    from coopgraph.graph.schema import load_schema
    from coopgraph.loaders.bundled import load_bundled
    from coopgraph.loaders.files import load_files

    schema = schema or load_schema()
    # one pause for the whole load: re-enabling the collector between validating and writing would
    # have it scan every claim just made (a quarter of a second per 100k claims)
    # the write lock spans reading the store, validating and writing, so a concurrent load can neither
    # slip in between (and be overwritten) nor be validated against a store that is about to change
    with paused_gc(), store.writing():
        if replace:
            base = load_bundled(schema)
            added = load_files(paths, schema, context=base, progress=progress)
            merged = Dataset({**base.documents, **added.documents}, {**base.entities, **added.entities},
                             _merge_claims(base.claims, added.claims), {**base.deals, **added.deals})
            return store.write(merged, replace=True)
        context = store.dataset(claims=False) if store.exists() else Dataset()
        added = load_files(paths, schema, context=context, progress=progress)
        return store.write(added, replace=False)


def _merge_claims(base: dict, added: dict) -> dict:
    from dataclasses import replace as dc_replace

    merged = dict(base)
    for cid, claim in added.items():
        if cid in merged:
            claim = dc_replace(claim, citations=tuple(dict.fromkeys(merged[cid].citations + claim.citations)))
        merged[cid] = claim
    return merged
