"""A report's plain text -> the blocks a CQC report is laid out from.

Why a parser of its own: to typeset a test PDF the generator must know what
each line is (a heading, a numbered paragraph, a case box, a recommendation)
the way graphmodel's extractor reads it, so the same regular expressions are
used, and the stray page furniture of an earlier PDF conversion is dropped
(the PDF gets clean running headers and footers of its own).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from graphmodel.model import report as extractor

FURNITURE, GROUP, ITEM = extractor.FURNITURE, extractor.GROUP, extractor.ITEM
NUMBERED, SECTION = extractor.NUMBERED, extractor.SECTION

# Headings that open a part of the report (and so a line of the contents list).
TOP_HEADINGS = {
    "summary", "summary of the review", "about the review", "how we carried out the review",
    "context of the review", "the report", "what people told us", "the child's journey",
    "management", "recommendations", "next steps",
}
CASE_HEADINGS = {"case example", "case examples", "case study"}
CONTENTS_ENTRY = re.compile(r"^.*\S[ .\u2026]+\d+\s*$")
BULLET = re.compile(r"^([\u2022\uf0b7\u25aa]|o(?=\s)|-(?=\s))\s*(\S.*)$")
SENTENCE_END = re.compile(r"[.:;!?)\]\u201d\u2019\"']$")


@dataclass
class Block:
    """One laid-out unit: kind is heading, section, subsection, para, text,
    bullet, case, group or item; paragraphs hold its text, one per paragraph."""

    kind: str
    number: str = ""
    paragraphs: list[list[str]] = field(default_factory=list)
    level: int = 1
    title: str = ""  # a case box's own heading ("Case example")

    @property
    def texts(self) -> list[str]:
        """Each paragraph as running text (real hyphens at line ends kept)."""
        return [join(lines) for lines in self.paragraphs]


def join(lines: list[str]) -> str:
    """Lines as one string, as graphmodel's join_lines does: a line ending in a
    hyphen is glued to the next (so "0-\\n19" stays "0-19")."""
    return extractor.join_lines(lines)


def norm(line: str) -> str:
    """A line as a heading to compare: trimmed, lower case, straight quotes."""
    line = line.replace("\u2019", "'").replace("\u2018", "'")
    return re.sub(r"\s+", " ", line).strip().lower()


def clean_lines(text: str) -> list[str]:
    """The text's lines without page furniture, link artefacts or front matter.

    Why: the input came from an earlier PDF conversion, so its running headers,
    "Page 12 of 46" footers, lone bullets and "mailto:" lines are that PDF's,
    not the report's; the title and contents list are rebuilt by the typesetter.
    """
    lines = [ln.rstrip() for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = ["" if any(p.match(ln) for p in FURNITURE)
             or ln.strip().lower().startswith("mailto:") else ln for ln in lines]
    return lines[_body_start(lines):]


def cover_fields(text: str) -> list[tuple[str, list[str]]]:
    """The front page's fields ("Date of review:" and the lines under it), in order.

    Why: CQC's title page carries the review's dates, inspectors and providers
    in a table; the PDF keeps them there, so its reader must find the dates.
    """
    lines = [ln.strip() for ln in text.replace("\r\n", "\n").split("\n")]
    front = lines[:_body_start(lines)]
    fields: list[tuple[str, list[str]]] = []
    for i, line in enumerate(front):
        if line.endswith(":") and len(line) < 60:
            values = []
            for value in front[i + 1:]:
                if not value or value.endswith(":") or any(p.match(value) for p in FURNITURE):
                    break
                values.append(value)
            fields.append((line, values))
    return fields


def _body_start(lines: list[str]) -> int:
    """Index of the first heading after any title lines and contents list."""
    start = 0
    for i, line in enumerate(lines):
        if norm(line) == "contents":
            start = i + 1
            while start < len(lines) and (not lines[start].strip()
                                          or CONTENTS_ENTRY.match(lines[start])):
                start += 1
            return start
    first = next((i for i, ln in enumerate(lines) if norm(ln) in TOP_HEADINGS), 0)
    return max(start, first)


def parse(text: str) -> list[Block]:
    """The report's blocks in reading order."""
    parser = _Parser()
    for line in clean_lines(text):
        parser.feed(line)
    return _mark_subsections(parser.blocks)


