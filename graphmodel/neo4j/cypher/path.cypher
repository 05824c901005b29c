// path: the routes information can take between two parties, and where each route breaks
// Settings (first line): area is the area id; source and target are parties (an id or any of
// their names), an organisation standing for itself and everything inside it; limit is how
// many routes (5 is plenty).
// Routes visit no party twice and come shortest first, equal lengths in order of their party
// ids; each hop lists every flow between its parties. A route is one route only where each
// hop carries on what the one before brought (graphmodel's vocab.continues); elsewhere it is
// parallel channels, and passed_on says where nothing is passed on. One query for Browser: it searches the
// 5 shortest length groups of walks, and `complete` is false when that could not settle the
// answer. `graphmodel path --backend neo4j` always settles it, one path_spur.cypher at a time.
//@param area 'sefton'
//@param source 'GPs'
//@param target 'MASH'
//@param limit 5
//@include routes
UNWIND routes AS parties
WITH *, [n IN parties | n.id] AS ids
//@include route_legs
//@cli
RETURN [n IN parties | {id: n.id, name: n.name}] AS route,
//@include route_columns
       , complete
//@browser
RETURN @join([n IN parties | n.name], ' → ') AS route,
       @join([h IN hops | @join([x IN h.flows | x.passes + ' ' + x.status], ' + ')], ' → ')
       AS flows,
       all(h IN hops WHERE h.works) AS works,
       coalesce(@join([h IN hops WHERE NOT h.works | h.from.name + ' → ' + h.to.name], '; '), '')
       AS breaks,
       coalesce('parallel channels: nothing that reaches ' +
                @join([h IN hops WHERE NOT h.continues | h.from.name], ', ') +
                ' is passed on', 'one route') AS passed_on,
       coalesce(@join([s IN stands_for | s.party.name + ' is inside ' + s.`for`.name], '; '), '')
       AS inside,
       coalesce(@join([a IN answers | CASE WHEN a.answer IS NULL THEN 'no answer to ' + a.flow
                                           ELSE a.passes + ' ' + a.status END], '; '), '')
       AS answers,
       complete
//@end
ORDER BY size(parties), ids
