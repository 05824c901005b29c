// path_legs: routes given as party ids, with the flow each hop uses and where they break
// Settings (first line): area is the area id; routes is a list of routes, each a list of party ids.
// Each hop uses the first working flow between the two parties, else the first flow (file
// order). Rows come in the order of routes.
//@param area 'sefton'
//@param routes [['gp-practices', 'sefton-csc']]
//@only cli
UNWIND range(0, size(routes) - 1) AS r
WITH *, routes[r] AS ids
CALL (ids, area) {
  UNWIND range(0, size(ids) - 1) AS i
  MATCH (n:Item {area: area, id: ids[i]})
  WITH n ORDER BY i
  RETURN collect({id: n.id, name: n.name}) AS route
}
CALL (ids, area, failing) {
  UNWIND range(0, size(ids) - 2) AS i
  MATCH (a:Item {area: area, id: ids[i]})-[:SENDS]->(f:Flow)-[:TO]->
        (b:Item {area: area, id: ids[i + 1]})
  WITH i, f ORDER BY i, f.status IN failing, f.seq
  WITH i, head(collect(f)) AS f
  ORDER BY i
  RETURN collect(f) AS hops
}
RETURN route,
       [f IN hops | f.id] AS flows,
       [f IN hops | f.status] AS statuses,
       all(f IN hops WHERE NOT f.status IN failing) AS works,
       [f IN hops WHERE f.status IN failing | f.id] AS breaks_at
ORDER BY r
