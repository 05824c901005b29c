// routes (path.cypher's search, for Browser): up to limit routes from a party inside source to
// one inside target that visit no party twice, shortest first, equal lengths in order of their
// party ids. Needs area, source, target, limit. Gives sourceId and targetId (the parties the
// settings name), routes (lists of party nodes) and complete (false when the 5 shortest
// length groups of walks could not settle the answer).
CALL (*) {
  CALL (*) {
    MATCH (o:Item:Party {area: area})
    WHERE @named(o, source)
    WITH o ORDER BY o.id = source DESC, o.seq LIMIT 1
    MATCH @units(o, u)
    WHERE EXISTS { (u)-[:SENDS]->(:Flow) } OR EXISTS { (u)<-[:TO]-(:Flow) }
    RETURN o.id AS sourceId, collect(DISTINCT u) AS starts
  }
  CALL (*) {
    MATCH (o:Item:Party {area: area})
    WHERE @named(o, target)
    WITH o ORDER BY o.id = target DESC, o.seq LIMIT 1
    MATCH @units(o, u)
    WHERE EXISTS { (u)-[:SENDS]->(:Flow) } OR EXISTS { (u)<-[:TO]-(:Flow) }
    RETURN o.id AS targetId, collect(DISTINCT u) AS ends
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
  WITH limit, sourceId, targetId, s, e, collect(walk) AS walks
  WITH limit, sourceId, targetId, collect(walks) AS perPair,
       collect({horizon: reduce(m = 0, w IN walks | CASE WHEN size(w) > m THEN size(w) ELSE m END),
                exhausted: size(reduce(seen = [], w IN walks |
                                  CASE WHEN size(w) IN seen THEN seen ELSE seen + size(w) END)) < 5})
       AS pairs
  // Keep the routes that visit no party twice: the best limit by length, then party ids.
  CALL (perPair, limit) {
    UNWIND perPair AS walks
    UNWIND walks AS walk
    WITH DISTINCT limit, walk AS parties
    WHERE all(i IN range(0, size(parties) - 1) WHERE NOT parties[i] IN parties[i + 1..])
    WITH limit, parties ORDER BY size(parties), [n IN parties | n.id]
    WITH limit, collect(parties) AS sorted
    RETURN sorted[..limit] AS routes
  }
  // complete: no unseen route can rank among these (every pair was searched past the last
  // route's length, or to the end).
  RETURN sourceId, targetId, routes,
       CASE WHEN size(routes) < limit THEN all(p IN pairs WHERE p.exhausted)
            ELSE all(p IN pairs WHERE p.exhausted OR p.horizon >= size(last(routes))) END
       AS complete
}
