// org_graph: one party as a picture: what is inside it, and every flow in or out of it or its
// units with the party at the other end, coloured by status (graphmodel.grass)
// Settings (first line): area is the area id; party is a party's id or any of its names. Run it
// in Neo4j Browser and open the Graph view; org.cypher lists the same as a table.
//@only browser
//@param area 'sefton'
//@param party 'MASH'
//@include party
MATCH (p:Item:Party {area: area, id: partyId})
CALL (*) {
  MATCH inside = @units(p, u)
  RETURN collect(inside) AS insides
}
CALL (*) {
  MATCH flow = (s:Item)-[:SENDS]->(:Item:Flow {area: area})-[:TO]->(t:Item)
  WHERE s.id IN mine OR t.id IN mine
  RETURN collect(flow) AS flows
}
RETURN p, insides, flows
