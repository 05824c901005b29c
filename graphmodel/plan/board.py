"""The board's one page, as data: the first ten problems with who must act and how far
the action plan has got, the counts a board asks for, and the broken loops to draw.

Why one summary: ``graphmodel board`` prints it as a page (HTML or PDF,
``views.board``) and the action plan workbook carries the same table on its
Board sheet (``workbook``), so the page and the sheet can never disagree.
Pure over the graph and its gap rows (``api.Area.gaps()``), like ``progress``.
"""

from __future__ import annotations

import datetime
from collections import Counter

import networkx as nx

from .. import vocab
from ..questions.graph import nodes_of, number
from ..questions.ranking import TOP
from .build import problem, ranked, what_if
from .progress import _tally, action_rows, gap_progress

# An action status as a board reads it: (label, red/amber/green or None).
STATES = {
    "closed": ("closed", "green"),
    "under_way": ("under way", "amber"),
    "overdue": ("overdue", "red"),
    "no_action": ("no action yet", None),
}
# Who must act: the few words a table cell has room for, and what they mean
# (vocab.TO_ACT_BASES says it for the terminal).
BASIS_TAGS = {
    "recommendation": ("Recommendation", "owns a recommendation that addresses the problem"),
    "partner": ("Partner in", "named as a partner in a recommendation that addresses it"),
    "brought_to_attention": ("Brought to their attention", "the report brings it to them "
                             "by a separate letter: not a recommendation, not ownership"),
    "outside_review": ("Outside CQC's review", "the failing body is not a health body, so "
                       "CQC made it no recommendation: raise it through the local "
                       "safeguarding partnership"),
    "unaddressed": ("No recommendation", "a health body fails and nothing in the report "
                    "covers it: raise it with them or their commissioner"),
}
BOARD_COLUMNS = ("Rank", "Problem", "Scope", "Children affected", "Who must act",
                 "Action status", "Due")


def board_summary(G: nx.MultiDiGraph, gap_rows: list[dict], as_of: datetime.date) -> dict:
    """Everything the board's page shows, as JSON-ready data.

    ``gap_rows`` are every problem of the area (``gaps()`` unfiltered), worst
    first; the counts are over all of them, the table over the first ten.
    """
    rows = ranked(gap_rows)
    actions = action_rows(G, as_of)
    top = [r for r in rows if r["rank"] <= TOP]
    recs = [number(r) for r in nodes_of(G, "recommendation")]
    left = what_if(rows, recs)
    return {
        "area": {"id": G.graph["area"], "name": G.graph["area_name"]},
        "review": review_words(G.graph.get("review")),
        "as_of": as_of.isoformat(),
        "problems": [board_row(r, actions) for r in top],
        "total": len(rows),
        "declared": all(r.get("declared", True) for r in rows),
        "unaddressed": {"count": left["remaining"],
                        "public_health": left["remaining_public_health"]},
        "outside_review": outside_review(rows),
        "actions": _tally(actions),
        "loops": broken_loops(top),
        "loops_in_area": sum(u["kind"] == "broken_loop" for r in rows for u in r["units"]),
    }


def board_row(row: dict, actions: list[dict]) -> dict:
    """One problem as the board reads it: plain words, who must act, and its actions."""
    scope = vocab.SCOPES[row["scope"]].label if row.get("scope") else "not yet declared"
    return {"rank": row["rank"], "id": row["id"], "problem": problem(row),
            "declared": row.get("declared", True), "kind": row["kind"], "scope": scope,
            "children": [vocab.CHILDREN[c].label for c in row.get("children") or []],
            "to_act": to_act_groups(row.get("to_act") or []),
            "action": action_status(row, actions)}


def acting_name(party: dict) -> str:
    """"NHS South Sefton CCG (now NHS Cheshire and Merseyside Integrated Care Board)"."""
    return party["name"] + (f" (now {party['now']})" if party.get("now") else "")


def to_act_groups(to_act: list[dict]) -> list[dict]:
    """Who must act, grouped by basis and recommendations: ``{tag, basis, names}`` each.

    Why grouped: six trusts owning the same recommendation read as one line
    with six names, not six lines that repeat the recommendation.
    """
    groups: dict[tuple, dict] = {}
    for party in to_act:
        recs = tuple(party.get("recommendations") or ())
        tag = BASIS_TAGS[party["basis"]][0]
        if recs:
            plural = "s" if party["basis"] == "recommendation" and len(recs) > 1 else ""
            tag = f"{tag}{plural} {', '.join(recs)}"
        group = groups.setdefault((party["basis"], recs),
                                  {"tag": tag, "basis": party["basis"], "names": []})
        group["names"].append(acting_name(party))
    return list(groups.values())


