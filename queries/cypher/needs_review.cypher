// Claims to review: undated, or below a confidence, or alleged, with their quotes.
:param maxConfidence => 0.6;
MATCH (a:Entity)-[r]->(b:Entity)
WHERE r.claim_id IS NOT NULL
  AND (r.year IS NULL OR r.confidence <= $maxConfidence OR r.status = 'alleged')
RETURN a.name AS subject, r.relation AS relation, b.name AS object, r.year AS year, r.status AS status,
       r.confidence AS confidence, r.notes AS notes, r.quotes AS quotes
ORDER BY r.confidence, subject
