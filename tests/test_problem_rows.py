"""How failures become problem rows (graphmodel/questions/gaps.py): a return no flow records,
the words of a proposal, and what groups failures into one proposal.

Each test edits a copy of Ranktown, the hand-made area that declares no problems, so what
it checks is the proposal the gap list shows an area before its problems are declared.
"""

from __future__ import annotations

import shutil

import networkx as nx
import pytest

from graphmodel.model.load import load_area
from graphmodel.questions import gaps as gaps_q
from graphmodel.questions import ranking
from graphmodel.questions.graph import build_graph

from conftest import FIXTURES, edit

RANKTOWN = FIXTURES / "areas" / "ranktown"
ED_OUTCOME = """  - id: csc-outcome-to-ed
    from: ranktown-csc
    to: ed
    passes: outcome
    status: absent
    returns: ed-referral-to-csc
    summary: Outcomes are not returned to the emergency department.
    evidence:
      - {paragraph: "1.3", quote: "is not returned to the department"}
"""


@pytest.fixture
def ranktown(tmp_path):
    target = tmp_path / "ranktown"
    shutil.copytree(RANKTOWN, target)
    return target


def rows_by_id(folder):
    return {r["id"]: r for r in gaps_q.gaps(build_graph(load_area(folder, warnings=False)))}


def test_a_return_no_flow_records_is_a_leg_of_its_own(ranktown):
    """The ED expects an answer and no flow records one: the row shows the missing return as
    a leg from the receiver back to the sender, and only the ED sends."""
    edit(ranktown / "flows.yaml", ED_OUTCOME, "")
    row = rows_by_id(ranktown)["ed-referral-to-csc+no-return"]
    ed = {"id": "ed", "name": "Lowfield emergency department"}
    csc = {"id": "ranktown-csc", "name": "Ranktown children's social care"}
    assert row["legs"][1] == {
        "flow": None, "role": "return", "missing": True, "from": csc, "to": ed,
        "passes": "return", "status": "absent", "summary": "No return flow is recorded.",
        "evidence": [], "inferred": None, "inferred_ends": [],
        "signature": {"from": "childrens_social_care", "to": "emergency_department",
                      "passes": "return"}}
    assert (row["kind"], row["severity"], row["passes"]) == ("broken_loop", "critical",
                                                              "referral / return")
    assert (row["legs"][0]["flow"], row["legs"][0]["role"]) == ("ed-referral-to-csc", "outward")
    assert row["senders"] == [ed] and row["receivers"] == [csc]
    assert row["units"] == [{"kind": "broken_loop", "severity": "critical", "status": "absent",
                             "flows": ["ed-referral-to-csc", "no-return"]}]
    # the proposal reads as the flow that goes out, not as "No return flow is recorded."
    assert row["summary"] == "The emergency department refers to children's social care."


def test_one_more_flow_is_said_in_the_singular(ranktown):
    """Two flows that fail alike: "1 more flow", not "flows"; one that fails differently (late,
    not absent) from the same sentence is a proposal of its own."""
    edit(ranktown / "flows.yaml", "to: sexual-health\n    passes: notification\n    status: "
         "absent", "to: sexual-health\n    passes: notification\n    status: delayed")
    rows = rows_by_id(ranktown)
    two = rows["missing-education-to-school-nurses+missing-education-to-health-visitors"]
    assert two["summary"] == ("School nurses are not told of children missing from education. "
                              "The same holds for 1 more flow.")
    late = rows["missing-education-to-sexual-health"]
    assert late["summary"] == ("The sexual health clinic is not told of children missing from "
                               "education.")


