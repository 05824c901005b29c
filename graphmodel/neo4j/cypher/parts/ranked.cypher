// ranked: the area's problems in priority order, as `graphmodel load` wrote them. The ranking
// is computed once, in Python (graphmodel/questions/ranking.py, docs/ranking.md), and read
// here, never re-derived. Needs area. Gives ranked: a list of maps, each with its legs (one
// per flow of the problem, a missing return as flow null) and who must act.
CALL (*) {
  MATCH (p:Item:Problem {area: area})
  WITH p ORDER BY p.rank
  RETURN collect(p {id: p.number, .rank, kind: p.gap_kind, .severity, .status, .statement,
                    .summary, .scope, .children, .timescale, .recommendations, .action,
                    .to_fix, .flows, why: {text: p.why, score: p.score},
                    legs: [i IN range(0, size(p.leg_flows) - 1) |
                           {flow: CASE p.leg_flows[i] WHEN 'no-return' THEN null
                                  ELSE p.leg_flows[i] END,
                            role: p.leg_roles[i], status: p.leg_statuses[i],
                            passes: p.leg_passes[i],
                            from: {id: p.leg_from_ids[i], name: p.leg_from_names[i]},
                            to: {id: p.leg_to_ids[i], name: p.leg_to_names[i]}}],
                    owners: [i IN range(0, size(p.owner_ids) - 1) |
                             {id: p.owner_ids[i], name: p.owner_names[i]}],
                    to_act: [i IN range(0, size(p.to_act_ids) - 1) |
                             {id: p.to_act_ids[i], name: p.to_act_names[i],
                              basis: p.to_act_bases[i]}]}) AS ranked
}
