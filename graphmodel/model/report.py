"""Report text -> findings and recommendations, each keeping its line.

The text comes from a PDF, so the traps handled here are: running page
headers and footers, lines broken anywhere (even inside "Recommendation 12.3"),
words hyphenated across lines, case-example boxes between paragraphs,
sub-section headings that look like paragraph numbers ("5.1 Leadership and
management"), wrapped lines that start with a number, a contents list that
repeats the headings, and group headings broken over several lines. A copy
from the web is repaired first (``repair``: dropped apostrophes, page numbers
alone on a line, no-break spaces), each repair a warning naming its line; a
PDF is read to text by ``pdf`` (``read_report_file``).
"""

from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ModelError
from .repair import repair
from .schema import Finding, NextSteps, Recommendation

FURNITURE = [
    re.compile(r"^\s*(?:\d{1,3}\s+)?Page \d+ of \d+\s*$", re.I),
    # The running title, after a page number where a web copy put one ("12 Review of ...").
    re.compile(r"^\s*(?:\d{1,3}\s+)?Review of health services for children looked after and "
               r"safeguarding in .*$", re.I),
    re.compile(r"^\s*[•o\-\u2013\u2022\uf0b7]\s*$"),  # a bullet alone on its line
]
NUMBERED = re.compile(r"^\s*(\d+(?:\.\d+)+)\s+(\S.*)$")
SECTION = re.compile(r"^\s*(\d+)\.\s+([A-Z][^.]{0,80}?)\s*$")
GROUP = re.compile(r"^\s*(\d+)\.\s+(\S.*)$")
ITEM = re.compile(r"^\s*(\d+)\.(\d+)\s+(\S.*)$")
REC_REF = re.compile(
    r"\bRecommendations?\s+(\d+\.\d+(?:\s*(?:,|and|&)\s*\d+\.\d+)*)", re.I)
REC_NUMBER = re.compile(r"\d+\.\d+")
# A finding referred to the council's public health team, which CQC tells by letter rather
# than by a recommendation. Reports word it many ways: "brought (drawn) to the attention
# of the Public Health commissioners in X Council", "... of X Council's public health
# commissioners", "of the director of public health at X", "We will raise this with ...",
# "This will be raised with the public health team at ...", "We will write separately
# to ...", "This has been highlighted to X Council's public health team".
PUBLIC_HEALTH = re.compile(
    r"(?:attention of|\brais(?:e|ed|ing)\b(?: (?:this|it|these|them|the (?:matter|issue|"
    r"concerns?)))?(?: separately)? with|\bwrit(?:e|ing|ten) (?:separately )?to|"
    r"\bhighlighted to)\b[^.]{0,80}?\b(?:public health (?:commissioners?|team)|"
    r"director of public health)", re.I)
# Words that end an organisation's name: "A Trust and B CCG" splits after
# "Trust", while "Southport and Ormskirk NHS Trust" does not split.
NAME_ENDINGS = {
    "trust", "ccg", "ccgs", "council", "board", "england", "authority",
    "partnership", "group", "service", "services", "hospital", "hospitals",
    "police", "constabulary", "commissioners", "team", "icb", "limited", "ltd",
    "cic", "charity", "practice", "practices",
}
INNER_HYPHEN = re.compile(r"(?<=[A-Za-z])-(?=[a-z])")
SHOULD = re.compile(r"should\s*:")
HYPHEN_END = re.compile(r"[A-Za-z0-9]-$")


@dataclass
class CoverDates:
    """The dates a report's cover gives, each with the cover's words for it."""

    held_from: datetime.date | None = None
    held_to: datetime.date | None = None
    published: datetime.date | None = None
    quotes: list[str] = field(default_factory=list)


