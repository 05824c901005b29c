"""The board's page (graphmodel board), tested as a person sees it.

The summary behind it on Northmoor with actions in every state, checked by
hand; the PDF of Sefton, every fixture area and a hostile model read back as a
person would (pdftotext for the words, pdfinfo for the pages, pdftoppm for the
pictures); the HTML in the real headless browser with the network blocked;
the command's files and one-line errors. With GRAPHMODEL_DOCS_SCREENSHOTS=1
Sefton's first page is kept as docs/board.png for the README.
"""

from __future__ import annotations

import datetime
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graphmodel import open_area
from graphmodel.cli import app
from graphmodel.plan.board import STATES, acting_name, review_words
from graphmodel.text import clean

from conftest import FIXTURES, NORTHMOOR, ROOT, SEFTON
from hostile import HOSTILE_NAMES, hostile_area

AREAS = [SEFTON, *sorted(p for p in (FIXTURES / "areas").iterdir() if p.is_dir())]
ARTIFACTS = ROOT / "artifacts" / "board"
AS_OF = datetime.date(2026, 12, 5)
# Northmoor's plan, one action in each state on AS_OF (tests/test_neo4j.py's, with dates).
ACTIONS = """actions:
  - recommendation: '1.2'
    owner: northmoor-council
    action: Children's social care sends every referral outcome to the GP.
    due: 2026-01-31
    status: done
    fixes: [csc-outcome-to-gp]
  - recommendation: '3.1'
    owner: brightpath
    action: CAMHS answers every MASH request within three days.
    due: 2026-09-30
    status: in_progress
    fixes: [camhs-response-mash]
  - recommendation: '2.1'
    owner: westshire-dale
    action: An information sharing protocol is agreed.
    status: verified
  - recommendation: '1.1'
    owner: northmoor-ccg
    action: School nurses are told of every child missing from education.
    due: 2027-03-31
    status: in_progress
    fixes: [missing-education-notice]
"""
MARKUP = "<i>Northmoor</i> <img src=x onerror=alert(1)></style><script>alert(2)</script>"
runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def acting_area(tmp_path):
    """Northmoor with its action plan filled in."""
    folder = tmp_path / "northmoor"
    shutil.copytree(NORTHMOOR, folder)
    (folder / "actions.yaml").write_text(ACTIONS, encoding="utf-8")
    return folder


def folded(text: str) -> str:
    """Whitespace folded, and none after a hyphen: a line may break after one."""
    return re.sub(r"-\s+", "-", re.sub(r"\s+", " ", text)).strip()


# --- what the page says ------------------------------------------------------------------

def test_northmoor_action_states_by_hand(acting_area):
    """Closed: the referral outcome is fixed by a done action. Overdue: CAMHS's answers,
    due 30 September, still in progress. Under way: two of the three actions on the
    missing-education notice are done, the CCG's is due next March. No action yet: the
    school-nurse records, which no recommendation covers."""
    s = open_area(acting_area).board_summary(AS_OF)
    got = [(p["rank"], p["action"]["state"], p["action"]["rag"], p["action"]["due"],
            p["action"]["text"]) for p in s["problems"]]
    assert got == [(1, "closed", "green", None, "1 of 1 action done"),
                   (2, "overdue", "red", "2026-09-30", "0 of 1 action done"),
                   (3, "under_way", "amber", "2027-03-31", "2 of 3 actions done"),
                   (4, "no_action", None, None, "")]
    assert s["actions"] == {"actions": 4, "not_started": 0, "in_progress": 2, "done": 2,
                                 "verified": 1, "overdue": 1}
    # A year earlier nothing is overdue yet; the CAMHS answers are under way.
    early = open_area(acting_area).board_summary(datetime.date(2025, 12, 5))
    assert early["problems"][1]["action"]["state"] == "under_way"


def test_northmoor_counts_and_who_must_act():
    s = open_area(NORTHMOOR).board_summary(AS_OF)
    assert s["total"] == 4 and not s["declared"]  # Northmoor's problems are proposals
    assert s["unaddressed"] == {"count": 1, "public_health": 1}
    assert s["outside_review"] == {"count": 1, "bodies": [
        {"name": "Northmoor children's social care", "problems": 1}]}
    assert s["problems"][0]["to_act"] == [
        {"tag": "Recommendation 1.2", "basis": "recommendation",
         "names": ["NHS Northmoor CCG", "Northmoor Borough Council"]},
        {"tag": "Outside CQC's review", "basis": "outside_review",
         "names": ["Northmoor children's social care"]}]
    assert [(loop["rank"], [leg["status"] for leg in loop["legs"]]) for loop in s["loops"]] \
        == [(1, ["working", "absent"]), (2, ["working", "inconsistent"])]


