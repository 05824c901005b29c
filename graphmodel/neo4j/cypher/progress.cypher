// progress: which problems the action plan closes: closed when every failing flow
// of the problem is fixed (every action meant to fix it is done or verified), open when some action
// addresses it (fixes one of its flows, or answers one of its recommendations), else no_action
// Settings (first line): area is the area id. The actions come from the area's actions.yaml
// (graphmodel plan import); the flows to fix are the problem's failing flows (a loop whose
// return is missing has only its outward flow).
//@param area 'sefton'
//@include ranked
CALL (*) {
  OPTIONAL MATCH (action:Action {area: area})
  WITH action ORDER BY action.seq
  RETURN collect(action) AS actions
}
UNWIND ranked AS gap
WITH *, gap.to_fix AS toFix
// A flow is fixed when the actions meant to fix it are all done or verified.
WITH *, [f IN toFix WHERE any(a IN actions WHERE f IN a.fixes)
                          AND all(a IN actions WHERE NOT f IN a.fixes
                                                     OR a.status IN action_done)] AS fixed,
     [a IN actions WHERE any(f IN a.fixes WHERE f IN toFix)
                         OR a.recommendation IN gap.recommendations] AS acting
WITH *, CASE WHEN size(toFix) > 0 AND size(fixed) = size(toFix) THEN 'closed'
             WHEN size(acting) > 0 THEN 'open' ELSE 'no_action' END AS state
//@cli
RETURN gap.rank AS rank, gap.kind AS kind, gap.severity AS severity, gap.id AS id,
       gap.summary AS summary, state, toFix AS flows, fixed, [a IN acting | a.id] AS actions,
       gap.recommendations AS recommendations
//@browser
RETURN gap.rank AS rank, gap.severity AS severity,
       CASE gap.kind WHEN 'broken_loop' THEN 'broken loop' ELSE 'one-way' END AS kind,
       state, size(fixed) + ' of ' + size(toFix) + ' flows fixed' AS fixed,
       @join([l IN gap.legs | l.from.name + ' → ' + l.to.name], '; ') AS legs,
       gap.summary AS summary,
       coalesce(@join([a IN acting | a.name + ' (' + a.status + ')'], '; '), '') AS actions,
       coalesce(@join(gap.recommendations, ', '), '') AS recommendations
//@end
ORDER BY rank