@dataclass
class Extraction:
    """What a report says: findings, recommendations and the cited extras."""

    findings: list[Finding]
    recommendations: list[Recommendation]
    context: str | None = None
    cases: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    next_steps: NextSteps | None = None
    cover: str | None = None  # the front page's text, before the first part's heading
    dates: CoverDates | None = None

    def to_dict(self) -> dict:
        """The extraction as plain data: findings, recommendations and next_steps if found."""
        out: dict = {
            "findings": [f.model_dump() for f in self.findings],
            "recommendations": [r.model_dump() for r in self.recommendations],
        }
        if self.next_steps is not None:
            out["next_steps"] = self.next_steps.model_dump()
        return out


def read_report(path: Path, label: str | None = None) -> str:
    """Read a report's text (a regular UTF-8 file under the size limit), or a ModelError."""
    from ..files import read_text
    return read_text(path, label or str(path), what="report file")


@dataclass
class ReportText:
    """A report file read as text: what it says, what reading it found, and what it was."""

    text: str  # repaired, and read from the PDF if it was one
    warnings: list[str]  # each repair or oddity, naming the page or line
    file: str  # the file as given
    sha256: str  # of the file's bytes
    pdf: bool
    changed: bool  # the text is not the file's own bytes (read from a PDF, or repaired)


def read_report_file(path: Path, label: str | None = None, pdf_text: str | None = None
                     ) -> ReportText:
    """A report as text, from its plain text or from the PDF CQC publishes.

    Why one entry for both: the user has whichever they downloaded. A PDF is
    read by ``pdf`` (imported only then: pypdf stays off every other path);
    either is then repaired (``repair``). Repairs name the file's lines; for a
    PDF, the lines of its text, named ``pdf_text`` (the report.txt it will be
    kept as; by default "<file> (text)").
    """
    from ..files import decode_text, read_bytes
    label = label or str(path)
    data = read_bytes(path, label, what="report file")
    warnings: list[str] = []
    pdf = data[:1024].find(b"%PDF-") >= 0
    if pdf:
        from .pdf import pdf_to_text
        text, warnings = pdf_to_text(data, label)
    else:
        text = decode_text(data, label)
    repaired, repairs = repair(text, (pdf_text or f"{label} (text)") if pdf else label)
    return ReportText(repaired, warnings + repairs, label, hashlib.sha256(data).hexdigest(),
                      pdf, pdf or repaired != text)


def extract_report(text: str, source: str = "report.txt") -> Extraction:
    """Extract findings and recommendations from a CLAS review's text."""
    text, repairs = repair(text, source)
    lines = [_unfurnish(line) for line in text.splitlines()]
    norms = [_norm(line) for line in lines]
    rec_at = _recommendations_heading(lines, norms, source)
    journey_at = _last_before(norms, "the child's journey", rec_at)
    if journey_at is None:
        raise ModelError("no \"The child's journey\" heading before the "
                         "Recommendations section", file=source)
    end_at = _first_after(norms, "next steps", rec_at) or len(lines)
    warnings: list[str] = repairs
    findings, cases = _findings(lines, norms, journey_at + 1, rec_at, warnings, source)
    recommendations = _recommendations(lines, rec_at + 1, end_at, source)
    known = {r.id for r in recommendations}
    for f in findings:
        for ref in f.recommendations:
            if ref not in known:
                warnings.append(f"{source}:{f.line}: finding {f.id} cites "
                                f"recommendation {ref}, which the report does not make")
    cover = _cover(lines, norms, journey_at)
    return Extraction(findings, recommendations, _context(lines, norms, journey_at), cases,
                      warnings, _next_steps(lines, norms, end_at), cover, cover_dates(cover))


def _unfurnish(line: str) -> str:
    """Blank out page furniture, keeping line numbers intact."""
    return "" if any(p.match(line) for p in FURNITURE) else line.rstrip()


def _norm(line: str) -> str:
    """A line as a heading to compare: trimmed, lower case, straight quotes."""
    line = line.replace("\u2019", "'").replace("\u2018", "'")
    return re.sub(r"\s+", " ", line).strip().lower()


