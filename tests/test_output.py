"""Renderers: every format from the same rows; tables and cards that fit and keep words."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from graphmodel import text, vocab
from graphmodel.questions import commissioning as commissioning_q
from graphmodel.questions import gaps as gaps_q
from graphmodel.questions import hotspots as hotspots_q
from graphmodel.questions import profile as profile_q
from graphmodel.questions import recommendations as recommendations_q
from graphmodel.questions import routes as routes_q
from graphmodel.render import cards, tables
from graphmodel.render.cards import render_gap_cards
from graphmodel.render.tables import render, wrap

ROWS = [{"id": "a", "owners": [{"id": "x", "name": "X Trust"}],
         "evidence": [{"paragraph": "1.1", "quote": "words"}], "ok": True}]
WIDTHS = (80, 120)
OUTPUT_SOURCE = "".join(Path(m.__file__).read_text(encoding="utf-8")
                        for m in (cards, tables, vocab))  # cards print vocab's words too


def test_wrap_keeps_width_and_words():
    text = "one two three four five six seven eight nine ten " * 5
    out = wrap(text, 30, first="1. ")
    assert all(len(line) <= 30 for line in out.splitlines())
    assert out.startswith("1. one") and out.splitlines()[1].startswith("   ")
    assert out.split() == ["1."] + text.split()


def test_wrap_cuts_a_word_wider_than_the_line_and_caps_lines():
    out = wrap("short " + "x" * 50 + " tail " * 20, 20, max_lines=3).splitlines()
    assert len(out) == 3 and all(tables.width_of(line) <= 20 for line in out)
    assert out[1].strip().endswith("…") and out[-1].endswith(" …")


def test_formats_share_the_rows():
    assert json.loads(render(ROWS, "json")) == ROWS
    assert render(ROWS, "csv").splitlines() == ["id,owners,evidence,ok",
                                                 'a,X Trust,1.1: \u201cwords\u201d,yes']
    assert "| a | X Trust | 1.1: \u201cwords\u201d | yes |" in render(ROWS, "markdown")
    assert "X Trust" in render(ROWS, "table")


def test_wide_columns_go_to_files_always_and_to_tables_when_wide():
    rows = [{"name": "Sefton GP practices", "id": "gp-practices", "gaps": 3}]
    assert render(rows, "csv", ["name", "gaps"], wide_columns=["id"]).startswith("name,gaps,id")
    assert "gp-practices" not in render(rows, "table", ["name", "gaps"], wide_columns=["id"])
    assert "gp-practices" in render(rows, "table", ["name", "gaps"], wide_columns=["id"],
                                    wide=True)


def test_long_table_shows_first_rows_and_says_how_many_more():
    rows = [{"n": i} for i in range(60)]
    out = render(rows, "table", title="Numbers", limit="auto", width=80)
    assert out.startswith(f"Numbers (the first {tables.AUTO_ROWS} shown)")
    assert "… and 40 more rows: --all shows every one" in out
    assert "59" in render(rows, "table", limit=None)
    assert len(render(rows[:22], "table", limit="auto").splitlines()) == 24  # no "2 more"


def test_short_columns_keep_their_natural_width():
    rows = [{"status": "absent", "summary": "word " * 60}]
    lines = render(rows, "table", width=80).splitlines()
    assert lines[0].startswith("status  summary")  # "absent" and the gutter, then text
    starts = ("absent  ", "        ", "──────  ")
    assert all(line.startswith(starts) for line in lines[1:])


# --- fitting Sefton at 80 and 120 columns --------------------------------------------------

def tokens(text: str) -> set[str]:
    """The letter-and-digit runs of a text: a word broken by wrapping is not among them."""
    return set(re.findall(r"[^\W_]+", text))


def source_tokens(value) -> set[str]:
    """Every word a row holds, as the renderers clean it."""
    if isinstance(value, dict):  # keys too: they are the column headers
        return set().union(tokens(" ".join(value)), *map(source_tokens, value.values()))
    if isinstance(value, list):
        return set().union(*map(source_tokens, value))
    return tokens(text.clean(str(value))) if value is not None else set()


def assert_fits(text: str, width: int, rows) -> None:
    """No line wider than ``width``; every word whole (from the rows or output.py's words)."""
    allowed = source_tokens(rows) | tokens(OUTPUT_SOURCE) | {"Title"}
    allowed |= {t.upper() for t in allowed} | {t.capitalize() for t in allowed}
    for line in text.splitlines():
        assert tables.width_of(line) <= width, line
        for word in line.split():
            if "…" not in word:  # a cut word says so
                assert {t for t in tokens(word) if not t.isdigit()} <= allowed, (word, line)


def items(text: str) -> list[list[str]]:
    """Cards or multi-line table rows: the blocks between blank lines."""
    return [block.splitlines() for block in text.split("\n\n")[1:]]


@pytest.mark.parametrize("width", WIDTHS)
def test_sefton_tables_fit(sefton_graph, width):
    for rows, cols in ((hotspots_q.hotspots(sefton_graph),
                        ["name", "gaps", "flows", "betweenness", "kind", "organisation"]),
                       (commissioning_q.commissioning(sefton_graph),
                        ["service", "provider", "commissioner", "subcontracted_from", "sites"])):
        out = render(rows, "table", cols, "Title", limit="auto", width=width)
        assert_fits(out, width, rows)
        assert all(len(block) <= tables.CELL_LINES for block in items(out)[:-1])


@pytest.mark.parametrize("width", WIDTHS)
def test_sefton_cards_fit(sefton_graph, width):
    G = sefton_graph
    cases = [
        (cards.render_coverage_cards, recommendations_q.coverage(G), 12),
        (cards.render_owner_cards, recommendations_q.owners(G), None),
        (cards.render_path_cards, routes_q.path(G, "mash", "gp-practices"), 20),
        (cards.render_path_cards, routes_q.path(G, "gp-practices", "sefton-csc"), 20),
        (cards.render_gap_cards, gaps_q.gaps(G), 30),
    ]
    for render_cards, rows, max_lines in cases:
        out = render_cards(rows, "Title", width=width, limit="auto")
        assert_fits(out, width, rows)
        if max_lines:
            assert max(len(item) for item in items(out)) <= max_lines, render_cards
    profile = profile_q.org(G, "sefton-council")
    assert_fits(cards.render_party_cards(profile, width=width), width, profile)


def test_owner_cards_cut_long_texts_unless_all(sefton_graph):
    rows = recommendations_q.owners(sefton_graph)
    for row in cards.render_owner_cards(rows, "t", width=80, limit="auto").split("\n  ")[1:]:
        assert len(row.splitlines()) <= tables.TEXT_LINES + 1
    everything = cards.render_owner_cards(rows, "t", width=80, limit=None)
    assert "…" not in everything and all(f"  {r['id']} " in everything for r in rows)


def test_path_cards_show_every_flow_insiders_and_answers(sefton_graph):
    out = cards.render_path_cards(routes_q.path(sefton_graph, "mash", "gp-practices"), "t",
                                   width=120)
    first = out.split("\n\n")[1]
    assert "request (inconsistent), outcome (inconsistent)" in first  # 5.2.13 "not routinely"
    assert "Answer to the request: response back to Multi-Agency Safeguarding Hub" in first
    out = " ".join(cards.render_path_cards(
        routes_q.path(sefton_graph, "gp-practices", "sefton-csc"), "t", width=120).split())
    assert ("Child protection conferences is inside Sefton children’s social care: Sefton "
            "children’s social care hosts Child protection conferences.") in out
    assert "works one way: no answer comes back reliably" in out


def test_gap_cards_show_each_loop_and_flow_once_and_a_return_only_for_a_loop():
    leg = {"flow": "f", "from": {"id": "a", "name": "A"}, "to": {"id": "b", "name": "B"},
           "passes": "referral", "status": "working", "summary": "s", "evidence": []}
    back = {**leg, "flow": "g", "from": leg["to"], "to": leg["from"], "passes": "outcome",
            "status": "absent", "evidence": [{"paragraph": "3.11", "quote": "not told"}]}
    other = {**leg, "flow": "h", "from": leg["to"], "to": {"id": "c", "name": "C"},
             "passes": "minutes", "status": "absent"}
    row = {"kind": "broken_loop", "severity": "critical", "from": leg["from"], "to": leg["to"],
           "legs": [leg, back, other], "statement": "Three flows, one problem.",
           "summary": "Three flows, one problem.", "scope": "systemic",
           "children": ["child_protection"], "declared": True,
           "units": [{"kind": "broken_loop", "flows": ["f", "g"]},
                     {"kind": "gap", "flows": ["h"]}],
           "evidence": [], "owners": [], "to_act": [
               {"id": "x", "name": "X Trust", "basis": "recommendation",
                "recommendations": ["1.1"], "now": "Y Trust"},
               {"id": "c", "name": "C", "basis": "outside_review"}],
           "why": "The outcome never reaches the GP."}
    out = cards.render_gap_cards([row], "t", width=80).splitlines()
    assert out[2] == "1. CRITICAL \u00b7 broken loop \u00b7 a pattern \u00b7 children in need of protection"
    assert out[3] == "   Three flows, one problem."
    assert out[4:6] == ["   \u2022 A \u2192 B: referral (working) \u2192 back: outcome (absent)",
                        "   \u2022 B \u2192 C: minutes (absent)"]  # a one-way flow: no "back"
    text_ = " ".join(" ".join(out).split())
    assert "Why: The outcome never reaches the GP." in text_
    assert ("To act: X Trust (now Y Trust): recommendation 1.1; C: outside CQC's review: raise "
            "it via the safeguarding partnership.") in text_
    assert "\u00b6 3.11: \u201cnot told\u201d" in text_  # the failure's words; no praise


# --- hostile text -----------------------------------------------------------------------

def test_clean_escapes_controls_and_bidi():
    assert text.clean("a\x1b[31mb\x9bc\u202ed\te") == "a\\x1b[31mb\\x9bc\\u202ed\\x09e"
    assert text.clean("line\nbreak") == "line break"
    assert text.safe_line("x" * 5000).endswith("… (cut)")
    assert len(text.safe_line("x" * 5000)) == text.MAX_LINE


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_csv_neutralises_formulas(value):
    out = render([{"name": value, "n": -1}], "csv")
    assert out.splitlines()[1].startswith(("'", "\"'")), out
    assert out.rstrip().endswith(",-1")  # numbers graphmodel computed stay numbers


def test_json_escapes_c1_and_bidi():
    out = render([{"name": "a\x9bb\u202ec\x1bd"}], "json")
    assert "\x9b" not in out and "\u202e" not in out and "\x1b" not in out
    assert json.loads(out) == [{"name": "a\x9bb\u202ec\x1bd"}]


def test_markup_is_text():
    out = render([{"name": "[/x] [bold]b[/bold]"}], "table", width=80)
    assert "[/x] [bold]b[/bold]" in out


def test_gap_cards_say_which_parties_the_modeller_inferred():
    leg = {"flow": "f", "role": "one-way", "from": {"id": "a", "name": "Alpha trust"},
           "to": {"id": "b", "name": "Beta service"}, "passes": "information",
           "status": "absent", "summary": "s", "evidence": [],
           "inferred": "1.2 names no sender; Alpha runs the register", "inferred_ends": ["from"]}
    row = {"kind": "gap", "severity": "high", "rank": 1, "from": leg["from"], "to": leg["to"],
           "legs": [leg], "summary": "Nothing reaches Beta.", "evidence": [], "owners": [],
           "action": "no recommendation"}
    out = " ".join(render_gap_cards([row], "t", width=100).split())
    assert ("Inferred: the report does not name Alpha trust here; 1.2 names no sender; "
            "Alpha runs the register") in out
    assert "Inferred" not in render_gap_cards([{**row, "legs": [{**leg, "inferred_ends": []}]}],
                                              "t", width=100)