def test_sefton_first_ten_counts_and_successors():
    """Sefton's 28 problems: 7 no recommendation covers (ranks 2, 3, 8, 17, 21, 24, 28; three
    brought to public health's attention), 9 with children's social care or another body
    CQC does not review; 9 of its 10 broken loops are in the first ten."""
    area = open_area(SEFTON)
    gaps = area.gaps()
    s = area.board_summary(AS_OF)
    assert [p["id"] for p in s["problems"]] == [g["id"] for g in gaps[:10]]
    assert [p["problem"] for p in s["problems"]] == [g["statement"] for g in gaps[:10]]
    assert s["total"] == 28 and s["declared"]
    assert s["unaddressed"] == {"count": 7, "public_health": 3}
    assert [g["rank"] for g in gaps if not g["recommendations"]] == [2, 3, 8, 17, 21, 24, 28]
    assert s["outside_review"]["count"] == 9
    assert s["outside_review"]["bodies"][0] == {"name": "Sefton children’s social care",
                                                "problems": 8}
    assert (len(s["loops"]), s["loops_in_area"]) == (9, 10)
    fourth = s["problems"][3]
    assert fourth["to_act"][0] == {"tag": "Recommendations 1.4, 1.5", "basis": "recommendation",
                                  "names": [
        "NHS South Sefton CCG (now NHS Cheshire and Merseyside Integrated Care Board)",
        "NHS Southport and Formby CCG (now NHS Cheshire and Merseyside Integrated Care Board)"]}
    assert {p["action"]["state"] for p in s["problems"]} == {"no_action"}  # no actions.yaml
    assert s["review"]["text"] == ("This copy of the report gives no dates: the review took "
                                   "place after 4 July 2018, and the report was out by 29 "
                                   "January 2019.")


def test_review_words():
    held = review_words({"from": "2018-10-01", "to": "2018-10-05", "published": "2018-12-20"})
    assert held["text"] == ("CQC's review took place from 1 October 2018 to 5 October 2018; "
                            "the report was published on 20 December 2018.")
    assert review_words({"not_before": "2018-07-04"})["text"] == (
        "This copy of the report gives no dates: the review took place after 4 July 2018.")
    assert review_words(None)["text"].startswith("The review's dates are not recorded")


# --- the PDF, as a person reads it ----------------------------------------------------------

