"""``graphmodel.views.build``: what each view draws, before any renderer.

Counts are hand-stated for Northmoor (tests/fixtures/areas/northmoor); on
Sefton, whose flows are under review, only properties are asserted.
"""

from __future__ import annotations

import pytest

from graphmodel import vocab
from graphmodel.errors import UsageError
from graphmodel.model.load import load_area
from graphmodel.questions import gaps as gaps_q
from graphmodel.questions.graph import build_graph
from graphmodel.views import build as views
from graphmodel.views import progress

INFERRED_REASON = ("1.3 names no sender; the council keeps the register of children "
                   "missing education")


def infer_sender(area):
    """Northmoor with the missing-education notice's sender marked as the modeller's inference."""
    path = area / "flows.yaml"
    text = path.read_text(encoding="utf-8")
    old = "    summary: School nurses are not told of children missing from education.\n"
    assert old in text
    path.write_text(text.replace(old, old + f"    inferred: \"{INFERRED_REASON}\"\n"),
                    encoding="utf-8")
    return build_graph(load_area(area))


@pytest.mark.parametrize("text,expected", [
    ("system", ("system", None)), ("GAPS", ("gaps", None)),
    ("party:MASH", ("party", "MASH")), ("org:NCCG", ("party", "NCCG")),
    ("recommendation:1.1", ("recommendation", "1.1")),
])
def test_view_names(text, expected):
    assert views.split_view(text) == expected


@pytest.mark.parametrize("text", ["bogus", "party", "org:", "system:x", "recommendation"])
def test_bad_view_names_are_usage_errors(text):
    with pytest.raises(UsageError, match="choose system, gaps, commissioning"):
        views.split_view(text)


def test_gaps_view_of_northmoor(northmoor_graph):
    view = views.build_view(northmoor_graph, "gaps")
    assert sorted(e.id for e in view.edges) == sorted([
        "gp-referral", "csc-outcome-to-gp", "mash-request-camhs", "camhs-response-mash",
        "missing-education-notice", "school-nurse-records-to-gp"])
    by_id = {e.id: e for e in view.edges}
    assert by_id["csc-outcome-to-gp"].label == views.LOOP_MARK  # the return that fails
    assert by_id["gp-referral"].label == "" and by_id["gp-referral"].loop
    assert by_id["gp-referral"].severity == by_id["csc-outcome-to-gp"].severity == "critical"
    assert by_id["missing-education-notice"].severity == "high"
    assert by_id["missing-education-notice"].recommendations == ["1.1", "1.2", "2.1"]
    rows = gaps_q.gaps(northmoor_graph)
    assert [p.id for p in view.problems] == [r["id"] for r in rows]  # in the ranking's order
    assert sorted(p.id for p in view.problems) == sorted([
        "gp-referral+csc-outcome-to-gp", "mash-request-camhs+camhs-response-mash",
        "missing-education-notice", "school-nurse-records-to-gp"])
    assert [p.rank for p in view.problems] == [r.get("rank") for r in rows]
    gps = view.node("gp-practices")
    assert gps.severity == "critical" and gps.aliases == ["GPs"]


def test_links_take_their_colours_from_the_vocabulary(northmoor_graph):
    view = views.build_view(northmoor_graph, "commissioning")
    colours = {e.kind: e.colour for e in view.edges}
    assert colours == {k: vocab.EDGE_TYPES[k].colour
                       for k in ("commissions", "provides", "subcontracts")}
    assert len(set(colours.values())) == 3  # told apart


def test_commissioning_fills_the_page_in_columns(northmoor_graph):
    view = views.build_view(northmoor_graph, "commissioning")
    xs = {n: p[0] for n, p in view.positions.items()}
    assert set(xs) == {n.id for n in view.nodes}
    assert xs["northmoor-ccg"] == xs["northmoor-public-health"] == 0
    assert xs["westshire-dale"] == xs["brightpath"] > max(xs[s] for s in (
        "camhs", "health-visiting", "school-nursing", "northmoor-ed"))


