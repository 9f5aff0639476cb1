"""The ``json`` importer: coopgraph's own node-link JSON (``coopgraph export json``) as records.

The format, both ways, is :mod:`coopgraph.queries.export.json`; this module hands
what :func:`~coopgraph.queries.export.json.read_json` reads to the same validation
as ``load``. ``coopgraph load graph.json`` reads such a file too (it is told apart
from a dataset file by its ``"format": "coopgraph-node-link"`` header), so an
export can be loaded back into another store.

Examples
--------
>>> import tempfile, pathlib
>>> from coopgraph.loaders import load_bundled
>>> from coopgraph.queries.export import json as node_link
>>> path = pathlib.Path(tempfile.mkdtemp()) / "g.json"
>>> node_link.write_json(load_bundled(), path)["nodes"] > 0
True
>>> is_node_link(path)
True
>>> records, report = read_json_records(path)
>>> report.rows == len(records)
True
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from coopgraph.graph.errors import CoopgraphError, Problem, ValidationError
from coopgraph.graph.model import Dataset
from coopgraph.loaders.records import RawRecord
from coopgraph.loaders.resolve_names import ImportReport

DESCRIPTION = "coopgraph's node-link JSON, as 'coopgraph export json' writes it (lossless round trip)"

_MARK = b'"coopgraph-node-link"'


def is_node_link(path: str | os.PathLike) -> bool:
    """True when ``path`` is a JSON file that starts like a coopgraph node-link export."""
    path = Path(path)
    if path.suffix.lower() != ".json" or not path.is_file():
        return False
    try:
        with open(path, "rb") as handle:
            head = handle.read(512)
    except OSError:
        return False
    return head.lstrip().startswith(b"{") and _MARK in head


def dataset_records(data: Dataset, name: str) -> list[RawRecord]:
    """A dataset as raw records (documents, entities, deals, claims) for :func:`~coopgraph.loaders.validate.validate_records`."""
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
        # by identity, not `v not in (None, {}, False)`: 0 == False, and a quantity of 0 (SIPRI's "0 ordered")
        # or a confidence of 0.0 dropped here would load back as another claim (its id hashes the quantity)
        fields = {k: v for k, v in fields.items() if k == "circa" or not (v is None or v is False or v == {})}
        records.append(RawRecord("claims", fields, name, None))
    return records


def read_json_records(path: str | os.PathLike, index: Any = None) -> tuple[list[RawRecord], ImportReport]:
    """The importer interface: a node-link JSON file as raw records (one per document, entity, deal, claim).

    Raises
    ------
    ValidationError
        When the file is not JSON or not a coopgraph node-link document.
    """
    from coopgraph.queries.export.json import read_json

    name = str(path)
    try:
        data = read_json(path)
    except CoopgraphError as exc:
        raise ValidationError([Problem(name, None, None, str(exc).removeprefix(f"{name}: "),
                                       "give a file written by 'coopgraph export json'")]) from None
    except (KeyError, TypeError, ValueError) as exc:
        raise ValidationError([Problem(name, None, None, f"not a complete coopgraph node-link document ({exc!r} missing or wrong)",
                                       "give a file written by 'coopgraph export json'")]) from None
    records = dataset_records(data, name)
    return records, ImportReport("json", name, rows=len(records))
