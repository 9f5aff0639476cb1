// Sanctions: who imposed what on whom, under which law, in response to what, and when.
MATCH (s:Sanction)
OPTIONAL MATCH (imposer:Entity)-[i:IMPOSES]->(s)
OPTIONAL MATCH (s)-[t:TARGETS]->(target:Entity)
OPTIONAL MATCH (s)-[:LEGAL_BASIS]->(law:Entity)
OPTIONAL MATCH (s)-[:IN_RESPONSE_TO]->(cause:Entity)
RETURN s.name AS sanction, collect(DISTINCT imposer.name) AS imposedBy, collect(DISTINCT target.name) AS targets,
       collect(DISTINCT law.name) AS under, collect(DISTINCT cause.name) AS inResponseTo,
       min(coalesce(i.date, i.start, t.date, t.start)) AS date
ORDER BY date, sanction
