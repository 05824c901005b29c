"""Questions answered from the database alone: read what the load wrote, traverse in Cypher.

A load writes an area whole: its graph as nodes and relationships, its ranked
problems as rows (``:Problem``), and on its ``:Area`` node what graphmodel needs
to answer the rest with no model folder (``stored``). So, here:

- ``read_area``: the stored area and the version the database holds, which
  ``api.open_area`` opens;
- ``gaps``: the problem rows as the load ranked them, through the library's own
  filters (the party's units found by traversal);
- ``org``: a party's neighbourhood (what is inside it, its flows) by traversal;
- ``path``: the routes between two parties by traversal.

Every other question is plain arithmetic over the rows the load wrote, so
``api`` runs the library's Python on the stored graph: no logic is written twice.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import library as cypherlib
from .labels import query_parameters
from .load import LAYOUT, Connection, Neo4jError, TimedSession, open_session

if TYPE_CHECKING:
    import networkx as nx

# The library's queries the commands run (the others serve Browser, and path.cypher the tests).
COMMAND_QUERIES = ("gaps", "party_units", "org_profile", "path_spur", "path_legs")
READ_AREA = ("MATCH (a:Area {id: $area}) RETURN a.name AS name, a.fingerprint AS fingerprint, "
             "a.loaded_at AS loaded_at, a.graphmodel AS graphmodel, a.layout AS layout, "
             "a.stored AS stored")
AREA_IDS = "MATCH (a:Area) RETURN a.id AS id ORDER BY id"


def run_query(session: TimedSession, name: str, **settings: Any) -> list[dict]:
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


def plan_queries(session: TimedSession) -> int:
    """Have the server plan every query graphmodel runs, so the first question is quick.

    Why: planning a query takes up to seconds on a busy machine and counts
    against its time-out; Neo4j keeps the plans until it restarts. Returns how
    many were planned.
    """
    for name in COMMAND_QUERIES:
        query = cypherlib.assemble(name, "cli")
        params = {**_vocabulary(), **{s: None for s in query.settings}}
        session.run("EXPLAIN " + query.text, params).consume()
    return len(COMMAND_QUERIES)


def run_query_text(session: TimedSession, text: str, **params: Any) -> list[dict]:
    """Run a Cypher statement in a read transaction (retried if the server asks)."""
    return session.execute_read(lambda tx: [r.data() for r in tx.run(text, params)])


# --- the area as the database holds it ----------------------------------------------

@dataclass(frozen=True)
class StoredArea:
    """The version of an area a database holds: what was loaded, when, by which graphmodel.

    ``fingerprint`` is ``load.graph_fingerprint`` of the graph loaded, so a
    folder can be compared with it; ``loaded_at`` is UTC, ISO 8601.
    """

    id: str
    name: str
    uri: str
    fingerprint: str
    loaded_at: str
    graphmodel: str

    @property
    def words(self) -> str:
        """The version as the command line says it: "loaded 2026-12-05 10:12 UTC, version
        3f2a9c1e"."""
        when = self.loaded_at.replace("T", " ")[:16]
        return f"loaded {when} UTC, version {self.fingerprint[:8]}"


def read_area(conn: Connection, area: str) -> tuple[StoredArea, dict]:
    """The area as the database holds it, and what the load stored (``cache.area_json``).

    A failure is one line naming what to do; an area not loaded lists those that
    are, closest to the id asked for first, since on a shared server a colleague
    chose the ids and England's are many.
    """
    with open_session(conn) as session:
        rows = run_query_text(session, READ_AREA, area=area)
        held = [] if rows else [r["id"] for r in run_query_text(session, AREA_IDS)]
    if not rows:
        raise Neo4jError(f"area {area!r} is not loaded in Neo4j at {conn.uri} ("
                         + (f"it holds {_some_ids(area, held)}" if held else "it holds no area")
                         + "): load it with 'graphmodel load --neo4j'")
    row = rows[0]
    if row["layout"] != LAYOUT or not row["stored"]:
        raise Neo4jError(f"area {area!r} in Neo4j at {conn.uri} was loaded by graphmodel "
                         f"{row['graphmodel'] or 'before 0.2'}, which stored it otherwise: "
                         "load it again with 'graphmodel load --neo4j'")
    try:
        stored = json.loads(row["stored"])
    except (TypeError, ValueError):
        raise Neo4jError(f"area {area!r} in Neo4j at {conn.uri}: what the load stored is "
                         "damaged; load it again with 'graphmodel load --neo4j'") from None
    return (StoredArea(area, row["name"], conn.uri, row["fingerprint"], row["loaded_at"],
                       row["graphmodel"]), stored)


