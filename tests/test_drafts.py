"""Drafted flows: sentences -> proposed flows with their quote, confidence and why."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from graphmodel.authoring.drafting import draft_flows
from graphmodel.cli import app
from graphmodel.errors import ModelError, UsageError
from graphmodel.model.load import load_area
from graphmodel.model.schema import Finding
from graphmodel.names import fold

runner = CliRunner()
PARTIES = [
    ("gp-practices", "Kirkdale GP practices", ["GPs", "GP practices"]),
    ("kirkdale-csc", "Kirkdale children's social care", ["children's social care"]),
    ("mash", "Multi-Agency Safeguarding Hub", ["MASH"]),
    ("cp-conferences", "Child protection conferences", ["child protection conferences"]),
    ("school-nursing", "School nursing", ["school nurses"]),
]


def finding(pid: str, text: str) -> Finding:
    return Finding(id=pid, section="1 Early help", line=1, text=text)


def drafts_of(*texts: str):
    return draft_flows([finding(f"1.{n}", t) for n, t in enumerate(texts, 1)], PARTIES)


def test_a_referral_to_a_named_party():
    [d] = drafts_of("GPs make timely referrals to children's social care.")
    assert (d.from_, d.to, d.passes, d.status) == ("gp-practices", "kirkdale-csc", "referral",
                                                   "working")
    assert d.confidence == "high" and "'referrals' -> referral" in d.why
    assert d.quote == "GPs make timely referrals to children's social care."


def test_outcomes_not_shared_pair_with_the_referral_as_a_loop():
    out, back = drafts_of("The outcomes of referrals are not shared with GPs by children's "
                          "social care.")
    assert (out.from_, out.to, out.passes, out.expects_return) == (
        "gp-practices", "kirkdale-csc", "referral", True)
    assert (back.from_, back.to, back.passes, back.status, back.returns) == (
        "kirkdale-csc", "gp-practices", "outcome", "absent", out.id)


def test_each_leg_of_a_loop_takes_the_status_of_its_own_clause():
    out, back = drafts_of("GP practices refer to the MASH, but they do not receive outcomes.")
    assert (out.from_, out.to, out.status) == ("gp-practices", "mash", "working")
    assert (back.from_, back.to, back.status) == ("mash", "gp-practices", "absent")


def test_invited_to_a_conference_runs_from_the_conference():
    [d] = drafts_of("GPs are not routinely invited to child protection conferences.")
    assert (d.from_, d.to, d.passes, d.status) == ("cp-conferences", "gp-practices",
                                                   "invitation", "inconsistent")


def test_a_missing_end_comes_from_the_paragraph_with_low_confidence():
    drafts = drafts_of("School nurses attend the MASH meetings. Referrals are not always "
                       "acknowledged by the MASH.")
    last = drafts[-1]
    assert last.confidence == "low" and "named elsewhere in the paragraph" in last.why
    assert {last.from_, last.to} == {"school-nursing", "mash"}


def test_sentences_that_name_no_party_or_pass_nothing_give_no_draft():
    assert drafts_of("Information sharing is effective across the area.",
                     "GPs are well trained.") == []


def test_ids_stay_unique_and_one_paragraph_gives_one_draft_per_flow():
    drafts = drafts_of("GPs refer to the MASH. GPs make referrals to the MASH.",
                       "GPs refer to the MASH.")
    assert [d.id for d in drafts] == ["gp-practices-referral-mash",
                                      "gp-practices-referral-mash-2"]
    assert [d.paragraph for d in drafts] == ["1.1", "1.2"]


@pytest.mark.parametrize("quote, status", [
    ("GP practices do not yet receive safeguarding updates from the named GP.", "absent"),
    ("a GP practice did not respond to a request for six weeks", "absent"),
    ("CAMHS do not routinely respond to requests graded green", "inconsistent"),
])
def test_codebook_words_added_for_drafting(quote, status):
    from graphmodel.model.codebook import quote_status
    assert quote_status(quote)[0] == status


def test_quotes_always_occur_in_their_paragraph():
    text = ("Midwives share  information\nwell with GPs. The MASH’s requests to school nurses "
            "are answered late.")
    for d in drafts_of(text):
        assert d.quote in fold(text)


# --- drafts in a model: checked, left out of gaps unless asked, accepted, rejected ------------

DRAFTS = """\
# Drafts to review.
drafts:
  # The return leg first: accepting keeps this comment.
  - id: mash-outcome-to-ed
    from: mash
    to: northmoor-ed
    passes: outcome
    status: absent
    summary: The MASH does not tell the ED what happened.
    confidence: medium
    why: "'outcome' -> outcome"
    evidence:
      - paragraph: "2.2"
        quote: Referrals from the emergency department
  - id: school-nurse-referral
    from: school-nursing
    to: mash
    passes: referral
    status: working
    summary: School nurses refer to the MASH.
    confidence: low
    why: "'refer' -> referral"
    evidence:
      - paragraph: "1.3"
        quote: School nurses do not receive notifications
