"""Neo4j on a real server: one database holding many areas, each loaded whole in one
transaction; questions answered from the database alone; the cross-area queries; one-line
failures; and Neo4j Browser end to end.

The questions themselves run on both backends wherever they are tested (``backend``,
tests/backends.py): the same assertions, so no parity comparisons here.

Needs the local server: ``eval "$(scripts/neo4j start)"`` and export NEO4J_URI,
NEO4J_USER and NEO4J_PASSWORD (scripts/test does both). Without them these tests
skip locally and fail under CI=true. Library tests load areas under ids starting
"test-" and delete them when the module ends; the CLI tests load the real ids
(sefton, northmoor ...), which is what ``graphmodel load --neo4j`` does anyway.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import os
import re
import socket
from collections import Counter

import pytest
from typer.testing import CliRunner

from graphmodel import vocab
from graphmodel.cli import app
from graphmodel.neo4j import library as cypherlib
from graphmodel.paths import queries_dir
from graphmodel.questions import gaps as gaps_q
from graphmodel.questions import routes as routes_q

from backends import open_on
from conftest import FIXTURES, NORTHMOOR, ROOT, SEFTON

runner = CliRunner()
AREAS_DIR = FIXTURES / "areas"


# --- fixtures ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def neo4j_env():
    """The server's settings from the environment; skip (or fail under CI) without them."""
    missing = [v for v in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD") if not os.environ.get(v)]
    if missing:
        message = (f"{', '.join(missing)} not set: run  eval \"$(scripts/neo4j start)\"  and "
                   "export NEO4J_URI NEO4J_USER NEO4J_PASSWORD")
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return {v: os.environ[v] for v in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD")}


def connection():
    """The local server with a generous wait: a busy two-core machine plans slowly."""
    from graphmodel.neo4j import load as neo4j_load
    return dataclasses.replace(neo4j_load.Connection.from_env(), timeout=300)


@pytest.fixture(scope="module")
def session(neo4j_env):
    """One session for the library tests; test-* areas are deleted when the module ends."""
    from graphmodel.neo4j import load as neo4j_load
    with neo4j_load.open_session(connection()) as s:
        yield s
        delete_test_areas(s)


def delete_test_areas(session) -> None:
    from graphmodel.neo4j import load as neo4j_load
    for row in session.run("MATCH (a:Area) WHERE a.id STARTS WITH 'test-' RETURN a.id AS id"):
        neo4j_load.delete_area(session, row["id"])


def decided_variant(G):
    """A copy of an area's graph exercising what Sefton does not (yet) use: inferred parties,
    flows that narrow (or drop) their paragraphs' recommendations, and actions.

    Chosen by position in file order, so it works on any area.
    """
    from graphmodel.questions.graph import action_node, rec_node
    H = G.copy()
    flows = kinds(H, "flow")
    for n, flow in enumerate(flows):
        d = H.nodes[flow]
        cited = [r for f, _, k in H.in_edges(flow, keys=True) if k == "evidences"
                 for r in H.nodes[f]["recommendations"]]
        if n % 4 == 1:
            d["inferred"], d["inferred_ends"] = "the paragraph names no receiver", [d["receiver"]]
        if n % 3 == 0 and cited:
            d["recommendations"] = cited[-1:]
        elif n % 5 == 2:
            d["recommendations"] = []
    failing = [f for f in flows if H.nodes[f]["status"] in vocab.failing()]
    recs = kinds(H, "recommendation")
    for n, flow in enumerate(failing[::3], 1):
        node, rec = action_node(n), recs[n % len(recs)]
        status = list(vocab.ACTION_STATUSES)[n % len(vocab.ACTION_STATUSES)]
        H.add_node(node, kind="action", name=f"Make {flow} work", recommendation=rec[4:],
                   owner=H.nodes[rec]["owners"][0], lead=None, due=None, status=status,
                   measure=None, evidence_of_completion=None, fixes=[flow])
        H.add_edge(node, rec_node(rec[4:]), key="addresses")
        H.add_edge(node, flow, key="fixes")
    return H


@pytest.fixture(scope="module")
def loaded(session, northmoor_graph, sefton_graph):
    """name -> (graph, area id in Neo4j), each loaded once."""
    from graphmodel.neo4j import load as neo4j_load
    areas = {"northmoor": northmoor_graph, "sefton": sefton_graph,
             "decided": decided_variant(sefton_graph)}
    out = {}
    for name, G in areas.items():
        neo4j_load.load_graph(session, G, area=f"test-{name}")
        out[name] = (G, f"test-{name}")
    return out


def cli(*args, env=None):
    return runner.invoke(app, [str(a) for a in args], env={"NEO4J_TIMEOUT": "120", **(env or {})})


def kinds(G, kind: str) -> list[str]:
    return [n for n, k in G.nodes(data="kind") if k == kind]


def snapshot(session, area: str) -> dict:
    """Everything an area holds: nodes with labels and properties, relationships."""
    nodes = session.run("MATCH (n {area: $area}) RETURN n.id AS id, labels(n) AS labels, "
                        "properties(n) AS props", area=area).data()
    rels = session.run("MATCH (a:Item {area: $area})-[r]->(b) RETURN a.id AS a, type(r) AS t, "
                       "b.id AS b, properties(r) AS props", area=area).data()
    for n in nodes:
        n["labels"] = sorted(n["labels"])
        n["props"].pop("loaded_at", None)  # when, not what
    norm = lambda rows: sorted(json.dumps(r, sort_keys=True) for r in rows)  # noqa: E731
    return {"nodes": norm(nodes), "relationships": norm(rels)}


def database_counts(session) -> tuple[int, int]:
    return (session.run("MATCH (n) RETURN count(n) AS n").single()["n"],
            session.run("MATCH ()-[r]->() RETURN count(r) AS n").single()["n"])


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- the query files (no server needed) ----------------------------------------------

BROWSER_FILES = cypherlib.browser_names()


def code_lines(text: str) -> list[str]:
    return [line.split("//", 1)[0] for line in text.splitlines()
            if not line.lstrip().startswith("//")]


CROSS_AREA = ("recurring_problems", "compare_areas")


@pytest.mark.parametrize("name", BROWSER_FILES)
def test_browser_file_runs_as_dropped_in(name):
    """No parameter to set first: the settings are a WITH on the first line of code, with
    Sefton's defaults, and the vocabulary a generated WITH after it. The cross-area files
    take no settings: they read every area."""
    text = (queries_dir() / f"{name}.cypher").read_text(encoding="utf-8")
    assert text.startswith(f"// {name}: ")
    code = code_lines(text)
    assert not re.search(r"\$\w", "\n".join(code)), "a parameter Browser would ask for"
    if name in CROSS_AREA:
        assert code[0].startswith("WITH [") and "AS area," not in code[0]
    else:
        assert code[0].startswith("WITH 'sefton' AS area")
    assert ":param" not in text


def test_cli_queries_take_every_setting_as_a_parameter():
    for name in cypherlib.source_names():
        query = cypherlib.assemble(name, "cli")
        first = code_lines(query.text)[0]
        assert all(f"${s} AS {s}" in first for s in query.settings), name


VOCABULARY_WORDS = {*vocab.STATUSES, *vocab.SEVERITIES,
                    *(vocab.EDGE_TYPES[e].rel_type for e in (*vocab.contains_down(),
                                                             *vocab.contains_up())),
                    *vocab.ACTION_STATUSES}


@pytest.mark.parametrize("path", sorted(cypherlib.SOURCE_DIR.rglob("*.cypher")),
                         ids=lambda p: p.name)
def test_sources_never_spell_the_vocabulary(path):
    """Statuses, severities, roles and containment types arrive as parameters (vocab.py)."""
    code = "\n".join(code_lines(path.read_text(encoding="utf-8")))
    quoted = set(re.findall(r"'([^']*)'", code)) | set(re.findall(r":(\w+)", code))
    assert not quoted & (VOCABULARY_WORDS | set(vocab.ROLES) | set(vocab.SCOPES))


def test_browser_vocabulary_is_the_parameters():
    from graphmodel.neo4j.labels import query_parameters
    text = (queries_dir() / "recurring_problems.cypher").read_text(encoding="utf-8")
    labels = query_parameters()["role_labels"]
    assert cypherlib.cypher_literal(labels) + " AS role_labels" in text
    assert labels == {r: role.label for r, role in vocab.ROLES.items()}


def test_grass_colours_kinds_and_statuses_from_the_vocabulary():
    from graphmodel.neo4j.labels import INFERRED, KIND_LABELS, STATUS_LABELS
    grass = (queries_dir() / "graphmodel.grass").read_text(encoding="utf-8")
    rules = dict(re.findall(r"^(node\.\w+) \{\n  (?:color: (#\w+);)?", grass, re.M))
    for status, style in vocab.STATUSES.items():  # Browser speaks the maps' language
        assert rules[f"node.{STATUS_LABELS[status]}"] == style.colour
    for kind, style in vocab.PARTY_KINDS.items():
        assert rules[f"node.{KIND_LABELS[kind]}"] == style.fill
    assert set(KIND_LABELS.values()) <= {r.split(".", 1)[1] for r in rules}
    assert f"node.{INFERRED}" in rules
    for edge in vocab.EDGE_TYPES.values():
        assert f"relationship.{edge.rel_type} {{" in grass
    order = list(rules)  # later rules win in Browser: statuses after Flow, kinds after Party
    assert order.index("node.Flow") < order.index(f"node.{STATUS_LABELS['working']}")
    assert order.index("node.Party") < order.index("node.Organisation")
    assert order.index(f"node.{STATUS_LABELS['absent']}") < order.index(f"node.{INFERRED}")


def test_load_plans_every_query_the_commands_run():
    from graphmodel.neo4j import ask as neo4j_queries
    source = (ROOT / "graphmodel" / "neo4j" / "ask.py").read_text(encoding="utf-8")
    used = set(re.findall(r'run_query\(session, "(\w+)"', source))
    assert used == set(neo4j_queries.COMMAND_QUERIES)


def test_macros_expand_once_written_parts():
    text = cypherlib.assemble("gaps", "cli").text
    assert "@" not in "\n".join(code_lines(text))
    units = cypherlib.assemble("org_profile", "cli").text
    types = "|".join(vocab.EDGE_TYPES[e].rel_type
                     for e in (*vocab.contains_down(), *vocab.contains_up()))
    assert "contains_down" in units and f"[r_:{types}]" in units


# --- loading: one area at a time, whole, beside the others -------------------------------

def loaded_counts(G) -> tuple[int, int]:
    """Nodes and relationships a load writes: the graph's, its problems as ranked."""
    from graphmodel.neo4j import load as neo4j_load
    problems = neo4j_load.problem_nodes(G)
    nodes = sum(1 for _, k in G.nodes(data="kind") if k != "problem") + len(problems)
    edges = sum(1 for *_, k in G.edges(keys=True) if k != "includes")
    return nodes, edges + sum(len(p["flows"]) for p in problems)


@pytest.mark.neo4j
def test_load_twice_gives_the_same_graph(session, northmoor_graph):
    from graphmodel.neo4j import load as neo4j_load
    G = northmoor_graph
    first = neo4j_load.load_graph(session, G, area="test-idem")
    before = snapshot(session, "test-idem")
    second = neo4j_load.load_graph(session, G, area="test-idem")
    assert (first.nodes, first.relationships) == loaded_counts(G)
    assert (second.nodes, second.relationships) == (first.nodes, first.relationships)
    assert second.previous_fingerprint == first.fingerprint == second.fingerprint
    assert second.previous_loaded_at == first.loaded_at
    assert snapshot(session, "test-idem") == before


@pytest.mark.neo4j
def test_batch_size_does_not_change_what_is_loaded(session, northmoor_graph):
    from graphmodel.neo4j import load as neo4j_load
    neo4j_load.load_graph(session, northmoor_graph, area="test-batch-a")
    report = neo4j_load.load_graph(session, northmoor_graph, area="test-batch-b", batch_size=7)
    nodes, relationships = loaded_counts(northmoor_graph)
    assert report.batches == -(-nodes // 7) - (-relationships // 7) > 10
    a, b = snapshot(session, "test-batch-a"), snapshot(session, "test-batch-b")
    assert a == json.loads(json.dumps(b).replace("test-batch-b", "test-batch-a"))


@pytest.mark.neo4j
def test_a_reload_replaces_the_area_and_leaves_the_others_as_they_were(session,
                                                                        northmoor_graph,
                                                                        sefton_graph):
    """Two areas in one database; one reloaded with a flow dropped and a status changed:
    the other is untouched, and the reloaded one holds nothing of its old version."""
    from graphmodel.neo4j import load as neo4j_load
    neo4j_load.load_graph(session, northmoor_graph, area="test-two-a")
    neo4j_load.load_graph(session, sefton_graph, area="test-two-b")
    other, counts = snapshot(session, "test-two-b"), database_counts(session)
    changed = northmoor_graph.copy()
    changed.remove_node("hv-gp-information")
    changed.nodes["school-nurse-records-to-gp"]["status"] = "working"
    report = neo4j_load.load_graph(session, changed, area="test-two-a")
    assert snapshot(session, "test-two-b") == other
    assert (report.nodes, report.relationships) == loaded_counts(changed)
    assert report.previous_fingerprint != report.fingerprint
    held = session.run("MATCH (n:Item {area: 'test-two-a'}) RETURN n.id AS id").value()
    assert "hv-gp-information" not in held and "problem:school-nurse-records-to-gp" not in held
    labels = session.run("MATCH (f:Flow {area: 'test-two-a', id: 'school-nurse-records-to-gp'}) "
                         "RETURN labels(f) AS l").single()["l"]
    assert sorted(labels) == ["Flow", "Item", "Working"]
    shrunk = loaded_counts(northmoor_graph)[0] - report.nodes
    assert database_counts(session)[0] == counts[0] - shrunk


@pytest.mark.neo4j
def test_every_node_carries_its_area_and_no_relationship_crosses_areas(loaded, session):
    assert session.run("MATCH (n) WHERE n.area IS NULL RETURN count(n) AS n").single()["n"] == 0
    crossing = session.run("MATCH (a)-[r]->(b) WHERE a.area <> b.area RETURN count(r) AS n")
    assert crossing.single()["n"] == 0
    for G, area in loaded.values():
        nodes = session.run("MATCH (n {area: $area}) RETURN count(n) AS n", area=area)
        assert nodes.single()["n"] == loaded_counts(G)[0] + 1  # and its Area node


class Boom(Exception):
    pass


def fail_at_last_batch(index: int, total: int) -> None:
    if index == total - 1:
        raise Boom(f"injected failure at batch {index + 1} of {total}")


@pytest.mark.neo4j
def test_a_failed_load_of_a_new_area_leaves_nothing(session, northmoor_graph):
    from graphmodel.neo4j import load as neo4j_load
    before = database_counts(session)
    with pytest.raises(Boom):
        neo4j_load.load_graph(session, northmoor_graph, area="test-atomic-new",
                              on_batch=fail_at_last_batch)
    assert database_counts(session) == before
    assert session.run("MATCH (a:Area {id: 'test-atomic-new'}) RETURN a").single() is None


@pytest.mark.neo4j
def test_a_failed_reload_leaves_the_old_area_as_it_was(session, northmoor_graph):
    from graphmodel.neo4j import load as neo4j_load
    neo4j_load.load_graph(session, northmoor_graph, area="test-atomic-old")
    before, counts = snapshot(session, "test-atomic-old"), database_counts(session)
    smaller = northmoor_graph.copy()
    smaller.remove_node("hv-gp-information")
    with pytest.raises(Boom):
        neo4j_load.load_graph(session, smaller, area="test-atomic-old",
                              on_batch=fail_at_last_batch)
    assert snapshot(session, "test-atomic-old") == before
    assert database_counts(session) == counts


@pytest.mark.neo4j
def test_actions_load_as_action_nodes(loaded, session):
    G, area = loaded["decided"]
    rows = session.run("MATCH (a:Action {area: $area})-[:ADDRESSES]->(r:Recommendation) "
                       "MATCH (a)-[:FIXES]->(f:Flow) WITH a, r, collect(f.id) AS fixes "
                       "RETURN a.id AS id, a.status AS status, r.number AS rec, fixes "
                       "ORDER BY a.seq",
                       area=area).data()
    want = [{"id": a, "status": G.nodes[a]["status"], "rec": G.nodes[a]["recommendation"],
             "fixes": G.nodes[a]["fixes"]} for a in kinds(G, "action")]
    assert rows == want and len(rows) > 3


# --- questions from the database alone -------------------------------------------------------

@pytest.mark.neo4j
def test_an_area_opens_from_the_database_with_no_folder_read(neo4j_env, monkeypatch,
                                                              tmp_path):
    """Asked by id from an empty folder, with every way of reading a model folder broken:
    the answers are the folder's, and the area says which version it is."""
    import graphmodel
    from graphmodel import api, cache
    from graphmodel.neo4j.load import graph_fingerprint
    local = open_on("neo4j", NORTHMOOR) and graphmodel.open_area(NORTHMOOR)
    monkeypatch.chdir(tmp_path)

    def no_files(*args, **kwargs):
        raise AssertionError("a model folder was read")
    for target, name in ((api, "load_model"), (cache, "fingerprint"), (api, "_build")):
        monkeypatch.setattr(target, name, no_files)
    area = graphmodel.open_area(backend="neo4j", area="northmoor", connection=connection())
    assert (area.id, area.name, area.folder, area.differs) == ("northmoor", "Northmoor", None,
                                                              False)
    assert area.loaded.fingerprint == graph_fingerprint(local.graph)
    assert re.fullmatch(r"loaded \d{4}-\d\d-\d\d \d\d:\d\d UTC, version [0-9a-f]{8}",
                        area.loaded.words)
    assert area.gaps() == local.gaps() and area.hotspots() == local.hotspots()
    assert area.party("Brightpath") == local.party("Brightpath")
    assert area.path("GPs", "MASH") == local.path("GPs", "MASH")
    with pytest.raises(graphmodel.UsageError, match="read from Neo4j"):
        area.model()


@pytest.mark.neo4j
def test_an_area_loaded_without_what_graphmodel_stores_asks_for_a_reload(loaded):
    import graphmodel
    from graphmodel.neo4j.load import Neo4jError
    with pytest.raises(Neo4jError, match="load it again with 'graphmodel load --neo4j'"):
        graphmodel.open_area(backend="neo4j", area=loaded["northmoor"][1],
                             connection=connection())


@pytest.mark.neo4j
@pytest.mark.parametrize("stored", ["not JSON", "{}", '{"info": [], "graph": 3}'])
def test_a_damaged_store_is_one_line(session, northmoor_graph, stored):
    """Someone edited the Area node in Browser: one line saying to load again."""
    import graphmodel
    from graphmodel.neo4j import load as neo4j_load
    neo4j_load.load_graph(session, northmoor_graph, area="test-damaged", stored=stored,
                          version="0.2.0")
    with pytest.raises(neo4j_load.Neo4jError, match="damaged; load it again"):
        graphmodel.open_area(backend="neo4j", area="test-damaged", connection=connection())


CLI_QUESTIONS = [["gaps"], ["gaps", "--loops-only"], ["owners"], ["coverage"],
                 ["commissioning"], ["hotspots"], ["party", "MASH"], ["path", "GPs", "MASH"]]


@pytest.fixture(scope="module")
def cli_areas(neo4j_env):
    """Sefton and Northmoor loaded under their own ids, through the CLI."""
    for model in (SEFTON, NORTHMOOR):
        result = cli("load", "--neo4j", "--model", model)
        assert result.exit_code == 0, result.output
        assert re.match(r"\w+: \d+ nodes and \d+ relationships in area '\w+'\n  at bolt://",
                        result.stdout)
    return (SEFTON, NORTHMOOR)


@pytest.mark.neo4j
def test_every_question_needs_only_the_database(cli_areas, tmp_path, monkeypatch):
    """From an empty folder, with --area and no --model: the folder's answers, and on
    stderr the one line saying which version of the area they come from."""
    want = {tuple(args): cli(*args, "--model", NORTHMOOR, "-f", "json").stdout
            for args in CLI_QUESTIONS}
    monkeypatch.chdir(tmp_path)
    for args in CLI_QUESTIONS:
        got = cli(*args, "--backend", "neo4j", "--area", "northmoor", "-f", "json")
        assert (got.exit_code, got.stdout) == (0, want[tuple(args)]), (args, got.stderr)
        assert re.fullmatch(r"Neo4j: Northmoor, loaded \S+ \S+ UTC, version [0-9a-f]{8}\n",
                            got.stderr), got.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.neo4j
def test_a_folder_that_differs_from_the_database_is_a_warning(cli_areas, area_copy):
    """The answers are the database's, said so; a folder of another area is a mistake."""
    flows = area_copy / "flows.yaml"
    flows.write_text(flows.read_text().replace("status: absent", "status: broken", 1))
    want = cli("gaps", "--model", NORTHMOOR, "-f", "json").stdout
    got = cli("gaps", "--model", area_copy, "--backend", "neo4j", "-f", "json")
    assert (got.exit_code, got.stdout) == (0, want)
    version, warning = got.stderr.splitlines()
    assert version.startswith("Neo4j: Northmoor, loaded ")
    assert warning.startswith(f"warning: {area_copy} is not the version Neo4j holds")
    same = cli("gaps", "--model", NORTHMOOR, "--backend", "neo4j", "-f", "json")
    assert same.exit_code == 0 and "warning" not in same.stderr
    other = cli("gaps", "--model", NORTHMOOR, "--backend", "neo4j", "--area", "sefton")
    assert other.exit_code == 2 and "holds area 'northmoor'" in one_line_error(other)


@pytest.mark.neo4j
def test_fail_on_works_on_neo4j(cli_areas):
    result = cli("gaps", "--area", "northmoor", "--fail-on", "critical", "--backend", "neo4j",
                 "-f", "json")
    assert result.exit_code == 1 and json.loads(result.stdout)


@pytest.mark.neo4j
def test_a_reload_through_the_cli_says_what_it_replaced(cli_areas):
    result = cli("load", "--neo4j", "--model", NORTHMOOR)
    assert result.exit_code == 0 and result.stderr == ""
    assert re.search(r"\(replacing the version loaded \S+ \S+ UTC\)\n  version [0-9a-f]{8}",
                     result.stdout)
    again = cli("load", "--neo4j", "--replace", "--model", NORTHMOOR)  # kept for scripts
    assert again.exit_code == 0


def one_line_error(result) -> str:
    lines = [line for line in result.stderr.strip().splitlines()
             if not line.startswith("Neo4j: ")]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    return lines[0]


@pytest.mark.neo4j
def test_server_down_is_one_line_naming_the_uri(neo4j_env):
    uri = f"bolt://localhost:{closed_port()}"
    load = cli("load", "--neo4j", "--model", NORTHMOOR, "--uri", uri)
    assert load.exit_code == 1 and uri in one_line_error(load)
    ask = cli("gaps", "--area", "northmoor", "--backend", "neo4j", env={"NEO4J_URI": uri})
    assert ask.exit_code == 1 and uri in one_line_error(ask)


@pytest.mark.neo4j
def test_a_user_without_the_privilege_is_one_line(neo4j_env):
    """Community has no roles, so Enterprise's refusal of a reader who loads is raised by
    hand inside a session: what the server says, naming the user, and no traceback."""
    from neo4j.exceptions import Neo4jError as DriverError

    from graphmodel.neo4j.load import Neo4jError, open_session
    refused = DriverError._hydrate_neo4j(
        code="Neo.ClientError.Security.Forbidden",
        message="Create constraint on database 'neo4j' is not allowed for user 'analyst' "
                "with roles [PUBLIC, reader].")
    said = r"refused user 'neo4j': Create constraint .* not allowed for user 'analyst'"
    with pytest.raises(Neo4jError, match=said), open_session(connection()):
        raise refused


@pytest.mark.neo4j
def test_wrong_password_is_one_line(neo4j_env):
    result = cli("load", "--neo4j", "--model", NORTHMOOR, "--password", "not-the-password")
    line = one_line_error(result)
    assert result.exit_code == 1
    assert "wrong user name or password" in line and neo4j_env["NEO4J_URI"] in line
    assert "not-the-password" not in result.output


@pytest.mark.neo4j
def test_an_area_not_loaded_names_those_that_are(cli_areas, area_copy):
    area_yaml = area_copy / "area.yaml"
    area_yaml.write_text(area_yaml.read_text().replace("id: northmoor", "id: northmor"))
    for where in (["--model", area_copy], ["--area", "northmor"]):
        missing = cli("gaps", *where, "--backend", "neo4j")
        line = one_line_error(missing)
        assert missing.exit_code == 1
        # However many areas the server holds, the one like the id asked for comes first.
        assert "'northmor' is not loaded" in line and "(it holds northmoor" in line
        assert "graphmodel load --neo4j" in line


def test_area_needs_the_neo4j_backend_and_load_a_target():
    result = cli("gaps", "--area", "sefton")
    assert result.exit_code == 2 and "neo4j backend" in one_line_error(result)
    result = cli("gaps", "--area", "sefton", "--backend", "neo4j", "--include-drafts")
    assert result.exit_code == 2 and "drafts, which Neo4j does not hold" in one_line_error(result)
    result = cli("load", "--model", NORTHMOOR)
    assert result.exit_code == 2 and "--neo4j" in one_line_error(result)


@pytest.mark.neo4j
def test_progress_and_plan_read_the_area_from_the_database(cli_areas, tmp_path, monkeypatch):
    want = {args: cli(*args.split(), "--model", NORTHMOOR, "-f", "json").stdout
            for args in ("progress", "plan")}
    monkeypatch.chdir(tmp_path)
    for args, text in want.items():
        got = cli(*args.split(), "--backend", "neo4j", "--area", "northmoor", "-f", "json")
        assert (got.exit_code, got.stdout) == (0, text), got.stderr


# --- the cross-area queries ----------------------------------------------------------

ROLES = {"gp-practices": "gp_practice", "northmoor-csc": "childrens_social_care",
         "mash": "front_door", "camhs": "camhs", "school-nursing": "school_nursing",
         "northmoor-council": "local_authority", "health-visiting": "health_visiting",
         "northmoor-ed": "emergency_department"}


def with_roles(G, name: str, statuses: dict, no_role: tuple = ()):
    """Northmoor as another area: national roles on its parties, some statuses changed."""
    H = G.copy()
    H.graph.update(area=name.lower().replace(" ", "-"), area_name=name)
    for party, role in ROLES.items():
        H.nodes[party]["role"] = role
    for party in no_role:  # the fixture gives every party a role: taken away here
        H.nodes[party].pop("role", None)
    for flow, status in statuses.items():
        H.nodes[flow]["status"] = status
    return H


@pytest.fixture(scope="module")
def three_areas(session, northmoor_graph):
    """Area A: Northmoor with roles. B: the CAMHS loop works and school nurses' records
    are late. C: MASH requests are late and CAMHS never answers; the council has no role."""
    from graphmodel.neo4j import load as neo4j_load
    areas = {"test-cross-a": with_roles(northmoor_graph, "Area A", {}),
             "test-cross-b": with_roles(northmoor_graph, "Area B",
                                        {"camhs-response-mash": "working",
                                         "school-nurse-records-to-gp": "delayed"}),
             "test-cross-c": with_roles(northmoor_graph, "Area C",
                                        {"mash-request-camhs": "delayed",
                                         "camhs-response-mash": "absent"},
                                        no_role=("northmoor-council",))}
    for area, G in areas.items():
        neo4j_load.load_graph(session, G, area=area)
    return areas


def cross_area_rows(session, name: str, prefix: str = "test-cross-") -> list[dict]:
    """A cross-area Browser file's rows, run as dropped in but for the areas it reads."""
    from graphmodel.neo4j import ask as neo4j_queries
    text = (queries_dir() / f"{name}.cypher").read_text(encoding="utf-8")
    assert text.count("MATCH (a:Area)\n") == 1
    return neo4j_queries.run_query_text(session, text.replace(
        "MATCH (a:Area)\n", f"MATCH (a:Area) WHERE a.id STARTS WITH '{prefix}'\n"))


@pytest.mark.neo4j
def test_recurring_problems_by_signature(session, three_areas):
    """Worked by hand from the three areas: a signature counts once per area, at the worst
    severity its failing legs bring there (C's late MASH request, the outward leg of a
    critical loop, brings medium, and fails in C alone); a party with no role (C's council)
    leaves its flows out."""
    rows = cross_area_rows(session, "recurring_problems")
    assert [(r["signature"], r["areas"], r["worst"], r["found_in"], r["failures"])
            for r in rows] == [
        ("Children's social care → GP practices: outcome", 3, "critical",
         "Area A (critical), Area B (critical), Area C (critical)", 3),
        ("School nursing → GP practices: information", 3, "high",
         "Area A (high), Area C (high), Area B (medium)", 3),
        ("CAMHS → Children's front door: response", 2, "critical",
         "Area C (critical), Area A (high)", 2),
        ("Local authority → School nursing: notification", 2, "high",
         "Area A (high), Area B (high)", 2)]
    assert (rows[0]["sender_role"], rows[0]["receiver_role"], rows[0]["passes"]) == (
        "childrens_social_care", "gp_practice", "outcome")


@pytest.mark.neo4j
def test_compare_areas_side_by_side(session, three_areas, sefton_graph):
    """Counts from each area's ranked problems; Sefton's declared problems name children,
    so its halves are counted (a problem can touch both)."""
    from graphmodel.neo4j import load as neo4j_load
    neo4j_load.load_graph(session, sefton_graph, area="test-cross-sefton")
    rows = cross_area_rows(session, "compare_areas")
    assert [(r["area"], r["problems"], r["severity"]) for r in rows[:3]] == [
        ("Area A", 4, "1 critical, 3 high, 0 medium"),
        ("Area B", 3, "1 critical, 1 high, 1 medium"),
        ("Area C", 4, "2 critical, 2 high, 0 medium")]
    sefton = gaps_q.gaps(sefton_graph)
    halves = Counter(h for r in sefton for h in {vocab.CHILDREN[c].half for c in r["children"]})
    scopes = Counter(r["scope"] for r in sefton)
    assert rows[3]["area"] == "Sefton" and rows[3]["problems"] == len(sefton)
    assert rows[3]["scope"] == ", ".join(f"{scopes[s]} {v.label}"
                                         for s, v in vocab.SCOPES.items())
    assert rows[3]["half"] == (f"{halves['safeguarding']} safeguarding, "
                               f"{halves['looked_after']} looked after")
    assert 0 < halves["looked_after"] < len(sefton)
    assert rows[3]["loaded"].endswith(" UTC") and rows[3]["id"] == "test-cross-sefton"


# --- Browser's tables are the same answers ------------------------------------------------

def browser_rows(session, name: str, area: str) -> list[dict]:
    """A Browser file's rows, run as dropped in except for the area."""
    from graphmodel.neo4j import ask as neo4j_queries
    text = (queries_dir() / f"{name}.cypher").read_text(encoding="utf-8")
    return neo4j_queries.run_query_text(session, text.replace("WITH 'sefton' AS area",
                                                              f"WITH '{area}' AS area", 1))


def names(refs) -> str:
    return ", ".join(r["name"] for r in refs)


@pytest.mark.neo4j
@pytest.mark.parametrize("name", ("sefton", "decided"))
def test_browser_gaps_table_is_the_ranked_gaps(loaded, session, name):
    G, area = loaded[name]
    rows, want = browser_rows(session, "gaps", area), gaps_q.gaps(G)
    assert [(r["rank"], r["severity"], r["why"], r["problem"]) for r in rows] == \
        [(g["rank"], g["severity"], g["why"]["text"], g["statement"] or g["summary"])
         for g in want]
    for row, gap in zip(rows, want, strict=True):
        assert row["to_act"] == "; ".join(f"{a['name']} ({a['basis']})" for a in gap["to_act"])
        assert row["flows"] == "; ".join(f"{leg['from']['name']} → {leg['to']['name']}: "
                                         f"{leg['passes']} {leg['status']}"
                                         for leg in gap["legs"])
        assert all(isinstance(v, (str, int, bool)) or v is None for v in row.values()), row


@pytest.mark.neo4j
def test_browser_tables_are_flat(loaded, session):
    """Every Browser table holds names, numbers and words: no maps or lists in a cell."""
    for name in BROWSER_FILES:
        if name.endswith("_graph") or name in CROSS_AREA:  # those: test_recurring_problems...
            continue
        rows = browser_rows(session, name, loaded["sefton"][1])
        assert rows, name
        for row in rows:
            assert all(v is None or isinstance(v, (str, int, float, bool))
                       for v in row.values()), (name, row)


@pytest.mark.neo4j
def test_browser_path_query_matches_when_complete(loaded, session):
    """path.cypher (one query, for Browser) settles every pair of Sefton organisations."""

    from graphmodel.neo4j import ask as neo4j_queries
    G, area = loaded["sefton"]
    for a, b in itertools.product(kinds(G, "organisation"), repeat=2):
        rows = neo4j_queries.run_query(session, "path", area=area, source=a, target=b, limit=5)
        assert all(r.pop("complete") for r in rows), (a, b)
        assert [neo4j_queries.path_row(r) for r in rows] == routes_q.path(G, a, b)


@pytest.mark.neo4j
def test_browser_graph_queries_return_the_gaps_flows(loaded, session):
    G, area = loaded["sefton"]
    rows = browser_rows(session, "gaps_graph", area)
    drawn = {n["id"] for r in rows for n in r["leg"] if isinstance(n, dict) and "passes" in n}
    loops = [g for g in gaps_q.gaps(G) if g["kind"] == "broken_loop"][:10]
    assert drawn == {leg["flow"] for g in loops for leg in g["legs"] if leg["flow"]}


# --- Neo4j Browser, end to end -----------------------------------------------------------

PASTE = """(text) => {
  const area = document.querySelector('[data-testid=activeEditor] textarea');
  area.focus();
  const data = new DataTransfer();
  data.setData('text/plain', text);
  area.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true,
                                                  cancelable: true}));
}"""


def browser_run(report, text: str) -> None:
    """Paste into Browser's editor and run it. Typing would let the editor add closing
    brackets of its own; a paste goes in as it is."""
    report.evaluate(PASTE, text)
    report.click("[data-testid=editor-Run]")
    report.wait(1)


DROP_FILE = """([name, text]) => {
  const target = document.elementFromPoint(innerWidth / 2, innerHeight / 2);
  const data = new DataTransfer();
  data.items.add(new File([text], name));
  for (const type of ['dragenter', 'dragover', 'drop']) {
    target.dispatchEvent(new DragEvent(type, {dataTransfer: data, bubbles: true,
                                              cancelable: true}));
  }
}"""


def drop_file(report, path) -> None:
    """Drag a file onto Browser's window and drop it, as docs/neo4j.md says to."""
    report.evaluate(DROP_FILE, [path.name, path.read_text(encoding="utf-8")])
    report.wait(1)


def browser_session(neo4j_env, browser):
    """Neo4j Browser, connected, with graphmodel's style dropped in (the route docs/neo4j.md
    gives: pasting it after :style breaks Browser 5.24)."""
    host_port = neo4j_env["NEO4J_URI"].split("://", 1)[1]
    http = f"http://localhost:{os.environ.get('NEO4J_HTTP_PORT', '7474')}/browser/"
    report = browser.open(http)
    page = report.page
    page.select_option("[data-testid=bolt-scheme-select]", "bolt://")
    page.fill("[data-testid=boltaddress]", host_port)
    page.fill("[data-testid=username]", neo4j_env["NEO4J_USER"])
    page.fill("[data-testid=password]", neo4j_env["NEO4J_PASSWORD"])
    page.click("[data-testid=connect]")
    page.wait_for_selector("text=You are connected as user", timeout=30_000)
    drop_file(report, queries_dir() / "graphmodel.grass")
    browser_run(report, ":style")  # what Browser now holds: graphmodel's style
    assert "node.Organisation" in report.text("[data-testid=frame]:first-child")
    return report


def drop_in(report, name: str) -> None:
    """Run a query file exactly as it is in queries/ (what dropping it in does)."""
    browser_run(report, (queries_dir() / f"{name}.cypher").read_text(encoding="utf-8"))


def node_fills(report) -> set[str]:
    return set(report.evaluate("() => Array.from(document.querySelectorAll("
                               "'[data-testid=frame]:first-child svg .node circle'))"
                               ".map(c => c.getAttribute('fill'))"))


def screenshot(report, name: str) -> None:
    """Into artifacts/ (the docs/ copies are refreshed from there by hand)."""
    report.screenshot(ROOT / "artifacts" / f"neo4j-browser-{name}.png")


@pytest.mark.neo4j
@pytest.mark.browser
def test_neo4j_browser_runs_the_files_as_dropped_in(neo4j_env, cli_areas, sefton_graph,
                                                    session):
    """No :param first: each file runs for Sefton as it is, tables read as names, and the
    graph companions draw the gaps in the maps' colours; the cross-area files read every
    area loaded (here the four modelled by hand, whose parties have national roles).

    Last in the module: it first deletes the test-* areas, so that the pictures show
    only real ones."""
    delete_test_areas(session)
    for name in ("kestrelshire", "brindleford", "wexmoor", "fenmarsh"):
        open_on("neo4j", AREAS_DIR / name)
    areas = session.run("MATCH (a:Area) RETURN count(a) AS n").single()["n"]
    from graphmodel.neo4j.ask import run_query_text
    recurring = len(run_query_text(session, (queries_dir() / "recurring_problems.cypher")
                                   .read_text(encoding="utf-8")))
    try:
        from browser import Browser
    except ImportError:
        from tests.browser import Browser
    red, green = vocab.STATUSES["absent"].colour, vocab.STATUSES["working"].colour
    with Browser(timeout=60, viewport=(1600, 900)) as browser:
        report = browser_session(neo4j_env, browser)
        page = report.page
        # Why a settings line and not coalesce($x, default): Browser sends no unset parameter.
        browser_run(report, "RETURN coalesce($area_not_set, 'sefton') AS area")
        page.wait_for_selector("text=Expected parameter(s): area_not_set", timeout=30_000)

        drop_in(report, "gaps")
        rows = len(gaps_q.gaps(sefton_graph))
        page.wait_for_selector(f"text=Started streaming {rows} records", timeout=60_000)
        table = report.text("[data-testid=frame]:first-child")
        first = gaps_q.gaps(sefton_graph)[0]
        assert first["why"]["text"] in table and first["senders"][0]["name"] in table
        assert '{"id"' not in table and "\"name\":" not in table  # no JSON in a cell
        screenshot(report, "gaps")

        drop_in(report, "gaps_graph")
        page.wait_for_selector("[data-testid=frame]:first-child svg .node", timeout=60_000)
        report.wait(3)
        assert {red, green, vocab.PARTY_KINDS["forum"].fill} <= node_fills(report)
        assert "Something went wrong" not in report.text("body")
        screenshot(report, "gaps-graph")

        drop_in(report, "org_graph")
        page.wait_for_selector("[data-testid=frame]:first-child svg .node", timeout=60_000)
        report.wait(3)
        assert {red, green} <= node_fills(report)
        screenshot(report, "org-graph")

        drop_in(report, "path")  # from 'GPs' to 'MASH': names, not ids
        page.wait_for_selector("[data-testid=frame]:first-child >> "
                               "text=Sefton GP practices → Multi-Agency Safeguarding Hub",
                               timeout=60_000)
        drop_in(report, "path_graph")
        page.wait_for_selector("[data-testid=frame]:first-child svg .node", timeout=60_000)
        report.wait(3)
        screenshot(report, "path-graph")

        drop_in(report, "recurring_problems")
        page.wait_for_selector(f"text=Started streaming {recurring} records", timeout=60_000)
        table = report.text("[data-testid=frame]:first-child")
        assert "GP practices" in table and "Kestrelshire (" in table and "Wexmoor (" in table
        screenshot(report, "recurring-problems")

        drop_in(report, "compare_areas")
        page.wait_for_selector(f"text=Started streaming {areas} records", timeout=60_000)
        table = report.text("[data-testid=frame]:first-child")
        assert "Brindleford" in table and "Fenmarsh" in table and " critical, " in table
        screenshot(report, "compare-areas")
