// The timeline of one entity: every claim it takes part in, in date order (undated last),
// the claims of its deals included (an item's transfers run through its Deal nodes).
:param entity => 'system:s-400';
MATCH (x:Entity {id: $entity})<-[:DEAL_ITEM*0..1]-(via)-[r]-()
WHERE r.claim_id IS NOT NULL
WITH DISTINCT r, startNode(r) AS s, endNode(r) AS e
WITH r, coalesce(r.subject, s.id) AS sid, coalesce(r.object, e.id) AS oid
MATCH (subject:Entity {id: sid})
MATCH (object:Entity {id: oid})
RETURN coalesce(r.date, r.start) AS date, r.end AS until, subject.name AS subject, r.relation AS relation,
       object.name AS object, r.deal AS deal, r.status AS status, r.confidence AS confidence, r.locators AS locators
ORDER BY coalesce(r.year, 9999), coalesce(r.month, 0), coalesce(r.day, 0), subject
