"""Who must act on a problem (graphmodel/questions/to_act.py, docs/ranking.md "Who must act"),
on graphs of a few nodes: each basis, the failing party, partners named in a recommendation."""

from __future__ import annotations

import networkx as nx
import pytest

from graphmodel.questions import to_act as acting


def graph(**roles) -> nx.MultiDiGraph:
    """A trust (with a service), a council (with children's social care), a forum, a system,
    a recommendation to the trust naming the GP practices as partners."""
    G = nx.MultiDiGraph(public_health_owner="ph")
    orgs = {"trust": "nhs_provider", "council": "local_authority", "ph": "local_authority_function",
            "gps": "primary_care", "police": "police"}
    names = {"gps": "GP practices"}
    for node, kind in orgs.items():
        G.add_node(node, kind="organisation", type=kind, name=names.get(node, node.title()),
                   aliases=[])
    G.add_node("csc", kind="organisation", type="local_authority_function",
               name="Children's social care", aliases=["CSC"])
    G.add_edge("csc", "council", key="part_of")
    G.add_node("ed", kind="service", type="service", name="Emergency department", aliases=[])
    G.add_edge("trust", "ed", key="provides")
    G.add_node("marac", kind="forum", type="conference", name="MARAC", aliases=[])
    G.add_node("emis", kind="system", type="system", name="EMIS", aliases=[])
    G.add_node("rec:1.1", kind="recommendation", owners=["trust"],
               text="Work with the GP practices and CSC to agree how outcomes return.")
    G.add_node("rec:1.2", kind="recommendation", owners=["trust"],
               text="Make sure practitioners working with children know GP practices' policy.")
    for node, role in roles.items():
        G.nodes[node]["role"] = role
    return G


def leg(sender, receiver, status="absent"):
    return {"from": {"id": sender}, "to": {"id": receiver}, "status": status}


def row(*legs, public_health=False):
    return {"legs": list(legs), "public_health": public_health}


def bases(out):
    return [(a["id"], a["basis"]) for a in out]


def test_a_health_body_by_role_else_by_its_organisation():
    G = graph(csc="childrens_social_care", ed="emergency_department")
    assert acting.is_health(G, "ed") and not acting.is_health(G, "csc")
    plain = graph()
    assert acting.is_health(plain, "ed")  # provided by an NHS trust
    assert not acting.is_health(plain, "csc")  # part of the council
    assert not acting.is_health(plain, "marac")  # a forum no health body hosts
    assert not acting.is_health(plain, "police")
    assert acting.is_health(graph(marac="child_protection_conference", csc="health_provider"),
                            "csc")  # the role decides, whatever the organisation


def test_partners_are_what_an_imperative_work_with_names():
    G = graph()
    assert acting.partners(G, "rec:1.1", ["trust"]) == ["gps", "csc"]
    assert acting.partners(G, "rec:1.2", ["trust"]) == []  # "working with children": no one
    assert acting.partners(G, "rec:1.1", ["trust", "gps"]) == ["csc"]  # owners are not partners


def test_each_basis(monkeypatch):
    G = graph()
    out = acting.to_act(G, row(leg("csc", "ed")), ["rec:1.1"])
    assert bases(out) == [("trust", "recommendation"), ("gps", "partner"), ("csc", "partner")]
    assert out[0]["recommendations"] == ["1.1"] and out[1]["recommendations"] == ["1.1"]
    out = acting.to_act(G, row(leg("csc", "ed")), [])
    assert bases(out) == [("csc", "outside_review")]
    out = acting.to_act(G, row(leg("ed", "csc")), [])
    assert bases(out) == [("trust", "unaddressed")]  # the service's trust, nobody addressed
    out = acting.to_act(G, row(leg("ed", "csc"), public_health=True), [])
    assert bases(out) == [("ph", "brought_to_attention")]  # covered, so not "unaddressed"


def test_the_failing_party_sends_or_uses_the_system():
    G = graph()
    assert bases(acting.to_act(G, row(leg("emis", "ed", "broken")), [])) == [
        ("trust", "unaddressed")]  # the ED's trust, not the record system
    assert bases(acting.to_act(G, row(leg("marac", "gps")), [])) == [("marac", "outside_review")]
    working = row(leg("csc", "ed", "working"), leg("ed", "csc", "absent"))
    assert bases(acting.to_act(G, working, [])) == [("trust", "unaddressed")]


def test_a_successor_rides_along():
    G = graph()
    G.nodes["trust"]["now"] = {"name": "New Trust"}
    out = acting.to_act(G, row(leg("csc", "ed")), ["rec:1.1"])
    assert out[0]["now"] == "New Trust" and "now" not in out[1]


@pytest.mark.parametrize("text, expected", [
    ("Work together with CSC to develop a plan.", ["csc"]),
    ("Agree with the GP practices, in order to share records.", ["gps"]),
    ("Review the pathway in partnership with Police, and report.", ["police"]),
    # two imperatives, two partners: each clause's words are read apart
    ("Work with the GP practices to share records. Liaise with CSC to agree outcomes.",
     ["gps", "csc"]),
])
def test_partner_phrasings(text, expected):
    G = graph()
    G.nodes["rec:1.1"]["text"] = text
    assert acting.partners(G, "rec:1.1", ["trust"]) == expected


def test_the_longest_name_wins_where_names_overlap():
    G = graph()
    G.add_node("named", kind="group", type="group", name="Named GPs", aliases=["named GP"])
    G.nodes["gps"]["aliases"] = ["GPs"]
    G.nodes["rec:1.1"]["text"] = "Work with the named GPs to make sure GPs are told."
    assert acting.partners(G, "rec:1.1", ["trust"]) == ["named"]


def test_public_health_is_listed_once_when_it_also_fails():
    """A matter brought to public health's attention where public health itself does not
    pass something on: one entry, on the basis of the referral, not a second one."""
    G = graph()
    out = acting.to_act(G, row(leg("ph", "ed"), public_health=True), [])
    assert bases(out) == [("ph", "brought_to_attention")]


def test_the_longest_name_wins_where_a_shorter_one_starts_at_the_same_word():
    """"the CSC front door" names the front door, not children's social care by its alias."""
    G = graph()
    G.add_node("door", kind="group", type="team", name="CSC front door", aliases=[])
    G.nodes["rec:1.1"]["text"] = "Work with the CSC front door to agree how outcomes return."
    assert acting.partners(G, "rec:1.1", ["trust"]) == ["door"]
