"""PDF in: the report CQC publishes, read to the text graphmodel extracts.

The measure throughout is graphmodel's own: the text read from a PDF made of
a report (``pdfmaker``: CQC's layout, with its title page, contents, running
header and footer, page numbers, paragraphs across pages and the
recommendations table) must give the same findings, recommendations, next
steps, cases, context and cover dates as the report's text itself, and
``graphmodel new`` on the PDF the same model files.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pypdf
import pytest
from typer.testing import CliRunner

from graphmodel.api import extract, new_area
from graphmodel.authoring.new_area import propose
from graphmodel.cli import app
from graphmodel.errors import ModelError
from graphmodel.model.pdf import _clean, mend_hyphens, pdf_to_text, read_pages
from graphmodel.model.report import extract_report, read_report_file

from pdfmaker.compare import REPORTS, area_of, first_difference, summary
from pdfmaker.make_pdf import make_report_pdf

runner = CliRunner()


def report_text(name: str) -> str:
    return REPORTS[name].read_bytes().decode("utf-8-sig")


@pytest.fixture(scope="session")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    """Every report (Sefton and each fixture) typeset once in CQC's layout."""
    folder = tmp_path_factory.mktemp("pdfs")
    made = {}
    for name in REPORTS:
        text = report_text(name)
        made[name] = folder / f"{name}.pdf"
        make_report_pdf(text, made[name], area_of(text, name))
    return made


def read(path: Path) -> tuple[str, list[str]]:
    return pdf_to_text(path.read_bytes(), str(path))


# --- the PDFs read back as their text ------------------------------------------------------

@pytest.mark.parametrize("name", list(REPORTS))
def test_a_pdf_extracts_as_its_text(pdfs, name):
    want, got = summary(report_text(name), name), summary(read(pdfs[name])[0], name)
    assert got == want, first_difference(want, got)


def test_the_cover_dates_survive_the_pdf(pdfs):
    dates = extract(pdfs["wexmoor"]).dates
    assert (str(dates.held_from), str(dates.held_to), str(dates.published)) == \
        ("2017-10-09", "2017-10-13", "2017-12-22")


def test_the_text_is_clean(pdfs):
    text, warnings = read(pdfs["sefton"])
    assert not re.search(r"Page \d+ of \d+", text)
    body = text[text.index("Summary of the review"):]
    assert "Review of health services for Children" not in body  # the running header
    assert "Contents" not in text and ". . ." not in text
    assert "0-19 service" in text and "multi-agency" in text and "co-ordinating" in text
    assert all("hyphen" in w for w in warnings)


def test_a_paragraph_split_by_a_page_break_is_whole(pdfs):
    pages = read_pages(pdfs["sefton"].read_bytes(), "sefton.pdf")  # header first, footer last
    splits = [(before[-2].strip(), page[1].strip())
              for before, page in zip(pages[2:], pages[3:], strict=False)
              if page[1][:1].islower() and not before[-2].strip().endswith("-")]
    assert len(splits) >= 5
    running = " ".join(read(pdfs["sefton"])[0].split())
    for last, first in splits:
        assert f"{last} {' '.join(first.split()[:3])}" in running


def test_the_recommendations_are_a_table_whose_numbers_stand_apart(pdfs):
    """A table draws each cell apart: the reader puts "1.1" back before its text."""
    pages = read_pages(pdfs["wexmoor"].read_bytes(), "wexmoor.pdf")
    lines = [line.strip() for page in pages for line in page]
    assert "1.1" in lines and "2.3" in lines
    assert "1.1 Work with the named GP and partners to ensure that GP practices are notified " \
        "when their patients are discussed at MARAC." in \
        [r.id + " " + r.text for r in extract(pdfs["wexmoor"]).recommendations]


# --- the typesetter ----------------------------------------------------------------------

