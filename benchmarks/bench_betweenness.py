"""Which engine computes hotspots' betweenness: networkx, igraph or rustworkx.

For each scale, the directed party graph ``hotspots`` ranks (parties joined by
flows) is built once; each engine's betweenness is timed (import, conversion
and computation; median of alternating runs, networkx once at large scales)
and compared with networkx's ``betweenness_centrality`` rounded to 4 places,
which is what ``hotspots`` prints and what queries/hotspots.cypher matches.

    python benchmarks/bench_betweenness.py [--scales 100,150] [--runs 5]

(``pip install rustworkx`` first to compare it too; graphmodel uses igraph.)
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))  # test helpers
from graphmodel.model.load import load_area  # noqa: E402
from graphmodel.questions import parties as parties_q  # noqa: E402
from graphmodel.questions.graph import build_graph  # noqa: E402

from synthetic import synthetic_model  # noqa: E402


def with_networkx(P: nx.DiGraph) -> dict:
    return nx.betweenness_centrality(P)


def with_igraph(P: nx.DiGraph) -> dict:
    import igraph
    nodes = list(P)
    index = {n: i for i, n in enumerate(nodes)}
    g = igraph.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in P.edges()],
                     directed=True)
    n = len(nodes)
    return dict(zip(nodes, (b / ((n - 1) * (n - 2)) for b in g.betweenness(directed=True)),
                    strict=True))


def with_rustworkx(P: nx.DiGraph) -> dict:
    import rustworkx
    g = rustworkx.PyDiGraph()
    ids = g.add_nodes_from(list(P))
    index = dict(zip(P, ids, strict=True))
    g.add_edges_from_no_data([(index[u], index[v]) for u, v in P.edges()])
    found = rustworkx.digraph_betweenness_centrality(g, normalized=True)
    return {node: found[index[node]] for node in P}


ENGINES = {"igraph": with_igraph, "rustworkx": with_rustworkx}
try:  # rustworkx is not a dependency: compared only where someone installed it
    import rustworkx  # noqa: F401
except ImportError:
    del ENGINES["rustworkx"]


def timed(fn, P) -> tuple[float, dict]:
    start = time.perf_counter()
    out = fn(P)
    return time.perf_counter() - start, out


def party_graph(scale: int, tmp: Path) -> nx.DiGraph:
    G = build_graph(load_area(synthetic_model(scale, tmp / f"x{scale}"), warnings=False))
    gc.freeze()  # as open_area does: the collector leaves the loaded graph alone
    return nx.DiGraph(parties_q.flow_party_graph(G))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="100,150")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print("scale  parties  flows  engine      seconds  same as networkx (4 places)")
    with tempfile.TemporaryDirectory() as tmp:
        for scale in (int(s) for s in args.scales.split(",")):
            P = party_graph(scale, Path(tmp))
            nx_time, reference = timed(with_networkx, P)
            want = {k: round(v, 4) for k, v in reference.items()}
            print(f"x{scale:<5} {len(P):7} {P.number_of_edges():6}  networkx  {nx_time:9.3f}")
            times: dict[str, list[float]] = {name: [] for name in ENGINES}
            same = {}
            for _ in range(args.runs):
                for name, fn in ENGINES.items():
                    seconds, got = timed(fn, P)
                    times[name].append(seconds)
                    same[name] = {k: round(v, 4) for k, v in got.items()} == want
            for name in ENGINES:
                print(f"{'':23} {name:<10} {statistics.median(times[name]):9.3f}  "
                      f"{'yes' if same[name] else 'NO'}")


if __name__ == "__main__":
    main()
