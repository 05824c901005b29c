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
from .graph import number
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
    org = organisation_of(G, party)
    d = G.nodes[org]
    return d.get("kind") == "organisation" and d.get("type") in HEALTH_ORG_KINDS


def ref(G: nx.MultiDiGraph, party: str, basis: str, recs: list[str] | None = None) -> dict:
    """A party who must act: id, name, basis (with the recommendations it rests on), and
    what has replaced it since the review."""
    d = G.nodes[party]
    out: dict = {"id": party, "name": d["name"], "basis": basis}
    if recs is not None:
        out["recommendations"] = [number(r) for r in recs]
    if d.get("now"):
        out["now"] = d["now"]["name"]
    return out


def partners(G: nx.MultiDiGraph, rec: str, owners: list[str]) -> list[str]:
    """Parties a recommendation names as partners ("work with X to ..."), not its owners.

    Matched by every name and alias the model knows, whole words, in the words
    after "with"; where names overlap the longest wins ("the named GPs" names the
    named GPs, not the GP practices).
    """
    tail = " ; ".join(m.group("who") for m in PARTNER_WORDS.finditer(G.nodes[rec]["text"]))
    tail = tail.lower()
    if not tail:
        return []
    found: list[tuple[int, int, str]] = []  # (start, end, party) of every name in the words
    for node, d in G.nodes(data=True):
        if d.get("kind") not in vocab.PARTY_KINDS or node in owners:
            continue
        for name in {d["name"], *d["aliases"]}:
            if len(name) >= 3:
                pattern = rf"(?<!\w){re.escape(name.lower())}(?!\w)"
                found += [(m.start(), m.end(), node) for m in re.finditer(pattern, tail)]
    taken: list[tuple[int, int, str]] = []  # the longest name wins: "named GPs", not "GPs"
    for start, end, node in sorted(found, key=lambda f: (f[0] - f[1], f[0])):
        if all(end <= s or start >= e for s, e, _ in taken):
            taken.append((start, end, node))
    return list(dict.fromkeys(node for _, _, node in sorted(taken)))


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
