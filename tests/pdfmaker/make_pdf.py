"""Typeset a CLAS report's text as a PDF laid out like CQC's, for tests.

Why: graphmodel must read the PDFs CQC publishes, and tests need such PDFs
made on the spot from the report texts we have: an A4 title page, a contents
page with dotted leaders, running headers, "Page N of M" footers, numbered
paragraphs with hanging numbers that flow over page breaks, case-example
boxes and the recommendations as numbered lists. reportlab (pure Python, on
PyPI) does all of it in well under a second, byte for byte the same each run.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

from .blocks import Block, cover_fields, parse

TITLE = "Review of health services for Children Looked After and Safeguarding in {area}"
FONTS = {"vera": ("Vera.ttf", "VeraBd.ttf"),  # inside reportlab: the same on every machine
         "liberation": ("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
                        "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf")}
INK = colors.HexColor("#1f1f1f")
CQC_BLUE = colors.HexColor("#0b4b87")
MARGIN = 2.2 * cm


def make_report_pdf(text: str, out: Path, title: str, hyphenate: bool = True,
                    font_size: float = 11, font: str = "vera") -> None:
    """Write ``text`` (a report's plain text) to ``out`` as a CQC-like PDF.

    ``title`` is the report's title or only its area's name ("Sefton").
    ``hyphenate`` breaks long words at line ends ("assess-" / "ment") as a
    typesetter may, so readers of the PDF must join them back. Another
    ``font_size`` moves every line and page break: a cheap way to vary a test.
    ``font`` "vera" ships inside reportlab, so a test's line breaks are the same
    on every machine; "liberation" (Debian's fonts-liberation) has Arial's
    widths, as CQC's reports do.
    """
    if not title.lower().startswith("review of"):
        title = TITLE.format(area=title)
    fonts = _register_fonts(*FONTS[font])
    styles = _styles(fonts, _hyphenator(text) if hyphenate else "", font_size)
    doc = _Document(str(out), title, fonts[0])
    styles["twins"] = twin_words(text)
    story = _title_page(title, cover_fields(text), styles) + _contents(styles) + \
        _body(parse(text), styles)
    doc.multiBuild(story, canvasmaker=_numbered_canvas(title, fonts))


def _register_fonts(regular: str, bold: str) -> tuple[str, str]:
    """A sans-serif embedded as TrueType subsets with a ToUnicode map, as in
    Word's PDFs (the base-14 Helvetica would test no font handling at all)."""
    name = Path(regular).stem
    pdfmetrics.registerFont(TTFont(name, regular))
    pdfmetrics.registerFont(TTFont(name + "-Bold", bold))
    return name, name + "-Bold"


def _styles(fonts: tuple[str, str], hy, size: float) -> dict[str, ParagraphStyle]:
    """Paragraph styles: 11 pt body, hanging numbers 1.3 cm wide, bold headings."""
    regular, bold = fonts
    body = ParagraphStyle("body", fontName=regular, fontSize=size, leading=size * 1.32,
                          spaceAfter=7,
                          textColor=INK, hyphenationLang=hy, embeddedHyphenation=1)
    hanging = dict(leftIndent=1.45 * cm * size / 11, bulletIndent=0, bulletFontName=regular,
                   bulletFontSize=size)
    return {
        "title": ParagraphStyle("title", fontName=bold, fontSize=26, leading=32,
                                textColor=CQC_BLUE),
        "h1": ParagraphStyle("h1", fontName=bold, fontSize=16, leading=20, spaceBefore=10,
                             spaceAfter=10, textColor=CQC_BLUE, keepWithNext=1),
        "h2": ParagraphStyle("h2", fontName=bold, fontSize=13, leading=17, spaceBefore=8,
                             spaceAfter=8, textColor=CQC_BLUE, keepWithNext=1),
        "h3": ParagraphStyle("h3", fontName=bold, fontSize=11.5, leading=15, spaceBefore=6,
                             spaceAfter=6, keepWithNext=1),
        "body": body,
        "numbered": ParagraphStyle("numbered", parent=body, **hanging),
        "group": ParagraphStyle("group", parent=body, fontName=bold, hyphenationLang="",
                                keepWithNext=1, **hanging),
        "bullet": ParagraphStyle("bullet", parent=body, leftIndent=0.8 * cm,
                                 bulletIndent=0.2 * cm),
        "bullet2": ParagraphStyle("bullet2", parent=body, leftIndent=1.6 * cm,
                                  bulletIndent=1.0 * cm),
        "toc0": ParagraphStyle("toc0", fontName=regular, fontSize=11, leading=17),
        "toc1": ParagraphStyle("toc1", fontName=regular, fontSize=11, leading=15,
                               leftIndent=0.8 * cm),
    }


def twin_words(text: str) -> set[str]:
    """Hyphenated words the report also writes solid ("pro-actively" and
    "proactively"): a break at their hyphen is undecidable for any reader, so
    the typesetter never breaks them there."""
    from graphmodel.model.pdf import word_forms
    words = set(re.findall(r"[a-z]+", text.lower()))
    return {w for w in hyphenated_words(text) if word_forms(w.replace("-", "")) & words}


def _hyphenator(text: str):
    """British English patterns (pyphen), at least 2 letters before a break and 3 after.

    A break is skipped where the report itself writes the word with a hyphen
    there ("wellbeing" in one paragraph, "well-being" in another): "well-" at a
    line's end would then be undecidable for any reader, so no typesetter test
    should hinge on it.
    """
    import pyphen

    from graphmodel.model.pdf import word_forms
    hyphenated = hyphenated_words(text)
    dictionary = pyphen.Pyphen(lang="en_GB", left=2, right=3)

    def breaks(word: str):
        if "-" in word:  # reportlab breaks these at their own hyphen (embeddedHyphenation)
            return []
        return [(h, t) for h, t in dictionary.iterate(word)
                if not word_forms(f"{h}-{t}".lower()) & hyphenated]
    return breaks


def hyphenated_words(text: str) -> set[str]:
    """The words the report writes with a hyphen, lower case, whole even where
    its own text broke them over two lines."""
    text = re.sub(r"-[ \t]*\r?\n\s*", "-", text.lower())
    return set(re.findall(r"[a-z]+(?:-[a-z]+)+", text))


class _Document(BaseDocTemplate):
    """A4 pages in two templates (title, body) that feed the contents list."""

    def __init__(self, filename: str, title: str, font: str):
        super().__init__(filename, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
                         topMargin=2.6 * cm, bottomMargin=2.4 * cm, title=title,
                         author="Care Quality Commission", creator="graphmodel tests",
                         invariant=1)
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="f")
        self.running_title, self.font = title, font
        self.addPageTemplates([PageTemplate("title", [frame]),
                               PageTemplate("body", [frame], onPage=self._header)])

    def _header(self, canvas: Canvas, doc) -> None:
        """The running header: the report's title above a thin rule."""
        canvas.saveState()
        canvas.setFont(self.font, 8.5)
        canvas.setFillColor(colors.HexColor("#555555"))
        top = A4[1] - 1.5 * cm
        canvas.drawString(MARGIN, top, self.running_title)
        canvas.setStrokeColor(colors.HexColor("#999999"))
        canvas.line(MARGIN, top - 4, A4[0] - MARGIN, top - 4)
        canvas.restoreState()

    def afterFlowable(self, flowable) -> None:
        """Tell the contents list where each heading landed."""
        level = getattr(flowable, "toc_level", None)
        if level is not None:
            self.notify("TOCEntry", (level, flowable.getPlainText(), self.page))


def _numbered_canvas(title: str, fonts: tuple[str, str]):
    """A canvas class that writes "Page N of M" once the page count M is known."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):
            """Keep the page's drawing until the page count is known."""
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            """Every page kept so far, now with its footer, then the file."""
            for number, state in enumerate(self._pages, 1):
                self.__dict__.update(state)
                if number > 1:  # the title page has no footer
                    self.setFont(fonts[0], 9)
                    self.drawCentredString(A4[0] / 2, 1.4 * cm,
                                           f"Page {number} of {len(self._pages)}")
                super().showPage()
            super().save()

    return NumberedCanvas


def _title_page(title: str, fields: list[tuple[str, list[str]]], styles) -> list:
    """An A4 title page: the title, the cover's fields in a table (dates, inspectors,
    providers), the publisher; then body pages follow."""
    story: list = [Spacer(1, 4 * cm), Paragraph(escape(title), styles["title"]),
                   Spacer(1, 1.2 * cm)]
    if fields:
        rows = [[Paragraph(escape(label), styles["h3"]),
                 [Paragraph(escape(v), styles["body"]) for v in values] or ""]
                for label, values in fields]
        table = Table(rows, colWidths=[5.5 * cm, A4[0] - 2 * MARGIN - 5.5 * cm])
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.grey)]))
        story += [table, Spacer(1, 1 * cm)]
    return story + [Paragraph("Care Quality Commission", styles["h2"]),
                    NextPageTemplate("body"), PageBreak()]


