"""Gap priority on a hand-made area whose right order is plain (tests/fixtures/areas/ranktown).

Ranktown has: a MASH that never answers midwives' referrals (a broken loop on the
child-protection pathway), an emergency department whose referrals are never
answered (a broken loop off it), one sentence (1.4) saying three services are not
told of children missing from education, a gap nobody owns (1.5), and two gaps
that happen but not well (medium).
"""

from __future__ import annotations

import pytest

from graphmodel.model.load import load_area
from graphmodel.questions import gaps as gaps_q
from graphmodel.questions import ranking
from graphmodel.questions.graph import build_graph

from conftest import FIXTURES


@pytest.fixture(scope="module")
def ranktown():
    return build_graph(load_area(FIXTURES / "areas" / "ranktown"))


def test_the_obvious_order(ranktown):
    rows = gaps_q.gaps(ranktown)
    assert [r["id"] for r in rows] == [
        "midwife-referral-to-mash+mash-outcome-to-midwives",  # critical, CP pathway
        "ed-referral-to-csc+csc-outcome-to-ed",  # critical
        "gp-concerns-to-school-nurses",  # high, nobody owns it
        "missing-education-to-school-nurses+missing-education-to-health-visitors"
        "+missing-education-to-sexual-health",  # high, owned
        "hv-information-to-mash",  # medium, though it scores more points than 3 and 4
        "clinic-letters-to-gps",  # medium
    ]
    assert [r["rank"] for r in rows] == [1, 2, 3, 4, 5, 6]


def test_one_sentence_about_three_services_is_one_gap_with_three_legs(ranktown):
    row = next(r for r in gaps_q.gaps(ranktown) if r["id"].startswith("missing-education"))
    assert len(row["legs"]) == 3 and {leg["role"] for leg in row["legs"]} == {"one-way"}
    assert [p["id"] for p in row["receivers"]] == ["school-nursing", "health-visiting",
                                                   "sexual-health"]
    assert [p["id"] for p in row["senders"]] == ["ranktown-council"]
    assert "The same holds for 2 more flows: Health visiting, Sexual health clinic." \
        in row["summary"]
    assert [e["paragraph"] for e in row["evidence"]] == ["1.4"]  # one quote, not three


def test_why_adds_up_and_reads_in_one_line(ranktown):
    for row in gaps_q.gaps(ranktown):
        why = row["why"]
        points = sum(why[k] for k in ranking.POINTS)
        assert why["score"] == points
        assert why["text"].startswith(f"{row['severity']}; {points} points")
        assert "\n" not in why["text"]
    first = gaps_q.gaps(ranktown)[0]["why"]
    assert first["loop"] == ranking.POINTS["loop"]
    assert first["child_protection"] == ranking.POINTS["child_protection"]
    assert "child-protection pathway (Multi-agency safeguarding hub)" in first["text"]
    unowned = next(r for r in gaps_q.gaps(ranktown) if r["id"] == "gp-concerns-to-school-nurses")
    assert unowned["why"]["unowned"] == ranking.POINTS["unowned"]


def test_severity_comes_before_points(ranktown):
    rows = gaps_q.gaps(ranktown)
    medium = next(r for r in rows if r["id"] == "hv-information-to-mash")
    high = next(r for r in rows if r["id"] == "gp-concerns-to-school-nurses")
    assert medium["why"]["score"] > high["why"]["score"] and medium["rank"] > high["rank"]


def test_filters_keep_the_area_wide_rank(ranktown):
    rows = gaps_q.gaps(ranktown, org="gps")
    assert [(r["rank"], r["id"]) for r in rows] == [(3, "gp-concerns-to-school-nurses"),
                                                    (6, "clinic-letters-to-gps")]


def test_a_loop_whose_outward_flow_fails_is_two_one_way_gaps(area_copy):
    flows = area_copy / "flows.yaml"
    text = flows.read_text()
    flows.write_text(text.replace("passes: referral\n    status: working\n    expects_return: true\n"
                              "    summary: GPs refer",
                              "passes: referral\n    status: absent\n    expects_return: true\n"
                              "    summary: GPs refer", 1))
    rows = gaps_q.gaps(build_graph(load_area(area_copy)))
    kinds = {r["id"]: r["kind"] for r in rows}
    assert kinds["gp-referral"] == "gap" and kinds["csc-outcome-to-gp"] == "gap"


def _row(severity, score, *paragraphs):
    return {"severity": severity, "why": {"score": score, "text": f"{severity}; {score}"},
            "legs": [{"evidence": [{"paragraph": p, "quote": "q"} for p in paragraphs]}]}


def test_breadth_rule_keeps_one_paragraph_to_two_of_the_first_places():
    rows = [_row("high", 9, "3.11"), _row("high", 8, "3.11"), _row("high", 7, "3.11"),
            _row("high", 6, "4.1"), _row("medium", 9, "3.11")]
    out = ranking._breadth_first(list(rows))
    assert [r["why"]["score"] for r in out] == [9, 8, 6, 7, 9]  # the third 3.11 gives way
    assert out[3]["why"]["after"] == ["3.11"] and "gave way" in out[3]["why"]["text"]
    assert "after" not in out[2]["why"]


def test_breadth_rule_never_crosses_severities():
    rows = [_row("high", 9, "3.11"), _row("high", 8, "3.11"), _row("high", 7, "3.11"),
            _row("medium", 9, "4.1")]
    assert [r["severity"] for r in ranking._breadth_first(list(rows))] == \
        ["high", "high", "high", "medium"]


def test_sefton_first_ten_are_child_protection_failures_from_many_paragraphs(sefton_graph):
    top = gaps_q.gaps(sefton_graph)[:ranking.TOP]
    counts = {}
    for row in top:
        for p in ranking.paragraphs_of(row):
            counts[p] = counts.get(p, 0) + 1
    assert max(counts.values()) <= ranking.BREADTH
    assert sum(1 for r in top if r["why"]["child_protection"]) >= 7
    cited = {p for row in top for p in ranking.paragraphs_of(row)}
    # GPs not told of MARAC/MAPPA (3.12), GP information to the MASH (5.2.9),
    # CAMHS answers to the MASH (5.2.6) and MASH outcomes to GPs (5.2.13).
    assert {"3.12", "5.2.9", "5.2.6", "5.2.13"} <= cited
    assert all(r["why"]["text"] and "\n" not in r["why"]["text"] for r in top)
