"""Print how graphmodel scales from one area to England, against baselines of the same run.

For Sefton (x1) and synthetic areas of 10, 100 and 150 copies of it
(tests/synthetic.py: every copy of Sefton's real size, its evidence
written out), it prints:

- cold ``validate``: load_area in process, and the whole command's wall time;
- ``gaps`` as a command: cold (an empty graph cache) and warm (cache filled);
- ``hotspots`` as a command, warm;
- every query in process (gaps, owners, coverage, party, path, commissioning,
  hotspots) and ``map --view gaps`` (rendering the HTML);
- the peak memory (maxrss) of each of those processes.

Every measurement runs in a process of its own (its peak memory is its own,
from os.wait4); the measurements of a scale take turns, round after round,
and each figure is the median of its rounds. Growth is the time ratio from x1
divided by the size ratio (nodes + edges); 1 means linear. A query's Python
calls (counted by cProfile) show its work apart from the processor's caches,
which hold all of Sefton and little of England. Start-up is warm ``gaps`` on
Sefton against ``python -c "import networkx"``, alternating.

    python benchmarks/bench_scale.py [--scales 1,10,100,150] [--runs 5] [--big-runs 3]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))  # test helpers
sys.path.insert(0, str(HERE.parent))

QUERY_NAMES = ("gaps", "owners", "coverage", "party", "path", "commissioning", "hotspots",
               "map --view gaps")
BIG = 100  # from this scale on, fewer rounds


# --- the worker: what runs inside one measured process ------------------------------------------

def _best_of(fn, budget: float = 0.5, most: int = 15) -> float:
    """Median time of ``fn`` after one warm-up call, repeated within a time budget."""
    fn()
    times: list[float] = []
    while len(times) < 3 or (sum(times) < budget and len(times) < most):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _query_calls(area) -> dict:
    import networkx as nx

    from graphmodel.questions import parties as parties_q
    from graphmodel.views import html_map as htmlmap
    G = area.graph
    orgs = [n for n, k in G.nodes(data="kind") if k == "organisation"]
    org = max(orgs, key=lambda o: (len(parties_q.units(G, o)), o))
    P = parties_q.flow_party_graph(G)
    a = min(P)
    hops = nx.single_source_shortest_path_length(P, a, cutoff=4)  # a few hops, as users ask
    b = max(hops, key=lambda n: (hops[n], n))
    return {"gaps": area.gaps, "owners": area.owners, "coverage": area.coverage,
            "party": lambda: area.party(org), "path": lambda: area.path(a, b),
            "commissioning": area.commissioning, "hotspots": area.hotspots,
            "map --view gaps": lambda: htmlmap.render_map(G, "gaps")}


def worker(kind: str, folder: str) -> None:
    """Print one JSON line of in-process times (the parent adds wall time and memory)."""
    if kind == "load":
        import graphmodel.model.load  # noqa: F401  (imports are the command's, not the load's)
        from graphmodel.api import load_model
        start = time.perf_counter()
        load_model(folder)
        print(json.dumps({"load_area": time.perf_counter() - start}))
        return
    from graphmodel.api import open_area
    start = time.perf_counter()
    area = open_area(folder)
    opened = time.perf_counter() - start
    G = area.graph
    out = {"open_area": opened, "size": G.number_of_nodes() + G.number_of_edges()}
    calls = _query_calls(area)
    out.update({name: _best_of(fn) for name, fn in calls.items()})
    out.update({f"{name} calls": _python_calls(fn) for name, fn in calls.items()})
    print(json.dumps(out))


def _python_calls(fn) -> int:
    """How many Python function calls one run makes: the work, whatever the caches do."""
    import cProfile
    import pstats
    profile = cProfile.Profile()
    profile.runcall(fn)
    return pstats.Stats(profile).total_calls


# --- the parent: processes, rounds, medians ---------------------------------------------------

def graphmodel_command() -> list[str]:
    script = Path(sys.executable).parent / "graphmodel"
    return [str(script)] if script.exists() else [sys.executable, "-m", "graphmodel"]


def compile_sources() -> None:
    """Byte-compile graphmodel, as pip does when it installs it.

    Why: with PYTHONDONTWRITEBYTECODE set (as on this project's machines) every
    start compiled graphmodel's sources again, 30 ms that no installed copy pays.
    """
    import compileall

    import graphmodel
    compileall.compile_dir(Path(graphmodel.__file__).parent, quiet=1)


def child_env(cache: Path | None = None) -> dict:
    """The environment of a measured process: compiled bytecode is read, as when installed."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    if cache is not None:
        env["GRAPHMODEL_CACHE"] = str(cache)
    return env


def measure(cmd: list[str], cache: Path | None = None) -> dict:
    """Run one process: its wall time, peak memory (MiB) and any JSON it printed."""
    env = child_env(cache)
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, env=env)
        out = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        proc.stdout.close()
        if proc.returncode not in (0,):
            err.seek(0)
            sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}): {err.read()[-2000:]!r}")
    result = {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime,
              "memory": usage.ru_maxrss / 1024}
    lines = out.decode(errors="replace").strip().splitlines()
    if lines and lines[-1].startswith("{"):
        result.update(json.loads(lines[-1]))
    return result


