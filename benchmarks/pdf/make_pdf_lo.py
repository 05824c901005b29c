"""The same report PDF made the way CQC's are: a word-processor document with
real header and footer fields, converted by LibreOffice (the comparison run).

Why keep it: CQC's PDFs come from Word, whose text runs, kerning and tab
leaders differ from reportlab's; a PDF from LibreOffice is the closest a test
machine gets (Debian's libreoffice-writer-nogui). It writes a flat ODT
(.fodt, one XML file, no library needed): a title page without furniture,
a contents list whose page numbers are page-reference fields to bookmarks,
"Page N of M" from page-number and page-count fields, hanging numbers by tab.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

from pdfmaker.blocks import Block, parse
from pdfmaker.make_pdf import TITLE, hyphenated_words, twin_words

NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
      'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
      'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
      'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
      'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"')
FONT = 'style:font-name="Liberation Sans" fo:font-family="\'Liberation Sans\'"'
STYLES = f"""
<office:font-face-decls><style:font-face style:name="Liberation Sans"
 svg:font-family="'Liberation Sans'"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"/>
</office:font-face-decls>
<office:styles>
 <style:default-style style:family="paragraph">
  <style:paragraph-properties fo:hyphenation-ladder-count="no-limit"/>
  <style:text-properties {FONT} fo:font-size="11pt" fo:language="en" fo:country="GB"
   fo:hyphenate="HYPH" fo:hyphenation-remain-char-count="2" fo:hyphenation-push-char-count="3"/>
 </style:default-style>
 <style:style style:name="Body" style:family="paragraph">
  <style:paragraph-properties fo:margin-bottom="0.22cm" fo:line-height="125%"/></style:style>
 <style:style style:name="Numbered" style:family="paragraph" style:parent-style-name="Body">
  <style:paragraph-properties fo:margin-left="1.3cm" fo:text-indent="-1.3cm"/></style:style>
 <style:style style:name="More" style:family="paragraph" style:parent-style-name="Body">
  <style:paragraph-properties fo:margin-left="1.3cm"/></style:style>
 <style:style style:name="Group" style:family="paragraph" style:parent-style-name="Numbered">
  <style:paragraph-properties fo:keep-with-next="always"/>
  <style:text-properties fo:font-weight="bold" fo:hyphenate="false"/></style:style>
 <style:style style:name="Bullet" style:family="paragraph" style:parent-style-name="Body">
  <style:paragraph-properties fo:margin-left="0.8cm" fo:text-indent="-0.6cm"/></style:style>
 <style:style style:name="Bullet2" style:family="paragraph" style:parent-style-name="Body">
  <style:paragraph-properties fo:margin-left="1.6cm" fo:text-indent="-0.6cm"/></style:style>
 <style:style style:name="Case" style:family="paragraph" style:parent-style-name="Body">
  <style:paragraph-properties fo:background-color="#eef2f8" fo:border="0.8pt solid #0b4b87"
   fo:padding="0.25cm" fo:margin-bottom="0cm" style:join-border="true"/></style:style>
 <style:style style:name="CaseTitle" style:family="paragraph" style:parent-style-name="Case">
  <style:text-properties fo:font-weight="bold"/></style:style>
 <style:style style:name="H1" style:family="paragraph" style:default-outline-level="1">
  <style:paragraph-properties fo:margin-top="0.4cm" fo:margin-bottom="0.35cm"
   fo:keep-with-next="always"/>
  <style:text-properties fo:font-size="16pt" fo:font-weight="bold" fo:color="#0b4b87"
   fo:hyphenate="false"/></style:style>
 <style:style style:name="H2" style:family="paragraph" style:parent-style-name="H1">
  <style:text-properties fo:font-size="13pt"/></style:style>
 <style:style style:name="H3" style:family="paragraph" style:parent-style-name="H1">
  <style:text-properties fo:font-size="11.5pt" fo:color="#1f1f1f"/></style:style>
 <style:style style:name="Title" style:family="paragraph" style:master-page-name="First">
  <style:paragraph-properties fo:margin-top="6cm" fo:margin-bottom="1.5cm"/>
  <style:text-properties fo:font-size="26pt" fo:font-weight="bold" fo:color="#0b4b87"
   fo:hyphenate="false"/></style:style>
 <style:style style:name="Contents" style:family="paragraph" style:parent-style-name="H1"
  style:master-page-name="Standard"/>
 <style:style style:name="TOC0" style:family="paragraph"><style:paragraph-properties
  fo:margin-bottom="0.15cm"><style:tab-stops><style:tab-stop style:position="16.6cm"
  style:type="right" style:leader-style="dotted" style:leader-text="."/></style:tab-stops>
  </style:paragraph-properties></style:style>
 <style:style style:name="TOC1" style:family="paragraph" style:parent-style-name="TOC0">
  <style:paragraph-properties fo:margin-left="0.8cm"/></style:style>
 <style:style style:name="Furniture" style:family="paragraph">
  <style:text-properties fo:font-size="8.5pt" fo:color="#555555"/></style:style>
 <style:style style:name="Break" style:family="paragraph" style:parent-style-name="H1">
  <style:paragraph-properties fo:break-before="page"/></style:style>
 <style:style style:name="Solid" style:family="text">
  <style:text-properties fo:language="zxx" fo:country="none"/></style:style>
