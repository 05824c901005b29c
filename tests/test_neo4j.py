"""Neo4j on a real server: load, idempotency, atomicity, one-line failures, every Cypher
query against its networkx twin, ``--backend neo4j``, and Neo4j Browser end to end.

Needs the local server: ``eval "$(scripts/neo4j start)"`` and export NEO4J_URI,
NEO4J_USER and NEO4J_PASSWORD (scripts/test does both). Without them these tests
skip locally and fail under CI=true. Library tests load areas under ids starting
"test-" and delete them afterwards; the CLI tests load the real ids (sefton,
northmoor), which is what ``graphmodel load --neo4j`` does anyway.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import os
import re
import socket

import pytest
from typer.testing import CliRunner

from graphmodel import questions, vocab
from graphmodel.cli import app
from graphmodel.neo4j import library as cypherlib
from graphmodel.paths import queries_dir
from graphmodel.questions import gaps as gaps_q
from graphmodel.questions import hotspots as hotspots_q
from graphmodel.questions import profile as profile_q
from graphmodel.questions import recommendations as recommendations_q
from graphmodel.questions import routes as routes_q

from conftest import FIXTURES, NORTHMOOR, ROOT, SEFTON

runner = CliRunner()
STATUSES = tuple(vocab.STATUSES)
RANKTOWN = FIXTURES / "areas" / "ranktown"


# --- fixtures ------------------------------------------------------------------------

@pytest.fixture(scope="session")
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


@pytest.fixture(scope="session")
def session(neo4j_env):
    """One session for the library tests; test-* areas are deleted at the end.

    A generous time-out: hotspots.cypher on the synthetic area takes seconds on a
    busy machine, more than the command line's default wait.
    """
    from graphmodel.neo4j import load as neo4j_load
    conn = dataclasses.replace(neo4j_load.Connection.from_env(), timeout=300)
    with neo4j_load.open_session(conn) as s:
        yield s
        for row in s.run("MATCH (a:Area) WHERE a.id STARTS WITH 'test-' RETURN a.id AS id"):
            neo4j_load.delete_area(s, row["id"])


@pytest.fixture(scope="session")
def synthetic_graph(tmp_path_factory):
    """A synthetic area twice Sefton's size (tests/synthetic.py)."""
    from graphmodel.model.load import load_area
    from graphmodel.questions.graph import build_graph

    from synthetic import synthetic_model
    return build_graph(load_area(synthetic_model(2, tmp_path_factory.mktemp("x2"))))


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


@pytest.fixture(scope="session")
def loaded(session, northmoor_graph, sefton_graph, synthetic_graph):
    """name -> (graph, area id in Neo4j), each loaded once with --replace."""
    from graphmodel.model.load import load_area
    from graphmodel.neo4j import load as neo4j_load
    from graphmodel.questions.graph import build_graph
    areas = {"northmoor": northmoor_graph, "sefton": sefton_graph, "synthetic": synthetic_graph,
             "ranktown": build_graph(load_area(RANKTOWN)),
             "decided": decided_variant(sefton_graph)}
    out = {}
    for name, G in areas.items():
        neo4j_load.load_graph(session, G, area=f"test-{name}", replace=True)
        out[name] = (G, f"test-{name}")
    return out


def cli(*args, env=None):
    return runner.invoke(app, [str(a) for a in args], env=env)


def same(a, b) -> None:
    """Equal values with keys in the same order: the JSON output is the contract."""
    assert json.dumps(b, indent=1, ensure_ascii=False) == json.dumps(a, indent=1,
                                                                       ensure_ascii=False)


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


@pytest.mark.parametrize("name", BROWSER_FILES)
def test_browser_file_runs_as_dropped_in(name):
    """No parameter to set first: the settings are a WITH on the first line of code, with
    Sefton's defaults, and the vocabulary a generated WITH after it."""
    text = (queries_dir() / f"{name}.cypher").read_text(encoding="utf-8")
    assert text.startswith(f"// {name}: ")
    code = code_lines(text)
    assert not re.search(r"\$\w", "\n".join(code)), "a parameter Browser would ask for"
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
    """Statuses, severities and containment types arrive as parameters (vocab.py).

    One exception: commissioning asks who provides a service, which is the
    PROVIDES relationship itself, not containment.
    """
    code = "\n".join(code_lines(path.read_text(encoding="utf-8")))
    quoted = set(re.findall(r"'([^']*)'", code)) | set(re.findall(r":(\w+)", code))
    allowed = {"PROVIDES"} if path.name == "commissioning.cypher" else set()
    assert not (quoted & VOCABULARY_WORDS) - allowed


