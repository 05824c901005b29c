"""``gaps``: every information-sharing problem as one ranked row, with who must fix it.

Row keys are the JSON and CSV columns: keep them stable."""

from __future__ import annotations

import networkx as nx

from .. import vocab
from . import ranking
from .graph import in_by, nodes_of, rec_node
from .parties import party_ref, units

PUBLIC_HEALTH_ACTION = vocab.PUBLIC_HEALTH_ACTION


def flow_actions(G: nx.MultiDiGraph, flows: list[str]) -> dict:
    """The recommendations addressing flows (via their findings) and owners."""
    findings = []
    for flow in flows:
        findings += [f for f in in_by(G, flow, "evidences") if f not in findings]
    recs = []  # node attributes, not edges: a finding's out-degree grows with the model
    for flow in flows:
        decided = G.nodes[flow].get("recommendations")
        if decided is not None:  # the flow narrowed what its paragraphs cite
            recs += [rec_node(r) for r in decided if rec_node(r) not in recs]
            continue
        for f in in_by(G, flow, "evidences"):
            recs += [rec_node(r) for r in G.nodes[f]["recommendations"]
                     if rec_node(r) not in recs]
    owners = []
    for r in recs:
        owners += [o for o in G.nodes[r]["owners"] if o not in owners]
    public_health = any(G.nodes[f]["public_health"] for f in findings)
    actions = []
    if recs:
        actions.append("recommendations " + ", ".join(r.split(":", 1)[1] for r in recs))
    if public_health:
        actions.append(PUBLIC_HEALTH_ACTION)
    if public_health:
        ph = G.graph["public_health_owner"]
        owners += [ph] if ph not in owners else []
    return {
        "recommendations": [r.split(":", 1)[1] for r in recs],
        "owners": [party_ref(G, o) for o in owners],
        "public_health": public_health,
        "action": "; ".join(actions) or "no recommendation",
        "findings": [f.split(":", 1)[1] for f in findings],
    }


def _leg(G: nx.MultiDiGraph, flow: str, role: str) -> dict:
    """One flow of a problem: ``role`` is outward, return or one-way."""
    d = G.nodes[flow]
    return {"flow": flow, "role": role, "from": party_ref(G, d["sender"]),
            "to": party_ref(G, d["receiver"]), "passes": d["passes"], "status": d["status"],
            "summary": d["name"], "evidence": d["evidence"], "inferred": d.get("inferred"),
            "inferred_ends": list(d.get("inferred_ends") or []),
            "signature": dict(d["signature"])}


def _missing_return(G: nx.MultiDiGraph, outward: str) -> dict:
    d = G.nodes[outward]
    return {"flow": None, "role": "return", "missing": True,
            "from": party_ref(G, d["receiver"]), "to": party_ref(G, d["sender"]),
            "passes": "return", "status": vocab.MISSING_RETURN,
            "summary": "No return flow is recorded.",
            "evidence": [], "inferred": None, "inferred_ends": [],
            "signature": {"from": d["signature"]["to"], "to": d["signature"]["from"],
                          "passes": "return"}}


def problems(G: nx.MultiDiGraph) -> list[dict]:
    """Every problem before grouping, in file order: ``{kind, status, legs}``.

    A feedback loop is broken when its outward flow goes out (the codebook: a
    loop needs something to answer) and the return fails, or when a flow
    expects a return that no flow records. Any other failing flow is a
    one-way gap; a flow shown as a leg of a broken loop is not listed again.
    """
    rows, answered = [], set()
    happening = vocab.happening()
    for flow in nodes_of(G, "flow"):
        d = G.nodes[flow]
        outward = d["returns"]
        if outward:
            answered.add(outward)
            if d["status"] != vocab.WORKING and G.nodes[outward]["status"] in happening:
                rows.append({"kind": "broken_loop", "status": d["status"],
                             "legs": [_leg(G, outward, "outward"), _leg(G, flow, "return")]})
    for flow in nodes_of(G, "flow"):
        d = G.nodes[flow]
        if d["expects_return"] and flow not in answered and d["status"] in happening:
            rows.append({"kind": "broken_loop", "status": vocab.MISSING_RETURN,
                         "legs": [_leg(G, flow, "outward"), _missing_return(G, flow)]})
    in_loops = {leg["flow"] for row in rows for leg in row["legs"]}
    failing = vocab.failing()
    for flow in nodes_of(G, "flow"):
        status = G.nodes[flow]["status"]
        if status in failing and flow not in in_loops:
            rows.append({"kind": "gap", "status": status, "legs": [_leg(G, flow, "one-way")]})
    return rows