def require_pdf_tools() -> None:
    """Skip where WeasyPrint or poppler-utils is missing; fail under CI=true."""
    missing = [t for t in ("pdftotext", "pdftoppm", "pdfinfo") if not shutil.which(t)]
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as exc:
        missing.append(f"weasyprint ({exc})")
    if missing:
        message = f"needs {', '.join(missing)}: run scripts/install-pdf and pip install -e '.[test]'"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def read_pdf(pdf: Path, png_prefix: Path) -> tuple[int, str, list[Path]]:
    """(pages, the text in drawing order, one PNG per page) as poppler reads the file."""
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    pages = int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))
    text = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    png_prefix.parent.mkdir(parents=True, exist_ok=True)
    for old in png_prefix.parent.glob(png_prefix.name + "-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "110", "-png", str(pdf), str(png_prefix)], check=True)
    return pages, text, sorted(png_prefix.parent.glob(png_prefix.name + "-*.png"))


def check_pdf(folder: Path, tmp_path: Path, name: str) -> tuple[dict, str]:
    """Make the PDF with the command, and check what a reader sees in it."""
    pdf = tmp_path / f"{name}.pdf"
    done = run("board", "--format", "pdf", "--as-of", AS_OF, "-m", folder, "-o", pdf)
    assert done.exit_code == 0, done.output
    assert done.stdout.strip() == str(pdf.resolve())
    pages, text, pngs = read_pdf(pdf, ARTIFACTS / name)
    assert pages in (1, 2), f"{name}: {pages} pages"
    assert len(pngs) == pages and all(p.stat().st_size > 20_000 for p in pngs)
    words = folded(text)
    area = open_area(folder)
    summary, gaps = area.board_summary(AS_OF), area.gaps()
    assert len(summary["problems"]) == min(10, summary["total"])
    for row in summary["problems"]:
        assert folded(clean(row["problem"])) in words, row["problem"]
        for party in gaps[row["rank"] - 1]["to_act"]:
            assert folded(clean(acting_name(party))) in words, acting_name(party)
        assert row["action"]["label"] in words
    data = pdf.read_bytes()
    for action in (b"/URI", b"/JavaScript", b"/Launch"):  # no links, no scripts
        assert action not in data
    return summary, words


@pytest.mark.pdf
@pytest.mark.parametrize("folder", AREAS, ids=[p.name for p in AREAS])
def test_pdf_of_every_area(folder, tmp_path, monkeypatch):
    require_pdf_tools()
    monkeypatch.setenv("GRAPHMODEL_CACHE", str(tmp_path / "cache"))
    summary, words = check_pdf(folder, tmp_path, folder.name)
    assert f"{summary['area']['name']}: the problems for the safeguarding board" in words
    assert "no action yet" in words
    if folder == SEFTON:
        assert "28 problems in all" in words and "7 left unaddressed" in words
        assert "9 fall partly outside CQC's review" in words
        assert "the review took place after 4 July 2018" in words
        if os.environ.get("GRAPHMODEL_DOCS_SCREENSHOTS") == "1":
            shutil.copyfile(ARTIFACTS / "sefton-1.png", ROOT / "docs" / "board.png")


@pytest.mark.pdf
def test_pdf_with_actions_in_every_state(acting_area, tmp_path, monkeypatch):
    require_pdf_tools()
    monkeypatch.setenv("GRAPHMODEL_CACHE", str(tmp_path / "cache"))
    _, words = check_pdf(acting_area, tmp_path, "northmoor-actions")
    for label, _ in STATES.values():
        assert label in words
    assert "was due 30 Sep 2026" in words and "next due 31 Mar 2027" in words
    assert "4 actions recorded: 2 done, 2 in progress, 0 not started; 1 overdue." in words


@pytest.mark.pdf
def test_pdf_of_a_hostile_model_keeps_names_as_text(tmp_path, monkeypatch):
    require_pdf_tools()
    monkeypatch.setenv("GRAPHMODEL_CACHE", str(tmp_path / "cache"))
    _, words = check_pdf(hostile_area(tmp_path / "hostile"), tmp_path, "hostile")
    assert '=HYPERLINK("http://evil.example","NCCG")' in words
    assert "[link=file:///etc/passwd]x[/link]" in words
    assert "\\x09CSC \\x9b2J social care \\u202eevil" in words
    assert "\x1b" not in words and "\u202e" not in words


# --- the HTML, in the browser --------------------------------------------------------------

@pytest.mark.browser
def test_html_opens_offline_in_the_browser(acting_area, tmp_path, monkeypatch):
    from browser import Browser
    monkeypatch.setenv("GRAPHMODEL_CACHE", str(tmp_path / "cache"))
    page = tmp_path / "board.html"
    assert run("board", "--as-of", AS_OF, "-m", acting_area, "-o", page).exit_code == 0
    summary = open_area(acting_area).board_summary(AS_OF)
    with Browser(block_network=True) as browser:
        report = browser.open(page)
        report.assert_clean()
        text = folded(report.text("body"))
        for row in summary["problems"]:
            assert folded(row["problem"]) in text
        assert report.evaluate("document.querySelectorAll('script, img, link, iframe, a')"
                               ".length") == 0
        assert report.evaluate("document.querySelectorAll('svg g').length") == 2  # two loops
        report.screenshot(ARTIFACTS / "northmoor-actions-html.png", full_page=True)


@pytest.mark.browser
def test_html_of_every_area_opens_offline(tmp_path, monkeypatch):
    """Sefton and every fixture area: the page is the only request, nothing logs an error,
    and every problem of the first ten and everyone who must act is on it."""
    from browser import Browser
    monkeypatch.setenv("GRAPHMODEL_CACHE", str(tmp_path / "cache"))
    with Browser(block_network=True) as browser:
        for folder in AREAS:
            page = tmp_path / f"{folder.name}.html"
            assert run("board", "--as-of", AS_OF, "-m", folder, "-o", page).exit_code == 0
            area = open_area(folder)
            with browser.open(page) as report:
                report.assert_clean()
                assert report.requests == [page.as_uri()], folder.name
                text = folded(report.text("body"))
                for row in area.board_summary(AS_OF)["problems"]:
                    assert folded(row["problem"]) in text, (folder.name, row["problem"])
                    for party in area.gaps()[row["rank"] - 1]["to_act"]:
                        assert folded(acting_name(party)) in text, acting_name(party)
                    assert row["action"]["label"] in text


@pytest.mark.browser
@pytest.mark.pdf
def test_sefton_html_printed_from_the_browser_is_two_pages_at_most(tmp_path, monkeypatch):
    """A board member with only the HTML file prints it (Chromium's print, as Chrome and
    Edge do): A4 landscape, every problem of the first ten, two pages at most."""
    from browser import Browser
    require_pdf_tools()
    monkeypatch.setenv("GRAPHMODEL_CACHE", str(tmp_path / "cache"))
    page, pdf = tmp_path / "sefton-board.html", tmp_path / "printed.pdf"
    assert run("board", "--as-of", AS_OF, "-o", page).exit_code == 0
    with Browser(block_network=True) as browser:
        report = browser.open(page)
        report.page.emulate_media(media="print")
        report.page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
        report.assert_clean()
    pages, text, _ = read_pdf(pdf, ARTIFACTS / "sefton-printed")
    assert pages in (1, 2)
    for row in open_area(SEFTON).board_summary(AS_OF)["problems"]:
        assert folded(row["problem"]) in folded(text)


@pytest.mark.browser
def test_hostile_html_in_the_browser(tmp_path, monkeypatch):
    """Names with control characters, spreadsheet formulas and HTML stay text."""
    from browser import Browser
    from conftest import edit
    monkeypatch.setenv("GRAPHMODEL_CACHE", str(tmp_path / "cache"))
    folder = hostile_area(tmp_path / "hostile")
    edit(folder / "area.yaml", "name: Northmoor", f"name: '{MARKUP}'")
    page = tmp_path / "board.html"
    assert run("board", "-m", folder, "-o", page).exit_code == 0
    with Browser(block_network=True) as browser:
        report = browser.open(page)
        report.assert_clean()
        text = report.text("body")
        assert HOSTILE_NAMES["northmoor-ccg"] in text
        assert "[link=file:///etc/passwd]x[/link]" in text and "\x1b" not in text
        assert report.text("h1").startswith(MARKUP)
        assert report.evaluate("document.title").startswith(MARKUP)
        assert report.evaluate("document.querySelectorAll('script, img, a, i').length") == 0


# --- the command ---------------------------------------------------------------------------

def test_default_file_names_in_the_working_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GRAPHMODEL_CACHE", str(tmp_path / "cache"))
    done = run("board", "-m", NORTHMOOR)
    assert done.exit_code == 0 and done.stdout == f"{tmp_path / 'northmoor-board.html'}\n"
    html = (tmp_path / "northmoor-board.html").read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>") and "http://" not in html.replace(
        'xmlns="http://www.w3.org/2000/svg"', "")
    assert f"Action status on <b>{datetime.date.today().day} " in html  # today by default


