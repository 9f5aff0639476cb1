"""The export formats, one module each, and their registry.

Each format's module holds its writer (``write_<format>(dataset, path, *, progress=None) -> counts``)
and, where the format can be read back losslessly, its reader (``read_<format>(path) -> Dataset``),
as networkx keeps both directions of a format in one module. A writer returns a mapping of counts
(numbers); it may add text entries (``command``) for the CLI to print. Adding a format means one
new module and one record in :data:`EXPORT_FORMATS`.

Examples
--------
>>> sorted(EXPORT_FORMATS)
['csv', 'cypher', 'gexf', 'graphml', 'json', 'neo4j-csv', 'xlsx']
>>> EXPORT_FORMATS["neo4j-csv"].directory, EXPORT_FORMATS["graphml"].reader.__name__
(True, 'read_graphml')
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from coopgraph.graph.model import Dataset
from coopgraph.queries.export.cypher import write_cypher
from coopgraph.queries.export.gexf import write_gexf
from coopgraph.queries.export.graphml import read_graphml, write_graphml
from coopgraph.queries.export.json import read_json, write_json
from coopgraph.queries.export.neo4j_csv import write_neo4j_csv
from coopgraph.queries.export.table import read_table, write_csv, write_xlsx

Writer = Callable[..., dict]  # (dataset, path, *, progress=None) -> counts
Reader = Callable[..., Dataset]  # (path) -> dataset


@dataclass(frozen=True)
class ExportFormat:
    """One export format: its writer, its reader (if any), what it is for, and whether PATH is a folder."""

    name: str
    writer: Writer
    description: str
    reader: Reader | None = None
    directory: bool = False


EXPORT_FORMATS: dict[str, ExportFormat] = {f.name: f for f in (
    ExportFormat("graphml", write_graphml, "one file for yEd, Gephi, Cytoscape, networkx, igraph (lossless)", read_graphml),
    ExportFormat("gexf", write_gexf, "GEXF 1.3 with time intervals: Gephi's timeline plays it"),
    ExportFormat("json", write_json, "node-link JSON with documents and citations (lossless)", read_json),
    ExportFormat("neo4j-csv", write_neo4j_csv, "a directory of CSV files for 'neo4j-admin database import full'",
                 directory=True),
    ExportFormat("cypher", write_cypher, "a MERGE script for cypher-shell (any Neo4j)"),
    ExportFormat("csv", write_csv, "one row per claim and citation, for spreadsheets", read_table),
    ExportFormat("xlsx", write_xlsx, "the same plus sheets of entities, documents and deals (lossless)", read_table),
)}

#: name -> writer, for callers that only write
EXPORTERS: dict[str, Writer] = {name: f.writer for name, f in EXPORT_FORMATS.items()}
