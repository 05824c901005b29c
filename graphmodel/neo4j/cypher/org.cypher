// org: one party's profile as a table: what it is, what is inside it, what it sends and
// receives, the problems it is party to or must act on, and the recommendations it owns
// Settings (first line): area is the area id; party is a party's id or any of its names, such as
// 'MASH', 'Alder Hey' or 'Sefton Council'. org_graph.cypher draws it. (graphmodel's `party`
// command finds the same neighbourhood with org_profile and reads the rest from rows.)
//@only browser
//@param area 'sefton'
//@param party 'MASH'
//@include party
//@include ranked
CALL (*) {
  MATCH (p:Item:Party {area: area, id: partyId})
  RETURN 0 AS part, 0 AS seq, p.kind AS section, p.name AS name, p.type AS detail,
         '' AS status, coalesce(@join(p.aliases, ', '), '') AS summary
  UNION ALL
  MATCH (u:Item:Party {area: area})
  WHERE u.id IN mine AND u.id <> partyId
  RETURN 1 AS part, u.seq AS seq, 'inside it' AS section, u.name AS name, u.kind AS detail,
         '' AS status, '' AS summary
  UNION ALL
  MATCH (s:Item)-[:SENDS]->(f:Item:Flow {area: area})-[:TO]->(t:Item)
  WHERE s.id IN mine OR t.id IN mine
  RETURN 2 AS part, f.seq AS seq, CASE WHEN s.id IN mine THEN 'sends' ELSE 'receives' END
         AS section, s.name + ' → ' + t.name AS name, f.passes AS detail, f.status AS status,
         f.name AS summary
  UNION ALL
  UNWIND ranked AS g
  WITH g, mine, partyId
  WHERE any(l IN g.legs WHERE l.from.id IN mine OR l.to.id IN mine)
        OR any(a IN g.to_act WHERE a.id IN mine)
  RETURN 3 AS part, g.rank AS seq, 'problem #' + g.rank AS section,
         @join([l IN g.legs | l.from.name + ' → ' + l.to.name], '; ') AS name,
         g.severity AS detail, @join([l IN g.legs | l.status], ' / ') AS status,
         g.statement AS summary
  UNION ALL
  MATCH (:Item:Party {area: area, id: partyId})-[:OWNS]->(rec:Recommendation)
  RETURN 4 AS part, rec.seq AS seq, 'owns recommendation' AS section, rec.number AS name,
         '' AS detail, '' AS status, rec.text AS summary
}
RETURN section, name, detail, status, summary
ORDER BY part, seq
