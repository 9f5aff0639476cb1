// The documents behind a relationship: every claim between two entities (either way),
// each citation with its document, locator and quote. A claim of a transfer runs
// through its Deal node and names its own subject and object, which count here.
:param a => 'system:j-11';
:param b => 'system:su-27';
MATCH (x:Entity) WHERE x.id IN [$a, $b]
MATCH (x)<-[:DEAL_ITEM*0..1]-(via)-[r]-()
WHERE r.claim_id IS NOT NULL
WITH DISTINCT r, startNode(r) AS s, endNode(r) AS e
WITH r, coalesce(r.subject, s.id) AS sid, coalesce(r.object, e.id) AS oid
WHERE (sid = $a AND oid = $b) OR (sid = $b AND oid = $a)
MATCH (subject:Entity {id: sid})
MATCH (object:Entity {id: oid})
UNWIND range(0, size(r.documents) - 1) AS i
MATCH (d:Document {id: r.documents[i]})
RETURN subject.name AS subject, r.relation AS relation, object.name AS object, r.deal AS deal,
       coalesce(r.date, r.start) AS date, d.title AS document, d.publisher AS publisher, d.date AS published,
       r.locators[i] AS locator, r.quotes[i] AS quote
ORDER BY date, document
