// What flowed in a range of years: every dated flow claim whose first year lies in the range.
:param fromYear => 2014;
:param toYear => 2019;
MATCH (a:Entity)-[r:SUPPLIES|TRANSFERRED_TO|LICENSED_TO|ARMS_TRANSFERS_TO|MANUFACTURES|DEVELOPS|CONTRIBUTES_TO|COMPONENT_OF|EQUIPS|TRAINS|PRODUCED_IN|COPY_OF|DERIVED_FROM|DEPENDS_ON]->(b:Entity)
WHERE r.year >= $fromYear AND r.year <= $toYear
RETURN r.year AS year, coalesce(r.date, r.start) AS date, a.name AS subject, r.relation AS relation, b.name AS object,
       r.status AS status, r.quantity AS quantity, r.value_amount AS value, r.value_currency AS currency,
       r.locators AS locators
ORDER BY r.year, r.month, r.day, subject
