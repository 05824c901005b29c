"""``party``: one party's profile, as named sections of rows."""

from __future__ import annotations

import networkx as nx

from .commissioning import commissioning
from .gaps import gaps
from .graph import nodes_of
from .parties import party_ref, ref_id, units
from .recommendations import owners


def org(G: nx.MultiDiGraph, org_id: str) -> dict[str, list[dict]]:
    """One organisation's profile, as named sections of rows."""
    mine = units(G, org_id)
    flows = [{"flow": f, "direction": "out" if G.nodes[f]["sender"] in mine else "in",
              "from": party_ref(G, G.nodes[f]["sender"]),
              "to": party_ref(G, G.nodes[f]["receiver"]), "passes": G.nodes[f]["passes"],
              "status": G.nodes[f]["status"], "summary": G.nodes[f]["name"]}
             for f in nodes_of(G, "flow")
             if G.nodes[f]["sender"] in mine or G.nodes[f]["receiver"] in mine]
    return profile(G, org_id, sorted(mine - {org_id}), flows, gaps(G, org=org_id))


def profile(G: nx.MultiDiGraph, org_id: str, inside: list[str], flows: list[dict],
            gap_rows: list[dict]) -> dict[str, list[dict]]:
    """The profile's sections from a party's neighbourhood and its problems.

    Why apart from ``org``: the neighbourhood (``inside``: the ids of what is
    inside the party, sorted; ``flows``: its flow rows) is a traversal, which
    Neo4j does for ``--backend neo4j``; everything else is read from rows here,
    whichever backend found the neighbourhood.
    """
    deals = commissioning(G)
    return {
        "organisation": [{**party_ref(G, org_id), "kind": G.nodes[org_id]["type"],
                          "role": G.nodes[org_id].get("role"),
                          "aliases": ", ".join(G.nodes[org_id]["aliases"])}],
        "commissions": [r for r in deals if ref_id(r["commissioner"]) == org_id],
        "provides": [r for r in deals
                     if org_id in (ref_id(r["provider"]), ref_id(r["subcontracted_from"]))],
        "units": [{**party_ref(G, u), "kind": G.nodes[u]["kind"]} for u in inside],
        "flows": flows,
        "gaps": [{k: r[k] for k in ("rank", "kind", "severity", "from", "to", "status",
                                    "summary", "id")} for r in gap_rows],
        "recommendations_on_its_gaps": recommendations_on(gap_rows, owners(G)),
        "recommendations": [{k: r[k] for k in ("id", "text")} for r in owners(G, org=org_id)],
    }


def recommendations_on(gap_rows: list[dict], recommendations: list[dict]) -> list[dict]:
    """The recommendations that address a party's gaps, worst gap first, each once.

    Why apart from those it owns: CQC recommends to health bodies only, so the
    MASH owns none, yet four of its gaps carry recommendations to others.
    """
    text = {r["id"]: r["text"] for r in recommendations}
    ids = dict.fromkeys(rec for g in gap_rows for rec in g["recommendations"])
    return [{"id": rec, "text": text.get(rec, "")} for rec in ids]
