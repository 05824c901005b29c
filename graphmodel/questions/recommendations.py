"""``owners`` and ``coverage``: each recommendation, its owners and findings; what no
recommendation covers."""

from __future__ import annotations

import re

import networkx as nx

from .. import vocab
from .graph import in_by, nodes_of, out_by
from .parties import party_ref

COVERAGE_KINDS = ("finding_without_recommendation", "recommendation_without_finding")


# Phrases with which the report states a problem. Bare "not" is too loose:
# "they do not experience avoidable delays" is praise.
PROBLEM_WORDS = re.compile(
    r"\b(not routinely|not always|not (?:consistently|effectively|well|embedded|robust)|"
    r"no evidence|lack(?:s|ed|ing)?|inconsistent(?:ly)?|variable|weak|delayed|"
    r"missed opportunity|under-developed|poor|insufficient|too slow|fragmented|"
    r"difficulty|unaware)\b", re.I)


# Phrases with which the report praises. A finding whose flows all work and whose words
# praise is not a problem, whatever else it says (5.1.9: "working closely ... improving").
PRAISE_WORDS = re.compile(
    r"\b(work(?:s|ing)? (?:well|closely|effectively)|good|effective(?:ly)?|robust|strong|"
    r"improv(?:ed|ing|ement)|well established|well embedded|closely monitor(?:s|ed)|"
    r"proactive(?:ly)?|timely)\b", re.I)


def owners(G: nx.MultiDiGraph, recs: list[str] | None = None,
           org: str | None = None) -> list[dict]:
    """Each recommendation: its text, owners and the findings that cite it."""
    rows = []
    for node in nodes_of(G, "recommendation"):
        rid = node.split(":", 1)[1]
        owner_ids = G.nodes[node]["owners"]
        if (recs and rid not in recs) or (org and org not in owner_ids):
            continue
        rows.append({
            "id": rid, "text": G.nodes[node]["text"],
            "owners": [party_ref(G, o) for o in owner_ids],
            "findings": [f.split(":", 1)[1] for f in in_by(G, node, "cites")],
        })
    return rows


def coverage(G: nx.MultiDiGraph) -> list[dict]:
    """Problem findings with no recommendation or referral; uncited recommendations.

    A finding is a problem when it evidences a flow that is not working, or
    uses problem language, unless it is praise: every flow it evidences works
    and it uses praise language (``PRAISE_WORDS``).
    ``reason`` says why in words (each failing flow's status and summary);
    ``flows`` holds those flows' ids.
    """
    rows = []
    for node in nodes_of(G, "finding"):
        d = G.nodes[node]
        if d["recommendations"] or d["public_health"]:
            continue
        flows = [f for f in out_by(G, node, "evidences") if G.nodes[f]["kind"] == "flow"]
        failing = [f for f in flows if G.nodes[f]["status"] in vocab.failing()]
        praised = flows and not failing and PRAISE_WORDS.search(d["text"])
        words = None if praised else PROBLEM_WORDS.search(d["text"])
        if failing or words:
            said = " ".join(f"({G.nodes[f]['status']}) {G.nodes[f]['name']}" for f in failing)
            reason = (f"evidences flows that are not working: {said}" if failing or not words
                      else f"problem language: '{words.group(0)}'")
            rows.append({"kind": "finding_without_recommendation",
                         "id": node.split(":", 1)[1], "section": d["section"],
                         "text": d["text"], "reason": reason, "flows": failing})
    for node in nodes_of(G, "recommendation"):
        if not in_by(G, node, "cites"):
            rows.append({"kind": "recommendation_without_finding",
                         "id": node.split(":", 1)[1], "section": "Recommendations",
                         "text": G.nodes[node]["text"],
                         "reason": "no finding cites it", "flows": []})
    return rows
