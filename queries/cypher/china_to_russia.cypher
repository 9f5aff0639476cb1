// The reverse flow: Chinese technologies and goods reaching Russia and its services and programmes.
// A transfer passes through its Deal node (supplier -> Deal -> recipient), shown as its item's name.
:param source => 'state:china';
:param target => 'state:russia';
MATCH (src:Entity) WHERE src.id = $source OR src.country = $source
MATCH (dst:Entity) WHERE dst.id = $target OR dst.country = $target
MATCH p = (src)-[:SUPPLIES|TRANSFERRED_TO|LICENSED_TO|ARMS_TRANSFERS_TO|MANUFACTURES|DEVELOPS|CONTRIBUTES_TO|COMPONENT_OF|EQUIPS|TRAINS|PRODUCED_IN*1..3]->(dst)
WHERE none(n IN nodes(p)[1..-1] WHERE n:State)
RETURN [n IN nodes(p) | coalesce(n.label, n.name)] AS chain,
       [n IN nodes(p) WHERE n:Deal | n.id] AS deals,
       [r IN relationships(p) | coalesce(r.date, r.start)] AS dates,
       [r IN relationships(p) | r.locators] AS evidence,
       length(p) AS hopCount
ORDER BY hopCount, chain
LIMIT 50
