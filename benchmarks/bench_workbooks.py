"""Print what reading a hostile plan workbook costs: time and peak memory of each.

Each workbook of ``tests/hostile_workbooks.py`` (and a 1 GiB bomb) is made from
Northmoor's plan, then ``graphmodel plan import --check`` reads it in a
process of its own; the figures are its wall time and its peak resident
memory (GNU time's %M), next to a good workbook's. Issue 22 asks for one line
within a few seconds and bounded memory for each.

    python benchmarks/bench_workbooks.py
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from hostile_workbooks import HOSTILE_WORKBOOKS, bomb  # noqa: E402
from test_plan_import import FILLED, fill, workbook_of  # noqa: E402

from conftest import NORTHMOOR  # noqa: E402


def measure(folder: Path, name: str) -> tuple[float, float, int, str]:
    """(seconds, peak MiB, exit code, first line of stderr) of one import."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "GRAPHMODEL_CACHE": str(folder / "cache")}
    # GNU time forks the command from a small process: a child forked from this one
    # would report this process's own peak (Linux keeps it across exec).
    started = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-f", "peak %M", sys.executable, "-m",
                           "graphmodel", "plan", "import", name, "-m", "area", "--check"],
                          cwd=folder, env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - started
    lines = done.stderr.splitlines()
    peak = next(int(line.split()[1]) for line in lines if line.startswith("peak "))
    errors = [line for line in lines if line.startswith("error: ")]
    code = 0 if "Command exited" not in done.stderr else int(lines[-2].rsplit(" ", 1)[1])
    return seconds, peak / 1024, code, (errors or [""])[0]


def many_rows(count: int):
    """The Plan sheet's row 3 copied to rows 3 .. count + 2: the most a plan may hold."""
    def build(data: bytes) -> bytes:
        import re

        from hostile_workbooks import SHEET, parts, rezip
        files = parts(data)
        xml = files[SHEET].decode()
        row = re.search(r'<row r="3".*?</row>', xml, re.S).group(0)
        rows = "".join(re.sub(r'(r="[A-Z]*)3"', lambda m, n=n: f'{m.group(1)}{n}"', row)
                       for n in range(3, count + 3))
        files[SHEET] = re.sub(r'<row r="3".*</row>', rows, xml, flags=re.S).encode()
        return rezip(files)
    return build


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        shutil.copytree(NORTHMOOR, folder / "area")
        data = workbook_of(folder / "area")  # the plan as written; the good one is filled in
        cases = {"good (filled-in plan)": lambda d: fill(d, FILLED),
                 "2,000 rows (the most allowed)": many_rows(1_990),
                 "bomb-1gib-cell": bomb(2**30), **{k: v[0] for k, v in HOSTILE_WORKBOOKS.items()}}
        (folder / "x.xlsx").write_bytes(data)
        measure(folder, "x.xlsx")  # fills the cache, as a person's earlier commands would
        print("| workbook | size | time | peak memory | exit | line |\n|---|---|---|---|---|---|")
        for name, build in cases.items():
            made = build(data)
            (folder / "x.xlsx").write_bytes(made)
            seconds, mib, code, line = measure(folder, "x.xlsx")
            print(f"| {name} | {len(made) / 1024:,.0f} KB | {seconds:.2f} s | {mib:.0f} MiB | "
                  f"{code} | {line[:70]} |")


if __name__ == "__main__":
    main()
