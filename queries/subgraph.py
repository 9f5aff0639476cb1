"""Choose the part of a dataset an export writes, with the same options as the reports.

Every option narrows the selection:

``claim_filter``
    a :class:`~coopgraph.queries.filters.ClaimFilter` (``--as-of``,
    ``--from-date``/``--to-date``, ``--min-confidence``, ``--status``): only the
    claims it keeps, and only the entities those claims touch;
``types``
    only entities of these types (and the claims between them);
``around`` and ``depth``
    only entities within ``depth`` claims of one entity, either way round;
``chains_from`` and ``chains_to``
    only the entities and claims of the dependency chains between two
    selectors (see :func:`coopgraph.queries.chains.chains`).

With no option the dataset itself is returned (no copy). A selection keeps the
documents its claims cite; the whole graph keeps every document.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from coopgraph.graph.model import Claim, Dataset
from coopgraph.graph.schema import Schema, load_schema

if TYPE_CHECKING:  # networkx loads only when --around or chains need the compute graph
    import networkx as nx

    from coopgraph.queries.filters import ClaimFilter

#: no cap on how many neighbours one entity contributes to an ``around`` selection
_NO_CAP = 10**9


def claim_edge(claim: Claim) -> dict:
    """The fields of a claim that :meth:`ClaimFilter.keeps` reads, as a compute-graph edge has them.

    >>> from coopgraph.graph.model import Citation
    >>> claim_edge(Claim("a", "supplies", "b", date="2001", citations=(Citation("d", "p. 1", "q"),)))["type"]
    'supplies'
    """
    return {
        "type": claim.relation,
        "date": claim.date,
        "start": claim.start,
        "end": claim.end,
        "status": claim.status,
        "confidence": claim.confidence,
        "citations": [{"document": c.document} for c in claim.citations],
    }


def select_subgraph(
    dataset: Dataset,
    *,
    claim_filter: "ClaimFilter | None" = None,
    types: Iterable[str] | None = None,
    around: str | None = None,
    depth: int = 1,
    chains_from: Iterable[str] | str | None = None,
    chains_to: Iterable[str] | str | None = None,
    max_hops: int = 4,
    chains_limit: int = 50,
    graph: "nx.MultiDiGraph | None" = None,
    schema: Schema | None = None,
) -> Dataset:
    """The part of ``dataset`` the options choose (see the module docstring).

    Parameters
    ----------
    dataset : Dataset
        Everything there is (``store.dataset()``).
    claim_filter : ClaimFilter, optional
        Which claims count; entities no kept claim touches are left out.
    types : iterable of str, optional
        Entity types to keep.
    around : str, optional
        An entity id, name or alias; keep what lies within ``depth`` claims of it.
    depth : int
        How many claims away from ``around``.
    chains_from, chains_to : selector or list of selectors, optional
        Keep only the dependency chains from these to those (both needed).
    max_hops, chains_limit : int
        Longest chain and most chains, as in the ``chains`` report.
    graph : networkx.MultiDiGraph, optional
        The compute graph of ``dataset`` if already built (``store.graph()``);
        built when ``around`` or chains need it.

    Returns
    -------
    Dataset
        A new dataset sharing the entity, claim and document objects, or
        ``dataset`` itself when no option is given.

    Examples
    --------
    >>> from coopgraph.graph.model import Citation, Document, Entity
    >>> from coopgraph.queries.filters import ClaimFilter
    >>> ds = Dataset(documents={"d": Document("d", "Report", "2020")})
    >>> for e in [Entity("state:a", "state", "A"), Entity("firm:b", "firm", "B"), Entity("system:x", "weapon_system", "X"),
    ...           Entity("state:c", "state", "C")]:
    ...     ds.entities[e.id] = e
    >>> for c in [Claim("firm:b", "manufactures", "system:x", date="1999", citations=(Citation("d", "p. 1", "B makes X"),)),
    ...           Claim("system:x", "transferred_to", "state:c", date="2010", citations=(Citation("d", "p. 2", "C got X"),))]:
    ...     ds.claims[c.id] = c
    >>> select_subgraph(ds) is ds
    True
    >>> select_subgraph(ds, claim_filter=ClaimFilter(to_date="2005")).counts()
    {'documents': 1, 'entities': 2, 'claims': 1, 'deals': 0}
    >>> sorted(select_subgraph(ds, around="B", depth=1).entities)
    ['firm:b', 'system:x']
    >>> sorted(select_subgraph(ds, types=["state", "weapon_system"]).entities)
    ['state:a', 'state:c', 'system:x']
    """
    filtering = claim_filter is not None and not claim_filter.is_open
    wanted_types = set(types) if types else None
    chaining = bool(chains_from) or bool(chains_to)
    if not (filtering or wanted_types or around or chaining):
        return dataset
    schema = schema or load_schema()
    if chaining and not (chains_from and chains_to):
        from coopgraph.graph.errors import CoopgraphError

        raise CoopgraphError("a chains selection needs both a source (--chains-from) and a target (--chains-to)")
    for etype in wanted_types or ():
        schema.entity_type(etype)  # raises with the list of known types

    documents = {d: doc.to_dict() for d, doc in dataset.documents.items()} if filtering else {}
    claims = {cid: c for cid, c in dataset.claims.items()
              if not filtering or claim_filter.keeps(claim_edge(c), documents)}
    entities = set(dataset.entities)
    if wanted_types is not None:
        entities = {e for e in entities if dataset.entities[e].type in wanted_types}
    if around or chaining:
        if graph is None:
            from coopgraph.graph.build import build_graph

            graph = build_graph(dataset, schema)
    if around:
        from coopgraph.queries.paths import neighbours

        found = neighbours(graph, around, depth=depth, types=wanted_types, cap=_NO_CAP, claim_filter=claim_filter)
        entities &= {found["entity"]} | {row["id"] for row in found["rows"]}
        if wanted_types is not None and dataset.entities[found["entity"]].type not in wanted_types:
            entities.add(found["entity"])  # the centre stays, whatever its type
    if chaining:
        from coopgraph.queries.chains import chains

        result = chains(graph, _as_list(chains_from), _as_list(chains_to), claim_filter=claim_filter,
                        max_hops=max_hops, limit=chains_limit, schema=schema)
        chain_nodes = {node.get("item") or node["id"] for chain in result for node in chain["nodes"]}
        chain_claims = {c["claim"] for chain in result for step in chain["steps"] for c in step["claims"]}
        entities &= chain_nodes
        claims = {cid: c for cid, c in claims.items() if cid in chain_claims}
    claims = {cid: c for cid, c in claims.items() if c.subject in entities and c.object in entities}
    if filtering:
        touched = {e for c in claims.values() for e in (c.subject, c.object)}
        entities &= touched | ({found["entity"]} if around else set())
    cited = {cit.document for c in claims.values() for cit in c.citations}
    kept_deals = {c.deal for c in claims.values() if c.deal}
    return Dataset(
        documents={d: doc for d, doc in dataset.documents.items() if d in cited},
        entities={e: ent for e, ent in dataset.entities.items() if e in entities},
        claims=dict(sorted(claims.items())),
        # a deal goes with its claims; its parties are entities of the claims kept (or absent from the part)
        deals={d: deal.__class__(deal.id, deal.item, deal.supplier if deal.supplier in entities else None,
                                 deal.recipient if deal.recipient in entities else None, deal.variant, deal.name,
                                 deal.notes)
               for d, deal in sorted(dataset.deals.items()) if d in kept_deals and deal.item in entities},
    )


def _as_list(value: Iterable[str] | str | None) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return list(value)
