"""Problems (problems.yaml, docs/modelling.md "Problems"): the unit of the gap list.

Saltmarsh declares three problems and passes ``validate --strict``. Each test
breaks it in one way and expects the one line ``validate`` prints.
"""

from __future__ import annotations

import shutil

import pytest
from typer.testing import CliRunner

from graphmodel.cli import app
from graphmodel.model.checks import problem_flows
from graphmodel.model.load import load_area

from conftest import FIXTURES, SEFTON, edit

SALTMARSH = FIXTURES / "areas" / "saltmarsh"
runner = CliRunner()


@pytest.fixture
def salt(tmp_path):
    target = tmp_path / "saltmarsh"
    shutil.copytree(SALTMARSH, target)
    return target


def validate(folder, *extra):
    result = runner.invoke(app, ["validate", "--model", str(folder), *extra])
    lines = [ln for ln in result.stderr.splitlines() if ln.startswith(("error:", "warning:"))]
    return result.exit_code, lines


def test_saltmarsh_and_sefton_declare_every_problem():
    for folder in (SALTMARSH, SEFTON):
        code, lines = validate(folder, "--strict")
        assert (code, lines) == (0, [])


def test_the_flows_that_make_a_problem_are_failing_flows_and_broken_loops_outward_legs():
    model = load_area(SALTMARSH, warnings=False)
    assert problem_flows(model.flows) == {
        "ed-referral-to-front-door", "front-door-outcome-to-ed",  # a loop whose return fails
        "school-move-notice-to-school-nurses",  # one-way, absent
        "school-nurse-report-to-conference", "conference-minutes-to-school-nurses"}


def test_a_failing_flow_in_no_problem_is_an_error(salt):
    edit(salt / "problems.yaml", "    flows: [school-move-notice-to-school-nurses]\n",
         "    flows: [ed-referral-to-front-door, front-door-outcome-to-ed]\n")
    edit(salt / "problems.yaml", "    flows: [ed-referral-to-front-door, front-door-outcome-to-ed]\n"
         "    scope: {is: systemic, paragraph: \"1.1\",",
         "    flows: [front-door-outcome-to-ed]\n    scope: {is: systemic, paragraph: \"1.1\",")
    code, lines = validate(salt)
    assert code == 1
    assert any("flow 'school-move-notice-to-school-nurses' (absent) belongs to no problem"
               in line and "flows.yaml:" in line for line in lines), lines


def test_a_flow_in_two_problems_is_an_error(salt):
    edit(salt / "problems.yaml", "    flows: [school-move-notice-to-school-nurses]\n",
         "    flows: [school-move-notice-to-school-nurses, front-door-outcome-to-ed]\n")
    code, lines = validate(salt)
    assert code == 1
    assert any(line.startswith("error: ") and "problems.yaml:" in line
               and "problems[1].flows[1]" in line
               and "'front-door-outcome-to-ed' is already in problem 'ed-not-told-outcomes'"
               in line for line in lines), lines


def test_a_loop_split_over_two_problems_is_an_error(salt):
    edit(salt / "problems.yaml", "    flows: [ed-referral-to-front-door, front-door-outcome-to-ed]\n",
         "    flows: [front-door-outcome-to-ed]\n")
    edit(salt / "problems.yaml", "    flows: [school-move-notice-to-school-nurses]\n",
         "    flows: [school-move-notice-to-school-nurses, ed-referral-to-front-door]\n")
    code, lines = validate(salt)
    assert code == 1
    assert any("'front-door-outcome-to-ed' answers 'ed-referral-to-front-door', which is in "
               "problem 'school-moves-not-notified': a loop's two legs are one problem"
               in line for line in lines), lines


def test_an_unknown_flow_is_an_error_with_a_suggestion(salt):
    edit(salt / "problems.yaml", "    flows: [school-move-notice-to-school-nurses]\n",
         "    flows: [school-move-notice-to-school-nurse]\n")
    code, lines = validate(salt)
    assert code == 1
    assert any("'school-move-notice-to-school-nurse' is not a flow; did you mean "
               "'school-move-notice-to-school-nurses'?" in line for line in lines), lines


def test_a_claim_quote_not_in_its_paragraph_is_an_error(salt):
    edit(salt / "problems.yaml", "quote: but the minutes arrive late}",
         "quote: but the minutes never arrive}")
    code, lines = validate(salt)
    assert code == 1
    assert any("problems[2].scope.quote: quote not found in paragraph 2.1" in line
               for line in lines), lines


def test_a_claim_of_an_unknown_group_names_the_choices(salt):
    edit(salt / "problems.yaml", "{is: all_children,", "{is: everyone,")
    code, lines = validate(salt)
    assert code == 1
    assert any("problems[1].children[0].is: 'everyone' is not one of:" in line
               and "looked_after" in line for line in lines), lines


def test_an_area_without_problems_warns_and_fails_strict(salt):
    (salt / "problems.yaml").unlink()
    assert validate(salt)[0] == 0
    code, lines = validate(salt, "--strict")
    assert code == 1
    assert len(lines) == 1 and lines[0].startswith("warning: ")
    assert "flows.yaml: problems: 3 flows fail and no problem is declared" in lines[0]
    assert lines[0].endswith("[problems-undeclared]")


def test_a_single_case_quote_behind_a_systemic_scope_warns(salt):
    edit(salt / "problems.yaml", "    scope: {is: systemic, paragraph: \"2.1\", quote: but the "
         "minutes arrive late}", "    scope: {is: systemic, paragraph: \"2.1\", quote: "
         "School nurses write reports for child protection conferences}")
    edit(salt / "report.txt", "2.1 School nurses write reports", "2.1 In one case school "
         "nurses wrote reports")
    # the report changed: point the evidence at the new words
    for name in ("flows.yaml", "problems.yaml"):
        text = (salt / name).read_text(encoding="utf-8")
        text = text.replace("School nurses write reports for child protection conferences",
                            "In one case school nurses wrote reports for child protection "
                            "conferences")
        (salt / name).write_text(text, encoding="utf-8")
    runner.invoke(app, ["extract", str(salt / "report.txt"), "-o",
                        str(salt / "extracted.yaml")])
    code, lines = validate(salt, "--strict")
    assert code == 1
    assert any("problem 'conference-minutes-late' is systemic, but its quote reads as "
               "single_case" in line and "[scope-words]" in line for line in lines), lines
