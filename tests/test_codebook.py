"""The codebook's rules (graphmodel/codebook.py, docs/modelling.md), each tripped on a tiny model.

Saltmarsh (tests/fixtures/areas/saltmarsh) passes ``validate --strict``. Each
test breaks it in one way and expects ``validate`` to say so in one line with
file and line: errors stop the model loading (exit 1), warnings are printed and
fail only ``--strict``. The bundled Sefton model must pass ``--strict``.
"""

from __future__ import annotations

import re
import shutil

import pytest
from typer.testing import CliRunner

from graphmodel import vocab
from graphmodel.cli import app
from graphmodel.model import codebook
from graphmodel.model.load import load_area

from conftest import FIXTURES, SEFTON, edit

SALTMARSH = FIXTURES / "areas" / "saltmarsh"
runner = CliRunner()


@pytest.fixture
def harbour(tmp_path):
    """A writable copy of Saltmarsh."""
    target = tmp_path / "saltmarsh"
    shutil.copytree(SALTMARSH, target)
    return target



def validate(folder, *extra):
    result = runner.invoke(app, ["validate", "--model", str(folder), *extra])
    lines = [ln for ln in result.stderr.splitlines() if ln.startswith(("error:", "warning:"))]
    return result.exit_code, lines


FLOW = r"flows\.yaml:\d+: flows\[\d+\]"

