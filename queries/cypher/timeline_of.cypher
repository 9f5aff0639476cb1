// The timeline of one entity: every claim it takes part in, in date order (undated last).
:param entity => 'system:s-400';
MATCH (x:Entity {id: $entity})-[r]-(other:Entity)
WHERE r.claim_id IS NOT NULL
RETURN coalesce(r.date, r.start) AS date, r.end AS until, startNode(r).name AS subject, r.relation AS relation,
       endNode(r).name AS object, r.status AS status, r.confidence AS confidence, r.locators AS locators
ORDER BY coalesce(r.year, 9999), coalesce(r.month, 0), coalesce(r.day, 0), subject
