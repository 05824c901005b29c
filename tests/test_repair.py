"""Copies of a report found on the web: what the extractor repairs, and says it did.

A copy from a web page or an old converter drops curly apostrophes ("The child
s journey", so the findings' heading is not found), puts page numbers alone at
the top of each page block, runs the contents list into one line, and has
Windows line endings and no-break spaces. The extractor reads each such copy
as it reads the report, and warns once per repair with the line.
"""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from graphmodel.cli import app
from graphmodel.errors import ModelError
from graphmodel.model.repair import repair
from graphmodel.model.report import extract_report

from conftest import SEFTON
from pdfmaker.compare import REPORTS, summary

runner = CliRunner()

WEB_COPY = ("Contents Summary of the review 2 About the review 2 The child s journey 5 "
            "1. Early help 5 Recommendations 12 Next steps 14\r\n\r\n"
            "The child s journey\r\n\r\n1.1 GPs refer to children s social care under s 47;\r\n"
            "the MASH s role is clear.\u00a0Recommendation 1.1\r\n\r\n2\r\n"
            "1.2 Health visitors share information.\r\n\r\n3\r\n1.3 Nurses meet.\r\n")


def test_each_repair_is_a_warning_naming_its_line():
    repaired, warnings = repair(WEB_COPY, "web.txt")
    assert warnings == [
        "web.txt:1: repaired Windows line endings (12 CRLF)",
        'web.txt:1: repaired a dropped apostrophe in "child s"',
        'web.txt:3: repaired the heading "The child s journey"',
        'web.txt:5: repaired a dropped apostrophe in "children s"',
        "web.txt:6: repaired 1 non-breaking space(s)",
        'web.txt:6: repaired a dropped apostrophe in "MASH s"',
        "web.txt:8: repaired a page number alone on its line (2)",
        "web.txt:11: repaired a page number alone on its line (3)",
    ]
    assert "under s 47" in repaired and "children\u2019s social care" in repaired
    assert "\r" not in repaired and "\u00a0" not in repaired


def test_no_repair_moves_a_line():
    """A warning's line, a finding's line and report.txt's line are the same line."""
    repaired, _ = repair(WEB_COPY)
    assert len(repaired.splitlines()) == len(WEB_COPY.splitlines())
    assert repaired.splitlines()[4] == "1.1 GPs refer to children\u2019s social care under s 47;"


def test_ambiguous_text_is_left_alone():
    text = "Under s 47 of the Act, the s 11 duty\n\n12 children were seen.\n\nLetters s.\n"
    assert repair(text) == (text, [])


@pytest.mark.parametrize("name", list(REPORTS))
def test_a_good_report_needs_no_repair(name):
    text = REPORTS[name].read_bytes().decode("utf-8-sig")
    repaired, warnings = repair(text, name)
    assert all("Windows line endings" in w for w in warnings)  # Eastbay's are Windows'
    assert summary(repaired, name) == summary(text, name)


WEB = r"(\w)\u2019s (?=[^\d\s])"  # before a number a dropped apostrophe stays ambiguous


def web_copy_of_sefton() -> str:
    """Sefton as a web page gives it: apostrophes dropped, page numbers, a contents
    list run into one line, CRLF."""
    original = (SEFTON / "report.txt").read_text(encoding="utf-8")
    broken = re.sub(WEB, r"\1 s ", original)
    broken = broken.replace("\nReview of Health services", "\n\n12\nReview of Health services")
    broken = broken.replace("1.11 Young people", "\n13\n1.11 Young people")
    broken = "Contents Summary of the review 2 About the review 2 Context of the review 3 " \
             "The child s journey 6 Recommendations 40 Next steps 46\n\n" + broken
    return broken.replace("\n", "\r\n")


def test_a_web_copy_of_sefton_extracts_as_sefton():
    original = (SEFTON / "report.txt").read_text(encoding="utf-8")
    copy = web_copy_of_sefton()
    got = extract_report(copy, "sefton-web.txt")
    assert summary(copy, "s") == summary(original, "s")
    mended = [w for w in got.warnings if "apostrophe" in w or "heading" in w]
    assert len(mended) == len(re.findall(WEB, original)) + 1  # and the contents' one
    assert any("page number alone on its line (13)" in w for w in got.warnings)


def test_without_its_repairs_the_web_copy_would_not_read(monkeypatch):
    from graphmodel.model import report
    monkeypatch.setattr(report, "repair", lambda text, source: (text, []))
    with pytest.raises(ModelError, match="no \"The child's journey\" heading"):
        extract_report(web_copy_of_sefton(), "sefton-web.txt")


def test_extract_prints_the_repairs(tmp_path):
    copy = tmp_path / "sefton-web.txt"
    copy.write_bytes(web_copy_of_sefton().encode("utf-8"))
    result = runner.invoke(app, ["extract", str(copy)])
    assert result.exit_code == 0
    lines = result.stderr.splitlines()
    assert f"warning: {copy}:1: repaired Windows line endings (2138 CRLF)" in lines
    assert any(re.fullmatch(rf"warning: {re.escape(str(copy))}:\d+: repaired the heading "
                            "\"The child s journey\"", line) for line in lines)


def test_new_keeps_the_repaired_text_and_names_the_copy(tmp_path):
    copy = tmp_path / "sefton-web.txt"
    copy.write_bytes(web_copy_of_sefton().encode("utf-8"))
    result = runner.invoke(app, ["new", str(tmp_path / "s"), "--report", str(copy)])
    assert result.exit_code == 0, result.output
    assert "the text repaired from sefton-web.txt (SHA-256" in result.stdout
    kept = (tmp_path / "s" / "report.txt").read_text(encoding="utf-8")
    assert re.search(r"^ The child\u2019s journey $", kept, re.M) and "\r" not in kept
    area = (tmp_path / "s" / "area.yaml").read_text(encoding="utf-8")
    assert "read_as: repaired text" in area
    again = runner.invoke(app, ["validate", "--model", str(tmp_path / "s")])
    assert ": repaired " not in again.stderr  # report.txt is the repaired text


def test_a_page_number_before_the_running_header_is_page_furniture():
    text = (SEFTON / "report.txt").read_text(encoding="utf-8")
    numbered = text.replace("\nReview of Health services", "\n12 Review of Health services")
    assert numbered != text
    assert summary(numbered, "s") == summary(text, "s")
