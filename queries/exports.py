"""The registry of export formats: name -> writer(dataset, path, progress=None) -> counts.

Adding a format means one new module and one line here. A writer returns a
mapping of counts (numbers); it may add text entries (``command``) for the CLI
to print.
"""

from __future__ import annotations

from typing import Callable

from coopgraph.queries.export_cypher import write_cypher
from coopgraph.queries.export_gexf import write_gexf
from coopgraph.queries.export_graphml import write_graphml
from coopgraph.queries.export_json import write_json
from coopgraph.queries.export_neo4j_csv import write_neo4j_csv
from coopgraph.queries.export_table import write_csv, write_xlsx

Writer = Callable[..., dict]  # (dataset, path, *, progress=None) -> counts

EXPORTERS: dict[str, Writer] = {
    "json": write_json,
    "graphml": write_graphml,
    "gexf": write_gexf,
    "neo4j-csv": write_neo4j_csv,
    "cypher": write_cypher,
    "csv": write_csv,
    "xlsx": write_xlsx,
}

#: formats whose PATH is a directory of files rather than one file
DIRECTORY_FORMATS = frozenset({"neo4j-csv"})
