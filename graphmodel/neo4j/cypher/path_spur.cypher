// path_spur: one step of the exact route search behind graphmodel's `path --backend neo4j`
// Yen's algorithm, one spur at a time: the best way to finish a route, where best is fewest
// hops, then smallest party ids. Settings (first line): area, source and target as in path.cypher.
// spur is the party the route so far ends at, or '' to begin at any party inside source.
// avoid lists the party ids the rest of the route may not visit (the route so far).
// banned lists the party ids the next hop may not go to (with spur '': the parties not
// to begin at). may_stop says whether the route may end at spur itself.
// The first hop is taken outside SHORTEST so that every condition inside it concerns one
// node: a condition on two (a hop's start and end) or on the whole route would make
// SHORTEST try every walk instead of searching breadth-first.
//@param area 'sefton'
//@param source 'gp-practices'
//@param target 'sefton-csc'
//@param spur ''
//@param avoid []
//@param banned []
//@param may_stop true
//@only cli
CALL (*) {
  OPTIONAL MATCH (o:Item {area: area, id: target})
  OPTIONAL MATCH @units(o, u)
  RETURN collect(DISTINCT u) AS ends
}
CALL (*) {
  // Stop at the spur.
  MATCH (v:Item {area: area, id: spur})
  WHERE may_stop AND v IN ends
  RETURN [v] AS parties
  UNION ALL
  // Or take a first hop, then the shortest way on.
  CALL (*) {
    MATCH (v:Item {area: area, id: spur})-[:SENDS]->(:Flow)-[:TO]->(f:Item)
    WHERE f <> v AND NOT f.id IN banned AND NOT f.id IN avoid
    RETURN DISTINCT [v] AS prefix, f
    UNION
    MATCH (o:Item {area: area, id: source})
    WHERE spur = ''
    MATCH @units(o, f)
    WHERE NOT f.id IN banned
      AND (EXISTS { (f)-[:SENDS]->(:Flow) } OR EXISTS { (f)<-[:TO]-(:Flow) })
    RETURN DISTINCT [] AS prefix, f
  }
  MATCH p = SHORTEST 1 GROUPS
    ((f) ((a:Item)-[:SENDS]->(:Flow)-[:TO]->(b:Item) WHERE b <> f AND NOT b.id IN avoid)* (e)
     WHERE e IN ends)
  RETURN prefix + a + [e] AS parties
}
WITH parties
ORDER BY size(parties), [n IN parties | n.id]
LIMIT 1
RETURN [n IN parties | n.id] AS route
