// named: party P is the one TEXT names, by its id or any of its names, ignoring case. Browser
// users type names; graphmodel passes ids. Used as @named(P, TEXT) in a WHERE.
//@args P TEXT
(P.id = TEXT OR toLower(P.name) = toLower(TEXT) OR any(alias_ IN P.aliases WHERE toLower(alias_) = toLower(TEXT)))
