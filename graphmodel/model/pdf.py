"""A CQC report's PDF -> the plain text graphmodel's extractor reads.

Why: users have the PDF CQC publishes, not its text. The text must come out
in the shape extract_report expects: no running headers, footers or page
numbers, words a typesetter hyphenated at a line's end joined back (real
hyphens such as "0-19", "follow-up" and "co-ordinating" kept), paragraphs
split by a page break joined, the title page and the contents list left out.
Every failure (not a PDF, truncated, damaged, password-protected, no text
layer) is one ModelError line naming the file.

Steps: pypdf reads each page's text (it was as exact as pdfminer.six and
pdfplumber on every test PDF, and 5 to 15 times faster: benchmarks/pdf/); the title
page, the contents list and each page's header and footer are dropped; the
pages are joined; ligatures, no-break spaces and the "The child's journey"
heading are normalised; hyphenated words are mended.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..errors import ModelError

if TYPE_CHECKING:  # pypdf is imported only when a PDF is read
    import pypdf

PAGE_NUMBER = re.compile(r"^\s*(?:page\s+)?\d+(?:\s*(?:of|/)\s*\d+)?\s*$", re.I)
RUNNING_TITLE = re.compile(r"^\s*Review of health services for children looked after and "
                           r"safeguarding in .*$", re.I)
CONTENTS_ENTRY = re.compile(r"^.*?(?:[ .\u2026\t]+\d+|[.\u2026 ]{3,})\s*$")
PART_HEADING = re.compile(
    r"^\s*(contents|summary( of the review)?|about the review|context of the review|"
    r"the child\W*s journey|recommendations|next steps)\s*$", re.I)
JOURNEY = re.compile(r"^\s*the\s+child\s*(?:['\u2019\u2018`\u00b4\u02bc\u2032]\s*)?s\s+"
                     r"journey\s*$", re.I)
WRAPPED_REFERENCE = re.compile(
    r"\bRecommendations?(?:\s+\d+\.\d+\s*(?:,|and|&))*\s*$", re.I)
NUMBER_GLUED = re.compile(r"^(\d+(?:\.\d+)+)(?=[A-Z](?:[a-z]|\s))")
ODD_CHARACTERS = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi",
                  "\ufb04": "ffl", "\ufb05": "st", "\ufb06": "st", "\u00a0": " ",
                  "\u2010": "-", "\u2011": "-"}
# A hyphen after these is a word's own: "co-ordinating", "self-harm", "ill-health" ...
KEEP_BEFORE = {"co", "non", "self", "multi", "ill", "well", "cross", "anti", "semi", "mid",
               "inter", "step", "long", "short", "full", "part", "face"}
# ... and before these: "follow-up", "needs-led", "child-centred", "multi-agency" ...
KEEP_AFTER = {"hoc", "up", "in", "on", "off", "out", "down", "based", "led", "centred",
              "centered", "focused", "related", "specific", "term", "wide", "level", "time",
              "agency", "being", "making", "taking", "sharing", "year", "years", "old"}
# ... while a line starting with these ends a word cut in two: "atten-" / "tion".
SUFFIXES = {"tion", "tions", "sion", "sions", "ment", "ments", "ing", "ings", "ity", "ities",
            "ness", "ance", "ances", "ence", "ences", "ally", "ised", "ized", "ise", "ize",
            "ive", "ives", "ous", "able", "ible", "ably", "ary", "ory", "ure", "ures", "ful",
            "less", "ship", "ical", "ial", "ual", "ant", "ent", "ents", "est", "ers", "ly"}

Pages = list[list[str]]
Reader = Callable[[bytes, str], Pages]


def is_pdf(data: bytes) -> bool:
    """Whether a file's bytes are a PDF's: "%PDF-" in its first kilobyte, as readers allow."""
    return b"%PDF-" in data[:1024]


def pdf_to_text(data: bytes, label: str, read: Reader | None = None
                ) -> tuple[str, list[str]]:
    """The report's text and warnings ("report.pdf: page 3: ..."), or a ModelError.

    ``data`` is the file's bytes (read once, bounded, by ``files.read_bytes``);
    ``label`` names it in messages. ``read`` swaps the PDF library (the
    benchmark passes pdfminer.six's and pdfplumber's readers); by default pypdf
    reads the pages.
    """
    lines, warnings = pdf_lines(data, label, read)
    joins = hyphen_joins(lines)
    guesses = _guessed(lines, joins)
    if guesses:
        warnings.append(f"{label}: {len(guesses)} word(s) hyphenated at a line's end were "
                        f"mended by guess (check them): {', '.join(guesses[:8])}")
    lines = join_wrapped_references(mend_hyphens(lines, joins))
    return "\n".join(lines).strip("\n") + "\n", warnings


def pdf_lines(data: bytes, label: str, read: Reader | None = None
              ) -> tuple[list[str], list[str]]:
    """The report's lines before hyphenated words are mended, and warnings."""
    _check_file(data, label)
    with _pypdf_repairs() as repairs:
        pages = (read or read_pages)(data, label)
    warnings = _check_text_layer(pages, label)
    if repairs:
        warnings.append(f"{label}: the PDF has faults that were worked round ({repairs[0]}"
                        f"{f'; {len(repairs) - 1} more' if len(repairs) > 1 else ''}): "
                        "check the text")
    pages = _drop_contents(_strip_furniture(pages))
    return _glue_numbers([_clean(line) for line in _join_pages(pages)]), warnings