def _some_ids(asked: str, held: list[str], shown: int = 20) -> str:
    """At most ``shown`` of the ids held: those like ``asked`` first (a typo), then in order.

    >>> _some_ids("sefon", ["knowsley", "sefton", "wirral"])
    'sefton, knowsley, wirral'
    """
    import difflib
    close = difflib.get_close_matches(asked, held, n=shown, cutoff=0.6)
    ids = [*close, *(i for i in held if i not in close)][:shown]
    return ", ".join(ids) + (f" and {len(held) - shown} more" if len(held) > shown else "")


def run(name: str, area: str, G: nx.MultiDiGraph, *args: Any, conn: Connection,
        **kwargs: Any) -> Any:  # Any: each question has its own rows (QUERIES)
    """Open a session and answer one question that reads the database (``QUERIES``)."""
    with open_session(conn) as session:
        return QUERIES[name](session, area, G, *args, **kwargs)


# --- the questions that read the database -------------------------------------------

def _ref(m: dict | None) -> dict | None:
    """A party as the rows give it, keys in the contract's order (Neo4j maps have none)."""
    return None if m is None else {"id": m["id"], "name": m["name"]}


def gaps(session: TimedSession, area: str, G: nx.MultiDiGraph | None = None, org: str | None = None,
         statuses: list[str] | None = None, loops_only: bool = False) -> list[dict]:
    """The area's problems as the load ranked and wrote them (``questions.gaps``' rows).

    The filters are the library's own; the party's units are found by traversal.
    """
    from ..questions.gaps import filtered
    rows = [json.loads(r["row"]) for r in run_query(session, "gaps", area=area)]
    mine = None
    if org:
        mine = set(run_query(session, "party_units", area=area, party=org)[0]["mine"])
    return filtered(rows, mine, statuses, loops_only)


def org(session: TimedSession, area: str, G: nx.MultiDiGraph, org_id: str) -> dict[str, list[dict]]:
    """A party's profile (``questions.profile.org``): its neighbourhood by traversal.

    What is inside it and the flows in and out come from Cypher; the sections
    built from rows (commissioning, recommendations) from the library's Python,
    and its problems from the rows the load wrote.
    """
    from ..questions.profile import profile
    found = run_query(session, "org_profile", area=area, org=org_id)[0]
    flows = [{"flow": f["flow"], "direction": f["direction"], "from": _ref(f["from"]),
              "to": _ref(f["to"]), "passes": f["passes"], "status": f["status"],
              "summary": f["summary"]} for f in found["flows"]]
    return profile(G, org_id, found["units"], flows, gaps(session, area, org=org_id))


def path(session: TimedSession, area: str, G: nx.MultiDiGraph, source: str, target: str,
         limit: int = 5) -> list[dict]:
    """The ``limit`` shortest routes (``questions.routes.path``), ties in order of party ids.

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


def shortest_routes(session: TimedSession, area: str, source: str, target: str,
                    limit: int) -> list[list[str]]:
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


def _spur(session: TimedSession, area: str, source: str, target: str, spur: str | None,
          avoid: list[str], banned: list[str | None]) -> list[str] | None:
    rows = run_query(session, "path_spur", area=area, source=source, target=target,
                     spur=spur or "",
                     avoid=avoid, banned=[b for b in banned if b is not STOP],
                     may_stop=STOP not in banned)
    return rows[0]["route"] if rows else None


QUERIES: dict[str, Callable[..., Any]] = {"gaps": gaps, "org": org, "path": path}
