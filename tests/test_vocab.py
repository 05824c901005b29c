"""One vocabulary: every table that styles, labels or checks covers every member, and a
new status and a new party kind, added in ``vocab`` alone, work end to end.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import networkx as nx
import pytest

from graphmodel import vocab
from graphmodel.model import schema
from graphmodel.neo4j import library as cypherlib
from graphmodel.neo4j import load as neo4j_load
from graphmodel.views import build as views
from graphmodel.views import html_map as htmlmap

from conftest import NORTHMOOR


def test_every_style_and_label_table_covers_every_member():
    for kind in vocab.PARTY_KINDS:
        assert kind in views.NODE_STYLES and kind in neo4j_load.KIND_LABELS
        assert kind in schema.PARTY_TYPES
        assert vocab.PARTY_KINDS[kind].section in schema.ModelFile.model_fields
    for status in vocab.STATUSES:
        assert status in neo4j_load.STATUS_LABELS
        assert status in {s["name"] for s in htmlmap.filters(_view_with_flows())["statuses"]}
    for edge in vocab.EDGE_TYPES:
        assert edge in neo4j_load.REL_TYPES
    for edge, kind in vocab.EDGE_TYPES.items():
        if kind.structural:
            assert edge in views.LINK_STYLES
    for severity in vocab.SEVERITIES:
        assert vocab.SEVERITIES[severity].meaning
    for passes, spec in vocab.PASSES.items():
        assert set(spec.answers) <= set(vocab.PASSES), passes
    grass = cypherlib.grass()
    for label in [*neo4j_load.STATUS_LABELS.values(),
                  *(neo4j_load.KIND_LABELS[k] for k in vocab.PARTY_KINDS)]:
        assert f"node.{label}" in grass, label


def test_groups_partition_the_statuses():
    assert set(vocab.happening()) | set(vocab.not_happening()) == set(vocab.STATUSES)
    assert not set(vocab.happening()) & set(vocab.not_happening())
    assert vocab.WORKING not in vocab.failing() and len(vocab.failing()) == \
        len(vocab.STATUSES) - 1
    params = vocab.cypher_parameters()
    assert params["failing"] == list(vocab.failing())
    assert params["severities"] == list(vocab.SEVERITIES)


def test_the_schema_and_the_cli_offer_what_the_vocabulary_holds():
    text = json.dumps(schema.model_json_schema())
    for name in [*vocab.STATUSES, *vocab.PASSES, *vocab.ORG_KINDS, *vocab.FORUM_KINDS]:
        assert f'"{name}"' in text
    from typer.testing import CliRunner

    from graphmodel.cli import app
    help_text = " ".join(CliRunner().invoke(app, ["gaps", "--help"]).output.split())
    for status in vocab.STATUSES:
        assert status in help_text


def _view_with_flows():
    from graphmodel.model.load import load_area
    from graphmodel.questions.graph import build_graph
    return views.build_view(build_graph(load_area(NORTHMOOR)), "system")


# --- a new status and a new party kind, in one place ---------------------------------------

EXTEND = textwrap.dedent("""
    import sys
    from graphmodel import vocab
    vocab.STATUSES["partial"] = vocab.Status(
        "partial", "Some of what should pass does.", True, "#8e24aa", (4, 4))
    vocab.PARTY_KINDS["helpline"] = vocab.PartyKind(
        "helpline", "helplines", "Helpline", "dot", "#ffd54f", "#8d6e63", "#3e2723",
        refs=(vocab.Ref("run_by", "organisation", "operates", reverse=True, required=True),),
        help="A telephone line the public can call.")
    from graphmodel.cli import main
    sys.argv = ["graphmodel", *sys.argv[1:]]
    main()