# --- reading the PDF -----------------------------------------------------------------

def _check_file(data: bytes, label: str) -> None:
    """Bytes that start like a PDF and end like one: a download cut short fails
    here, before any library guesses at what is missing."""
    if not is_pdf(data):
        raise ModelError("is not a PDF (it does not start with %PDF-)", file=label)
    if b"%%EOF" not in data[-2048:]:
        raise ModelError("is a damaged PDF: it is cut short (no %%EOF at its end); "
                         "download it again", file=label)


def read_pages(data: bytes, label: str) -> Pages:
    """Each page's lines with pypdf, in the order the page draws them."""
    import pypdf
    reader = _open(data, label)
    pages = []
    for number, page in enumerate(reader.pages, 1):
        try:
            pages.append((page.extract_text() or "").splitlines())
        except (pypdf.errors.PyPdfError, ValueError, KeyError, TypeError) as exc:
            raise ModelError(f"is a damaged PDF: page {number} cannot be read ({_say(exc)})",
                             file=label) from None
    return pages


class _pypdf_repairs:
    """Collects what pypdf logs while it works round a damaged file (a wrong
    cross-reference table, a missing object), instead of printing it."""

    def __enter__(self) -> list[str]:
        import logging
        self.found: list[str] = []
        self.logger = logging.getLogger("pypdf")
        self.handler = logging.Handler(logging.WARNING)
        self.handler.emit = lambda record: self.found.append(  # type: ignore[method-assign]
            " ".join(record.getMessage().split())[:100])
        self.logger.addHandler(self.handler)
        self.propagate, self.logger.propagate = self.logger.propagate, False
        return self.found

    def __exit__(self, *exc: object) -> None:
        self.logger.removeHandler(self.handler)
        self.logger.propagate = self.propagate


def _open(data: bytes, label: str) -> pypdf.PdfReader:
    """pypdf's reader, decrypted if it only has an owner password, or one error line."""
    import io

    import pypdf
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ModelError("is encrypted (password-protected): save a copy without the "
                             "password, or give the report's text", file=label)
        if not reader.pages:
            raise ModelError("is a PDF without pages", file=label)
        return reader
    except pypdf.errors.DependencyError:
        raise ModelError("is encrypted with AES, which needs the 'cryptography' package "
                         "(pip install cryptography)", file=label) from None
    except (pypdf.errors.PyPdfError, ValueError, KeyError, TypeError) as exc:
        raise ModelError(f"is a damaged PDF ({_say(exc)})", file=label) from None


