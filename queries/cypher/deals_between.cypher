// The deals (transfers) from one country to another: each Deal whose supplier belongs to
// the first and whose recipient belongs to the second, with every claim of the deal
// (supplier's and recipient's side), its date, status, quantity and each citation.
:param supplier => 'state:russia';
:param recipient => 'state:china';
MATCH (s:Entity)-[:SUPPLIES]->(d:Deal)-[:TRANSFERRED_TO|LICENSED_TO]->(r:Entity)
WHERE (s.id = $supplier OR s.country = $supplier) AND (r.id = $recipient OR r.country = $recipient)
WITH DISTINCT d
MATCH (party:Entity)-[c]-(d)
WHERE c.claim_id IS NOT NULL
UNWIND range(0, size(c.documents) - 1) AS i
RETURN d.id AS deal, d.label AS item, party.name AS party, c.relation AS relation,
       coalesce(c.date, c.start) AS date, c.status AS status, c.quantity AS quantity,
       c.documents[i] AS document, c.locators[i] AS locator, c.quotes[i] AS quote
ORDER BY deal, date, relation, locator
