"""Claim filters shared by every report: as-of date, time window, confidence, status, relation.

They work on the edges of the compute graph (one edge per claim).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

import networkx as nx

from coopgraph.graph.dates import PartialDate, parse_optional


@dataclass(frozen=True)
class ClaimFilter:
    """Which claims a report may use.

    Parameters
    ----------
    as_of : str, optional
        Keep only claims that some cited document had published by this date.
    from_date, to_date : str, optional
        Keep dated claims whose span overlaps the window (undated claims are dropped
        when a window is given).
    min_confidence : float
        Drop claims below this confidence.
    statuses : set of str, optional
        Keep only these statuses.
    relations : set of str, optional
        Keep only these relation types.

    Examples
    --------
    >>> f = ClaimFilter(as_of="2019", min_confidence=0.5)
    >>> f.keeps({"confidence": 0.9, "status": "delivered", "type": "supplies", "date": "2015",
    ...          "citations": [{"document": "d"}]}, {"d": {"date": "2020-03"}})
    False
    """

    as_of: str | None = None
    from_date: str | None = None
    to_date: str | None = None
    min_confidence: float = 0.0
    statuses: frozenset[str] | None = None
    relations: frozenset[str] | None = None

    def __post_init__(self) -> None:
        for name in ("as_of", "from_date", "to_date"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, PartialDate.parse(value).isoformat())
        for name in ("statuses", "relations"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, frozenset):
                object.__setattr__(self, name, frozenset(value))

    @property
    def is_open(self) -> bool:
        return self == ClaimFilter()

    def keeps(self, edge: dict[str, Any], documents: dict[str, dict]) -> bool:
        """True when the claim on ``edge`` passes every condition."""
        if edge.get("confidence", 0.0) < self.min_confidence:
            return False
        if self.statuses is not None and edge.get("status") not in self.statuses:
            return False
        if self.relations is not None and edge.get("type") not in self.relations:
            return False
        if self.as_of is not None:
            limit = PartialDate.parse(self.as_of).latest
            published = [parse_optional(documents.get(c["document"], {}).get("date")) for c in edge.get("citations", ())]
            if not any(p is not None and p.earliest <= limit for p in published):
                return False
        if self.from_date is not None or self.to_date is not None:
            first, last = edge_span(edge)
            if first is None:
                return False
            if self.from_date is not None and last.latest < PartialDate.parse(self.from_date).earliest:
                return False
            if self.to_date is not None and first.earliest > PartialDate.parse(self.to_date).latest:
                return False
        return True


def edge_span(edge: dict[str, Any]) -> tuple[PartialDate | None, PartialDate | None]:
    """The first and last date a claim carries (``None, None`` when undated)."""
    first = parse_optional(edge.get("date") or edge.get("start") or edge.get("end"))
    last = parse_optional(edge.get("end") or edge.get("date") or edge.get("start"))
    return first, last


def filtered_graph(graph: nx.MultiDiGraph, claim_filter: ClaimFilter | None) -> nx.MultiDiGraph:
    """A view of ``graph`` with only the claims the filter keeps (all nodes stay)."""
    if claim_filter is None or claim_filter.is_open:
        return graph
    documents = graph.graph.get("documents", {})
    keep = {(u, v, k) for u, v, k, data in graph.edges(keys=True, data=True) if claim_filter.keeps(data, documents)}
    return nx.subgraph_view(graph, filter_edge=lambda u, v, k: (u, v, k) in keep)


def parse_statuses(values: Iterable[str] | None) -> frozenset[str] | None:
    """``("delivered,contracted", "agreed")`` -> ``{"delivered", "contracted", "agreed"}``."""
    if not values:
        return None
    out = {part.strip() for value in values for part in value.split(",") if part.strip()}
    return frozenset(out) or None


@dataclass
class Cut:
    """What a capped report left out, so that it can say so."""

    counts: dict[str, int] = field(default_factory=dict)

    def add(self, what: str, number: int = 1) -> None:
        self.counts[what] = self.counts.get(what, 0) + number


def as_of_note(documents: dict[str, dict], claim_filter: ClaimFilter | None) -> str | None:
    """What to say when ``--as-of`` is earlier than every document: nothing can be cited by then.

    Examples
    --------
    >>> docs = {"csis": {"date": "2020-03"}, "uts": {"date": "2022-11"}}
    >>> as_of_note(docs, ClaimFilter(as_of="2015"))
    'no document in the store was published by 2015 (--as-of), so no claim can be used; the documents are dated 2020-03 (csis), 2022-11 (uts)'
    >>> as_of_note(docs, ClaimFilter(as_of="2021")) is None
    True
    """
    if claim_filter is None or claim_filter.as_of is None:
        return None
    limit = PartialDate.parse(claim_filter.as_of).latest
    dated = sorted(((d.get("date") or "", doc_id) for doc_id, d in documents.items()), key=lambda t: (t[0], t[1]))
    if any(p is not None and p.earliest <= limit for p in (parse_optional(date) for date, _ in dated)):
        return None
    listing = ", ".join(f"{date or 'undated'} ({doc_id})" for date, doc_id in dated[:8])
    more = f" and {len(dated) - 8} more" if len(dated) > 8 else ""
    return (f"no document in the store was published by {claim_filter.as_of} (--as-of), so no claim can be used; "
            f"the documents are dated {listing}{more}" if dated else "the store holds no documents")
