"""What makes England-sized models fast must not change a single answer.

The benchmark (benchmarks/bench_scale.py) prints the times; these tests pin
that the faster paths give what the slower ones gave: the same warnings, the
same betweenness, and a synthetic England that is really as big as it says.
"""

from __future__ import annotations

import re

import pytest

from graphmodel.errors import ModelError
from graphmodel.model import codebook
from graphmodel.model.load import load_area

from conftest import SEFTON


def _synthetic():
    import synthetic
    return synthetic


# --- the codebook's name search --------------------------------------------------------------

@pytest.mark.parametrize("name, text", [
    ("camhs", "camhs staff said"), ("camhs", "the camhs-led clinic"), ("camhs", "xcamhs and"),
    ("camhs", "subcamhs then camhs."), ("camhs", "camhs_team"), ("camhs", "camhsé"),
    ("0-19 service", "the 0-19 service"), ("0-19 service", "a10-19 service"),
    ("alder hey (mersey)", "at alder hey (mersey)'s unit"), ("nhs", "nhs"), ("nhs", "nhsnhs"),
    ("gp", "gp's and gps"), ("sefton’s ccgs", "sefton’s ccgs agreed"),
])
def test_name_search_agrees_with_the_regular_expression_it_replaced(name, text):
    pattern = re.compile(r"(?<!\w)(?:" + re.escape(name) + r")(?!\w)")
    assert codebook.occurs_as_words(name, text) == bool(pattern.search(text))


def test_without_warnings_a_model_has_no_problems_but_errors_still_stop_it(area_copy):
    assert load_area(area_copy).problems  # the fixture has codebook warnings
    assert load_area(area_copy, warnings=False).problems == []
    flows = area_copy / "flows.yaml"
    text = flows.read_text(encoding="utf-8")
    # The return now goes the same way as its outward flow: the codebook's error.
    outcome = "    from: northmoor-csc\n    to: gp-practices\n    passes: outcome"
    backwards = "    from: gp-practices\n    to: northmoor-csc\n    passes: outcome"
    flows.write_text(text.replace(outcome, backwards), encoding="utf-8")
    with pytest.raises(ModelError, match=r"return-direction"):
        load_area(area_copy, warnings=False)


# --- the synthetic England ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def x3(tmp_path_factory):
    return _synthetic().synthetic_model(3, tmp_path_factory.mktemp("x3"))


def test_synthetic_copies_write_their_evidence_out_in_full(x3):
    sefton_bytes = sum(p.stat().st_size for p in SEFTON.glob("*.yaml")
                       if p.name not in ("area.yaml", "extracted.yaml"))
    copy_bytes = sum(p.stat().st_size for p in x3.glob("*.yaml")
                     if p.name not in ("area.yaml", "extracted.yaml")) / 3
    assert 0.9 < copy_bytes / sefton_bytes < 1.25  # comments go, suffixes and bridges come
    for path in x3.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"(^|\s)[&*]id\d", text), f"{path.name} has YAML aliases"
    assert (x3 / "report.txt").read_bytes() == (SEFTON / "report.txt").read_bytes()


