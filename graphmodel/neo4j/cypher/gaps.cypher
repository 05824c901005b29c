// gaps: every problem, one row each, in priority order (rank 1 first)
// A problem is what a board acts on: its flows, how widely it holds (scope), the children it
// affects, and why it ranks where it does; ranked once, in Python, when `graphmodel load`
// wrote the area (docs/ranking.md). Settings (first line): area is the area id; party is a
// party's id or any of its names (the problems it or anything inside it is party to, or must
// act on), or null for every problem; statuses is a list such as ['absent', 'broken'] (problems
// with a leg in one of them), or null; loops_only true lists broken loops only. rank is the
// problem's place among all the area's problems, whatever the settings.
//@param area 'sefton'
//@param party null
//@param statuses null
//@param loops_only false
//@cli
MATCH (p:Item:Problem {area: area})
RETURN p.row AS row
ORDER BY p.rank
//@browser
//@include ranked
//@include party
UNWIND ranked AS gap
WITH gap, mine, partyId, statuses, loops_only, party
WHERE (NOT loops_only OR gap.kind = 'broken_loop')
  AND (statuses IS NULL OR size(statuses) = 0 OR any(l IN gap.legs WHERE l.status IN statuses))
  AND (party IS NULL OR party = ''
       OR any(l IN gap.legs WHERE l.from.id IN mine OR l.to.id IN mine)
       OR any(a IN gap.to_act WHERE a.id IN mine))
RETURN gap.rank AS rank, gap.severity AS severity,
       CASE gap.kind WHEN 'broken_loop' THEN 'broken loop' ELSE 'one-way' END AS kind,
       gap.statement AS problem, gap.scope AS scope, @join(gap.children, ', ') AS children,
       gap.why.text AS why,
       coalesce(@join([a IN gap.to_act | a.name + ' (' + a.basis + ')'], '; '), '') AS to_act,
       @join([l IN gap.legs | l.from.name + ' → ' + l.to.name + ': ' + l.passes + ' '
                              + l.status], '; ') AS flows
ORDER BY rank
//@end
