"""Graph -> Neo4j: one area in one write transaction, values only as Cypher parameters.

Why one transaction: a load that fails part-way (server stops, a constraint
trips, a bug) must leave the database exactly as it was, so Browser users and
``--backend neo4j`` never see half an area. Why parameters: names and quotes
come from a report and may hold any character; they never enter Cypher text.
Labels and relationship types are parameters too (Neo4j 5.26's ``$(...)``),
taken only from the fixed tables below, never from the data; so one statement
writes every node and one every relationship, and a load is a handful of round
trips however many kinds of node it holds.

Why every load replaces: the database is where a team's questions are
answered, so an area in it must be the model as loaded, whole; a flow deleted
from the model must not linger there. Several areas share one database: every
node carries its ``area``, and a load touches no other area's.

The layout (labels, types, properties) is documented in docs/neo4j.md.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import ipaddress
import json
import logging
import os
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import networkx as nx

from .. import vocab
from ..errors import ModelError
from .labels import INFERRED, ITEM, KIND_LABELS, PARTY, REL_TYPES, STATUS_LABELS, query_parameters

if TYPE_CHECKING:  # the driver is imported only when a command talks to Neo4j
    import neo4j

T = TypeVar("T")  # what a transaction's work returns

SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
BATCH_SIZE = 1000
TIMEOUT = 10.0  # seconds: connecting, and each query (NEO4J_TIMEOUT changes it)

CONSTRAINTS = (
    f"CREATE CONSTRAINT graphmodel_item_key IF NOT EXISTS "
    f"FOR (n:{ITEM}) REQUIRE (n.area, n.id) IS UNIQUE",
    "CREATE CONSTRAINT graphmodel_area_id IF NOT EXISTS FOR (a:Area) REQUIRE a.id IS UNIQUE",
    # One area's nodes, among England's: what a load deletes and each question reads.
    f"CREATE INDEX graphmodel_item_area IF NOT EXISTS FOR (n:{ITEM}) ON (n.area)",
)
# What the Area node holds beyond its name: how graphmodel reads the area back. Raise
# LAYOUT when that changes, so an area loaded by an older graphmodel is reloaded, not misread.
LAYOUT = 1
AREA = "CREATE (a:Area) SET a = $props"
OLD_VERSION = ("OPTIONAL MATCH (a:Area {id: $area}) "
               "RETURN a.fingerprint AS fingerprint, a.loaded_at AS loaded_at")
DELETE_ITEMS = f"MATCH (n:{ITEM} {{area: $area}}) DETACH DELETE n"
DELETE_AREA = "MATCH (a:Area {id: $area}) DETACH DELETE a"
COUNT_NODES = f"MATCH (n:{ITEM} {{area: $area}}) RETURN count(n) AS n"
COUNT_RELATIONSHIPS = f"MATCH (:{ITEM} {{area: $area}})-[r]->() RETURN count(r) AS n"


class Neo4jError(ModelError):
    """Neo4j cannot be reached, refuses us, or does not hold what we need.

    Why a ModelError: these are the user's to fix (start the server, fix the
    password, load the area), so the CLI prints them as one line and exits 1.
    """


# --- connecting -------------------------------------------------------------------

@dataclass(frozen=True)
class Connection:
    """Where the server is and who we are; the password never appears in messages."""

    uri: str
    user: str
    password: str
    database: str | None = None
    timeout: float = TIMEOUT

    @classmethod
    def from_env(cls, uri: str | None = None, user: str | None = None,
                 password: str | None = None, database: str | None = None) -> Connection:
        """Flags first, then NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE, NEO4J_TIMEOUT.

        Every setting is checked here, before the driver sees it, so a mistake is
        one line naming the option (or variable) it came from.
        """
        env = os.environ.get
        where = "--uri" if uri else "NEO4J_URI"
        uri = uri or env("NEO4J_URI") or "bolt://localhost:7687"
        check_uri(uri, where)
        password = password or env("NEO4J_PASSWORD")
        if not password:
            raise Neo4jError("no Neo4j password: set NEO4J_PASSWORD or pass --password "
                             "(scripts/neo4j start prints a local server's settings)")
        return cls(uri, user or env("NEO4J_USER") or "neo4j", password,
                   database or env("NEO4J_DATABASE") or None, read_timeout(env("NEO4J_TIMEOUT")))


def check_uri(uri: str, where: str = "--uri") -> None:
    """A Bolt URI the driver can use: a known scheme, a host, a numeric port, nothing else.

    Why here: the driver raises its own exceptions (or a bare ValueError) for
    these, with no word of which setting was wrong.
    """
    from urllib.parse import urlsplit
    scheme = uri.split("://", 1)[0].lower() if "://" in uri else None
    if scheme not in SCHEMES:
        raise Neo4jError(f"{where} {_cut(uri)!r}: must start with bolt:// or neo4j:// "
                         "(or bolt+s://, neo4j+s://, bolt+ssc://, neo4j+ssc://)")
    try:
        parts = urlsplit(uri)
        port = parts.port
    except ValueError as exc:
        reason = ("is not an IPv6 address in brackets" if "IPv6" in str(exc) else
                  "has a port that is not a number from 0 to 65535")
        raise Neo4jError(f"{where} {_cut(uri)!r}: {reason}") from None
    host = parts.hostname or ""
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise Neo4jError(f"{where} {_cut(uri)!r}: give only scheme, host and port "
                         "(no path, query or fragment); the database is --database")
    if parts.username or parts.password:
        raise Neo4jError(f"{where} {_cut(uri)!r}: put the user in --user and the password "
                         "in --password or NEO4J_PASSWORD, not in the URI")
    if not host:
        raise Neo4jError(f"{where} {_cut(uri)!r}: no host name")
    if "[" in parts.netloc:
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            raise Neo4jError(f"{where} {_cut(uri)!r}: {host!r} is not an IPv6 "
                             "address") from None
    elif not re.fullmatch(r"[A-Za-z0-9._-]+", host):
        raise Neo4jError(f"{where} {_cut(uri)!r}: {host!r} is not a host name")
    if port == 0:
        raise Neo4jError(f"{where} {_cut(uri)!r}: port 0 is not a port a server listens on")


def read_timeout(text: str | None) -> float:
    """NEO4J_TIMEOUT in seconds (default 10): how long to wait to connect and for each query."""
    if not text:
        return TIMEOUT
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value <= 3600:
        raise Neo4jError(f"NEO4J_TIMEOUT {_cut(text)!r}: give a number of seconds "
                         "above 0 and at most 3600")
    return value


def _cut(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


def quiet_driver_logs() -> None:
    """Keep the driver's log records off the terminal.

    Why: with no handler configured, Python prints warnings through its
    last-resort handler, so a failed ``neo4j://`` connection added a second
    line ("Unable to retrieve routing information") to our one-line error.
    """
    log = logging.getLogger("neo4j")
    if not any(isinstance(h, logging.NullHandler) for h in log.handlers):
        log.addHandler(logging.NullHandler())
    log.propagate = False


@contextmanager
def open_session(conn: Connection) -> Iterator[TimedSession]:
    """A session on a reachable, authenticated server; driver errors become Neo4jError.

    Why verify first: without it a closed port only shows up inside a managed
    transaction, which the driver retries before giving up. Every wait is
    bounded by ``conn.timeout``: connecting, the Bolt handshake (a server that
    accepts the connection and says nothing), acquiring a connection, retries
    and (on the server) each transaction.
    """
    check_uri(conn.uri, "Neo4j URI")  # a Connection made by hand skips from_env's checks
    quiet_driver_logs()
    from neo4j import GraphDatabase
    from neo4j.exceptions import (
        AuthError,
        ClientError,
        ConfigurationError,
        DriverError,
        ServiceUnavailable,
        SessionExpired,
    )
    from neo4j.exceptions import Neo4jError as DriverNeo4jError

    try:
        driver = GraphDatabase.driver(
            conn.uri, auth=(conn.user, conn.password), connection_timeout=conn.timeout,
            connection_acquisition_timeout=conn.timeout,
            max_transaction_retry_time=conn.timeout, notifications_min_severity="OFF",
            user_agent="graphmodel")
    except (ConfigurationError, ValueError) as exc:
        raise Neo4jError(f"Neo4j URI {_cut(conn.uri)!r}: {_cut(str(exc))}") from None
    try:
        driver.verify_connectivity()
        with driver.session(database=conn.database) as session:
            yield TimedSession(session, conn.timeout)
    except (ServiceUnavailable, SessionExpired):
        raise Neo4jError(f"cannot reach Neo4j at {conn.uri} within {conn.timeout:g}s: is the "
                         "server running? (start a local one with scripts/neo4j start; "
                         "NEO4J_TIMEOUT sets the wait)") from None
    except AuthError:
        raise Neo4jError(f"Neo4j at {conn.uri} refused user {conn.user!r}: "
                         "wrong user name or password") from None
    except ClientError as exc:
        if (exc.code or "").startswith("Neo.ClientError.Security."):
            # A user without the privilege (a reader who runs load, on Enterprise or Aura).
            raise Neo4jError(f"Neo4j at {conn.uri} refused user {conn.user!r}: "
                             f"{_cut(exc.message or exc.code or '')}") from None
        if exc.code == "Neo.ClientError.Database.DatabaseNotFound":
            raise Neo4jError(f"Neo4j at {conn.uri} has no database {conn.database!r}") from None
        if _timed_out(exc):
            raise Neo4jError(f"Neo4j at {conn.uri}: a query took longer than "
                             f"{conn.timeout:g}s (NEO4J_TIMEOUT sets the limit)") from None
        raise
    except DriverError as exc:
        raise Neo4jError(f"Neo4j at {conn.uri}: {_cut(str(exc))}") from None
    except DriverNeo4jError as exc:
        if _timed_out(exc):
            raise Neo4jError(f"Neo4j at {conn.uri}: a query took longer than "
                             f"{conn.timeout:g}s (NEO4J_TIMEOUT sets the limit)") from None
        raise
    finally:
        driver.close()


def _timed_out(exc: Exception) -> bool:
    code = getattr(exc, "code", None) or ""
    return "TimedOut" in code or "Timeout" in code


class TimedSession:
    """A driver session whose transactions carry a time-out (the server ends them after it).

    Why: a query that runs away (or a server that stops answering mid-way)
    must end in a one-line error, not hold the command for ever.
    """

    def __init__(self, session: neo4j.Session, timeout: float) -> None:
        self._session, self.timeout = session, timeout

    def execute_read(self, work: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        from neo4j import unit_of_work
        return self._session.execute_read(unit_of_work(timeout=self.timeout)(work),
                                          *args, **kwargs)

    def execute_write(self, work: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        from neo4j import unit_of_work
        return self._session.execute_write(unit_of_work(timeout=self.timeout)(work),
                                           *args, **kwargs)

    def run(self, query: str, parameters: dict[str, Any] | None = None,
            **kwargs: Any) -> neo4j.Result:
        from neo4j import Query
        return self._session.run(Query(query, timeout=self.timeout), parameters, **kwargs)

    def __getattr__(self, name: str) -> Any:  # the rest of neo4j.Session, unchanged
        return getattr(self._session, name)


# --- what to write ----------------------------------------------------------------

def graph_fingerprint(G: nx.MultiDiGraph) -> str:
    """A digest of every node, edge and attribute, in order, and of the query parameters.

    Why: ``--backend neo4j`` reports it as the version the database holds and
    compares it with a folder given beside it, so nobody takes answers from
    another version of the model (or of the vocabulary) for this one's.
    """
    blob = json.dumps([G.graph, list(G.nodes(data=True)), list(G.edges(keys=True, data=True)),
                       query_parameters()], sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:32]


def node_labels(data: dict) -> list[str]:
    """A node's labels: Item, the kind's, Party for parties, a flow's status."""
    kind = data["kind"]
    labels = [ITEM, KIND_LABELS[kind]]
    if kind == "flow":
        labels.append(STATUS_LABELS[data["status"]])
        if data.get("inferred"):
            labels.append(INFERRED)
    elif kind in vocab.PARTY_KINDS:
        labels.append(PARTY)
    return labels


