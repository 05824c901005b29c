"""The action plan's rows, cover, what-if and due date (graphmodel.plan.build)."""

from __future__ import annotations

import datetime

import pytest

from graphmodel.api import open_area
from graphmodel.errors import UsageError
from graphmodel.plan.build import (
    build_plan,
    closed_by,
    extract,
    ranked,
    remaining,
    working_days_after,
)

from conftest import NORTHMOOR, SEFTON

D = datetime.date


@pytest.fixture(scope="module")
def northmoor():
    return open_area(NORTHMOOR)


@pytest.fixture(scope="module")
def sefton():
    return open_area(SEFTON)


# --- the due date ----------------------------------------------------------------------

@pytest.mark.parametrize("received, days, due, skipped", [
    (D(2019, 4, 15), 20, D(2019, 5, 16), ["Good Friday", "Easter Monday", "May Day"]),
    (D(2024, 12, 20), 5, D(2024, 12, 31), ["Christmas Day", "Boxing Day"]),
    (D(2022, 9, 16), 1, D(2022, 9, 20), ["State Funeral of Queen Elizabeth II"]),
    (D(2025, 3, 7), 20, D(2025, 4, 4), []),  # a Friday: the weekend is not counted
])
def test_working_days_skip_weekends_and_englands_bank_holidays(received, days, due, skipped):
    got, holidays = working_days_after(received, days)
    assert got == due
    assert [h["name"] for h in holidays] == skipped


def test_cover_counts_from_received_option_or_area_yaml(northmoor, area_copy):
    cover = build_plan(northmoor.graph, northmoor.gaps(), D(2019, 4, 15))["cover"]
    assert [s["id"] for s in cover["submitters"]] == ["northmoor-ccg"]
    assert (cover["working_days"], cover["received"], cover["due"]) == (20, "2019-04-15",
                                                                       "2019-05-16")
    assert build_plan(northmoor.graph, northmoor.gaps())["cover"]["due"] is None
    area_yaml = area_copy / "area.yaml"
    area_yaml.write_text(area_yaml.read_text() + "  received: 2024-12-20\n")
    copy = open_area(area_copy)
    assert build_plan(copy.graph, copy.gaps())["cover"]["due"] == "2025-01-22"
    assert build_plan(copy.graph, copy.gaps(), D(2019, 4, 15))["cover"]["due"] == "2019-05-16"


def test_sefton_cover_names_the_misnamed_ccg_and_its_due_date(sefton):
    cover = build_plan(sefton.graph, sefton.gaps(), D(2019, 4, 15))["cover"]
    assert [s["id"] for s in cover["submitters"]] == ["south-sefton-ccg", "southport-formby-ccg"]
    assert cover["submitters_as_written"][1] == "NHS Sefton and Formby CCG"
    assert (cover["to"], cover["working_days"], cover["due"]) == ("CQC", 20, "2019-05-16")


# --- the rows --------------------------------------------------------------------------

def test_northmoor_rows_worst_gap_first(northmoor):
    plan = build_plan(northmoor.graph, northmoor.gaps())
    rows = {r["id"]: r for r in plan["recommendations"]}
    assert [r["id"] for r in plan["recommendations"]] == ["1.2", "3.1", "1.1", "2.1"]
    assert [r["priority"] for r in plan["recommendations"]] == [1, 2, 3, 4]
    first = rows["1.2"]
    assert [g["id"] for g in first["gaps"]] == ["gp-referral+csc-outcome-to-gp",
                                                "missing-education-notice"]
    assert [g["rank"] for g in first["gaps"]] == [1, 3]
    assert first["gaps"][0]["problem"] == "Referral outcomes are not shared with GPs."
    assert (first["closes_gaps"], first["closes_loops"], first["shares"]) == (0, 1, 1)
    assert first["fixes"] == ["csc-outcome-to-gp", "missing-education-notice"]
    assert first["owner"] is None  # two owners: the owners say which leads
    assert rows["3.1"]["owner"]["id"] == "brightpath"  # one owner: filled in
    assert rows["1.1"]["findings"][0]["id"] == "1.3"
    assert all(r[k] is None for r in rows.values()
               for k in ("action", "lead", "due", "measure", "status", "evidence"))


def test_by_owner_gives_each_owner_its_rows(northmoor):
    rows = build_plan(northmoor.graph, northmoor.gaps(), by_owner=True)["recommendations"]
    pairs = [(r["owner"]["id"], r["id"]) for r in rows]
    assert pairs == [("brightpath", "3.1"), ("brightpath", "2.1"),
                     ("northmoor-ccg", "1.2"), ("northmoor-ccg", "1.1"),
                     ("northmoor-council", "1.2"), ("northmoor-council", "1.1"),
                     ("westshire-dale", "2.1")]