def test_the_pdf_is_laid_out_like_cqcs(pdfs):
    reader = pypdf.PdfReader(pdfs["sefton"])
    pages = [p.extract_text() for p in reader.pages]
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=0.1)  # A4
    assert "Page 1 of" not in pages[0] and "Review of health" in pages[0]  # title page
    assert "Contents" in pages[1] and re.search(r"(\.\s+){10,}\d+\n", pages[1])  # leaders
    for number, text in enumerate(pages[1:], 2):
        assert text.startswith("Review of health services for Children Looked After and "
                               "Safeguarding in Sefton")
        assert text.rstrip().endswith(f"Page {number} of {len(pages)}")
    assert any(re.search(r"[a-z]-$", line) for p in pages for line in p.splitlines())
    assert "Date of review:" in reader_text(pdfs["wexmoor"], 0)  # the cover's table


def reader_text(path: Path, page: int) -> str:
    return pypdf.PdfReader(path).pages[page].extract_text()


def test_the_pdf_is_the_same_each_time(tmp_path):
    text = report_text("calderbrook")
    make_report_pdf(text, tmp_path / "a.pdf", "Calderbrook")
    make_report_pdf(text, tmp_path / "b.pdf", "Calderbrook")
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()


def test_the_contents_page_numbers_are_right(pdfs):
    reader = pypdf.PdfReader(pdfs["sefton"])
    contents = reader.pages[1].extract_text(extraction_mode="layout")
    for heading in ("The child\u2019s journey", "Recommendations", "Next steps"):
        listed = int(re.search(re.escape(heading) + r"[ .]*?(\d+)\n", contents)[1])
        assert heading in reader.pages[listed - 1].extract_text().splitlines(), heading


# --- graphmodel new and extract on a PDF ---------------------------------------------------

def _without_lines(extraction) -> dict:
    data = extraction.to_dict()
    for kind in ("findings", "recommendations"):
        for item in data[kind]:
            item.pop("line")
    data.get("next_steps", {}).pop("line", None)
    return data


@pytest.mark.parametrize("name", list(REPORTS))
def test_new_on_the_pdf_gives_what_new_on_the_text_gives(pdfs, tmp_path, name):
    proposal, model = new_area(tmp_path / name, pdfs[name])
    on_text = propose(report_text(name), tmp_path / name, None, f"{name}.txt")
    assert _without_lines(proposal.extraction) == _without_lines(on_text.extraction)
    assert (proposal.name, proposal.public_health_owner) == \
        (on_text.name, on_text.public_health_owner)
    assert len(model.findings) == len(on_text.extraction.findings)
    kept = (tmp_path / name / "report.txt").read_text(encoding="utf-8")
    assert kept == proposal.source.text  # every quote is checked against this text
    assert "report_source:" in (tmp_path / name / "area.yaml").read_text(encoding="utf-8")
    assert model.area.report_source.sha256 == proposal.source.sha256
    assert model.area.report_source.read_as == "pdf"


def test_new_on_a_pdf_through_the_command_line(pdfs, tmp_path):
    result = runner.invoke(app, ["new", str(tmp_path / "w"), "--report",
                                 str(pdfs["wexmoor"])])
    assert result.exit_code == 0, result.output
    assert f"the text read from wexmoor.pdf (SHA-256 {_digest(pdfs['wexmoor'])[:12]}" \
        in result.stdout
    area = (tmp_path / "w" / "area.yaml").read_text(encoding="utf-8")
    assert f"sha256: {_digest(pdfs['wexmoor'])}" in area
    assert "from: '2017-10-09'" in area and "published: '2017-12-22'" in area
    assert "quote: 'Date of review: 9 October 2017 – 13 October 2017'" in area


def _digest(path: Path) -> str:
    import hashlib
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_extract_on_a_pdf_through_the_command_line(pdfs):
    result = runner.invoke(app, ["extract", str(pdfs["calderbrook"]), "-f", "json"])
    assert result.exit_code == 0, result.output
    assert '"id": "1.1"' in result.stdout


def test_extract_prints_each_oddity_as_a_warning_naming_its_page(pdfs, tmp_path):
    picture = _with_a_picture_page(pdfs["ranktown"], tmp_path)
    result = runner.invoke(app, ["extract", str(picture)])
    assert result.exit_code == 0
    assert f"warning: {picture}: page 4: has no text (a picture?); nothing read from it" \
        in result.stderr.splitlines()


