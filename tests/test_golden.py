"""Whole outputs pinned, as pytm pins its report: ``gaps --format json``, the cards, and
``gaps --org`` for each organisation, for Sefton and every fixture area.

One changed weight, a flipped comparison or a dropped grouping key changes some area's
list and fails here. When a change is meant, rewrite the files with
``scripts/regenerate`` (or ``pytest tests/test_golden.py --update-golden``) and read the
diff before committing it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graphmodel.cli import app

from conftest import FIXTURES, SEFTON

GOLDEN = Path(__file__).resolve().parent / "golden"
AREAS = {"sefton": SEFTON, **{p.name: p for p in sorted((FIXTURES / "areas").iterdir())
                               if (p / "area.yaml").is_file()}}
runner = CliRunner()


def run(*args: str) -> str:
    result = runner.invoke(app, list(args), env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    return result.stdout


def organisations(folder: Path) -> list[str]:
    rows = json.loads(run("hotspots", "--model", str(folder), "-f", "json"))
    orgs = {r["organisation"]["id"] for r in rows if r["organisation"]}
    return sorted(orgs)


def outputs(folder: Path) -> dict[str, str]:
    """Each pinned output of one area, by file name."""
    out = {"gaps.json": run("gaps", "--model", str(folder), "-f", "json"),
           "gaps.txt": run("gaps", "--model", str(folder), "--all"),
           "sensitivity.json": run("gaps", "--model", str(folder), "--sensitivity",
                                   "-f", "json")}
    for org in organisations(folder):
        out[f"org/{org}.txt"] = run("gaps", "--model", str(folder), "--org", org, "--all")
    return out


@pytest.mark.parametrize("area", list(AREAS))
def test_outputs_match_the_golden_files(area, update_golden):
    got = outputs(AREAS[area])
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
