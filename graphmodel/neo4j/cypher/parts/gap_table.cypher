// gap_table: a gap as a row of plain columns for Neo4j Browser's table, the columns that decide
// first. A party the evidence does not name shows as "(inferred)".
RETURN gap.rank AS rank, gap.severity AS severity,
       CASE gap.kind WHEN 'broken_loop' THEN 'broken loop' ELSE 'one-way' END AS kind,
       @join([p IN gap.senders | p.name + CASE WHEN any(l IN gap.legs WHERE l.from.id = p.id
                                                       AND p.id IN l.inferred_ends)
                                               THEN ' (inferred)' ELSE '' END], ', ') AS `from`,
       @join([p IN gap.receivers | p.name + CASE WHEN any(l IN gap.legs WHERE l.to.id = p.id
                                                         AND p.id IN l.inferred_ends)
                                                 THEN ' (inferred)' ELSE '' END], ', ') AS `to`,
       @join([l IN gap.legs | l.passes + ' ' + l.status], ' / ') AS what,
       gap.why.text AS why,
       @join(@distinct([e IN gap.evidence | e.paragraph]), ', ') AS paragraphs,
       gap.action AS action,
       coalesce(@join([w IN gap.owners | w.name], '; '), '') AS owners,
       gap.summary AS summary,
       @join([l IN gap.legs | coalesce(l.flow, 'no-return')], ', ') AS flows