def node_properties(node: str, data: dict, area: str, seq: int) -> dict:
    """A node's attributes as Neo4j properties.

    Evidence (a list of maps, which Neo4j cannot store) becomes two parallel
    arrays, and a map (an organisation's successor, ``now``) its keys as
    ``now_name``...; ``seq`` keeps file order, which Cypher has no other way to know.
    """
    props = {k: v for k, v in data.items() if k != "evidence" and v is not None
             and not isinstance(v, dict)}
    for key, value in data.items():  # a map (a successor's name, since and source): flattened
        if isinstance(value, dict):
            for sub, inner in value.items():
                if inner is not None:
                    props[f"{key}_{sub}"] = (json.dumps(inner, ensure_ascii=False)
                                             if isinstance(inner, dict | list) else inner)
    if "evidence" in data:
        props["evidence_paragraphs"] = [e["paragraph"] for e in data["evidence"]]
        props["evidence_quotes"] = [e["quote"] for e in data["evidence"]]
    if data["kind"] in ("finding", "recommendation"):
        props["number"] = node.split(":", 1)[1]
    return {**props, "area": area, "id": node, "seq": seq}


def edge_ranks(G: nx.MultiDiGraph) -> tuple[dict, dict]:
    """Each edge's position among its start node's out-edges and its end node's in-edges.

    Why: queries.py lists neighbours in networkx adjacency order (the order
    the model files gave them); Cypher reproduces it with ORDER BY these ranks.
    """
    out_rank = {(u, v): i for u in G for i, v in enumerate(G.successors(u))}
    in_rank = {(u, v): i for v in G for i, u in enumerate(G.predecessors(v))}
    return out_rank, in_rank