def _recommendations_heading(lines: list[str], norms: list[str], source: str) -> int:
    """The last "Recommendations" heading followed by an "N. ..." group heading.

    Why the last: a contents list at the front repeats every heading.
    """
    found = None
    following = _next_nonblank(lines)
    for i, norm in enumerate(norms):
        if norm == "recommendations":
            after = following[i]
            nxt = lines[after] if after is not None else ""
            if GROUP.match(nxt) and not ITEM.match(nxt):
                found = i
    if found is None:
        raise ModelError("no Recommendations section (a line \"Recommendations\" "
                         "followed by \"1. <organisations> should:\")", file=source)
    return found


def _next_nonblank(lines: list[str]) -> list[int | None]:
    """For each line, the index of the next non-blank line after it (one backward pass)."""
    out: list[int | None] = [None] * len(lines)
    nxt = None
    for i in range(len(lines) - 1, -1, -1):
        out[i] = nxt
        if lines[i].strip():
            nxt = i
    return out


def _last_before(norms: list[str], heading: str, stop: int) -> int | None:
    hits = [i for i in range(stop) if norms[i] == heading]
    return hits[-1] if hits else None


def _first_after(norms: list[str], heading: str, start: int) -> int | None:
    return next((i for i in range(start, len(norms)) if norms[i] == heading), None)


def join_lines(lines: list[str]) -> str:
    """Join PDF lines into running text, mending words hyphenated at line ends.

    Linear in the text's length: parts are collected and joined once (a
    growing string searched at each line made a 1 MB paragraph take minutes).
    """
    parts: list[str] = []
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if parts and HYPHEN_END.search(parts[-1]) and line[:1].isalnum():
            parts[-1] += line
        else:
            parts.append(line)
    return re.sub(r"\s+", " ", " ".join(parts)).strip()


def _context(lines: list[str], norms: list[str], stop: int) -> str | None:
    """The text of "Context of the review", the commissioning facts' locator."""
    start = _last_before(norms, "context of the review", stop)
    if start is None:
        return None
    ends = {"the report", "what people told us", "the child's journey"}
    end = next((i for i in range(start + 1, stop + 1) if norms[i] in ends), stop)
    return join_lines(lines[start + 1:end])


PART_HEADINGS = {"contents", "summary", "summary of the review", "about the review",
                 "context of the review", "the child's journey"}


def _cover(lines: list[str], norms: list[str], stop: int) -> str | None:
    """The front page's text: everything before the first part's heading ("Contents",
    "Summary of the review" ...), the locator ``cover`` for the review's dates."""
    end = next((i for i in range(stop + 1) if norms[i] in PART_HEADINGS), 0)
    return join_lines(lines[:end]) or None


_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_MONTH = r"(January|February|March|April|May|June|July|August|September|October|November|" \
         r"December)"
REVIEW_DATES = re.compile(
    rf"Date\(?s?\)? of (?:the )?review\s*:?\s*{_DAY}(?:\s+{_MONTH})?(?:\s+(\d{{4}}))?\s*"
    rf"(?:-|\u2013|\u2014|to)\s*{_DAY}\s+{_MONTH}\s+(\d{{4}})", re.I)
PUBLISHED = re.compile(rf"Date of publication\s*:?\s*{_DAY}\s+{_MONTH}\s+(\d{{4}})", re.I)


def _date(day: str, month: str, year: str) -> datetime.date | None:
    try:
        return datetime.datetime.strptime(f"{day} {month} {year}", "%d %B %Y").date()
    except ValueError:
        return None


def cover_dates(cover: str | None) -> CoverDates | None:
    """ "Date of review: 4 July 2016 to 8 July 2016" and "Date of publication: 15
    November 2016", as dates with the words they come from; None if the cover has
    neither. The first day may leave out its month and year ("4 to 8 July 2016")."""
    found = CoverDates()
    held = REVIEW_DATES.search(cover or "")
    if held:
        day, month, year, day2, month2, year2 = held.groups()
        found.held_from = _date(day, month or month2, year or year2)
        found.held_to = _date(day2, month2, year2)
        found.quotes.append(held.group(0))
    published = PUBLISHED.search(cover or "")
    if published:
        found.published = _date(*published.groups())
        found.quotes.append(published.group(0))
    return found if found.quotes else None


