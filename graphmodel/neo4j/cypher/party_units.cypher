// party_units: the party the settings name and everything inside it, for graphmodel's filters
// on problems read from the database (gaps --org).
//@only cli
//@param area 'sefton'
//@param party null
//@include party
RETURN partyId, mine
