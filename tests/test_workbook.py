"""The plan workbook: its sheets and cells (openpyxl), and LibreOffice opening it."""

from __future__ import annotations

import datetime
import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from graphmodel import vocab
from graphmodel.api import open_area
from graphmodel.plan.board import BOARD_COLUMNS, board_table
from graphmodel.plan.build import build_plan
from graphmodel.plan.workbook import (
    BOARD_ORDER,
    META_SHEET,
    PLAN_COLUMNS,
    plan_workbook,
    sheet_columns,
)

from conftest import NORTHMOOR, SEFTON


def make_workbook(folder, **options) -> bytes:
    area = open_area(folder)
    return plan_workbook(build_plan(area.graph, area.gaps(), **options), "test")


@pytest.fixture(scope="module")
def sefton_book():
    data = make_workbook(SEFTON, received=datetime.date(2019, 4, 15))
    return data, load_workbook(io.BytesIO(data))


def column(ws, header: str) -> str:
    for cell in ws[2]:
        if cell.value == header:
            return cell.column_letter
    raise AssertionError(f"no column {header!r}")


def test_sheets_and_the_hidden_one_for_import(sefton_book):
    _, book = sefton_book
    assert book.sheetnames == ["Cover", "Plan", "Not covered", META_SHEET]
    assert book[META_SHEET].sheet_state == "hidden"
    meta = {r[0].value: r[1].value for r in book[META_SHEET].iter_rows()}
    assert meta["area"] == "sefton" and meta["layout"] == "by_recommendation"


def test_cover_has_dates_as_dates(sefton_book):
    _, book = sefton_book
    cover = {r[0].value: r[1] for r in book["Cover"].iter_rows(min_row=3) if r[0].value}
    assert cover["Due"].value == datetime.datetime(2019, 5, 16)
    assert cover["Due"].is_date and cover["Report received"].is_date
    assert cover["Send it to"].value == "CQC"
    assert "NHS Southport and Formby CCG" in cover["Action plan required from"].value
    assert "unaddressed" in cover["What the report leaves open"].value


def test_plan_sheet_layout(sefton_book):
    _, book = sefton_book
    ws = book["Plan"]
    assert ws.freeze_panes == "D3"
    assert ws.auto_filter.ref == f"A2:P{ws.max_row}"
    assert [c.value for c in ws[2]] == [c.header for c in sheet_columns()]
    assert {c.header for c in sheet_columns()} == {c.header for c in PLAN_COLUMNS}
    recs = [ws.cell(r, 2).value for r in range(3, ws.max_row + 1)]
    assert len(recs) == 49 and len(set(recs)) == 49
    assert ws.column_dimensions["C"].width == 46
    assert ws["C3"].alignment.wrap_text
    assert ws[f"{column(ws, 'Due date')}3"].number_format == "d mmm yyyy"
    assert ws.row_dimensions[3].height > 15  # tall enough for the wrapped text


def test_the_board_reads_first_and_the_analysts_columns_are_grouped_and_hidden(sefton_book):
    _, book = sefton_book
    ws = book["Plan"]
    headers = [c.value for c in ws[2]]
    assert headers[:8] == ["Priority", "Rec.", "Recommendation", "Worst gap", "Status",
                           "Due date", "Action owner", "Action"]
    analyst = [n for n, c in enumerate(sheet_columns(), 1) if c.key not in BOARD_ORDER]
    assert [headers[n - 1] for n in analyst] == [
        "Owners named in the report", "Findings behind it",
        "Gaps it addresses (rank, severity)", "If delivered, closes", "Flows it fixes"]
    for n in analyst:
        dim = ws.column_dimensions[ws.cell(2, n).column_letter]
        assert dim.hidden and dim.outline_level == 1
    assert ws.cell(1, analyst[0]).value.startswith("For the analyst")


def rules(ws, header: str) -> list[tuple[str, str]]:
    """The conditional formats on a column: (formula, fill colour)."""
    letter = column(ws, header)
    return [(r.formula[0], r.dxf.fill.fgColor.rgb[-6:]) for cf in ws.conditional_formatting
            for r in cf.rules if str(cf.sqref).startswith(f"{letter}3:")]


def test_status_severity_and_overdue_are_coloured_as_owners_type(sefton_book):
    _, book = sefton_book
    ws = book["Plan"]
    status = column(ws, "Status")
    assert rules(ws, "Status") == [(f'${status}3="not started"', "F4C7C3"),
                                   (f'${status}3="in progress"', "FCE8B2"),
                                   (f'${status}3="done"', "D9EAD3"),
                                   (f'${status}3="verified"', "D9EAD3")]
    worst = column(ws, "Worst gap")
    assert rules(ws, "Worst gap")[0] == (f'LEFT(${worst}3,8)="critical"', "F4C7C3")
    assert ws[f"{worst}3"].value.split()[0] in vocab.SEVERITIES  # what the rules read
    (overdue, colour), = rules(ws, "Due date")
    assert "TODAY()" in overdue and colour == "F4C7C3"


