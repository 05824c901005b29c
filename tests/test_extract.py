"""The extractor on the real Sefton report and on hand-made reports."""

from __future__ import annotations

import pytest

from graphmodel.errors import ModelError
from graphmodel.model.report import extract_report, extraction_yaml, read_report, split_owners

from conftest import FIXTURES, NORTHMOOR, SEFTON


@pytest.fixture(scope="module")
def sefton():
    return extract_report(read_report(SEFTON / "report.txt"))


def by_id(items):
    return {item.id: item for item in items}


def test_sefton_counts(sefton):
    assert len(sefton.findings) == 145
    assert len(sefton.recommendations) == 49
    assert len({r.group for r in sefton.recommendations}) == 15
    assert sum(len(f.recommendations) for f in sefton.findings) == 71
    assert sum(f.public_health for f in sefton.findings) == 12
    assert sefton.warnings == []


def test_sefton_ids_cover_every_section(sefton):
    ids = [f.id for f in sefton.findings]
    assert ids[:3] == ["1.1", "1.2", "1.3"] and ids[-1] == "5.3.22"
    assert "1.17" in ids and "4.15" in ids and "5.2.26" in ids
    # Sub-section headings are not findings.
    assert not {"5.1", "5.2", "5.3"} & set(ids)


def test_sefton_reference_forms(sefton):
    f = by_id(sefton.findings)
    assert f["1.2"].recommendations == ["12.3"]
    assert f["3.14"].recommendations == ["12.3"]  # "Recommendation\n12.3"
    assert f["5.1.15"].recommendations == ["1.3", "1.4"]
    assert f["5.3.18"].recommendations == ["15.6", "15.7"]
    assert f["5.3.20"].recommendations == ["4.4", "15.7"]
    assert f["5.3.18"].public_health and f["2.22"].public_health
    assert f["4.14"].public_health  # "... commissioners within Sefton Council"


def test_sefton_text_is_clean(sefton):
    f = by_id(sefton.findings)
    assert "Page 12 of 46" not in f["1.10"].text
    assert "Review of Health services" not in f["1.10"].text
    assert f["1.11"].text.startswith("Young people in Sefton")
    assert "0-19 service use the same electronic" in f["5.2.8"].text  # "0-\n19"
    assert f["2.4"].text.endswith("Recommendation 4.1")  # keeps its second paragraph
    assert "Case Example" not in f["3.1"].text
    assert f["5.2.13"].section == "5.2 Governance"
    assert f["4.1"].section == "4 Looked after children"


def test_sefton_cases_and_context(sefton):
    assert set(sefton.cases) == {"case:3.1", "case:4.3"}
    assert "Information sharing between the maternity service and the GP" in sefton.cases["case:3.1"]
    assert "through sub-contracting arrangements from Mersey Care" in sefton.context


def test_sefton_recommendations(sefton):
    r = by_id(sefton.recommendations)
    assert r["1.5"].owners == ["NHS South Sefton CCG", "NHS Southport and Formby CCG"]
    assert r["3.1"].owners[:2] == ["NHS South Sefton CCG", "NHS Sefton and Formby CCG"]
    assert r["8.1"].owners == ["Southport and Ormskirk NHS Trust",
                               "Alder Hey Children\u2019s NHS Foundation Trust"]
    assert r["12.1"].owners[-1] == "Addaction" and len(r["12.1"].owners) == 6
    assert r["15.7"].text.endswith("stored securely in the service user\u2019s records.")
    assert r["4.4"].text.startswith("Establish a system of governance")


def test_sefton_yaml_is_committed_and_current(sefton):
    committed = (SEFTON / "extracted.yaml").read_text(encoding="utf-8")
    assert extraction_yaml(sefton, "report.txt") == committed


def test_northmoor_report_with_contents_list_and_artefacts():
    e = extract_report(read_report(NORTHMOOR / "report.txt"))
    f = by_id(e.findings)
    assert [x.id for x in e.findings][:11] == [f"1.{n}" for n in range(1, 12)]
    assert f["1.1"].recommendations == ["1.2"]  # "Recommendation\n1.2"
    assert f["1.3"].recommendations == ["1.1", "1.2", "2.1"]
    assert f["2.2"].recommendations == ["2.1", "3.1"]
    assert f["1.4"].text.startswith("Some 2.5 per cent")
    assert f["1.10"].text.endswith("which includes 2.5 posts.")
    assert f["1.5"].public_health  # "attention of the local public health team"
    assert "Page 5 of 20" not in f["1.2"].text
    assert set(e.cases) == {"case:2.1"}
    assert f["5.1.1"].section == "5.1 Leadership and management"
    r = by_id(e.recommendations)
    assert r["1.1"].owners == ["NHS Northmoor CCG", "Northmoor Borough Council"]
    assert r["2.1"].owners == ["Westshire and Dale Partnership NHS Foundation Trust", "Brightpath"]
    assert r["3.1"].text.startswith("Respond to every MASH request")


def test_eastbay_crlf_wide_numbers_and_sections():
    e = extract_report(read_report(FIXTURES / "reports" / "eastbay.txt"))
    f = by_id(e.findings)
    assert list(f) == ["1.1", "1.2", "1.3", "6.1.1", "6.1.2", "6.2.1"]
    assert f["1.2"].recommendations == ["10.1", "10.2"]  # split over three lines
    assert f["1.3"].public_health
    assert [r.id for r in e.recommendations] == ["10.1", "10.2"]
    assert e.recommendations[0].owners == [
        "Eastbay ICB", "Eastbay Royal Infirmary NHS Trust", "St. Anne\u2019s Hospice"]