def action_status(row: dict, actions: list[dict]) -> dict:
    """Red, amber or green from actions.yaml: overdue, under way, closed; or no action yet.

    Closed is ``progress``'s: every failing flow fixed by a done action. The
    due date shown is the earliest of the actions not yet done (the overdue
    ones first).
    """
    state = gap_progress(row, actions)
    mine = [a for a in actions if a["id"] in state["actions"]]
    overdue = [a for a in mine if a["overdue"]]
    waiting = overdue or [a for a in mine if not a["done"]]
    due = min((a["due"] for a in waiting if a["due"]), default=None)
    name = {"closed": "closed", "no_action": "no_action"}.get(
        state["state"], "overdue" if overdue else "under_way")
    label, rag = STATES[name]
    done = sum(a["done"] for a in mine)
    return {"state": name, "label": label, "rag": rag, "due": due,
            "actions": len(mine), "done": done, "overdue": len(overdue),
            "text": f"{done} of {len(mine)} action{'s' * (len(mine) != 1)} done"
            if mine else ""}


def outside_review(rows: list[dict]) -> dict:
    """Problems that fail, at least in part, with a body CQC's review does not cover.

    ``bodies``: each such body with how many problems it is in, most first.
    """
    counts: Counter[str] = Counter()
    involved = 0
    for row in rows:
        names = {a["name"] for a in row.get("to_act") or [] if a["basis"] == "outside_review"}
        involved += bool(names)
        counts.update(names)
    return {"count": involved,
            "bodies": [{"name": n, "problems": c}
                       for n, c in sorted(counts.items(), key=lambda x: (-x[1], x[0]))]}


def broken_loops(rows: list[dict]) -> list[dict]:
    """Each broken loop of these problems: its rank and its two legs, to draw.

    A problem's ``legs`` run unit by unit, so each unit's legs are the next
    ``len(unit["flows"])`` of them; a return no flow records is a leg marked
    ``missing``.
    """
    loops = []
    for row in rows:
        legs = iter(row["legs"])
        for unit in row["units"]:
            mine = [next(legs) for _ in unit["flows"]]
            if unit["kind"] != "broken_loop":
                continue
            loops.append({"rank": row["rank"], "problem": row["id"],
                          "legs": [_leg(leg) for leg in mine]})
    return loops


def _leg(leg: dict) -> dict:
    return {"role": leg["role"], "from": leg["from"]["name"], "to": leg["to"]["name"],
            "passes": leg["passes"], "status": leg["status"],
            "missing": bool(leg.get("missing"))}


def review_words(review: dict | None) -> dict:
    """When the review took place, in words: its dates, or the bounds known and why."""
    if not review:
        return {"text": "The review's dates are not recorded in this model (review: in "
                        "area.yaml).", "note": None}
    held_from, held_to = review.get("from"), review.get("to")
    if held_from or held_to:
        held = (f"from {long_date(held_from)} to {long_date(held_to)}" if held_from and held_to
                else f"on {long_date(held_from or held_to)}")
        text = f"CQC's review took place {held}"
    elif review.get("not_before") or review.get("not_after"):
        bounds = [f"the review took place after {long_date(review['not_before'])}"
                  if review.get("not_before") else "",
                  f"the report was out by {long_date(review['not_after'])}"
                  if review.get("not_after") else ""]
        text = "This copy of the report gives no dates: " + \
            ", and ".join(b for b in bounds if b)
    else:
        text = "This copy of the report gives no dates for the review"
    if review.get("published"):
        text += f"; the report was published on {long_date(review['published'])}"
    return {"text": text + ".", "note": review.get("note")}


def long_date(iso: str | None) -> str:
    """"4 July 2018": a date as a board paper writes it."""
    if not iso:
        return ""
    day = datetime.date.fromisoformat(iso)
    return f"{day.day} {day:%B %Y}"


def short_date(iso: str | None) -> str:
    """"4 Jul 2018", for a table cell."""
    if not iso:
        return ""
    day = datetime.date.fromisoformat(iso)
    return f"{day.day} {day:%b %Y}"


def board_table(summary: dict) -> list[dict]:
    """The page's table as rows of column -> text (the workbook's Board sheet)."""
    out = []
    for row in summary["problems"]:
        action = row["action"]
        status = action["label"] + (f" ({action['text']})" if action["text"] else "")
        out.append(dict(zip(BOARD_COLUMNS, (
            row["rank"], row["problem"], row["scope"], ", ".join(row["children"]),
            "\n".join(f"{g['tag']}: {'; '.join(g['names'])}" for g in row["to_act"]),
            status, datetime.date.fromisoformat(action["due"]) if action["due"] else None),
            strict=True)))
    return out