NODES = ("UNWIND $rows AS row CREATE (n:$(row.labels)) SET n = row.props "
         "RETURN count(*) AS n")
RELATIONSHIPS = (f"UNWIND $rows AS row MATCH (a:{ITEM} {{area: $area, id: row.from}}) "
                 f"MATCH (b:{ITEM} {{area: $area, id: row.to}}) "
                 "CREATE (a)-[r:$(row.type)]->(b) SET r = row.props RETURN count(*) AS n")


def load_plan(G: nx.MultiDiGraph, area: str) -> list[tuple[str, list[dict]]]:
    """(statement, rows) pairs: every node with its labels, then every relationship.

    The area's problems are written as ranked (``problem_nodes``), not as the
    graph holds them: the database reads the ranking, never re-derives it.
    """
    problems = problem_nodes(G)
    nodes = [{"labels": node_labels(data), "props": node_properties(node, data, area, seq)}
             for seq, (node, data) in enumerate(G.nodes(data=True))
             if data["kind"] != "problem"]
    nodes += [{"labels": [ITEM, KIND_LABELS["problem"]], "props": {**props, "area": area}}
              for props in problems]
    out_rank, in_rank = edge_ranks(G)
    relationships = [{"from": u, "to": v, "type": REL_TYPES[key],
                      "props": {**data, "out_rank": out_rank[u, v], "in_rank": in_rank[u, v]}}
                     for u, v, key, data in G.edges(keys=True, data=True) if key != "includes"]
    relationships += [{"from": props["id"], "to": flow, "type": REL_TYPES["includes"],
                       "props": {}} for props in problems for flow in props["flows"]]
    return [(NODES, nodes), (RELATIONSHIPS, relationships)]