"""


@pytest.fixture
def drafted(area_copy):
    (area_copy / "drafts.yaml").write_text(DRAFTS, encoding="utf-8")
    return area_copy


def test_drafts_are_checked_like_flows(drafted):
    text = (drafted / "drafts.yaml").read_text(encoding="utf-8")
    (drafted / "drafts.yaml").write_text(text.replace("to: mash\n", "to: mahs\n"),
                                         encoding="utf-8")
    with pytest.raises(ModelError, match=r"drafts\.yaml:\d+: drafts\[1\]\.to: unknown id "
                                         r"'mahs'; did you mean 'mash'"):
        load_area(drafted)


def test_a_draft_may_not_take_a_flows_id(drafted):
    text = (drafted / "drafts.yaml").read_text(encoding="utf-8")
    (drafted / "drafts.yaml").write_text(text.replace("id: school-nurse-referral",
                                                      "id: gp-referral"), encoding="utf-8")
    with pytest.raises(ModelError, match=r"drafts\[1\]\.id: duplicate id 'gp-referral'"):
        load_area(drafted)


def test_gaps_leave_drafts_out_unless_asked(drafted, tmp_path, monkeypatch):
    monkeypatch.setenv("GRAPHMODEL_CACHE", str(tmp_path / "cache"))
    import json
    plain = runner.invoke(app, ["gaps", "--model", str(drafted), "-f", "json"])
    with_drafts = runner.invoke(app, ["gaps", "--model", str(drafted), "-f", "json",
                                      "--include-drafts"])
    assert plain.exit_code == 0 and with_drafts.exit_code == 0, with_drafts.output
    ids = lambda out: {leg for row in json.loads(out) for leg in row["id"].split("+")}  # noqa
    assert "mash-outcome-to-ed" not in ids(plain.stdout)
    assert "mash-outcome-to-ed" in ids(with_drafts.stdout)


def test_open_area_marks_drafts(drafted, tmp_path, monkeypatch):
    monkeypatch.setenv("GRAPHMODEL_CACHE", str(tmp_path / "cache"))
    from graphmodel.api import open_area
    assert "mash-outcome-to-ed" not in open_area(drafted).graph
    G = open_area(drafted, include_drafts=True).graph
    assert G.nodes["mash-outcome-to-ed"]["draft"] is True
    assert "draft" not in G.nodes["gp-referral"]


def test_accept_moves_drafts_keeping_comments_and_order(drafted):
    before = (drafted / "flows.yaml").read_text(encoding="utf-8")
    result = runner.invoke(app, ["drafts", "accept", "school-nurse-referral",
                                 "mash-outcome-to-ed", "--model", str(drafted)])
    assert result.exit_code == 0, result.output
    assert "2 draft(s) accepted into flows.yaml" in result.output
    flows = (drafted / "flows.yaml").read_text(encoding="utf-8")
    assert flows.startswith(before.rstrip("\n"))  # what was there stays as it was
    assert "# The return leg first: accepting keeps this comment." in flows
    assert flows.index("id: mash-outcome-to-ed") < flows.index("id: school-nurse-referral")
    assert "confidence:" not in flows and "why:" not in flows
    left = (drafted / "drafts.yaml").read_text(encoding="utf-8")
    assert left.startswith("# Drafts to review.\ndrafts: []") or "- id" not in left
    model = load_area(drafted)
    assert {"school-nurse-referral", "mash-outcome-to-ed"} <= {f.id for f in model.flows}
    assert not model.drafts


def test_reject_drops_a_draft_and_unknown_ids_are_refused(drafted):
    from graphmodel.authoring.yaml_edit import move_drafts
    assert move_drafts(drafted, ["school-nurse-referral"], accept=False) == (
        ["school-nurse-referral"], 1)
    with pytest.raises(UsageError, match="no draft 'mash-outcome-to-e' in drafts.yaml; did "
                                         "you mean 'mash-outcome-to-ed'"):
        move_drafts(drafted, ["mash-outcome-to-e"], accept=True)
    assert "school-nurse-referral" not in (drafted / "flows.yaml").read_text(encoding="utf-8")


def test_a_return_is_accepted_with_its_outward_draft(drafted):
    from graphmodel.authoring.yaml_edit import move_drafts
    text = (drafted / "drafts.yaml").read_text(encoding="utf-8")
    (drafted / "drafts.yaml").write_text(text.replace(
        "    status: absent\n", "    status: absent\n    returns: school-nurse-referral\n"),
        encoding="utf-8")
    with pytest.raises(UsageError, match="accept both together"):
        move_drafts(drafted, ["mash-outcome-to-ed"], accept=True)


def test_an_accepted_draft_that_does_not_check_moves_nothing(drafted):
    text = (drafted / "drafts.yaml").read_text(encoding="utf-8")
    flows = (drafted / "flows.yaml").read_text(encoding="utf-8")
    (drafted / "drafts.yaml").write_text(text.replace(
        "quote: Referrals from the emergency department",
        "quote: Referrals from the emergency departments"), encoding="utf-8")
    result = runner.invoke(app, ["drafts", "accept", "mash-outcome-to-ed", "--model",
                                 str(drafted)])
    assert result.exit_code == 1 and "quote not found in paragraph 2.2" in result.stderr
    assert (drafted / "flows.yaml").read_text(encoding="utf-8") == flows
    assert "id: mash-outcome-to-ed" in (drafted / "drafts.yaml").read_text(encoding="utf-8")


# --- how much the drafts propose (the figures: benchmarks/bench_drafts.py) ----------------------

def test_drafts_propose_most_paragraphs_sefton_cites(sefton_model):
    from graphmodel.authoring.new_area import propose

    from conftest import SEFTON
    proposal = propose(SEFTON.joinpath("report.txt").read_text(encoding="utf-8"), SEFTON)
    cited = {e.paragraph for f in sefton_model.flows for e in f.evidence}
    drafted = {d.paragraph for d in proposal.drafts}
    assert len(cited & drafted) / len(cited) >= 0.8
    assert len(cited & drafted) / len(drafted) >= 0.7


@pytest.mark.parametrize("name", ["harbourside", "calderbrook"])
def test_invented_areas_are_finished(name):
    from graphmodel.authoring.worklist import worklist

    from conftest import FIXTURES
    model = load_area(FIXTURES / "areas" / name)
    assert len(model.findings) >= 20 and len(model.flows) >= 25 and not model.drafts
    assert not [r for r in worklist(model) if r["action"]]
    assert not model.problems  # every codebook warning was dealt with in review
    result = runner.invoke(app, ["gaps", "--model", str(FIXTURES / "areas" / name), "-f",
                                 "json"])
    assert result.exit_code == 0 and result.stdout.startswith("[")


def test_map_draws_drafts_only_when_asked(drafted, tmp_path, monkeypatch):
    monkeypatch.setenv("GRAPHMODEL_CACHE", str(tmp_path / "cache"))
    plain, with_drafts = tmp_path / "plain.html", tmp_path / "drafts.html"
    for out, extra in ((plain, []), (with_drafts, ["--include-drafts"])):
        result = runner.invoke(app, ["map", "--view", "system", "--model", str(drafted),
                                     "-o", str(out), *extra])
        assert result.exit_code == 0, result.output
    assert "mash-outcome-to-ed" not in plain.read_text(encoding="utf-8")
    assert "mash-outcome-to-ed" in with_drafts.read_text(encoding="utf-8")


# --- drafting beyond the rules' first reports (issue 20) ----------------------------------

MORE = [*PARTIES, ("cpis", "Child Protection Information Sharing", ["CP-IS"]),
        ("ed", "Emergency department", ["ED"]),
        ("kirkdale-council", "Kirkdale Council", ["council"])]


def more_drafts(*texts: str):
    return draft_flows([finding(f"1.{n}", t) for n, t in enumerate(texts, 1)], MORE,
                       systems={"cpis"})


@pytest.mark.parametrize("sentence, hint", [
    ("School nurses receive information from GPs only on request.", "only"),
    ("GPs send reports to child protection conferences, but they are brief.", "but"),
    ("Information from the MASH reaches school nurses without the plan.", "without"),
])
def test_a_failure_word_the_codebook_lacks_is_never_drafted_working(sentence, hint):
    [d] = more_drafts(sentence)
    assert d.status == "needs_review" and f"{hint!r} says it falls short" in d.why
    assert "status to review" in d.summary


def test_a_plain_statement_is_working_and_a_codebook_word_gives_its_status():
    [plain] = more_drafts("GPs share information with school nurses.")
    [seldom] = more_drafts("School nurses are seldom invited to child protection conferences.")
    assert plain.status == "working" and "no word of falling short" in plain.why
    assert seldom.status == "inconsistent" and "'seldom'" in seldom.why


def test_a_flow_judged_in_the_next_sentence_quotes_both():
    [d] = more_drafts("GPs are asked to provide reports to child protection conferences. "
                      "Return rates are low.")
    assert (d.from_, d.to, d.passes, d.status) == ("gp-practices", "cp-conferences", "report",
                                                   "inconsistent")
    assert d.quote.endswith("Return rates are low.") and d.confidence == "low"
    assert "judged in the next sentence" in d.why


def test_each_listed_receiver_gets_a_draft():
    drafts = more_drafts("The MASH notifies the school nurses and the GPs of each contact.")
    assert sorted(d.to for d in drafts) == ["gp-practices", "school-nursing"]


def test_a_record_system_is_read_by_whoever_checks_it():
    [d] = more_drafts("Staff in the ED do not routinely check CP-IS.")
    assert (d.from_, d.to, d.passes, d.status) == ("cpis", "ed", "record_access",
                                                   "inconsistent")


@pytest.mark.parametrize("sentence", [
    "School nurses receive monthly supervision from the MASH.",
    "GPs told us that children's social care is responsive.",
    "The MASH held a strategy discussion and the child became subject to a child protection "
    "plan.",
])
def test_sentences_that_pass_nothing_between_parties(sentence):
    assert more_drafts(sentence) == []


def test_the_council_by_its_short_name():
    [d] = more_drafts("Minutes are sent by the council to school nurses.")
    assert (d.from_, d.to) == ("kirkdale-council", "school-nursing")


def test_the_public_health_referral_is_no_party_of_the_finding():
    parties = [*MORE, ("kirkdale-council-public-health", "Kirkdale Council public health team",
                       ["Kirkdale Council's public health commissioners"])]
    drafts = draft_flows([finding("1.1", "School nurses are not told of births. This matter "
                                  "will be drawn to the attention of Kirkdale Council's "
                                  "public health commissioners.")], parties)
    assert drafts == []


NEEDS_REVIEW = DRAFTS.replace("    status: working\n    summary: School nurses refer",
                              "    status: needs_review\n    summary: School nurses refer")


def test_accept_refuses_a_draft_that_needs_review(drafted):
    (drafted / "drafts.yaml").write_text(NEEDS_REVIEW, encoding="utf-8")
    before = (drafted / "flows.yaml").read_text(encoding="utf-8")
    result = runner.invoke(app, ["drafts", "accept", "school-nurse-referral", "--model",
                                 str(drafted)])
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith(f"error: {drafted / 'drafts.yaml'}:19: drafts[1].status: draft "
                           "'school-nurse-referral' needs review")
    assert "set its status to one of working, inconsistent" in line
    assert (drafted / "flows.yaml").read_text(encoding="utf-8") == before
    runner.invoke(app, ["drafts", "reject", "school-nurse-referral", "--model", str(drafted)])
    assert "school-nurse-referral" not in (drafted / "drafts.yaml").read_text(encoding="utf-8")


def test_validate_refuses_needs_review_in_flows(drafted):
    (drafted / "drafts.yaml").write_text(NEEDS_REVIEW, encoding="utf-8")
    assert runner.invoke(app, ["validate", "--model", str(drafted)]).exit_code == 0
    flows = drafted / "flows.yaml"
    text = flows.read_text(encoding="utf-8")
    first = text.index("status: ")
    end = text.index("\n", first)
    flows.write_text(text[:first] + "status: needs_review" + text[end:], encoding="utf-8")
    result = runner.invoke(app, ["validate", "--model", str(drafted)])
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert "status: 'needs_review' is a draft's: the report's words need a person to set " \
           "the status, one of: " in line


def test_gaps_with_drafts_leave_out_those_that_need_review(drafted, tmp_path, monkeypatch):
    monkeypatch.setenv("GRAPHMODEL_CACHE", str(tmp_path / "cache"))
    (drafted / "drafts.yaml").write_text(NEEDS_REVIEW, encoding="utf-8")
    result = runner.invoke(app, ["gaps", "--model", str(drafted), "--include-drafts", "-f",
                                 "json"])
    assert result.exit_code == 0 and "school-nurse-referral" not in result.stdout