# --- what the reader refuses, each in one line -------------------------------------------

def one_line_error(path: Path) -> str:
    """The one line reading ``path`` gives, through the library and the command line."""
    with pytest.raises(ModelError) as caught:
        read_report_file(path)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(str(path))
    result = runner.invoke(app, ["extract", str(path)])
    assert result.exit_code == 1 and result.stderr == f"error: {message}\n"
    return message


def test_a_scanned_pdf(pdfs, tmp_path):
    import pypdfium2
    document = pypdfium2.PdfDocument(pdfs["ranktown"])
    images = [document[i].render(scale=100 / 72).to_pil().convert("RGB")
              for i in range(len(document))]
    scan = tmp_path / "scan.pdf"
    images[0].save(scan, save_all=True, append_images=images[1:], resolution=100)
    assert "has no text layer (a scanned PDF?): run OCR on it first" in one_line_error(scan)


def _with_a_picture_page(source: Path, tmp_path: Path) -> Path:
    import pypdfium2
    picture = tmp_path / "picture.pdf"
    pypdfium2.PdfDocument(source)[2].render().to_pil().convert("RGB").save(picture)
    writer = pypdf.PdfWriter(clone_from=source)
    writer.append(picture)
    mixed = tmp_path / "mixed.pdf"
    writer.write(mixed)
    return mixed


def test_a_picture_page_among_text_pages_is_a_warning(pdfs, tmp_path):
    mixed = _with_a_picture_page(pdfs["ranktown"], tmp_path)
    text, warnings = read(mixed)
    assert f"{mixed}: page 4: has no text (a picture?); nothing read from it" in warnings
    assert summary(text, "r") == summary(report_text("ranktown"), "r")


def encrypt(source: Path, target: Path, user: str) -> None:
    """A copy of ``source`` encrypted as pypdf does it without extra packages (RC4)."""
    writer = pypdf.PdfWriter(clone_from=source)
    writer.encrypt(user_password=user, owner_password="owner-secret", algorithm="RC4-128")
    writer.write(target)


def test_a_password_protected_pdf(pdfs, tmp_path):
    encrypt(pdfs["ranktown"], tmp_path / "locked.pdf", user="secret")
    assert "is encrypted (password-protected)" in one_line_error(tmp_path / "locked.pdf")


def test_new_on_an_encrypted_pdf_writes_nothing(pdfs, tmp_path):
    encrypt(pdfs["ranktown"], tmp_path / "locked.pdf", user="secret")
    result = runner.invoke(app, ["new", str(tmp_path / "area"), "--report",
                                 str(tmp_path / "locked.pdf")])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "is encrypted (password-protected)" in \
        result.stderr
    assert not (tmp_path / "area").exists()


def test_a_pdf_with_only_an_owner_password_reads(pdfs, tmp_path):
    encrypt(pdfs["ranktown"], tmp_path / "owned.pdf", user="")
    assert read(tmp_path / "owned.pdf")[0] == read(pdfs["ranktown"])[0]