def scale_rounds(folder: Path, rounds: int, work: Path) -> dict[str, dict]:
    """Each measurement of one scale, ``rounds`` times in turn; medians of each figure."""
    gm, me = graphmodel_command(), [sys.executable, str(Path(__file__).resolve())]
    warm = work / "warm-cache"
    measure(gm + ["gaps", "-m", str(folder)], warm)  # fill the cache the warm runs read
    plan = {
        "validate (command)": lambda: measure(gm + ["validate", "-m", str(folder)], warm),
        "validate (load_area)": lambda: measure(me + ["--worker", "load", str(folder)], warm),
        "gaps cold (command)": lambda: measure(gm + ["gaps", "-m", str(folder)],
                                               Path(tempfile.mkdtemp(dir=work))),
        "gaps warm (command)": lambda: measure(gm + ["gaps", "-m", str(folder)], warm),
        "hotspots warm (command)": lambda: measure(gm + ["hotspots", "-m", str(folder)], warm),
        "queries (in process)": lambda: measure(me + ["--worker", "queries", str(folder)], warm),
    }
    seen: dict[str, list[dict]] = {name: [] for name in plan}
    for _ in range(rounds):
        for name, run in plan.items():
            seen[name].append(run())
    return {name: {k: statistics.median(r[k] for r in runs) for k in runs[0]}
            for name, runs in seen.items()}


def startup(rounds: int, work: Path) -> tuple[float, float]:
    """Median wall times of warm ``gaps`` on Sefton and of importing networkx, alternating."""
    gm, warm = graphmodel_command(), work / "startup-cache"
    measure(gm + ["gaps"], warm)
    ours, theirs = [], []
    for _ in range(rounds):
        ours.append(measure(gm + ["gaps"], warm)["wall"])
        theirs.append(measure([sys.executable, "-c", "import networkx"])["wall"])
    return statistics.median(ours), statistics.median(theirs)


# --- the report ------------------------------------------------------------------------------

def _seconds(value: float) -> str:
    return f"{value * 1000:.1f} ms" if value < 0.1 else f"{value:.2f} s"


def _growth(results, size, pick, low, top) -> str:
    """Time (or count) ratio from scale ``low`` to ``top``, over their size ratio."""
    base = pick(results[low])
    if not base:
        return ""
    return f"{(pick(results[top]) / base) / (size[top] / size[low]):.2f}"


