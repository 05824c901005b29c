"""Questions on the small Northmoor area (answers stated here) and on Sefton.

Each test runs on both backends (``backend``, tests/backends.py): the folder in
memory, and the area as Neo4j holds it, asked with no folder read.
"""

from __future__ import annotations

import pytest

from graphmodel.questions import gaps as gaps_q
from graphmodel.questions import recommendations as recommendations_q

from conftest import NORTHMOOR, SEFTON


def ids(rows, key="id"):
    return [r[key] for r in rows]


@pytest.fixture
def northmoor(area_of):
    return area_of(NORTHMOOR)


@pytest.fixture
def sefton(area_of):
    return area_of(SEFTON)


def test_northmoor_gaps_worst_first(northmoor):
    rows = northmoor.gaps()
    assert ids(rows) == ["gp-referral+csc-outcome-to-gp", "mash-request-camhs+camhs-response-mash",
                         "missing-education-notice", "school-nurse-records-to-gp"]
    assert not any(r["declared"] for r in rows)  # Northmoor declares no problems: proposals
    assert ids(rows, "severity") == ["critical", "high", "high", "high"]
    loop = rows[0]
    assert loop["kind"] == "broken_loop" and loop["status"] == "absent"
    assert [leg["status"] for leg in loop["legs"]] == ["working", "absent"]
    assert loop["recommendations"] == ["1.2"]
    assert ids(loop["owners"]) == ["northmoor-ccg", "northmoor-council"]
    assert {e["paragraph"] for e in loop["evidence"]} == {"1.1"}


def test_public_health_referral_and_no_recommendation(northmoor):
    rows = {r["id"]: r for r in northmoor.gaps()}
    ph = rows["school-nurse-records-to-gp"]
    assert ph["action"] == gaps_q.PUBLIC_HEALTH_ACTION
    assert ph["owners"] == []  # brought to public health's attention: not owned
    assert [(a["id"], a["basis"]) for a in ph["to_act"]] == [
        ("northmoor-public-health", "brought_to_attention")]


def test_gap_filters(northmoor):
    assert ids(northmoor.gaps(loops_only=True)) == [
        "gp-referral+csc-outcome-to-gp", "mash-request-camhs+camhs-response-mash"]
    assert ids(northmoor.gaps(statuses=["inconsistent"])) == [
        "mash-request-camhs+camhs-response-mash"]
    # Brightpath is party to the CAMHS loop (through its service) and owns 2.1.
    assert ids(northmoor.gaps(org="brightpath")) == [
        "mash-request-camhs+camhs-response-mash", "missing-education-notice"]
    assert ids(northmoor.gaps(org="Brightpath", loops_only=True)) == [
        "mash-request-camhs+camhs-response-mash"]
    assert [r["rank"] for r in northmoor.gaps(statuses=["absent"], loops_only=True)] == [1]


def test_expected_return_that_is_not_modelled_is_a_broken_loop(area_copy, area_of):
    """An outward flow that expects a return, with no flow returning it."""
    flows = area_copy / "flows.yaml"
    text = flows.read_text(encoding="utf-8")
    start = text.index("  - id: csc-outcome-to-gp")
    flows.write_text(text[:start] + text[text.index("  - id: hv-gp-information"):],
                     encoding="utf-8")
    area = area_of(area_copy)
    row = area.gaps()[0]
    assert row["id"] == "gp-referral+no-return" and row["severity"] == "critical"
    assert row["legs"][1]["missing"] and row["legs"][1]["status"] == "absent"
    assert row["recommendations"] == ["1.2"]
    assert ids(area.gaps(org="GPs")) == ["gp-referral+no-return", "school-nurse-records-to-gp"]
    gp = next(r for r in area.hotspots() if r["id"] == "gp-practices")
    assert gp["gaps"] == 2


def test_working_loop_is_not_a_gap(northmoor):
    assert not [r for r in northmoor.gaps() if "ed-referral" in r["id"]]


def test_owners(northmoor):
    rows = northmoor.owners(recommendations=["3.1"])
    assert rows == [{"id": "3.1", "text": "Respond to every MASH request, whatever its RAG rating.",
                     "owners": [{"id": "brightpath", "name": "Brightpath"}],
                     "findings": ["2.1", "2.2"]}]
    assert ids(northmoor.owners(org="westshire-dale")) == ["2.1"]


def test_coverage(northmoor):
    rows = northmoor.coverage()
    assert [(r["kind"], r["id"]) for r in rows] == [
        ("finding_without_recommendation", "5.1.1")]