# rule -> (file, old text, new text, the one line validate must print)
TRIPS = {
    "return-direction": (
        "flows.yaml", "  - id: gp-reply-to-childrens-services\n    from: gps",
        "  - id: gp-reply-to-childrens-services\n    from: school-nursing",
        rf"^error: .*{FLOW}\.returns: returns 'childrens-services-request-to-gps' "
        r"\(harbour-childrens-services -> gps\), but goes school-nursing -> "
        r"harbour-childrens-services: .* \[return-direction\]$"),
    "return-answers": (
        "flows.yaml", "    passes: response\n", "    passes: notification\n",
        rf"^error: .*{FLOW}\.passes: a notification cannot answer a request "
        r"\('childrens-services-request-to-gps'\); a notification answers: nothing .* "
        r"\[return-answers\]$"),
    "loop-outward-fails": (
        "flows.yaml", "    passes: request\n    status: working",
        "    passes: request\n    status: absent",
        rf"^warning: .*{FLOW}\.returns: its outward flow 'childrens-services-request-to-gps' "
        r"is absent, so nothing goes out to be answered: .* \[loop-outward-fails\]$"),
    "status-words": (
        "flows.yaml", "    passes: outcome\n    status: inconsistent",
        "    passes: outcome\n    status: absent",
        rf"^warning: .*{FLOW}\.status: coded absent, but every quote's words say inconsistent "
        r"\('not routinely'\); .* \[status-words\]$"),
    "quote-statuses": (
        "flows.yaml", "flows:\n", "flows:\n"
        "  - id: school-nurse-meetings-with-gps\n    from: school-nursing\n    to: gps\n"
        "    passes: information\n    status: inconsistent\n    summary: The same meetings.\n"
        "    evidence:\n      - paragraph: \"1.3\"\n"
        "        quote: GPs and school nurses meet each term to discuss vulnerable children.\n",
        rf"^warning: .*{FLOW}\.status: coded inconsistent, but the same quote from 1\.3 backs "
        r"gp-meetings-with-school-nurses \(working\); .* \[quote-statuses\]$"),
    "duplicate-flow": (
        "flows.yaml", "\nnot_modelled:", "  - id: gp-meetings-again\n    from: gps\n"
        "    to: school-nursing\n    passes: information\n    status: inconsistent\n"
        "    summary: The same meetings, coded again.\n    evidence:\n"
        "      - paragraph: \"1.3\"\n        quote: to discuss vulnerable children\n"
        "\nnot_modelled:",
        rf"^warning: .*{FLOW}\.status: gps -> school-nursing \(information\) is also "
        r"'gp-meetings-with-school-nurses', coded working: .* \[duplicate-flow\]$"),
    "inferred-party": (
        "flows.yaml", "    inferred: 1.2 does not say who should tell school nurses; the "
        "council holds school admissions.\n", "",
        rf"^warning: .*{FLOW}\.from: 'Saltmarsh Council' is not named in 1\.2 .* "
        r"\[inferred-party\]$"),
    "spurious-recommendation": (
        "flows.yaml", "    status: delayed\n    returns: school-nurse-report-to-conference\n"
        "    recommendations: []\n    recommendations_note: 1.1 is about the emergency "
        "department's referral outcomes.\n",
        "    status: delayed\n    returns: school-nurse-report-to-conference\n",
        rf"^warning: .*{FLOW}: inherits recommendation 1\.1 \(owners: harbour-icb\), which no "
        r"party of this flow, .* \[spurious-recommendation\]$"),
    "unmodelled-finding": (
        "flows.yaml", "\nnot_modelled:\n  - paragraph: \"1.6\"\n    why: Practitioners value "
        "feedback in general; no sender, receiver or what passes.\n", "\n",
        r"^warning: .*extracted\.yaml:\d+: findings\[5\]: finding 1\.6 speaks of information "
        r"passing \('feedback'\) but no flow cites it: .* \[unmodelled-finding\]$"),
    "role-missing": (
        "parties.yaml", "    role: front_door\n", "",
        r"^warning: .*parties\.yaml:\d+: forums\[0\]\.role: \"Saltmarsh children's front door\" "
        r"sends or receives flows but has no role: .*\(perhaps front_door, from 'front door'\)"
        r".* \[role-missing\]$"),
    "problems-undeclared": (
        "problems.yaml", None, None,  # the file deleted
        r"^warning: .*flows\.yaml: problems: 3 flows fail and no problem is declared: .* "
        r"\[problems-undeclared\]$"),
    "problem-flow-works": (
        "problems.yaml", "    flows: [school-move-notice-to-school-nurses]\n",
        "    flows: [school-move-notice-to-school-nurses, gp-meetings-with-school-nurses]\n",
        r"^warning: .*problems\.yaml:\d+: problems\[1\]\.flows\[1\]: "
        r"'gp-meetings-with-school-nurses' works and is no leg of a broken loop, so it makes no "
        r"problem: .* \[problem-flow-works\]$"),
    "scope-words": (
        "problems.yaml", "scope: {is: systemic, paragraph: \"1.1\"",
        "scope: {is: single_case, paragraph: \"1.1\"",
        r"^warning: .*problems\.yaml:\d+: problems\[0\]\.scope: problem 'ed-not-told-outcomes' "
        r"is single_case, but its quote reads as systemic: .* \[scope-words\]$"),
}


def test_saltmarsh_passes_strict():
    code, lines = validate(SALTMARSH, "--strict")
    assert (code, lines) == (0, [])


def test_every_rule_is_tripped_here():
    ids = {rule.id for rule in codebook.RULES} | {"return-answers", "return-cycle"}
    assert ids <= set(TRIPS) | {"return-cycle"}  # return-cycle has its own test below


@pytest.mark.parametrize("rule", list(TRIPS))
def test_each_rule_fails_with_one_line(harbour, rule):
    name, old, new, expected = TRIPS[rule]
    if name != "problems.yaml":  # the rule alone: a new failing flow would need a problem
        (harbour / "problems.yaml").unlink()
    if old is None:
        (harbour / name).unlink()
    else:
        edit(harbour / name, old, new)
    code, lines = validate(harbour)
    if rule != "problems-undeclared":
        lines = [ln for ln in lines if not ln.endswith("[problems-undeclared]")]
    assert len(lines) == 1, lines
    assert re.match(expected, lines[0]), lines[0]
    level = next(r.level for r in codebook.RULES if r.id == rule) \
        if rule in {r.id for r in codebook.RULES} else "error"
    if level == "error":
        assert code == 1
    else:
        assert code == 0
        assert validate(harbour, "--strict")[0] == 1


