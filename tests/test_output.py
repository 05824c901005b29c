"""Renderers: every format from the same rows."""

from __future__ import annotations

import json

from graphmodel.output import render, wrap

ROWS = [{"id": "a", "owners": [{"id": "x", "name": "X Trust"}],
         "evidence": [{"paragraph": "1.1", "quote": "words"}], "ok": True}]


def test_wrap_keeps_width_and_words():
    text = "one two three four five six seven eight nine ten " * 5
    out = wrap(text, 30, first="1. ")
    assert all(len(line) <= 30 for line in out.splitlines())
    assert out.startswith("1. one") and out.splitlines()[1].startswith("   ")
    assert out.split() == ["1."] + text.split()


def test_formats_share_the_rows():
    assert json.loads(render(ROWS, "json")) == ROWS
    assert render(ROWS, "csv").splitlines() == ["id,owners,evidence,ok",
                                                 'a,X Trust,1.1: \u201cwords\u201d,yes']
    assert "| a | X Trust | 1.1: \u201cwords\u201d | yes |" in render(ROWS, "markdown")
    assert "X Trust" in render(ROWS, "table")


def test_long_tables_show_their_first_rows_and_count_the_rest():
    from graphmodel.output import AUTO_ROWS
    rows = [{"id": f"party-{n}"} for n in range(AUTO_ROWS + 7)]
    cut = render(rows, "table", ["id"], limit="auto")
    assert f"party-{AUTO_ROWS - 1}" in cut and f"party-{AUTO_ROWS}" not in cut
    assert cut.rstrip().endswith("and 7 more rows: --all shows every row")
    full = render(rows, "table", ["id"], limit=None)
    assert f"party-{AUTO_ROWS + 6}" in full and "more rows" not in full
    assert len(json.loads(render(rows, "json", limit="auto"))) == AUTO_ROWS + 7
