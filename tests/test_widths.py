"""Every line of every command fits an 80-column terminal, and every table takes --wide.

The test walks the typer app, so a new command fails here until it has its
usual arguments below: each runs on Sefton and on Northmoor (a fixture with
other names), in a working copy of the area, at COLUMNS=80, and every line of
its standard output and error must be at most 80 columns wide (issue 18).

Two kinds of output are data, not lines for people, and are left out:
``schema`` (JSON Schema) and ``extract`` (YAML), like ``--format json|csv``.
Messages (``error:``, ``warning:``) are one line each by contract (README: "Bad
input and hostile text"), so tools can read them; no usual run prints one here
but validate's codebook warnings on an unfinished area. ``--wide`` asks for every
column whatever the width, so no usual run here takes it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from graphmodel.cli import app
from graphmodel.render.tables import width_of

from conftest import FIXTURES, NORTHMOOR, SEFTON

runner = CliRunner()
DATA_OUTPUT = {("schema",), ("extract",)}
NEEDS_SERVER = {("load",)}

# Each command's usual arguments; {old} is the area as shipped, {report} its report.
USUAL: dict[tuple[str, ...], list[list[str]]] = {
    ("gaps",): [[], ["--all"]],
    ("party",): [["MASH"], ["GPs"]],
    ("org",): [["MASH"]],
    ("path",): [["MASH", "GPs"], ["GPs", "MASH"]],
    ("owners",): [[]],
    ("coverage",): [[]],
    ("commissioning",): [[]],
    ("hotspots",): [[]],
    ("compare",): [[], ["."], [".", "--all"]],  # the bundled areas; the working copy
    ("areas",): [[], ["."]],
    ("board",): [["--as-of", "2019-09-30"], ["--format", "pdf", "--as-of", "2019-09-30"]],
    ("plan",): [["--received", "2019-04-15"], ["--received", "2019-04-15", "--all"],
                ["--received", "2019-04-15", "--by", "owner"],
                ["--received", "2019-04-15", "--out", "plan.xlsx"]],
    ("plan", "import"): [["plan.xlsx"], ["plan.xlsx", "--check"]],
    ("progress",): [["--as-of", "2019-09-30"]],
    ("diff",): [["{old}", "."]],
    ("map",): [["--view", "gaps"], ["--view", "system"], ["--view", "compare", "--areas", "."]],
    ("export",): [["--to", "mermaid"], ["--to", "kumu"],
                  ["--to", "mermaid", "--view", "compare", "--areas", "."]],
    ("new",): [["fresh", "--report", "{report}"], ["copy", "--copy", "sefton"]],
    ("todo",): [[], ["--explained"]],
    ("drafts", "accept"): [],  # on a new area, below: an area as shipped has no drafts
    ("drafts", "reject"): [],
    ("validate",): [[]],
    ("extract",): [["{report}"]],
    ("schema",): [[]],
    ("load",): [],
    ("neo4j-files",): [["--out", "."]],
}


def commands(command=None, path=()) -> list[tuple[str, ...]]:
    """Every command the app offers, as its words ("plan", "import")."""
    command = command or typer.main.get_command(app)
    found = [path] if path and getattr(command, "callback", None) and (
        not hasattr(command, "commands") or getattr(command, "invoke_without_command", False)
    ) else []
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        found += commands(sub, (*path, name))
    return found


def test_every_command_has_its_usual_arguments():
    assert set(commands()) == set(USUAL)


def too_wide(result) -> list[str]:
    lines = result.stdout.splitlines() + result.stderr.splitlines()
    return [line for line in lines if width_of(line) > 80
            and not line.startswith(("error: ", "warning: "))]


@pytest.fixture(params=["sefton", "northmoor"])
def working_copy(request, monkeypatch):
    """A copy of the area in a short folder (printed paths stay short), as the working one."""
    area = SEFTON if request.param == "sefton" else NORTHMOOR
    base = Path(tempfile.mkdtemp(prefix="w", dir="/tmp"))
    shutil.copytree(area, base / "area")
    monkeypatch.chdir(base / "area")
    monkeypatch.setenv("GRAPHMODEL_CACHE", str(base / "cache"))
    yield area
    shutil.rmtree(base, ignore_errors=True)


def invoke(args: list[str]):
    return runner.invoke(app, args, env={"COLUMNS": "80"})


def test_every_command_fits_80_columns(working_copy):
    report = working_copy / "report.txt"
    if not report.is_file():
        report = next(working_copy.glob("*.txt"))
    for words, runs in USUAL.items():
        if words in DATA_OUTPUT | NEEDS_SERVER:
            continue
        for args in runs:
            args = [a.format(old=working_copy, report=report) for a in args]
            result = invoke([*words, *args])
            assert result.exit_code == 0, (words, args, result.output[-500:])
            assert too_wide(result) == [], (words, args)


def test_drafts_and_the_worklist_fit_and_keep_draft_ids_whole(monkeypatch):
    tmp_path = Path(tempfile.mkdtemp(prefix="w", dir="/tmp"))  # printed paths stay short
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GRAPHMODEL_CACHE", str(tmp_path / "cache"))
    made = invoke(["new", "calderbrook", "--report",
                   str(FIXTURES / "reports" / "calderbrook.txt")])
    assert made.exit_code == 0 and too_wide(made) == []
    monkeypatch.chdir(tmp_path / "calderbrook")
    todo = invoke(["todo"])
    assert todo.exit_code == 0 and too_wide(todo) == []
    ids = [line.split()[1] for line in todo.stdout.splitlines() if line.startswith("draft ")]
    assert "calderbrook-royal-hospital-notification-0-19-public" in ids  # whole: typeable
    for verb, draft in (("accept", ids[0]), ("reject", ids[-1])):
        done = invoke(["drafts", verb, draft])
        assert done.exit_code == 0 and too_wide(done) == [], done.output
    for args in (["gaps"], ["validate"], ["map", "--view", "system"]):
        result = invoke(args)
        assert result.exit_code == 0 and too_wide(result) == [], (args, result.output)
    shutil.rmtree(tmp_path, ignore_errors=True)


@pytest.mark.neo4j
def test_load_fits_80_columns(monkeypatch):
    if not os.environ.get("NEO4J_PASSWORD"):
        pytest.skip("needs the local Neo4j server: run the tests with bash scripts/test")
    result = invoke(["load", "--neo4j", "--model", str(NORTHMOOR)])
    assert result.exit_code == 0 and too_wide(result) == [], result.output


@pytest.mark.parametrize("words", [("progress",), ("diff",), ("todo",), ("plan",)])
def test_every_table_that_says_wide_takes_it(words, working_copy):
    """A table that leaves columns out says '--wide shows every column': it must take it."""
    args = {"progress": ["--as-of", "2019-09-30"], "diff": [str(working_copy), "."],
            "todo": [], "plan": ["--received", "2019-04-15"]}[words[0]]
    wide = invoke([*words, *args, "--wide"])
    assert wide.exit_code == 0, wide.output
    assert "left out at this width" not in wide.stdout
