"""Node-link JSON export: documents, nodes and edges with their citations.

The keys ``documents`` (id, title, publisher, date), ``nodes`` (id, type, name,
aliases) and ``edges`` (id, source, target, type, start, end, status,
confidence, citations with document, locator, quote) are stable: other tools
read them. More keys may be added, never removed.
"""

from __future__ import annotations

import json
import os
from typing import Any

from coopgraph.graph.model import Dataset
from coopgraph.queries.atomic import atomic_output

FORMAT_VERSION = 1


def to_node_link(data: Dataset) -> dict[str, Any]:
    """The dataset as a node-link mapping (see the module docstring for the keys).

    Examples
    --------
    >>> from coopgraph.loaders import load_bundled
    >>> doc = to_node_link(load_bundled())
    >>> sorted(k for k in doc if k in ("documents", "nodes", "edges"))
    ['documents', 'edges', 'nodes']
    """
    return {
        "format": "coopgraph-node-link",
        "version": FORMAT_VERSION,
        "directed": True,
        "multigraph": True,
        "documents": [d.to_dict() for d in sorted(data.documents.values(), key=lambda d: d.id)],
        "nodes": [
            {
                "id": e.id,
                "type": e.type,
                "name": e.name,
                "aliases": list(e.aliases),
                "country": e.country,
                "description": e.description,
                "wikidata": e.wikidata,
                "attributes": e.attributes,
            }
            for e in sorted(data.entities.values(), key=lambda e: e.id)
        ],
        "edges": [
            {
                "id": cid,
                "source": c.subject,
                "target": c.object,
                "type": c.relation,
                "date": c.date,
                "start": c.start,
                "end": c.end,
                "circa": c.circa,
                "status": c.status,
                "confidence": c.confidence,
                "quantity": c.quantity,
                "unit": c.unit,
                "value": None if c.value is None else {"amount": c.value.amount, "currency": c.value.currency, "estimate": c.value.estimate},
                "key": c.key,
                "citations": [cit.to_dict() for cit in c.citations],
                "notes": c.notes,
                "attributes": c.attributes,
            }
            for cid, c in sorted(data.claims.items())
        ],
    }


def write_json(data: Dataset, path: str | os.PathLike) -> dict[str, int]:
    """Write node-link JSON to ``path`` (``-`` for standard output), atomically.

    Returns the counts written.
    """
    doc = to_node_link(data)
    with atomic_output(path) as out:
        json.dump(doc, out, ensure_ascii=False, indent=1)
        out.write("\n")
    return {"documents": len(doc["documents"]), "nodes": len(doc["nodes"]), "edges": len(doc["edges"])}
