"""``gaps``: every information-sharing problem as one ranked row, with who must fix it.

Row keys are the JSON and CSV columns: keep them stable."""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from .. import vocab
from . import ranking
from .graph import in_by, nodes_of, number, rec_node
from .parties import party_ref
from .parties import units as units_of

PUBLIC_HEALTH_ACTION = vocab.PUBLIC_HEALTH_ACTION


def flow_actions(G: nx.MultiDiGraph, flows: list[str]) -> dict:
    """The recommendations addressing flows (via their findings) and their owners.

    ``owners`` are CQC's: the owners of those recommendations. A finding the report
    brings to the attention of the council's public health team sets
    ``public_health``; that team does not own it (``to_act`` says so).
    """
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
    recs.sort(key=lambda r: tuple(int(n) for n in number(r).split(".")))
    owners = []
    for r in recs:
        owners += [o for o in G.nodes[r]["owners"] if o not in owners]
    public_health = any(G.nodes[f]["public_health"] for f in findings)
    actions = []
    if recs:
        actions.append("recommendations " + ", ".join(number(r) for r in recs))
    if public_health:
        actions.append(PUBLIC_HEALTH_ACTION)
    return {
        "recommendations": [number(r) for r in recs],
        "owners": [party_ref(G, o) for o in owners],
        "public_health": public_health,
        "action": "; ".join(actions) or "no recommendation",
        "findings": [number(f) for f in findings],
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


def failures(G: nx.MultiDiGraph) -> list[dict]:
    """Every failing loop and flow, in file order: ``{kind, status, legs}``.

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
    for row in rows:
        row["severity"] = vocab.severity(row["kind"], row["status"])
    return rows


def _distinct(refs: Iterable[dict]) -> list[dict]:
    return list({r["id"]: r for r in refs}.values())


def problem_sets(G: nx.MultiDiGraph) -> list[tuple[str | None, list[dict]]]:
    """The failures of each problem: declared ones first (file order), then proposals.

    A proposal (``None``) groups what no declared problem holds: every failure
    when the area declares none, or drafted flows shown with ``--include-drafts``.
    """
    units = failures(G)
    owner = {flow: problem for problem in nodes_of(G, "problem")
             for flow in G.nodes[problem]["flows"]}
    declared: dict[str, list[dict]] = {p: [] for p in nodes_of(G, "problem")}
    loose = []
    for unit in units:
        first = next(leg["flow"] for leg in unit["legs"] if leg["flow"])
        if first in owner:
            declared[owner[first]].append(unit)
        else:
            loose.append(unit)
    out: list[tuple[str | None, list[dict]]] = [(p, u) for p, u in declared.items() if u]
    return out + [(None, group) for group in ranking.group(loose)]


def problem_row(G: nx.MultiDiGraph, problem: str | None, units: list[dict]) -> dict:
    """One problem as the gap list shows it: statement, scope, children, legs, who acts."""
    from .to_act import to_act
    legs = [leg for u in units for leg in u["legs"]]
    sending = [leg for leg in legs if leg["role"] != "return"]
    worst = min(units, key=lambda u: vocab.severity_rank(u["severity"]))
    severity = worst["severity"]
    row = {"id": None, "statement": None, "declared": problem is not None, "scope": None,
           "children": [], "timescale": None, "note": None,
           "kind": "broken_loop" if any(u["kind"] == "broken_loop" for u in units) else "gap",
           "severity": severity, "status": worst["status"],
           "flows": list(dict.fromkeys(leg["flow"] for leg in legs if leg["flow"])),
           "units": [{"kind": u["kind"], "severity": u["severity"], "status": u["status"],
                      "flows": [leg["flow"] or "no-return" for leg in u["legs"]]} for u in units],
           "from": legs[0]["from"], "to": legs[0]["to"],
           "senders": _distinct(leg["from"] for leg in sending),
           "receivers": _distinct(leg["to"] for leg in sending),
           "parties": _distinct(leg[end] for leg in legs for end in ("from", "to")),
           "passes": " / ".join(dict.fromkeys(leg["passes"] for leg in legs)),
           "legs": legs,
           "evidence": list({(e["paragraph"], e["quote"]): e
                             for leg in legs for e in leg["evidence"]}.values())}
    row.update(_declared(G, problem) if problem else _proposed(units))
    row.update(flow_actions(G, row["flows"]))
    row["to_act"] = to_act(G, row, [rec_node(r) for r in row["recommendations"]])
    return row


def _declared(G: nx.MultiDiGraph, problem: str) -> dict:
    d = G.nodes[problem]
    timescale = d["timescale"]
    return {"id": number(problem), "statement": d["statement"],
            "summary": d["statement"], "scope": d["scope"]["is"],
            "children": list(dict.fromkeys(c["is"] for c in d["children"])),
            "timescale": {"name": timescale["is"], **_timescale_words(timescale["is"])}
            if timescale else None, "note": d["note"],
            "claims": {"scope": d["scope"], "children": d["children"], "timescale": timescale}}


def _timescale_words(name: str) -> dict:
    t = vocab.TIMESCALES[name]
    return {"label": t.label, "rule": t.rule, "source": t.source}


def _proposed(units: list[dict]) -> dict:
    """A problem no one declared: its id from its flows, its words from theirs."""
    lead = units[0]
    summary = " ".join(leg["summary"] for leg in lead["legs"] if not leg.get("missing"))
    if len(units) > 1:
        summary += f" The same holds for {len(units) - 1} more " + \
            ("loop" if lead["kind"] == "broken_loop" else "flow") + \
            ("s" if len(units) > 2 else "") + "."
    flows = [leg["flow"] or "no-return" for u in units for leg in u["legs"]]
    return {"id": "+".join(flows), "summary": summary, "claims": None}


def gaps(G: nx.MultiDiGraph, org: str | None = None, statuses: list[str] | None = None,
         loops_only: bool = False) -> list[dict]:
    """Every problem as one row, in priority order (``ranking``), with who must act.

    ``rank`` is the problem's place among all the area's problems, whatever the
    filters. ``org`` keeps the problems a party (or anything inside it) is party
    to, owns a recommendation on, or must act on.
    """
    rows = ranking.rank([problem_row(G, p, units) for p, units in problem_sets(G)])
    return filtered(rows, units_of(G, org) if org else None, statuses, loops_only)


def filtered(rows: list[dict], mine: set[str] | None = None, statuses: list[str] | None = None,
             loops_only: bool = False) -> list[dict]:
    """The ranked rows a filter keeps, ranks unchanged: ``mine`` is a party and everything
    inside it (the rows it is party to or must act on)."""
    if loops_only:
        rows = [r for r in rows if r["kind"] == "broken_loop"]
    if statuses:
        rows = [r for r in rows if any(leg["status"] in statuses for leg in r["legs"])]
    if mine is not None:
        rows = [r for r in rows
                if any(leg[end]["id"] in mine for leg in r["legs"] for end in ("from", "to"))
                or any(a["id"] in mine for a in r["to_act"])]
    return rows

