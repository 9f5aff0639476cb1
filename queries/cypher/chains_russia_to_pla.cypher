// Dependency chains: which Russian technologies, goods and know-how flowed to the PLA
// and its services and programmes, hop by hop, with dates and the evidence of each hop.
// Follows forward flow relationships only. A transfer is one fact: its claims meet at
// its Deal node, so a chain walks supplier -> Deal -> recipient and never joins the
// supplier of one deal to the recipient of another through their item. A deal
// delivering to the PLA's own state counts as reaching the PLA. Each hop's year is no
// earlier than the hop before (undated hops pass and show a null date); chains do not
// pass through a state. A Deal shows as its item's name.
// (`coopgraph chains` also follows reverse flows such as COPY_OF, continues from a
// delivered item on the recipient's side, and compares months and days.)
:param country => 'state:russia';
:param org => 'service:pla';
:param maxRows => 50;
MATCH (org:Entity {id: $org})
MATCH (dst:Entity)
WHERE dst.id = $org OR (dst)-[:PART_OF|SUBSIDIARY_OF*1..3]->(:Entity {id: $org}) OR dst.id = org.country
MATCH (src:Entity)
WHERE src.id = $country OR src.country = $country
MATCH p = (src)-[:SUPPLIES|TRANSFERRED_TO|LICENSED_TO|ARMS_TRANSFERS_TO|MANUFACTURES|DEVELOPS|CONTRIBUTES_TO|COMPONENT_OF|EQUIPS|TRAINS|PRODUCED_IN*1..4]->(dst)
WHERE none(n IN nodes(p)[1..-1] WHERE n:State)
  AND (dst.id <> coalesce(org.country, '') OR 'Deal' IN labels(nodes(p)[-2]))
  AND all(i IN range(0, length(p) - 2)
          WHERE coalesce(relationships(p)[i + 1].year, 9999) >= coalesce(relationships(p)[i].year, 0))
RETURN [n IN nodes(p) | coalesce(n.label, n.name)] AS chain,
       [n IN nodes(p) WHERE n:Deal | n.id] AS deals,
       [r IN relationships(p) | {relation: r.relation, date: coalesce(r.date, r.start), status: r.status,
                                 confidence: r.confidence, documents: r.documents, locators: r.locators}] AS hops,
       length(p) AS hopCount
ORDER BY hopCount, chain
LIMIT $maxRows
