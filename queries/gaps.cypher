// gaps: every information-sharing problem, worst first: broken feedback loops, then one-way gaps
// Parameters: $area is the area id. $org is an organisation id, or null: it keeps the problems
// that organisation (or a service, site, forum or group inside it) is party to or owns fixing.
// $statuses is a list of statuses, or null: it keeps rows with a leg in one of them.
// $loops_only: true lists broken loops only. A flow that is a leg of a loop is not listed again.
// :param area => 'sefton'
// :param org => null
// :param statuses => null
// :param loops_only => false
MATCH (area:Area {id: $area})
OPTIONAL MATCH (ph:Item {area: $area, id: area.public_health_owner})
// The organisation and everything inside it: services it provides, sites, forums, parts.
CALL () {
  OPTIONAL MATCH (o:Item {area: $area, id: $org})
  OPTIONAL MATCH (o) ((x)-[r:PROVIDES|OPERATES|HOSTS|PART_OF]-(y)
                      WHERE (type(r) = 'PART_OF') = (startNode(r) = y) AND NOT y:Flow)* (u)
  RETURN collect(DISTINCT u.id) AS mine
}
// The problem rows, in the order they are found (phase, then file order).
CALL () {
  // A return that fails: the outward leg and the return leg.
  MATCH (back:Flow {area: $area})-[:RETURNS]->(out:Flow)
  WHERE back.status <> 'working'
  RETURN [out, back] AS flows, false AS missing, back.status AS status, 1 AS phase,
         back.seq AS seq
  UNION ALL
  // An outward flow that goes out and expects an answer no flow gives.
  MATCH (out:Flow {area: $area})
  WHERE out.expects_return AND out.status IN ['working', 'inconsistent', 'delayed']
    AND NOT EXISTS { (out)<-[:RETURNS]-(:Flow) }
  RETURN [out] AS flows, true AS missing, 'absent' AS status, 2 AS phase, out.seq AS seq
  UNION ALL
  // Any other flow that is not working.
  MATCH (f:Flow {area: $area})
  WHERE NOT $loops_only
    AND f.status IN ['absent', 'blocked', 'broken', 'delayed', 'inconsistent']
    AND NOT EXISTS { (f)-[:RETURNS]->(:Flow) }
    AND NOT EXISTS { (f)<-[:RETURNS]-(back:Flow) WHERE back.status <> 'working' }
    AND NOT (f.expects_return AND f.status IN ['working', 'inconsistent', 'delayed']
             AND NOT EXISTS { (f)<-[:RETURNS]-(:Flow) })
  RETURN [f] AS flows, false AS missing, f.status AS status, 3 AS phase, f.seq AS seq
}
// Each leg: who sends what to whom, with its evidence.
CALL (flows) {
  UNWIND range(0, size(flows) - 1) AS i
  WITH i, flows[i] AS f
  MATCH (s:Item)-[:SENDS]->(f)-[:TO]->(t:Item)
  WITH f, s, t ORDER BY i
  RETURN collect({flow: f.id, from: {id: s.id, name: s.name}, to: {id: t.id, name: t.name},
                  passes: f.passes, status: f.status, summary: f.name,
                  evidence: [j IN range(0, size(f.evidence_paragraphs) - 1) |
                             {paragraph: f.evidence_paragraphs[j],
                              quote: f.evidence_quotes[j]}]}) AS flowLegs
}
// The findings that evidence the flows, the recommendations they cite, and their owners.
CALL (flows) {
  UNWIND range(0, size(flows) - 1) AS i
  WITH i, flows[i] AS f
  MATCH (fd:Finding)-[e:EVIDENCES]->(f)
  WITH fd ORDER BY i, e.in_rank
  RETURN reduce(acc = [], x IN collect(fd) | CASE WHEN x IN acc THEN acc ELSE acc + x END)
         AS findings
}
CALL (findings) {
  UNWIND range(0, size(findings) - 1) AS i
  WITH i, findings[i] AS fd
  MATCH (fd)-[c:CITES]->(rec:Recommendation)
  WITH rec ORDER BY i, c.out_rank
  RETURN reduce(acc = [], x IN collect(rec) | CASE WHEN x IN acc THEN acc ELSE acc + x END)
         AS recs
}
CALL (recs) {
  UNWIND range(0, size(recs) - 1) AS i
  WITH i, recs[i] AS rec
  MATCH (who:Item)-[w:OWNS]->(rec)
  WITH who ORDER BY i, w.in_rank
  RETURN reduce(acc = [], x IN collect(who) | CASE WHEN x IN acc THEN acc ELSE acc + x END)
         AS owners
}
WITH mine, ph, flows, missing, status, phase, seq, findings, recs, owners,
     any(fd IN findings WHERE fd.public_health) AS publicHealth,
     flowLegs + CASE WHEN missing THEN
       [{flow: null, missing: true, from: flowLegs[0].to, to: flowLegs[0].from,
         passes: 'return', status: 'absent', summary: 'No return flow is recorded.',
         evidence: []}] ELSE [] END AS legs
WITH mine, flows, status, phase, seq, findings, recs, legs, publicHealth,
     CASE WHEN publicHealth AND ph IS NOT NULL AND NOT ph IN owners
          THEN owners + ph ELSE owners END AS owners,
     CASE WHEN phase < 3 THEN 'broken_loop' ELSE 'gap' END AS kind,
     [r IN recs | r.number] AS recNumbers
WHERE (coalesce(size($statuses), 0) = 0 OR any(l IN legs WHERE l.status IN $statuses))
  AND (coalesce($org, '') = ''
       OR any(l IN legs WHERE l.from.id IN mine OR l.to.id IN mine)
       OR any(w IN owners WHERE w.id = $org))
WITH *,
     CASE WHEN status IN ['absent', 'blocked', 'broken']
          THEN CASE kind WHEN 'broken_loop' THEN 'critical' ELSE 'high' END
          ELSE CASE kind WHEN 'broken_loop' THEN 'high' ELSE 'medium' END END AS severity,
     [l IN legs | coalesce(l.flow, 'no-return')] AS ids,
     [l IN legs | l.passes] AS passes,
     [l IN legs | l.summary] AS summaries,
     CASE WHEN size(recNumbers) > 0
          THEN ['recommendations ' + reduce(s = head(recNumbers), n IN tail(recNumbers) |
                                           s + ', ' + n)]
          ELSE [] END
     + CASE WHEN publicHealth
            THEN ["referred to the council's public health commissioners"] ELSE [] END
     AS actions
RETURN kind, severity,
       reduce(s = head(ids), x IN tail(ids) | s + '+' + x) AS id,
       legs[0].from AS from, legs[0].to AS to, [legs[0].from, legs[0].to] AS parties,
       reduce(s = head(passes), x IN tail(passes) | s + ' / ' + x) AS passes,
       status,
       reduce(s = head(summaries), x IN tail(summaries) | s + ' ' + x) AS summary,
       legs,
       reduce(acc = [], l IN legs | acc + l.evidence) AS evidence,
       recNumbers AS recommendations,
       [w IN owners | {id: w.id, name: w.name}] AS owners,
       publicHealth AS public_health,
       CASE WHEN size(actions) = 0 THEN 'no recommendation'
            ELSE reduce(s = head(actions), a IN tail(actions) | s + '; ' + a) END AS action,
       [fd IN findings | fd.number] AS findings
ORDER BY CASE severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 ELSE 2 END,
         kind <> 'broken_loop', phase, seq
