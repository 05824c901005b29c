"""The named queries on Neo4j: run the Cypher library's queries and shape rows as queries.py does.

Each function is the twin of the queries.py function of the same name and
returns the same rows, in the same order, with the same keys in the same
order (the JSON contract). Why shaping at all: Neo4j maps have no key order,
so each nested map is rebuilt here in the contract's order; everything else
(grouping, ranking, filters, order, joins, counts) happens in the Cypher
(``cypherlib``), which people also run by hand in Neo4j Browser.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from ..questions.profile import recommendations_on
from . import library as cypherlib
from .labels import query_parameters
from .load import Connection, Neo4jError, open_session

# The library's queries the commands run (the others serve Browser, and path.cypher the tests).
COMMAND_QUERIES = ("gaps", "party_units", "owners", "coverage", "commissioning", "hotspots",
                   "org_profile", "org_recommendations", "path_spur", "path_legs")
CHECK_AREA = "OPTIONAL MATCH (a:Area {id: $area}) RETURN a.fingerprint AS fingerprint"


def run_query(session, name: str, **settings) -> list[dict]:
    """Run one query of the library (its graphmodel variant) in a read transaction.

    ``settings`` are the query's own (``area``...); the vocabulary parameters
    are added here. A setting the query takes but the caller leaves out is null.
    """
    query = cypherlib.assemble(name, "cli")
    unknown = set(settings) - set(query.settings)
    if unknown:
        raise TypeError(f"{name}.cypher takes no setting {', '.join(sorted(unknown))}")
    params = {**_vocabulary(), **{s: settings.get(s) for s in query.settings}}
    return run_query_text(session, query.text, **params)


@functools.cache
def _vocabulary() -> dict:
    return query_parameters()


def plan_queries(session) -> int:
    """Have the server plan every query graphmodel runs, so the first question is quick.

    Why: planning the larger queries (gaps, hotspots) takes seconds, more on a
    busy machine, and counts against each query's time-out; Neo4j keeps the
    plans until it restarts. Returns how many were planned.
    """
    names = COMMAND_QUERIES
    for name in names:
        query = cypherlib.assemble(name, "cli")
        params = {**_vocabulary(), **{s: None for s in query.settings}}
        session.run("EXPLAIN " + query.text, params).consume()
    return len(names)


def run_query_text(session, text: str, **params) -> list[dict]:
    """Run a Cypher statement in a read transaction (retried if the server asks)."""
    return session.execute_read(lambda tx: [r.data() for r in tx.run(text, params)])


def check_area(session, conn: Connection, area: str, fingerprint: str | None) -> None:
    """Fail unless the database holds this area (and, if given, this very version of it).

    Why: an area never loaded, or loaded from older files, would give answers
    that differ from the model on disk without saying so.
    """
    rows = run_query_text(session, CHECK_AREA, area=area)
    held = rows[0]["fingerprint"] if rows else None
    if held is None:
        raise Neo4jError(f"area {area!r} is not loaded in Neo4j at {conn.uri}: "
                         "run 'graphmodel load --neo4j' first")
    if fingerprint and held != fingerprint:
        raise Neo4jError(f"Neo4j at {conn.uri} holds another version of area {area!r}: "
                         "run 'graphmodel load --neo4j --replace' with this model")


def run(name: str, area: str, *args, fingerprint: str | None = None,
        conn: Connection | None = None, **kwargs):
    """Open a session from the environment, check the area, and run one named query.

    This is what ``--backend neo4j`` calls; tests call the functions below.
    """
    conn = conn or Connection.from_env()
    with open_session(conn) as session:
        check_area(session, conn, area, fingerprint)
        return QUERIES[name](session, area, *args, **kwargs)


# --- shaping: nested maps in the contract's key order -------------------------------

def _ref(m: dict | None) -> dict | None:
    return None if m is None else {"id": m["id"], "name": m["name"]}


def _evidence(items: list[dict]) -> list[dict]:
    return [{"paragraph": e["paragraph"], "quote": e["quote"]} for e in items]




# --- the queries -------------------------------------------------------------------

def gaps(session, area: str, org: str | None = None, statuses: list[str] | None = None,
         loops_only: bool = False) -> list[dict]:
    """The area's problems as the load ranked and wrote them (``questions.gaps``' rows).

    The database holds each ranked row whole, so the answer needs no model files;
    the filters are the library's own, with the party's units found by Cypher.
    """
    import json

    from ..questions.gaps import filtered
    rows = [json.loads(r["row"]) for r in run_query(session, "gaps", area=area)]
    mine = None
    if org:
        mine = set(run_query(session, "party_units", area=area, party=org)[0]["mine"])
    return filtered(rows, mine, statuses, loops_only)


def owners(session, area: str, recs: list[str] | None = None,
           org: str | None = None) -> list[dict]:
    """Twin of queries.owners: each recommendation, its owners and citing findings."""
    rows = run_query(session, "owners", area=area, recs=recs or None, party=org)
    return [{**r, "owners": [_ref(o) for o in r["owners"]]} for r in rows]


def coverage(session, area: str) -> list[dict]:
    """Twin of queries.coverage: problems without an action, and uncited recommendations."""
    return run_query(session, "coverage", area=area)


def commissioning(session, area: str) -> list[dict]:
    """Twin of queries.commissioning: commissioner, service, provider, sub-contract, sites."""
    return [{"commissioner": _ref(r["commissioner"]), "service": _ref(r["service"]),
             "provider": _ref(r["provider"]), "subcontracted_from": _ref(r["subcontracted_from"]),
             "sites": [_ref(s) for s in r["sites"]], "evidence": _evidence(r["evidence"])}
            for r in run_query(session, "commissioning", area=area)]


def path(session, area: str, source: str, target: str, limit: int = 5) -> list[dict]:
    """Twin of queries.path: the ``limit`` shortest routes, ties in order of party ids.

    Why Yen's algorithm here, one path_spur.cypher per step, rather than path.cypher
    alone: Cypher cannot keep a route from visiting a party twice without
    searching every walk, which explodes on large areas; each spur search only
    has per-hop conditions, so it stays a breadth-first search.
    """
    routes = shortest_routes(session, area, source, target, limit)
    rows = (run_query(session, "path_legs", area=area, routes=routes, source=source,
                      target=target) if routes else [])
    return [path_row(r) for r in rows]


def path_row(r: dict) -> dict:
    """A path_legs.cypher (or path.cypher) row in queries.path's shape and key order."""
    return {"route": [_ref(p) for p in r["route"]], "flows": r["flows"],
            "statuses": r["statuses"], "works": r["works"], "breaks_at": r["breaks_at"],
            "continues": r["continues"],
            "not_passed_on": [_ref(p) for p in r["not_passed_on"]],
            "hops": [{"from": _ref(h["from"]), "to": _ref(h["to"]),
                      "flows": [{k: f[k] for k in ("flow", "passes", "status", "summary")}
                                for f in h["flows"]], "works": h["works"],
                      "continues": h["continues"]}
                     for h in r["hops"]],
            "stands_for": [{"party": _ref(s["party"]), "for": _ref(s["for"]),
                            "how": _chain_words(s["chain"])} for s in r["stands_for"]],
            "answers": [{"flow": a["flow"], "answer": a["answer"], "passes": a["passes"],
                         "status": a["status"], "to": _ref(a["to"])} for a in r["answers"]]}


