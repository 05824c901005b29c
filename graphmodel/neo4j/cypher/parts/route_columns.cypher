// route_columns: a route's columns for graphmodel, from route_legs' hops, stands_for, answers.
       reduce(acc = [], h IN hops | acc + [x IN h.flows | x.flow]) AS flows,
       reduce(acc = [], h IN hops | acc + [x IN h.flows | x.status]) AS statuses,
       all(h IN hops WHERE h.works) AS works,
       reduce(acc = [], h IN hops | acc + CASE WHEN h.works THEN [] ELSE
                                                [x IN h.flows | x.flow] END) AS breaks_at,
       all(h IN hops WHERE h.continues) AS continues,
       [h IN hops WHERE NOT h.continues | h.from] AS not_passed_on,
       hops, stands_for, answers
