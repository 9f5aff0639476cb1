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
from coopgraph.queries.progress import Progress, counted

FORMAT_VERSION = 1


def _node(e) -> dict[str, Any]:
    return {"id": e.id, "type": e.type, "name": e.name, "aliases": list(e.aliases), "country": e.country,
            "description": e.description, "wikidata": e.wikidata, "attributes": e.attributes}


def _edge(cid: str, c) -> dict[str, Any]:
    return {
        "id": cid, "source": c.subject, "target": c.object, "type": c.relation, "date": c.date, "start": c.start,
        "end": c.end, "circa": c.circa, "status": c.status, "confidence": c.confidence, "quantity": c.quantity,
        "unit": c.unit,
        "value": None if c.value is None else {"amount": c.value.amount, "currency": c.value.currency, "estimate": c.value.estimate},
        "key": c.key, "citations": [cit.to_dict() for cit in c.citations], "notes": c.notes, "attributes": c.attributes,
    }


_HEADER = {"format": "coopgraph-node-link", "version": FORMAT_VERSION, "directed": True, "multigraph": True}


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
        **_HEADER,
        "documents": [d.to_dict() for d in sorted(data.documents.values(), key=lambda d: d.id)],
        "nodes": [_node(e) for e in sorted(data.entities.values(), key=lambda e: e.id)],
        "edges": [_edge(cid, c) for cid, c in sorted(data.claims.items())],
    }


def write_json(data: Dataset, path: str | os.PathLike, progress: Progress | None = None) -> dict[str, int]:
    """Write node-link JSON to ``path`` (``-`` for standard output), atomically.

    Streams one record at a time, so no second copy of the graph is built in memory.
    Returns the counts written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from coopgraph.loaders import load_bundled
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "g.json"
    >>> data = load_bundled()
    >>> _ = write_json(data, target)
    >>> json.loads(target.read_text()) == to_node_link(data)
    True
    """
    sections = (
        ("documents", (d.to_dict() for d in sorted(data.documents.values(), key=lambda d: d.id))),
        ("nodes", (_node(e) for e in sorted(data.entities.values(), key=lambda e: e.id))),
        ("edges", (_edge(cid, c) for cid, c in counted(sorted(data.claims.items()), len(data.claims), "claims", progress))),
    )
    counts = {}
    with atomic_output(path) as out:
        out.write("{\n")
        for key, value in _HEADER.items():
            out.write(f" {json.dumps(key)}: {json.dumps(value)},\n")
        for number, (key, items) in enumerate(sections):
            out.write(f" {json.dumps(key)}: [")
            count = 0
            for item in items:
                out.write(("," if count else "") + "\n  " + json.dumps(item, ensure_ascii=False))
                count += 1
            out.write("\n ]" + ("," if number < len(sections) - 1 else "") + "\n")
            counts[key] = count
        out.write("}\n")
    return counts
