// recurring_problems: what fails in more than one area, by signature: the sender's national
// role, the receiver's, and what passes
// No settings: it reads every area in the database. Each failing leg of an area's problems, as
// the load ranked them, counts when both its parties have a national role (a return that no
// flow records passes 'return'); its severity is the one it brings (a broken loop's outward
// leg brings what it would alone). One row per signature that fails in two or more areas: how
// many, and each area with the worst severity there, most areas first, then the worst.
MATCH (a:Area)
MATCH (p:Item:Problem {area: a.id})
UNWIND range(0, size(p.leg_flows) - 1) AS i
WITH *
WHERE p.leg_statuses[i] IN failing AND p.leg_from_roles[i] <> '' AND p.leg_to_roles[i] <> ''
// The words the table prints come along (each WITH keeps only what it names).
WITH severities, role_labels, passes_labels, a, p.leg_from_roles[i] AS sender,
     p.leg_to_roles[i] AS receiver, p.leg_passes[i] AS passes,
     [s IN range(0, size(severities) - 1) WHERE severities[s] = p.leg_severities[i]][0] AS worst
WITH severities, role_labels, passes_labels, sender, receiver, passes, a,
     min(worst) AS worst, count(*) AS legs
ORDER BY worst, a.name
WITH severities, role_labels, passes_labels, sender, receiver, passes,
     collect({area: a.name, worst: worst}) AS found, sum(legs) AS failures
WHERE size(found) > 1
WITH *, found[0].worst AS first
//@cli
RETURN sender, receiver, passes, size(found) AS areas, severities[first] AS worst,
       [f IN found | {area: f.area, severity: severities[f.worst]}] AS found_in, failures
//@browser
RETURN role_labels[sender] + ' → ' + role_labels[receiver] + ': '
       + coalesce(passes_labels[passes], passes) AS signature,
       size(found) AS areas, severities[first] AS worst,
       @join([f IN found | f.area + ' (' + severities[f.worst] + ')'], ', ') AS found_in,
       failures, sender AS sender_role, receiver AS receiver_role, passes
//@end
ORDER BY areas DESC, first, sender, receiver, passes
