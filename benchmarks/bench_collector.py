"""What keeping Python's garbage collector out of the way saves, on England-sized areas.

``api.open_area`` pauses the collector while it parses and builds a model and
calls ``gc.freeze()`` once the graph is built. This runs each command with
that as it is ("paused") and with both undone ("collector on", as before the
change), in turns, and prints the median wall time and peak memory of each.

    python benchmarks/bench_collector.py [--scales 100,150] [--runs 3]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))  # test helpers

from bench_scale import compile_sources, measure  # noqa: E402

from synthetic import synthetic_model  # noqa: E402

RUN = """
import gc, sys
if sys.argv[1] == "on":
    from graphmodel import api
    class _NotPaused:
        def __enter__(self): pass
        def __exit__(self, *exc): pass
    api._collector_paused = _NotPaused
    gc.freeze = lambda: None
from graphmodel.cli import main
sys.argv = ["graphmodel", *sys.argv[2:]]
main()
"""

COMMANDS = {"gaps cold": ["gaps"], "gaps warm": ["gaps"], "hotspots warm": ["hotspots"],
            "validate": ["validate"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="100,150")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    compile_sources()
    work = Path(tempfile.mkdtemp(prefix="graphmodel-gc-"))
    print("| scale | command | collector on | paused, then frozen | time saved | "
          "memory on | memory paused |")
    print("|---|---|---|---|---|---|---|")
    try:
        for scale in (int(s) for s in args.scales.split(",")):
            folder = synthetic_model(scale, work / f"x{scale}")
            warm = {mode: work / f"warm-{mode}-{scale}" for mode in ("on", "paused")}
            seen = {(c, m): [] for c in COMMANDS for m in warm}
            for mode in warm:
                measure([sys.executable, "-c", RUN, mode, "gaps", "-m", str(folder)], warm[mode])
            for _ in range(args.runs):
                for command, argv in COMMANDS.items():
                    for mode in warm:
                        cache = (Path(tempfile.mkdtemp(dir=work)) if command.endswith("cold")
                                 else warm[mode])
                        seen[command, mode].append(measure(
                            [sys.executable, "-c", RUN, mode, *argv, "-m", str(folder)], cache))
            for command in COMMANDS:
                on = {k: statistics.median(r[k] for r in seen[command, "on"])
                      for k in ("wall", "memory")}
                off = {k: statistics.median(r[k] for r in seen[command, "paused"])
                       for k in ("wall", "memory")}
                print(f"| x{scale} | {command} | {on['wall']:.2f} s | {off['wall']:.2f} s | "
                      f"{1 - off['wall'] / on['wall']:.0%} | {on['memory']:.0f} MiB | "
                      f"{off['memory']:.0f} MiB |", flush=True)
            shutil.rmtree(folder, ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
