"""Betweenness for ``hotspots``, computed by igraph: networkx's answer, 200 times sooner.

Why not networkx: its pure-Python Brandes took a minute on England's party
graph (4,600 parties at x100); igraph's C code gives the same values in a
quarter of a second (benchmarks/bench_betweenness.py compares them with
networkx and with rustworkx). igraph is imported here only, when hotspots
asks, so no other command pays for loading it.
"""

from __future__ import annotations

import networkx as nx


def betweenness(P: nx.DiGraph) -> dict[str, float]:
    """networkx's ``betweenness_centrality(P)`` of a directed graph: normalised the same way.

    Each party's share of the shortest paths between every other ordered pair
    of parties, divided by (n - 1)(n - 2), the number of such pairs.
    """
    n = len(P)
    if n <= 2:
        return dict.fromkeys(P, 0.0)
    import igraph
    index = {node: i for i, node in enumerate(P)}
    # GraphBase, igraph's C type: Graph() would import numpy, when installed, to check
    # whether the edges are an array (0.1 s of hotspots' start for nothing).
    graph = igraph.GraphBase(n, [(index[u], index[v]) for u, v in P.edges()], True)
    scale = 1 / ((n - 1) * (n - 2))
    values = graph.betweenness(directed=True)
    return {node: value * scale for node, value in zip(P, values, strict=True)}
