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

from __future__ import annotations

import sys
import types
from typing import TYPE_CHECKING

from coopgraph._lazy import lazy_names

if TYPE_CHECKING:
    from coopgraph.queries.basic import (
        claim_row,
        dataset_stats,
        info,
        search,
        show,
        stats,
        stats_rows,
        when_text,
    )
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

#: where each name of the query API is defined; imported on first use (PEP 562), so that ``show`` does not
#: import networkx, pandas or matplotlib for the reports that need them
_LAZY = {
    **dict.fromkeys(["claim_row", "dataset_stats", "info", "search", "show", "stats", "stats_rows", "when_text"],
                    "coopgraph.queries.basic"),
    **dict.fromkeys(["MEASURES", "brokers", "centrality"], "coopgraph.queries.centrality"),
    **dict.fromkeys(["ChainResult", "chains", "chains_frame"], "coopgraph.queries.chains"),
    **dict.fromkeys(["Dossier", "Question", "dossier"], "coopgraph.queries.dossier"),
    "EXPORTERS": "coopgraph.queries.export",
    "ClaimFilter": "coopgraph.queries.filters",
    "impact": "coopgraph.queries.impact",
    "lineage": "coopgraph.queries.lineage",
    **dict.fromkeys(["neighbours", "paths"], "coopgraph.queries.paths"),
    "resolve_entity": "coopgraph.queries.resolve",
    **dict.fromkeys(["resolve_node", "select"], "coopgraph.queries.selectors"),
    **dict.fromkeys(["timeline", "timeline_counts"], "coopgraph.queries.timeline"),
}

__all__ = [
    "EXPORTERS", "MEASURES", "ChainResult", "ClaimFilter", "Dossier", "Question", "brokers", "centrality", "chains",
    "chains_frame", "claim_row", "dataset_stats", "dossier", "impact", "info", "lineage", "neighbours", "paths",
    "resolve_entity", "resolve_node", "search", "select", "show", "stats", "stats_rows", "timeline", "timeline_counts", "when_text",
]


__getattr__, __dir__ = lazy_names(globals(), _LAZY)


class _QueryAPI(types.ModuleType):
    """This package, whose report functions keep their names when their modules are imported.

    Importing ``coopgraph.queries.chains`` binds the name ``chains`` of this package; it
    is bound to the function ``chains`` of that module instead, as eager imports here
    always left it, so ``from coopgraph.queries import chains`` gives the function.
    """

    def __setattr__(self, name: str, value) -> None:
        if (name in _LAZY and isinstance(value, types.ModuleType) and value.__name__ == f"{__name__}.{name}"
                and hasattr(value, name)):
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _QueryAPI
