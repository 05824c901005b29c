"""Print how fast graphmodel answers: start-up against networkx, and query scaling.

(a) Wall time of `graphmodel gaps` (warm cache) against
    `python -c "import networkx"`, median of alternating runs, as a ratio.
(b) Each query's time on Sefton and on synthetic models 10x and 100x its
    size (benchmarks/synthetic.py), with the growth factor against size.

    python benchmarks/bench_queries.py [--runs 7] [--scales 1,10,100]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import synthetic_model  # noqa: E402

from graphmodel import queries  # noqa: E402
from graphmodel.graph import build_graph, nodes_of  # noqa: E402
from graphmodel.loader import load_area  # noqa: E402
from graphmodel.paths import default_model_dir  # noqa: E402


def graphmodel_command() -> list[str]:
    script = Path(sys.executable).parent / "graphmodel"
    return [str(script)] if script.exists() else [sys.executable, "-m", "graphmodel"]


def wall(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def startup_ratio(runs: int) -> None:
    gaps = graphmodel_command() + ["gaps"]
    baseline = [sys.executable, "-c", "import networkx"]
    wall(gaps)  # warm the graph cache and the OS file cache
    ours, theirs = [], []
    for _ in range(runs):
        ours.append(wall(gaps))
        theirs.append(wall(baseline))
    a, b = statistics.median(ours), statistics.median(theirs)
    print(f"(a) graphmodel gaps {a * 1000:.0f} ms, python -c 'import networkx' "
          f"{b * 1000:.0f} ms, ratio {a / b:.2f} (median of {runs} alternating runs)")


def timed(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def query_calls(G) -> dict:
    orgs = nodes_of(G, "organisation")
    org = max(orgs, key=lambda o: len(queries.units(G, o)))
    P = queries.flow_party_graph(G)
    a = list(P)[0]
    # A party a few hops away, as a user would ask about: not one at the far
    # end of a chain of synthetic copies.
    hops = nx.single_source_shortest_path_length(P, a, cutoff=4)
    b = max(hops, key=lambda n: (hops[n], n))
    return {
        "gaps": lambda: queries.gaps(G),
        "gaps --org": lambda: queries.gaps(G, org=org),
        "owners": lambda: queries.owners(G),
        "coverage": lambda: queries.coverage(G),
        "org": lambda: queries.org(G, org),
        "path": lambda: queries.path(G, a, b),
        "commissioning": lambda: queries.commissioning(G),
        "hotspots": lambda: queries.hotspots(G),
    }


def scaling(scales: list[int]) -> None:
    results: dict[int, dict[str, float]] = {}
    sizes: dict[int, int] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for scale in scales:
            folder = (default_model_dir() if scale == 1
                      else synthetic_model(scale, Path(tmp) / f"x{scale}"))
            start = time.perf_counter()
            G = build_graph(load_area(folder))
            built = time.perf_counter() - start
            sizes[scale] = G.number_of_nodes() + G.number_of_edges()
            print(f"    x{scale}: {G.number_of_nodes()} nodes, {G.number_of_edges()} edges, "
                  f"load+check+build {built:.2f} s", flush=True)
            results[scale] = {name: timed(fn, 3 if scale < 100 else 1)
                              for name, fn in query_calls(G).items()}
            if scale != 1:
                shutil.rmtree(folder, ignore_errors=True)
    base = scales[0]
    header = "query".ljust(15) + "".join(f"x{s:<4} ms".rjust(13) for s in scales)
    print(f"(b) query times; growth = time ratio / size ratio against x{base}")
    print("    " + header + "   growth")
    for name in results[base]:
        cells = "".join(f"{results[s][name] * 1000:13.1f}" for s in scales)
        top = scales[-1]
        growth = (results[top][name] / max(results[base][name], 1e-9)) / (sizes[top] / sizes[base])
        print(f"    {name:<15}{cells}   {growth:6.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--scales", default="1,10,100")
    args = parser.parse_args()
    startup_ratio(args.runs)
    scaling([int(s) for s in args.scales.split(",")])


if __name__ == "__main__":
    main()
