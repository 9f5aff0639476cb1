// Hubs of the flow network: entities with the most flow claims in and out, by kind.
// A claim of a transfer counts for its supplier or recipient and for its item (through the Deal).
// A quick look; `coopgraph brokers` computes true chokepoints (dominators) instead.
:param top => 15;
MATCH (n:Entity)<-[:DEAL_ITEM*0..1]-(via)-[r:SUPPLIES|TRANSFERRED_TO|LICENSED_TO|ARMS_TRANSFERS_TO|MANUFACTURES|DEVELOPS|CONTRIBUTES_TO|COMPONENT_OF|EQUIPS|TRAINS|PRODUCED_IN|COPY_OF|DERIVED_FROM|DEPENDS_ON]-(m)
WITH n, r, coalesce(r.subject, startNode(r).id) AS sid, coalesce(r.object, endNode(r).id) AS oid
WITH n, r, CASE WHEN sid = n.id THEN oid ELSE sid END AS other
WITH n, count(DISTINCT r) AS flows, count(DISTINCT other) AS partners
RETURN n.name AS entity, n.type AS type, flows, partners
ORDER BY flows DESC, partners DESC, entity
LIMIT $top