def _say(exc: Exception) -> str:
    """An exception as a few words on one line."""
    words = " ".join(str(exc).split())[:100]
    return words or type(exc).__name__


def _check_text_layer(pages: Pages, label: str) -> list[str]:
    """No text at all means a scan: one error. A page without text in a PDF
    that has text (a full-page picture) is worth a warning."""
    chars = [sum(len(line.strip()) for line in page) for page in pages]
    if sum(chars) < 20 * len(pages):
        raise ModelError("has no text layer (a scanned PDF?): run OCR on it first (for "
                         "example ocrmypdf), or give the report's text", file=label)
    return [f"{label}: page {n}: has no text (a picture?); nothing read from it"
            for n, count in enumerate(chars, 1) if count == 0]


# --- page furniture, title page, contents ---------------------------------------------

def _strip_furniture(pages: Pages) -> Pages:
    """Each page without its running header, footer and page number.

    Libraries differ in where a footer lands in the text (pypdf keeps drawing
    order), so the first and last three lines of a page are tested: a page
    number ("Page 12 of 46", "12"), the report's running title, or a line
    that opens or closes at least half the pages (digits aside).
    """
    repeated = _repeated_edges(pages)
    out = []
    for page in pages:
        body = [i for i, line in enumerate(page) if line.strip()]
        edges = set(body[:3]) | set(body[-3:])
        out.append([line for i, line in enumerate(page)
                    if i not in edges or not _is_furniture(line, repeated)])
    return out


