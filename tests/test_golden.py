"""Whole outputs pinned, as pytm pins its report: ``gaps --format json``, the cards, and
``gaps --org`` for each organisation, for Sefton and every fixture area.

One changed weight, a flipped comparison or a dropped grouping key changes some area's
list and fails here. Every output is asked of both backends (``backend``): the folder,
and the area as Neo4j holds it, asked by id with no folder read. When a change is meant, rewrite the files with
``scripts/regenerate`` (or ``pytest tests/test_golden.py --update-golden``) and read the
diff before committing it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graphmodel.cli import app

from backends import cli_args
from conftest import FIXTURES, SEFTON

GOLDEN = Path(__file__).resolve().parent / "golden"
AREAS = {"sefton": SEFTON, **{p.name: p for p in sorted((FIXTURES / "areas").iterdir())
                               if (p / "area.yaml").is_file()}}
runner = CliRunner()


def run(*args: str) -> str:
    result = runner.invoke(app, list(args), env={"COLUMNS": "100", "NEO4J_TIMEOUT": "120"})
    assert result.exit_code == 0, result.output
    return result.stdout


def organisations(where: list[str]) -> list[str]:
    rows = json.loads(run("hotspots", *where, "-f", "json"))
    orgs = {r["organisation"]["id"] for r in rows if r["organisation"]}
    return sorted(orgs)


def outputs(where: list[str]) -> dict[str, str]:
    """Each pinned output of one area, by file name (``where``: the options naming it)."""
    out = {"gaps.json": run("gaps", *where, "-f", "json"),
           "gaps.txt": run("gaps", *where, "--all"),
           "sensitivity.json": run("gaps", *where, "--sensitivity", "-f", "json")}
    for org in organisations(where):
        out[f"org/{org}.txt"] = run("gaps", *where, "--org", org, "--all")
    return out


@pytest.mark.parametrize("area", list(AREAS))
def test_outputs_match_the_golden_files(area, backend, update_golden):
    got = outputs(cli_args(backend, AREAS[area]))
    if update_golden and backend != "networkx":
        return  # the files are written from the folder's answers, and checked on each backend
    folder = GOLDEN / area
    if update_golden:
        for name, text in got.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(text, encoding="utf-8")
        for old in folder.rglob("*"):
            if old.is_file() and str(old.relative_to(folder)) not in got:
                old.unlink()
        return
    kept = {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}
    assert kept == set(got), (f"golden files of {area} differ from the outputs: run "
                              "scripts/regenerate (or pytest --update-golden) and read the diff")
    for name, text in got.items():
        want = (folder / name).read_text(encoding="utf-8")
        assert text == want, (f"{area}/{name} changed: if that is meant, run "
                              "scripts/regenerate (or pytest --update-golden) and read the diff")