def test_browser_vocabulary_is_the_parameters():
    from graphmodel.neo4j.labels import query_parameters
    text = (queries_dir() / "coverage.cypher").read_text(encoding="utf-8")
    assert cypherlib.cypher_literal(query_parameters()["problem_words"]) + " AS problem_words" \
        in text
    assert query_parameters()["problem_words"] == recommendations_q.PROBLEM_WORDS.pattern


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


# --- loading -------------------------------------------------------------------------

@pytest.mark.neo4j
def loaded_counts(G) -> tuple[int, int]:
    """Nodes and relationships a load writes: the graph's, its problems as ranked."""
    from graphmodel.neo4j import load as neo4j_load
    problems = neo4j_load.problem_nodes(G)
    nodes = sum(1 for _, k in G.nodes(data="kind") if k != "problem") + len(problems)
    edges = sum(1 for *_, k in G.edges(keys=True) if k != "includes")
    return nodes, edges + sum(len(p["flows"]) for p in problems)


def test_load_twice_gives_the_same_graph(session, northmoor_graph):
    from graphmodel.neo4j import load as neo4j_load
    G = northmoor_graph
    first = neo4j_load.load_graph(session, G, area="test-idem", replace=True)
    before = snapshot(session, "test-idem")
    second = neo4j_load.load_graph(session, G, area="test-idem")
    assert (first.nodes, first.relationships) == loaded_counts(G)
    assert (second.nodes, second.relationships) == (first.nodes, first.relationships)
    assert (second.nodes_created, second.relationships_created) == (0, 0)
    assert snapshot(session, "test-idem") == before


@pytest.mark.neo4j
def test_batch_size_does_not_change_what_is_loaded(session, northmoor_graph):
    from graphmodel.neo4j import load as neo4j_load
    neo4j_load.load_graph(session, northmoor_graph, area="test-batch-a", replace=True)
    report = neo4j_load.load_graph(session, northmoor_graph, area="test-batch-b",
                                   replace=True, batch_size=7)
    assert report.batches > 23
    a, b = snapshot(session, "test-batch-a"), snapshot(session, "test-batch-b")
    assert a == json.loads(json.dumps(b).replace("test-batch-b", "test-batch-a"))


@pytest.mark.neo4j
def test_merge_keeps_stale_items_and_replace_removes_them(session, northmoor_graph):
    from graphmodel.neo4j import load as neo4j_load
    G = northmoor_graph
    smaller = G.copy()
    smaller.remove_node("hv-gp-information")
    changed = smaller.copy()
    changed.nodes["school-nurse-records-to-gp"]["status"] = "working"
    first = neo4j_load.load_graph(session, G, area="test-replace", replace=True)
    merged = neo4j_load.load_graph(session, changed, area="test-replace")
    new = ({p["id"] for p in neo4j_load.problem_nodes(changed)}
           - {p["id"] for p in neo4j_load.problem_nodes(G)})
    assert merged.nodes == first.nodes + len(new)  # the dropped flow stays
    assert merged.previous_fingerprint != merged.fingerprint
    labels = session.run("MATCH (f:Flow {area: 'test-replace', id: 'school-nurse-records-to-gp'}) "
                         "RETURN labels(f) AS l").single()["l"]
    assert sorted(labels) == ["Flow", "Item", "Working"]  # the old status label is gone
    replaced = neo4j_load.load_graph(session, changed, area="test-replace", replace=True)
    assert (replaced.nodes, replaced.relationships) == loaded_counts(changed)


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
def test_a_failed_replace_leaves_the_old_area_as_it_was(session, northmoor_graph):
    from graphmodel.neo4j import load as neo4j_load
    neo4j_load.load_graph(session, northmoor_graph, area="test-atomic-old", replace=True)
    before, counts = snapshot(session, "test-atomic-old"), database_counts(session)
    smaller = northmoor_graph.copy()
    smaller.remove_node("hv-gp-information")
    with pytest.raises(Boom):
        neo4j_load.load_graph(session, smaller, area="test-atomic-old", replace=True,
                              on_batch=fail_at_last_batch)
    assert snapshot(session, "test-atomic-old") == before
    assert database_counts(session) == counts


