"""Progress against the action plan: actions done, under way and overdue, and the gaps
and broken loops they close.

Pure over the graph and its gap rows, so the progress command, the board pack
and the progress map all reuse it.
"""

from __future__ import annotations

import datetime

import networkx as nx

from .. import vocab
from ..questions.graph import nodes_of, number, rec_node
from ..questions.parties import party_ref
from .build import failing_flows, ranked

GAP_STATES = ("closed", "open", "no_action")


def action_rows(G: nx.MultiDiGraph, as_of: datetime.date) -> list[dict]:
    """Every action with whether it is done and whether it is overdue on ``as_of``."""
    rows = []
    for node in nodes_of(G, "action"):
        d = G.nodes[node]
        done = vocab.ACTION_STATUSES[d["status"]].done
        due = datetime.date.fromisoformat(d["due"]) if d["due"] else None
        rows.append({"id": node, "recommendation": d["recommendation"],
                     "owner": party_ref(G, d["owner"]), "action": d["name"], "lead": d["lead"],
                     "due": d["due"], "status": d["status"], "done": done,
                     "overdue": bool(due and due < as_of and not done),
                     "fixes": list(d["fixes"])})
    return rows


def _tally(actions: list[dict]) -> dict:
    return {"actions": len(actions),
            "not_started": sum(a["status"] == "not_started" for a in actions),
            "in_progress": sum(a["status"] == "in_progress" for a in actions),
            "done": sum(a["done"] for a in actions),
            "verified": sum(a["status"] == "verified" for a in actions),
            "overdue": sum(a["overdue"] for a in actions)}


def gap_progress(row: dict, actions: list[dict]) -> dict:
    """closed: every failing flow fixed by a done action; open: some action; else no_action.

    A flow counts as fixed when the actions meant to fix it (their ``fixes``)
    are all done or verified: one done action does not close a flow that
    another recommendation's action still has to fix.
    """
    flows = failing_flows(row)
    fixed = [f for f in flows if _fixed(f, actions)]
    acting = [a["id"] for a in actions
              if set(a["fixes"]) & set(flows) or a["recommendation"] in row["recommendations"]]
    state = "closed" if flows and len(fixed) == len(flows) else \
        "open" if acting else "no_action"
    return {"rank": row["rank"], "kind": row["kind"], "severity": row["severity"],
            "id": row["id"], "summary": row["summary"], "state": state,
            "flows": flows, "fixed": fixed, "actions": acting,
            "recommendations": row["recommendations"]}


def _fixed(flow: str, actions: list[dict]) -> bool:
    meant = [a for a in actions if flow in a["fixes"]]
    return bool(meant) and all(a["done"] for a in meant)


def progress_state(G: nx.MultiDiGraph, as_of: datetime.date,
                   gap_rows: list[dict] | None = None) -> dict:
    """How far the plan has got on ``as_of``: per owner, per recommendation, per gap.

    Pure over the graph (gap rows default to ``queries.gaps(G)``), so a map
    view reuses it, and Neo4j answers it from the graph the load stored.
    """
    if gap_rows is None:
        from ..questions.gaps import gaps as all_gaps
        gap_rows = all_gaps(G)
    actions = action_rows(G, as_of)
    owners = list(dict.fromkeys(a["owner"]["id"] for a in actions))
    recs = [number(r) for r in nodes_of(G, "recommendation")]
    gaps = [gap_progress(row, actions) for row in ranked(gap_rows)]
    return {
        "as_of": as_of.isoformat(),
        "owners": [{"owner": party_ref(G, o),
                    **_tally([a for a in actions if a["owner"]["id"] == o])} for o in owners],
        "recommendations": [{"id": r, "owners": [party_ref(G, o)
                                                 for o in G.nodes[rec_node(r)]["owners"]],
                             **_tally([a for a in actions if a["recommendation"] == r])}
                            for r in recs],
        "gaps": gaps,
        "overdue": [a for a in actions if a["overdue"]],
        "summary": {**_tally(actions),
                    **{f"gaps_{s}": sum(g["state"] == s and g["kind"] == "gap" for g in gaps)
                       for s in GAP_STATES},
                    **{f"loops_{s}": sum(g["state"] == s and g["kind"] == "broken_loop"
                                         for g in gaps) for s in GAP_STATES}},
    }
