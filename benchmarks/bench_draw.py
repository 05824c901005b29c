"""Print how fast graphmodel draws: each view built, the map page rendered, each export.

On Sefton and on synthetic models 10x and 100x its size (tests/synthetic.py):
the time to build the system and gaps views (``views.build_view``), to render the
HTML map and its size, and to write each export format of the system view.
The browser's own layout time is measured by the browser tests (settleMs).

    python benchmarks/bench_draw.py [--scales 1,10] [--runs 3]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))  # test helpers
from graphmodel.model.load import load_area  # noqa: E402
from graphmodel.paths import default_model_dir  # noqa: E402
from graphmodel.questions.graph import build_graph  # noqa: E402
from graphmodel.views import build as views  # noqa: E402
from graphmodel.views import export
from graphmodel.views import html_map as htmlmap

from synthetic import synthetic_model  # noqa: E402


def best(fn, runs: int) -> tuple[float, object]:
    """Median seconds of ``runs`` calls, and the last result."""
    times, out = [], None
    for _ in range(runs):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1,10")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-draw-"))
    try:
        print(f"{'scale':>5} {'nodes':>7} {'what':<24} {'seconds':>8} {'size':>10}")
        for scale in [int(s) for s in args.scales.split(",")]:
            area = (default_model_dir() if scale == 1
                    else synthetic_model(scale, folder / str(scale)))
            G = build_graph(load_area(area))
            for name in ("system", "gaps"):
                t, view = best(lambda G=G, name=name: views.build_view(G, name), args.runs)
                print(f"{scale:>5} {G.number_of_nodes():>7} {'view ' + name:<24} {t:>8.3f} "
                      f"{len(view.nodes):>5}n {len(view.edges):>4}e")
            view = views.build_view(G, "system")
            t, page = best(lambda G=G, view=view: htmlmap.render_view(G, view), args.runs)
            print(f"{scale:>5} {G.number_of_nodes():>7} {'map page (system)':<24} {t:>8.3f} "
                  f"{len(page) / 1e6:>8.2f}MB")
            for fmt in export.FORMATS:
                t, out = best(lambda view=view, fmt=fmt: export.export_view(view, fmt),
                              args.runs)
                print(f"{scale:>5} {G.number_of_nodes():>7} {'export ' + fmt:<24} {t:>8.3f} "
                      f"{len(out) / 1e6:>8.2f}MB")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