def test_commissioning_with_subcontract(northmoor):
    rows = {r["service"]["id"]: r for r in northmoor.commissioning()}
    camhs = rows["camhs"]
    assert camhs["commissioner"]["id"] == "northmoor-ccg"
    assert camhs["provider"]["id"] == "brightpath"
    assert camhs["subcontracted_from"]["id"] == "westshire-dale"
    assert rows["northmoor-ed"]["sites"] == [{"id": "northmoor-general",
                                              "name": "Northmoor General Hospital"}]


def test_two_services_subcontracted_through_the_same_prime(area_copy, area_of):
    """Both keep their sub-contract route (one prime -> provider edge lists both)."""
    parties = area_copy / "parties.yaml"
    text = parties.read_text(encoding="utf-8")
    text = text.replace("  - id: northmoor-ed\n", "  - id: brightpath-ed\n    name: Brightpath ED\n"
                        "    provider: brightpath\n    subcontracted_from: westshire-dale\n"
                        "  - id: northmoor-ed\n", 1)
    parties.write_text(text, encoding="utf-8")
    rows = {r["service"]["id"]: r for r in area_of(area_copy).commissioning()}
    assert rows["camhs"]["subcontracted_from"]["id"] == "westshire-dale"
    assert rows["brightpath-ed"]["subcontracted_from"]["id"] == "westshire-dale"


def finding_text(G, finding: str, text: str):
    """The graph with one finding's words changed (a copy: the cached graph is frozen)."""
    import networkx as nx
    H = nx.MultiDiGraph(G)
    H.nodes[finding]["text"] = text
    return H


def test_coverage_leaves_out_praise(northmoor_graph):
    """1.2 evidences one working flow: praise with a problem word in it is not a problem;
    the same problem word without praise is; praise does not excuse a finding with no flows."""
    covered = lambda G: [r["id"] for r in recommendations_q.coverage(G)  # noqa: E731
                         if r["kind"] == "finding_without_recommendation"]
    praise = "Health visitors work well with GPs, though a meeting was not always minuted."
    assert "1.2" not in covered(finding_text(northmoor_graph, "finding:1.2", praise))
    problem = "Health visitors attend, though the meeting is not always minuted."
    assert "1.2" in covered(finding_text(northmoor_graph, "finding:1.2", problem))
    no_flows = "Health visitors are good, though visits are not always recorded."
    assert "1.9" in covered(finding_text(northmoor_graph, "finding:1.9", no_flows))


def test_sefton_coverage_leaves_out_the_praised_5_1_9(sefton):
    """5.1.9: commissioners 'working closely' on 'improving' a service (its one flow works)."""
    ids = [r["id"] for r in sefton.coverage()]
    assert "5.1.9" not in ids and "5.2.16" in ids  # 5.2.16 has no flow: still a problem


def test_path_works_and_breaks(northmoor):
    routes = northmoor.path("gp-practices", "northmoor-csc")
    assert routes[0]["works"] and routes[0]["flows"] == ["gp-referral"]
    back = northmoor.path("northmoor-csc", "gp-practices")
    assert not back[0]["works"] and back[0]["breaks_at"] == ["csc-outcome-to-gp"]
    assert northmoor.path("gp-practices", "brightpath") == []


def test_a_route_continues_only_where_what_arrives_is_passed_on(northmoor):
    """Health visitors inform GPs, who refer to social care: one route (information
    carries on as a referral). The ED refers to social care, which sends GPs outcomes of
    their own referrals: two parallel channels, not one route (issue 18)."""
    one = northmoor.path("health-visiting", "northmoor-csc")
    route = next(r for r in one if len(r["route"]) == 3)
    assert route["flows"] == ["hv-gp-information", "gp-referral"]
    assert route["continues"] and route["not_passed_on"] == []
    assert [h["continues"] for h in route["hops"]] == [True, True]
    two = northmoor.path("northmoor-ed", "gp-practices")
    route = next(r for r in two if [p["id"] for p in r["route"]] ==
                 ["northmoor-ed", "northmoor-csc", "gp-practices"])
    assert not route["continues"]
    assert route["not_passed_on"] == [{"id": "northmoor-csc",
                                       "name": "Northmoor children's social care"}]
    assert [h["continues"] for h in route["hops"]] == [True, False]