def test_every_sheet_prints_one_page_wide_with_a_footer(sefton_book):
    _, book = sefton_book
    for name in ("Cover", "Plan", "Not covered"):
        ws = book[name]
        assert str(ws.page_setup.paperSize) == (ws.PAPERSIZE_A4 if name == "Cover"
                                                else ws.PAPERSIZE_A3)
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.oddFooter.left.text == f"Sefton: {name}"
        assert ws.oddFooter.right.text == "Page &P of &N"
    assert book["Plan"].page_setup.orientation == "landscape"
    assert book["Plan"].print_title_rows == "$1:$2"


def board_book(folder, as_of=datetime.date(2026, 12, 5)):
    area = open_area(folder)
    summary = area.board_summary(as_of)
    data = plan_workbook(build_plan(area.graph, area.gaps()), "test", board=summary)
    return summary, load_workbook(io.BytesIO(data))


def test_the_board_sheet_is_the_board_page_table():
    """The same rows as 'graphmodel board' prints, after the cover; the status coloured as
    on the page (no actions in Sefton: every one grey, 'no action yet')."""
    summary, book = board_book(SEFTON)
    assert book.sheetnames[:3] == ["Cover", "Board", "Plan"]
    ws = book["Board"]
    assert ws["A1"].value == ("Sefton: the first ten problems for the board, action status on "
                              "5 December 2026 (as 'graphmodel board' prints them)")
    assert [c.value for c in ws[2]] == list(BOARD_COLUMNS)
    rows = [dict(zip(BOARD_COLUMNS, r, strict=True))
            for r in ws.iter_rows(min_row=3, values_only=True)]
    assert rows == board_table(summary) and len(rows) == 10
    assert rows[3]["Who must act"].splitlines()[0] == (
        "Recommendations 1.4, 1.5: NHS South Sefton CCG (now NHS Cheshire and Merseyside "
        "Integrated Care Board); NHS Southport and Formby CCG (now NHS Cheshire and "
        "Merseyside Integrated Care Board)")
    assert {ws[f"F{r}"].fill.start_color.rgb[-6:] for r in range(3, 13)} == {"EEEEEE"}
    assert ws.oddFooter.left.text == "Sefton: Board"
    area = open_area(SEFTON)
    plain = plan_workbook(build_plan(area.graph, area.gaps()), "test")
    assert "Board" not in load_workbook(io.BytesIO(plain)).sheetnames


def test_the_board_sheet_shows_action_status_and_due_dates(tmp_path):
    from test_board import ACTIONS
    folder = tmp_path / "northmoor"
    shutil.copytree(NORTHMOOR, folder)
    (folder / "actions.yaml").write_text(ACTIONS, encoding="utf-8")
    _, book = board_book(folder)
    ws = book["Board"]
    got = [(ws[f"F{r}"].value, ws[f"G{r}"].value, ws[f"F{r}"].fill.start_color.rgb[-6:])
           for r in range(3, 7)]
    assert got == [("closed (1 of 1 action done)", None, "D9EAD3"),
                   ("overdue (0 of 1 action done)", datetime.datetime(2026, 9, 30), "F4C7C3"),
                   ("under way (2 of 3 actions done)", datetime.datetime(2027, 3, 31), "FCE8B2"),
                   ("no action yet", None, "EEEEEE")]
    assert ws["G4"].is_date and ws["G4"].number_format == "d mmm yyyy"


def test_the_board_sheet_keeps_hostile_names_as_text(tmp_path):
    from hostile import hostile_area
    _, book = board_book(hostile_area(tmp_path / "hostile"))
    cells = [c for row in book["Board"].iter_rows(min_row=3) for c in row if c.value]
    assert any('=HYPERLINK("http://evil.example","NCCG")' in str(c.value) for c in cells)
    assert all(c.data_type != "f" for c in cells)
    assert not any("\x1b" in str(c.value) for c in cells)
    assert any("-Outcomes \\x1b[2J are not shared" in str(c.value) for c in cells)


