// org_profile: one organisation, the services, sites, forums and groups inside it, and its flows
// Settings (first line): area is the area id; org is the organisation's id. One row: the
// organisation, its units (sorted by id) and every flow in or out of it or its units (in file
// order). graphmodel's `org` command adds commissioning.cypher, gaps.cypher and
// org_recommendations.cypher rows for the same organisation.
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
  RETURN collect({id: u.id, name: u.name, kind: u.kind}) AS units
}
CALL (mine, area) {
  MATCH (s:Item)-[:SENDS]->(f:Flow {area: area})-[:TO]->(t:Item)
  WHERE s IN mine OR t IN mine
  WITH s, f, t ORDER BY f.seq
  RETURN collect({flow: f.id, direction: CASE WHEN s IN mine THEN 'out' ELSE 'in' END,
                  from: {id: s.id, name: s.name}, to: {id: t.id, name: t.name},
                  passes: f.passes, status: f.status, summary: f.name}) AS flows
}
RETURN {id: o.id, name: o.name, kind: o.type, role: o.role,
        aliases: CASE WHEN size(o.aliases) = 0 THEN ''
                      ELSE reduce(s = head(o.aliases), a IN tail(o.aliases) | s + ', ' + a)
                 END} AS organisation,
       units, flows