def _contents(styles) -> list:
    """The contents page: parts and sections, dotted leaders, page numbers."""
    toc = TableOfContents(dotsMinLevel=0, levelStyles=[styles["toc0"], styles["toc1"]])
    heading = Paragraph("Contents", styles["h1"])
    return [heading, toc, PageBreak()]


def _body(blocks: list[Block], styles) -> list:
    """The report's blocks as flowables, in order; the recommendations as one table."""
    story: list = []
    table: list[Block] = []
    for block in blocks:
        if block.kind in ("group", "item"):
            table.append(block)
            continue
        if table:
            story.append(_recommendations_table(table, styles))
            table = []
        story.extend(_flowables(block, styles))
    if table:
        story.append(_recommendations_table(table, styles))
    return story


def _recommendations_table(blocks: list[Block], styles) -> Table:
    """The recommendations laid out as CQC's table: a shaded row "N. <organisations>
    should:" across both columns, then a row per item, its number in the first
    column; rows split over pages."""
    width = A4[0] - 2 * MARGIN
    rows, style = [], [("VALIGN", (0, 0), (-1, -1), "TOP"),
                       ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#999999"))]
    for block in blocks:
        texts = [escape(t) for t in block.texts]
        if block.kind == "group":
            rows.append([Paragraph(f"{block.number} {texts[0]}", styles["h3"]), ""])
            style += [("SPAN", (0, len(rows) - 1), (1, len(rows) - 1)),
                      ("BACKGROUND", (0, len(rows) - 1), (1, len(rows) - 1),
                       colors.HexColor("#eef2f8"))]
        else:
            cell = [Paragraph(t, _unbroken(styles["body"], t, styles["twins"])) for t in texts]
            rows.append([Paragraph(block.number, styles["body"]), cell])
    table = Table(rows, colWidths=[1.6 * cm, width - 1.6 * cm], repeatRows=0,
                  splitInRow=1)
    table.setStyle(TableStyle(style))
    return table


def _unbroken(style: ParagraphStyle, text: str, twins: set[str]) -> ParagraphStyle:
    """The style, or where the text holds a twin word, one that never breaks a
    word at its hyphen."""
    if not any(t in text.lower() for t in twins):
        return style
    return ParagraphStyle(style.name + "-unbroken", parent=style, embeddedHyphenation=0)


def _flowables(block: Block, styles) -> list:
    """One block's flowables: headings feed the contents list."""
    texts = [escape(t) for t in block.texts]
    twins = styles["twins"]
    if block.kind in ("heading", "section", "subsection"):
        style = {"heading": "h1", "section": "h2", "subsection": "h3"}[block.kind]
        words = f"{block.number} {texts[0]}".strip()
        para = Paragraph(words, styles[style])
        para.toc_level = {"heading": 0, "section": 1}.get(block.kind)
        return [para]
    if block.kind == "case":
        return [_case_box(block, styles)]
    if block.kind in ("para", "item", "group"):
        style = styles["group" if block.kind == "group" else "numbered"]
        first = Paragraph(texts[0], _unbroken(style, texts[0], twins), bulletText=block.number)
        return [first] + [Paragraph(t, _unbroken(styles["numbered"], t, twins))
                          for t in texts[1:]]
    if block.kind == "bullet":
        style, mark = (styles["bullet"], "\u2022") if block.level == 1 else (styles["bullet2"],
                                                                            "o")
        return [Paragraph(t, _unbroken(style, t, twins), bulletText=mark) for t in texts]
    return [Paragraph(t, _unbroken(styles["body"], t, twins)) for t in texts]


def _case_box(block: Block, styles) -> Table:
    """A case example in a shaded, ruled box that may break across pages."""
    title = Paragraph(escape(block.title), styles["h3"])
    rows = [[title]] + [[Paragraph(escape(t), _unbroken(styles["body"], t, styles["twins"]))]
                        for t in block.texts]
    table = Table(rows, colWidths=[A4[0] - 2 * MARGIN - 0.4 * cm], splitInRow=1)
    table.setStyle(TableStyle([
        ("BOX", (0, 0), (-1, -1), 0.8, CQC_BLUE),
        ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#eef2f8")),
        ("LEFTPADDING", (0, 0), (-1, -1), 10), ("RIGHTPADDING", (0, 0), (-1, -1), 10),
    ]))
    return KeepTogether([Spacer(1, 4), table, Spacer(1, 10)]) if len(rows) < 3 else table


def main(argv: list[str]) -> int:
    """make_pdf.py REPORT.txt OUT.pdf AREA"""
    text = Path(argv[1]).read_text(encoding="utf-8-sig")
    make_report_pdf(text, Path(argv[2]), argv[3])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
