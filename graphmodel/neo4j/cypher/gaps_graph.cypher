// gaps_graph: the problems as a picture: the parties and flows of the first problems in
// priority order, each flow coloured by its status (graphmodel.grass), a return joined to
// what it answers
// Settings (first line): area, party and loops_only as in gaps.cypher (broken loops only unless
// loops_only is false); first is how many problems to draw, in priority order. Run it in
// Neo4j Browser and open the Graph view; gaps.cypher lists the same problems as a table.
//@only browser
//@param area 'sefton'
//@param party null
//@param loops_only true
//@param first 10
//@include ranked
//@include party
UNWIND ranked AS gap
WITH *
WHERE (NOT loops_only OR gap.kind = 'broken_loop')
  AND (party IS NULL OR party = ''
       OR any(l IN gap.legs WHERE l.from.id IN mine OR l.to.id IN mine)
       OR any(a IN gap.to_act WHERE a.id IN mine))
WITH area, first, collect(gap) AS shown
WITH area, shown[..coalesce(first, size(shown))] AS shown
WITH area, reduce(acc = [], gap IN shown | acc + gap.flows) AS flowIds
UNWIND flowIds AS flowId
MATCH leg = (:Item)-[:SENDS]->(f:Item:Flow {area: area, id: flowId})-[:TO]->(:Item)
OPTIONAL MATCH answers = (f)-[:RETURNS]->(answered:Flow)
WHERE answered.id IN flowIds
RETURN leg, answers
