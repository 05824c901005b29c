"""Which problem comes first: weights a safeguarding board can defend, read from what the
model declares (docs/ranking.md gives each factor's reason and the guidance behind it).

Why declared facts only: the same problem must rank the same whatever its parties
are called. So nothing here reads a name; it reads each problem's scope, the
children it affects, its statutory timescale, its flows' statuses and loops, and
the paragraphs that evidence the failure (praise of a working leg is no evidence).

Order, in words (``docs/ranking.md``):

1. Patterns before single cases: a problem of one tracked case comes after every
   problem the report states as a pattern or saw in several cases.
2. Points (``WEIGHTS``), most first.
3. Ties: more paragraphs evidencing the failure, then the worse severity, then the
   earlier paragraph in the report, then the id (never file order).
4. Both halves of the review in the first ten: when the first ten would hold fewer
   than ``HALF_MIN`` problems of one half (safeguarding; children looked after and
   care leavers) and that half has more, its best-placed problems move up, each
   taking the place of the lowest-placed problem of the other half.

Every row gets ``rank`` (1 = first) and ``why``: each factor's points, the total
and a one-line ``text``.
"""

from __future__ import annotations

import re

from .. import vocab

# Points a problem earns; one "step" of each is 1 (gaps --sensitivity moves each by one).
WEIGHTS: dict[str, int] = {
    "scope:systemic": 3,  # the report states it as how things are
    "scope:several_cases": 1,  # seen in more than one case
    "scope:single_case": 0,
    "children:child_protection": 3,  # a child at risk of significant harm (Children Act s47)
    "children:looked_after": 3,  # the council is the child's corporate parent
    "children:unborn_newborn": 2,  # the most vulnerable age, seen by few services
    "children:children_in_need": 2,  # Children Act s17
    "children:care_leavers": 2,
    "children:children_of_adult_patients": 1,  # hidden harm: "Think Family"
    "children:early_help": 1,
    "children:all_children": 1,
    "loop": 2,  # something goes out and the answer never comes back
    "nothing_passes": 2,  # a failing leg does not happen at all (absent, blocked, broken)
    "timescale": 3,  # a statutory timescale the report says is missed
    "evidence": 1,  # per paragraph evidencing the failure beyond the first ...
}
EVIDENCE_CAP = 3  # ... at most this many
TOP = 10  # the places a board reads first
HALF_MIN = 3  # problems of each half of the review among the first TOP, when it has them


def children_points(children: list[str], weights: dict[str, int]) -> tuple[int, str | None]:
    """The points of the most vulnerable group a problem affects, and that group."""
    scored = [(weights[f"children:{c}"], c) for c in children]
    if not scored:
        return 0, None
    points, group = max(scored, key=lambda pc: (pc[0], -children.index(pc[1])))
    return points, group


def failure_paragraphs(row: dict) -> list[str]:
    """Paragraphs that evidence a failing leg, in order of first citation (no praise)."""
    return list(dict.fromkeys(e["paragraph"] for leg in row["legs"]
                              if leg["status"] != vocab.WORKING for e in leg["evidence"]))


def factors(row: dict, weights: dict[str, int]) -> dict[str, int]:
    """Each factor's points for one problem row."""
    paragraphs = failure_paragraphs(row)
    failing = [leg for leg in row["legs"] if leg["status"] != vocab.WORKING]
    return {
        "scope": weights.get(f"scope:{row['scope']}", 0),  # a proposal has no scope: 0
        "children": children_points(row["children"], weights)[0],
        "loop": weights["loop"] if row["kind"] == "broken_loop" else 0,
        "nothing_passes": weights["nothing_passes"]
        if any(not vocab.STATUSES[leg["status"]].happens for leg in failing) else 0,
        "timescale": weights["timescale"] if row["timescale"] else 0,
        "evidence": weights["evidence"] * min(max(len(paragraphs) - 1, 0), EVIDENCE_CAP),
    }


def why(row: dict, weights: dict[str, int] = WEIGHTS) -> dict:
    """The factors behind a problem's place, their points, and a one-line reading of them."""
    points = factors(row, weights)
    paragraphs = failure_paragraphs(row)
    said = []
    if row["scope"]:
        said.append(f"{vocab.SCOPES[row['scope']].label} +{points['scope']}")
    group = children_points(row["children"], weights)[1]
    if group:
        said.append(f"{vocab.CHILDREN[group].label} +{points['children']}")
    if points["loop"]:
        said.append(f"broken loop +{points['loop']}")
    if points["nothing_passes"]:
        said.append(f"nothing passes +{points['nothing_passes']}")
    if points["timescale"]:
        said.append(f"{vocab.TIMESCALES[row['timescale']['name']].label} timescale missed "
                    f"+{points['timescale']}")
    if points["evidence"]:
        said.append(f"{len(paragraphs)} paragraphs of evidence +{points['evidence']}")
    score = sum(points.values())
    text = f"{score} points" + (f": {', '.join(said)}" if said else "")
    return {"score": score, **points, "paragraphs": len(paragraphs), "text": text}


