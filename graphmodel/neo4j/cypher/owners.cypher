// owners: each recommendation, its owners and the findings that cite it, in report order
// Settings (first line): area is the area id; recs is a list of recommendation numbers such
// as ['1.5', '2.1'], or null for all; party is an organisation's id or any of its names (the
// recommendations it owns), or null for all.
//@param area 'sefton'
//@param recs null
//@param party null
//@include party
MATCH (rec:Recommendation {area: area})
WHERE recs IS NULL OR size(recs) = 0 OR rec.number IN recs
// Owners in the order the report names them (the recommendation's owners property).
CALL (rec, area) {
  UNWIND range(0, size(rec.owners) - 1) AS i
  MATCH (who:Item {area: area, id: rec.owners[i]})
  WITH i, who ORDER BY i
  RETURN collect(who) AS owners
}
WITH *
WHERE party IS NULL OR party = '' OR any(w IN owners WHERE w.id = partyId)
CALL (rec) {
  OPTIONAL MATCH (fd:Finding)-[c:CITES]->(rec)
  WITH fd ORDER BY c.in_rank
  RETURN collect(fd.number) AS findings
}
//@cli
RETURN rec.number AS id, rec.text AS text, [w IN owners | {id: w.id, name: w.name}] AS owners,
       findings
//@browser
RETURN rec.number AS recommendation, rec.text AS text,
       @join([w IN owners | w.name], '; ') AS owners,
       coalesce(@join(findings, ', '), '') AS findings
//@end
ORDER BY rec.seq
