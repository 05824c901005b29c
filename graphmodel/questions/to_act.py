"""Who must act on a problem, beside whom CQC addressed (``gaps``' ``to_act``).

Why: CQC makes recommendations to health bodies only. A failure on the
council's side (children's social care, a MASH it runs, conferences) gets no
recommendation, and a matter "brought to the attention" of the council's public
health team is not one it owns. A board paper needs both: who owns a
recommendation, and who else must act and on what basis (``vocab.TO_ACT_BASES``).
"""

from __future__ import annotations

import re

import networkx as nx

from .. import vocab
from .graph import in_by
from .parties import organisation_of

HEALTH_ORG_KINDS = ("commissioner", "nhs_provider", "voluntary_provider", "provider_group",
                    "primary_care", "national_body")
# A recommendation's partner: its imperative "Work with the named GP to ...", "Work together
# with Sefton Council to ...", or "in partnership with X": the words after "with", up to
# "to" or a stop. ("Practitioners working with children" names no partner.)
PARTNER_WORDS = re.compile(
    r"(?:(?:^|[.;:]\s+)(?:Work|Liaise|Collaborate|Agree)\s+(?:together\s+|closely\s+|"
    r"jointly\s+)?|\b(?:in partnership|jointly)\s+)with\s+"
    r"(?P<who>.+?)(?=\s+to\b|\s+in order\b|[,.;:]|$)")


def is_health(G: nx.MultiDiGraph, party: str) -> bool:
    """Whether a party is a health body's: its role says so, else its organisation's kind.

    A forum with no organisation (a multi-agency conference) is no health body's.
    """
    role = G.nodes[party].get("role")
    if role:
        return vocab.ROLES[role].health
    if G.nodes[party].get("kind") == "system":  # a record system: its users' duty
        return any(is_health(G, user) for user in in_by(G, party, "uses"))
    org = organisation_of(G, party)
    d = G.nodes[org]
    return d.get("kind") == "organisation" and d.get("type") in HEALTH_ORG_KINDS


def ref(G: nx.MultiDiGraph, party: str, basis: str, recs: list[str] | None = None) -> dict:
    """A party who must act: id, name, basis (with the recommendations it rests on), and
    what has replaced it since the review."""
    d = G.nodes[party]
    out: dict = {"id": party, "name": d.get("name", party), "basis": basis}
    if recs is not None:
        out["recommendations"] = [r.split(":", 1)[1] for r in recs]
    if d.get("now"):
        out["now"] = d["now"]["name"]
    return out


def partners(G: nx.MultiDiGraph, rec: str, owners: list[str]) -> list[str]:
    """Parties a recommendation names as partners ("work with X to ..."), not its owners.

    Matched by every name and alias the model knows, whole words, in the words
    after "with"; a party is named once (its longest name that matches).
    """
    tail = " ; ".join(m.group("who") for m in PARTNER_WORDS.finditer(G.nodes[rec]["text"]))
    tail = tail.lower()
    if not tail:
        return []
    hits: list[tuple[int, str]] = []
    for node, d in G.nodes(data=True):
        if d.get("kind") not in vocab.PARTY_KINDS or node in owners:
            continue
        for name in sorted({d.get("name", ""), *d.get("aliases", [])}, key=len, reverse=True):
            if len(name) > 3 and re.search(rf"(?<!\w){re.escape(name.lower())}(?!\w)", tail):
                hits.append((tail.find(name.lower()), node))
                break
    return [node for _, node in sorted(hits)]


def _failing_party(G: nx.MultiDiGraph, leg: dict) -> str:
    """Who fails on a leg: its sender (who does not send, sends badly or late, or does not
    answer), except that a record system fails through those who use it (an ED that does
    not check CP-IS, GPs whose alerts are not kept up)."""
    sender = leg["from"]["id"]
    return leg["to"]["id"] if G.nodes[sender].get("kind") == "system" else sender


def to_act(G: nx.MultiDiGraph, row: dict, recs: list[str]) -> list[dict]:
    """Who must act on one problem row, each once, in the order of the bases."""
    out: dict[str, dict] = {}
    owners = list(dict.fromkeys(o for r in recs for o in G.nodes[r]["owners"]))
    for owner in owners:
        out[owner] = ref(G, owner, "recommendation",
                         [r for r in recs if owner in G.nodes[r]["owners"]])
    named = {r: partners(G, r, owners) for r in recs}
    for party in dict.fromkeys(p for found in named.values() for p in found):
        out.setdefault(party, ref(G, party, "partner", [r for r in recs if party in named[r]]))
    if row["public_health"]:
        ph = G.graph["public_health_owner"]
        out.setdefault(ph, ref(G, ph, "brought_to_attention"))
    addressed = bool(out)
    for leg in row["legs"]:
        if leg["status"] == vocab.WORKING:
            continue
        failing = _failing_party(G, leg)
        org = organisation_of(G, failing)
        if not is_health(G, failing):
            out.setdefault(org, ref(G, org, "outside_review"))
        elif not addressed:  # a health body's failure no recommendation or referral covers
            out.setdefault(org, ref(G, org, "unaddressed"))
    return list(out.values())
