"""Claims in date order, and counts per period and relation type."""

from __future__ import annotations

from typing import Any, Iterable

import networkx as nx

from coopgraph.graph.dates import PartialDate
from coopgraph.graph.errors import QueryError
from coopgraph.queries.evidence import edge_claim_row
from coopgraph.queries.filters import ClaimFilter, edge_span, filtered_graph
from coopgraph.queries.report import Report
from coopgraph.queries.selectors import resolve_node


def timeline(graph: nx.MultiDiGraph, entity: str | None = None, *, relations: Iterable[str] | None = None,
             entity_types: Iterable[str] | None = None, claim_filter: ClaimFilter | None = None,
             node: str | None = None) -> Report:
    """Claims in date order (undated last), each with its citations.

    Parameters
    ----------
    entity : str, optional
        Only claims the entity takes part in.
    relations : iterable of str, optional
        Only these relation types.
    entity_types : iterable of str, optional
        Only claims with an endpoint of these entity types.
    node : str, optional
        The id ``entity`` was already resolved to (by the store's name look-up);
        ``entity`` is then not looked up again. With it, ``graph`` may be the part
        of the store's graph around the entity (the store's
        ``entity_graph([node], relations)``): the rows are the same as on the
        whole graph.

    Returns
    -------
    Report
        One row per claim (:func:`~coopgraph.queries.evidence.edge_claim_row` plus
        ``year`` and ``month``: the period the claim is counted in, its earliest
        date, or the first month of the ``from_date`` window for a claim that
        began before it; ``month`` is ``None`` when the date gives no month), in
        date order.

    Raises
    ------
    NotFoundError
        When ``entity`` is given and names no entity.
    AmbiguousNameError
        When it names several (without ``entity`` nothing is looked up,
        and nothing can be raised).

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_nodes_from([("a", {"name": "A", "type": "state"}), ("b", {"name": "B", "type": "firm"})])
    >>> _ = g.add_edge("a", "b", key="c2", type="supplies", date="2015-11", citations=[])
    >>> _ = g.add_edge("a", "b", key="c1", type="supplies", date="2015", citations=[])
    >>> [r["when"] for r in timeline(g)]
    ['2015', '2015-11']
    """
    view = filtered_graph(graph, claim_filter)
    focus = node if node is not None else resolve_node(graph, entity) if entity else None
    wanted_rel = set(relations) if relations else None
    wanted_types = set(entity_types) if entity_types else None
    edges = view.edges(focus, keys=True, data=True) if focus else view.edges(keys=True, data=True)
    items = list(edges)
    if focus:
        items += [e for e in view.in_edges(focus, keys=True, data=True) if e[0] != focus]
    window_start = PartialDate.parse(claim_filter.from_date) if claim_filter and claim_filter.from_date else None
    rows = []
    for u, v, key, data in items:
        if wanted_rel is not None and data.get("type") not in wanted_rel:
            continue
        if wanted_types is not None and not ({graph.nodes[u].get("type"), graph.nodes[v].get("type")} & wanted_types):
            continue
        first, last = edge_span(data)
        row = edge_claim_row(graph, u, v, key, data)
        counted = first
        if first is not None and window_start is not None and first.latest < window_start.earliest:
            # a claim that began before --from-date is counted where the window starts, never before it
            counted = PartialDate(window_start.earliest.year, window_start.earliest.month, None, "month")
        row["year"] = counted.year if counted else None
        row["month"] = f"{counted.year:04d}-{counted.month:02d}" if counted and counted.month else None
        row["_sort"] = (first is None, first.sort_key if first else (0, 0, 0), key)
        rows.append(row)
    rows.sort(key=lambda r: r.pop("_sort"))
    return Report(rows, table_columns=["when", "statement", "status", "confidence"], notes=[f"{len(rows)} claim(s)"])


def timeline_counts(rows: Iterable[dict[str, Any]], by: str = "year") -> Report:
    """Counts of claims per period (``year`` or ``month``) and relation type; undated claims counted apart.

    By month, every period is a month: a claim dated to the year only is counted
    in ``YYYY-??`` (after that year's months), and a note says so.

    Examples
    --------
    >>> timeline_counts([{"year": 2015, "month": None, "relation": "supplies"},
    ...                  {"year": None, "month": None, "relation": "supplies"}]).rows
    [{'period': '2015', 'supplies': 1, 'total': 1}, {'period': 'undated', 'supplies': 1, 'total': 1}]
    """
    import pandas as pd

    if by not in ("year", "month"):
        raise QueryError(f"cannot count by '{by}'; count by 'year' or 'month'")
    records = []
    year_only = 0
    for row in rows:
        period = row.get(by)
        if by == "month" and not period and row.get("year"):
            # dated to the year only: a month-shaped period of its own, never the bare year beside months
            period, year_only = f"{row['year']}-??", year_only + 1
        records.append({"period": str(period) if period else "undated", "relation": row["relation"]})
    notes = [f"YYYY-??: {year_only} claim(s) dated to the year only, without a month"] if year_only else []
    if not records:
        return Report([], columns=["period", "total"])
    frame = pd.DataFrame(records)
    table = frame.pivot_table(index="period", columns="relation", aggfunc="size", fill_value=0)
    table["total"] = table.sum(axis=1)
    table = table.reset_index()
    table.columns.name = None
    table["_undated"] = table["period"] == "undated"
    table = table.sort_values(["_undated", "period"]).drop(columns="_undated").reset_index(drop=True)
    return Report(table.to_dict("records"), columns=list(table.columns), notes=notes)
