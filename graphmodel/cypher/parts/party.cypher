// party: the party the settings name (graphmodel passes its id; in Browser any of its names
// will do), and everything inside it. Needs area, party. Gives partyId and mine (their ids).
CALL (*) {
//@cli
  OPTIONAL MATCH (p:Item {area: area, id: party})
//@browser
  OPTIONAL MATCH (p:Party {area: area})
  WHERE p.id = party OR toLower(p.name) = toLower(party)
        OR any(alias IN p.aliases WHERE toLower(alias) = toLower(party))
  WITH p ORDER BY p.id = party DESC, p.seq LIMIT 1
//@end
  OPTIONAL MATCH @units(p, u)
  RETURN head(collect(p.id)) AS partyId, collect(DISTINCT u.id) AS mine
}
