"""``hotspots``: parties ranked by the gaps they are party to, then betweenness."""

from __future__ import annotations

import networkx as nx

from .gaps import gaps
from .graph import nodes_of
from .parties import organisation_of, party_ref


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