# --- parity: every Cypher query against its networkx twin -----------------------------

AREAS = ("northmoor", "sefton", "synthetic", "ranktown", "decided")


@pytest.mark.neo4j
@pytest.mark.parametrize("name", AREAS)
def test_gaps_parity(loaded, session, name):
    from graphmodel.neo4j import ask as neo4j_queries
    G, area = loaded[name]
    variants = [{}, {"loops_only": True}, *({"statuses": [s]} for s in STATUSES),
                {"statuses": ["working", "delayed"]},
                *({"org": o} for o in kinds(G, "organisation"))]
    for kwargs in variants:
        same(gaps_q.gaps(G, **kwargs), neo4j_queries.gaps(session, area, **kwargs))


@pytest.mark.neo4j
def test_the_decided_variant_changes_the_gaps(loaded):
    """The variant is worth testing: inference shows, and narrowing changes the actions but
    not the order (who owns a fix does not change how much a problem matters)."""
    G, _ = loaded["decided"]
    plain, decided = gaps_q.gaps(loaded["sefton"][0]), gaps_q.gaps(G)
    assert any(leg["inferred"] for row in decided for leg in row["legs"])
    assert [r["action"] for r in plain] != [r["action"] for r in decided]
    assert [r["id"] for r in plain] == [r["id"] for r in decided]


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


@pytest.mark.neo4j
def test_missing_return_parity(session, northmoor_graph):
    """A referral that expects an answer no flow gives: a loop with a missing leg."""
    from graphmodel.neo4j import ask as neo4j_queries
    from graphmodel.neo4j import load as neo4j_load
    G = northmoor_graph.copy()
    G.nodes["csc-outcome-to-gp"]["returns"] = None
    G.remove_edge("csc-outcome-to-gp", "gp-referral", key="returns")
    neo4j_load.load_graph(session, G, area="test-missing-return", replace=True)
    loops = gaps_q.gaps(G, loops_only=True)
    assert any(leg.get("missing") for row in loops for leg in row["legs"])
    for kwargs in ({}, {"statuses": ["absent"]}, {"org": "gp-practices"}):
        same(gaps_q.gaps(G, **kwargs), neo4j_queries.gaps(session, "test-missing-return",
                                                           **kwargs))
    same(hotspots_q.hotspots(G), neo4j_queries.hotspots(session, "test-missing-return"))


@pytest.mark.neo4j
@pytest.mark.parametrize("name", AREAS)
def test_owners_coverage_commissioning_hotspots_parity(loaded, session, name):
    from graphmodel.neo4j import ask as neo4j_queries
    G, area = loaded[name]
    recs = [r.split(":", 1)[1] for r in kinds(G, "recommendation")]
    for kwargs in [{}, {"recs": recs[:2]}, *({"org": o} for o in kinds(G, "organisation"))]:
        same(recommendations_q.owners(G, **kwargs), neo4j_queries.owners(session, area, **kwargs))
    for query in ("coverage", "commissioning", "hotspots"):
        same(questions.queries()[query](G), getattr(neo4j_queries, query)(session, area))


@pytest.mark.neo4j
@pytest.mark.parametrize("name", AREAS)
def test_org_parity(loaded, session, name):
    from graphmodel.neo4j import ask as neo4j_queries
    G, area = loaded[name]
    for org in kinds(G, "organisation"):
        same(profile_q.org(G, org), neo4j_queries.org(session, area, org))


