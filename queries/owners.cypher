// owners: each recommendation, its owners and the findings that cite it, in report order
// Parameters: $area is the area id. $recs is a list of recommendation numbers such as
// ['1.5', '2.1'], or null for all. $org is an organisation id, or null: only the
// recommendations it owns.
// :param area => 'sefton'
// :param recs => null
// :param org => null
MATCH (rec:Recommendation {area: $area})
WHERE coalesce(size($recs), 0) = 0 OR rec.number IN $recs
CALL (rec) {
  OPTIONAL MATCH (who:Item)-[w:OWNS]->(rec)
  WITH who ORDER BY w.in_rank
  RETURN collect(who) AS owners
}
WITH rec, owners
WHERE coalesce($org, '') = '' OR any(w IN owners WHERE w.id = $org)
CALL (rec) {
  OPTIONAL MATCH (fd:Finding)-[c:CITES]->(rec)
  WITH fd ORDER BY c.in_rank
  RETURN collect(fd.number) AS findings
}
RETURN rec.number AS id, rec.text AS text, [w IN owners | {id: w.id, name: w.name}] AS owners,
       findings
ORDER BY rec.seq
