// coverage: problem findings with no recommendation or referral, and recommendations no finding cites
// Settings (first line): area is the area id. A finding counts as a problem if it evidences a
// flow that is not working, or if its text uses problem language (problem_words below:
// graphmodel's queries.PROBLEM_WORDS, matched ignoring case), unless it is praise: every flow
// it evidences works and its text uses praise language (praise_words).
//@param area 'sefton'
CALL (*) {
  MATCH (f:Finding {area: area})
  WHERE NOT EXISTS { (f)-[:CITES]->(:Recommendation) } AND NOT f.public_health
  CALL (f, failing) {
    OPTIONAL MATCH (f)-[r:EVIDENCES]->(flow:Flow)
    WHERE flow.status IN failing
    WITH flow ORDER BY r.out_rank
    RETURN collect(flow.id) AS failingFlows,
           collect('(' + flow.status + ') ' + flow.name) AS said
  }
  // Where the first problem word starts, and how long it is. Cypher cannot return a
  // regex match, so test "a match starts after i characters" (.{i}) for each i, and
  // "it is n characters long" for each n; (?U) gives Python's Unicode \b and \w.
  WITH f, failingFlows, said, '(?:' + problem_words + ')' AS words,
       EXISTS { (f)-[:EVIDENCES]->(:Flow) } AND size(failingFlows) = 0
       AND f.text =~ ('(?isU).*(?:' + praise_words + ').*') AS praised
  WITH f, failingFlows, said, words,
       CASE WHEN size(failingFlows) = 0 AND NOT praised AND f.text =~ ('(?isU).*' + words + '.*')
            THEN [i IN range(0, size(f.text) - 1)
                  WHERE f.text =~ ('(?isU).{' + toString(i) + '}' + words + '.*')][0]
       END AS start
  WHERE size(failingFlows) > 0 OR start IS NOT NULL
  WITH f, failingFlows, said, start,
       CASE WHEN start IS NOT NULL
            THEN [n IN range(size(f.text) - start, 1, -1)
                  WHERE f.text =~ ('(?isU).{' + toString(start) + '}' + words
                                   + '.{' + toString(size(f.text) - start - n) + '}')][0]
       END AS length
  RETURN 'finding_without_recommendation' AS kind, f.number AS id, f.section AS section,
         f.text AS text,
         CASE WHEN size(failingFlows) > 0
              THEN 'evidences flows that are not working: '
                   + reduce(s = head(said), x IN tail(said) | s + ' ' + x)
              ELSE "problem language: '" + substring(f.text, start, length) + "'" END
         AS reason, failingFlows AS flows,
         0 AS part, f.seq AS seq
  UNION ALL
  MATCH (rec:Recommendation {area: area})
  WHERE NOT EXISTS { (:Finding)-[:CITES]->(rec) }
  RETURN 'recommendation_without_finding' AS kind, rec.number AS id,
         'Recommendations' AS section, rec.text AS text, 'no finding cites it' AS reason,
         [] AS flows, 1 AS part, rec.seq AS seq
}
//@cli
RETURN kind, id, section, text, reason, flows
//@browser
RETURN kind, id, section, text, reason, coalesce(@join(flows, ', '), '') AS flows
//@end
ORDER BY part, seq
