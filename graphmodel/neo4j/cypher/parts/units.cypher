// units (queries.units): the pattern from party PARTY to each party UNIT inside it, at any
// depth, PARTY included: what it provides, operates or hosts (contains_down) and what is
// part of it (contains_up). Used as @units(PARTY, UNIT) in a MATCH.
//@args PARTY UNIT
(PARTY) ((x_)-[r_:@containment()]-(y_) WHERE NOT y_:Flow AND CASE WHEN startNode(r_) = x_ THEN type(r_) IN contains_down ELSE type(r_) IN contains_up END)* (UNIT)
