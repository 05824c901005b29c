"""The action plan the report demands: its rows, its cover, and what-if.

A CLAS report ends by requiring an action plan from named commissioners
within a number of working days. This module drafts it from the graph: one row
per recommendation (or per action once owners have written some), ordered by
the worst gap it addresses; what no recommendation covers; the due date; what
delivering each recommendation would close; and, once actions exist, how far
they have got. Pure functions of the graph and its gap rows
(``api.Area.gaps()``): no files, no openpyxl, so the plan, the progress
command and a map view reuse them, on either backend.
"""

from __future__ import annotations

import datetime
import re

import networkx as nx

from .. import vocab
from ..questions.graph import in_by, nodes_of, number
from ..questions.parties import organisation_of, party_ref, units

EXTRACT_CHARS = 160


# --- gap rows --------------------------------------------------------------------------

def ranked(gap_rows: list[dict]) -> list[dict]:
    """Gap rows with their rank: the row's own ``rank`` if it has one, else its place.

    Why: ``gaps()`` lists the worst first, so a row's 1-based position is its
    rank until the ranking gives rows a ``rank`` of their own.
    """
    return [row if row.get("rank") else {**row, "rank": n}
            for n, row in enumerate(gap_rows, 1)]


def closed_by(row: dict, done: set[str]) -> bool:
    """Would delivering the recommendations ``done`` close this gap?

    A gap closes when every recommendation that addresses it is delivered
    (the report asked for all of them); a gap no recommendation addresses
    never closes this way.
    """
    recs = row["recommendations"]
    return bool(recs) and set(recs) <= done


def remaining(gap_rows: list[dict], done: set[str]) -> list[dict]:
    """The gaps still open if the recommendations ``done`` were delivered, worst first."""
    return [row for row in gap_rows if not closed_by(row, done)]


def is_loop(row: dict) -> bool:
    return row["kind"] == "broken_loop"


def what_if(gap_rows: list[dict], recommendations: list[str]) -> dict:
    """What would remain if every recommendation were delivered: the report's blind spots."""
    left = remaining(gap_rows, set(recommendations))
    loops = sum(map(is_loop, left))
    public_health = sum(1 for r in left if r["public_health"])
    one = len(left) == 1
    statement = (f"If every recommendation is delivered, {len(left)} of the {len(gap_rows)} "
                 f"gaps {'remains' if one else 'remain'} ({loops} broken "
                 f"loop{'' if loops == 1 else 's'}): the report leaves "
                 f"{'it' if one else 'them'} unaddressed by any recommendation")
    if public_health:
        statement += (f"; {public_health} {'is' if public_health == 1 else 'are'} referred to "
                      "the council's public health commissioners")
    return {"gaps": len(gap_rows), "remaining": len(left), "remaining_loops": loops,
            "remaining_public_health": public_health, "statement": statement + "."}


# --- the cover ---------------------------------------------------------------------------

def working_days_after(start: datetime.date, days: int) -> tuple[datetime.date, list[dict]]:
    """The date ``days`` working days after ``start``, and the bank holidays skipped.

    The day of receipt is not counted; weekends and England's bank holidays
    (the ``holidays`` package, which knows moved and one-off ones) are skipped.

    >>> working_days_after(datetime.date(2019, 4, 15), 20)[0]   # Easter and May Day
    datetime.date(2019, 5, 16)
    """
    import holidays
    bank = holidays.country_holidays("GB", subdiv="ENG")
    day, counted, skipped = start, 0, []
    while counted < days:
        day += datetime.timedelta(days=1)
        if day.weekday() >= 5:
            continue
        if day in bank:
            skipped.append({"date": day.isoformat(), "name": bank.get(day)})
            continue
        counted += 1
    return day, skipped