def test_a_cycle_of_returns_is_an_error(harbour):
    """A plan can answer a plan, so only the cycle itself is wrong."""
    flows = harbour / "flows.yaml"
    edit(flows, "    passes: request\n    status: working\n    expects_return: true\n",
         "    passes: plan\n    status: working\n    returns: gp-reply-to-childrens-services\n")
    edit(flows, "    passes: response\n", "    passes: plan\n")
    code, lines = validate(harbour)
    assert code == 1 and len(lines) == 1, lines  # one cycle, one line (not one per flow)
    assert re.match(rf"^error: .*{FLOW}\.returns: returns form a cycle \(([a-z-]+) -> "
                    r"[a-z-]+ -> \1\): .* \[return-cycle\]$", lines[0]), lines


def test_the_referral_sentence_names_no_party(harbour):
    """1.6 mentions Saltmarsh Council only in "brought to the attention of ... Council"."""
    edit(harbour / "flows.yaml", "\nnot_modelled:", "  - id: council-feedback-to-gps\n"
         "    from: harbour-council\n    to: gps\n    passes: information\n    status: working\n"
         "    summary: Feedback.\n    evidence:\n      - paragraph: \"1.6\"\n"
         "        quote: feedback from partner agencies helps them\n\nnot_modelled:")
    code, lines = validate(harbour)
    froms = [ln for ln in lines if "[inferred-party]" in ln]
    assert [bool(re.search(r"\.from: 'Saltmarsh Council' is not named in 1\.6", ln))
            for ln in froms] == [True, False]  # the council, then the GPs: neither is named


def test_a_party_named_in_another_sentence_is_not_named(harbour):
    """1.1 names the front door and the ED in its first sentence; the outcome flow's own
    sentence says only "these referrals" and "the department"."""
    edit(harbour / "flows.yaml", "      - paragraph: \"1.1\"\n        quote: Staff in the emergency "
         "department at Bayview General Hospital\n      - paragraph: \"1.1\"\n        quote: "
         "referrals to the children's front door\n", "")
    code, lines = validate(harbour, "--strict")
    assert code == 1 and [ln.split(": ")[2].split(".")[1] for ln in lines] == ["from", "to"]
    assert all(re.search(r"is not named in 1\.1 \(in the sentences quoted", ln) and
               "[inferred-party]" in ln for ln in lines), lines


def test_quoted_sentences_are_whole_sentences(harbour_model):
    """A quote is widened to the sentences it comes from, and no further."""
    got = codebook.quoted_sentences(harbour_model, "1.1", "not routinely sent back")
    assert got == "however, the outcome of these referrals is not routinely sent back to the " \
        "department."
    both = codebook.quoted_sentences(harbour_model, "1.1", "front door. However, the outcome")
    assert both.startswith("staff in the emergency") and both.endswith("department.")


# --- the rules' parts, on the model ---------------------------------------------------------

@pytest.fixture(scope="module")
def harbour_model():
    return load_area(SALTMARSH)


def test_a_hospital_names_the_services_in_it(harbour_model):
    """1.1 says "the emergency department at Bayview General Hospital", not the service's name."""
    ed = harbour_model.flow("ed-referral-to-front-door")
    assert codebook.unnamed_ends(harbour_model, ed) == []
    assert codebook.places(harbour_model, "bayview-ed") == ["bayview-general"]
    assert codebook.places(harbour_model, "bayview") == ["bayview-general"]


