"""``commissioning``: who commissions which service from which provider, with sub-contracts."""

from __future__ import annotations

import networkx as nx

from .graph import in_by, nodes_of, out_by
from .parties import party_ref


def commissioning(G: nx.MultiDiGraph) -> list[dict]:
    """Who commissions which service from which provider, with sub-contracts."""
    rows = []
    for service in nodes_of(G, "service"):
        providers = in_by(G, service, "provides")
        provider = providers[0] if providers else None
        prime = next((u for u, _, k, d in G.in_edges(provider, keys=True, data=True)
                      if k == "subcontracts" and service in d["services"]),
                     None) if provider else None
        buyers: list[str | None] = list(in_by(G, service, "commissions")) or [None]
        for commissioner in buyers:
            rows.append({
                "commissioner": party_ref(G, commissioner) if commissioner else None,
                "service": party_ref(G, service),
                "provider": party_ref(G, provider) if provider else None,
                "subcontracted_from": party_ref(G, prime) if prime else None,
                "sites": [party_ref(G, s) for s in out_by(G, service, "located_at")],
                "evidence": G.nodes[service]["evidence"],
            })
    for coordinator in nodes_of(G, "organisation"):
        for provider in out_by(G, coordinator, "coordinates"):
            rows.append({"commissioner": party_ref(G, coordinator),
                         "service": {"id": None, "name": "(co-ordinating commissioner)"},
                         "provider": party_ref(G, provider), "subcontracted_from": None,
                         "sites": [], "evidence": G.nodes[coordinator]["evidence"]})
    return rows
