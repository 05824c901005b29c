"""Neo4j connection settings fail cleanly, before and without a server.

Every command that talks to Neo4j takes --uri --user --password --database;
a bad setting is one line naming the option (or variable) it came from,
checked before the driver sees it; a server that accepts the connection and
never answers ends in one line after NEO4J_TIMEOUT seconds; the driver's own
log lines never reach the terminal. None of this needs a Neo4j server.
"""

from __future__ import annotations

import socket
import threading
import time

import pytest
import typer
from typer.testing import CliRunner

from graphmodel.cli import app

from conftest import NORTHMOOR

runner = CliRunner()
CONNECTION_OPTIONS = {"--uri", "--user", "--password", "--database"}
# Arguments each Neo4j command needs besides the connection.
ARGUMENTS = {"path": ["gp-practices", "northmoor-csc"], "org": ["northmoor-council"],
             "party": ["northmoor-council"], "load": ["--neo4j"]}


def neo4j_commands() -> dict:
    """Every command that can talk to Neo4j: those with --backend, and load."""
    group = typer.main.get_command(app)
    found = {}
    for name, command in group.commands.items():
        options = {o for p in command.params for o in p.opts}
        if "--backend" in options or name == "load":
            found[name] = command
    return found


def invoke(name: str, *extra, env=None):
    args = [name, *ARGUMENTS.get(name, []), "--model", str(NORTHMOOR), *extra]
    if name != "load":
        args += ["--backend", "neo4j"]
    return runner.invoke(app, args, env={"NEO4J_PASSWORD": "x", "NEO4J_URI": None,
                                         **(env or {})})


def one_line(result) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    return lines[0]


def test_every_neo4j_command_takes_the_connection_options():
    commands = neo4j_commands()
    assert {"gaps", "owners", "coverage", "commissioning", "hotspots", "org", "path",
            "load"} <= set(commands)
    for name, command in commands.items():
        options = {o for p in command.params for o in p.opts}
        assert options >= CONNECTION_OPTIONS, name


@pytest.mark.parametrize("name", sorted(neo4j_commands()))
def test_the_password_hint_is_true_for_every_command(name):
    result = invoke(name, env={"NEO4J_PASSWORD": None})
    assert result.exit_code == 1
    assert "set NEO4J_PASSWORD or pass --password" in one_line(result)
    assert invoke(name, "--password", "x", "--uri", "http://x",
                  env={"NEO4J_PASSWORD": None}).exit_code == 1  # --password was taken


BAD_URIS = [
    ("bolt://localhost:abc", "port that is not a number"),
    ("bolt://localhost:99999", "port that is not a number"),
    ("bolt://[::1", "IPv6"),
    ("bolt://[fe80::zz]:7687", "IPv6"),
    ("bolt://localhost:7687/neo4j", "no path, query or fragment"),
    ("bolt://localhost:7687?routing=x", "no path, query or fragment"),
    ("bolt://localhost:7687#top", "no path, query or fragment"),
    ("http://localhost:7474", "must start with bolt:// or neo4j://"),
    ("localhost:7687", "must start with bolt:// or neo4j://"),
    ("bolt://", "no host name"),
    ("bolt://neo4j:secret@localhost:7687", "put the user in --user"),
    ("bolt://local host:7687", "is not a host name"),
]


@pytest.mark.parametrize("uri,reason", BAD_URIS)
def test_a_bad_uri_is_one_line_naming_the_option(uri, reason):
    for name in ("gaps", "load"):
        result = invoke(name, "--uri", uri)
        line = one_line(result)
        assert result.exit_code == 1 and line.startswith("error: --uri ") and reason in line
    from_env = invoke("hotspots", env={"NEO4J_URI": uri})
    line = one_line(from_env)
    assert line.startswith("error: NEO4J_URI ") and reason in line
    assert "Traceback" not in from_env.output


@pytest.mark.parametrize("value", ["soon", "0", "-3", "1e9", "nan"])
def test_a_bad_timeout_is_one_line(value):
    result = invoke("gaps", "--uri", "bolt://localhost:7687", env={"NEO4J_TIMEOUT": value})
    assert result.exit_code == 1 and one_line(result).startswith("error: NEO4J_TIMEOUT ")


@pytest.fixture
def silent_server():
    """A TCP server that accepts connections and never says a word."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    held, stop = [], threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                pass
    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    server.close()


@pytest.mark.parametrize("scheme", ["bolt", "neo4j"])
def test_a_server_that_never_answers_cannot_hang_a_command(silent_server, scheme):
    uri = f"{scheme}://127.0.0.1:{silent_server}"
    started = time.monotonic()
    result = invoke("gaps", "--uri", uri, env={"NEO4J_TIMEOUT": "2"})
    elapsed = time.monotonic() - started
    line = one_line(result)  # and no driver log line beside it
    assert result.exit_code == 1 and uri in line and "within 2s" in line
    assert elapsed < 15, elapsed
    load = invoke("load", "--uri", uri, env={"NEO4J_TIMEOUT": "2"})
    assert load.exit_code == 1 and uri in one_line(load)
