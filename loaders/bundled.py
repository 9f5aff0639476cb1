"""The dataset shipped inside the package (``coopgraph.data``, the folder ``package/data`` of the repository)."""

from __future__ import annotations

from coopgraph.data import bundled_files
from coopgraph.graph.model import Dataset
from coopgraph.graph.schema import Schema
from coopgraph.loaders.files import load_files


def load_bundled(schema: Schema | None = None) -> Dataset:
    """Read and validate the bundled dataset.

    Examples
    --------
    >>> ds = load_bundled()
    >>> "csis-2020-mtc-primer" in ds.documents
    True
    """
    return load_files(bundled_files(), schema)
