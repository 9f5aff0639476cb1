// The documents behind a relationship: every claim between two entities (either way),
// each citation with its document, locator and quote.
:param a => 'system:j-11';
:param b => 'system:su-27';
MATCH (x:Entity {id: $a})-[r]-(y:Entity {id: $b})
WHERE r.claim_id IS NOT NULL
UNWIND range(0, size(r.documents) - 1) AS i
MATCH (d:Document {id: r.documents[i]})
RETURN startNode(r).name AS subject, r.relation AS relation, endNode(r).name AS object,
       coalesce(r.date, r.start) AS date, d.title AS document, d.publisher AS publisher, d.date AS published,
       r.locators[i] AS locator, r.quotes[i] AS quote
ORDER BY date, document