@dataclass
class _Block:
    kind: str  # "finding" or "case"
    id: str
    line: int
    section: str
    lines: list[str]


def _findings(lines: list[str], norms: list[str], start: int, stop: int, warnings: list[str],
              source: str = "report.txt") -> tuple[list[Finding], dict[str, str]]:
    """Numbered paragraphs between "The child's journey" and "Recommendations"."""
    repeats: list[tuple[int, str, int]] = []
    candidates = _paragraph_starts(lines, start, stop, repeats)
    for i, pid, first in repeats:
        warnings.append(f"{source}:{i + 1}: paragraph {pid} repeats the number of the "
                        f"paragraph on line {first + 1}; its text is read as part of that "
                        "paragraph (renumber one of them)")
    headings = _subsection_headings(candidates)
    starts = {i: pid for i, pid in candidates if pid not in headings}
    sections: dict[str, str] = {}
    blocks: list[_Block] = []
    current: _Block | None = None
    last_id = None
    for i in range(start, stop):
        line, norm = lines[i], norms[i]
        section = SECTION.match(line)
        numbered = NUMBERED.match(line)
        if i in starts and numbered:  # a start always matches NUMBERED
            pid = starts[i]
            current = _Block("finding", pid, i + 1, _section_of(pid, sections),
                             [numbered.group(2)])
            blocks.append(current)
            last_id = pid
        elif numbered and numbered.group(1) in headings:
            sections[numbered.group(1)] = f"{numbered.group(1)} {numbered.group(2).strip()}"
            current = None
        elif section or norm == "management":
            if section:
                sections[section.group(1)] = f"{section.group(1)} {section.group(2).strip()}"
            current = None
        elif norm in ("case example", "case examples", "case study"):
            current = _Block("case", f"case:{last_id}", i + 1, "", [])
            blocks.append(current)
        elif current is not None:
            current.lines.append(line)
    _warn_gaps([b for b in blocks if b.kind == "finding"], warnings, source)
    findings = [_finding(b) for b in blocks if b.kind == "finding"]
    cases = {b.id: join_lines(b.lines) for b in blocks if b.kind == "case" and b.lines}
    return findings, cases


def _paragraph_starts(lines: list[str], start: int, stop: int,
                      repeats: list[tuple[int, str, int]] | None = None,
                      ) -> list[tuple[int, str]]:
    """Lines that open a numbered paragraph (or a numbered sub-section heading).

    A wrapped line can start with a number ("2.5 times more ..."), so a
    candidate must start a capitalised sentence and move the numbering on.
    A capitalised sentence under the very number just opened is a report's
    own slip (two paragraphs numbered 2.5): it stays wrapped text, and
    ``repeats`` gets (line index, number, line index of the first).
    """
    found: list[tuple[int, str]] = []
    previous: tuple[int, ...] = ()
    for i in range(start, stop):
        match = NUMBERED.match(lines[i])
        if not match or not re.match(r"[A-Z\u2018'\"(]", match.group(2)):
            continue
        number = tuple(int(p) for p in match.group(1).split("."))
        if number == previous and repeats is not None:
            repeats.append((i, match.group(1), found[-1][0]))
        if previous and (number <= previous or (
                number[0] > previous[0] + 1 and any(n != 1 for n in number[1:]))):
            continue  # backwards, or a jump of section that is not a section's start
        found.append((i, match.group(1)))
        previous = number
    return found


def _subsection_headings(candidates: list[tuple[int, str]]) -> set[str]:
    """Ids such as "5.1" that head "5.1.1", "5.1.2" ...: headings, not findings."""
    ids = [pid for _, pid in candidates]
    return {a for a, b in zip(ids, ids[1:], strict=False) if b.startswith(a + ".")}


def _section_of(pid: str, sections: dict[str, str]) -> str:
    """The most specific heading above a paragraph ("5.2 Governance")."""
    parts = pid.split(".")
    for depth in range(len(parts) - 1, 0, -1):
        prefix = ".".join(parts[:depth])
        if prefix in sections:
            return sections[prefix]
    return parts[0]


