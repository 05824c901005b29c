"""Print how long the action plan takes: rows, workbook, progress and diff, by model size.

Each step on Sefton and on synthetic models 10x and 100x its size
(tests/synthetic.py), median of a few runs, from a graph already built
(the commands read it from the cache, and freeze it out of the collector's way).

    python benchmarks/bench_plan.py [--runs 3] [--scales 1,10,100]
"""

from __future__ import annotations

import argparse
import datetime
import gc
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))  # test helpers
from graphmodel.model.load import load_area  # noqa: E402
from graphmodel.paths import default_model_dir  # noqa: E402
from graphmodel.plan.build import build_plan
from graphmodel.plan.progress import progress_state  # noqa: E402
from graphmodel.plan.workbook import plan_workbook  # noqa: E402
from graphmodel.questions import gaps as gaps_q  # noqa: E402
from graphmodel.questions.graph import build_graph  # noqa: E402

from synthetic import synthetic_model  # noqa: E402


def timed(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def steps(G) -> dict:
    gaps = gaps_q.gaps(G)
    plan = build_plan(G, gaps, datetime.date(2019, 4, 15))
    return {
        "plan rows": lambda: build_plan(G, gaps, datetime.date(2019, 4, 15)),
        "plan --by owner": lambda: build_plan(G, gaps, by_owner=True),
        "workbook (xlsx)": lambda: plan_workbook(plan),
        "progress": lambda: progress_state(G, datetime.date(2019, 9, 30), gaps),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scales", default="1,10,100")
    args = parser.parse_args()
    scales = [int(s) for s in args.scales.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        rows: dict[str, list[float]] = {}
        sizes = []
        for scale in scales:
            folder = default_model_dir() if scale == 1 else \
                synthetic_model(scale, Path(tmp) / f"x{scale}")
            G = build_graph(load_area(folder))
            gc.freeze()  # as api.open_area does: the graph lives until exit
            sizes.append((scale, G.number_of_nodes(), len(gaps_q.gaps(G))))
            for name, fn in steps(G).items():
                rows.setdefault(name, []).append(timed(fn, args.runs))
    print("scale, nodes, gaps: " + "; ".join(f"x{s} {n} nodes {g} gaps" for s, n, g in sizes))
    for name, times in rows.items():
        cells = "  ".join(f"x{s}: {t * 1000:8.1f} ms" for s, t in zip(scales, times, strict=True))
        print(f"{name:<16} {cells}")


if __name__ == "__main__":
    main()
