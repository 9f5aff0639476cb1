"""Pure functions over a store or graph that return rows (or DataFrames). No printing.

Examples
--------
>>> import tempfile, pathlib
>>> from coopgraph.loaders import open_or_build
>>> from coopgraph.queries import show
>>> show(open_or_build(pathlib.Path(tempfile.mkdtemp()) / "g.sqlite"), "S-400")["entity"]["type"]
'weapon_system'
"""

from coopgraph.queries.basic import claim_row, dataset_stats, search, show, stats, stats_rows, when_text
from coopgraph.queries.exports import EXPORTERS
from coopgraph.queries.resolve import resolve_entity

__all__ = ["EXPORTERS", "claim_row", "dataset_stats", "resolve_entity", "search", "show", "stats", "stats_rows", "when_text"]