def cover(G: nx.MultiDiGraph, gap_rows: list[dict], received: datetime.date | None,
          org: str | None = None) -> dict:
    """Who must send the plan, to whom, when it came and when it is due."""
    steps = G.graph.get("next_steps") or {}
    days = steps.get("working_days")
    due, skipped = working_days_after(received, days) if received and days else (None, [])
    recs = nodes_of(G, "recommendation")
    return {
        "area": {"id": G.graph["area"], "name": G.graph["area_name"]},
        "part": party_ref(G, org) if org else None,
        "submitters": [party_ref(G, s) for s in G.graph.get("submitters", [])],
        "submitters_as_written": steps.get("submitters", []),
        "to": steps.get("to"), "working_days": days,
        "next_steps": steps.get("text"), "next_steps_line": steps.get("line"),
        "received": received.isoformat() if received else None,
        "due": due.isoformat() if due else None, "bank_holidays_skipped": skipped,
        "recommendations": len(recs),
        "what_if": what_if(gap_rows, [number(r) for r in recs]),
    }


def received_date(G: nx.MultiDiGraph, given: datetime.date | None) -> datetime.date | None:
    """``--received`` when given, else area.yaml's ``received:``."""
    if given:
        return given
    stored = G.graph.get("received")
    return datetime.date.fromisoformat(stored) if stored else None


# --- the rows --------------------------------------------------------------------------

