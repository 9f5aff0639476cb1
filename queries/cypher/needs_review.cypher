// Claims to review: undated, or below a confidence, or alleged, with their quotes
// (a claim of a transfer shows its own subject and object, not its Deal node).
:param maxConfidence => 0.6;
MATCH (x)-[r]->(y)
WHERE r.claim_id IS NOT NULL
  AND (r.year IS NULL OR r.confidence <= $maxConfidence OR r.status = 'alleged')
WITH r, coalesce(r.subject, x.id) AS sid, coalesce(r.object, y.id) AS oid
MATCH (a:Entity {id: sid})
MATCH (b:Entity {id: oid})
RETURN a.name AS subject, r.relation AS relation, b.name AS object, r.year AS year, r.status AS status,
       r.confidence AS confidence, r.notes AS notes, r.quotes AS quotes
ORDER BY r.confidence, subject
