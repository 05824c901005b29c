"""Graph -> Neo4j: one area in one write transaction, values only as Cypher parameters.

Why one transaction: a load that fails part-way (server stops, a constraint
trips, a bug) must leave the database exactly as it was, so Browser users and
``--backend neo4j`` never see half an area. Why parameters: names and quotes
come from a report and may hold any character; they never enter Cypher text.
Labels and relationship types do (Cypher cannot take them as parameters before
5.26), but only from the fixed tables below, never from the data.

The layout (labels, types, properties) is documented in docs/neo4j.md.
"""

from __future__ import annotations

import hashlib
import json
import os
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Iterator

import networkx as nx

from . import vocab
from .errors import ModelError

ITEM = "Item"  # every node of an area; (area, id) is unique among them
PARTY = "Party"  # every kind of party also carries this label
KIND_LABELS = {**{k: v.neo4j_label for k, v in vocab.PARTY_KINDS.items()},
               "flow": "Flow", "finding": "Finding", "recommendation": "Recommendation",
               "action": "Action"}
STATUS_LABELS = {s: "".join(p.capitalize() for p in s.split("_")) for s in vocab.STATUSES}
REL_TYPES = {k: v.rel_type for k, v in vocab.EDGE_TYPES.items()}
SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
BATCH_SIZE = 1000

CONSTRAINTS = (
    f"CREATE CONSTRAINT graphmodel_item_key IF NOT EXISTS "
    f"FOR (n:{ITEM}) REQUIRE (n.area, n.id) IS UNIQUE",
    "CREATE CONSTRAINT graphmodel_area_id IF NOT EXISTS FOR (a:Area) REQUIRE a.id IS UNIQUE",
)
_ALL_LABELS = ":".join([PARTY, *KIND_LABELS.values(), *STATUS_LABELS.values()])
AREA = "MERGE (a:Area {id: $area}) SET a = $props"
OLD_FINGERPRINT = "OPTIONAL MATCH (a:Area {id: $area}) RETURN a.fingerprint AS fingerprint"
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

    @classmethod
    def from_env(cls, uri=None, user=None, password=None, database=None) -> "Connection":
        """Flags first, then NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE."""
        env = os.environ.get
        uri = uri or env("NEO4J_URI") or "bolt://localhost:7687"
        password = password or env("NEO4J_PASSWORD")
        if not password:
            raise Neo4jError("no Neo4j password: set NEO4J_PASSWORD or pass --password "
                             "(scripts/neo4j start prints a local server's settings)")
        if uri.split("://", 1)[0] not in SCHEMES or "://" not in uri:
            raise Neo4jError(f"Neo4j URI {uri!r} must start with bolt:// or neo4j://")
        return cls(uri, user or env("NEO4J_USER") or "neo4j", password,
                   database or env("NEO4J_DATABASE") or None)


@contextmanager
def open_session(conn: Connection) -> Iterator:
    """A session on a reachable, authenticated server; driver errors become Neo4jError.

    Why verify first: without it a closed port only shows up inside a managed
    transaction, which the driver retries for 30 seconds before giving up.
    """
    from neo4j import GraphDatabase
    from neo4j.exceptions import AuthError, ClientError, ServiceUnavailable, SessionExpired

    driver = GraphDatabase.driver(conn.uri, auth=(conn.user, conn.password),
                                  connection_timeout=10, notifications_min_severity="OFF",
                                  user_agent="graphmodel")
    try:
        driver.verify_connectivity()
        with driver.session(database=conn.database) as session:
            yield session
    except (ServiceUnavailable, SessionExpired):
        raise Neo4jError(f"cannot reach Neo4j at {conn.uri}: is the server running? "
                         "(start a local one with scripts/neo4j start)") from None
    except AuthError:
        raise Neo4jError(f"Neo4j at {conn.uri} refused user {conn.user!r}: "
                         "wrong user name or password") from None
    except ClientError as exc:
        if exc.code != "Neo.ClientError.Database.DatabaseNotFound":
            raise
        raise Neo4jError(f"Neo4j at {conn.uri} has no database {conn.database!r}") from None
    finally:
        driver.close()


# --- what to write ----------------------------------------------------------------

def graph_fingerprint(G: nx.MultiDiGraph) -> str:
    """A digest of every node, edge and attribute, in order.

    Why: ``--backend neo4j`` compares it with the loaded area's, so answers
    never silently come from an older version of the model.
    """
    blob = json.dumps([G.graph, list(G.nodes(data=True)), list(G.edges(keys=True, data=True))],
                      sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:32]


def node_labels(data: dict) -> str:
    """The labels after Item: the kind's, Party for parties, a flow's status."""
    kind = data["kind"]
    labels = [KIND_LABELS[kind]]
    if kind == "flow":
        labels.append(STATUS_LABELS[data["status"]])
    elif kind in vocab.PARTY_KINDS:
        labels.append(PARTY)
    return ":".join(labels)


