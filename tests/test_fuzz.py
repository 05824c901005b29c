"""Fuzzing the extractor and the loader: whatever the text, only ModelError ever escapes.

Hypothesis builds report texts from the pieces a CLAS review is made of
(headings, numbered paragraphs, group headings, references, page furniture)
mixed with arbitrary text, and model files from Northmoor's with lines
replaced, values swapped and YAML's odder features spliced in. A few hundred
examples run in CI; ``GRAPHMODEL_FUZZ_EXAMPLES=20000`` (or
``benchmarks/bench_hostile.py --fuzz``) runs more.

The shortest reproducer of issue 14's crash is kept as an explicit example.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from graphmodel.errors import ModelError
from graphmodel.model.report import extract_report
from graphmodel.model.yamlread import parse_yaml

from conftest import FIXTURES, NORTHMOOR

EXAMPLES = int(os.environ.get("GRAPHMODEL_FUZZ_EXAMPLES", "300"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize="CI" in os.environ,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# --- report texts ------------------------------------------------------------------------------

WORDS = st.sampled_from([
    "GP", "practices", "children's", "social", "care", "CAMHS", "MASH", "and", "the", "NHS",
    "Trust", "CCG", "Council", "should:", "should", ":", "(", ")", "(NCCG)", "Recommendation",
    "Recommendations", "1.1", "2.5", "3", "and", "&", "\u2019", "-", "\u2013", "\u2022",
    "\x1b[2J", "[/x]", "=SUM(A1)", "\u202e", "\t", "within", "20", "working", "days", "from",
    "St.", "Ltd.", "public", "health", "attention", "of", "brought", "to",
])
SENTENCE = st.lists(WORDS, min_size=0, max_size=12).map(" ".join)
NUMBER = st.lists(st.integers(0, 12), min_size=1, max_size=4).map(
    lambda parts: ".".join(map(str, parts)))
HEADING = st.sampled_from([
    "The child's journey", "The child\u2019s journey", "Recommendations", "Next steps",
    "Context of the review", "Case example", "Case study", "Management", "Contents",
    "Page 3 of 20", "Review of health services for children looked after and safeguarding in X",
    "\u2022", "",
])
LINE = st.one_of(
    HEADING,
    st.builds(lambda n, s: f"{n} {s}", NUMBER, SENTENCE),
    st.builds(lambda n, s: f"{n}. {s}", st.integers(0, 12), SENTENCE),
    st.builds(lambda n, s: f"{n}. {s} should:", st.integers(0, 12), SENTENCE),
    SENTENCE,
    st.text(max_size=40),
)
NEWLINE = st.sampled_from(["\n", "\r\n", "\r", "\n\n"])
BASES = [(NORTHMOOR / "report.txt").read_text(encoding="utf-8").splitlines(),
         (FIXTURES / "reports" / "eastbay.txt").read_text(encoding="utf-8").splitlines()]


@st.composite
def mangled_report(draw):
    """A real report with lines inserted, replaced, dropped, repeated or joined."""
    lines = list(draw(st.sampled_from(BASES)))
    for _ in range(draw(st.integers(1, 12))):
        i = draw(st.integers(0, len(lines) - 1))
        how = draw(st.sampled_from(["insert", "replace", "drop", "repeat", "join"]))
        if how == "insert":
            lines.insert(i, draw(LINE))
        elif how == "replace":
            lines[i] = draw(LINE)
        elif how == "drop" and len(lines) > 1:
            del lines[i]
        elif how == "repeat":
            lines.insert(i, lines[i])
        elif how == "join" and i + 1 < len(lines):
            lines[i:i + 2] = [lines[i] + " " + lines[i + 1]]
    return draw(NEWLINE).join(lines)


REPORT_TEXT = st.one_of(
    mangled_report(), mangled_report(), mangled_report(),  # most examples start from a report
    st.lists(LINE, max_size=60).flatmap(lambda lines: NEWLINE.map(lambda nl: nl.join(lines))),
    st.text(max_size=400),
)


@FUZZ
@given(REPORT_TEXT)
@example("The child's journey\nRecommendations\n1. ()should:\n1.1 x")  # issue 14's crash
@example("The child's journey\n1.1 A\n1.1 B\nRecommendations\n1. X should:\n1.1 y")
def test_extraction_raises_nothing_but_model_error(text):
    try:
        extraction = extract_report(text, "fuzz.txt")
    except ModelError as exc:
        assert str(exc).startswith("fuzz.txt"), str(exc)
        return
    json.dumps(extraction.to_dict())  # what 'extract --format json' prints
    assert all(isinstance(w, str) and w.startswith("fuzz.txt") for w in extraction.warnings)


# --- YAML --------------------------------------------------------------------------------------

YAML_PIECES = st.sampled_from([
    "a", "b:", " ", "  ", "\n", "- ", "[", "]", "{", "}", ",", ":", "&x ", "*x", "&y ", "*y",
    "<<: *x", "!!python/object:os.system ", "!tag ", "? ", "|", ">", "'", '"', "#", "---",
    "...", "%YAML 1.2", "~", "null", "yes", "no", "0o17", "0x1F", "1e3", ".inf", ".nan",
    "2024-01-01", "\t", "\ufeff", "\x85", "\u2028", "flows:", "id: x", "from:", "to:",
    "organisations:", "area:", "evidence:", "paragraph: 1.1", "quote:",
])
YAML_TEXT = st.one_of(st.lists(YAML_PIECES, max_size=40).map("".join), st.text(max_size=200))


@FUZZ
@given(YAML_TEXT)
@example("a: &a [*a]")
@example("a: " + "[" * 100 + "]" * 100)
def test_yaml_parsing_raises_nothing_but_model_error(text):
    try:
        parse_yaml(text, "fuzz.yaml")
    except ModelError as exc:
        assert str(exc).startswith("fuzz.yaml"), str(exc)


# --- whole areas -------------------------------------------------------------------------------

FILES = ("flows.yaml", "parties.yaml", "area.yaml", "extracted.yaml")
ORIGINAL = {name: (NORTHMOOR / name).read_text(encoding="utf-8") for name in FILES}
VALUES = st.one_of(
    st.sampled_from(["", "~", "[]", "{}", "[a, b]", "{a: 1}", "1.10", "2024-01-01", "yes",
                     "*x", "&x y", "!!binary aGk=", "'unclosed", "\"\\e[2J\"", "- x", "camhs",
                     "gp-practices", "working", "absent", "referral", "outcome", "\"1.1\"",
                     "=1+1", "[/x]", "\u202eevil", "x" * 300]),
    st.text(max_size=30).filter(lambda t: "\n" not in t and "\r" not in t))


@st.composite
def broken_area(draw):
    """Northmoor with one file's lines replaced, values swapped or pieces spliced in."""
    name = draw(st.sampled_from(FILES))
    lines = ORIGINAL[name].splitlines()
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        how = draw(st.sampled_from(["value", "line", "drop", "duplicate", "indent"]))
        if how == "value" and ":" in lines[i]:
            key = lines[i].split(":", 1)[0]
            lines[i] = f"{key}: {draw(VALUES)}"
        elif how == "line":
            lines[i] = draw(YAML_TEXT)
        elif how == "drop":
            del lines[i]
        elif how == "duplicate":
            lines.insert(i, lines[i])
        else:
            lines[i] = " " * draw(st.integers(0, 6)) + lines[i].lstrip()
        if not lines:
            lines = [""]
    return name, "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def scratch():
    folder = Path(tempfile.mkdtemp()) / "area"
    shutil.copytree(NORTHMOOR, folder)
    yield folder
    shutil.rmtree(folder.parent, ignore_errors=True)


@FUZZ
@given(broken_area())
@example(("parties.yaml", ORIGINAL["parties.yaml"].replace("aliases: [NCCG]", "aliases: 1.10")))
@example(("parties.yaml", ORIGINAL["parties.yaml"].replace("sites:\n", "sites: 5\nx:\n")))
def test_loading_raises_nothing_but_model_error(scratch, change):
    from graphmodel.model.load import load_area
    from graphmodel.questions import commissioning as commissioning_q
    from graphmodel.questions import gaps as gaps_q
    from graphmodel.questions import hotspots as hotspots_q
    from graphmodel.questions import recommendations as recommendations_q
    from graphmodel.questions.graph import build_graph
    name, text = change
    for original, content in ORIGINAL.items():
        (scratch / original).write_text(text if original == name else content, encoding="utf-8")
    try:
        model = load_area(scratch)
    except ModelError as exc:
        assert str(exc).strip(), exc
        return
    G = build_graph(model)  # a model that loads must answer every question
    for question in (gaps_q.gaps, recommendations_q.coverage, commissioning_q.commissioning, hotspots_q.hotspots):
        json.dumps(question(G))
