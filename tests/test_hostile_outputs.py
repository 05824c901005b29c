"""Every output channel, for a hostile model, in one test: every command and format.

The model (``hostile.hostile_area(everything=True)``) holds ESC and CSI
sequences, bidirectional overrides and isolates, C1 controls, Unicode
non-characters, spreadsheet formulas and console markup in its names, its
summaries and the area's own name. Each command runs as the user runs it (its
own process, through ``cli.main``); then:

- standard output and error hold no raw control character (ESC, CSI, C0 but
  line feed and tab, C1, bidirectional controls, line separators);
- no CSV cell, printed or in a file, starts a formula;
- every XML file (GraphML, GEXF, each part of the workbook) parses.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from xml.etree import ElementTree

from test_drafts import DRAFTS

from conftest import ROOT
from hostile import FORMULA_STARTS, hostile_area

RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e"
                 "\u2066-\u2069]")
A = "area"
FORMATS = ("table", "json", "csv", "markdown")
QUESTIONS = ("gaps", "owners", "coverage", "commissioning", "hotspots", "party mash",
             "party brightpath", "path gp-practices northmoor-csc", "todo", "progress",
             "plan", f"diff {A} older")


def commands() -> list[tuple[str, ...]]:
    """Every command and format, in the order they run (the first fills the cache)."""
    out = [(*q.split(), *(() if q.startswith("diff") else ("-m", A)), "-f", f)
           for q in QUESTIONS for f in FORMATS if not (q == "plan" and f == "table")]
    out += [("gaps", "-m", A, "--all"), ("gaps", "-m", A, "--org", "brightpath"),
            ("hotspots", "-m", A, "--wide"), ("validate", "-m", A),
            ("plan", "-m", A, "-o", "x.xlsx"), ("plan", "-m", A, "-f", "csv", "-o", "plan.csv"),
            ("map", "-m", A, "--view", "gaps", "-o", "x.html"),
            ("extract", f"{A}/report.txt"), ("extract", f"{A}/report.txt", "-f", "json"),
            ("schema",), ("--version",), ("diff", "--rev", "HEAD", A),
            ("party", "\x1b[2J\u202eno such party", "-m", A),
            ("new", "fresh", "-r", f"{A}/report.txt", "--name", "\x1b]0;x\x07Fresh\u202e")]
    for to in ("graphml", "gexf", "kumu", "cytoscape", "mermaid", "csv"):
        suffix = {"csv": "zip"}.get(to, to)
        out.append(("export", "-m", A, "--to", to, "-o", f"x.{suffix}"))
        if to not in ("csv",):
            out.append(("export", "-m", A, "--to", to, "-o", "-"))
    return out


def writers() -> list[tuple[str, ...]]:
    """Commands that change the area, run one after another after the others."""
    return [("plan", "import", "x.xlsx", "-m", A, "--check"),
            ("plan", "import", "x.xlsx", "-m", A),
            ("drafts", "accept", "school-nurse-referral", "-m", A),
            ("drafts", "reject", "mash-outcome-to-ed", "-m", A)]


def run(args: tuple[str, ...], cwd: Path) -> tuple[tuple[str, ...], int, str, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "80",
           "GRAPHMODEL_CACHE": str(cwd / "cache")}
    done = subprocess.run([sys.executable, "-m", "graphmodel", *args], cwd=cwd, env=env,
                          capture_output=True, timeout=120, stdin=subprocess.DEVNULL)
    return (args, done.returncode, done.stdout.decode("utf-8", "replace"),
            done.stderr.decode("utf-8", "replace"))


def make_area(root: Path) -> None:
    hostile_area(root / A, everything=True)
    (root / A / "drafts.yaml").write_text(DRAFTS, encoding="utf-8")
    shutil.copytree(root / A, root / "older")
    flows = root / "older" / "flows.yaml"
    flows.write_text(flows.read_text(encoding="utf-8").replace("status: absent",
                                                               "status: working", 1))
    for args in (["init", "-q"], ["add", "."], ["-c", "user.name=t", "-c",
                                                "user.email=t@example.org", "commit", "-qm",
                                                "x"]):
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def formula_cells(text: str) -> list[str]:
    return [c for row in csv.reader(io.StringIO(text)) for c in row
            if c.startswith(FORMULA_STARTS)]


def file_problems(root: Path) -> list[str]:
    problems = []
    for name in ("x.graphml", "x.gexf"):
        try:
            ElementTree.parse(root / name)
        except ElementTree.ParseError as exc:
            problems.append(f"{name}: {exc}")
    with zipfile.ZipFile(root / "x.xlsx") as book:
        for part in book.namelist():
            if part.endswith((".xml", ".rels")):
                try:
                    ElementTree.fromstring(book.read(part))
                except ElementTree.ParseError as exc:
                    problems.append(f"x.xlsx {part}: {exc}")
    with zipfile.ZipFile(root / "x.zip") as tables:
        for part in tables.namelist():
            bad = formula_cells(tables.read(part).decode("utf-8-sig"))
            problems += [f"x.zip {part}: formula cell {c[:40]!r}" for c in bad]
    bad = formula_cells((root / "plan.csv").read_text(encoding="utf-8"))
    problems += [f"plan.csv: formula cell {c[:40]!r}" for c in bad]
    return problems


def output_problems(args, code: int, out: str, err: str) -> list[str]:
    said = " ".join(args)
    problems = []
    if "Traceback" in out + err:
        problems.append(f"{said}: a traceback")
    for stream, text in (("stdout", out), ("stderr", err)):
        raw = RAW.search(text)
        if raw:
            problems.append(f"{said}: raw {raw.group(0)!r} on {stream}: "
                            f"{text[max(0, raw.start() - 30):raw.end() + 10]!r}")
    if "csv" in args and "-o" not in args:
        problems += [f"{said}: formula cell {c[:40]!r}" for c in formula_cells(out)]
    expected = 2 if args[0] == "party" and "no such" in args[1] else 0
    if code != expected:
        problems.append(f"{said}: exit {code}: {err[-300:]}")
    return problems


def test_every_command_and_format_is_clean_for_a_hostile_model(tmp_path):
    make_area(tmp_path)
    first, *rest = commands()
    runs = [run(first, tmp_path)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs += list(pool.map(lambda args: run(args, tmp_path), rest))
    runs += [run(args, tmp_path) for args in writers()]
    problems = [p for r in runs for p in output_problems(*r)] + file_problems(tmp_path)
    assert not problems, "\n".join(problems)
    assert len(runs) >= 60
    said = "".join(r[2] + r[3] for r in runs)
    assert "\\x1b" in said and "\\u202e" in said  # shown escaped, not dropped
