// groups (ranking.group): the problems that are one gap, together, the first in file order
// leading. Needs problems. Gives groups: a list of lists of problems, in order of their leads.
CALL (*) {
  UNWIND range(0, size(problems) - 1) AS i
  WITH i, problems[i] AS p ORDER BY i
  WITH p.key AS key, collect(p) AS members, min(i) AS firstIndex
  WITH members ORDER BY firstIndex
  RETURN collect(members) AS groups
}