def test_one_owners_part(northmoor):
    plan = build_plan(northmoor.graph, northmoor.gaps(), org="brightpath")
    assert [r["id"] for r in plan["recommendations"]] == ["3.1", "2.1"]
    assert all(r["owner"]["id"] == "brightpath" for r in plan["recommendations"])
    assert plan["cover"]["part"]["name"] == "Brightpath"
    assert plan["not_covered"] == []  # no unaddressed gap touches Brightpath


def test_not_covered_northmoor(northmoor):
    rows = build_plan(northmoor.graph, northmoor.gaps())["not_covered"]
    assert [(r["kind"], r["id"]) for r in rows] == [
        ("gap_without_recommendation", "school-nurse-records-to-gp"),
        ("outside_review", "gp-referral+csc-outcome-to-gp"),
        ("public_health_referral", "1.5")]
    assert rows[0]["who"] == ["Northmoor public health team (brought to their attention, "
                              "not a recommendation)"]
    # children's social care fails to return outcomes: CQC could address no one there
    assert rows[1]["organisation"] == {"id": "northmoor-csc",
                                       "name": "Northmoor children's social care"}
    assert rows[2]["rank"] == 4


def test_extract_cuts_at_a_sentence_or_a_word():
    assert extract("GPs refer well. Outcomes are not returned.") == "GPs refer well."
    long = "word " * 60
    cut = extract(long, 40)
    assert cut.endswith("\u2026") and len(cut) <= 41 and " wo\u2026" not in cut


# --- what-if ---------------------------------------------------------------------------

def test_assume_done_all_leaves_exactly_the_unaddressed_gaps(northmoor):
    assert [g["id"] for g in northmoor.gaps(assume_done=["all"])] == [
        "school-nurse-records-to-gp"]
    left = [g["id"] for g in northmoor.gaps(assume_done=["1.2"])]
    assert left == ["mash-request-camhs+camhs-response-mash", "missing-education-notice",
                    "school-nurse-records-to-gp"]  # 1.1 and 2.1 must also be delivered
    assert len(northmoor.gaps(assume_done=["1.1", "1.2", "2.1"])) == 2
    with pytest.raises(UsageError, match="'9.9': no such recommendation"):
        northmoor.gaps(assume_done=["9.9"])


def test_sefton_assume_done_all_is_the_gaps_with_no_recommendation(sefton):
    every = sefton.gaps()
    left = sefton.gaps(assume_done=["all"])
    assert [g["id"] for g in left] == [g["id"] for g in every if not g["recommendations"]]
    plan = build_plan(sefton.graph, every)
    assert plan["cover"]["what_if"]["remaining"] == len(left)
    assert f"{len(left)} of the {len(every)} gaps" in plan["cover"]["what_if"]["statement"]
    unaddressed = [r["id"] for r in plan["not_covered"]
                   if r["kind"] == "gap_without_recommendation"]
    assert unaddressed == [g["id"] for g in left]


def test_closed_by_needs_every_recommendation_of_the_gap():
    row = {"recommendations": ["1.1", "1.2"]}
    assert not closed_by(row, {"1.1"}) and closed_by(row, {"1.1", "1.2", "3.1"})
    assert not closed_by({"recommendations": []}, {"1.1"})
    assert remaining([row], {"1.2"}) == [row]


def test_rank_is_the_rows_own_when_it_has_one():
    rows = ranked([{"id": "a", "rank": 7}, {"id": "b"}])
    assert [r["rank"] for r in rows] == [7, 2]


# --- Sefton: properties, not counts (its flows are being re-reviewed) -------------------

def test_sefton_plan_has_every_recommendation_once_worst_first(sefton):
    gaps = sefton.gaps()
    plan = build_plan(sefton.graph, gaps)
    rows = plan["recommendations"]
    assert len(rows) == 49
    assert sorted(r["id"] for r in rows) == sorted(sefton.info.recommendations)
    ranks = [r["worst_rank"] for r in rows if r["worst_rank"] is not None]
    assert ranks == sorted(ranks)
    assert all(r["worst_rank"] is None for r in rows[len(ranks):])
    for r in rows:
        expected = [g["id"] for g in gaps if r["id"] in g["recommendations"]]
        assert [g["id"] for g in r["gaps"]] == expected
        assert r["closes_gaps"] + r["closes_loops"] + r["shares"] == len(expected)


def test_sefton_by_owner_covers_every_owner_of_every_recommendation(sefton):
    rows = build_plan(sefton.graph, sefton.gaps(), by_owner=True)["recommendations"]
    expected = {(o, rid) for rid in sefton.info.recommendations
                for o in sefton.graph.nodes[f"rec:{rid}"]["owners"]}
    assert {(r["owner"]["id"], r["id"]) for r in rows} == expected
    names = [r["owner"]["name"] for r in rows]
    assert names == sorted(names)