def test_sefton_commissioning_is_wider_than_tall(sefton_graph):
    view = views.build_view(sefton_graph, "commissioning")
    xs = [p[0] for p in view.positions.values()]
    ys = [p[1] for p in view.positions.values()]
    assert (max(xs) - min(xs)) > (max(ys) - min(ys))  # one tall column no more


def test_party_view_lists_problems_of_everything_inside(northmoor_graph):
    view = views.build_view(northmoor_graph, "system")
    mine = views.party_problems(northmoor_graph, view)
    ids = [view.problems[i].id for i in mine["westshire-dale"]]  # its school nurses
    assert sorted(ids) == ["missing-education-notice", "school-nurse-records-to-gp"]
    assert [view.problems[i].id for i in mine["brightpath"]] == [  # its CAMHS
        "mash-request-camhs+camhs-response-mash"]
    assert [view.problems[i].id for i in mine["gp-practices"]] == [
        "gp-referral+csc-outcome-to-gp", "school-nurse-records-to-gp"]  # worst first
    assert "northmoor-ed" not in mine  # its loop works


def test_sefton_every_failing_flow_is_drawn_in_its_status_colour(sefton_graph):
    view = views.build_view(sefton_graph, "system")
    flows = [e for e in view.edges if e.kind == "flow"]
    assert flows
    for e in flows:
        assert e.colour == vocab.STATUSES[e.status].colour
        if e.status in vocab.not_happening():
            assert e.colour == vocab.RED and e.dashes
    rows = gaps_q.gaps(sefton_graph)
    in_rows = {leg["flow"] for r in rows for leg in r["legs"] if leg["flow"]}
    assert {e.id for e in flows if e.severity} == in_rows


def test_legs_come_from_the_rows_however_many(northmoor_graph):
    """A gap that groups three flows (the lead may group gaps) is drawn leg by leg."""
    rows = gaps_q.gaps(northmoor_graph)
    one_way = sorted((r for r in rows if r["kind"] == "gap"), key=lambda r: r["id"])
    loop = next(r for r in rows if r["id"].startswith("gp-referral"))
    grouped = dict(loop, legs=[*loop["legs"], *one_way[0]["legs"]], id="grouped")
    view = views.build_view(northmoor_graph, "gaps", rows=[grouped, one_way[1]])
    problem = view.problems[0]
    assert problem.id == "grouped" and len(problem.legs) == 3
    assert problem.edges == ["gp-referral", "csc-outcome-to-gp", "missing-education-notice"]
    assert view.edge("missing-education-notice").loop  # it is a leg of that loop now


def test_a_missing_return_is_an_edge_of_the_view(area_copy):
    from test_htmlmap import drop_flow
    G = build_graph(load_area(drop_flow(area_copy, "csc-outcome-to-gp")))
    view = views.build_view(G, "gaps")
    missing = [e for e in view.edges if e.kind == "missing"]
    assert [(e.id, e.source, e.target) for e in missing] == [
        ("no-return:gp-referral", "northmoor-csc", "gp-practices")]
    assert missing[0].label == views.NO_RETURN and missing[0].severity == "critical"
    assert view.problems[0].edges == ["gp-referral", "no-return:gp-referral"]


def test_inferred_parties_are_marked(area_copy):
    G = infer_sender(area_copy)
    ends = G.nodes["missing-education-notice"]["inferred_ends"]
    assert "from" in ends  # 1.3 names no council ("school nurses" may not name the service)
    view = views.build_view(G, "gaps")
    edge = view.edge("missing-education-notice")
    assert edge.inferred == INFERRED_REASON and edge.inferred_ends == ends
    council = view.node("northmoor-council")
    assert council.inferred == 1 and council.named == 0 and council.dashed
    gps = view.node("gp-practices")
    assert gps.inferred == 0 and gps.named == 3 and not gps.dashed
    assert not any(e.inferred_ends for e in view.edges if e.id != edge.id)


