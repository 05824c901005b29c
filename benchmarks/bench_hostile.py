"""Print what issue 14's guarantees cost: extraction of 10 MB reports, the warm start, the fuzz.

(a) Extraction time of a generated report of --size-mb (default 10) in each
    shape that was once quadratic (tests/reports_at_scale.py).
(b) Warm `graphmodel gaps` on Sefton, median of --runs, against
    `python -c "import networkx"`; and the cache read alone (JSON checked by
    its digest and its owner) against unpickling the same graph, which the
    cache no longer does.
(c) With --fuzz N: the hypothesis fuzz of the extractor, YAML and loader
    with N examples each (CI runs 300).

    python benchmarks/bench_hostile.py [--size-mb 10] [--runs 9] [--fuzz 20000]
"""

from __future__ import annotations

import argparse
import gc
import os
import pickle
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from graphmodel.errors import ModelError  # noqa: E402
from graphmodel.model.report import extract_report  # noqa: E402

from reports_at_scale import SHAPES  # noqa: E402


def extraction(size_mb: int) -> None:
    for name, shape in SHAPES.items():
        text = shape(size_mb * 2**20)
        gc.collect()
        start = time.perf_counter()
        try:
            found = len(extract_report(text, "big.txt").findings)
        except ModelError as exc:
            found = f"refused: {exc}"
        print(f"(a) {name:<24} {len(text) / 2**20:5.1f} MB  "
              f"{time.perf_counter() - start:6.2f} s  (findings: {found})")


def graphmodel_command() -> list[str]:
    script = Path(sys.executable).parent / "graphmodel"
    return [str(script)] if script.exists() else [sys.executable, "-m", "graphmodel"]


def wall(cmd: list[str], env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True,
                   env=env)
    return time.perf_counter() - start


def warm_start(runs: int) -> None:
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "GRAPHMODEL_CACHE": cache}
        gaps = graphmodel_command() + ["gaps"]
        baseline = [sys.executable, "-c", "import networkx"]
        wall(gaps, env)  # fills the cache
        ours, theirs = [], []
        for _ in range(runs):
            ours.append(wall(gaps, env))
            theirs.append(wall(baseline, env))
        a, b = statistics.median(ours), statistics.median(theirs)
        print(f"(b) warm graphmodel gaps {a * 1000:.0f} ms; python -c 'import networkx' "
              f"{b * 1000:.0f} ms; ratio {a / b:.2f} (median of {runs} alternating runs)")
        os.environ["GRAPHMODEL_CACHE"] = cache
        cache_read()


def cache_read(repeat: int = 20) -> None:
    from graphmodel import cache
    from graphmodel.paths import default_model_dir
    key = cache.fingerprint(default_model_dir())
    json_times, pickle_times = [], []
    loaded = cache.load(key)
    assert loaded is not None, "the cache holds no entry for Sefton"
    blob = pickle.dumps(loaded, protocol=pickle.HIGHEST_PROTOCOL)
    for _ in range(repeat):
        start = time.perf_counter()
        cache.load(key)
        json_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        pickle.loads(blob)  # our own bytes: the format the cache gave up
        pickle_times.append(time.perf_counter() - start)
    start = time.perf_counter()
    cache.fingerprint(default_model_dir())
    key_ms = (time.perf_counter() - start) * 1000
    print(f"    cache read: JSON with digest and owner checks "
          f"{statistics.median(json_times) * 1000:.1f} ms, the same graph unpickled "
          f"{statistics.median(pickle_times) * 1000:.1f} ms; the key over every input "
          f"{key_ms:.1f} ms")


def fuzz(examples: int) -> None:
    env = {**os.environ, "GRAPHMODEL_FUZZ_EXAMPLES": str(examples)}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           str(ROOT / "tests" / "test_fuzz.py")], env=env, cwd=ROOT,
                          capture_output=True, text=True)
    last = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr
    print(f"(c) fuzz, {examples} examples per test: {last} "
          f"({time.perf_counter() - start:.0f} s)")
    if done.returncode:
        print(done.stdout[-3000:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=10)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--fuzz", type=int, default=0, help="examples per fuzz test")
    args = parser.parse_args()
    extraction(args.size_mb)
    warm_start(args.runs)
    if args.fuzz:
        fuzz(args.fuzz)


if __name__ == "__main__":
    main()
