"""Parties as the questions name them: a reference, what is inside one, its organisation."""

from __future__ import annotations

from collections.abc import Collection

import networkx as nx

from .. import vocab
from .graph import in_by, nodes_of, out_by


def party_ref(G: nx.MultiDiGraph, node: str) -> dict:
    """A party as JSON: its id and name."""
    return {"id": node, "name": G.nodes[node].get("name", node)}


def units(G: nx.MultiDiGraph, party: str) -> set[str]:
    """A party and everything inside it: services it provides, groups, sites, forums."""
    found, todo = {party}, [party]
    down, up = vocab.contains_down(), vocab.contains_up()
    while todo:
        node = todo.pop()
        inner = [v for key in down for v in out_by(G, node, key)]
        inner += [u for key in up for u in in_by(G, node, key)]
        for child in inner:
            if child not in found and G.nodes[child]["kind"] != "flow":
                found.add(child)
                todo.append(child)
    return found


def organisation_of(G: nx.MultiDiGraph, party: str) -> str:
    """The organisation a party belongs to (itself for an organisation)."""
    seen = set()
    while G.nodes[party]["kind"] != "organisation" and party not in seen:
        seen.add(party)
        up = [u for key in vocab.contains_down() for u in in_by(G, party, key)]
        up += [v for key in vocab.contains_up() for v in out_by(G, party, key)]
        if not up:
            break
        party = up[0]
    return party


def flow_party_graph(G: nx.MultiDiGraph,
                     statuses: Collection[str] | None = None) -> nx.MultiDiGraph:
    """Parties joined by flows (one edge per flow), optionally of some statuses."""
    P: nx.MultiDiGraph = nx.MultiDiGraph()
    for flow in nodes_of(G, "flow"):
        d = G.nodes[flow]
        if statuses is None or d["status"] in statuses:
            P.add_edge(d["sender"], d["receiver"], key=flow, status=d["status"])
    return P


def ref_id(ref: dict | None) -> str | None:
    return ref["id"] if ref else None
