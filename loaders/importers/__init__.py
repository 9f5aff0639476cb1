"""The importers by name, and the one path every import takes into the store.

Each importer reads other people's files into raw records (documents, new
entities, deals, claims) plus an :class:`~coopgraph.loaders.resolve_names.ImportReport`
of the names it resolved, created or could not place and the rows it skipped.
:func:`import_file` then validates the records with the same
:func:`~coopgraph.loaders.validate.validate_records` as ``coopgraph load``,
against what the store holds, and writes them all or nothing.

================  ==========================================================
name              reads
================  ==========================================================
``csv``           a spreadsheet saved as CSV, with a column mapping
``xlsx``          an Excel workbook sheet, with a column mapping
``sipri``         a SIPRI Arms Transfers Database trade register export
``ftm``           FollowTheMoney entities (JSON lines; OpenSanctions, Aleph)
``graphml``       a GraphML file written by ``coopgraph export graphml``
``json``          a node-link JSON file written by ``coopgraph export json``
================  ==========================================================

Examples
--------
>>> sorted(IMPORTERS)
['csv', 'ftm', 'graphml', 'json', 'sipri', 'xlsx']
>>> import tempfile, pathlib
>>> from coopgraph.graph.sqlite_store import SQLiteStore
>>> from coopgraph.loaders.importers.table import Mapping
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "deals.csv").write_text("Seller,Buyer\\nAcme,Zenith\\n", encoding="utf-8")
>>> store = SQLiteStore(folder / "s.sqlite")
>>> report = import_file(store, "csv", folder / "deals.csv", mapping=Mapping.from_options(
...     ["subject=Seller", "object=Buyer"], ["relation=cooperates_with"], create="firm", doc_date="2024"))
>>> report.counts, store.counts()["claims"]
({'documents': 1, 'entities': 2, 'claims': 1, 'deals': 0}, 1)
"""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path
from dataclasses import dataclass
from typing import Any, Callable

from coopgraph.graph.schema import Schema, load_schema
from coopgraph.graph.store import Store
from coopgraph.loaders.importers import ftm, graphml, nodelink, sipri, table
from coopgraph.loaders.importers.table import Mapping
from coopgraph.loaders.resolve_names import ImportReport, index_for
from coopgraph.loaders.validate import validate_records


@dataclass(frozen=True)
class Importer:
    """One importer: its reader ``(path, index, **options) -> (raw records, report)`` and what it reads."""

    name: str
    reader: Callable[..., Any]
    description: str


#: importer name -> :class:`Importer`, each from its own module
IMPORTER_RECORDS: dict[str, Importer] = {i.name: i for i in (
    Importer("csv", partial(table.read_table, kind="csv"), table.DESCRIPTION_CSV),
    Importer("xlsx", partial(table.read_table, kind="xlsx"), table.DESCRIPTION_XLSX),
    Importer("sipri", sipri.read_sipri, sipri.DESCRIPTION),
    Importer("ftm", ftm.read_ftm, ftm.DESCRIPTION),
    Importer("graphml", graphml.read_graphml_records, graphml.DESCRIPTION),
    Importer("json", nodelink.read_json_records, nodelink.DESCRIPTION),
)}

#: importer name -> reader, for callers that only read
IMPORTERS: dict[str, Callable[..., Any]] = {name: i.reader for name, i in IMPORTER_RECORDS.items()}


def import_file(store: Store, importer: str, path: str | os.PathLike, *, schema: Schema | None = None,
                dry_run: bool = False, progress: Any = None, **options: Any) -> ImportReport:
    """Import ``path`` with the named importer into ``store``, all or nothing.

    Parameters
    ----------
    store : Store
        The target; its entities and merge decisions are what names resolve to.
    importer : str
        A key of :data:`IMPORTERS`.
    path : path
        The file to import.
    dry_run : bool
        Validate and report, but write nothing.
    **options
        Passed to the importer (``mapping=`` for ``csv``/``xlsx``).

    Returns
    -------
    ImportReport
        ``counts`` holds what the import validated; ``store_counts`` what the
        store holds afterwards (unless ``dry_run``).

    Raises
    ------
    ValidationError
        Every problem of the file (file, line/row, field, fix); nothing is written.
    """
    if importer not in IMPORTERS:
        from coopgraph.graph.errors import CoopgraphError

        raise CoopgraphError(f"unknown import format '{importer}'; use one of: {', '.join(IMPORTERS)}")
    schema = schema or load_schema()
    context, index = index_for(store, schema)
    if importer in ("csv", "xlsx") and options.get("mapping") is None:
        options["mapping"] = Mapping()
    records, report = IMPORTERS[importer](Path(path), index, **options)
    added = validate_records(records, schema, context=context, progress=progress)
    report.counts = added.counts()
    if not dry_run:
        report.store_counts = store.write(added, replace=False)
    return report
