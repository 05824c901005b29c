"""Print how long ``graphmodel compare`` takes over England: 150 generated areas, cold and warm.

The areas come from tests/england.py (seeded, distinct, each passing
``validate --strict``). Measured, each in a process of its own, round after
round in turn, each figure a median:

- ``compare`` cold: an empty cache, so every area is read, checked and built
  (in worker processes, one per processor);
- the same cold, in one process (``jobs=1``), to show what the workers buy;
- ``compare`` warm: every area's part read from the cache.

"cpu" is user and system time of the process and its workers, which other
work on the machine disturbs less than wall time. Targets (issue 19): cold
within 5 s and warm within 1 s on this 2-core machine.

    python benchmarks/bench_compare.py [--areas 150] [--runs 3] [--folder DIR]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

from bench_scale import compile_sources, graphmodel_command, measure  # noqa: E402

from england import make_england  # noqa: E402

TARGETS = {"cold": 5.0, "warm": 1.0}
ONE_PROCESS = ("import sys, graphmodel.api as api; "
               "api.compare_areas([sys.argv[1]], jobs=1)")


def england(folder: Path | None, count: int) -> tuple[Path, float]:
    """The generated areas (made now unless the folder holds them), and seconds to make them."""
    if folder and folder.is_dir() and len(list(folder.iterdir())) == count:
        return folder, 0.0
    folder = folder or Path(tempfile.mkdtemp(prefix="england-"))
    start = time.perf_counter()
    make_england(folder, count)
    return folder, time.perf_counter() - start


def sizes(folder: Path) -> dict:
    flows = findings = size = 0
    for area in folder.iterdir():
        flows += (area / "flows.yaml").read_text("utf-8").count("\n- id:")
        findings += (area / "extracted.yaml").read_text("utf-8").count("\n    section: ")
        size += sum(p.stat().st_size for p in area.iterdir())
    return {"flows": flows, "bytes": size, "findings": findings}


def rounds(folder: Path, runs: int, work: Path) -> dict[str, list[dict]]:
    """Cold (workers), cold (one process) and warm, in turn, ``runs`` times each."""
    command = [*graphmodel_command(), "compare", str(folder), "--format", "json"]
    single = [sys.executable, "-c", ONE_PROCESS, str(folder)]
    out: dict[str, list[dict]] = {"cold": [], "cold, one process": [], "warm": []}
    for n in range(runs):
        cache = work / f"cache-{n}"
        out["cold"].append(measure(command, cache))
        out["warm"].append(measure(command, cache))
        out["warm"].append(measure(command, cache))
        out["cold, one process"].append(measure(single, work / f"single-{n}"))
    return out


def table(results: dict[str, list[dict]]) -> list[str]:
    lines = ["| compare over 150 areas | wall | cpu (with workers) | peak memory | target | met? |",
             "|---|---|---|---|---|---|"]
    for name, found in results.items():
        wall = statistics.median(r["wall"] for r in found)
        cpu = statistics.median(r["cpu"] for r in found)
        memory = statistics.median(r["memory"] for r in found)
        target = TARGETS.get(name)
        met = "" if target is None else ("yes" if wall <= target else "no")
        lines.append(f"| {name} | {wall:.2f} s | {cpu:.2f} s | {memory:.0f} MiB | "
                     f"{f'{target:g} s' if target else ''} | {met} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--areas", type=int, default=150)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--folder", type=Path, help="where the areas are (made if absent)")
    args = parser.parse_args()
    compile_sources()
    folder, made = england(args.folder, args.areas)
    with tempfile.TemporaryDirectory() as work:
        results = rounds(folder, args.runs, Path(work))
        check = json.loads(os_run([*graphmodel_command(), "compare", str(folder), "-f",
                                   "json"], Path(work) / "cache-0"))
    found = sizes(folder)
    recurring = [r["areas"] for r in check["recurring"]]
    loads = os.getloadavg()
    print(f"Measured {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC on "
          f"{os.cpu_count()} cores, Python {platform.python_version()}; load average "
          f"{loads[0]:.2f}, {loads[1]:.2f}, {loads[2]:.2f} at the end. Medians of "
          f"{args.runs} rounds (warm: {2 * args.runs}).")
    print(f"England: {args.areas} areas, {found['bytes'] / 2**20:.1f} MB, {found['findings']:,} "
          f"findings, {found['flows']:,} flows" + (f", made in {made:.1f} s" if made else "")
          + f"; {len(recurring)} failures recur (in {max(recurring, default=0)} areas at most, "
          f"{statistics.median(recurring) if recurring else 0:g} at the median), "
          f"{len(check['unique'])} are unique to one area.")
    print()
    print("\n".join(table(results)))


def os_run(cmd: list[str], cache: Path) -> str:
    import subprocess
    env = {**os.environ, "GRAPHMODEL_CACHE": str(cache)}
    return subprocess.run(cmd, capture_output=True, text=True, env=env, check=True).stdout


if __name__ == "__main__":
    main()