""")


@pytest.fixture
def extended_area(area_copy):
    """Northmoor with a helpline that passes some of what it should (status partial)."""
    (area_copy / "helplines.yaml").write_text(textwrap.dedent("""
        helplines:
          - id: parent-line
            name: Northmoor parent line
            run_by: northmoor-council
    """), encoding="utf-8")
    with open(area_copy / "flows.yaml", "a", encoding="utf-8") as fh:
        fh.write(textwrap.dedent("""
          - id: parent-line-to-csc
            from: parent-line
            to: northmoor-csc
            passes: referral
            status: partial
            inferred: The report does not mention the parent line; a test of the vocabulary.
            summary: The parent line passes some worries on to children's social care.
            evidence:
              - paragraph: "1.1"
                quote: GP practices in Northmoor make timely referrals to children's social care
        """).replace("\n", "\n  ").rstrip() + "\n")
    return area_copy


def extended(*args, cwd, env=None):
    out = subprocess.run([sys.executable, "-c", EXTEND, *map(str, args)], capture_output=True,
                         text=True, cwd=cwd, env={**os.environ, **(env or {})}, timeout=300)
    return out


def test_a_new_status_and_party_kind_work_end_to_end(extended_area, tmp_path):
    env = {"GRAPHMODEL_CACHE": str(tmp_path / "cache")}
    check = extended("validate", "--model", extended_area, cwd=tmp_path, env=env)
    assert check.returncode == 0, check.stderr
    assert "helplines       1" in check.stdout and "partial 1" in check.stdout
    gaps = extended("gaps", "--model", extended_area, "-f", "json", cwd=tmp_path, env=env)
    row = next(r for r in json.loads(gaps.stdout) if r["id"] == "parent-line-to-csc")
    assert (row["status"], row["severity"]) == ("partial", "medium")  # partial happens
    page = tmp_path / "map.html"
    drawn = extended("map", "--view", "system", "--model", extended_area, "-o", page,
                     cwd=tmp_path, env=env)
    assert drawn.returncode == 0, drawn.stderr
    html = page.read_text(encoding="utf-8")
    assert "#8e24aa" in html and "Northmoor parent line" in html and "Helpline" in html
    graphml = tmp_path / "area.graphml"
    exported = extended("export", "--to", "graphml", "--model", extended_area, "-o", graphml,
                        cwd=tmp_path, env=env)
    assert exported.returncode == 0, exported.stderr
    G = nx.read_graphml(graphml)
    assert G.nodes["parent-line"]["kind"] == "helpline"
    statuses = {d.get("status") for _, _, d in G.edges(data=True)}
    assert "partial" in statuses


@pytest.mark.neo4j
def test_a_new_status_and_party_kind_load_into_neo4j(extended_area, tmp_path):
    if not os.environ.get("NEO4J_PASSWORD"):
        pytest.skip("needs the local Neo4j server (scripts/neo4j start)")
    area = extended_area / "area.yaml"
    area.write_text(area.read_text().replace("id: northmoor", "id: test-vocab"))
    env = {"GRAPHMODEL_CACHE": str(tmp_path / "cache")}
    loaded = extended("load", "--neo4j", "--replace", "--model", extended_area, cwd=tmp_path,
                      env=env)
    assert loaded.returncode == 0, loaded.stderr
    from graphmodel.neo4j.load import Connection, delete_area, open_session
    with open_session(Connection.from_env()) as session:
        labels = session.run("MATCH (f:Item {area: 'test-vocab', id: 'parent-line-to-csc'}) "
                             "RETURN labels(f) AS l").single()["l"]
        helpline = session.run("MATCH (h:Item {area: 'test-vocab', id: 'parent-line'}) "
                               "RETURN labels(h) AS l").single()["l"]
        asked = extended("gaps", "--model", extended_area, "-f", "json", "--backend", "neo4j",
                         cwd=tmp_path, env=env)
        delete_area(session, "test-vocab")
    assert "Partial" in labels and {"Helpline", "Party"} <= set(helpline)
    assert asked.returncode == 0, asked.stderr
    assert any(r["status"] == "partial" for r in json.loads(asked.stdout))


@pytest.mark.parametrize("into,out,expected", [
    ("referral", "referral", True), ("information", "referral", True),
    ("referral", "request", True), ("minutes", "referral", False),
    ("referral", "outcome", False), ("outcome", "information", True),
])
def test_what_a_party_passes_on(into, out, expected):
    assert vocab.continues(into, out) is expected


def test_onward_names_only_kinds_that_exist():
    for passes in vocab.PASSES.values():
        assert set(passes.onward) <= set(vocab.PASSES), passes.name


def test_the_readme_table_of_what_is_passed_on_is_the_vocabulary():
    """README "Routes and parallel channels" states vocab.PASSES' onward, kind by kind."""
    from conftest import ROOT
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text.split("| what arrives |", 1)[1].split("\n\n", 1)[0].splitlines()[2:]
    stated = {}
    for row in table:
        kinds, onward = (cell.strip() for cell in row.strip("|").split("|"))
        for kind in kinds.split(", "):
            stated[kind] = [] if onward.startswith("(") else onward.split(", ")
    assert stated == {p.label.replace("request for information", "request"):
                      [vocab.PASSES[o].label.replace("request for information", "request")
                       for o in p.onward] for p in vocab.PASSES.values()}
