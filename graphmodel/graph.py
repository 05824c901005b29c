"""Model -> one networkx MultiDiGraph; this module owns the attribute names.

Nodes: parties (kind organisation, site, service, forum, group, system), flows
(kind flow), findings ("finding:5.2.13") and recommendations ("rec:1.5").
An information flow is a node between two edges, sender -sends-> flow -to->
receiver, so findings can evidence it and a return flow can answer it.
Edge keys are the edge types: commissions, provides, subcontracts, coordinates,
part_of, operates, located_at, hosts, uses, sends, to, returns, owns, cites,
evidences, referred_to.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import networkx as nx

if TYPE_CHECKING:  # the loader (pydantic, ruamel) stays off a cached run's path
    from .loader import Model

PARTY_KINDS = ("organisation", "site", "service", "forum", "group", "system")
NOT_WORKING = ("absent", "blocked", "broken", "delayed", "inconsistent")


def finding_node(fid: str) -> str:
    return f"finding:{fid}"


def rec_node(rid: str) -> str:
    return f"rec:{rid}"


def build_graph(model: Model) -> nx.MultiDiGraph:
    """Every party, flow, finding and recommendation, and how they connect."""
    G = nx.MultiDiGraph(area=model.area.id, area_name=model.area.name,
                        public_health_owner=model.area.public_health_owner)
    for party in model.parties.values():
        _add_party(G, party)
    for flow in model.flows:
        _add_flow(G, flow, model.sources[flow.id])
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
    return G


def _add_party(G: nx.MultiDiGraph, party) -> None:
    item = party.item
    G.add_node(item.id, kind=party.kind, type=getattr(item, "kind", party.kind),
               name=item.name, aliases=list(item.aliases), source=_in_area(party.source),
               evidence=[e.model_dump() for e in item.evidence])
    edges = {
        "organisation": [("part_of", item.id, getattr(item, "part_of", None)),
                         *[("coordinates", item.id, p) for p in getattr(item, "coordinates", [])]],
        "site": [("operates", getattr(item, "operator", None), item.id)],
        "service": [("provides", getattr(item, "provider", None), item.id),
                    ("part_of", item.id, getattr(item, "part_of", None)),
                    *[("commissions", c, item.id) for c in getattr(item, "commissioners", [])],
                    *[("located_at", item.id, s) for s in getattr(item, "sites", [])]],
        "forum": [("hosts", getattr(item, "hosted_by", None), item.id)],
        "group": [("part_of", item.id, getattr(item, "part_of", None))],
        "system": [("uses", u, item.id) for u in getattr(item, "used_by", [])],
    }[party.kind]
    for key, a, b in edges:
        if a and b:
            G.add_edge(a, b, key=key)
    prime = getattr(item, "subcontracted_from", None)
    if prime:  # one edge per prime and provider, naming every service it covers
        if not G.has_edge(prime, item.provider, key="subcontracts"):
            G.add_edge(prime, item.provider, key="subcontracts", services=[])
        G.edges[prime, item.provider, "subcontracts"]["services"].append(item.id)


def _add_flow(G: nx.MultiDiGraph, flow, source: str) -> None:
    G.add_node(flow.id, kind="flow", name=flow.summary, passes=flow.passes,
               status=flow.status, returns=flow.returns, expects_return=flow.expects_return,
               sender=flow.from_, receiver=flow.to, source=_in_area(source),
               evidence=[e.model_dump() for e in flow.evidence])
    G.add_edge(flow.from_, flow.id, key="sends")
    G.add_edge(flow.id, flow.to, key="to")
    if flow.returns:
        G.add_edge(flow.id, flow.returns, key="returns")


def _add_evidence_edges(G: nx.MultiDiGraph, model: Model) -> None:
    """finding -evidences-> each flow or party that cites it."""
    for node, data in list(G.nodes(data=True)):
        for ev in data.get("evidence", []):
            if ev["paragraph"] in model.findings:
                G.add_edge(finding_node(ev["paragraph"]), node, key="evidences")


def _in_area(source: str) -> str:
    """"/any/where/flows.yaml:42" -> "flows.yaml:42": maps and exports stay portable."""
    return source.replace("\\", "/").rsplit("/", 1)[-1]


def nodes_of(G: nx.MultiDiGraph, kind: str) -> list[str]:
    """Node ids of one kind, in insertion (file) order."""
    return [n for n, k in G.nodes(data="kind") if k == kind]


def out_by(G: nx.MultiDiGraph, node: str, key: str) -> list[str]:
    """Targets of ``node``'s edges of one type."""
    return [v for v, keys in G.succ[node].items() if key in keys]


def in_by(G: nx.MultiDiGraph, node: str, key: str) -> list[str]:
    """Sources of the edges of one type into ``node``."""
    return [u for u, keys in G.pred[node].items() if key in keys]
