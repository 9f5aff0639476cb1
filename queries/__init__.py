"""Pure functions over a store or graph that return rows (or DataFrames). No printing.

pandas and matplotlib are imported only by the functions that need them, so a
quick command (``coopgraph show``) does not pay for them.

Examples
--------
>>> import tempfile, pathlib
>>> from coopgraph.loaders import open_or_build
>>> from coopgraph.queries import chains, show
>>> store = open_or_build(pathlib.Path(tempfile.mkdtemp()) / "g.sqlite")
>>> show(store, "S-400")["entity"]["type"]
'weapon_system'
>>> found = chains(store.graph(), "country:Russia", "country:China", max_hops=3)
>>> all(step["claims"][0]["citations"] for chain in found for step in chain["steps"])
True
"""

from coopgraph.queries.basic import claim_row, dataset_stats, info, search, show, stats, stats_rows, when_text
from coopgraph.queries.centrality import MEASURES, brokers, centrality
from coopgraph.queries.chains import ChainResult, chains, chains_frame
from coopgraph.queries.dossier import Dossier, Question, dossier
from coopgraph.queries.export import EXPORTERS
from coopgraph.queries.filters import ClaimFilter
from coopgraph.queries.impact import impact
from coopgraph.queries.lineage import lineage
from coopgraph.queries.paths import neighbours, paths
from coopgraph.queries.resolve import resolve_entity
from coopgraph.queries.selectors import resolve_node, select
from coopgraph.queries.timeline import timeline, timeline_counts

__all__ = [
    "EXPORTERS", "MEASURES", "ChainResult", "ClaimFilter", "Dossier", "Question", "brokers", "centrality", "chains",
    "chains_frame", "claim_row", "dataset_stats", "dossier", "impact", "info", "lineage", "neighbours", "paths",
    "resolve_entity", "resolve_node", "search", "select", "show", "stats", "stats_rows", "timeline", "timeline_counts", "when_text",
]
