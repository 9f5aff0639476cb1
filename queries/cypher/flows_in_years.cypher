// What flowed in a range of years: every dated flow claim whose first year lies in the range,
// with its own subject and object and, for a transfer, the Deal it is one side of.
:param fromYear => 2014;
:param toYear => 2019;
MATCH (x)-[r:SUPPLIES|TRANSFERRED_TO|LICENSED_TO|ARMS_TRANSFERS_TO|MANUFACTURES|DEVELOPS|CONTRIBUTES_TO|COMPONENT_OF|EQUIPS|TRAINS|PRODUCED_IN|COPY_OF|DERIVED_FROM|DEPENDS_ON]->(y)
WHERE r.year >= $fromYear AND r.year <= $toYear
WITH r, coalesce(r.subject, x.id) AS sid, coalesce(r.object, y.id) AS oid,
     CASE WHEN x:Deal THEN x.id WHEN y:Deal THEN y.id END AS deal
MATCH (a:Entity {id: sid})
MATCH (b:Entity {id: oid})
RETURN r.year AS year, coalesce(r.date, r.start) AS date, a.name AS subject, r.relation AS relation, b.name AS object,
       deal, r.status AS status, r.quantity AS quantity, r.value_amount AS value, r.value_currency AS currency,
       r.locators AS locators
ORDER BY r.year, r.month, r.day, subject
