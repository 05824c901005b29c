"""``path``: the routes information can take between two parties, and where each breaks."""

from __future__ import annotations

import networkx as nx

from .. import vocab
from .graph import in_by, out_by
from .parties import flow_party_graph, party_ref, units


def path(G: nx.MultiDiGraph, source: str, target: str, limit: int = 5) -> list[dict]:
    """Routes information can take between two parties, every flow on each hop, and the answers.

    A hop lists every flow between its two parties (the MASH sends GPs
    requests and, in principle, outcomes), and works when one of them works.
    A hop ``continues`` the one before when one of its flows carries on what
    one of the earlier hop's flows brought (``vocab.continues``); a route
    whose hops do not all continue is parallel channels, not one route that
    information follows, and ``not_passed_on`` names where it stops.
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




def _route_row(G: nx.MultiDiGraph, P: nx.MultiDiGraph, parties: list[str],
               ends: dict[str, set[str]]) -> dict:
    hops = [_hop(G, a, b, list(P[a][b])) for a, b in zip(parties, parties[1:], strict=False)]
    for before, hop in zip(hops, hops[1:], strict=False):
        hop["continues"] = any(vocab.continues(x["passes"], y["passes"])
                               for x in before["flows"] for y in hop["flows"])
    flows = [f for hop in hops for f in hop["flows"]]
    return {"route": [party_ref(G, p) for p in parties],
            "flows": [f["flow"] for f in flows], "statuses": [f["status"] for f in flows],
            "works": all(hop["works"] for hop in hops),
            "breaks_at": [f["flow"] for hop in hops if not hop["works"] for f in hop["flows"]],
            "continues": all(hop["continues"] for hop in hops),
            "not_passed_on": [hop["from"] for hop in hops if not hop["continues"]],
            "hops": hops,
            "stands_for": [_stands_for(G, p, end) for p in parties for end in ends
                           if p != end and p in ends[end]],
            "answers": _answers(G, hops[-1]["flows"]) if hops else []}


def _hop(G: nx.MultiDiGraph, a: str, b: str, flows: list[str]) -> dict:
    """One hop of a route: every flow from ``a`` to ``b``, in file order."""
    return {"from": party_ref(G, a), "to": party_ref(G, b),
            "flows": [{"flow": f, "passes": G.nodes[f]["passes"], "status": G.nodes[f]["status"],
                       "summary": G.nodes[f]["name"]} for f in flows],
            "works": any(G.nodes[f]["status"] == vocab.WORKING for f in flows),
            "continues": True}  # the first hop; each later one: see _route_row


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