def _warn_gaps(blocks: list[_Block], warnings: list[str], source: str = "report.txt") -> None:
    """Say where paragraph numbering skips, which often means a misread line."""
    for a, b in zip(blocks, blocks[1:], strict=False):
        pa, pb = a.id.split("."), b.id.split(".")
        if pa[:-1] == pb[:-1] and int(pb[-1]) != int(pa[-1]) + 1:
            warnings.append(f"{source}:{b.line}: paragraph {b.id} follows {a.id}")


def _finding(block: _Block) -> Finding:
    """A finding and the recommendations it cites.

    References are read with hyphens inside words dropped: a PDF can break
    the word itself ("Recom-" at a line's end, "mendation 1.2" below), and
    the joined text keeps that hyphen.
    """
    text = join_lines(block.lines)
    refs: list[str] = []
    for match in REC_REF.finditer(INNER_HYPHEN.sub("", text)):
        for ref in REC_NUMBER.findall(match.group(1)):
            if ref not in refs:
                refs.append(ref)
    return Finding(id=block.id, section=block.section, line=block.line, text=text,
                   recommendations=refs, public_health=bool(PUBLIC_HEALTH.search(text)))


def _recommendations(lines: list[str], start: int, stop: int,
                     source: str) -> list[Recommendation]:
    """Groups "N. <organisations> should:" and their items N.1, N.2 ..."""
    items: list[dict] = []
    first = next((GROUP.match(lines[i]) for i in range(start, stop)
                  if GROUP.match(lines[i]) and not ITEM.match(lines[i])), None)
    group = int(first.group(1)) - 1 if first else 0
    heading: list[str] = []
    heading_open, heading_line, owners = False, 0, None
    for i in range(start, stop):
        line = lines[i]
        g, item = GROUP.match(line), ITEM.match(line)
        if g and int(g.group(1)) == group + 1 and not item:
            group, heading, heading_open = group + 1, [g.group(2)], True
            heading_line, owners = i + 1, None
        elif heading_open:
            heading.append(line)
        elif item and int(item.group(1)) == group:
            if owners is None:  # once per group: a heading can be long
                owners = split_owners(join_lines(heading))
                if not owners:
                    raise ModelError(f"recommendation group {group} names no organisation "
                                     "before 'should:'", file=source, line=heading_line)
            items.append({"id": f"{item.group(1)}.{item.group(2)}", "group": group,
                          "line": i + 1, "lines": [item.group(3)], "owners": owners})
        elif items and items[-1]["group"] == group:
            items[-1]["lines"].append(line)
        if heading_open and SHOULD.search(" ".join(heading[-2:])):
            heading_open = False
    if not items:
        raise ModelError("the Recommendations section has no numbered items "
                         "(N.M)", file=source)
    return [Recommendation(id=it["id"], group=it["group"], line=it["line"],
                           text=join_lines(it["lines"]), owners=list(it["owners"]))
            for it in items]


NUMBER_WORDS = {w: n for n, w in enumerate(
    ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
     "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
     "eighteen", "nineteen"])}
NUMBER_WORDS.update({w: 10 * n for n, w in enumerate(
    ["twenty", "thirty", "forty", "fifty", "sixty"], 2)})
_COUNT = r"\d+|[a-z]+(?:[- ][a-z]+)?"
NEXT_STEPS_DAYS = re.compile(rf"\bwithin (?P<n>{_COUNT})(?: \((?P<m>{_COUNT})\))? working days",
                             re.I)
# "required from A and B within ...", or "required within N working days ... from A and B."
# The name list ends at "within", "by", or a full stop that does not abbreviate ("St. Anne's").
NEXT_STEPS_FROM = re.compile(
    r"\brequired\b[^.]*?\bfrom (?:both |each of |all of )?(?:the following:? )?(?P<who>.+?)"
    r"(?=\s+within\b|\s+by\b|(?<!\bSt)(?<!\bDr)(?<!\bNo)\.(?:\s|$)|$)", re.I)
