// path: the routes information can take between two parties, and where each route breaks
// Settings (first line): area is the area id; source and target are parties (an id or any of
// their names), an organisation standing for itself and everything inside it; limit is how
// many routes (5 is plenty).
// Routes visit no party twice and come shortest first, equal lengths in order of their party
// ids; each hop uses a working flow if there is one. One query for Browser: it searches the
// 5 shortest length groups of walks, and `complete` is false when that could not settle the
// answer. `graphmodel path --backend neo4j` always settles it, one path_spur.cypher at a time.
//@param area 'sefton'
//@param source 'GPs'
//@param target 'MASH'
//@param limit 5
//@include routes
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
//@cli
RETURN [n IN parties | {id: n.id, name: n.name}] AS route,
       [f IN hops | f.id] AS flows,
       [f IN hops | f.status] AS statuses,
       all(f IN hops WHERE NOT f.status IN failing) AS works,
       [f IN hops WHERE f.status IN failing | f.id] AS breaks_at, complete
//@browser
RETURN @join([n IN parties | n.name], ' → ') AS route,
       @join([f IN hops | f.passes + ' (' + f.status + ')'], ' → ') AS flows,
       all(f IN hops WHERE NOT f.status IN failing) AS works,
       coalesce(@join([f IN hops WHERE f.status IN failing | f.name], ' '), '') AS breaks,
       complete
//@end
ORDER BY size(parties), [n IN parties | n.id]
