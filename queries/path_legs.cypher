// path_legs: routes given as party ids, with every flow on each hop, and whether answers come back
// Parameters: $area is the area id; $routes is a list of routes, each a list of party ids;
// $source and $target are the ids asked for (an organisation stands for everything inside it).
// A hop lists every flow between its two parties in file order, and works when one of them
// works. stands_for: the parties of the route inside $source or $target (not the end itself),
// each with the containment chain from the end down to it. answers: for each flow of the last
// hop, every flow that answers it, or one row with a null answer when one is expected and none
// is modelled. Rows come in the order of $routes.
// :param area => 'sefton'
// :param routes => [['gp-practices', 'sefton-csc']]
// :param source => 'gp-practices'
// :param target => 'sefton-csc'
UNWIND range(0, size($routes) - 1) AS r
WITH r, $routes[r] AS ids
CALL (ids) {
  UNWIND range(0, size(ids) - 1) AS i
  MATCH (n:Item {area: $area, id: ids[i]})
  WITH n ORDER BY i
  RETURN collect({id: n.id, name: n.name}) AS route
}
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
RETURN route,
       reduce(acc = [], h IN hops | acc + [x IN h.flows | x.flow]) AS flows,
       reduce(acc = [], h IN hops | acc + [x IN h.flows | x.status]) AS statuses,
       all(h IN hops WHERE h.works) AS works,
       reduce(acc = [], h IN hops | acc + CASE WHEN h.works THEN [] ELSE
                                                [x IN h.flows | x.flow] END) AS breaks_at,
       hops, stands_for, answers
ORDER BY r
