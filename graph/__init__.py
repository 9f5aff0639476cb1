"""The model, the schema (declared as data) and the stores.

Examples
--------
>>> from coopgraph.graph import load_schema
>>> load_schema().relation("licensed_to").flow
'forward'
"""

from coopgraph.graph.errors import (
    AmbiguousNameError,
    CoopgraphError,
    NotFoundError,
    Problem,
    SchemaError,
    StoreError,
    ValidationError,
)
from coopgraph.graph.model import Citation, Claim, Dataset, Document, Entity, Value, claim_id
from coopgraph.graph.schema import Schema, load_schema
from coopgraph.graph.store import Store, default_store_path, open_store

__all__ = [
    "AmbiguousNameError", "Citation", "Claim", "CoopgraphError", "Dataset", "Document", "Entity",
    "NotFoundError", "Problem", "Schema", "SchemaError", "Store", "StoreError", "ValidationError",
    "Value", "claim_id", "default_store_path", "load_schema", "open_store",
]
