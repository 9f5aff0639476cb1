// The suppliers of one programme, system, service or state: every flow arriving at it,
// who it came from, when, with what status, and on whose evidence.
:param entity => 'service:plaaf';
MATCH (target:Entity {id: $entity})<-[r:SUPPLIES|TRANSFERRED_TO|LICENSED_TO|ARMS_TRANSFERS_TO|MANUFACTURES|DEVELOPS|CONTRIBUTES_TO|COMPONENT_OF|EQUIPS|TRAINS|PRODUCED_IN]-(supplier:Entity)
RETURN supplier.name AS supplier, labels(supplier) AS kinds, r.relation AS relation,
       coalesce(r.date, r.start) AS date, r.end AS until, r.status AS status, r.confidence AS confidence,
       r.quantity AS quantity, r.documents AS documents, r.locators AS locators, r.quotes AS quotes
ORDER BY r.year, r.month, supplier