def node_properties(node: str, data: dict, area: str, seq: int) -> dict:
    """A node's attributes as Neo4j properties.

    Evidence (a list of maps, which Neo4j cannot store) becomes two parallel
    arrays; ``seq`` keeps file order, which Cypher has no other way to know.
    """
    props = {k: v for k, v in data.items() if k != "evidence" and v is not None}
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


def node_statement(labels: str) -> str:
    """MERGE a batch of nodes with these labels; stale kind or status labels go first."""
    return (f"UNWIND $rows AS row MERGE (n:{ITEM} {{area: $area, id: row.id}}) "
            f"REMOVE n:{_ALL_LABELS} SET n:{labels} SET n = row.props RETURN count(*) AS n")


def relationship_statement(rel_type: str) -> str:
    """MERGE a batch of relationships of one type between an area's nodes."""
    return (f"UNWIND $rows AS row MATCH (a:{ITEM} {{area: $area, id: row.from}}) "
            f"MATCH (b:{ITEM} {{area: $area, id: row.to}}) "
            f"MERGE (a)-[r:{rel_type}]->(b) SET r = row.props RETURN count(*) AS n")


def load_plan(G: nx.MultiDiGraph, area: str) -> list[tuple[str, list[dict]]]:
    """(statement, rows) pairs: one MERGE statement per label set and per type."""
    groups: dict[str, list[dict]] = {}
    for seq, (node, data) in enumerate(G.nodes(data=True)):
        statement = node_statement(node_labels(data))
        groups.setdefault(statement, []).append(
            {"id": node, "props": node_properties(node, data, area, seq)})
    out_rank, in_rank = edge_ranks(G)
    for u, v, key, data in G.edges(keys=True, data=True):
        props = {**data, "out_rank": out_rank[u, v], "in_rank": in_rank[u, v]}
        statement = relationship_statement(REL_TYPES[key])
        groups.setdefault(statement, []).append({"from": u, "to": v, "props": props})
    return list(groups.items())


def batches(plan: list[tuple[str, list[dict]]], size: int) -> list[tuple[str, list[dict]]]:
    """The plan cut into UNWIND batches of at most ``size`` rows (1: a statement per row)."""
    return [(statement, rows[i:i + size]) for statement, rows in plan
            for i in range(0, len(rows), size)]


# --- writing ----------------------------------------------------------------------

@dataclass
class LoadReport:
    """What a load did: the area's counts afterwards and what was created."""

    area: str
    nodes: int
    relationships: int
    nodes_created: int
    relationships_created: int
    batches: int
    previous_fingerprint: str | None
    fingerprint: str


def ensure_constraints(session) -> None:
    """The uniqueness constraints, in their own transactions.

    Why separate: Neo4j refuses schema changes and writes in one transaction,
    and the constraint must exist before MERGE relies on its index.
    """
    for statement in CONSTRAINTS:
        session.run(statement).consume()


def load_graph(session, G: nx.MultiDiGraph, area: str | None = None, replace: bool = False,
               batch_size: int = BATCH_SIZE,
               on_batch: Callable[[int, int], None] | None = None) -> LoadReport:
    """Write a graph as one area, all in one write transaction.

    MERGE makes a second load of the same graph change nothing; ``replace``
    first deletes the area's earlier nodes, in the same transaction, so the
    area mirrors the graph exactly. ``on_batch(index, total)`` runs before
    each batch: progress, or (in tests) a failure injected part-way.
    """
    area = area or G.graph["area"]
    work = batches(load_plan(G, area), batch_size)
    props = {"id": area, "area": area, "name": G.graph.get("area_name", area),
             "public_health_owner": G.graph.get("public_health_owner"),
             "fingerprint": graph_fingerprint(G)}
    ensure_constraints(session)
    return session.execute_write(_write_area, area, props, work, replace, on_batch)


def _write_area(tx, area, props, work, replace, on_batch) -> LoadReport:
    old = tx.run(OLD_FINGERPRINT, area=area).single()["fingerprint"]
    if replace:
        tx.run(DELETE_ITEMS, area=area).consume()
        tx.run(DELETE_AREA, area=area).consume()
    nodes = rels = 0
    for i, (statement, rows) in enumerate(work):
        if on_batch:
            on_batch(i, len(work))
        result = tx.run(statement, area=area, rows=rows)
        if result.single()["n"] != len(rows):  # a relationship whose end was not written
            raise RuntimeError(f"batch {i} wrote fewer rows than it has: {statement}")
        counters = result.consume().counters
        nodes, rels = nodes + counters.nodes_created, rels + counters.relationships_created
    tx.run(AREA, area=area, props=props).consume()
    return LoadReport(area, tx.run(COUNT_NODES, area=area).single()["n"],
                      tx.run(COUNT_RELATIONSHIPS, area=area).single()["n"], nodes, rels,
                      len(work), old, props["fingerprint"])


def delete_area(session, area: str) -> None:
    """Remove one area (its items and its Area node) in one transaction."""
    def work(tx):
        tx.run(DELETE_ITEMS, area=area).consume()
        tx.run(DELETE_AREA, area=area).consume()
    session.execute_write(work)
