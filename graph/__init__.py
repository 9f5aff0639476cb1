"""The model, the schema (declared as data) and the stores.

Examples
--------
>>> from coopgraph.graph import load_schema
>>> load_schema().relation("licensed_to").flow
'forward'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from coopgraph._lazy import lazy_names

if TYPE_CHECKING:
    from coopgraph.graph.errors import (
        AmbiguousNameError,
        CoopgraphError,
        NotFoundError,
        Problem,
        SchemaError,
        StoreError,
        ValidationError,
    )
    from coopgraph.graph.model import (
        Citation,
        Claim,
        Dataset,
        Document,
        Entity,
        Value,
        claim_id,
    )
    from coopgraph.graph.schema import Schema, load_schema
    from coopgraph.graph.store import Store, default_store_path, open_store

__all__ = [
    "AmbiguousNameError", "Citation", "Claim", "CoopgraphError", "Dataset", "Document", "Entity",
    "NotFoundError", "Problem", "Schema", "SchemaError", "Store", "StoreError", "ValidationError",
    "Value", "claim_id", "default_store_path", "load_schema", "open_store",
]

# Each name is imported from its module on first use (PEP 562), so that importing one module of the
# package (coopgraph.graph.errors, say) does not import the others: the schema module reads YAML.
_LAZY = {
    **dict.fromkeys(["AmbiguousNameError", "CoopgraphError", "NotFoundError", "Problem", "SchemaError", "StoreError",
                     "ValidationError"], "coopgraph.graph.errors"),
    **dict.fromkeys(["Citation", "Claim", "Dataset", "Document", "Entity", "Value", "claim_id"], "coopgraph.graph.model"),
    **dict.fromkeys(["Schema", "load_schema"], "coopgraph.graph.schema"),
    **dict.fromkeys(["Store", "default_store_path", "open_store"], "coopgraph.graph.store"),
}


__getattr__, __dir__ = lazy_names(globals(), _LAZY)
