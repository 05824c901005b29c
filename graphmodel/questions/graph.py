"""Model -> one networkx MultiDiGraph; this module owns the attribute names.

Nodes: parties (one kind per ``vocab.PARTY_KINDS``), flows (kind flow),
findings ("finding:5.2.13"), recommendations ("rec:1.5") and actions
("action:1"). An information flow is a node between two edges,
sender -sends-> flow -to-> receiver, so findings can evidence it and a return
flow can answer it. Edge keys are ``vocab.EDGE_TYPES`` names; the party edges
come from the vocabulary's reference fields (a service's ``provider`` makes
provider -provides-> service).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import networkx as nx

from .. import vocab

if TYPE_CHECKING:  # the loader (pydantic) stays off a cached run's path
    from ..model.types import Action, Flow, Model, Party, Problem


def finding_node(fid: str) -> str:
    return f"finding:{fid}"


def rec_node(rid: str) -> str:
    return f"rec:{rid}"


def action_node(n: int) -> str:
    return f"action:{n}"


def problem_node(pid: str) -> str:
    return f"problem:{pid}"


def number(node: str) -> str:
    """"rec:1.5" -> "1.5"; "finding:5.2.13" -> "5.2.13"."""
    return node.split(":", 1)[1]


def build_graph(model: Model, include_drafts: bool = False) -> nx.MultiDiGraph:
    """Every party, flow, finding, recommendation and action, and how they connect.

    ``include_drafts``: drafted flows waiting for review join the flows, each
    marked ``draft: True``, so a modeller can see them on the map and in gaps;
    not those whose status needs review (no status to rank or draw them by).
    """
    G: nx.MultiDiGraph = nx.MultiDiGraph(area=model.area.id, area_name=model.area.name,
                        public_health_owner=model.area.public_health_owner,
                        submitters=list(model.submitters),
                        next_steps=_next_steps(model),
                        received=model.area.received.isoformat() if model.area.received else None,
                        review=_review(model),
                        problems_declared=model.declared_problems is not None)
    for party in model.parties.values():
        _add_party(G, party)
    for flow in model.flows:
        _add_flow(G, flow, model.sources[flow.id], model.inferred_ends.get(flow.id, []))
    for draft in model.drafts if include_drafts else []:
        if draft.status == vocab.NEEDS_REVIEW:
            continue
        _add_flow(G, draft, "drafts.yaml", model.inferred_ends.get(draft.id, []))
        G.nodes[draft.id]["draft"] = True
    for rec in model.recommendations.values():
        G.add_node(rec_node(rec.id), kind="recommendation", name=f"Recommendation {rec.id}",
                   text=rec.text, group=rec.group, line=rec.line,
                   owners=list(model.owners[rec.id]))
        for org in model.owners[rec.id]:
            G.add_edge(org, rec_node(rec.id), key="owns")
    for f in model.findings.values():
        G.add_node(finding_node(f.id), kind="finding", name=f"Finding {f.id}", text=f.text,
                   section=f.section, line=f.line, public_health=f.public_health,
                   recommendations=list(f.recommendations))
        for rid in f.recommendations:
            G.add_edge(finding_node(f.id), rec_node(rid), key="cites")
        if f.public_health:
            G.add_edge(finding_node(f.id), model.area.public_health_owner, key="referred_to")
    _add_evidence_edges(G, model)
    for problem in model.declared_problems or []:
        _add_problem(G, problem)
    for n, action in enumerate(model.actions, 1):
        _add_action(G, n, action)
    return G


def _next_steps(model: Model) -> dict | None:
    """Who must send the action plan (as written), how soon and to whom, for the plan's cover."""
    steps = model.next_steps
    if steps is None:
        return None
    return {"line": steps.line, "text": steps.text, "submitters": list(steps.submitters),
            "working_days": steps.working_days, "to": steps.to}


def _review(model: Model) -> dict | None:
    """When the review took place and was published, as area.yaml says (dates as text)."""
    review = model.area.review
    if review is None:
        return None
    day = lambda d: d.isoformat() if d else None  # noqa: E731
    return {"from": day(review.held_from), "to": day(review.held_to),
            "published": day(review.published), "not_before": day(review.not_before),
            "not_after": day(review.not_after), "note": review.note}


def _add_problem(G: nx.MultiDiGraph, problem: Problem) -> None:
    """A declared problem: its statement, scope, children and timescale, each cited."""
    node = problem_node(problem.id)
    claim = lambda c: {"is": c.is_, "paragraph": c.paragraph, "quote": c.quote}  # noqa: E731
    G.add_node(node, kind="problem", name=problem.statement, statement=problem.statement,
               scope=claim(problem.scope), children=[claim(c) for c in problem.children],
               timescale=claim(problem.timescale) if problem.timescale else None,
               note=problem.note, flows=list(problem.flows))
    for flow in problem.flows:
        if flow in G:
            G.add_edge(node, flow, key="includes")


