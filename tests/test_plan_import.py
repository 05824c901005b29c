"""The owners' workbook back into actions.yaml, and progress against it."""

from __future__ import annotations

import datetime
import io
import shutil

import pytest
from openpyxl import load_workbook
from test_workbook import soffice

from graphmodel.api import load_model, open_area
from graphmodel.errors import ModelError
from graphmodel.plan.build import build_plan
from graphmodel.plan.importer import import_workbook, validate_actions
from graphmodel.plan.progress import progress_state
from graphmodel.plan.workbook import plan_workbook

D = datetime.date


def workbook_of(folder, **options) -> bytes:
    area = open_area(folder)
    return plan_workbook(build_plan(area.graph, area.gaps(), **options), "test")


def fill(data: bytes, rows: dict[str, dict[str, object]], extra: list[dict] = ()) -> bytes:
    """Fill the Plan sheet's cells by recommendation and header; add rows at the bottom."""
    book = load_workbook(io.BytesIO(data))
    ws = book["Plan"]
    col = {c.value: c.column for c in ws[2]}
    for r in range(3, ws.max_row + 1):
        for header, value in rows.get(ws.cell(r, col["Rec."]).value, {}).items():
            ws.cell(r, col[header], value)
    for values in extra:
        r = ws.max_row + 1
        for header, value in values.items():
            ws.cell(r, col[header], value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


FILLED = {
    "1.2": {"Action owner": "NCCG", "Action": "Agree outcome letters with social care",
            "Lead": "Designated nurse", "Due date": datetime.datetime(2019, 6, 30),
            "Status": "done", "Measure of success": "Audit: 90% of referrals get an outcome"},
    "3.1": {"Action": "Answer every MASH request", "Due date": "31/05/2019",
            "Status": "In progress", "Flows it fixes": ""},
    "1.1": {"Action owner": "Northmoor Borough Council", "Action": "Notify school nurses",
            "Status": "not started"},
}


def do_import(area_dir, data: bytes, label="plan.xlsx"):
    done = import_workbook(open_area(area_dir), data, label)
    if done.changed:
        validate_actions(area_dir, done.text)
        done.path.write_text(done.text, encoding="utf-8")
    return done


def test_import_writes_actions_the_loader_accepts_and_twice_changes_nothing(area_copy):
    data = fill(workbook_of(area_copy), FILLED)
    first = do_import(area_copy, data)
    assert first.changed and first.actions == 3
    text = (area_copy / "actions.yaml").read_text()
    second = do_import(area_copy, data)
    assert not second.changed and (area_copy / "actions.yaml").read_text() == text
    actions = load_model(area_copy).actions
    assert [(a.recommendation, a.owner, a.status) for a in actions] == [
        ("1.1", "northmoor-council", "not_started"), ("1.2", "northmoor-ccg", "done"),
        ("3.1", "brightpath", "in_progress")]
    by_rec = {a.recommendation: a for a in actions}
    assert by_rec["1.2"].due == D(2019, 6, 30) and by_rec["3.1"].due == D(2019, 5, 31)
    assert by_rec["1.2"].fixes == ["csc-outcome-to-gp", "missing-education-notice"]
    assert by_rec["3.1"].fixes == []  # the owner emptied the cell
    assert by_rec["1.1"].fixes == ["missing-education-notice"]
    assert by_rec["1.2"].lead == "Designated nurse"


def test_a_plan_made_again_shows_the_actions_and_imports_unchanged(area_copy):
    do_import(area_copy, fill(workbook_of(area_copy), FILLED))
    again = workbook_of(area_copy)
    ws = load_workbook(io.BytesIO(again))["Plan"]
    action = next(c.column for c in ws[2] if c.value == "Action")
    actions = [ws.cell(r, action).value for r in range(3, ws.max_row + 1)]
    assert "Agree outcome letters with social care" in actions
    assert not do_import(area_copy, again).changed


def test_bad_cells_are_one_line_each_and_nothing_is_written(area_copy):
    bad = fill(workbook_of(area_copy), {
        "1.2": {"Action owner": "NCCG", "Action": "x", "Due date": "31/02/2019"},
        "3.1": {"Action": "y", "Status": "finished"},
        "2.1": {"Action": "z", "Action owner": "Brightpath", "Flows it fixes": "no-such-flow"},
        "1.1": {"Action": "w"},  # two owners and none named
    }, extra=[{"Rec.": "9.9", "Action": "an action for a recommendation nobody made"}])
    with pytest.raises(ModelError) as err:
        do_import(area_copy, bad)
    lines = str(err.value).splitlines()
    assert len(lines) == 5
    assert all(line.startswith("plan.xlsx: sheet 'Plan', row ") for line in lines)
    text = "\n".join(lines)
    assert "column 'Due date': '31/02/2019' is not a date" in text
    assert "column 'Status': 'finished' is not a status: choose not started, in progress" in text
    assert "column 'Flows it fixes': no flow 'no-such-flow'" in text
    assert "column 'Action owner': empty: say which organisation leads this action " \
           "(NHS Northmoor CCG or Northmoor Borough Council)" in text
    assert "row 7, column 'Rec.': no recommendation 9.9 in this report" in text
    assert not (area_copy / "actions.yaml").exists()


def test_a_workbook_of_another_area_or_not_a_workbook(area_copy, tmp_path):
    with pytest.raises(ModelError, match="is not an Excel workbook"):
        import_workbook(open_area(area_copy), b"not a zip", "plan.xlsx")
    other = tmp_path / "other"
    shutil.copytree(area_copy, other)
    area_yaml = other / "area.yaml"
    area_yaml.write_text(area_yaml.read_text().replace("id: northmoor", "id: southmoor"))
    with pytest.raises(ModelError, match="is the plan of area 'southmoor', not 'northmoor'"):
        import_workbook(open_area(area_copy), workbook_of(other), "plan.xlsx")


def test_one_owners_part_keeps_the_others_actions(area_copy):
    do_import(area_copy, fill(workbook_of(area_copy), FILLED))
    part = fill(workbook_of(area_copy, org="brightpath"),
                {"3.1": {"Status": "done", "Evidence of completion": "Audit report"}})
    done = do_import(area_copy, part)
    assert done.changed and done.kept == 2
    actions = {a.recommendation: a for a in load_model(area_copy).actions}
    assert actions["3.1"].status == "done" and actions["3.1"].evidence == "Audit report"
    assert actions["1.2"].status == "done" and len(actions) == 3
    foreign = fill(workbook_of(area_copy, org="brightpath"),
                   {"2.1": {"Action owner": "Westshire and Dale Partnership NHS Foundation "
                                            "Trust", "Action": "Sign the protocol"}})
    with pytest.raises(ModelError, match="this workbook is the part of Brightpath"):
        do_import(area_copy, foreign)


def test_the_loader_checks_actions_yaml(area_copy):
    (area_copy / "actions.yaml").write_text(
        "actions:\n  - recommendation: '9.9'\n    owner: brightpath\n    action: x\n"
        "  - recommendation: '3.1'\n    owner: brightpath\n    action: y\n"
        "    status: finished\n")
    with pytest.raises(ModelError) as err:
        load_model(area_copy)
    text = str(err.value)
    assert "actions.yaml:8: actions[1].status: 'finished' is not one of" in text


# --- progress ----------------------------------------------------------------------------

def test_progress_per_owner_recommendation_and_gap(area_copy):
    do_import(area_copy, fill(workbook_of(area_copy), FILLED))
    area = open_area(area_copy)
    state = progress_state(area.graph, D(2019, 6, 1), area.gaps())
    owners = {r["owner"]["id"]: r for r in state["owners"]}
    assert (owners["brightpath"]["in_progress"], owners["brightpath"]["overdue"]) == (1, 1)
    assert (owners["northmoor-ccg"]["done"], owners["northmoor-ccg"]["overdue"]) == (1, 0)
    gaps = {g["id"]: g["state"] for g in state["gaps"]}
    assert gaps == {"gp-referral+csc-outcome-to-gp": "closed",
                    # its action answers 3.1, though it names no flow it fixes
                    "mash-request-camhs+camhs-response-mash": "open",
                    # 1.2's action is done, but 1.1's, meant to fix it too, is not
                    "missing-education-notice": "open",
                    "school-nurse-records-to-gp": "no_action"}
    s = state["summary"]
    assert (s["loops_closed"], s["loops_open"], s["gaps_closed"], s["gaps_open"],
            s["gaps_no_action"]) == (1, 1, 0, 1, 1)
    assert [a["recommendation"] for a in state["overdue"]] == ["3.1"]
    earlier = progress_state(area.graph, D(2019, 5, 31), area.gaps())
    assert earlier["overdue"] == []  # due that day is not yet overdue
    actions = area_copy / "actions.yaml"
    actions.write_text(actions.read_text().replace("status: not_started", "status: verified"))
    area = open_area(area_copy)
    later = progress_state(area.graph, D(2019, 6, 1), area.gaps())
    assert {g["id"]: g["state"] for g in later["gaps"]}["missing-education-notice"] == "closed"


def test_progress_with_no_actions(northmoor_graph):
    state = progress_state(northmoor_graph, D(2020, 1, 1))
    assert state["summary"]["actions"] == 0
    assert {g["state"] for g in state["gaps"]} == {"no_action"}


@pytest.mark.libreoffice
def test_a_workbook_saved_by_libreoffice_imports(area_copy, tmp_path):
    """Owners may save the plan from LibreOffice: its sheets, dates and lists survive."""
    (tmp_path / "plan.xlsx").write_bytes(fill(workbook_of(area_copy), FILLED))
    out = tmp_path / "saved"
    done = soffice("--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out),
                   "plan.xlsx", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    saved = (out / "plan.xlsx").read_bytes()
    assert do_import(area_copy, saved).actions == 3
    assert not do_import(area_copy, fill(workbook_of(area_copy), FILLED)).changed


def test_by_owner_after_an_import_shows_each_owners_actions(area_copy):
    do_import(area_copy, fill(workbook_of(area_copy), FILLED))
    area = open_area(area_copy)
    rows = build_plan(area.graph, area.gaps(), by_owner=True)["recommendations"]
    got = [(r["owner"]["id"], r["id"], r["action"]) for r in rows if r["id"] in ("1.1", "1.2")]
    assert got == [("northmoor-ccg", "1.2", "Agree outcome letters with social care"),
                   ("northmoor-ccg", "1.1", None),
                   ("northmoor-council", "1.2", None),
                   ("northmoor-council", "1.1", "Notify school nurses")]