</office:styles>
<office:automatic-styles>
 <style:page-layout style:name="A4"><style:page-layout-properties fo:page-width="21cm"
  fo:page-height="29.7cm" fo:margin-top="1.3cm" fo:margin-bottom="1.2cm" fo:margin-left="2.2cm"
  fo:margin-right="2.2cm"/><style:header-style><style:header-footer-properties
  fo:min-height="0.8cm" fo:margin-bottom="0.5cm"/></style:header-style><style:footer-style>
  <style:header-footer-properties fo:min-height="0.8cm" fo:margin-top="0.5cm"/>
  </style:footer-style></style:page-layout>
</office:automatic-styles>
<office:master-styles>
 <style:master-page style:name="First" style:page-layout-name="A4"
  style:next-style-name="Standard"/>
 <style:master-page style:name="Standard" style:page-layout-name="A4">
  <style:header><text:p text:style-name="Furniture">TITLE</text:p></style:header>
  <style:footer><text:p text:style-name="Furniture">Page <text:page-number
   text:select-page="current">1</text:page-number> of <text:page-count>1</text:page-count></text:p>
  </style:footer></style:master-page>
</office:master-styles>
"""


def make_report_pdf_lo(text: str, out: Path, title: str, hyphenate: bool = True,
                       font_size: float = 11) -> None:
    """Write ``text`` to ``out`` as a PDF through LibreOffice (soffice on PATH)."""
    if not title.lower().startswith("review of"):
        title = TITLE.format(area=title)
    blocks = parse(text)
    xml = fodt(blocks, title, hyphenate, _solid_twins(text), twin_words(text))
    xml = xml.replace('fo:font-size="11pt"', f'fo:font-size="{font_size}pt"', 1)
    xml = re.sub(r'(fo:margin-left|fo:text-indent)="(-?)1\.3cm"',
                 lambda m: f'{m[1]}="{m[2]}{1.45 * font_size / 11:.2f}cm"', xml)
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / (out.stem + ".fodt")
        source.write_text(xml, encoding="utf-8")
        _convert(source, Path(tmp))
        os.replace(Path(tmp) / (out.stem + ".pdf"), out)


def _convert(source: Path, folder: Path) -> None:
    """soffice --convert-to pdf, with a profile of its own so runs do not collide."""
    profile = (folder / "profile").as_uri()
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(folder), str(source)],
                   check=True, capture_output=True, timeout=120)


def _solid_twins(text: str) -> set[str]:
    """Solid forms of the words the report writes with a hyphen ("wellbeing" for
    "well-being"): LibreOffice must not hyphenate them where the hyphen was."""
    from pdftext import word_forms
    return {f for w in hyphenated_words(text) for f in word_forms(w.replace("-", ""))}


def fodt(blocks: list[Block], title: str, hyphenate: bool, solid: set[str],
         twins: set[str]) -> str:
    """The flat ODT document: title page, contents, body."""
    styles = STYLES.replace("TITLE", escape(title)).replace(
        "HYPH", "true" if hyphenate else "false")
    heads = [b for b in blocks if b.kind in ("heading", "section")]
    parts = [f'<text:p text:style-name="Title">{escape(title)}</text:p>',
             '<text:p text:style-name="H2">Care Quality Commission</text:p>',
             '<text:p text:style-name="Contents">Contents</text:p>']
    parts += [_toc_line(b, i) for i, b in enumerate(heads)]
    body = [_block_xml(b, heads.index(b) if b in heads else None, solid, twins)
            for b in blocks]
    body[0] = body[0].replace('text:style-name="H1"', 'text:style-name="Break"', 1)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document {NS} office:version="1.3" '
            f'office:mimetype="application/vnd.oasis.opendocument.text">{styles}'
            f'<office:body><office:text>{"".join(parts + body)}</office:text></office:body>'
            '</office:document>')


def _toc_line(block: Block, index: int) -> str:
    """A contents entry: the heading, a dotted tab, a page-reference field."""
    style = "TOC0" if block.kind == "heading" else "TOC1"
    words = escape(f"{block.number} {block.texts[0]}".strip())
    return (f'<text:p text:style-name="{style}">{words}<text:tab/><text:bookmark-ref '
            f'text:reference-format="page" text:ref-name="h{index}">0</text:bookmark-ref>'
            '</text:p>')


def _block_xml(block: Block, mark: int | None, solid: set[str], twins: set[str]) -> str:
    """One block as ODF paragraphs."""
    texts = [_words(t, solid, twins) for t in block.texts]
    if block.kind in ("heading", "section", "subsection"):
        style = {"heading": "H1", "section": "H2", "subsection": "H3"}[block.kind]
        bookmark = f'<text:bookmark text:name="h{mark}"/>' if mark is not None else ""
        words = f"{escape(block.number)} {texts[0]}".strip()
        return f'<text:p text:style-name="{style}">{bookmark}{words}</text:p>'
    if block.kind == "case":
        rows = [f'<text:p text:style-name="CaseTitle">{escape(block.title)}</text:p>']
        rows += [f'<text:p text:style-name="Case">{t}</text:p>' for t in texts]
        return "".join(rows) + '<text:p text:style-name="Body"/>'
    if block.kind in ("para", "item", "group"):
        style = "Group" if block.kind == "group" else "Numbered"
        first = (f'<text:p text:style-name="{style}">{escape(block.number)}<text:tab/>'
                 f'{texts[0]}</text:p>')
        return first + "".join(f'<text:p text:style-name="More">{t}</text:p>' for t in texts[1:])
    if block.kind == "bullet":
        style, mark_ = ("Bullet", "\u2022") if block.level == 1 else ("Bullet2", "o")
        return "".join(f'<text:p text:style-name="{style}">{mark_}<text:tab/>{t}</text:p>'
                       for t in texts)
    return "".join(f'<text:p text:style-name="Body">{t}</text:p>' for t in texts)


def _words(text: str, solid: set[str], twins: set[str]) -> str:
    """Escaped text where a word the report writes both solid and hyphenated
    is never broken: not by hyphenation, not at its hyphen (a non-breaking one)."""
    def keep(m: re.Match) -> str:
        word = m[0]
        if "@" in word or "/" in word:  # an address: never hyphenated
            return f'<text:span text:style-name="Solid">{word}</text:span>'
        if word.lower() in twins:
            return word.replace("-", "\u2011")
        return (f'<text:span text:style-name="Solid">{word}</text:span>'
                if word.lower() in solid else word)
    return re.sub(r"[\w.-]+@[\w.-]*\w|https?://\S*\w|[A-Za-z]+(?:-[A-Za-z]+)*", keep,
                  escape(text))


if __name__ == "__main__":
    make_report_pdf_lo(Path(sys.argv[1]).read_text(encoding="utf-8-sig"), Path(sys.argv[2]),
                       sys.argv[3])
