// org_profile: one party's neighbourhood: the services, sites, forums and groups inside it,
// and its flows
// Settings (first line): area is the area id; org is the party's id. One row: what is inside
// it (ids, sorted) and every flow in or out of it or what is inside it (in file order).
// graphmodel's `party` command builds the rest of the profile from rows (questions.profile).
//@param area 'sefton'
//@param org 'sefton-council'
//@only cli
MATCH (o:Item {area: area, id: org})
// Everything inside it: services it provides, sites it operates, forums it hosts, parts.
CALL (*) {
  MATCH @units(o, u)
  RETURN collect(DISTINCT u) AS mine
}
CALL (o, mine) {
  UNWIND mine AS u
  WITH u WHERE u <> o
  WITH u ORDER BY u.id
  RETURN collect(u.id) AS units
}
CALL (mine, area) {
  MATCH (s:Item)-[:SENDS]->(f:Item:Flow {area: area})-[:TO]->(t:Item)
  WHERE s IN mine OR t IN mine
  WITH s, f, t ORDER BY f.seq
  RETURN collect({flow: f.id, direction: CASE WHEN s IN mine THEN 'out' ELSE 'in' END,
                  from: {id: s.id, name: s.name}, to: {id: t.id, name: t.name},
                  passes: f.passes, status: f.status, summary: f.name}) AS flows
}
RETURN units, flows
