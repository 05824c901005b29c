// route_legs (queries._route_row): for a route given as party ids (ids), every flow on each hop
// in file order (a hop works when one of its flows works; it continues the hop before when one
// of its flows carries on what one of that hop's brought: onward, vocab.continues), the answers to the last hop's flows
// (a null answer where one is expected and none is modelled), and the parties of the route
// inside sourceId or targetId, with the containment chain from that end down to each. Needs
// area, failing, onward, contains_down, contains_up, ids, sourceId, targetId. Gives hops,
// answers and stands_for.
CALL (ids, area, failing, onward) {
  UNWIND range(0, size(ids) - 2) AS i
  MATCH (a:Item {area: area, id: ids[i]})-[:SENDS]->(f:Flow)-[:TO]->
        (b:Item {area: area, id: ids[i + 1]})
  WITH i, a, b, f ORDER BY i, f.seq
  WITH i, a, b, collect({flow: f.id, passes: f.passes, status: f.status, summary: f.name})
       AS flows
  ORDER BY i
  WITH collect({from: {id: a.id, name: a.name}, to: {id: b.id, name: b.name}, flows: flows,
                works: any(x IN flows WHERE NOT x.status IN failing)}) AS legs
  RETURN [i IN range(0, size(legs) - 1) |
          {from: legs[i].from, to: legs[i].to, flows: legs[i].flows, works: legs[i].works,
           continues: i = 0 OR any(x IN legs[i - 1].flows
                                   WHERE any(y IN legs[i].flows WHERE y.passes IN onward[x.passes]))}]
         AS hops
}
CALL (ids, area) {
  MATCH (:Item {area: area, id: ids[size(ids) - 2]})-[:SENDS]->(f:Flow)-[:TO]->
        (:Item {area: area, id: ids[size(ids) - 1]})
  WHERE size(ids) > 1
  OPTIONAL MATCH (answer:Flow)-[:RETURNS]->(f)
  OPTIONAL MATCH (answer)-[:TO]->(back:Item)
  WITH f, answer, back WHERE answer IS NOT NULL OR f.expects_return
  WITH f, answer, back ORDER BY f.seq, answer.seq
  RETURN collect({flow: f.id, answer: answer.id, passes: answer.passes, status: answer.status,
                  to: CASE WHEN back IS NULL THEN null ELSE {id: back.id, name: back.name} END})
         AS answers
}
CALL (ids, area, sourceId, targetId, contains_down, contains_up) {
  UNWIND range(0, size(ids) - 1) AS i
  UNWIND range(0, CASE WHEN sourceId = targetId THEN 0 ELSE 1 END) AS j  // each end once
  WITH i, j, ids[i] AS inner, [sourceId, targetId][j] AS outer
  WHERE inner <> outer
  MATCH (o:Item {area: area, id: outer}), (u:Item {area: area, id: inner})
  MATCH chain = SHORTEST 1 @units(o, u)
  WITH i, j, o, u, chain ORDER BY i, j
  RETURN collect({party: {id: u.id, name: u.name}, `for`: {id: o.id, name: o.name},
                  chain: [s IN relationships(chain) | [startNode(s).name, type(s),
                                                       endNode(s).name]]}) AS stands_for
}