def _distinct(refs) -> list[dict]:
    return list({r["id"]: r for r in refs}.values())


def _gap_row(G: nx.MultiDiGraph, members: list[dict]) -> dict:
    """One gap from the problems that are one (``ranking.group``): every leg, all evidence."""
    lead = members[0]
    legs = [leg for m in members for leg in m["legs"]]
    sending = [leg for leg in legs if leg["role"] != "return"]
    summary = " ".join(leg["summary"] for leg in lead["legs"] if not leg.get("missing"))
    if len(members) > 1:
        others = _distinct(leg[end] for m in members[1:] for leg in m["legs"]
                           for end in ("from", "to"))
        lead_ends = {leg[end]["id"] for leg in lead["legs"] for end in ("from", "to")}
        names = [o["name"] for o in others if o["id"] not in lead_ends]
        noun = ("loop" if lead["kind"] == "broken_loop" else "flow") + \
            ("s" if len(members) > 2 else "")
        summary += f" The same holds for {len(members) - 1} more {noun}" + \
            (f": {', '.join(names)}." if names else ".")
    row = {"kind": lead["kind"], "severity": vocab.severity(lead["kind"], lead["status"]),
           "id": "+".join(leg["flow"] or "no-return" for leg in legs),
           "from": lead["legs"][0]["from"], "to": lead["legs"][0]["to"],
           "senders": _distinct(leg["from"] for leg in sending),
           "receivers": _distinct(leg["to"] for leg in sending),
           "parties": _distinct(leg[end] for leg in legs for end in ("from", "to")),
           "passes": " / ".join(leg["passes"] for leg in lead["legs"]),
           "status": lead["status"], "summary": summary, "legs": legs,
           "evidence": list({(e["paragraph"], e["quote"]): e
                             for leg in legs for e in leg["evidence"]}.values())}
    row.update(flow_actions(G, [leg["flow"] for leg in legs if leg["flow"]]))
    return row


def gaps(G: nx.MultiDiGraph, org: str | None = None, statuses: list[str] | None = None,
         loops_only: bool = False) -> list[dict]:
    """Every information-sharing problem as one row per gap, in priority order.

    Flows that are one problem are grouped, and rows ranked, by ``ranking``;
    ``rank`` is the gap's place among all the area's gaps, whatever the
    filters. ``org`` keeps the gaps a party (or anything inside it) is party
    to or owns fixing.
    """
    seq = {flow: n for n, flow in enumerate(nodes_of(G, "flow"))}
    rows = ranking.rank(G, [_gap_row(G, g) for g in ranking.group(G, problems(G))], seq)
    if loops_only:
        rows = [r for r in rows if r["kind"] == "broken_loop"]
    if statuses:
        rows = [r for r in rows if any(leg["status"] in statuses for leg in r["legs"])]
    if org:
        mine = units(G, org)
        rows = [r for r in rows
                if any(leg[end]["id"] in mine for leg in r["legs"] for end in ("from", "to"))
                or any(o["id"] == org for o in r["owners"])]
    return rows


def worst_severity(rows: list[dict]) -> str | None:
    """The most severe level among gap rows, or None."""
    levels = [r["severity"] for r in rows]
    return next((s for s in vocab.SEVERITIES if s in levels), None)
