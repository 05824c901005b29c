// path: the routes information can take between two parties, and where each route breaks
// Parameters: $area is the area id. $source and $target are party ids; an organisation
// stands for itself and everything inside it. $limit is how many routes (5 is plenty).
// Routes visit no party twice and come shortest first, equal lengths in order of their party
// ids; each hop lists every flow between its parties. One query for Browser: it searches the
// 5 shortest length groups of walks, and `complete` is false when that could not settle the
// answer. `graphmodel path --backend neo4j` always settles it, one path_spur.cypher at a time.
// :param area => 'sefton'
// :param source => 'gp-practices'
// :param target => 'sefton-csc'
// :param limit => 5
CALL () {
  MATCH (o:Item {area: $area, id: $source})
  MATCH (o) ((x)-[r:PROVIDES|OPERATES|HOSTS|PART_OF]-(y)
             WHERE (type(r) = 'PART_OF') = (startNode(r) = y) AND NOT y:Flow)* (u)
  WHERE EXISTS { (u)-[:SENDS]->(:Flow) } OR EXISTS { (u)<-[:TO]-(:Flow) }
  RETURN collect(DISTINCT u) AS starts
}
CALL () {
  MATCH (o:Item {area: $area, id: $target})
  MATCH (o) ((x)-[r:PROVIDES|OPERATES|HOSTS|PART_OF]-(y)
             WHERE (type(r) = 'PART_OF') = (startNode(r) = y) AND NOT y:Flow)* (u)
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
// Keep the routes that visit no party twice: the best $limit by length, then party ids.
CALL (perPair) {
  UNWIND perPair AS walks
  UNWIND walks AS walk
  WITH DISTINCT walk AS parties
  WHERE all(i IN range(0, size(parties) - 1) WHERE NOT parties[i] IN parties[i + 1..])
  WITH parties ORDER BY size(parties), [n IN parties | n.id] LIMIT $limit
  RETURN collect(parties) AS routes
}
// complete: no unseen route can rank among these (every pair was searched past the last
// route's length, or to the end).
WITH routes,
     CASE WHEN size(routes) < $limit THEN all(p IN pairs WHERE p.exhausted)
          ELSE all(p IN pairs WHERE p.exhausted OR p.horizon >= size(last(routes))) END
     AS complete
UNWIND routes AS parties
WITH complete, parties, [n IN parties | n.id] AS ids
// Every flow on each hop, the answers to the last hop's flows, and the parties inside the
// ends: as path_legs.cypher (graphmodel shapes both the same way).
CALL (ids) {
  UNWIND range(0, size(ids) - 2) AS i
  MATCH (a:Item {area: $area, id: ids[i]})-[:SENDS]->(f:Flow)-[:TO]->
        (b:Item {area: $area, id: ids[i + 1]})
  WITH i, a, b, f ORDER BY i, f.seq
  WITH i, a, b, collect({flow: f.id, passes: f.passes, status: f.status, summary: f.name})
       AS flows
  ORDER BY i
  RETURN collect({from: {id: a.id, name: a.name}, to: {id: b.id, name: b.name}, flows: flows,
                  works: any(x IN flows WHERE x.status = 'working')}) AS hops
}
CALL (ids) {
  MATCH (:Item {area: $area, id: ids[size(ids) - 2]})-[:SENDS]->(f:Flow)-[:TO]->
        (:Item {area: $area, id: ids[size(ids) - 1]})
  WHERE size(ids) > 1
  OPTIONAL MATCH (answer:Flow)-[:RETURNS]->(f)
  OPTIONAL MATCH (answer)-[:TO]->(back:Item)
  WITH f, answer, back WHERE answer IS NOT NULL OR f.expects_return
  WITH f, answer, back ORDER BY f.seq, answer.seq
  RETURN collect({flow: f.id, answer: answer.id, passes: answer.passes, status: answer.status,
                  to: CASE WHEN back IS NULL THEN null ELSE {id: back.id, name: back.name} END})
         AS answers
}
CALL (ids) {
  UNWIND range(0, size(ids) - 1) AS i
  UNWIND range(0, 1) AS j
  WITH i, j, ids[i] AS inner, [$source, $target][j] AS outer
  WHERE inner <> outer
  MATCH (o:Item {area: $area, id: outer}), (u:Item {area: $area, id: inner})
  MATCH chain = SHORTEST 1 (o) ((x)-[rel:PROVIDES|OPERATES|HOSTS|PART_OF]-(y)
                WHERE (type(rel) = 'PART_OF') = (startNode(rel) = y) AND NOT y:Flow)+ (u)
  WITH i, j, o, u, chain ORDER BY i, j
  RETURN collect({party: {id: u.id, name: u.name}, `for`: {id: o.id, name: o.name},
                  chain: [s IN relationships(chain) | [startNode(s).name, type(s),
                                                       endNode(s).name]]}) AS stands_for
}
RETURN [n IN parties | {id: n.id, name: n.name}] AS route,
       reduce(acc = [], h IN hops | acc + [x IN h.flows | x.flow]) AS flows,
       reduce(acc = [], h IN hops | acc + [x IN h.flows | x.status]) AS statuses,
       all(h IN hops WHERE h.works) AS works,
       reduce(acc = [], h IN hops | acc + CASE WHEN h.works THEN [] ELSE
                                                [x IN h.flows | x.flow] END) AS breaks_at,
       hops, stands_for, answers, complete
ORDER BY size(parties), ids
