"""What a dataset holds, counted: the numbers behind ``coopgraph stats``."""

from __future__ import annotations

from collections import Counter
from typing import Any

from coopgraph.graph.model import Dataset


def dataset_stats(data: Dataset) -> dict[str, Any]:
    """Counts by entity type, relation type and document, and the span of years.

    Examples
    --------
    >>> from coopgraph.graph.model import Citation, Claim, Document
    >>> c = Claim("a:x", "supplies", "b:y", start="1992", end="2006", citations=(Citation("d", "p. 1", "q"),))
    >>> report = dataset_stats(Dataset({"d": Document("d", "T", "2020")}, {}, {c.id: c}))
    >>> report["years"], report["documents"]
    ({'first': 1992, 'last': 2006, 'undated_claims': 0}, {'d': 1})
    """
    years = [c.first_date.year for c in data.claims.values() if c.first_date] + [
        c.last_date.latest.year for c in data.claims.values() if c.last_date]
    citing: Counter[str] = Counter()
    for claim in data.claims.values():
        for doc in {c.document for c in claim.citations}:
            citing[doc] += 1
    return {
        "totals": {
            "documents": len(data.documents),
            "entities": len(data.entities),
            "claims": len(data.claims),
            "citations": sum(len(c.citations) for c in data.claims.values()),
        },
        "entity_types": dict(sorted(Counter(e.type for e in data.entities.values()).items())),
        "relation_types": dict(sorted(Counter(c.relation for c in data.claims.values()).items())),
        "documents": {doc_id: citing.get(doc_id, 0) for doc_id in sorted(data.documents)},
        "years": {
            "first": min(years) if years else None,
            "last": max(years) if years else None,
            "undated_claims": sum(1 for c in data.claims.values() if not c.is_dated),
        },
    }