def test_plan_writes_the_board_sheet_and_imports_past_it(area_copy, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from graphmodel.cli import app
    monkeypatch.setenv("GRAPHMODEL_CACHE", str(tmp_path / "cache"))
    out = tmp_path / "plan.xlsx"
    done = CliRunner().invoke(app, ["plan", "-m", str(area_copy), "-o", str(out)])
    assert done.exit_code == 0, done.output
    assert load_workbook(out).sheetnames[:3] == ["Cover", "Board", "Plan"]
    done = CliRunner().invoke(app, ["plan", "import", str(out), "-m", str(area_copy)])
    assert done.exit_code == 0 and "0 actions" in done.stdout


def test_status_is_a_drop_down_of_the_vocabulary(sefton_book):
    _, book = sefton_book
    ws = book["Plan"]
    status = column(ws, "Status")
    lists = [v for v in ws.data_validations.dataValidation if v.type == "list"]
    assert len(lists) == 1
    labels = [s.label for s in vocab.ACTION_STATUSES.values()]
    assert lists[0].formula1 == '"' + ",".join(labels) + '"'
    assert f"{status}3" in lists[0].sqref and f"{status}51" in lists[0].sqref
    dates = [v for v in ws.data_validations.dataValidation if v.type == "date"]
    assert f"{column(ws, 'Due date')}3" in dates[0].sqref


def test_by_owner_puts_the_owner_first():
    book = load_workbook(io.BytesIO(make_workbook(NORTHMOOR, by_owner=True)))
    ws = book["Plan"]
    assert ws["A2"].value == "Action owner"
    assert [ws.cell(r, 1).value for r in range(3, ws.max_row + 1)][:2] == ["Brightpath"] * 2


def soffice(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """Headless LibreOffice with a profile of its own, so runs never share one."""
    exe = shutil.which("soffice")
    assert exe, "LibreOffice is not installed: run scripts/install-libreoffice"
    profile = (cwd / "lo-profile").as_uri()
    return subprocess.run([exe, f"-env:UserInstallation={profile}", "--headless", *args],
                          cwd=cwd, capture_output=True, text=True, timeout=240,
                          env={**os.environ, "HOME": str(cwd)})


@pytest.mark.libreoffice
def test_libreoffice_opens_the_workbook_and_prints_it(sefton_book, tmp_path):
    data, _ = sefton_book
    (tmp_path / "plan.xlsx").write_bytes(data)
    done = soffice("--convert-to", "pdf", "--outdir", str(tmp_path), "plan.xlsx", cwd=tmp_path)
    pdf = tmp_path / "plan.pdf"
    assert done.returncode == 0 and pdf.is_file(), done.stdout + done.stderr
    assert "Error" not in done.stderr
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "Action plan: Sefton" in text and "16 May 2019" in text
    assert "For the owners to fill in" in text and "Problem with no recommendation" in text
    assert "Sefton: Plan" in text and "Page 2 of" in text  # the footer
    assert "Findings behind it" not in text  # the analyst's columns stay hidden
    if os.environ.get("GRAPHMODEL_DOCS_SCREENSHOTS") == "1":
        picture(pdf, page=2, out=Path(__file__).parents[1] / "docs" / "plan-workbook.png")
    pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert int(next(ln.split()[-1] for ln in pages.splitlines() if ln.startswith("Pages"))) >= 3


def picture(pdf: Path, page: int, out: Path) -> None:
    """One page of a PDF as a PNG (poppler's pdftoppm), for the README."""
    stem = out.with_suffix("")
    subprocess.run(["pdftoppm", "-png", "-r", "90", "-f", str(page), "-l", str(page),
                    "-singlefile", str(pdf), str(stem)], check=True)


@pytest.mark.libreoffice
def test_libreoffice_prints_the_board_sheet(tmp_path):
    """The Board sheet as LibreOffice prints it: its title, every problem, one page wide."""
    summary, _ = board_book(SEFTON)
    area = open_area(SEFTON)
    data = plan_workbook(build_plan(area.graph, area.gaps()), "test", board=summary)
    (tmp_path / "plan.xlsx").write_bytes(data)
    done = soffice("--convert-to", "pdf", "--outdir", str(tmp_path), "plan.xlsx", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    text = subprocess.run(["pdftotext", "-f", "2", "-l", "2", str(tmp_path / "plan.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    words = " ".join(text.split())
    assert "Sefton: the first ten problems for the board" in words and "Sefton: Board" in words
    for row in summary["problems"]:
        assert " ".join(row["problem"].split()[:6]) in words


@pytest.mark.libreoffice
def test_libreoffice_shows_hostile_names_as_text(tmp_path, monkeypatch):
    """A party named '=HYPERLINK(...)' stays that text in Calc; ESC shows as \\x1b (issue 14)."""
    from typer.testing import CliRunner

    from graphmodel.cli import app

    from hostile import hostile_area
    monkeypatch.setenv("GRAPHMODEL_CACHE", str(tmp_path / "cache"))
    area = hostile_area(tmp_path / "area")
    done = CliRunner().invoke(app, ["plan", "-m", str(area), "-o", str(tmp_path / "plan.xlsx")])
    assert done.exit_code == 0, done.output
    done = soffice("--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,"
                   "false,false,false,-1", "--outdir", str(tmp_path), "plan.xlsx", cwd=tmp_path)
    sheets = list(tmp_path.glob("plan*.csv"))
    assert done.returncode == 0 and sheets, done.stdout + done.stderr
    text = "\n".join(p.read_text(encoding="utf-8") for p in sheets)
    assert '=HYPERLINK(""http://evil.example"",""NCCG"")' in text  # the text, not a link
    assert "\\x1b[2J" in text and "\x1b" not in text
