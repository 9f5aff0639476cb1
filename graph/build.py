"""Build the NetworkX compute graph from a dataset.

Nodes carry the entity's fields; each claim becomes one edge keyed by its claim
id, from subject to object, carrying dates, status, confidence, citations and
whether the relation is a flow (and in which direction) as the schema declares.
"""

from __future__ import annotations

import networkx as nx

from coopgraph.graph.deals import attach_deals
from coopgraph.graph.model import Dataset
from coopgraph.graph.schema import Schema, load_schema


def build_graph(dataset: Dataset, schema: Schema | None = None) -> nx.MultiDiGraph:
    """Return a ``MultiDiGraph`` with one node per entity and one edge per claim.

    Examples
    --------
    >>> from coopgraph.graph.model import Dataset, Entity, Claim, Citation
    >>> ds = Dataset(entities={
    ...     "state:a": Entity("state:a", "state", "A"),
    ...     "system:x": Entity("system:x", "weapon_system", "X")})
    >>> c = Claim("state:a", "supplies", "system:x", date="2001", citations=(Citation("d", "p. 1", "A sold X"),))
    >>> ds.claims[c.id] = c
    >>> g = build_graph(ds)
    >>> g.nodes["system:x"]["name"], g.edges["state:a", "system:x", c.id]["flow"]
    ('X', 'forward')
    """
    schema = schema or load_schema()
    graph = nx.MultiDiGraph()
    graph.graph["documents"] = {doc_id: doc.to_dict() for doc_id, doc in dataset.documents.items()}
    for entity in dataset.entities.values():
        graph.add_node(
            entity.id,
            type=entity.type,
            name=entity.name,
            aliases=list(entity.aliases),
            country=entity.country,
            description=entity.description,
            wikidata=entity.wikidata,
            attributes=entity.attributes,
        )
    flows = {name: rel.flow for name, rel in schema.relation_types.items()}
    for cid, claim in dataset.claims.items():
        graph.add_edge(
            claim.subject,
            claim.object,
            key=cid,
            id=cid,
            type=claim.relation,
            flow=flows.get(claim.relation, "none"),
            date=claim.date,
            start=claim.start,
            end=claim.end,
            circa=claim.circa,
            status=claim.status,
            confidence=claim.confidence,
            quantity=claim.quantity,
            unit=claim.unit,
            value=None if claim.value is None else {"amount": claim.value.amount, "currency": claim.value.currency, "estimate": claim.value.estimate},
            citations=[c.to_dict() for c in claim.citations],
            notes=claim.notes,
            attributes=claim.attributes,
            claim_key=claim.key,
            deal=claim.deal,
        )
    attach_deals(graph, schema.deal_relations, dataset.deals)
    return graph
