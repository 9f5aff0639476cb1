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


def bundled_version() -> str:
    """A short fingerprint of the bundled dataset files (sha256 of their names and bytes, 12 hex digits).

    Two installs with the same fingerprint ship the same bundled data.

    Examples
    --------
    >>> len(bundled_version())
    12
    """
    import hashlib

    digest = hashlib.sha256()
    for path in bundled_files():
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]