def test_synthetic_area_validates_with_every_copy_and_bridge(x3):
    sefton, model = load_area(SEFTON), load_area(x3)
    assert len(model.parties) == 3 * len(sefton.parties)
    bridges = 2 * max(1, len(sefton.flows) // 10)
    assert len(model.flows) == 3 * len(sefton.flows) + bridges
    copy2 = {f.id for f in model.flows if f.id.endswith("-2") and not f.id.startswith("bridge-")}
    assert copy2 == {f"{f.id}-2" for f in sefton.flows}
    assert model.owners == {r: [f"{o}-0" for o in owners] for r, owners in sefton.owners.items()}


# --- hotspots' betweenness ------------------------------------------------------------------------

def _networkx_rows(G, monkeypatch):
    import networkx as nx

    from graphmodel.questions import centrality
    from graphmodel.questions import hotspots as hotspots_q
    with monkeypatch.context() as m:
        m.setattr(centrality, "betweenness", nx.betweenness_centrality)
        return hotspots_q.hotspots(G)


@pytest.mark.parametrize("area", ["northmoor", "sefton", "x3"])
def test_hotspots_rows_are_those_networkx_gives(area, request, monkeypatch):
    from graphmodel.questions import hotspots as hotspots_q
    from graphmodel.questions.graph import build_graph
    if area == "x3":
        G = build_graph(load_area(request.getfixturevalue("x3"), warnings=False))
    else:
        G = request.getfixturevalue(f"{area}_graph")
    rows = hotspots_q.hotspots(G)
    assert rows == _networkx_rows(G, monkeypatch)
    assert any(r["betweenness"] > 0 for r in rows)


def test_betweenness_of_tiny_graphs_is_zero():
    import networkx as nx

    from graphmodel.questions.centrality import betweenness
    assert betweenness(nx.DiGraph([("a", "b")])) == {"a": 0.0, "b": 0.0}
    assert betweenness(nx.DiGraph()) == {}
    P = nx.DiGraph([("a", "b"), ("b", "c"), ("a", "a")])  # a self-loop carries no path
    assert betweenness(P) == nx.betweenness_centrality(P)


def test_hotspots_table_stops_after_the_first_rows_unless_all(x3):
    from typer.testing import CliRunner

    from graphmodel.cli import app
    from graphmodel.render.tables import AUTO_ROWS
    runner = CliRunner()
    cut = runner.invoke(app, ["hotspots", "--model", str(x3)])
    full = runner.invoke(app, ["hotspots", "--model", str(x3), "--all"])
    parties = len(runner.invoke(app, ["hotspots", "--model", str(x3), "-f", "json"]).stdout
                  .split('"betweenness"')) - 1
    assert cut.exit_code == full.exit_code == 0 and parties > AUTO_ROWS
    assert f"and {parties - AUTO_ROWS:,} more rows: --all shows every one" in cut.stdout
    assert "more rows" not in full.stdout and len(full.stdout) > len(cut.stdout)


# --- YAML from events, with no node tree ---------------------------------------------------------

def _parse(text):
    from graphmodel.model.yamlread import parse_yaml
    return parse_yaml(text, "m.yaml")


def test_yaml_events_give_data_lines_and_yaml_1_2_scalars():
    data = _parse("a: no\nb:\n  - 5\n  - '5'\n  - !!str 6\n  - 0o17\nc: &x {p: 1}\nd: *x\n")
    assert data == {"a": "no", "b": [5, "5", "6", 15], "c": {"p": 1}, "d": {"p": 1}}
    assert data.lines == {"a": 1, "b": 2, "c": 7, "d": 8}
    assert data["b"].lines == [3, 4, 5, 6]


@pytest.mark.parametrize("text, message", [
    ("a: 1\na: 2\n", r"m\.yaml:2: a: duplicate key 'a' \(first on line 1\); keep one"),
    ("a: *nowhere\n", r"m\.yaml:1: malformed YAML: found undefined alias"),
    ("a: &x 1\nb: &x 2\n", r"m\.yaml:2: malformed YAML: second occurrence"),
    ("a: 1\n---\nb: 2\n", r"m\.yaml:2: malformed YAML: but found another document"),
    ("a: &a {b: *a}\n", r"m\.yaml:1: a\.b: nested more than 40 deep"),
    ("a: !x 1\n", r"m\.yaml:1: a: tag '!x' is not allowed"),
    ("x: &m {p: 1}\n*m : 2\n", r"m\.yaml:2: a key must be a plain name"),
    ("a: &a [1,2,3,4,5,6,7,8,9]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
     "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n",
     r"m\.yaml:4: d\[\d+\]: aliases expand to more than 10,000 nodes"),
    ("a: [1\n", r"m\.yaml:2: malformed YAML"),
])
def test_yaml_problems_are_one_line_each_with_where(text, message):
    with pytest.raises(ModelError) as caught:
        _parse(text)
    assert re.match(message, str(caught.value)), str(caught.value)


# --- the graph cache ---------------------------------------------------------------------------

def test_cached_graph_is_the_built_graph_in_every_order(sefton_graph):
    import json

    from graphmodel import cache
    G = sefton_graph
    H = cache._graph(json.loads(json.dumps(cache._graph_data(G))))
    assert list(H.nodes(data=True)) == list(G.nodes(data=True)) and H.graph == G.graph
    assert list(H.edges(keys=True, data=True)) == list(G.edges(keys=True, data=True))
    assert all(list(H.pred[n]) == list(G.pred[n]) for n in G)
    assert list(H.in_edges(keys=True)) == list(G.in_edges(keys=True))
    u, v = next(iter(H.edges()))
    assert H._succ[u][v] is H._pred[v][u]  # one dict of keys, as networkx keeps it


@pytest.mark.parametrize("text", [
    "This will be brought to the attention of the public health commissioners. Next one.",
    "A. B.. Attention of the local Public Health team, then x. C", "attention of public health "
    "team", "", ".", "No referral here. None at all.",
])
def test_referral_sentences_go_as_the_regular_expression_took_them(text):
    from graphmodel.model.report import PUBLIC_HEALTH
    referral = re.compile(r"[^.]*" + PUBLIC_HEALTH.pattern + r"[^.]*\.?", re.I)
    assert codebook.without_referral(text) == referral.sub(" ", text)


def test_cache_written_in_parts_reads_back_whole(tmp_path, monkeypatch, sefton_graph):
    from graphmodel import cache
    from graphmodel.files import write_atomically
    from graphmodel.names import NameIndex
    monkeypatch.setenv("GRAPHMODEL_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(cache, "_parts", lambda text, size=997: (
        text[i:i + size].encode("ascii") for i in range(0, len(text), size)))
    info = cache.GraphInfo("Sefton", NameIndex(), {}, ["1.1"], "here")
    cache.save("k", info, sefton_graph, {})
    loaded_info, G = cache.load("k")
    assert loaded_info.recommendations == ["1.1"]
    assert list(G.edges(keys=True, data=True)) == list(sefton_graph.edges(keys=True, data=True))
    assert write_atomically(tmp_path / "p.txt", iter([b"a", b"b"])).read_bytes() == b"ab"