def _paragraph_key(paragraph: str) -> tuple:
    """Report order: context first (it has no number), then 1.1, 1.2 ... 5.3.22; a case box
    after its paragraph."""
    return (*map(int, re.findall(r"\d+", paragraph)), paragraph.startswith("case:"))


def order_key(row: dict, points: dict) -> tuple:
    """Where a row sorts: single cases last, then points, then the tie rules."""
    # a row with no failure paragraph ties only with another (the count comes first)
    first = min((_paragraph_key(p) for p in failure_paragraphs(row)), default=())
    return (row["scope"] == "single_case", -points["score"], -points["paragraphs"],
            vocab.severity_rank(row["severity"]), first, row["id"])


def halves(row: dict) -> set[str]:
    """The halves of the review a problem belongs to, from the children it affects."""
    return {vocab.CHILDREN[c].half for c in row["children"]}


def rank(rows: list[dict], weights: dict[str, int] = WEIGHTS) -> list[dict]:
    """Problem rows in priority order, each given ``rank`` and ``why``."""
    for row in rows:
        row["why"] = why(row, weights)
    ordered = sorted(rows, key=lambda r: order_key(r, r["why"]))
    ordered = _both_halves(ordered)
    for n, row in enumerate(ordered, 1):
        row["rank"] = n
    return ordered


def _both_halves(rows: list[dict]) -> list[dict]:
    """Apply the rule that the first ten hold both halves of the review (module docstring)."""
    rows = list(rows)
    for half in vocab.HALVES:
        top = rows[:TOP]
        have = [r for r in top if half in halves(r)]
        waiting = [r for r in rows[TOP:] if half in halves(r)]
        while len(have) < HALF_MIN and waiting:
            # someone can always give way: the other TOP - HALF_MIN + 1 places or more hold
            # problems of neither half, or more than HALF_MIN of the other (TOP >= 2 * HALF_MIN)
            up = waiting.pop(0)
            down = [r for r in rows[:TOP] if half not in halves(r)
                    and _can_give_way(r, rows[:TOP])][-1]
            rows.remove(up)
            rows.insert(rows.index(down), up)  # just above the one it displaces
            rows.remove(down)
            rows.insert(TOP, down)  # first after the ten
            _moved(up, down, half)
            have.append(up)
    return rows


def _can_give_way(row: dict, top: list[dict]) -> bool:
    """Whether a row can leave the first ten without taking its own half below HALF_MIN."""
    return all(sum(h in halves(r) for r in top) > HALF_MIN for h in halves(row))


def _moved(up: dict, down: dict, half: str) -> None:
    words = vocab.HALVES[half]
    up["why"]["balance"] = half
    up["why"]["text"] += f"; placed in the first {TOP} so that {words} are there"
    down["why"]["balance"] = "gave_way"
    down["why"]["text"] += f"; gave its place in the first {TOP} to {words}"


def sensitivity(rows: list[dict], weights: dict[str, int] = WEIGHTS) -> dict[str, dict]:
    """Each problem's rank when each weight moves one step either way, alone.

    Returns ``{id: {"best", "worst", "top_hangs_on": [weights]}}``: ``top_hangs_on``
    lists the weights whose one step moves the problem into or out of the first ten.
    """
    base = {r["id"]: r["rank"] for r in rows}
    out = {pid: {"best": n, "worst": n, "top_hangs_on": []} for pid, n in base.items()}
    for name in weights:
        for step in (-1, 1):
            moved = dict(weights, **{name: max(0, weights[name] + step)})
            if moved == weights:
                continue
            for row in rank([dict(r) for r in rows], moved):  # copies: rank() writes them
                entry, n = out[row["id"]], row["rank"]
                entry["best"], entry["worst"] = min(entry["best"], n), max(entry["worst"], n)
                if (n <= TOP) != (base[row["id"]] <= TOP) and name not in entry["top_hangs_on"]:
                    entry["top_hangs_on"].append(name)
    return out


def group(rows: list[dict]) -> list[list[dict]]:
    """Failures that look like one problem, together: a proposal where none is declared.

    Failures citing the same evidence paragraphs that fail the same way (kind,
    each leg's role, what passes and status) are proposed as one problem; the
    modeller decides in problems.yaml (docs/modelling.md, "Problems").
    """
    groups: dict[tuple, list[dict]] = {}
    for row in rows:
        paragraphs = frozenset(e["paragraph"] for leg in row["legs"] for e in leg["evidence"])
        shape = tuple((leg["role"], leg["passes"], leg["status"]) for leg in row["legs"])
        groups.setdefault((row["kind"], paragraphs, shape), []).append(row)
    return list(groups.values())
