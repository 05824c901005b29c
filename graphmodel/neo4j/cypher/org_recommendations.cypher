// org_recommendations: the recommendations one organisation owns, in report order
// Settings (first line): area is the area id; org is the organisation's id.
//@param area 'sefton'
//@param org 'sefton-council'
//@only cli
MATCH (who:Item {area: area, id: org})-[:OWNS]->(rec:Recommendation)
RETURN rec.number AS id, rec.text AS text
ORDER BY rec.seq
