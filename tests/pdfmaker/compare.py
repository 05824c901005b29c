"""Does a PDF's text extract as its original text does? Shared by bench and tests.

Why: the measure of a PDF reader here is graphmodel's own: the same findings
(ids, texts), recommendations (ids, texts, owners) and next steps from the
PDF's text as from the report's text. Line numbers differ by nature.
"""

from __future__ import annotations

from pathlib import Path

from graphmodel.model import report as extractor

ROOT = Path(__file__).resolve().parents[2]


def _reports() -> dict[str, Path]:
    """Sefton and every fixture report, each text once (an area's copy of a report is skipped)."""
    found = {"sefton": ROOT / "data/sefton/report.txt"}
    found.update({p.stem: p for p in sorted((ROOT / "tests/fixtures/reports").glob("*.txt"))})
    seen = {p.read_bytes() for p in found.values()}
    for path in sorted((ROOT / "tests/fixtures/areas").glob("*/report.txt")):
        if path.read_bytes() not in seen:
            found[path.parent.name] = path
    return found


REPORTS = _reports()


def area_of(text: str, name: str) -> str:
    """The area a report is about, from its own title lines, else from its name."""
    import re
    found = re.search(r"Safeguarding in ([A-Z][\w' -]+?)\s*$", text, re.M)
    return found[1] if found else name.split("/")[-1].title()


def summary(text: str, source: str) -> dict:
    """What graphmodel extracts, without line numbers."""
    e = extractor.extract_report(text, source)
    steps = e.next_steps
    return {
        "findings": [(f.id, f.section, f.text, tuple(f.recommendations), f.public_health)
                     for f in e.findings],
        "recommendations": [(r.id, r.group, r.text, tuple(r.owners)) for r in e.recommendations],
        "next_steps": steps and (steps.text, tuple(steps.submitters), steps.working_days,
                                 steps.to),
        "cases": sorted(e.cases.items()),
        "context": e.context,
        "dates": e.dates and (e.dates.held_from, e.dates.held_to, e.dates.published),
    }


def differences(want: dict, got: dict) -> dict[str, int]:
    """Per kind, how many items differ (a missing or extra item counts as one)."""
    out = {}
    for kind in ("findings", "recommendations", "cases"):
        a, b = dict((x[0], x) for x in want[kind]), dict((x[0], x) for x in got[kind])
        out[kind] = sum(1 for k in set(a) | set(b) if a.get(k) != b.get(k))
    for kind in ("next_steps", "context", "dates"):
        out[kind] = int(want[kind] != got[kind])
    return out


def first_difference(want: dict, got: dict) -> str:
    """The first differing item, both sides, to read when a comparison fails."""
    for kind in ("findings", "recommendations", "cases"):
        a, b = dict((x[0], x) for x in want[kind]), dict((x[0], x) for x in got[kind])
        for key in list(a) + [k for k in b if k not in a]:
            if a.get(key) != b.get(key):
                return f"{kind} {key}: " + _word_diff(str(a.get(key)), str(b.get(key)))
    for kind in ("next_steps", "context", "dates"):
        if want[kind] != got[kind]:
            return f"{kind}: " + _word_diff(str(want[kind]), str(got[kind]))
    return ""


def _word_diff(a: str, b: str) -> str:
    """The words that differ, with a little context: [-text-] {+pdf+}."""
    import difflib
    x, y = a.split(), b.split()
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, x, y, autojunk=False).get_opcodes():
        if tag != "equal":
            out.append(" ".join(x[max(0, i1 - 4):i1]) + f" [-{' '.join(x[i1:i2])}-] "
                       f"{{+{' '.join(y[j1:j2])}+}}")
    return " | ".join(out)
