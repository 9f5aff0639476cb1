"""The ``graphml`` importer: a coopgraph GraphML file (``coopgraph export graphml``) as records.

The format, both ways, is :mod:`coopgraph.queries.export.graphml`; this module
hands what :func:`~coopgraph.queries.export.graphml.read_graphml` reads to the
same validation as ``load``.

Examples
--------
>>> import tempfile, pathlib
>>> from coopgraph.loaders import load_bundled
>>> from coopgraph.queries.export.graphml import write_graphml
>>> path = pathlib.Path(tempfile.mkdtemp()) / "g.graphml"
>>> _ = write_graphml(load_bundled(), path)
>>> records, report = read_graphml_records(path)
>>> report.rows == len(records)
True
"""

from __future__ import annotations

import os
from typing import Any

from coopgraph.loaders.importers.nodelink import dataset_records
from coopgraph.loaders.records import RawRecord
from coopgraph.loaders.resolve_names import ImportReport
from coopgraph.queries.export.graphml import read_graphml

DESCRIPTION = "a GraphML file written by 'coopgraph export graphml' (lossless round trip)"


def read_graphml_records(path: str | os.PathLike, index: Any = None) -> tuple[list[RawRecord], ImportReport]:
    """The importer interface: a GraphML file as raw records (one per document, entity, deal, claim)."""
    name = str(path)
    records = dataset_records(read_graphml(path), name)
    report = ImportReport("graphml", name, rows=len(records))
    return records, report
