// gaps: every information-sharing problem, one row per gap, in priority order (rank 1 first)
// Flows that rest on the same evidence paragraphs and fail the same way between the same kinds
// of party are one gap. Severity comes first (a broken loop whose answer never comes is
// critical); then points, explained in `why`: a broken loop, the child-protection pathway,
// nobody owning the fix, paragraphs of evidence, the best-connected party; then file order.
// Settings (first line): area is the area id; party is a party's id or any of its names (the
// gaps it or anything inside it is party to, or owns fixing), or null for every gap; statuses
// is a list such as ['absent', 'broken'] (gaps with a leg in one of them), or null;
// loops_only true lists broken loops only. rank is the gap's place among all the area's gaps,
// whatever the settings. Party names marked "(inferred)" are the modeller's inference: the
// evidence does not name them.
//@param area 'sefton'
//@param party null
//@param statuses null
//@param loops_only false
MATCH (areaNode:Area {id: area})
WITH *, areaNode.public_health_owner AS publicHealthOwner
//@include partners
//@include problems
//@include groups
//@include gap_rows
//@include party
UNWIND range(0, size(ranked) - 1) AS position
WITH *, ranked[position] AS ranked_gap
WITH *, ranked_gap {.*, rank: position + 1} AS gap
WHERE (NOT loops_only OR gap.kind = 'broken_loop')
  AND (statuses IS NULL OR size(statuses) = 0 OR any(l IN gap.legs WHERE l.status IN statuses))
  AND (party IS NULL OR party = ''
       OR any(l IN gap.legs WHERE l.from.id IN mine OR l.to.id IN mine)
       OR any(w IN gap.owners WHERE w.id = partyId))
//@cli
RETURN gap.kind AS kind, gap.severity AS severity, gap.id AS id, gap.from AS from, gap.to AS to,
       gap.senders AS senders, gap.receivers AS receivers, gap.parties AS parties,
       gap.passes AS passes, gap.status AS status, gap.summary AS summary, gap.legs AS legs,
       gap.evidence AS evidence, gap.recommendations AS recommendations, gap.owners AS owners,
       gap.public_health AS public_health, gap.action AS action, gap.findings AS findings,
       gap.why AS why, gap.rank AS rank
ORDER BY rank
//@browser
//@include gap_table
ORDER BY rank
//@end