def _repeated_edges(pages: Pages) -> set[str]:
    """Lines (digits as #) among the first or last two of at least half the pages."""
    counts: Counter[str] = Counter()
    for page in pages:
        body = [line for line in page if line.strip()]
        counts.update({_shape(line) for line in body[:2] + body[-2:]})
    needed = max(3, len(pages) // 2)
    return {shape for shape, n in counts.items() if n >= needed}


def _shape(line: str) -> str:
    """A line with its numbers as # ("page # of #"), to find repeats."""
    return re.sub(r"\d+", "#", re.sub(r"\s+", " ", line).strip().lower())


def _is_furniture(line: str, repeated: set[str]) -> bool:
    """A page number, the running title, or a line repeated at page edges."""
    return bool(PAGE_NUMBER.match(line) or RUNNING_TITLE.match(line)
                or _shape(line) in repeated)


def _drop_contents(pages: Pages) -> Pages:
    """Leave out the contents list; keep the title page, whose table holds the dates.

    The title page is any page before the first that holds a part's heading
    ("Contents", "Summary of the review" ...); the extractor reads the review's
    dates from it ("Date of review", "Date of publication") and nothing else.
    The contents list is a page that starts "Contents", and each page after it
    made only of entries.
    """
    first = next((i for i, page in enumerate(pages)
                  if any(PART_HEADING.match(line) for line in page)), 0)
    title, pages = pages[:first], pages[first:]
    if not pages or _first_text(pages[0]).lower() != "contents":
        return title + pages
    rest = [[line for line in pages[0] if line.strip()][1:]] + pages[1:]
    while rest and all(_is_entry(line) for line in rest[0]):
        rest.pop(0)
    return title + [[""]] + rest


def _first_text(page: list[str]) -> str:
    return next((line.strip() for line in page if line.strip()), "")


def _is_entry(line: str) -> bool:
    """A line of a contents list: text with leaders and a page number, or the
    pieces a library may split it into (the text alone, the leaders alone)."""
    line = line.strip()
    return (not line or bool(CONTENTS_ENTRY.match(line)) or bool(PAGE_NUMBER.match(line))
            or len(line) < 80 and not line.endswith(".") and not re.search(r"[,;:]", line))


# --- joining pages and cleaning lines ---------------------------------------------------

def _join_pages(pages: Pages) -> list[str]:
    """One list of lines: a paragraph broken by a page break runs on; a page that
    starts a new paragraph after a finished sentence gets a blank line first."""
    lines: list[str] = []
    for page in pages:
        page = [line for line in page if line.strip()]
        if not page:
            continue
        if lines and lines[-1].rstrip().endswith((".", ":", "\u201d", '"')) and \
                not page[0].lstrip()[:1].islower():
            lines.append("")
        lines.extend(page)
    return lines


def _clean(line: str) -> str:
    """Ligatures, no-break spaces and hyphens as plain characters, one space
    between words, a number glued to its paragraph ("5.1.10A whole") parted,
    and the journey heading in the one form the extractor knows."""
    for odd, plain in ODD_CHARACTERS.items():
        line = line.replace(odd, plain)
    line = re.sub(r"[ \t]+", " ", line).strip()
    line = line[:-1].replace("\u00ad", "") + line[-1:]  # a final soft hyphen: mend_hyphens
    line = NUMBER_GLUED.sub(r"\1 ", line)
    return "The child\u2019s journey" if JOURNEY.match(line) else line


BARE_NUMBER = re.compile(r"^\d+\.(?:\d+(?:\.\d+)*)?$")


def _glue_numbers(lines: list[str]) -> list[str]:
    """A number alone on its line ("1.1", "3.") put back before the text it numbers.

    Why: a table draws each cell apart, so a recommendation laid out as a
    table row, its number in the first column, comes out as "1.1" on one line
    and its text on the next; the extractor needs "1.1 Ensure that ...". A
    number that ends a reference wrapped after "Recommendation" stays where it
    is (``join_wrapped_references`` takes it up).
    """
    out: list[str] = []
    for line in lines:
        if out and BARE_NUMBER.match(out[-1]) and re.match(r"[A-Z\u2018'\"(]", line) and \
                not (len(out) > 1 and WRAPPED_REFERENCE.search(out[-2])):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


def join_wrapped_references(lines: list[str]) -> list[str]:
    """Take a recommendation's number back up to "Recommendation" on the line above.

    A line that wraps after "Recommendation" can leave the next line starting
    "8.1 This has been highlighted ...", which reads as paragraph 8.1 opening
    (and every paragraph after it as out of order). Where the line above ends
    with "Recommendation(s)", or with a list of them still open ("1.1," "1.2
    and"), the number belongs to it.
    """
    out: list[str] = []
    for line in lines:
        if out and WRAPPED_REFERENCE.search(out[-1]) and re.match(r"\d+\.\d+\b", line):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


# --- words hyphenated at a line's end ---------------------------------------------------

def mend_hyphens(lines: list[str], joins: set[int] | None = None) -> list[str]:
    """Join words a typesetter hyphenated at a line's end; keep real hyphens.

    A hyphen at a line's end before a letter is ambiguous: "assess-" + "ment"
    is one word, "follow-" + "up" two joined by a real hyphen. A document
    must first be seen to hyphenate words at all: more of its line-end
    hyphens cut a word (it writes the word solid elsewhere, or the next line
    starts with an ending such as "tion" or with no word the report uses)
    than are real (it writes the word hyphenated elsewhere, "co-", "-based").
    CQC's own PDFs do not (all 8 line-end hyphens in Sefton's are real, even
    "pro-" + "actively" though it writes "proactively" twice): there every
    hyphen stays. In a hyphenating document the same signs decide each hyphen;
    where none does, it stays only between two words the report uses ("low-"
    + "income"). A soft hyphen (U+00AD) left at a line's end is always a cut.
    The joined word takes the whole next line up, so no line starts with half
    a word.
    """
    joins = hyphen_joins(lines) if joins is None else joins
    out: list[str] = []
    for i, line in enumerate(lines):
        if i - 1 in joins and out:
            out[-1] = out[-1][:-1] + line
        else:
            out.append(line)
    return out


def hyphen_joins(lines: list[str]) -> set[int]:
    """Indexes of the lines whose final hyphen is a typesetter's (see mend_hyphens)."""
    words = _vocabulary(lines)
    judged = [(i, h, t, _judge(h, t, words)) for i, (h, t) in enumerate(_breaks(lines)) if h]
    cut = sum(1 for *_, v in judged if v) + sum(
        1 for _, _, t, v in judged if v is None and not words[t.lower()])
    joins: set[int] = set()
    if cut > sum(1 for *_, v in judged if v is False):  # the document hyphenates words
        joins = {i for i, h, t, v in judged if v or v is None and _guess(h, t, words)}
    return joins | {i for i, line in enumerate(lines[:-1]) if line.endswith("\u00ad")}


def _guessed(lines: list[str], joins: set[int]) -> list[str]:
    """The hyphens nothing decided in a hyphenating document, as the user will
    read them: "mandated" (joined), "walk-about" (kept)."""
    if not joins:
        return []
    words = _vocabulary(lines)
    return [h + ("" if i in joins else "-") + t for i, (h, t) in enumerate(_breaks(lines))
            if h and _judge(h, t, words) is None]


def _breaks(lines: list[str]) -> list[tuple[str, str]]:
    """For each line, the word it ends in before a hyphen and the word the
    next line starts with ("", "" where the line does not end so, or where
    the next line goes on an e-mail or web address: "services-" +
    "inspection@cqc.org.uk")."""
    out = []
    for line, after in zip(lines, lines[1:] + [""], strict=True):
        head = re.search(r"(?<![\w./@-])([A-Za-z]+(?:-[A-Za-z]+)*)-$", line)
        tail = re.match(r"([A-Za-z]+)(?![\w@/]|\.\w)", after)  # not an address
        out.append((head[1], tail[1]) if head and tail else ("", ""))
    return out


def _vocabulary(lines: list[str]) -> Counter[str]:
    """Words (lower case, hyphenated ones whole) found inside lines, not where
    a hyphenation may have cut them (a line's last word before a hyphen, the
    first word of a line that continues a sentence)."""
    counts: Counter[str] = Counter()
    for line in lines:
        tokens = re.findall(r"[A-Za-z]+(?:-[A-Za-z]+)*-?", line)
        if tokens and tokens[-1].endswith("-"):
            tokens.pop()
        counts.update(t.lower() for t in tokens[1:])
        if tokens and not line[:1].islower():
            counts[tokens[0].lower()] += 1
    return counts


def _evidence(head: str, tail: str, words: Counter[str]) -> bool | None:
    """What the report says elsewhere: True if it writes the word solid more
    often, False if hyphenated more often, None if it is silent."""
    solid = sum(words[w] for w in word_forms((head + tail).lower()))
    hyphened = sum(words[w] for w in word_forms(f"{head}-{tail}".lower()))
    return None if solid == hyphened else solid > hyphened


def word_forms(word: str) -> set[str]:
    """A word and its plain inflections, so "outcomes" is evidence for "outcome"."""
    stems = {word} | {word[:-len(end)] for end in ("s", "es", "d", "ed", "ing")
                      if word.endswith(end) and len(word) > len(end) + 3}
    return {stem + end for stem in stems for end in ("", "s", "es", "d", "ed", "ing")}


def _judge(head: str, tail: str, words: Counter[str]) -> bool | None:
    """True if "head-" + "tail" is one word a typesetter cut, False if the
    hyphen is real, None if neither the report nor the word's parts tell."""
    evidence = _evidence(head, tail, words)
    last, low = head.rsplit("-", 1)[-1].lower(), tail.lower()  # "multi-a" + "gency"
    if evidence is not None:
        return evidence
    if low in SUFFIXES:
        return True
    if low in KEEP_AFTER:
        return False
    if last in KEEP_BEFORE:  # "self-" + "harm", "co-" + "ordinating"; not "multi-" + "ple"
        return not (words[low] or len(low) >= 4 or last == "co" and low[0] in "aeiou")
    return None


def _guess(head: str, tail: str, words: Counter[str]) -> bool:
    """Nothing tells: a cut, unless both parts are words the report uses
    ("low-" + "income") or the second is a name ("non-" + "English")."""
    last = head.rsplit("-", 1)[-1].lower()
    return not (tail[0].isupper() or len(last) > 2 and len(tail) > 3 and words[last]
                and words[tail.lower()])
