// The suppliers of one programme, system, service or state: every flow arriving at it,
// who it came from, when, with what status, and on whose evidence. A transfer counts
// through its Deal: for an item, the supplier of each of its deals; for a recipient,
// the supplier of each deal delivered to it (`item` names what came).
:param entity => 'service:plaaf';
MATCH (target:Entity {id: $entity})<-[:DEAL_ITEM*0..1]-(via)<-[r:SUPPLIES|TRANSFERRED_TO|LICENSED_TO|ARMS_TRANSFERS_TO|MANUFACTURES|DEVELOPS|CONTRIBUTES_TO|COMPONENT_OF|EQUIPS|TRAINS|PRODUCED_IN]-(from)
WITH r, from, via, head([(s:Entity)-[:SUPPLIES]->(from) | s]) AS dealSupplier
WITH r, CASE WHEN from:Deal THEN dealSupplier ELSE from END AS supplier,
     CASE WHEN from:Deal THEN from WHEN via:Deal THEN via END AS deal
RETURN coalesce(supplier.name, 'not named') AS supplier, labels(supplier) AS kinds, r.relation AS relation,
       deal.label AS item, deal.id AS deal,
       coalesce(r.date, r.start) AS date, r.end AS until, r.status AS status, r.confidence AS confidence,
       r.quantity AS quantity, r.documents AS documents, r.locators AS locators, r.quotes AS quotes
ORDER BY r.year, r.month, supplier
