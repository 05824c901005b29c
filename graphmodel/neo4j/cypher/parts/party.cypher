// party: the party the settings name (by id, as graphmodel passes it, or by any of its names)
// and everything inside it. Needs area, party. Gives partyId and mine (the ids of all of them).
CALL (*) {
  OPTIONAL MATCH (p:Item:Party {area: area})
  WHERE @named(p, party)
  WITH p ORDER BY p.id = party DESC, p.seq LIMIT 1
  OPTIONAL MATCH @units(p, u)
  RETURN head(collect(p.id)) AS partyId, collect(DISTINCT u.id) AS mine
}