def test_a_recommendation_that_names_a_party_addresses_its_flows(harbour_model):
    """1.2 (owner: the ICB, who commissions no GP practice here) says "GP practices"."""
    flow = harbour_model.flow("gp-meetings-with-school-nurses")
    assert codebook.inherited_recommendations(harbour_model, flow) == ["1.2"]
    assert codebook.addresses(harbour_model, "1.2", flow)
    minutes = harbour_model.flow("conference-minutes-to-school-nurses")
    assert not codebook.addresses(harbour_model, "1.1", minutes)


# --- words -> status (Sefton's words) -------------------------------------------------------

@pytest.mark.parametrize("quote, status", [
    ("the outcomes of referrals are not routinely shared by children's social care",
     "inconsistent"),
    ("Inspectors did not however, see minutes of child protection conferences or child "
     "protection plans routinely secured in health records", "inconsistent"),
    ("GP practices are not always informed when children have been placed for adoption",
     "inconsistent"),
    ("Information sharing between the maternity service and the GP regarding safeguarding "
     "concerns to support joint working was found to be weak.", "inconsistent"),
    ("often are not informed when young people are subject to a child protection plan.",
     "inconsistent"),
    ("These include slow notifications from children's social care on occasion", "delayed"),
    ("adult mental health practitioners report that transition begins much later in too many "
     "cases.", "delayed"),
    ("there are delays in completed assessments being uploaded", "delayed"),
    ("ED staff do not have access to the completed assessments", "blocked"),
    ("electronic access restrictions in place prevent the children in care health team",
     "blocked"),
    ("The shared record does not work effectively.", "broken"),
    ("GP practices reported that they are not notified of MARAC", "absent"),
    ("There is currently no system in place to ensure the inclusion of the team", "absent"),
    ("CAMHS staff who were unable to identify any reports for inspectors to review.", "absent"),
    ("there was no follow up, or efforts made to liaise with other health services.", "absent"),
    ("Attendance at child protection conferences by health practitioners across Sefton is "
     "good.", "working"),
    ("GPs make appropriate referrals to children's social care.", "working"),
    # Quality that falls short is inconsistent: it passes, but not as it should.
    ("subsequent referral to children's social care, did not articulate or analyse the risk "
     "to the unborn and was largely descriptive in content.", "inconsistent"),
    ("the information shared was of little value to inform effective multi-agency decision "
     "making", "inconsistent"),
    ("the format of the templates used does not prompt the GP to articulate risk",
     "inconsistent"),
    ("the reliance on the provider's reporting is overly optimistic and lacks challenge",
     "inconsistent"),
])
def test_words_give_a_status(quote, status):
    assert codebook.quote_status(quote)[0] == status


def test_praise_with_a_negation_gives_no_status():
    """Words of praise count only in a quote with no negation: "good, but" judges nothing."""
    assert codebook.quote_status("Liaison was good but it did not last") is None


def test_statuses_in_the_word_table_are_the_vocabulary():
    assert {w.status for w in codebook.STATUS_WORDS} | {codebook.WORKING_WORDS.status} \
        == set(vocab.STATUSES)


@pytest.mark.parametrize("text, speaks", [
    ("those who attend the pupil referral unit", False),
    ("referrals to children's social care are delayed", True),
    ("the outcomes are not conveyed back", True),
    ("the receptionist alerts the nurses", True),
    ("Young people value the drop-in clinics.", False),
])
def test_information_words(text, speaks):
    assert bool(codebook.INFORMATION_WORDS.search(text)) is speaks


# --- the bundled model ----------------------------------------------------------------------

def test_sefton_passes_strict():
    code, lines = validate(SEFTON, "--strict")
    assert (code, lines) == (0, [])


def test_a_commissioner_addresses_what_it_buys_not_its_providers_other_services():
    """The CCGs buy Mersey Care's adult mental health, not its substance misuse service."""
    model = load_area(SEFTON)
    ambition = model.flow("ambition-sefton-sharing-with-school-nurses")
    assert not codebook.addresses(model, "1.4", ambition)  # the CCGs', about primary care
    assert codebook.addresses(model, "1.4", model.flow("gp-liaison-with-school-nurses"))
    assert codebook.addresses(model, "14.1", model.flow("crisis-team-handover-to-southport-ed"))