def problem_nodes(G: nx.MultiDiGraph) -> list[dict]:
    """The ranked problems (``questions.gaps``) as node properties Neo4j can hold.

    ``row`` is the whole JSON row, for graphmodel's own questions; the rest are
    plain properties and parallel lists, for Cypher and Browser: each leg's
    parties with their national roles ('' for none: a list holds no nulls)
    and the severity it brings, which the cross-area queries group by.
    """
    from ..plan.build import failing_flows
    from ..questions.gaps import gaps
    out = []
    for row in gaps(G):
        legs = row["legs"]
        out.append({
            "id": f"problem:{row['id']}", "number": row["id"], "kind": "problem",
            "gap_kind": row["kind"],
            "rank": row["rank"], "severity": row["severity"], "status": row["status"],
            "statement": row["statement"] or row["summary"], "summary": row["summary"],
            "declared": row["declared"], "scope": row["scope"], "children": row["children"],
            "timescale": (row["timescale"] or {}).get("name"), "why": row["why"]["text"],
            "score": row["why"]["score"], "recommendations": row["recommendations"],
            "action": row["action"], "flows": row["flows"], "to_fix": failing_flows(row),
            "leg_flows": [leg["flow"] or "no-return" for leg in legs],
            "leg_roles": [leg["role"] for leg in legs],
            "leg_statuses": [leg["status"] for leg in legs],
            "leg_passes": [leg["passes"] for leg in legs],
            "leg_severities": leg_severities(row),
            "leg_from_ids": [leg["from"]["id"] for leg in legs],
            "leg_from_names": [leg["from"]["name"] for leg in legs],
            "leg_from_roles": [G.nodes[leg["from"]["id"]].get("role") or "" for leg in legs],
            "leg_to_ids": [leg["to"]["id"] for leg in legs],
            "leg_to_names": [leg["to"]["name"] for leg in legs],
            "leg_to_roles": [G.nodes[leg["to"]["id"]].get("role") or "" for leg in legs],
            "owner_ids": [o["id"] for o in row["owners"]],
            "owner_names": [o["name"] for o in row["owners"]],
            "to_act_ids": [a["id"] for a in row["to_act"]],
            "to_act_names": [a["name"] for a in row["to_act"]],
            "to_act_bases": [a["basis"] for a in row["to_act"]],
            "row": json.dumps(row, ensure_ascii=False)})
    return out


