// compare_areas: each area's problems side by side: how many, and how many of each severity,
// scope and half of the review
// No settings: it reads every area in the database, one row each, by name. A problem counts
// in each half of the review (safeguarding; children looked after) that a group of children
// it affects belongs to, so the halves can add up to more than the problems; a problem that
// names no children (a proposal) counts in neither.
MATCH (a:Area)
OPTIONAL MATCH (p:Item:Problem {area: a.id})
WITH severities, scopes, scope_labels, halves, half_of, a, collect(p) AS problems
//@cli
RETURN a.id AS id, a.name AS area, size(problems) AS problems,
       [s IN severities | size([p IN problems WHERE p.severity = s])] AS severity,
       [s IN scopes | size([p IN problems WHERE p.scope = s])] AS scope,
       [h IN halves | size([p IN problems WHERE any(c IN p.children WHERE half_of[c] = h)])]
       AS half, a.loaded_at AS loaded_at
//@browser
RETURN a.name AS area, size(problems) AS problems,
       @join([s IN severities | toString(size([p IN problems WHERE p.severity = s])) + ' '
                                + s], ', ') AS severity,
       @join([s IN scopes | toString(size([p IN problems WHERE p.scope = s])) + ' '
                            + scope_labels[s]], ', ') AS scope,
       @join([h IN halves | toString(size([p IN problems
                                           WHERE any(c IN p.children WHERE half_of[c] = h)]))
                            + ' ' + replace(h, '_', ' ')], ', ') AS half,
       a.id AS id, replace(left(a.loaded_at, 16), 'T', ' ') + ' UTC' AS loaded
//@end
ORDER BY area, id
