// path_legs: routes given as party ids, with every flow on each hop, and whether answers come back
// Settings: area is the area id; routes is a list of routes, each a list of party ids;
// source and target are the ids asked for (an organisation stands for everything inside it).
// A hop lists every flow between its two parties in file order, and works when one of them
// works. stands_for: the parties of the route inside source or target (not the end itself),
// each with the containment chain from the end down to it. answers: for each flow of the last
// hop, every flow that answers it, or one row with a null answer when one is expected and none
// is modelled. Rows come in the order of routes.
//@param area 'sefton'
//@param routes [['gp-practices', 'sefton-csc']]
//@param source 'gp-practices'
//@param target 'sefton-csc'
//@only cli
UNWIND range(0, size(routes) - 1) AS r
WITH *, routes[r] AS ids, source AS sourceId, target AS targetId
CALL (ids, area) {
  UNWIND range(0, size(ids) - 1) AS i
  MATCH (n:Item {area: area, id: ids[i]})
  WITH n ORDER BY i
  RETURN collect({id: n.id, name: n.name}) AS route
}
//@include route_legs
RETURN route,
//@include route_columns
ORDER BY r
