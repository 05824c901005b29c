// path_graph: the routes between two parties as a picture: every flow on each hop of the routes
// path.cypher lists, coloured by status with the graphmodel.grass style
// Settings (first line): as path.cypher. Run it in Neo4j Browser and open the Graph view.
//@only browser
//@param area 'sefton'
//@param source 'GPs'
//@param target 'MASH'
//@param limit 5
//@include routes
UNWIND routes AS parties
UNWIND range(0, size(parties) - 2) AS hopIndex
WITH DISTINCT parties[hopIndex] AS a, parties[hopIndex + 1] AS b
MATCH hop = (a)-[:SENDS]->(:Flow)-[:TO]->(b)
RETURN hop