def test_progress_view_draws_what_done_actions_fixed(area_copy):
    """Northmoor with one done action that fixes the GP loop's missing outcomes."""
    (area_copy / "actions.yaml").write_text(
        "actions:\n"
        "  - recommendation: \"1.2\"\n"
        "    owner: northmoor-ccg\n"
        "    action: Agree with children's social care that every referral's outcome goes "
        "back to the GP.\n"
        "    status: done\n"
        "    fixes: [csc-outcome-to-gp]\n", encoding="utf-8")
    G = build_graph(load_area(area_copy))
    view = views.build_view(G, "progress")
    fixed = view.edge("csc-outcome-to-gp")
    assert (fixed.progress, fixed.colour, fixed.label) == ("fixed", vocab.GREEN,
                                                           progress.FIXED_MARK)
    assert view.edge("gp-referral").progress == ""  # it worked already
    states = {p.id: p.progress for p in view.problems}
    assert states["gp-referral+csc-outcome-to-gp"] == "closed"
    # 1.3 cites 1.2 too: an action on 1.2 is under way for it, though it fixes nothing there
    assert states["missing-education-notice"] == "open"
    assert states["mash-request-camhs+camhs-response-mash"] == "no_action"
    assert any("1 broken loops and 0 gaps closed" in note for note in view.notes)
    # the gaps view of the same area does not draw progress
    assert all(e.progress == "" for e in views.build_view(G, "gaps").edges)


# --- the system map in organisations' blocks ---------------------------------------------------

def blocks(view) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for node in view.nodes:
        out.setdefault(node.group or "", set()).add(node.id)
    return out


def test_system_view_puts_each_party_in_its_organisations_block(northmoor_graph):
    view = views.build_view(northmoor_graph, "system")
    got = blocks(view)
    assert got["westshire-dale"] == {"westshire-dale", "northmoor-general", "health-visiting",
                                     "school-nursing", "northmoor-ed"}
    assert got["northmoor-council"] == {"northmoor-council", "northmoor-public-health",
                                        "northmoor-csc", "mash"}  # a function is the council's
    assert got["brightpath"] == {"brightpath", "camhs"}
    assert view.groups["westshire-dale"] == "Westshire and Dale Partnership NHS Foundation Trust"
    assert set(view.positions) == {n.id for n in view.nodes}


def box(view, ids: set[str]) -> tuple[float, float, float, float]:
    xs = [view.positions[i][0] for i in ids]
    ys = [view.positions[i][1] for i in ids]
    return min(xs), min(ys), max(xs), max(ys)


def test_sefton_blocks_never_overlap_and_the_map_is_wider_than_tall(sefton_graph):
    view = views.build_view(sefton_graph, "system")
    groups = blocks(view)
    assert groups["sefton-council"] >= {"sefton-csc", "sefton-council"}
    assert "alder-hey-ed" in groups["alder-hey"]
    boxes = [box(view, ids) for ids in groups.values()]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert a[2] < b[0] or b[2] < a[0] or a[3] < b[1] or b[3] < a[1], (a, b)
    x0, y0, x1, y1 = box(view, {n.id for n in view.nodes})
    assert x1 - x0 > y1 - y0


def test_only_the_system_view_is_grouped(northmoor_graph):
    for name, target in (("gaps", None), ("party", "mash"), ("commissioning", None)):
        assert views.build_view(northmoor_graph, name, target).groups == {}


def test_every_flow_has_a_short_label_for_downloads(northmoor_graph):
    view = views.build_view(northmoor_graph, "system")
    flows = [e for e in view.edges if e.kind in ("flow", "missing")]
    assert flows and all(e.short for e in flows)
    assert all(e.short.endswith(" · " + e.status) for e in flows if e.kind == "flow")
    loops = [e.short for e in flows if e.label.startswith("⟲")]
    assert loops and all(s.startswith("⟲") for s in loops)
