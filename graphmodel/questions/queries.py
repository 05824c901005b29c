"""Named questions asked of the graph: ``G -> rows`` (plain dicts, JSON-ready).

Each query is one function named after its CLI command. Row keys are the JSON
and CSV columns: keep them stable.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import networkx as nx

from .. import vocab
from . import ranking
from .graph import in_by, nodes_of, out_by, rec_node

PUBLIC_HEALTH_ACTION = vocab.PUBLIC_HEALTH_ACTION
COVERAGE_KINDS = ("finding_without_recommendation", "recommendation_without_finding")
# Phrases with which the report states a problem. Bare "not" is too loose:
# "they do not experience avoidable delays" is praise.
PROBLEM_WORDS = re.compile(
    r"\b(not routinely|not always|not (?:consistently|effectively|well|embedded|robust)|"
    r"no evidence|lack(?:s|ed|ing)?|inconsistent(?:ly)?|variable|weak|delayed|"
    r"missed opportunity|under-developed|poor|insufficient|too slow|fragmented|"
    r"difficulty|unaware)\b", re.I)


def party_ref(G: nx.MultiDiGraph, node: str) -> dict:
    """A party as JSON: its id and name."""
    return {"id": node, "name": G.nodes[node].get("name", node)}


def units(G: nx.MultiDiGraph, party: str) -> set[str]:
    """A party and everything inside it: services it provides, groups, sites, forums."""
    found, todo = {party}, [party]
    down, up = vocab.contains_down(), vocab.contains_up()
    while todo:
        node = todo.pop()
        inner = [v for key in down for v in out_by(G, node, key)]
        inner += [u for key in up for u in in_by(G, node, key)]
        for child in inner:
            if child not in found and G.nodes[child]["kind"] != "flow":
                found.add(child)
                todo.append(child)
    return found


def organisation_of(G: nx.MultiDiGraph, party: str) -> str:
    """The organisation a party belongs to (itself for an organisation)."""
    seen = set()
    while G.nodes[party]["kind"] != "organisation" and party not in seen:
        seen.add(party)
        up = [u for key in vocab.contains_down() for u in in_by(G, party, key)]
        up += [v for key in vocab.contains_up() for v in out_by(G, party, key)]
        if not up:
            break
        party = up[0]
    return party


# --- gaps --------------------------------------------------------------------

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
            "inferred_ends": list(d.get("inferred_ends") or [])}


def _missing_return(G: nx.MultiDiGraph, outward: str) -> dict:
    d = G.nodes[outward]
    return {"flow": None, "role": "return", "missing": True,
            "from": party_ref(G, d["receiver"]), "to": party_ref(G, d["sender"]),
            "passes": "return", "status": vocab.MISSING_RETURN,
            "summary": "No return flow is recorded.",
            "evidence": [], "inferred": None, "inferred_ends": []}


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


# --- recommendations ------------------------------------------------------------

def owners(G: nx.MultiDiGraph, recs: list[str] | None = None,
           org: str | None = None) -> list[dict]:
    """Each recommendation: its text, owners and the findings that cite it."""
    rows = []
    for node in nodes_of(G, "recommendation"):
        rid = node.split(":", 1)[1]
        owner_ids = G.nodes[node]["owners"]
        if (recs and rid not in recs) or (org and org not in owner_ids):
            continue
        rows.append({
            "id": rid, "text": G.nodes[node]["text"],
            "owners": [party_ref(G, o) for o in owner_ids],
            "findings": [f.split(":", 1)[1] for f in in_by(G, node, "cites")],
        })
    return rows


def coverage(G: nx.MultiDiGraph) -> list[dict]:
    """Problem findings with no recommendation or referral; uncited recommendations.

    ``reason`` says why in words (each failing flow's status and summary);
    ``flows`` holds those flows' ids.
    """
    rows = []
    for node in nodes_of(G, "finding"):
        d = G.nodes[node]
        if d["recommendations"] or d["public_health"]:
            continue
        failing = [f for f in out_by(G, node, "evidences")
                   if G.nodes[f]["kind"] == "flow" and G.nodes[f]["status"] in vocab.failing()]
        words = PROBLEM_WORDS.search(d["text"])
        if failing or words:
            said = " ".join(f"({G.nodes[f]['status']}) {G.nodes[f]['name']}" for f in failing)
            reason = (f"evidences flows that are not working: {said}" if failing or not words
                      else f"problem language: '{words.group(0)}'")
            rows.append({"kind": "finding_without_recommendation",
                         "id": node.split(":", 1)[1], "section": d["section"],
                         "text": d["text"], "reason": reason, "flows": failing})
    for node in nodes_of(G, "recommendation"):
        if not in_by(G, node, "cites"):
            rows.append({"kind": "recommendation_without_finding",
                         "id": node.split(":", 1)[1], "section": "Recommendations",
                         "text": G.nodes[node]["text"],
                         "reason": "no finding cites it", "flows": []})
    return rows


# --- organisations, paths, commissioning, hotspots ------------------------------

def flow_party_graph(G: nx.MultiDiGraph, statuses=None) -> nx.MultiDiGraph:
    """Parties joined by flows (one edge per flow), optionally of some statuses."""
    P: nx.MultiDiGraph = nx.MultiDiGraph()
    for flow in nodes_of(G, "flow"):
        d = G.nodes[flow]
        if statuses is None or d["status"] in statuses:
            P.add_edge(d["sender"], d["receiver"], key=flow, status=d["status"])
    return P


def org(G: nx.MultiDiGraph, org_id: str) -> dict[str, list[dict]]:
    """One organisation's profile, as named sections of rows."""
    mine = units(G, org_id)
    deals = commissioning(G)
    flows = [f for f in nodes_of(G, "flow")
             if G.nodes[f]["sender"] in mine or G.nodes[f]["receiver"] in mine]
    return {
        "organisation": [{**party_ref(G, org_id), "kind": G.nodes[org_id]["type"],
                          "aliases": ", ".join(G.nodes[org_id]["aliases"])}],
        "commissions": [r for r in deals if _id(r["commissioner"]) == org_id],
        "provides": [r for r in deals
                     if org_id in (_id(r["provider"]), _id(r["subcontracted_from"]))],
        "units": [{**party_ref(G, u), "kind": G.nodes[u]["kind"]}
                  for u in sorted(mine - {org_id})],
        "flows": [{"flow": f, "direction": "out" if G.nodes[f]["sender"] in mine else "in",
                   "from": party_ref(G, G.nodes[f]["sender"]),
                   "to": party_ref(G, G.nodes[f]["receiver"]), "passes": G.nodes[f]["passes"],
                   "status": G.nodes[f]["status"], "summary": G.nodes[f]["name"]}
                  for f in flows],
        "gaps": [{k: r[k] for k in ("rank", "kind", "severity", "from", "to", "status",
                                    "summary", "id")}
                 for r in gaps(G, org=org_id)],
        "recommendations": [{k: r[k] for k in ("id", "text")} for r in owners(G, org=org_id)],
    }


def _id(ref: dict | None) -> str | None:
    return ref["id"] if ref else None


def path(G: nx.MultiDiGraph, source: str, target: str, limit: int = 5) -> list[dict]:
    """Routes information can take between two parties, every flow on each hop, and the answers.

    A hop lists every flow between its two parties (the MASH sends GPs
    requests and, in principle, outcomes), and works when one of them works.
    Routes are chosen between parties: the ``limit`` shortest, ties in order of
    party ids (as path.cypher). ``stands_for`` says where a route passes through
    a party inside FROM or TO (conferences hosted by children's social care);
    ``answers`` says, for the last hop, whether the answer comes back.
    """
    P = flow_party_graph(G)
    ends = {source: units(G, source), target: units(G, target)}
    S: nx.DiGraph = nx.DiGraph(P.edges())
    S.add_edges_from(("@source", s) for s in ends[source] & set(P))
    S.add_edges_from((e, "@target") for e in ends[target] & set(P))
    if "@source" not in S or "@target" not in S or not nx.has_path(S, "@source", "@target"):
        return []
    routes: list[list[str]] = []  # shortest first; equal lengths by party ids, as path.cypher
    for hops in nx.shortest_simple_paths(S, "@source", "@target"):
        if len(routes) >= limit and len(hops) - 2 > len(routes[-1]):
            break  # every route as short as the last one kept is in: ties are complete
        routes.append(hops[1:-1])
    return [_route_row(G, P, hops, ends)
            for hops in sorted(routes, key=lambda r: (len(r), r))[:limit]]


def _route_row(G: nx.MultiDiGraph, P: nx.MultiDiGraph, parties: list[str], ends) -> dict:
    hops = [_hop(G, a, b, list(P[a][b])) for a, b in zip(parties, parties[1:], strict=False)]
    flows = [f for hop in hops for f in hop["flows"]]
    return {"route": [party_ref(G, p) for p in parties],
            "flows": [f["flow"] for f in flows], "statuses": [f["status"] for f in flows],
            "works": all(hop["works"] for hop in hops),
            "breaks_at": [f["flow"] for hop in hops if not hop["works"] for f in hop["flows"]],
            "hops": hops,
            "stands_for": [_stands_for(G, p, end) for p in parties for end in ends
                           if p != end and p in ends[end]],
            "answers": _answers(G, hops[-1]["flows"]) if hops else []}


def _hop(G: nx.MultiDiGraph, a: str, b: str, flows: list[str]) -> dict:
    """One hop of a route: every flow from ``a`` to ``b``, in file order."""
    return {"from": party_ref(G, a), "to": party_ref(G, b),
            "flows": [{"flow": f, "passes": G.nodes[f]["passes"], "status": G.nodes[f]["status"],
                       "summary": G.nodes[f]["name"]} for f in flows],
            "works": any(G.nodes[f]["status"] == vocab.WORKING for f in flows)}


def _stands_for(G: nx.MultiDiGraph, party: str, end: str) -> dict:
    """How a party inside FROM or TO belongs to it, in words ("X hosts Y; ...")."""
    steps = containment_chain(G, end, party)
    words = [f"{G.nodes[u]['name']} {vocab.EDGE_TYPES[key].words} {G.nodes[v]['name']}"
             for u, key, v in steps]
    return {"party": party_ref(G, party), "for": party_ref(G, end), "how": "; ".join(words)}


def containment_chain(G: nx.MultiDiGraph, top: str, inner: str) -> list[tuple[str, str, str]]:
    """The edges (u, key, v) that put ``inner`` inside ``top``, from ``top`` down.

    Breadth first over the same edges as ``units``, in adjacency order, so the
    chain is the shortest one.
    """
    came: dict[str, tuple[str, str, str]] = {}
    todo, seen = [top], {top}
    while todo and inner not in seen:
        node = todo.pop(0)
        steps = [(node, key, v) for key in vocab.contains_down() for v in out_by(G, node, key)]
        steps += [(u, key, node) for key in vocab.contains_up() for u in in_by(G, node, key)]
        for u, key, v in steps:
            child = v if u == node else u
            if child not in seen and G.nodes[child]["kind"] != "flow":
                seen.add(child)
                came[child] = (u, key, v)
                todo.append(child)
    chain: list[tuple[str, str, str]] = []
    while inner in came:
        chain.insert(0, came[inner])
        u, _, v = came[inner]
        inner = u if v == inner else v
    return chain


def _answers(G: nx.MultiDiGraph, flows: list[dict]) -> list[dict]:
    """For each flow of a route's last hop that expects an answer: does it come back?"""
    rows = []
    for f in flows:
        answers = in_by(G, f["flow"], "returns")  # edges were added in file order
        for r in answers:
            d = G.nodes[r]
            rows.append({"flow": f["flow"], "answer": r, "passes": d["passes"],
                         "status": d["status"], "to": party_ref(G, d["receiver"])})
        if not answers and G.nodes[f["flow"]]["expects_return"]:
            rows.append({"flow": f["flow"], "answer": None, "passes": None, "status": None,
                         "to": None})
    return rows


def commissioning(G: nx.MultiDiGraph) -> list[dict]:
    """Who commissions which service from which provider, with sub-contracts."""
    rows = []
    for service in nodes_of(G, "service"):
        providers = in_by(G, service, "provides")
        provider = providers[0] if providers else None
        prime = next((u for u, _, k, d in G.in_edges(provider, keys=True, data=True)
                      if k == "subcontracts" and service in d["services"]),
                     None) if provider else None
        buyers: list[str | None] = list(in_by(G, service, "commissions")) or [None]
        for commissioner in buyers:
            rows.append({
                "commissioner": party_ref(G, commissioner) if commissioner else None,
                "service": party_ref(G, service),
                "provider": party_ref(G, provider) if provider else None,
                "subcontracted_from": party_ref(G, prime) if prime else None,
                "sites": [party_ref(G, s) for s in out_by(G, service, "located_at")],
                "evidence": G.nodes[service]["evidence"],
            })
    for coordinator in nodes_of(G, "organisation"):
        for provider in out_by(G, coordinator, "coordinates"):
            rows.append({"commissioner": party_ref(G, coordinator),
                         "service": {"id": None, "name": "(co-ordinating commissioner)"},
                         "provider": party_ref(G, provider), "subcontracted_from": None,
                         "sites": [], "evidence": G.nodes[coordinator]["evidence"]})
    return rows


def hotspots(G: nx.MultiDiGraph) -> list[dict]:
    """Parties ranked by the gaps they are party to, then betweenness in the flow graph."""
    counts: dict[str, int] = {}
    for row in gaps(G):
        for party in {leg[end]["id"] for leg in row["legs"] for end in ("from", "to")}:
            counts[party] = counts.get(party, 0) + 1
    from .centrality import betweenness  # igraph: loaded by this question only
    P: nx.DiGraph = nx.DiGraph()  # nx.DiGraph(flow_party_graph(G)), without building the multigraph
    for flow in nodes_of(G, "flow"):
        P.add_edge(G.nodes[flow]["sender"], G.nodes[flow]["receiver"])
    between = betweenness(P)
    rows = [{**party_ref(G, p), "kind": G.nodes[p]["kind"],
             "organisation": party_ref(G, organisation_of(G, p)),
             "gaps": counts.get(p, 0), "flows": P.degree(p),
             "betweenness": round(between.get(p, 0.0), 4)}
            for p in P.nodes]
    return sorted(rows, key=lambda r: (-r["gaps"], -r["betweenness"], r["id"]))


QUERIES: dict[str, Callable[..., Any]] = {
    "gaps": gaps, "owners": owners, "coverage": coverage, "org": org, "path": path,
    "commissioning": commissioning, "hotspots": hotspots}
