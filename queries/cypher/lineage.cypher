// The lineage of a design: what it was copied from, derived from or licensed as, both ways,
// up to four steps, dated and cited (Su-27 -> J-11 ...). A licence runs through its Deal
// node (design <-DEAL_ITEM- Deal -LICENSED_TO-> licensee), so it takes two relationships.
:param design => 'system:su-27';
MATCH p = (start:Entity {id: $design})-[:COPY_OF|DERIVED_FROM|LICENSED_TO|DEAL_ITEM*1..5]-(other)
WHERE size([r IN relationships(p) WHERE r.claim_id IS NOT NULL]) <= 4
UNWIND relationships(p) AS r
WITH DISTINCT r, startNode(r) AS a, endNode(r) AS b
WHERE r.claim_id IS NOT NULL
WITH r, coalesce(r.subject, a.id) AS sid, coalesce(r.object, b.id) AS oid
MATCH (subject:Entity {id: sid})
MATCH (object:Entity {id: oid})
RETURN subject.name AS subject, r.relation AS relation, object.name AS object, coalesce(r.date, r.start) AS date,
       r.circa AS circa, r.status AS status, r.confidence AS confidence, r.locators AS locators, r.quotes AS quotes
ORDER BY r.year, subject