def leg_severities(row: dict) -> list[str]:
    """The severity each leg of a problem brings: its loop's or one-way flow's, except that
    the outward leg of a broken loop brings what it would bring alone.

    Why: a broken loop is critical because its return fails; the referral that
    went out late is, on its own, a one-way gap. ``graphmodel compare`` counts
    legs across areas the same way.
    """
    out: list[str] = []
    for unit in row["units"]:
        for leg in row["legs"][len(out):len(out) + len(unit["flows"])]:
            outward = unit["kind"] == "broken_loop" and leg["role"] == "outward"
            out.append(vocab.severity("gap", leg["status"]) if outward and
                       leg["status"] != vocab.WORKING else unit["severity"])
    return out


def batches(plan: list[tuple[str, list[dict]]], size: int) -> list[tuple[str, list[dict]]]:
    """The plan cut into UNWIND batches of at most ``size`` rows (1: a statement per row)."""
    return [(statement, rows[i:i + size]) for statement, rows in plan
            for i in range(0, len(rows), size)]


# --- writing ----------------------------------------------------------------------

@dataclass
class LoadReport:
    """What a load wrote (the area's counts afterwards) and the version it replaced."""

    area: str
    nodes: int
    relationships: int
    batches: int
    fingerprint: str
    loaded_at: str
    previous_fingerprint: str | None = None  # None: the area was not there before
    previous_loaded_at: str | None = None
    seconds: float = 0.0  # the write transaction, retries included