class _Parser:
    """A line-at-a-time state machine over the report's parts."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.part = "front"  # front, journey, recommendations, next
        self.gap = False  # a blank line since the last text line
        self.previous: tuple[int, ...] = ()  # the last paragraph number opened
        self.group = 0
        self.heading_open = False  # a recommendation group's "... should:" not yet seen

    def feed(self, line: str) -> None:
        """Take one line: blank lines only mark paragraph gaps."""
        if not line.strip():
            self.gap = True
            return
        stripped = line.strip()
        if not self._heading(stripped):
            if self.part == "journey":
                self._journey(stripped)
            elif self.part == "recommendations":
                self._recommendation(stripped)
            else:
                self._text(stripped)
        self.gap = False

    def _heading(self, line: str) -> bool:
        """A part's heading, which moves the parser into that part."""
        n = norm(line)
        if n not in TOP_HEADINGS or (n == "recommendations" and self.part == "recommendations"):
            return False
        if n == "the child's journey":
            self.part = "journey"
        elif n == "recommendations" and self.part == "journey":
            self.part = "recommendations"
        elif n == "next steps" and self.part == "recommendations":
            self.part = "next"
        self.blocks.append(Block("heading", paragraphs=[[line]]))
        return True

    def _journey(self, line: str) -> None:
        """Sections, numbered paragraphs and case boxes of the child's journey."""
        section, numbered = SECTION.match(line), NUMBERED.match(line)
        if numbered and self._opens(numbered):
            self.blocks.append(Block("para", numbered[1], [[numbered[2]]]))
        elif section:
            self.blocks.append(Block("section", section[1] + ".", [[section[2]]]))
        elif norm(line) in CASE_HEADINGS:
            self.blocks.append(Block("case", title=line))
        else:
            self._continue(line, ("para", "case", "text"))

    def _opens(self, match: re.Match) -> bool:
        """Whether a numbered line opens a paragraph, as graphmodel decides it:
        a capitalised sentence whose number moves the numbering on."""
        if not re.match(r"[A-Z\u2018'\"(]", match[2]):
            return False
        number = tuple(int(p) for p in match[1].split("."))
        previous = self.previous
        if previous and (number <= previous or (
                number[0] > previous[0] + 1 and any(n != 1 for n in number[1:]))):
            return False
        self.previous = number
        return True

    def _recommendation(self, line: str) -> None:
        """Groups "N. <organisations> should:" and their items N.M."""
        group, item = GROUP.match(line), ITEM.match(line)
        expected = self.group + 1 if self.group else int(group[1]) if group else 0
        if group and not item and int(group[1]) == expected:
            self.group = int(group[1])
            self.heading_open = "should" not in line
            self.blocks.append(Block("group", group[1] + ".", [[group[2]]]))
        elif self.heading_open:
            self.blocks[-1].paragraphs[-1].append(line)
            self.heading_open = "should" not in line
        elif item and int(item[1]) == self.group:
            self.blocks.append(Block("item", f"{item[1]}.{item[2]}", [[item[3]]]))
        else:
            self._continue(line, ("item", "text"))

    def _text(self, line: str) -> None:
        """Plain paragraphs and bullets outside the numbered parts."""
        bullet = BULLET.match(line)
        if bullet:
            level = 2 if bullet[1] == "o" else 1
            self.blocks.append(Block("bullet", paragraphs=[[bullet[2]]], level=level))
        else:
            self._continue(line, ("text", "bullet"))

    def _continue(self, line: str, kinds: tuple[str, ...]) -> None:
        """A line that goes on the current block: the same paragraph, or after a
        gap and a finished sentence a new one (a new plain block outside)."""
        last = self.blocks[-1] if self.blocks else None
        if last is None or last.kind not in kinds:
            self.blocks.append(Block("text", paragraphs=[[line]]))
            return
        if not last.paragraphs:
            last.paragraphs.append([line])
            return
        ended = SENTENCE_END.search(last.paragraphs[-1][-1].rstrip())
        if not self.gap or not ended or line[:1].islower():
            last.paragraphs[-1].append(line)
        elif last.kind in ("text", "bullet") and self.part != "journey":
            self.blocks.append(Block("text", paragraphs=[[line]]))
        else:
            last.paragraphs.append([line])


def _mark_subsections(blocks: list[Block]) -> list[Block]:
    """A numbered paragraph followed by its own sub-numbers ("5.1" before
    "5.1.1") is a sub-section heading, as graphmodel reads it."""
    paras = [b for b in blocks if b.kind == "para"]
    for a, b in zip(paras, paras[1:], strict=False):
        if b.number.startswith(a.number + "."):
            a.kind = "subsection"
    return blocks
