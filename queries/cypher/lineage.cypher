// The lineage of a design: what it was copied from, derived from or licensed as, both ways,
// up to four steps, dated and cited (Su-27 -> J-11 ...).
:param design => 'system:su-27';
MATCH p = (start:Entity {id: $design})-[:COPY_OF|DERIVED_FROM|LICENSED_TO*1..4]-(other:Entity)
UNWIND relationships(p) AS r
WITH DISTINCT r, startNode(r) AS a, endNode(r) AS b
RETURN a.name AS subject, r.relation AS relation, b.name AS object, coalesce(r.date, r.start) AS date,
       r.circa AS circa, r.status AS status, r.confidence AS confidence, r.locators AS locators, r.quotes AS quotes
ORDER BY r.year, subject