@pytest.mark.parametrize("damage, says", [
    (lambda b: b[: len(b) // 2], "is a damaged PDF: it is cut short"),
    (lambda b: b"%PDF-1.4\n" + bytes(range(256)) * 8 + b"\n%%EOF\n", "is a damaged PDF"),
    (lambda b: b[:200] + b"x" * (len(b) - 400) + b[-200:], "is a damaged PDF"),
    (lambda b: re.sub(rb"(stream\r?\n).{20}", lambda m: m[1] + b"\xff" * 20, b, count=50,
                      flags=re.S), "is a damaged PDF: page 1 cannot be read"),
    (lambda b: b.replace(b"/Type /Pages", b"/Type /Xages"), "is a PDF without pages"),
], ids=["cut-short", "random-bytes", "overwritten", "content-streams", "no-pages"])
def test_a_damaged_pdf(pdfs, tmp_path, damage, says):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(damage(pdfs["ranktown"].read_bytes()))
    assert says in one_line_error(broken)


def test_damage_worked_round_is_a_warning(pdfs, tmp_path):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(re.sub(rb"startxref\s+\d+", b"startxref\n99",
                              pdfs["ranktown"].read_bytes()))
    text, warnings = read(broken)
    assert any("has faults that were worked round" in w for w in warnings)
    assert summary(text, "r") == summary(report_text("ranktown"), "r")


def test_a_missing_report(tmp_path):
    assert "report file not found" in one_line_error(tmp_path / "nothing.pdf")


def test_gaps_never_imports_pypdf():
    import subprocess
    import sys
    code = ("import sys; from graphmodel.cli import main; sys.argv=['graphmodel','gaps'];\n"
            "try: main()\nexcept SystemExit: pass\n"
            "print([m for m in ('pypdf', 'graphmodel.model.pdf') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.splitlines()[-1] == "[]"


def test_reading_a_report_is_quick(pdfs):
    """Not a benchmark (benchmarks/pdf/bench.py is): a bound that catches a slow path."""
    started = time.perf_counter()
    read_report_file(pdfs["sefton"])
    assert time.perf_counter() - started < 30


# --- hyphens at line ends, and what cleaning does ----------------------------------------

REAL_HYPHENS = ["Health visitors in the 0-", "19 service make follow-", "up visits, with a",
                "co-", "ordinating role for self-", "harm and multi-", "agency meetings."]


def test_real_hyphens_stay_where_a_document_does_not_hyphenate():
    from graphmodel.model.report import join_lines
    assert mend_hyphens(REAL_HYPHENS) == REAL_HYPHENS
    joined = join_lines(mend_hyphens(REAL_HYPHENS))
    assert "0-19 service make follow-up visits" in joined
    assert "co-ordinating role for self-harm and multi-agency" in joined


@pytest.mark.parametrize("name", list(REPORTS))
def test_a_report_text_is_left_alone_by_the_hyphen_mender(name):
    """CQC's PDFs do not hyphenate: their line-end hyphens are real ("pro-" +
    "actively" although Sefton writes "proactively" elsewhere). Harbourside's
    text was made to hold one cut word, "rele-" + "vant"."""
    lines = report_text(name).splitlines()
    changed = [line for line in mend_hyphens(lines) if line not in lines]
    if name == "harbourside":
        assert len(changed) == 1 and "checked and relevant information is" in changed[0]
    else:
        assert changed == []


def test_cut_words_join_and_real_hyphens_stay_where_a_document_hyphenates():
    from graphmodel.model.report import join_lines
    lines = ["An assessment of risk. The assess-", "ment was late, the atten-",
             "tion of the follow-", "up team and the 0-", "19 service was drawn to co-",
             "ordinating the well-being of children, their wellbeing and well-",
             "being. Practitioners exam-", "ined the records \u00ad", "and the con-",
             "tract."]
    text = join_lines(mend_hyphens(lines))
    assert "The assessment was late, the attention of the follow-up team" in text
    assert "the 0-19 service was drawn to co-ordinating" in text
    assert "Practitioners examined the records" in text
    assert "and the contract." in text  # nothing tells: a cut (guessed)
    assert "well-being." in text  # "well-being" once, "wellbeing" once: left as written


def test_cleaning_a_line():
    for variant in ("The child's journey", "THE CHILD\u2019S JOURNEY", "The child s journey",
                    "The childs journey", "The child\u2019 s  journey", "the child`s Journey"):
        assert _clean(variant) == "The child\u2019s journey"
    assert _clean("The child\u2019s journey continues") == "The child\u2019s journey continues"
    assert _clean("5.1.10A whole systems approach") == "5.1.10 A whole systems approach"
    assert _clean("identi\ufb01ed\u00a0risks") == "identified risks"


def test_the_pdfs_text_needs_no_repair(pdfs):
    from graphmodel.model.repair import repair
    assert repair(read(pdfs["sefton"])[0])[1] == []


def test_extract_report_is_the_same_on_text_read_back(pdfs):
    """The text new keeps as report.txt extracts as the PDF did: what validate checks."""
    text = read(pdfs["northmoor"])[0]
    assert extract_report(text).to_dict() == extract(pdfs["northmoor"]).to_dict()