def ensure_constraints(session: TimedSession) -> None:
    """The uniqueness constraints and the index on ``area``, in their own transactions.

    Why separate: Neo4j refuses schema changes and writes in one transaction,
    and the constraint must exist before a load relies on its index. Why the
    index: without it, deleting or reading one area scans every area's nodes,
    so loading England one area at a time would slow with each area.
    """
    for statement in CONSTRAINTS:
        session.run(statement).consume()


def area_properties(G: nx.MultiDiGraph, area: str, stored: str | None = None,
                    version: str | None = None) -> dict:
    """The Area node: the area's name, the version loaded and when, and ``stored``.

    ``stored`` (JSON, from ``api``): what graphmodel needs to answer questions with
    no model folder: the graph and the names, kinds and recommendations ``--org``
    and the filters resolve against. Without it only Cypher can read the area.
    ``version``: graphmodel's, which wrote it.
    """
    props = {"id": area, "area": area, "name": G.graph.get("area_name", area),
             "public_health_owner": G.graph.get("public_health_owner"),
             "fingerprint": graph_fingerprint(G), "graphmodel": version,
             "layout": LAYOUT, "stored": stored,
             "loaded_at": datetime.datetime.now(datetime.UTC).strftime(
                 "%Y-%m-%dT%H:%M:%SZ")}
    return {k: v for k, v in props.items() if v is not None}


def load_graph(session: TimedSession, G: nx.MultiDiGraph, area: str | None = None,
               stored: str | None = None, version: str | None = None,
               batch_size: int = BATCH_SIZE,
               on_batch: Callable[[int, int], None] | None = None) -> LoadReport:
    """Write a graph as one area, replacing what the area held, all in one write transaction.

    Other areas are never touched. ``stored`` and ``version``: see ``area_properties``.
    ``on_batch(index, total)`` runs before each batch: progress, or (in tests)
    a failure injected part-way.
    """
    area = area or G.graph["area"]
    work = batches(load_plan(G, area), batch_size)
    props = area_properties(G, area, stored, version)
    ensure_constraints(session)
    started = time.perf_counter()
    report = session.execute_write(_write_area, area, props, work, on_batch)
    return dataclasses.replace(report, seconds=time.perf_counter() - started)


def _write_area(tx: neo4j.ManagedTransaction, area: str, props: dict[str, Any],
                work: list[tuple[str, list[dict]]],
                on_batch: Callable[[int, int], None] | None) -> LoadReport:
    old = tx.run(OLD_VERSION, area=area).single(strict=True)  # each query returns one row
    tx.run(DELETE_ITEMS, area=area).consume()
    tx.run(DELETE_AREA, area=area).consume()
    for i, (statement, rows) in enumerate(work):
        if on_batch:
            on_batch(i, len(work))
        if tx.run(statement, area=area, rows=rows).single(strict=True)["n"] != len(rows):
            raise RuntimeError(f"batch {i} wrote fewer rows than it has: {statement}")
    tx.run(AREA, props=props).consume()
    return LoadReport(area, tx.run(COUNT_NODES, area=area).single(strict=True)["n"],
                      tx.run(COUNT_RELATIONSHIPS, area=area).single(strict=True)["n"], len(work),
                      props["fingerprint"], props["loaded_at"], old["fingerprint"],
                      old["loaded_at"])


def delete_area(session: TimedSession, area: str) -> None:
    """Remove one area (its items and its Area node) in one transaction."""
    def work(tx: neo4j.ManagedTransaction) -> None:
        tx.run(DELETE_ITEMS, area=area).consume()
        tx.run(DELETE_AREA, area=area).consume()
    session.execute_write(work)