def report(results: dict[int, dict], scales: list[int], gaps_warm: float, nx_import: float,
           rounds: dict[int, int], startup_rounds: int) -> str:
    size = {s: results[s]["queries (in process)"]["size"] for s in scales}
    pairs = [(scales[0], s) for s in scales[1:] if s >= BIG]
    if 100 in scales and 150 in scales:
        pairs.append((100, 150))
    head = "| figure | " + " | ".join([f"x{s}" for s in scales]
                                      + [f"growth x{a}→x{b}" for a, b in pairs]) + " |"
    lines = [head, "|---" * (1 + len(scales) + len(pairs)) + "|"]

    def row(label, pick, fmt):
        cells = [fmt(pick(results[s])) for s in scales]
        growth = [_growth(results, size, pick, a, b) for a, b in pairs]
        lines.append(f"| {label} | " + " | ".join(cells + growth) + " |")

    row("size (nodes + edges)", lambda r: r["queries (in process)"]["size"], lambda v: f"{v:,.0f}")
    row("cold validate: load_area", lambda r: r["validate (load_area)"]["load_area"], _seconds)
    for name in ("validate (command)", "gaps cold (command)", "gaps warm (command)",
                 "hotspots warm (command)"):
        label = name.replace(" (command)", "")
        row(f"{label}: command, wall", lambda r, n=name: r[n]["wall"], _seconds)
        row(f"{label}: command, cpu", lambda r, n=name: r[n]["cpu"], _seconds)
    row("open_area from a warm cache (imports included)",
        lambda r: r["queries (in process)"]["open_area"], _seconds)
    for q in QUERY_NAMES:
        row(f"`{q}` in process", lambda r, q=q: r["queries (in process)"][q], _seconds)
    for q in QUERY_NAMES:
        row(f"`{q}`: Python calls", lambda r, q=q: r["queries (in process)"][f"{q} calls"],
            lambda v: f"{v:,.0f}")
    for name in ("validate (command)", "gaps cold (command)", "gaps warm (command)",
                 "hotspots warm (command)", "queries (in process)"):
        row(f"peak memory: {name.replace(' (command)', '')}", lambda r, n=name: r[n]["memory"],
            lambda v: f"{v:.0f} MiB")
    loads = os.getloadavg()
    intro = [
        f"Measured {datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z} on "
        f"{os.cpu_count()} cores, Python {platform.python_version()}; load average "
        f"{loads[0]:.2f}, {loads[1]:.2f}, {loads[2]:.2f} at the end; graphmodel "
        "byte-compiled, as pip installs it. Medians of "
        + ", ".join(f"{n} rounds at x{s}" for s, n in rounds.items()) + ".",
        "",
        f"Start-up (median of {startup_rounds} alternating runs): warm `graphmodel gaps` on "
        f"Sefton {gaps_warm * 1000:.0f} ms, `python -c \"import networkx\"` "
        f"{nx_import * 1000:.0f} ms, ratio {gaps_warm / nx_import:.2f}.",
        "",
    ]
    return "\n".join(intro + lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1,10,100,150")
    parser.add_argument("--runs", type=int, default=5, help="rounds below x100")
    parser.add_argument("--big-runs", type=int, default=3, help="rounds from x100 on")
    parser.add_argument("--startup-runs", type=int, default=15)
    parser.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(*args.worker)
        return
    from graphmodel.paths import default_model_dir

    from synthetic import synthetic_model
    scales = [int(s) for s in args.scales.split(",")]
    loads = os.getloadavg()
    print(f"load average at the start {loads[0]:.2f}, {loads[1]:.2f}, {loads[2]:.2f}",
          file=sys.stderr)
    work = Path(tempfile.mkdtemp(prefix="graphmodel-bench-"))
    compile_sources()
    try:
        gaps_warm, nx_import = startup(args.startup_runs, work)
        results, rounds = {}, {}
        for scale in scales:
            folder = (default_model_dir() if scale == 1
                      else synthetic_model(scale, work / f"x{scale}"))
            rounds[scale] = args.big_runs if scale >= BIG else args.runs
            here = work / f"run-x{scale}"
            here.mkdir()
            results[scale] = scale_rounds(folder, rounds[scale], here)
            print(f"x{scale} done", file=sys.stderr, flush=True)
            if scale != 1:
                shutil.rmtree(folder, ignore_errors=True)
            shutil.rmtree(here, ignore_errors=True)
        print(report(results, scales, gaps_warm, nx_import, rounds, args.startup_runs))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
