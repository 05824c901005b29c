// hotspots: parties ranked by the gaps they are party to, then by betweenness in the flow graph
// Settings (first line): area is the area id. The flow graph joins two parties when a flow passes
// between them; betweenness is normalised as networkx does for a directed graph, counting
// each shortest route of parties once however many flows run in parallel. A problem (as
// gaps.cypher lists them) counts once for each party on its legs.
//@param area 'sefton'
// Parties in the flow graph, and every party's parent (what queries.organisation_of climbs).
CALL (*) {
  MATCH (p:Party {area: area})
  WHERE EXISTS { (p)-[:SENDS]->(:Flow) } OR EXISTS { (p)<-[:TO]-(:Flow) }
  RETURN collect(p) AS parties
}
CALL (*) {
  MATCH (x:Party {area: area})
  CALL (*) {
    OPTIONAL MATCH (x)-[r]-(y:Item)
    WHERE (type(r) IN contains_down AND endNode(r) = x)
          OR (type(r) IN contains_up AND startNode(r) = x)
    WITH y, CASE WHEN type(r) IN contains_down
                 THEN [0, [i IN range(0, size(contains_down) - 1)
                           WHERE contains_down[i] = type(r)][0], r.in_rank]
                 ELSE [1, [i IN range(0, size(contains_up) - 1)
                           WHERE contains_up[i] = type(r)][0], r.out_rank] END AS k
    ORDER BY k
    RETURN head(collect(y)) AS up
  }
  RETURN collect([x, up]) AS chain
}
// The problems (as the load ranked them) and the parties on their legs.
//@include ranked
CALL (*) {
  UNWIND ranked AS gap
  WITH gap, @distinct(reduce(a = [], l IN gap.legs | a + [l.from.id, l.to.id])) AS ids
  UNWIND ids AS gapParty
  WITH gapParty, count(*) AS gapCount
  RETURN collect([gapParty, gapCount]) AS gapCounts
}
// Betweenness: for each ordered pair, the share of its shortest party routes through v.
CALL (parties) {
  UNWIND parties AS s
  MATCH p = ALL SHORTEST (s) ((:Item)-[:SENDS]->(:Flow)-[:TO]->(:Item))+ (t:Item)
  WHERE t <> s
  WITH s, t, collect(DISTINCT [n IN nodes(p) WHERE NOT n:Flow]) AS routes
  UNWIND routes AS route
  UNWIND route[1..-1] AS v
  WITH v, s, t, size(routes) AS total, count(*) AS through
  WITH v, sum(toFloat(through) / total) AS score
  RETURN collect([v, score]) AS scores
}
WITH parties, chain, gapCounts, scores, size(parties) AS n
UNWIND parties AS p
WITH p, chain, n,
     coalesce([g IN gapCounts WHERE g[0] = p.id | g[1]][0], 0) AS gaps,
     CASE WHEN n > 2 THEN coalesce([s IN scores WHERE s[0] = p | s[1]][0], 0.0)
                          / ((n - 1) * (n - 2))
          ELSE 0.0 END AS between,
     size(COLLECT { MATCH (p)-[:SENDS]->(:Flow)-[:TO]->(q:Item) RETURN DISTINCT q })
     + size(COLLECT { MATCH (p)<-[:TO]-(:Flow)<-[:SENDS]-(q:Item) RETURN DISTINCT q }) AS flows
// The organisation it belongs to: climb parents until an organisation, a top, or a cycle.
WITH p, gaps, flows, round(between, 4) AS betweenness,
     reduce(st = {cur: p, seen: [], done: false}, i IN range(0, size(chain)) |
       CASE WHEN st.done OR st.cur.kind = 'organisation' OR st.cur IN st.seen
            THEN {cur: st.cur, seen: st.seen, done: true}
            ELSE {cur: coalesce([c IN chain WHERE c[0] = st.cur | c[1]][0], st.cur),
                  seen: st.seen + st.cur,
                  done: [c IN chain WHERE c[0] = st.cur | c[1]][0] IS NULL} END).cur AS org
//@cli
RETURN p.id AS id, p.name AS name, p.kind AS kind, {id: org.id, name: org.name} AS organisation,
       gaps, flows, betweenness
//@browser
RETURN p.name AS name, p.kind AS kind, org.name AS organisation, gaps, flows, betweenness,
       p.id AS id
//@end
ORDER BY gaps DESC, betweenness DESC, id
