// gap_rows (queries._gap_row, queries.flow_actions, ranking.why, ranking.rank): one row per group
// of problems, with every leg, all evidence, what addresses it and who owns fixing it, then
// the points behind its place, in priority order: severity, points, paragraphs of evidence,
// file order, then the breadth rule for the first places. Needs groups, partners, top, publicHealthOwner and the vocabulary. Gives ranked:
// the gap rows in order, each a map with the keys of graphmodel's gap rows and its rank.
CALL (*) {
  UNWIND groups AS members
  WITH *, members[0] AS lead, reduce(acc = [], m IN members | acc + m.legs) AS legs
  WITH *, [l IN legs WHERE l.flow IS NOT NULL | l.flow] AS flowIds,
       @distinct(reduce(acc = [], l IN legs | acc + [l.from, l.to])) AS parties
  // The findings that evidence the flows, and the recommendations addressing them: a flow's
  // own list when it has one (it narrowed what its paragraphs cite), else all they cite.
  CALL (*) {
    UNWIND range(0, size(flowIds) - 1) AS i
    MATCH (f:Flow {area: area, id: flowIds[i]})
    CALL (f) {
      OPTIONAL MATCH (f)<-[e:EVIDENCES]-(fd:Finding)
      WITH fd ORDER BY e.in_rank
      RETURN collect(fd) AS fds
    }
    WITH i, f, fds ORDER BY i
    WITH collect(fds) AS perFlow,
         collect(coalesce(f.recommendations,
                          reduce(acc = [], fd IN fds | acc + coalesce(fd.recommendations, []))))
         AS recsPerFlow
    RETURN @distinct(reduce(acc = [], x IN perFlow | acc + x)) AS findings,
           @distinct(reduce(acc = [], x IN recsPerFlow | acc + x)) AS recs
  }
  // Their owners, and the council's public health commissioners for a referral.
  CALL (*) {
    UNWIND range(0, size(recs) - 1) AS i
    MATCH (rec:Recommendation {area: area, number: recs[i]})
    UNWIND range(0, size(rec.owners) - 1) AS j
    WITH i, j, rec.owners[j] AS owner ORDER BY i, j
    RETURN @distinct(collect(owner)) AS recOwners
  }
  WITH *, any(fd IN findings WHERE fd.public_health) AS publicHealth
  WITH *, recOwners + CASE WHEN publicHealth AND NOT publicHealthOwner IN recOwners
                           THEN [publicHealthOwner] ELSE [] END AS ownerIds
  CALL (*) {
    UNWIND range(0, size(ownerIds) - 1) AS i
    OPTIONAL MATCH (w:Item {area: area, id: ownerIds[i]})
    WITH i, {id: ownerIds[i], name: coalesce(w.name, ownerIds[i])} AS owner ORDER BY i
    RETURN collect(owner) AS owners
  }
  WITH *, CASE WHEN size(recs) > 0 THEN ['recommendations ' + @join(recs, ', ')] ELSE [] END
          + CASE WHEN publicHealth THEN [public_health_action] ELSE [] END AS actions
  // The why: points for a broken loop, the child-protection pathway, nobody owning it,
  // paragraphs of evidence beyond the first, and the best-connected party's partners.
  WITH *, @distinct([e IN reduce(acc = [], l IN legs | acc + l.evidence) | e.paragraph])
          AS paragraphs,
       [p IN parties | coalesce([d IN partners WHERE d[0] = p.id | d[1]][0], 0)] AS degrees,
       [p IN parties WHERE p.cp] AS pathway,
       severity_of[lead.kind][lead.status] AS severity
  WITH *, parties[reduce(b = 0, i IN range(0, size(degrees) - 1) |
                         CASE WHEN degrees[i] > degrees[b] THEN i ELSE b END)] AS hub
  WITH *, degrees[[i IN range(0, size(parties) - 1) WHERE parties[i] = hub][0]] AS hubPartners
  WITH *, {loop: CASE lead.kind WHEN 'broken_loop' THEN points.loop ELSE 0 END,
           child_protection: CASE WHEN size(pathway) > 0 THEN points.child_protection ELSE 0 END,
           nothing_passes: CASE WHEN lead.status IN happening THEN 0
                                ELSE points.nothing_passes END,
           unowned: CASE WHEN size(recs) = 0 AND NOT publicHealth THEN points.unowned ELSE 0 END,
           evidence: points.evidence * CASE WHEN size(paragraphs) - 1 > evidence_cap
                                            THEN evidence_cap
                                            WHEN size(paragraphs) > 1 THEN size(paragraphs) - 1
                                            ELSE 0 END,
           centrality: points.centrality * CASE WHEN top > 0 THEN (2 * hubPartners) / top
                                                ELSE 0 END} AS factors
  WITH *, factors.loop + factors.child_protection + factors.nothing_passes + factors.unowned
          + factors.evidence + factors.centrality AS score
  WITH *,
       CASE WHEN factors.loop > 0 THEN ['broken loop +' + factors.loop] ELSE [] END
       + CASE WHEN factors.child_protection > 0
              THEN ['child-protection pathway (' + pathway[0].name + ') +'
                    + factors.child_protection] ELSE [] END
       + CASE WHEN factors.nothing_passes > 0
              THEN ['nothing passes (' + lead.status + ') +' + factors.nothing_passes] ELSE [] END
       + CASE WHEN factors.unowned > 0 THEN ['no one owns fixing it +' + factors.unowned]
              ELSE [] END
       + CASE WHEN factors.evidence > 0
              THEN [size(paragraphs) + ' paragraphs of evidence +' + factors.evidence]
              ELSE [] END
       + CASE WHEN factors.centrality > 0
              THEN [hub.name + ' exchanges with ' + hubPartners + ' parties +'
                    + factors.centrality] ELSE [] END AS said
  // The one-line summary: the lead's, and how many more flows or loops are the same gap.
  WITH *, @distinct(reduce(acc = [], m IN tail(members) | acc + reduce(a = [], l IN m.legs |
                                                                       a + [l.from, l.to])))
          AS others,
       [l IN lead.legs | l.from.id] + [l IN lead.legs | l.to.id] AS leadEnds
  WITH *, [o IN others WHERE NOT o.id IN leadEnds | o.name] AS othersNamed,
       @join([l IN lead.legs WHERE l.missing IS NULL | l.summary], ' ') AS leadSummary
  WITH lead, legs, paragraphs, severity,
       [i IN range(0, size(severities) - 1) WHERE severities[i] = severity][0] AS severityOrder,
       {kind: lead.kind, severity: severity,
        id: @join([l IN legs | coalesce(l.flow, 'no-return')], '+'),
        from: lead.legs[0].from, to: lead.legs[0].to,
        senders: @distinct([l IN legs WHERE l.role <> 'return' | l.from]),
        receivers: @distinct([l IN legs WHERE l.role <> 'return' | l.to]),
        parties: parties,
        passes: @join([l IN lead.legs | l.passes], ' / '),
        status: lead.status,
        summary: leadSummary
                 + CASE WHEN size(members) > 1
                        THEN ' The same holds for ' + (size(members) - 1) + ' more '
                             + CASE lead.kind WHEN 'broken_loop' THEN 'loop' ELSE 'flow' END
                             + CASE WHEN size(members) > 2 THEN 's' ELSE '' END
                             + CASE WHEN size(othersNamed) > 0
                                    THEN ': ' + @join(othersNamed, ', ') + '.' ELSE '.' END
                        ELSE '' END,
        legs: legs,
        evidence: @distinct(reduce(acc = [], l IN legs | acc + l.evidence)),
        recommendations: recs, owners: owners, public_health: publicHealth,
        action: CASE WHEN size(actions) = 0 THEN no_recommendation
                     ELSE @join(actions, '; ') END,
        findings: [fd IN findings | fd.number],
        cited: paragraphs,
        why: {score: score, loop: factors.loop, child_protection: factors.child_protection,
              nothing_passes: factors.nothing_passes, unowned: factors.unowned, evidence: factors.evidence,
              centrality: factors.centrality, paragraphs: size(paragraphs),
              hub: {id: hub.id, name: hub.name, partners: hubPartners},
              text: severity + '; ' + score + ' points'
                    + CASE WHEN size(said) > 0 THEN ': ' + @join(said, ', ') ELSE '' END}}
       AS row, score
  ORDER BY severityOrder, score DESC, size(paragraphs) DESC, legs[0].seq, lead.phase, lead.seq
  WITH collect(row) AS sorted
  // The breadth rule (ranking._breadth_first), for the first first_places places only: a gap
  // citing a paragraph that already has breadth places above it gives way to the next gap of
  // the same severity from other paragraphs; its why says so.
  WITH reduce(st = {out: [], rest: sorted, placed: []}, step IN range(1, first_places) |
         CASE WHEN size(st.rest) = 0 THEN st ELSE
           {out: st.out + [st.rest[@pick(st)]],
            rest: [i IN range(0, size(st.rest) - 1) WHERE i <> @pick(st) |
                   CASE WHEN i < @pick(st) AND st.rest[i].why.after IS NULL
                        THEN @gave_way(st.rest[i], @crowded(st.rest[i], st.placed))
                        ELSE st.rest[i] END],
            placed: st.placed + st.rest[@pick(st)].cited} END) AS st
  RETURN st.out + st.rest AS ranked
}