def _chain_words(chain: list[list[str]]) -> str:
    """[[name, 'HOSTS', name], ...] -> "A hosts B; ..." in the vocabulary's words."""
    from .. import vocab
    words = {e.rel_type: e.words for e in vocab.EDGE_TYPES.values()}
    return "; ".join(f"{a} {words[rel]} {b}" for a, rel, b in chain)


STOP = None  # in a spur's ban list: "the route may not end here"


def shortest_routes(session, area: str, source: str, target: str, limit: int) -> list[list[str]]:
    """Party-id routes in order of (hops, ids): Yen's k shortest simple paths.

    The order is total, and a fixed root plus a spur compares as the spur
    alone, so taking the best spur at each step gives routes in exactly
    that order, ties included.
    """
    spur = functools.partial(_spur, session, area, source, target)
    found: list[list[str]] = []
    candidates: dict[tuple, list[str]] = {}
    best = spur(None, [], []) if limit > 0 else None
    while best:
        found.append(best)
        if len(found) == limit:
            break
        for i in range(-1, len(best)):
            root = best[:i + 1]
            banned = list(dict.fromkeys(r[i + 1] if i + 1 < len(r) else STOP
                                        for r in found if r[:i + 1] == root))
            tail = spur(root[-1] if root else None, root, banned)
            if tail:
                route = root[:-1] + tail
                candidates.setdefault(tuple(route), route)
        for route in found:
            candidates.pop(tuple(route), None)
        best = min(candidates.values(), key=lambda r: (len(r), r)) if candidates else None
        candidates.pop(tuple(best or ()), None)
    return found


def _spur(session, area, source, target, spur, avoid, banned) -> list[str] | None:
    rows = run_query(session, "path_spur", area=area, source=source, target=target,
                     spur=spur or "",
                     avoid=avoid, banned=[b for b in banned if b is not STOP],
                     may_stop=STOP not in banned)
    return rows[0]["route"] if rows else None


def hotspots(session, area: str) -> list[dict]:
    """Twin of queries.hotspots: parties by gaps, then betweenness in the flow graph."""
    return [{**r, "organisation": _ref(r["organisation"])}
            for r in run_query(session, "hotspots", area=area)]


def org(session, area: str, org_id: str) -> dict[str, list[dict]]:
    """Twin of queries.org: org_profile, commissioning, gaps and org_recommendations."""
    profile = run_query(session, "org_profile", area=area, org=org_id)[0]
    deals = commissioning(session, area)
    ident = lambda ref: ref["id"] if ref else None  # noqa: E731
    o = profile["organisation"]
    gap_rows = gaps(session, area, org=org_id)
    return {
        "organisation": [{"id": o["id"], "name": o["name"], "kind": o["kind"],
                          "role": o["role"], "aliases": o["aliases"]}],
        "commissions": [r for r in deals if ident(r["commissioner"]) == org_id],
        "provides": [r for r in deals
                     if org_id in (ident(r["provider"]), ident(r["subcontracted_from"]))],
        "units": [{**(_ref(u) or {}), "kind": u["kind"]} for u in profile["units"]],
        "flows": [{"flow": f["flow"], "direction": f["direction"], "from": _ref(f["from"]),
                   "to": _ref(f["to"]), "passes": f["passes"], "status": f["status"],
                   "summary": f["summary"]} for f in profile["flows"]],
        "gaps": [{k: r[k] for k in ("rank", "kind", "severity", "from", "to", "status",
                                    "summary", "id")}
                 for r in gap_rows],
        "recommendations_on_its_gaps": recommendations_on(gap_rows, owners(session, area)),
        "recommendations": run_query(session, "org_recommendations", area=area, org=org_id),
    }


QUERIES: dict[str, Callable[..., Any]] = {
    "gaps": gaps, "owners": owners, "coverage": coverage, "org": org, "path": path,
    "commissioning": commissioning, "hotspots": hotspots}