def test_bad_date_and_bad_out_are_one_line_and_write_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    bad = run("board", "-m", NORTHMOOR, "--as-of", "31/13/2026")
    assert bad.exit_code == 2 and bad.stderr.strip().splitlines() == [
        "error: --as-of '31/13/2026': not a date; write it as 2026-03-31 or 31/03/2026"]
    nowhere = run("board", "-m", NORTHMOOR, "-o", tmp_path / "no" / "board.html")
    assert nowhere.exit_code == 1 and len(nowhere.stderr.strip().splitlines()) == 1
    assert "folder" in nowhere.stderr and list(tmp_path.iterdir()) == []


def test_a_missing_pdf_engine_is_one_line_naming_the_install(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import weasyprint: ImportError
    done = run("board", "-m", NORTHMOOR, "--format", "pdf")
    assert done.exit_code == 1 and done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and len(lines[0]) <= 1000
    assert lines[0].startswith("error: making a PDF needs WeasyPrint, which is not installed: "
                               "pip install 'graphmodel[pdf]'")
    assert list(tmp_path.iterdir()) == []


def test_missing_pango_is_one_line_too(tmp_path, monkeypatch):
    import importlib.abc

    class NoPango(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path, target=None):
            if name == "weasyprint":
                raise OSError("cannot load library 'libpango-1.0-0'")
            return None

    monkeypatch.chdir(tmp_path)
    monkeypatch.delitem(sys.modules, "weasyprint", raising=False)
    monkeypatch.setattr(sys, "meta_path", [NoPango(), *sys.meta_path])
    done = run("board", "-m", NORTHMOOR, "--format", "pdf")
    assert done.exit_code == 1 and len(done.stderr.strip().splitlines()) == 1
    assert "needs the Pango library" in done.stderr and "libpango-1.0-0" in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_help_fits_80_columns():
    done = runner.invoke(app, ["board", "--help"], env={"COLUMNS": "80"})
    assert done.exit_code == 0
    assert max(map(len, done.stdout.splitlines())) <= 80


# --- the picture -----------------------------------------------------------------------------

def test_each_loop_is_drawn_between_its_own_parties():
    """Every box names a party of its loop, and every party of a loop has a box: a referral
    answered by another body (Sefton's GP referral, answered by the MASH) gets a box for it."""
    from graphmodel.views.board import loops_picture
    loops = open_area(SEFTON).board_summary(AS_OF)["loops"]
    picture = loops_picture(loops)
    for loop, cell in zip(loops, picture["cells"], strict=True):
        boxes = {" ".join(line for _, line in box["lines"]) for box in cell["boxes"]}
        assert boxes == {leg[end] for leg in loop["legs"] for end in ("from", "to")}
    assert [len(cell["boxes"]) for cell in picture["cells"]].count(3) == 1


def test_names_wrap_to_the_box_and_lose_nothing():
    from graphmodel.views.board import ems, wrap_to_width
    for text in ("Multi-Agency Safeguarding Hub", "CAMHS " + "x" * 300, "MMMM WWWW mmmm",
                 "Sefton children’s social care", "a"):
        lines = wrap_to_width(text, 8.4)
        assert all(ems(line) <= 8.4 for line in lines)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_an_area_with_no_problems_says_so():
    from graphmodel.plan.board import board_summary
    from graphmodel.views.board import board_html
    area = open_area(NORTHMOOR)
    summary = board_summary(area.graph, [], AS_OF)
    assert (summary["total"], summary["problems"], summary["loops"]) == (0, [], [])
    page = folded(board_html(summary))
    assert "<b>No problems:</b> every flow in this model works." in page
    assert "<b>0</b> problems in all." in page and "<svg" not in page


def test_fewer_than_ten_problems_are_not_called_the_first_ten():
    """Northmoor's four problems are all it has: the page counts no loops left out."""
    from graphmodel.views.board import board_html
    page = folded(board_html(open_area(NORTHMOOR).board_summary(AS_OF)))
    assert "Broken loops in the first 4 problems" in page
    assert "first ten" not in page.replace("are in the first ten.", "")
    sefton = folded(board_html(open_area(SEFTON).board_summary(AS_OF)))
    assert "9 of the area's 10 broken loops are in the first ten problems." in sefton


@pytest.mark.pdf
def test_two_pages_at_most_whatever_the_model_holds(tmp_path):
    """Ten problems of 2,000 characters, each with twenty bodies to act, and eighteen loops:
    still two pages (laid out again within tighter bounds), and what is cut says where the
    rest is."""
    require_pdf_tools()
    from graphmodel.views.board import render_board
    summary = open_area(SEFTON).board_summary(AS_OF)
    long_name = "The Very Long Name of an NHS Foundation Trust " * 6
    for row in summary["problems"]:
        row["problem"] = "Information does not pass between services. " * 45
        row["to_act"] = [{"tag": "Recommendation 1.1", "basis": "recommendation",
                          "names": [long_name] * 20}]
    summary["loops"] = summary["loops"] * 2
    pdf = tmp_path / "long.pdf"
    pdf.write_bytes(render_board(summary, "pdf"))
    pages, text, _ = read_pdf(pdf, tmp_path / "long")
    assert pages == 2
    assert "(in full: graphmodel gaps)" in folded(text)
    assert re.search(r"\b\d+ more \(all in graphmodel gaps\)", folded(text))
    assert "more broken loops of these problems are not drawn" in folded(text)