@pytest.mark.parametrize("heading, owners", [
    ("A Trust and B CCG should:", ["A Trust", "B CCG"]),
    ("Southport and Ormskirk NHS Trust, and Alder Hey NHS Trust should:",
     ["Southport and Ormskirk NHS Trust", "Alder Hey NHS Trust"]),
    ("NHS South Sefton CCG (SSCCG) and NHS Sefton and Formby CCG should:",
     ["NHS South Sefton CCG", "NHS Sefton and Formby CCG"]),
    ("Mersey Care NHS Foundation Trust and Addaction should:",
     ["Mersey Care NHS Foundation Trust", "Addaction"]),
])
def test_split_owners(heading, owners):
    assert split_owners(heading) == owners


def test_report_without_recommendations_is_an_error():
    text = "The child's journey\n\n1. Early help\n\n1.1 Something happens.\n"
    with pytest.raises(ModelError, match="no Recommendations section"):
        extract_report(text, "short.txt")


def test_unreadable_reports(tmp_path):
    binary = tmp_path / "report.png"
    binary.write_bytes(b"\x89PNG\r\n\0\0")
    with pytest.raises(ModelError, match="not a text file"):
        read_report(binary)
    pdf = tmp_path / "report.pdf"  # an area keeps its report's text: a PDF is read by new
    pdf.write_bytes(b"%PDF-1.4\0\0")
    with pytest.raises(ModelError, match="is a PDF, not text: an area keeps its report as "
                                         "text"):
        read_report(pdf)
    with pytest.raises(ModelError, match="not found"):
        read_report(tmp_path / "missing.txt")
    latin = tmp_path / "latin.txt"
    latin.write_bytes("caf\xe9".encode("latin-1"))
    with pytest.raises(ModelError, match="not UTF-8"):
        read_report(latin)


# --- next steps: who must send the action plan, how soon, to whom ----------------------

def test_sefton_next_steps(sefton):
    steps = sefton.next_steps
    assert steps.submitters == ["NHS South Sefton CCG", "NHS Sefton and Formby CCG"]
    assert (steps.working_days, steps.to) == (20, "CQC")
    assert steps.text.startswith("An action plan addressing the recommendations above")


def test_northmoor_next_steps_without_a_recipient():
    steps = extract_report(read_report(NORTHMOOR / "report.txt")).next_steps
    assert steps.submitters == ["NHS Northmoor CCG"]
    assert (steps.working_days, steps.to) == (20, None)


def test_report_without_next_steps():
    assert extract_report(read_report(FIXTURES / "reports" / "eastbay.txt")).next_steps is None


EASTBAY_NEXT_STEPS = {
    "crlf, a name broken over lines": (
        "\r\n Next steps \r\n\r\nAn action plan addressing the recommendations above is "
        "required from Eastbay\r\nICB and Eastbay Council within 20 working days of receipt "
        "of this report.\r\n\r\nPlease submit your action plan to CQC through\r\n"
        "childrens-services-inspection@cqc.org.uk\r\n",
        ["Eastbay ICB", "Eastbay Council"], 20, "CQC"),
    "days in words, 'both', a full stop inside a name": (
        "\nNext Steps\n\nAn action plan that addresses the recommendations above is required "
        "from both NHS Eastbay ICB and St. Anne\u2019s Hospice within twenty working days of "
        "receiving this report. Please send the action plan to the Care Quality Commission "
        "at its usual address.\n",
        ["NHS Eastbay ICB", "St. Anne\u2019s Hospice"], 20, "Care Quality Commission"),
    "days before the names": (
        "\nNext steps\n\nAn action plan is required within 28 (twenty-eight) working days of "
        "receipt of this report from Eastbay ICB, Eastbay Royal Infirmary NHS Trust and "
        "Eastbay Council.\nPlease send it to CQC.\n",
        ["Eastbay ICB", "Eastbay Royal Infirmary NHS Trust", "Eastbay Council"], 28, "CQC"),
    "a page break inside the sentence": (
        "\nNext steps\n\nAn action plan addressing the recommendations above is required "
        "from Eastbay ICB\n\nPage 9 of 9\n\nand Eastbay Royal Infirmary NHS Trust within 15 "
        "working\ndays of receipt of this report. Please submit your action plan to CQC "
        "through x@example.org\n",
        ["Eastbay ICB", "Eastbay Royal Infirmary NHS Trust"], 15, "CQC"),
}


@pytest.mark.parametrize("case", list(EASTBAY_NEXT_STEPS))
def test_next_steps_in_other_wordings(case):
    tail, submitters, days, to = EASTBAY_NEXT_STEPS[case]
    base = read_report(FIXTURES / "reports" / "eastbay.txt")
    steps = extract_report(base + tail).next_steps
    assert steps is not None
    assert (steps.submitters, steps.working_days, steps.to) == (submitters, days, to)
    text = base + tail
    first = next(i for i, ln in enumerate(text.splitlines(), 1) if "An action plan" in ln)
    assert steps.line == first


def test_a_reference_whose_word_is_hyphenated_across_lines():
    text = ("The child's journey\n\n1. Early help\n\n1.1 Outcomes are not returned to GPs. "
            "Recom-\nmendation 1.2\n\n1.2 Multi-\nagency meetings work well.\n\n"
            "Recommendations\n\n1. NHS Testfield ICB should:\n\n1.1 Do one thing.\n"
            "1.2 Return outcomes to GPs.\n")
    found = extract_report(text, "testfield.txt")
    assert [f.recommendations for f in found.findings] == [["1.2"], []]
    assert "Multi-agency meetings" in found.findings[1].text  # real hyphens stay