def _add_party(G: nx.MultiDiGraph, party: Party) -> None:
    item, kind = party.item, vocab.PARTY_KINDS[party.kind]
    subtype = next((getattr(item, c.field) for c in kind.choices if c.field == "kind"), None)
    G.add_node(item.id, kind=party.kind, type=subtype or party.kind, name=item.name,
               aliases=list(item.aliases), source=_in_area(party.source),
               evidence=[e.model_dump() for e in item.evidence], role=item.role,
               now=item.now.model_dump(mode="json") if getattr(item, "now", None) else None)
    for ref in kind.refs:
        value = getattr(item, ref.field)
        for target in value if ref.many else [value]:
            if not target or ref.edge is None:
                continue
            if ref.edge == "subcontracts":  # prime -> provider, naming the services it covers
                _add_subcontract(G, target, item.provider, item.id)
            elif ref.reverse:
                G.add_edge(target, item.id, key=ref.edge)
            else:
                G.add_edge(item.id, target, key=ref.edge)


def _add_subcontract(G: nx.MultiDiGraph, prime: str, provider: str, service: str) -> None:
    """One edge per prime and provider, naming every service it covers."""
    if not G.has_edge(prime, provider, key="subcontracts"):
        G.add_edge(prime, provider, key="subcontracts", services=[])
    G.edges[prime, provider, "subcontracts"]["services"].append(service)


def _add_flow(G: nx.MultiDiGraph, flow: Flow, source: str, unnamed: list[str]) -> None:
    G.add_node(flow.id, kind="flow", name=flow.summary, passes=flow.passes,
               status=flow.status, returns=flow.returns, expects_return=flow.expects_return,
               sender=flow.from_, receiver=flow.to, source=_in_area(source),
               evidence=[e.model_dump() for e in flow.evidence],
               inferred=flow.inferred, inferred_ends=unnamed,
               recommendations=flow.recommendations, note=flow.note,
               signature=signature(G, flow.from_, flow.to, flow.passes))
    G.add_edge(flow.from_, flow.id, key="sends")
    G.add_edge(flow.id, flow.to, key="to")
    if flow.returns:
        G.add_edge(flow.id, flow.returns, key="returns")


def signature(G: nx.MultiDiGraph, sender: str, receiver: str, passes: str) -> dict:
    """What a flow is in words every area shares: (sender's role, receiver's role, passes).

    Why: Sefton's ``mash-outcome-to-gp`` and another area's ``front-door-feedback-to-gps``
    are both ``front_door -> gp_practice: outcome``, so the same failure can be counted
    across areas (``questions.compare``). A party with no role gives ``None`` there.
    """
    return {"from": G.nodes[sender].get("role"), "to": G.nodes[receiver].get("role"),
            "passes": passes}


def _add_evidence_edges(G: nx.MultiDiGraph, model: Model) -> None:
    """finding -evidences-> each flow or party that cites it."""
    for node, data in list(G.nodes(data=True)):
        for ev in data.get("evidence", []):
            if ev["paragraph"] in model.findings:
                G.add_edge(finding_node(ev["paragraph"]), node, key="evidences")


def _add_action(G: nx.MultiDiGraph, n: int, action: Action) -> None:
    node = action_node(n)
    G.add_node(node, kind="action", name=action.action, recommendation=action.recommendation,
               owner=action.owner, lead=action.lead,
               due=action.due.isoformat() if action.due else None, status=action.status,
               measure=action.measure, evidence_of_completion=action.evidence,
               fixes=list(action.fixes))
    G.add_edge(node, rec_node(action.recommendation), key="addresses")
    for flow in action.fixes:
        G.add_edge(node, flow, key="fixes")


def _in_area(source: str) -> str:
    """"/any/where/flows.yaml:42" -> "flows.yaml:42": maps and exports stay portable."""
    return source.replace("\\", "/").rsplit("/", 1)[-1]


def nodes_of(G: nx.MultiDiGraph, kind: str) -> list[str]:
    """Node ids of one kind, in insertion (file) order."""
    return [n for n, k in G.nodes(data="kind") if k == kind]


def out_by(G: nx.MultiDiGraph, node: str, key: str) -> list[str]:
    """Targets of ``node``'s edges of one type.

    Read from the graph's own adjacency dicts (``_succ``, ``_pred``), as
    networkx's views do, without their per-item wrappers: five times faster,
    and every query asks this thousands of times on England.
    """
    return [v for v, keys in G._succ[node].items() if key in keys]  # type: ignore[attr-defined]


def in_by(G: nx.MultiDiGraph, node: str, key: str) -> list[str]:
    """Sources of the edges of one type into ``node`` (see ``out_by``)."""
    return [u for u, keys in G._pred[node].items() if key in keys]  # type: ignore[attr-defined]

