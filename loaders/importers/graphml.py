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

from coopgraph.loaders.records import RawRecord
from coopgraph.loaders.resolve_names import ImportReport
from coopgraph.queries.export.graphml import read_graphml

DESCRIPTION = "a GraphML file written by 'coopgraph export graphml' (lossless round trip)"


def read_graphml_records(path: str | os.PathLike, index: Any = None) -> tuple[list[RawRecord], ImportReport]:
    """The importer interface: a GraphML file as raw records (one per document, entity, deal, claim)."""
    data = read_graphml(path)
    name = str(path)
    records = [RawRecord("documents", {k: v for k, v in d.to_dict().items() if v is not None}, name, None)
               for d in data.documents.values()]
    for entity in data.entities.values():
        fields = {k: v for k, v in entity.to_dict().items() if v not in (None, [], {})}
        records.append(RawRecord("entities", fields, name, None))
    for deal in data.deals.values():
        records.append(RawRecord("deals", {k: v for k, v in deal.to_dict().items() if v is not None}, name, None))
    for claim in data.claims.values():
        fields = claim.to_dict()
        fields.pop("id")
        if claim.value is not None:
            fields["value"] = {"amount": claim.value.amount, "currency": claim.value.currency, "estimate": claim.value.estimate}
        fields = {k: v for k, v in fields.items() if v not in (None, {}, False) or k == "circa"}
        records.append(RawRecord("claims", fields, name, None))
    report = ImportReport("graphml", name, rows=len(records))
    return records, report
