// problems (queries.problems): every problem before grouping, in file order. A feedback loop is
// broken when its outward flow goes out (its status happens) and the return fails, or when a
// flow that goes out expects a return no flow records; any other failing flow is a one-way gap,
// unless it is a leg of a broken loop. Gives problems: a list of maps {kind, status, phase, seq,
// legs, key}; legs run outward first, a missing return being a leg whose flow is null; key is
// what makes problems one gap (ranking.group): the kind, the set of evidence paragraphs, and
// each leg's role, passes, status and the types of its two parties.
CALL (*) {
  CALL (*) {
    MATCH (back:Flow {area: area})-[:RETURNS]->(out:Flow)
    WHERE back.status IN failing AND out.status IN happening
    RETURN 'broken_loop' AS kind, back.status AS status, [out, back] AS flows,
           ['outward', 'return'] AS roles, 1 AS phase, back.seq AS seq
    UNION ALL
    MATCH (out:Flow {area: area})
    WHERE out.expects_return AND out.status IN happening
      AND NOT EXISTS { (out)<-[:RETURNS]-(:Flow) }
    RETURN 'broken_loop' AS kind, missing_return AS status, [out] AS flows, ['outward'] AS roles,
           2 AS phase, out.seq AS seq
    UNION ALL
    MATCH (f:Flow {area: area})
    WHERE f.status IN failing
      AND NOT EXISTS { (f)-[:RETURNS]->(out:Flow) WHERE out.status IN happening }
      AND NOT (f.status IN happening
               AND EXISTS { (f)<-[:RETURNS]-(back:Flow) WHERE back.status IN failing })
      AND NOT (f.expects_return AND f.status IN happening
               AND NOT EXISTS { (f)<-[:RETURNS]-(:Flow) })
    RETURN 'gap' AS kind, f.status AS status, [f] AS flows, ['one-way'] AS roles, 3 AS phase,
           f.seq AS seq
  }
  // Each leg: who sends what to whom, on what evidence, and which ends are the modeller's
  // inference. A party's type (ranking.party_type: an organisation's own kind, else the party
  // kind) and child_protection serve the grouping and the ranking.
  CALL (flows, roles) {
    UNWIND range(0, size(flows) - 1) AS i
    WITH i, flows[i] AS f, roles[i] AS role
    MATCH (s:Item)-[:SENDS]->(f)-[:TO]->(t:Item)
    WITH i, f, role, s, t ORDER BY i
    RETURN collect({flow: f.id, role: role,
                    from: {id: s.id, name: s.name, type: CASE s.kind WHEN 'organisation' THEN coalesce(s.type, '')
                                 ELSE s.kind END,
                           cp: coalesce(s.child_protection, false)},
                    to: {id: t.id, name: t.name, type: CASE t.kind WHEN 'organisation' THEN coalesce(t.type, '')
                                 ELSE t.kind END,
                         cp: coalesce(t.child_protection, false)},
                    passes: f.passes, status: f.status, summary: f.name,
                    evidence: [j IN range(0, size(f.evidence_paragraphs) - 1) |
                               {paragraph: f.evidence_paragraphs[j],
                                quote: f.evidence_quotes[j]}],
                    inferred: f.inferred, inferred_ends: coalesce(f.inferred_ends, []),
                    signature: {from: f.signature_from, to: f.signature_to, passes: f.passes},
                    seq: f.seq}) AS flowLegs
  }
  WITH kind, status, phase, seq,
       flowLegs + CASE WHEN phase = 2 THEN
         [{flow: null, role: 'return', missing: true, from: flowLegs[0].to, to: flowLegs[0].from,
           passes: 'return', status: missing_return, summary: 'No return flow is recorded.',
           evidence: [], inferred: null, inferred_ends: [],
           signature: {from: flowLegs[0].signature.to, to: flowLegs[0].signature.from,
                       passes: 'return'}, seq: null}] ELSE [] END AS legs
  WITH kind, status, phase, seq, legs,
       COLLECT { UNWIND legs AS l UNWIND l.evidence AS e
                 RETURN DISTINCT e.paragraph AS p ORDER BY p } AS paragraphSet
  ORDER BY phase, seq
  RETURN collect({kind: kind, status: status, phase: phase, seq: seq, legs: legs,
                  key: [kind, paragraphSet,
                        [l IN legs | [l.role, l.passes, l.status, l.from.type, l.to.type]]]})
         AS problems
}
