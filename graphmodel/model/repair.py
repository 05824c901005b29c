"""Repairs for report texts transcribed on the web, each one reported.

Why: a report's text copied from a web page or an old converter has faults
the extractor cannot read past: apostrophes dropped ("The child s journey",
so the heading is not found; "children s social care", so no name matches),
page numbers alone on a line at the top of each page (read as words of the
paragraph the page break cut), Windows line endings, no-break spaces. Each
repair is made only where it is unambiguous, and reported as
``report.txt:123: repaired ...``. No repair moves a line: the line numbers a
warning, a finding or a quote's check gives are the file's own (lines as
``str.splitlines()`` counts them). A contents list run into one line needs no
repair: the extractor reads from the last of each heading, after the contents.
"""

from __future__ import annotations

import re

# "child s", "children s": a word, a space, a lone s, a space (and no number, or
# the line's end: "Women s " / "Hospital"). Not after
# words that never take 's ("under s 47", "the s"), nor before a number.
DROPPED_APOSTROPHE = re.compile(r"\b([A-Za-z]{2,}) s(?= +[^\d\s]| +$)")
NOT_POSSESSIVE = {"the", "a", "an", "and", "or", "of", "to", "in", "on", "at", "by", "for",
                  "with", "from", "under", "per", "section", "is", "are", "was", "were", "its"}
JOURNEY = re.compile(r"^(\s*)the\s+child\s*(?:['\u2019\u2018`\u00b4\u02bc\u2032]\s*)?s\s+"
                     r"journey(\s*)$", re.I)
ODD_SPACES = re.compile(r"[\u00a0\u202f\u2007]")
PAGE_NUMBER_LINE = re.compile(r"^\s*(\d{1,3})\s*$")
def repair(text: str, source: str = "report.txt") -> tuple[str, list[str]]:
    """The text with every unambiguous fault repaired, and one line per repair."""
    warnings: list[str] = []
    if "\r" in text:
        count = text.count("\r\n")
        warnings.append(f"{source}:1: repaired Windows line endings ({count} CRLF)")
        text = text.replace("\r\n", "\n")
    lines = text.splitlines()
    pages = _page_number_lines(lines)
    out: list[str] = []
    for number, line in enumerate(lines, 1):
        where = f"{source}:{number}: "
        if number - 1 in pages:
            warnings.append(f"{where}repaired a page number alone on its line ({line.strip()})")
            out.append("")
            continue
        line = _spaces(line, where, warnings)
        line = _journey(line, where, warnings)
        line = _apostrophes(line, where, warnings)
        out.append(line)
    return "\n".join(out) + "\n", warnings


def _spaces(line: str, where: str, warnings: list[str]) -> str:
    """No-break spaces (and their narrow kin) as plain spaces."""
    count = len(ODD_SPACES.findall(line))
    if count:
        warnings.append(f"{where}repaired {count} non-breaking space(s)")
    return ODD_SPACES.sub(" ", line)


def _journey(line: str, where: str, warnings: list[str]) -> str:
    """The heading the extractor starts at, in its one form: "The child’s journey"
    (from "The childs journey", "The child' s journey", "THE CHILD`S JOURNEY")."""
    match = JOURNEY.match(line)
    if not match or line.strip() in ("The child\u2019s journey", "The child's journey"):
        return line
    warnings.append(f'{where}repaired the heading "{line.strip()}"')
    return f"{match[1]}The child\u2019s journey{match[2]}"


def _apostrophes(line: str, where: str, warnings: list[str]) -> str:
    """ "children s social care" -> "children’s social care"."""
    def mend(match: re.Match) -> str:
        if match[1].lower() in NOT_POSSESSIVE:
            return match[0]
        warnings.append(f'{where}repaired a dropped apostrophe in "{match[1]} s"')
        return f"{match[1]}\u2019s"
    return DROPPED_APOSTROPHE.sub(mend, line)


def _page_number_lines(lines: list[str]) -> set[int]:
    """Indexes of lines that are only a page number, at the start of a page.

    A page's start is the file's start or a line after a blank line, with
    text in the next two lines; a lone number there is a page number only if
    the next such number is one to three higher (2, 3, 5 ...), so a number
    that is part of the text stays.
    """
    found = [(i, int(m[1])) for i, line in enumerate(lines)
             if (m := PAGE_NUMBER_LINE.match(line)) and (i == 0 or not lines[i - 1].strip())
             and any(s.strip() for s in lines[i + 1:i + 3])]
    pairs = [(a, b) for a, b in zip(found, found[1:], strict=False) if 0 < b[1] - a[1] <= 3]
    return {i for a, b in pairs for i in (a[0], b[0])}