def test_loops_that_fail_alike_are_one_proposal_counted_as_loops(ranktown):
    """The ED's loop, cited from the midwives' paragraph, fails as theirs does: one proposal
    whose words count the other loop as a loop."""
    for old, new in (('{paragraph: "1.3", quote: "referrals from the emergency department to '
                      'children\'s social care"}',
                      '{paragraph: "1.1", quote: "Lowfield midwives refer families"}'),
                     ('{paragraph: "1.3", quote: "is not returned to the department"}',
                      '{paragraph: "1.1", quote: "the MASH does not tell midwives"}')):
        edit(ranktown / "flows.yaml", old, new)
    rows = rows_by_id(ranktown)
    both = rows["midwife-referral-to-mash+mash-outcome-to-midwives+ed-referral-to-csc+"
                "csc-outcome-to-ed"]
    assert both["summary"] == ("Midwives refer to the MASH in good time. The MASH does not tell "
                               "midwives the outcome. The same holds for 1 more loop.")


def failure(kind="gap", status="absent", paragraphs=("1.1",), role="one-way",
            passes="information"):
    legs = [{"role": role, "passes": passes, "status": status,
             "evidence": [{"paragraph": p} for p in paragraphs]}]
    return {"kind": kind, "legs": legs}


@pytest.mark.parametrize("other", [
    failure(kind="broken_loop"), failure(status="delayed"), failure(paragraphs=("1.2",)),
    failure(paragraphs=("1.1", "1.2")), failure(role="outward"), failure(passes="referral")])
def test_each_grouping_key_keeps_failures_apart(other):
    """A proposal joins only failures citing the same paragraphs that fail the same way: the
    kind, and each leg's role, what passes and its status."""
    assert len(ranking.group([failure(), failure()])) == 1
    assert len(ranking.group([failure(), other])) == 2


def recommendations_graph():
    """Two flows: one whose findings cite recommendations 1.10 and 1.2 (owned by the trust,
    then the ICB and the trust), one that narrows what its finding cites to 1.3 and whose
    finding goes to public health."""
    G = nx.MultiDiGraph()
    for party, name in (("trust", "The Trust"), ("icb", "The ICB")):
        G.add_node(party, kind="organisation", name=name)
    for rec, owners in (("1.10", ["trust"]), ("1.2", ["icb", "trust"]), ("1.3", ["icb"]),
                        ("1.4", ["trust"])):
        G.add_node(f"rec:{rec}", kind="recommendation", owners=owners)
    G.add_node("flow:a", kind="flow")
    G.add_node("flow:b", kind="flow", recommendations=["1.3"])
    G.add_node("finding:2.1", kind="finding", recommendations=["1.10", "1.2"],
               public_health=False)
    G.add_node("finding:2.2", kind="finding", recommendations=["1.4"], public_health=True)
    G.add_edge("finding:2.1", "flow:a", key="evidences")
    G.add_edge("finding:2.2", "flow:b", key="evidences")
    return G


def test_recommendations_on_a_problem_in_number_order_with_their_owners():
    """1.2 before 1.10 (by number, not as text), a flow's own list over its finding's, owners
    once each in the order of their recommendations, and the public health referral."""
    G = recommendations_graph()
    got = gaps_q.flow_actions(G, ["flow:a", "flow:b"])
    assert got == {"recommendations": ["1.2", "1.3", "1.10"],
                   "owners": [{"id": "icb", "name": "The ICB"},
                              {"id": "trust", "name": "The Trust"}],
                   "public_health": True,
                   "action": f"recommendations 1.2, 1.3, 1.10; {gaps_q.PUBLIC_HEALTH_ACTION}",
                   "findings": ["2.1", "2.2"]}
    assert gaps_q.flow_actions(G, ["flow:a"])["public_health"] is False
    none = gaps_q.flow_actions(G, [])
    assert (none["action"], none["recommendations"], none["owners"]) == (
        "no recommendation", [], [])


def test_a_filter_left_at_its_defaults_keeps_every_row(ranktown):
    """``filtered`` with no filter given hides nothing: one-way problems stay beside loops."""
    rows = list(rows_by_id(ranktown).values())
    kept = gaps_q.filtered(rows)
    assert kept == rows and {r["kind"] for r in kept} > {"broken_loop"}
