// partners (ranking.partners): for each party, how many other parties it sends flows to or
// receives flows from. Gives partners, a list of [party id, count], and top, the largest count.
CALL (*) {
  MATCH (a:Item)-[:SENDS]->(:Flow {area: area})-[:TO]->(b:Item)
  WHERE a <> b
  UNWIND [[a.id, b.id], [b.id, a.id]] AS pair
  WITH pair[0] AS partnerOf, count(DISTINCT pair[1]) AS n
  RETURN collect([partnerOf, n]) AS partners, coalesce(max(n), 0) AS top
}
