// Hubs of the flow network: entities with the most flow claims in and out, by kind.
// A quick look; `coopgraph brokers` computes true chokepoints (dominators) instead.
:param top => 15;
MATCH (n:Entity)-[r:SUPPLIES|TRANSFERRED_TO|LICENSED_TO|ARMS_TRANSFERS_TO|MANUFACTURES|DEVELOPS|CONTRIBUTES_TO|COMPONENT_OF|EQUIPS|TRAINS|PRODUCED_IN|COPY_OF|DERIVED_FROM|DEPENDS_ON]-(other:Entity)
WITH n, count(DISTINCT r) AS flows, count(DISTINCT other) AS partners
RETURN n.name AS entity, n.type AS type, flows, partners
ORDER BY flows DESC, partners DESC, entity
LIMIT $top
