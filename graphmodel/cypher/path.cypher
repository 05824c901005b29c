// path: the routes information can take between two parties, and where each route breaks
// Settings (first line): area is the area id. source and target are party ids; an organisation
// stands for itself and everything inside it. limit is how many routes (5 is plenty).
// Routes visit no party twice and come shortest first, equal lengths in order of their party
// ids; each hop uses a working flow if there is one. One query for Browser: it searches the
// 5 shortest length groups of walks, and `complete` is false when that could not settle the
// answer. `graphmodel path --backend neo4j` always settles it, one path_spur.cypher at a time.
//@param area 'sefton'
//@param source 'gp-practices'
//@param target 'sefton-csc'
//@param limit 5
CALL (*) {
  MATCH (o:Item {area: area, id: source})
  MATCH @units(o, u)
  WHERE EXISTS { (u)-[:SENDS]->(:Flow) } OR EXISTS { (u)<-[:TO]-(:Flow) }
  RETURN collect(DISTINCT u) AS starts
}
CALL (*) {
  MATCH (o:Item {area: area, id: target})
  MATCH @units(o, u)
  WHERE EXISTS { (u)-[:SENDS]->(:Flow) } OR EXISTS { (u)<-[:TO]-(:Flow) }
  RETURN collect(DISTINCT u) AS ends
}
// The 5 shortest length groups of walks per start and end that never pass through either
// end. Fast, but a walk may still visit some other party twice: a predicate against that
// inside SHORTEST would make the search exhaustive, so such walks are dropped afterwards.
UNWIND starts AS s
UNWIND ends AS e
CALL (s, e) {
  MATCH p = SHORTEST 5 GROUPS
    (s) ((a:Item)-[:SENDS]->(:Flow)-[:TO]->(b:Item) WHERE a <> e AND b <> s)* (e)
  RETURN a + [e] AS walk
}
WITH s, e, collect(walk) AS walks
WITH collect(walks) AS perPair,
     collect({horizon: reduce(m = 0, w IN walks | CASE WHEN size(w) > m THEN size(w) ELSE m END),
              exhausted: size(reduce(seen = [], w IN walks |
                                CASE WHEN size(w) IN seen THEN seen ELSE seen + size(w) END)) < 5})
     AS pairs
// Keep the routes that visit no party twice: the best limit by length, then party ids.
CALL (perPair) {
  UNWIND perPair AS walks
  UNWIND walks AS walk
  WITH DISTINCT walk AS parties
  WHERE all(i IN range(0, size(parties) - 1) WHERE NOT parties[i] IN parties[i + 1..])
  WITH parties ORDER BY size(parties), [n IN parties | n.id] LIMIT limit
  RETURN collect(parties) AS routes
}
// complete: no unseen route can rank among these (every pair was searched past the last
// route's length, or to the end).
WITH routes,
     CASE WHEN size(routes) < limit THEN all(p IN pairs WHERE p.exhausted)
          ELSE all(p IN pairs WHERE p.exhausted OR p.horizon >= size(last(routes))) END
     AS complete
UNWIND routes AS parties
// Each hop's flow: the first working one, else the first one, in file order.
CALL (parties, failing) {
  UNWIND range(0, size(parties) - 2) AS i
  WITH i, parties[i] AS a, parties[i + 1] AS b
  MATCH (a)-[:SENDS]->(f:Flow)-[:TO]->(b)
  WITH i, f ORDER BY i, f.status IN failing, f.seq
  WITH i, head(collect(f)) AS f
  ORDER BY i
  RETURN collect(f) AS hops
}
RETURN [n IN parties | {id: n.id, name: n.name}] AS route,
       [f IN hops | f.id] AS flows,
       [f IN hops | f.status] AS statuses,
       all(f IN hops WHERE NOT f.status IN failing) AS works,
       [f IN hops WHERE f.status IN failing | f.id] AS breaks_at, complete
ORDER BY size(parties), [n IN parties | n.id]
