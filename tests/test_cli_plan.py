"""The after-the-report commands: plan, plan import, progress, gaps --assume-done."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest
from openpyxl import load_workbook
from test_plan_import import FILLED, fill
from typer.testing import CliRunner

from graphmodel.cli import app

from conftest import NORTHMOOR, ROOT

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_plan_on_the_terminal_is_a_fitted_table_and_markdown_on_request():
    result = runner.invoke(app, ["plan", "--received", "15/04/2019"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("Action plan: Sefton\n") and "  Due: 2019-05-16" in out
    assert "The plan: 49 rows, worst gap first (the first 20 shown)" in out
    assert "What no recommendation covers" in out
    assert max(len(line) for line in out.splitlines()) <= 80  # was 2,873 (issue 18)
    header = next(line for line in out.splitlines() if line.startswith("Rec."))
    assert header.split()[:2] == ["Rec.", "Recommendation"] and "Due date" in header
    md = run("plan", "--received", "15/04/2019", "-f", "markdown").stdout
    assert md.startswith("# Action plan: Sefton\n") and "- **Due**: 2019-05-16" in md
    assert "### The plan: 49 rows, worst gap first" in md
    assert "### What no recommendation covers" in md


def test_plan_json_and_csv():
    data = json.loads(run("plan", "-m", NORTHMOOR, "-f", "json").stdout)
    assert set(data) == {"cover", "layout", "recommendations", "not_covered"}
    assert [r["id"] for r in data["recommendations"]] == ["1.2", "3.1", "1.1", "2.1"]
    rows = list(csv.DictReader(io.StringIO(run("plan", "-m", NORTHMOOR, "-f", "csv").stdout)))
    assert [r["Part"] for r in rows] == ["plan"] * 4 + ["Problem with no recommendation",
                                                        "Outside CQC's review",
                                                        "Public health referral"]
    assert rows[0]["Rec."] == "1.2" and rows[0]["Worst gap"] == "critical (#1)"


def test_plan_xlsx_by_format_or_suffix(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "plan.xlsx"
    result = run("plan", "-m", NORTHMOOR, "--org", "NCCG", "--by", "owner", "--out", out)
    assert result.exit_code == 0, result.output
    ws = load_workbook(out)["Plan"]
    assert [ws.cell(r, 1).value for r in range(3, ws.max_row + 1)] == ["NHS Northmoor CCG"] * 2
    default = runner.invoke(app, ["plan", "-m", str(NORTHMOOR), "-f", "xlsx"])
    assert default.exit_code == 0
    assert default.stderr.strip() == str(tmp_path / "northmoor-action-plan.xlsx")


def test_plan_bad_options_are_one_line():
    bad_date = run("plan", "-m", NORTHMOOR, "--received", "31/02/2019")
    assert bad_date.exit_code == 2
    assert bad_date.stderr == ("error: --received '31/02/2019': not a date; write it as "
                               "2026-03-31 or 31/03/2026\n")
    bad_org = run("plan", "-m", NORTHMOOR, "--org", "Brightpth")
    assert bad_org.exit_code == 2 and "closest: Brightpath" in bad_org.stderr


def test_plan_import_then_progress(area_copy, tmp_path):
    book = tmp_path / "plan.xlsx"
    assert run("plan", "-m", area_copy, "-o", book).exit_code == 0
    book.write_bytes(fill(book.read_bytes(), FILLED))
    check = run("plan", "import", book, "-m", area_copy, "--check")
    assert check.exit_code == 0 and "would change (3 actions" in check.stdout
    assert not (area_copy / "actions.yaml").exists()
    first = run("plan", "import", book, "-m", area_copy)
    assert first.exit_code == 0, first.output
    again = run("plan", "import", book, "-m", area_copy)
    assert "unchanged (3 actions from plan.xlsx)" in again.stdout
    late = run("progress", "-m", area_copy, "--as-of", "2019-06-01", "--fail-on", "overdue")
    assert late.exit_code == 1
    assert late.stdout.startswith("Northmoor: progress on 2019-06-01: 3 actions, 1 done, "
                                  "1 in progress, 1 overdue")
    early = run("progress", "-m", area_copy, "--as-of", "2019-05-01", "--fail-on", "overdue")
    assert early.exit_code == 0
    state = json.loads(run("progress", "-m", area_copy, "--as-of", "2019-06-01",
                           "-f", "json").stdout)
    assert state["summary"]["loops_closed"] == 1


def test_plan_import_errors_write_nothing(area_copy, tmp_path):
    book = tmp_path / "plan.xlsx"
    run("plan", "-m", area_copy, "-o", book)
    book.write_bytes(fill(book.read_bytes(), {"3.1": {"Action": "x", "Status": "half done"}}))
    result = run("plan", "import", book, "-m", area_copy)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"error: {book}: sheet 'Plan', row 4, column 'Status': 'half done' is not a status: "
        "choose not started, in progress, done, verified"]
    assert not (area_copy / "actions.yaml").exists()
    missing = run("plan", "import", tmp_path / "none.xlsx", "-m", area_copy)
    assert missing.exit_code == 1 and "workbook not found" in missing.stderr


def test_progress_with_no_actions_yet():
    result = run("progress", "-m", NORTHMOOR, "--as-of", "2020-01-01")
    assert result.exit_code == 0
    assert "No actions yet" in result.stdout


def test_gaps_assume_done_all_lists_the_unaddressed():
    every = json.loads(run("gaps", "-f", "json").stdout)
    left = json.loads(run("gaps", "--assume-done", "all", "-f", "json").stdout)
    assert [g["id"] for g in left] == [g["id"] for g in every if not g["recommendations"]]
    some = run("gaps", "-m", NORTHMOOR, "--assume-done", "1.2,3.1")
    assert some.stdout.startswith("Northmoor: 2 information-sharing gaps, in priority order "
                                  "(after delivering 1.2, 3.1)\n\n3. HIGH \u00b7 gap")  # ranks kept
    assert run("gaps", "--assume-done", "99.1").exit_code == 2


@pytest.mark.parametrize("command", [["gaps", "-f", "json"]])
def test_gaps_never_imports_openpyxl_or_holidays(command):
    code = ("import sys; from graphmodel.cli import main; "
            f"sys.argv=['graphmodel', *{command!r}];\n"
            "try: main()\nexcept SystemExit: pass\n"
            "bad=[m for m in ('openpyxl','holidays','graphmodel.plan.build') if m in sys.modules]\n"
            "sys.stderr.write(repr(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.stderr.strip().endswith("[]"), out.stderr[-300:]