def test_sefton_records_its_inferences_and_decisions():
    """Every judgement the codebook leaves to the modeller is written down on the flow."""
    model = load_area(SEFTON)
    for flow in model.flows:
        if codebook.unnamed_ends(model, flow):
            assert flow.inferred, flow.id
        if flow.recommendations == []:
            assert flow.recommendations_note, flow.id
    assert not [n for n in model.not_modelled if not n.why.strip()]


# --- docs/modelling.md stays in step with the code and the Sefton model -----------------------

DOC = SEFTON.parent.parent / "docs" / "modelling.md"


def doc_rows(heading: str) -> list[list[str]]:
    """The cells of the table under a '## heading' of the codebook."""
    section = DOC.read_text(encoding="utf-8").split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    rows = [ln.strip().strip("|").split("|") for ln in section.splitlines()
            if ln.startswith("|") and not ln.startswith("|---")]
    return [[c.strip() for c in row] for row in rows[1:]]


def test_the_doc_status_examples_give_their_status():
    rows = doc_rows("Statuses")
    assert {r[0].strip("`") for r in rows} == set(vocab.STATUSES)
    for status, _, example in rows:
        quote = re.search(r"“(.+)”", example).group(1)
        assert codebook.quote_status(quote)[0] == status.strip("`"), example


def test_the_doc_examples_from_the_untuned_reports_are_theirs_and_give_their_status():
    """Rows learnt from reports no one tuned the rules to quote them: "“words” (Area 4.6)"."""
    from graphmodel.model.checks import paragraph_texts
    from graphmodel.names import fold
    found = 0
    for status, _, example in doc_rows("Statuses"):
        for quote, area, paragraph in re.findall(r"“([^”]+)” \((\w+) ([\w:.]+)\)", example):
            model = load_area(SEFTON.parent.parent / "tests" / "fixtures" / "areas" / area.lower())
            assert fold(quote) in paragraph_texts(model.findings, model.extraction)[paragraph]
            assert codebook.quote_status(quote)[0] == status.strip("`"), quote
            found += 1
    assert found >= 7


def test_the_doc_answers_table_is_the_vocabulary():
    table = {row[0].strip("`"): row[1] for row in doc_rows("Loops") if len(row) == 2}
    assert table.keys() == vocab.PASSES.keys()
    for name, cell in table.items():
        assert re.findall(r"`(\w+)`", cell) == list(vocab.PASSES[name].answers), name


def test_the_doc_lists_every_rule_and_severity():
    rules = {row[0].strip("`"): row[1] for row in doc_rows("The checks")}
    assert rules == {**{r.id: r.level for r in codebook.RULES},
                     "return-answers": "error", "return-cycle": "error"}
    assert [row[0] for row in doc_rows("Severity")] == list(vocab.SEVERITIES)


def test_the_doc_quotes_the_report_and_names_real_flows():
    model = load_area(SEFTON)
    from graphmodel.model.checks import paragraph_texts
    from graphmodel.names import fold
    texts = paragraph_texts(model.findings, model.extraction)
    doc = DOC.read_text(encoding="utf-8")
    quoted = re.findall(r"(\d+(?:\.\d+)+|case:\d+\.\d+):? “([^”]+)”", doc)
    assert len(quoted) >= 15  # the pattern still finds the quotes
    for paragraph, quote in quoted:
        for part in fold(quote).split(" ... "):
            assert part.strip(". ") in texts[paragraph], (paragraph, part)
    known = {f.id for f in model.flows} | set(model.parties) | {
        r.id for r in codebook.RULES} | {"return-answers", "return-cycle"}
    for name in re.findall(r"`([a-z0-9]+(?:-[a-z0-9]+)+)(?:-\*)?`", doc):
        assert name in known or any(k.startswith(name) for k in known), name