def extract(text: str, limit: int = EXTRACT_CHARS) -> str:
    """The first sentence of a finding, cut at a word near ``limit`` characters."""
    first = re.split(r"(?<=[a-z0-9)][.!?])\s+(?=[A-Z])", text, maxsplit=1)[0]
    if len(first) <= limit:
        return first
    return first[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "\u2026"


def gap_ref(row: dict) -> dict:
    """A problem as the plan cites it; ``problem`` says what fails, in words."""
    return {"id": row["id"], "rank": row["rank"], "kind": row["kind"],
            "severity": row["severity"], "from": row["from"], "to": row["to"],
            "summary": row["summary"], "problem": problem(row)}


def problem(row: dict) -> str:
    """What fails: a declared problem's statement, else its failing flows' summaries.

    A loop whose return is missing altogether keeps its whole summary.
    """
    if row.get("statement"):
        return row["statement"]
    failing = [leg["summary"] for leg in row["legs"]
               if leg.get("flow") and leg["status"] != vocab.WORKING]
    return " ".join(dict.fromkeys(failing)) or row["summary"]


def actions_of(G: nx.MultiDiGraph) -> dict[str, list[dict]]:
    """Recommendation id -> its actions (actions.yaml), as the plan's owner columns."""
    out: dict[str, list[dict]] = {}
    for node in nodes_of(G, "action"):
        d = G.nodes[node]
        out.setdefault(d["recommendation"], []).append({
            "owner": party_ref(G, d["owner"]), "action": d["name"], "lead": d["lead"],
            "due": d["due"], "measure": d["measure"], "status": d["status"],
            "evidence": d["evidence_of_completion"], "fixes": list(d["fixes"])})
    return out


def blank_action(owner: dict | None, fixes: list[str]) -> dict:
    """The owner columns of a recommendation no action answers yet.

    ``fixes`` is filled in with the failing flows the recommendation
    addresses, so an action that keeps them closes its gaps in ``progress``.
    """
    return {"owner": owner, "action": None, "lead": None, "due": None, "measure": None,
            "status": None, "evidence": None, "fixes": fixes}


def failing_flows(row: dict) -> list[str]:
    """The flows of a gap that must work for it to close.

    A loop whose return is missing altogether has only its outward flow to fix.
    """
    flows = [leg["flow"] for leg in row["legs"] if leg.get("flow")]
    bad = [leg["flow"] for leg in row["legs"]
           if leg.get("flow") and leg["status"] != vocab.WORKING]
    return bad or flows


def recommendation_rows(G: nx.MultiDiGraph, gap_rows: list[dict]) -> list[dict]:
    """One row per recommendation, worst gap first, with what delivering it would close."""
    by_rec: dict[str, list[dict]] = {}
    for g in gap_rows:  # one pass: recommendations x gaps grows fast in a region
        for rid in g["recommendations"]:
            by_rec.setdefault(rid, []).append(g)
    flow_recs: dict[str, set[str]] = {}
    rows = []
    for order, node in enumerate(nodes_of(G, "recommendation")):
        rid, d = number(node), G.nodes[node]
        addressed = by_rec.get(rid, [])
        alone = [g for g in addressed if closed_by(g, {rid})]
        worst = min(addressed, key=lambda g: g["rank"], default=None)
        fixes = [f for g in addressed for f in failing_flows(g)]
        rows.append({
            "id": rid, "text": d["text"], "owners": [owner_ref(G, o) for o in d["owners"]],
            "findings": [{"id": number(f), "extract": extract(G.nodes[f]["text"])}
                         for f in in_by(G, node, "cites")],
            "gaps": [gap_ref(g) for g in addressed],
            "worst_rank": worst["rank"] if worst else None,
            "worst_severity": worst["severity"] if worst else None,
            "closes_gaps": sum(not is_loop(g) for g in alone),
            "closes_loops": sum(map(is_loop, alone)),
            "shares": len(addressed) - len(alone), "_order": order,
            "_fixes": [f for f in dict.fromkeys(fixes)
                       if rid in flow_recs.setdefault(f, _flow_recommendations(G, f))],
        })
    rows.sort(key=lambda r: (r["worst_rank"] is None, r["worst_rank"] or 0, r["_order"]))
    return rows


def _flow_recommendations(G: nx.MultiDiGraph, flow: str) -> set[str]:
    """The recommendations that address one flow (its own list, else its paragraphs')."""
    decided = G.nodes[flow].get("recommendations")
    if decided is not None:
        return set(decided)
    return {r for f in in_by(G, flow, "evidences") for r in G.nodes[f]["recommendations"]}


def plan_rows(G: nx.MultiDiGraph, gap_rows: list[dict], by_owner: bool = False,
              org: str | None = None) -> list[dict]:
    """The plan's rows: one per recommendation and action (per owner with ``by_owner``).

    A recommendation with no action yet gets one blank row for its owners to
    fill in; one with actions gets a row per action, so a plan made again
    after an import shows what was written.
    """
    actions = actions_of(G)
    out = []
    for priority, rec in enumerate(recommendation_rows(G, gap_rows), 1):
        base = {k: v for k, v in rec.items() if not k.startswith("_")}
        base["priority"] = priority
        mine = actions.get(rec["id"], [])
        owners = [o["id"] for o in rec["owners"]]
        if org and org not in owners and not any(a["owner"]["id"] == org for a in mine):
            continue
        groups = [org] if org else owners if by_owner else [None]
        for group in groups:
            acts = [a for a in mine if group is None or a["owner"]["id"] == group]
            if not acts:
                only = group or (owners[0] if len(owners) == 1 else None)
                acts = [blank_action(party_ref(G, only) if only else None, rec["_fixes"])]
            out += [{**base, **action} for action in acts]
    if by_owner and not org:  # actions of a body the report did not name join its group
        out += _actions_of_others(out, actions)
    if by_owner:
        out.sort(key=lambda r: ((r["owner"] or {}).get("name", ""), r["priority"]))
    return out


def _actions_of_others(rows: list[dict], actions: dict[str, list[dict]]) -> list[dict]:
    placed = {(r["id"], (r["owner"] or {}).get("id")) for r in rows}
    base = {r["id"]: r for r in rows}
    return [{**base[rid], **a} for rid, acts in actions.items() for a in acts
            if (rid, a["owner"]["id"]) not in placed and rid in base]


def owner_part(G: nx.MultiDiGraph, party: str) -> str:
    """The organisation whose part of the plan ``--org`` asks for (a service's provider...)."""
    return organisation_of(G, party)


# --- what no recommendation covers ---------------------------------------------------------

def not_covered(G: nx.MultiDiGraph, gap_rows: list[dict], org: str | None = None) -> list[dict]:
    """What CQC's recommendations do not cover: problems with none, failures on the
    council's or police's side grouped by organisation, public-health referrals, and
    recommendations no finding cites."""
    mine = units(G, org) if org else None
    return (_unaddressed_gaps(gap_rows, mine) + _outside_review(gap_rows, mine)
            + _public_health_referrals(G, gap_rows, org, mine) + _uncited_recommendations(G, org))


def owner_ref(G: nx.MultiDiGraph, party: str) -> dict:
    """An owner as the plan names it: id, name and, since the review, its successor.

    Why: a plan written today must not send actions to a body that no longer exists.
    """
    ref = party_ref(G, party)
    now = G.nodes[party].get("now")
    return {**ref, "now": now["name"]} if now else ref


def _acting(a: dict) -> str:
    """One party who must act, as the plan prints it: its successor since the review too."""
    return a["name"] + (f" (now: {a['now']})" if a.get("now") else "")


def _unaddressed_gaps(gap_rows: list[dict], mine: set[str] | None) -> list[dict]:
    rows = []
    for g in gap_rows:
        if g["recommendations"] or (mine and not _touches(g, mine)):
            continue
        who = [f"{_acting(a)} ({vocab.TO_ACT_BASES[a['basis']]})" for a in g.get("to_act", [])]
        rows.append({"kind": "gap_without_recommendation", "id": g["id"], "rank": g["rank"],
                     "severity": g["severity"], "summary": problem(g),
                     "who": who or ["nobody: the report names no one who must act"],
                     "why": vocab.PUBLIC_HEALTH_ACTION if g["public_health"]
                     else "no finding behind it cites a recommendation"})
    return rows


def _outside_review(gap_rows: list[dict], mine: set[str] | None) -> list[dict]:
    """Failures on the side of a body CQC makes no recommendation to, by organisation.

    Why grouped: the partnership raises them with each body in turn.
    """
    rows = []
    for g in gap_rows:
        for a in g.get("to_act", []):
            if a["basis"] != "outside_review" or (mine and a["id"] not in mine
                                                  and not _touches(g, mine)):
                continue
            rows.append({"kind": "outside_review", "id": g["id"], "rank": g["rank"],
                         "severity": g["severity"], "summary": problem(g),
                         "who": [_acting(a)], "organisation": {"id": a["id"], "name": a["name"]},
                         "why": vocab.TO_ACT_BASES["outside_review"]})
    return sorted(rows, key=lambda r: (r["organisation"]["name"], r["rank"]))


def _public_health_referrals(G: nx.MultiDiGraph, gap_rows: list[dict], org: str | None,
                             mine: set[str] | None) -> list[dict]:
    """Findings referred to the council's public health commissioners, with their worst gap."""
    ph = G.graph["public_health_owner"]
    by_finding: dict[str, list[dict]] = {}
    for g in gap_rows:
        for fid in g["findings"]:
            by_finding.setdefault(fid, []).append(g)
    rows = []
    for node in nodes_of(G, "finding"):
        if not G.nodes[node]["public_health"]:
            continue
        gaps = by_finding.get(number(node), [])
        if mine and org != ph and not any(_touches(g, mine) for g in gaps):
            continue
        worst = min(gaps, key=lambda g: g["rank"], default=None)
        rows.append({"kind": "public_health_referral", "id": number(node),
                     "rank": worst["rank"] if worst else None,
                     "severity": worst["severity"] if worst else None,
                     "summary": extract(G.nodes[node]["text"]), "who": [G.nodes[ph]["name"]],
                     "why": vocab.PUBLIC_HEALTH_ACTION})
    return rows


def _uncited_recommendations(G: nx.MultiDiGraph, org: str | None) -> list[dict]:
    rows = []
    for node in nodes_of(G, "recommendation"):
        owners = G.nodes[node]["owners"]
        if in_by(G, node, "cites") or (org and org not in owners):
            continue
        rows.append({"kind": "recommendation_without_finding", "id": number(node),
                     "rank": None, "severity": None, "summary": G.nodes[node]["text"],
                     "who": [G.nodes[o]["name"] for o in owners],
                     "why": "no finding cites it: the plan cannot tie it to a gap"})
    return rows


def _touches(row: dict, mine: set[str]) -> bool:
    return any(leg[end]["id"] in mine for leg in row["legs"] for end in ("from", "to"))


# --- the whole plan ------------------------------------------------------------------------

def build_plan(G: nx.MultiDiGraph, gap_rows: list[dict], received: datetime.date | None = None,
               org: str | None = None, by_owner: bool = False) -> dict:
    """The draft action plan: cover, rows for the owners, and what nothing covers.

    ``gap_rows`` are ``gaps()`` rows, worst first; ``org`` an organisation id.
    """
    gap_rows = ranked(gap_rows)
    return {"cover": cover(G, gap_rows, received_date(G, received), org),
            "layout": "by_owner" if by_owner else "by_recommendation",
            "recommendations": plan_rows(G, gap_rows, by_owner, org),
            "not_covered": not_covered(G, gap_rows, org)}