NEXT_STEPS_TO = re.compile(
    r"(?i:\b(?:submit|send|return)\s+(?:(?:your|the|an|this|that) )?(?:(?:action )?plan |it )?"
    r"to (?:the )?)(?P<to>[A-Z][\w'’]*(?: [A-Z][\w'’]*)*)")


def _count(word: str | None) -> int | None:
    """"20" -> 20, "twenty" -> 20, "twenty-eight" -> 28; None if not a number."""
    if not word:
        return None
    if word.isdigit():
        return int(word)
    parts = re.split(r"[- ]", word.lower())
    if not all(p in NUMBER_WORDS for p in parts):
        return None
    return sum(NUMBER_WORDS[p] for p in parts)


def _next_steps(lines: list[str], norms: list[str], start: int) -> NextSteps | None:
    """The "Next steps" section: who must send an action plan, how soon, to whom.

    Reports word it differently ("required from A and B within 20 working
    days", "required within twenty (20) working days ... from A"), and names
    can hold full stops ("St. Anne's Hospice").
    """
    if start >= len(lines) or norms[start] != "next steps":
        return None
    body = [line for line in lines[start + 1:] if not line.strip().lower().startswith("mailto:")]
    text = join_lines(body)[:5000]
    if not text:
        return None
    who = NEXT_STEPS_FROM.search(text)
    days = NEXT_STEPS_DAYS.search(text)
    to = NEXT_STEPS_TO.search(text)
    first = next((i for i in range(start + 1, len(lines)) if lines[i].strip()), start)
    # "from NHS Stannerton City CCG, on behalf of the three Kestrelshire CCGs, within ...":
    # the body that sends the plan, not those it speaks for
    names = re.split(r",?\s+on behalf of\b", who.group("who"))[0] if who else ""
    return NextSteps(line=first + 1, text=text,
                     submitters=split_owners(names + " should:") if who else [],
                     working_days=(_count(days.group("n")) or _count(days.group("m")))
                     if days else None,
                     to=to.group("to") if to else None)


def split_owners(heading: str) -> list[str]:
    """Split "A, B and C should:" into one organisation name each.

    The trap: names contain "and" ("Southport and Ormskirk NHS Trust"), so
    " and " splits only after a word that ends a name (Trust, CCG, Council...)
    or before "NHS"/"the". Bracketed abbreviations are dropped.
    """
    heading = re.sub(r"\bshould\s*:.*$", "", heading, flags=re.S)
    heading = re.sub(r"\s*\([^)]*\)", "", heading)
    names: list[str] = []
    for chunk in heading.split(","):
        chunk = re.sub(r"^\s*(and|&)\s+", "", chunk.strip())
        names.extend(_split_on_and(chunk))
    return [n for n in (re.sub(r"\s+", " ", n).strip() for n in names) if n]


def _split_on_and(chunk: str) -> list[str]:
    parts = re.split(r"\s+(?:and|&)\s+", chunk)
    names = [parts[0]]
    for part in parts[1:]:
        last_word = names[-1].split()[-1].lower().strip("'\u2019") if names[-1] else ""
        if last_word in NAME_ENDINGS or re.match(r"(NHS|the)\b", part):
            names.append(part)
        else:
            names[-1] = f"{names[-1]} and {part}"
    return names


EXTRACTION_HEADER = """\
# yaml-language-server: $schema=../graphmodel.schema.json
# Generated by 'graphmodel extract {report}': do not edit by hand.
# Change the report text, or the extractor, and regenerate.
"""


def extraction_yaml(extraction: Extraction, report_name: str) -> str:
    """The extraction as YAML, one finding or recommendation per block."""
    import io

    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.width = 100_000  # one line per text keeps diffs readable
    yaml.allow_unicode = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    out = io.StringIO()
    yaml.dump(extraction.to_dict(), out)
    return EXTRACTION_HEADER.format(report=report_name) + out.getvalue()