def test_a_party_lists_the_recommendations_on_its_gaps_apart_from_those_it_owns(
        northmoor, sefton):
    """The MASH owns no recommendation (CQC recommends to health bodies), yet its gaps carry
    recommendations to others: 'Recommendations: none' misled (issue 18)."""
    mash = northmoor.party("mash")
    assert mash["recommendations"] == []
    assert [r["id"] for r in mash["recommendations_on_its_gaps"]] == ["3.1"]
    assert mash["recommendations_on_its_gaps"][0]["text"].startswith("Respond to every MASH")
    on_gaps = {rec for g in sefton.gaps(org="mash") for rec in g["recommendations"]}
    assert {r["id"] for r in sefton.party("mash")["recommendations_on_its_gaps"]} == \
        on_gaps != set()


def test_org_profile(northmoor):
    profile = northmoor.party("westshire-dale")
    assert {r["service"]["id"] for r in profile["provides"]} == {
        "health-visiting", "school-nursing", "northmoor-ed", "camhs"}
    assert ids(profile["recommendations"]) == ["2.1"]
    assert {r["flow"] for r in profile["flows"]} >= {"ed-referral", "csc-feedback-ed"}
    assert ids(profile["units"]) == sorted(ids(profile["units"]))
    assert "camhs" not in ids(profile["units"])  # sub-contracted to Brightpath, not its own


def test_hotspots(northmoor):
    rows = northmoor.hotspots()
    assert rows[0]["id"] == "gp-practices" and rows[0]["gaps"] == 2


# --- Sefton: the loops the report describes -----------------------------------

def parties(row):
    return {leg[end]["id"] for leg in row["legs"] for end in ("from", "to")}


def loop_parties(rows):
    """The parties of each broken loop inside the rows (a problem may hold several)."""
    out = []
    for row in rows:
        legs = {leg["flow"]: leg for leg in row["legs"] if leg["flow"]}
        for unit in row["units"]:
            if unit["kind"] == "broken_loop":
                out.append({leg[end]["id"] for f in unit["flows"] if f in legs
                            for leg in [legs[f]] for end in ("from", "to")})
    return out


def test_sefton_broken_loops(sefton):
    found = loop_parties(sefton.gaps(loops_only=True))
    # Primary care <-> MASH and children's social care (3.11, 5.2.13).
    assert {"gp-practices", "sefton-csc"} in found
    assert {"gp-practices", "sefton-csc", "mash"} in found  # MASH outcomes answer GP referrals
    # Young people's substance misuse <-> children's social care (3.15).
    assert {"sefton-stars", "sefton-csc"} in found
    # MASH <-> CAMHS (5.2.6).
    assert {"mash", "camhs"} in found
    # Sexual health is not invited to conferences and gets no plans (3.18): nothing
    # goes out to be answered, so these are one-way gaps, not a broken loop.
    assert not any("sando-sexual-health" in p for p in found)
    sexual_health = next(r for r in sefton.gaps() if r["id"] == "sexual-health-left-out")
    assert {u["kind"] for u in sexual_health["units"]} == {"gap"}


def test_sefton_gp_loop_cites_and_owners(sefton):
    # GPs refer appropriately (3.11); MASH outcomes do not come back (5.2.13).
    row = next(r for r in sefton.gaps(loops_only=True)
               if "mash-outcome-to-gp" in r["flows"])
    assert row["id"] == "gps-outside-child-protection-loop"  # one problem, one row
    assert "gp-referral-to-csc" in row["flows"]
    assert row["recommendations"] == ["1.4", "1.5"]  # not 1.2 (early help, 1.17)
    assert {"south-sefton-ccg", "southport-formby-ccg"} <= set(ids(row["owners"]))
    assert {e["paragraph"] for e in row["evidence"]} == {"3.11", "5.2.9", "5.2.13"}


def test_sefton_substance_misuse_loop_goes_to_public_health(sefton):
    row = next(r for r in sefton.gaps(loops_only=True)
               if "csc-referral-outcome-to-sefton-stars" in r["flows"])
    assert row["public_health"] and row["owners"] == []
    assert ("sefton-public-health", "brought_to_attention") in [
        (a["id"], a["basis"]) for a in row["to_act"]]


def test_sefton_every_recommendation_owned(sefton):
    rows = sefton.owners()
    assert len(rows) == 49 and all(r["owners"] for r in rows)
    three = next(r for r in rows if r["id"] == "3.1")
    assert ids(three["owners"])[:2] == ["south-sefton-ccg", "southport-formby-ccg"]


def test_sefton_commissioning_subcontract(sefton):
    row = next(r for r in sefton.commissioning()
               if r["service"]["id"] == "children-in-care-nursing")
    assert row["provider"]["id"] == "nwbh" and row["subcontracted_from"]["id"] == "mersey-care"
