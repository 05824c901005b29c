"""One suite, two backends: the fixtures that ask every question test of networkx and of Neo4j.

As networkx runs its own suite against another backend, the question tests ask
an area opened by ``area_of(folder)``, and ``backend`` runs each of them twice:
on networkx (the folder, in memory) and on Neo4j (the area loaded into the
local server, then opened from the database alone, with no folder read). The
same assertions hold on both, so there are no separate parity comparisons.

The Neo4j run needs the local server: ``eval "$(scripts/neo4j start)"`` and
export NEO4J_URI, NEO4J_USER and NEO4J_PASSWORD (scripts/test does both).
Without them it is skipped, saying so, and fails under CI=true.
"""

from __future__ import annotations

import dataclasses
import os

import pytest

BACKENDS = ("networkx", "neo4j")
SERVER = ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD")


def neo4j_missing() -> str | None:
    """Why the Neo4j backend cannot run here, or None when a server is configured."""
    missing = [v for v in SERVER if not os.environ.get(v)]
    if not missing:
        return None
    return (f"no Neo4j server for the neo4j backend: {', '.join(missing)} not set (run  "
            "eval \"$(scripts/neo4j start)\"  and export NEO4J_URI NEO4J_USER "
            "NEO4J_PASSWORD, as scripts/test does)")


def need_neo4j() -> None:
    """Skip without a server, or fail under CI, where a skipped backend would hide a bug."""
    reason = neo4j_missing()
    if reason and os.environ.get("CI") == "true":
        pytest.fail(reason)
    if reason:
        pytest.skip(reason)


def connection():
    """The local server, with a generous wait: a busy two-core machine plans slowly."""
    from graphmodel.neo4j.load import Connection
    return dataclasses.replace(Connection.from_env(), timeout=120)


def in_neo4j(local, conn) -> None:
    """Load a folder's area unless the database already holds this very version of it."""
    from graphmodel.neo4j import ask
    from graphmodel.neo4j.load import Neo4jError, graph_fingerprint
    try:
        held, _ = ask.read_area(conn, local.id)
        if held.fingerprint == graph_fingerprint(local.graph):
            return
    except Neo4jError:
        pass
    local.load_neo4j(conn)


def open_on(backend: str, folder, include_drafts: bool = False):
    """An area to question on a backend; on Neo4j, read from the database alone."""
    import graphmodel
    local = graphmodel.open_area(folder, include_drafts=include_drafts)
    if backend == "networkx":
        return local
    conn = connection()
    in_neo4j(local, conn)
    return graphmodel.open_area(backend="neo4j", area=local.id, connection=conn)


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request) -> str:
    """Each backend in turn: networkx, then Neo4j (skipped, saying why, with no server)."""
    if request.param == "neo4j":
        need_neo4j()
    return request.param


@pytest.fixture
def area_of(backend):
    """``area_of(folder)``: the folder's area on this test's backend."""
    return lambda folder: open_on(backend, folder)


def cli_args(backend: str, folder) -> list[str]:
    """The options that ask the command line about a folder's area on a backend.

    On Neo4j the area is loaded first and asked for by id: no --model, no folder read.
    """
    if backend == "networkx":
        return ["--model", str(folder)]
    area = open_on(backend, folder)
    conn = area.connection
    return ["--backend", "neo4j", "--area", area.id, "--uri", conn.uri, "--user", conn.user]