def path_pairs(G, name: str) -> list[tuple[str, str]]:
    """Every pair of organisations; for the synthetic area a spread of 60 of them."""
    orgs = kinds(G, "organisation")
    pairs = list(itertools.product(orgs, orgs))
    if name == "northmoor":  # small enough for every pair of parties
        parties = [n for n, k in G.nodes(data="kind") if k not in ("flow", "finding",
                                                                    "recommendation")]
        pairs = list(itertools.product(parties, parties))
    return pairs if name != "synthetic" else pairs[::max(1, len(pairs) // 60)]


@pytest.mark.neo4j
@pytest.mark.parametrize("name", ("northmoor", "sefton", "synthetic", "ranktown"))
def test_path_parity(loaded, session, name):
    from graphmodel.neo4j import ask as neo4j_queries
    G, area = loaded[name]
    for a, b in path_pairs(G, name):
        same(routes_q.path(G, a, b), neo4j_queries.path(session, area, a, b))


@pytest.mark.neo4j
def test_browser_path_query_matches_when_complete(loaded, session):
    """path.cypher (one query, for Browser) settles every pair of Sefton organisations."""
    from graphmodel.neo4j import ask as neo4j_queries
    G, area = loaded["sefton"]
    for a, b in path_pairs(G, "sefton"):
        rows = neo4j_queries.run_query(session, "path", area=area, source=a, target=b, limit=5)
        assert all(r.pop("complete") for r in rows), (a, b)
        expected = routes_q.path(G, a, b)
        same(expected, [neo4j_queries.path_row(r) for r in rows])


# --- progress: the plan's actions against the gaps -------------------------------------

ACTIONS = """actions:
  - recommendation: '1.2'
    owner: northmoor-council
    action: Children's social care sends every referral outcome to the GP.
    status: done
    fixes: [csc-outcome-to-gp]
  - recommendation: '3.1'
    owner: brightpath
    action: CAMHS answers every MASH request within three days.
    status: in_progress
    fixes: [camhs-response-mash]
  - recommendation: '2.1'
    owner: westshire-dale
    action: An information sharing protocol is agreed.
    status: verified
"""


@pytest.mark.neo4j
def test_progress_says_which_gaps_the_actions_close(session, area_copy):
    """Northmoor's four gaps, hand-checked: the referral loop's absent outcome is fixed by a
    done action (closed); CAMHS's answers are being fixed (open); nothing addresses the
    school-nurse records (no_action); the protocol is verified but fixes no flow, and the
    referral outcome action answers one of its recommendations (open)."""
    from graphmodel.model.load import load_area
    from graphmodel.neo4j import ask as neo4j_queries
    from graphmodel.neo4j import load as neo4j_load
    from graphmodel.questions.graph import build_graph
    (area_copy / "actions.yaml").write_text(ACTIONS, encoding="utf-8")
    G = build_graph(load_area(area_copy))
    neo4j_load.load_graph(session, G, area="test-progress", replace=True)
    rows = neo4j_queries.run_query(session, "progress", area="test-progress")
    assert [(r["id"], r["state"], r["fixed"], r["actions"]) for r in rows] == [
        ("gp-referral+csc-outcome-to-gp", "closed", ["csc-outcome-to-gp"], ["action:1"]),
        ("mash-request-camhs+camhs-response-mash", "open", [], ["action:2"]),
        ("missing-education-notice", "open", [], ["action:1", "action:3"]),
        ("school-nurse-records-to-gp", "no_action", [], [])]
    assert [r["rank"] for r in rows] == [r["rank"] for r in gaps_q.gaps(G)]


@pytest.mark.neo4j
@pytest.mark.parametrize("name", ("decided", "northmoor"))
def test_progress_parity_with_the_plan(loaded, session, name):
    """progress.cypher is the twin of plan.progress_state's gaps."""
    import datetime

    from graphmodel.neo4j import ask as neo4j_queries
    from graphmodel.plan import progress as plan
    G, area = loaded[name]
    same(plan.progress_state(G, datetime.date(2030, 1, 1))["gaps"],
         neo4j_queries.run_query(session, "progress", area=area))


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
        if name.endswith("_graph"):
            continue
        rows = browser_rows(session, name, loaded["sefton"][1])
        assert rows, name
        for row in rows:
            assert all(v is None or isinstance(v, (str, int, float, bool))
                       for v in row.values()), (name, row)


@pytest.mark.neo4j
def test_browser_graph_queries_return_the_gaps_flows(loaded, session):
    G, area = loaded["sefton"]
    rows = browser_rows(session, "gaps_graph", area)
    drawn = {n["id"] for r in rows for n in r["leg"] if isinstance(n, dict) and "passes" in n}
    loops = [g for g in gaps_q.gaps(G) if g["kind"] == "broken_loop"][:10]
    assert drawn == {leg["flow"] for g in loops for leg in g["legs"] if leg["flow"]}


# --- the command line ------------------------------------------------------------------

CLI_QUESTIONS = [["gaps"], ["gaps", "--loops-only"], ["gaps", "--status", "absent"],
                 ["owners"], ["owners", "1.1", "2.1"], ["coverage"], ["commissioning"],
                 ["hotspots"]]
AREA_QUESTIONS = {SEFTON: [["gaps", "--org", "Alder Hey"], ["owners", "--org", "nwbh"],
                           ["org", "sefton-council"], ["org", "Addaction"],
                           ["path", "gp-practices", "sefton-csc"], ["path", "nwbh", "mash"]],
                  NORTHMOOR: [["gaps", "--org", "NCCG"], ["org", "westshire-dale"],
                              ["path", "gp-practices", "northmoor-csc"]]}


@pytest.fixture(scope="module")
def cli_areas(neo4j_env):
    """Sefton and Northmoor loaded under their own ids, through the CLI."""
    for model in (SEFTON, NORTHMOOR):
        result = cli("load", "--neo4j", "--replace", "--model", model)
        assert result.exit_code == 0, result.output
        assert re.match(r"\w+: \d+ nodes and \d+ relationships in area '\w+'\n  at bolt://",
                        result.stdout)
    return (SEFTON, NORTHMOOR)


@pytest.mark.neo4j
@pytest.mark.parametrize("fmt", ["table", "json", "csv", "markdown"])
def test_backend_neo4j_prints_the_same(cli_areas, fmt):
    for model in cli_areas:
        for args in CLI_QUESTIONS + AREA_QUESTIONS[model]:
            want = cli(*args, "--model", model, "--format", fmt)
            got = cli(*args, "--model", model, "--format", fmt, "--backend", "neo4j")
            assert want.exit_code == 0, (args, want.output)
            assert (got.exit_code, got.stdout) == (0, want.stdout), (args, got.stderr)


@pytest.mark.neo4j
def test_fail_on_works_on_neo4j(cli_areas):
    result = cli("gaps", "--model", NORTHMOOR, "--fail-on", "critical", "--backend", "neo4j",
                 "-f", "json")
    assert result.exit_code == 1 and json.loads(result.stdout)


@pytest.mark.neo4j
def test_load_twice_through_the_cli_creates_nothing(cli_areas):
    result = cli("load", "--neo4j", "--model", NORTHMOOR)
    assert result.exit_code == 0 and "(0 nodes and 0 relationships new)" in result.stdout
    assert result.stderr == ""


def one_line_error(result) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    return lines[0]


@pytest.mark.neo4j
def test_server_down_is_one_line_naming_the_uri(neo4j_env):
    uri = f"bolt://localhost:{closed_port()}"
    load = cli("load", "--neo4j", "--model", NORTHMOOR, "--uri", uri)
    assert load.exit_code == 1 and uri in one_line_error(load)
    ask = cli("gaps", "--model", NORTHMOOR, "--backend", "neo4j", env={"NEO4J_URI": uri})
    assert ask.exit_code == 1 and uri in one_line_error(ask)


@pytest.mark.neo4j
def test_wrong_password_is_one_line(neo4j_env):
    result = cli("load", "--neo4j", "--model", NORTHMOOR, "--password", "not-the-password")
    line = one_line_error(result)
    assert result.exit_code == 1
    assert "wrong user name or password" in line and neo4j_env["NEO4J_URI"] in line
    assert "not-the-password" not in result.output


@pytest.mark.neo4j
def test_area_not_loaded_or_stale_is_one_line(cli_areas, area_copy):
    area_yaml = area_copy / "area.yaml"
    area_yaml.write_text(area_yaml.read_text().replace("id: northmoor", "id: test-nowhere"))
    missing = cli("gaps", "--model", area_copy, "--backend", "neo4j")
    assert missing.exit_code == 1 and "is not loaded" in one_line_error(missing)
    area_yaml.write_text(area_yaml.read_text().replace("id: test-nowhere", "id: northmoor"))
    flows = area_copy / "flows.yaml"
    flows.write_text(flows.read_text().replace("status: absent", "status: broken", 1))
    stale = cli("gaps", "--model", area_copy, "--backend", "neo4j")
    assert stale.exit_code == 1 and "--replace" in one_line_error(stale)


def test_load_needs_a_target():
    result = cli("load", "--model", NORTHMOOR)
    assert result.exit_code == 2 and "--neo4j" in one_line_error(result)


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
def test_neo4j_browser_runs_the_files_as_dropped_in(neo4j_env, cli_areas, sefton_graph):
    """No :param first: each file runs for Sefton as it is, tables read as names, and the
    graph companions draw the gaps in the maps' colours."""
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
