"""``graphmodel export``: every format read back by the tool that reads it.

GraphML and GEXF are read back with networkx; the Kumu blueprint is checked
against Kumu's documented shape; the CSV zip with the csv module; the Mermaid
flowchart is rendered by mermaid.js and the Cytoscape.js JSON loaded by
cytoscape.js, both from npm (tests/js, installed by scripts/install-js) and
loaded offline in headless Chromium.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import jsonschema
import networkx as nx
import pytest
from test_htmlmap import HOSTILE_NAME, hostile_area
from test_views import INFERRED_REASON, infer_sender
from typer.testing import CliRunner

from graphmodel import vocab
from graphmodel.cli import app
from graphmodel.model.load import load_area
from graphmodel.questions.graph import build_graph
from graphmodel.views import build as views
from graphmodel.views import export

from conftest import NORTHMOOR, ROOT

runner = CliRunner()
JS = ROOT / "tests" / "js" / "node_modules"
NORTHMOOR_VIEWS = [("system", None), ("gaps", None), ("commissioning", None),
                   ("party", "westshire-dale"), ("recommendation", "1.1")]
GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"

# Kumu's blueprint, as its documentation describes it (docs.kumu.io, "JSON / Blueprints"):
# an object with "elements" (label; optional id, type, description, tags and any custom
# field) and "connections" (from and to, naming element ids or labels; optional id,
# type, direction: directed, undirected or mutual, and custom fields). Ids are unique
# across elements and connections (checked in the test).
KUMU_SCHEMA = {
    "type": "object", "required": ["elements", "connections"], "additionalProperties": False,
    "properties": {
        "elements": {"type": "array", "items": {
            "type": "object", "required": ["label"],
            "properties": {"id": {"type": "string", "minLength": 1},
                           "label": {"type": "string", "minLength": 1},
                           "type": {"type": "string"}, "description": {"type": "string"},
                           "tags": {"type": "array", "items": {"type": "string"}}},
            "additionalProperties": {"type": ["string", "number", "boolean"]}}},
        "connections": {"type": "array", "items": {
            "type": "object", "required": ["from", "to"],
            "properties": {"id": {"type": "string", "minLength": 1},
                           "from": {"type": "string"}, "to": {"type": "string"},
                           "type": {"type": "string"}, "label": {"type": "string"},
                           "description": {"type": "string"},
                           "direction": {"enum": ["directed", "undirected", "mutual"]},
                           "tags": {"type": "array", "items": {"type": "string"}}},
            "additionalProperties": {"type": ["string", "number", "boolean"]}}},
    },
}


def northmoor_view(G, name="system", target=None):
    return views.build_view(G, name, target)


# --- GraphML and GEXF ----------------------------------------------------------------------------

@pytest.mark.parametrize("name,target", NORTHMOOR_VIEWS)
def test_graphml_reads_back_with_networkx(northmoor_graph, name, target):
    view = northmoor_view(northmoor_graph, name, target)
    H = nx.read_graphml(io.StringIO(export.to_graphml(view)), force_multigraph=True)
    assert H.is_directed()
    assert sorted(H.nodes) == sorted(n.id for n in view.nodes)
    assert sorted(k for *_, k in H.edges(keys=True)) == sorted(e.id for e in view.edges)
    for n in view.nodes:
        assert H.nodes[n.id]["label"] == n.name and H.nodes[n.id]["kind"] == n.kind


def test_graphml_declares_typed_attributes(northmoor_graph):
    text = export.to_graphml(northmoor_view(northmoor_graph, "gaps"))
    keys = {(k.get("for"), k.get("attr.name")): k.get("attr.type")
            for k in ET.fromstring(text).iter(f"{GRAPHML}key")}
    for name in ("kind", "status", "passes", "paragraphs", "recommendations", "owners",
                 "severity"):
        assert keys["edge", name] == "string", name
    assert keys["edge", "broken_loop"] == "boolean"
    assert keys["node", "inferred_flows"] in ("int", "long")  # a GraphML integer
    H = nx.read_graphml(io.StringIO(text), force_multigraph=True)
    outcome = H.edges["northmoor-csc", "gp-practices", "csc-outcome-to-gp"]
    assert outcome["broken_loop"] is True and outcome["status"] == "absent"
    assert outcome["severity"] == "critical" and outcome["passes"] == "outcome"
    assert outcome["paragraphs"] == "1.1" and outcome["recommendations"] == "1.2"
    assert outcome["owners"] == "NHS Northmoor CCG; Northmoor Borough Council"
    assert H.nodes["gp-practices"]["inferred_flows"] == 0


def test_gexf_reads_back_with_colours_and_places(northmoor_graph):
    view = northmoor_view(northmoor_graph, "commissioning")
    H = nx.read_gexf(io.StringIO(export.to_gexf(view)))
    assert sorted(H.nodes) == sorted(n.id for n in view.nodes)
    assert H.number_of_edges() == len(view.edges)
    ccg = H.nodes["northmoor-ccg"]
    assert ccg["label"] == "NHS Northmoor CCG" and ccg["kind"] == "organisation"
    fill = vocab.PARTY_KINDS["organisation"].fill.lstrip("#")
    assert (ccg["viz"]["color"]["r"], ccg["viz"]["color"]["g"]) == (int(fill[:2], 16),
                                                                  int(fill[2:4], 16))
    assert ccg["viz"]["position"]["x"] == view.positions["northmoor-ccg"][0]


def test_sefton_every_failing_flow_is_red_or_amber_in_graphml(sefton_graph):
    view = views.build_view(sefton_graph, "gaps")
    H = nx.read_graphml(io.StringIO(export.to_graphml(view)), force_multigraph=True)
    flows = [d for *_, d in H.edges(data=True) if d["kind"] == "flow"]
    assert flows
    for d in flows:
        assert d["colour"] == vocab.STATUSES[d["status"]].colour
        assert d["severity"] in vocab.SEVERITIES
        assert d["status"] in vocab.failing() or d["broken_loop"]  # a working outward leg


# --- Kumu ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("name,target", NORTHMOOR_VIEWS)
def test_kumu_blueprint_has_kumus_documented_shape(northmoor_graph, name, target):
    view = northmoor_view(northmoor_graph, name, target)
    blueprint = json.loads(export.to_kumu(view))
    jsonschema.validate(blueprint, KUMU_SCHEMA)
    ids = [x["id"] for x in blueprint["elements"] + blueprint["connections"]]
    assert len(ids) == len(set(ids))  # unique across elements and connections
    elements = {x["id"] for x in blueprint["elements"]}
    assert all(c["from"] in elements and c["to"] in elements for c in blueprint["connections"])
    assert len(blueprint["connections"]) == len(view.edges)


def test_kumu_fields_say_status_evidence_and_owners(northmoor_graph):
    blueprint = json.loads(export.to_kumu(northmoor_view(northmoor_graph, "gaps")))
    outcome = next(c for c in blueprint["connections"] if c["id"] == "csc-outcome-to-gp")
    assert outcome["type"] == "Flow: outcome" and outcome["direction"] == "directed"
    assert outcome["tags"] == ["absent", "critical", "broken loop"]
    assert outcome["Status"] == "absent" and outcome["Paragraphs"] == "1.1"
    assert outcome["Owners"] == "NHS Northmoor CCG; Northmoor Borough Council"
    gps = next(e for e in blueprint["elements"] if e["id"] == "gp-practices")
    assert gps["label"] == "Northmoor GP practices" and gps["type"] == "Organisation"
    assert "primary care" in gps["tags"] and gps["Aliases"] == "GPs"


# --- inferred parties in every export ------------------------------------------------------------

def test_inferred_flows_are_attributes_in_exports(area_copy):
    G = infer_sender(area_copy)
    view = views.build_view(G, "gaps")
    H = nx.read_graphml(io.StringIO(export.to_graphml(view)), force_multigraph=True)
    notice = H.edges["northmoor-council", "school-nursing", "missing-education-notice"]
    assert notice["inferred"] == INFERRED_REASON and "from" in notice["inferred_ends"]
    assert H.nodes["northmoor-council"]["inferred_flows"] == 1
    kumu = json.loads(export.to_kumu(view))
    connection = next(c for c in kumu["connections"] if c["id"] == "missing-education-notice")
    assert "inferred" in connection["tags"] and connection["Inferred"] == INFERRED_REASON
    edges = _csv_rows(export.to_csv_zip(view), "edges.csv")
    assert next(r for r in edges if r["id"] == "missing-education-notice")["inferred"] == \
        INFERRED_REASON
    assert "classDef inferred" in export.to_mermaid(view)
    assert ":::organisation,inferred" in export.to_mermaid(view)


# --- CSV -----------------------------------------------------------------------------------------

def _csv_rows(data: bytes, name: str) -> list[dict]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        text = archive.read(name).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_zip_holds_nodes_and_edges(northmoor_graph):
    view = northmoor_view(northmoor_graph, "system")
    data = export.to_csv_zip(view)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.namelist() == ["nodes.csv", "edges.csv"]
    nodes, edges = _csv_rows(data, "nodes.csv"), _csv_rows(data, "edges.csv")
    assert [r["id"] for r in nodes] == [n.id for n in view.nodes]
    assert [r["id"] for r in edges] == [e.id for e in view.edges]
    outcome = next(r for r in edges if r["id"] == "csc-outcome-to-gp")
    assert outcome["from_name"] == "Northmoor children's social care"
    assert outcome["status"] == "absent" and outcome["broken_loop"] == "True"
    assert export.to_csv_zip(view) == data  # the same view, the same bytes


@pytest.mark.parametrize("value,cell", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+1", "'+1"), ("-2", "'-2"),
    ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\\x0dx"), ("\x1b[2J", "\\x1b[2J"), ("Sefton", "Sefton"),
    ("a=b", "a=b"), (3, 3), (True, True),
])
def test_spreadsheet_cells_never_run_formulas(value, cell):
    assert export.spreadsheet_cell(value) == cell


def test_csv_neutralises_formulas_from_the_model(area_copy):
    path = area_copy / "parties.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "    name: Brightpath\n", "    name: '=cmd|\" /C calc\"!A0'\n"), encoding="utf-8")
    G = build_graph(load_area(area_copy))
    nodes = _csv_rows(export.to_csv_zip(views.build_view(G, "system")), "nodes.csv")
    assert next(r for r in nodes if r["id"] == "brightpath")["label"] == "'=cmd|\" /C calc\"!A0"


# --- Mermaid and Cytoscape.js text ---------------------------------------------------------------

def test_mermaid_text_escapes_everything_that_could_be_syntax():
    assert export.mermaid_text('A "B" <i>#1</i> [x] {y} |z| ;') == \
        "A #34;B#34; #60;i#62;#35;1#60;/i#62; #91;x#93; #123;y#125; #124;z#124; #59;"
    assert export.mermaid_text("two\nlines") == "two lines"


def test_mermaid_styles_links_by_status(northmoor_graph):
    view = northmoor_view(northmoor_graph, "gaps")
    text = export.to_mermaid(view)
    styles = [line for line in text.splitlines() if line.startswith("  linkStyle")]
    assert len(styles) == len(view.edges)
    for i, e in enumerate(view.edges):
        assert styles[i].startswith(f"  linkStyle {i} stroke:{e.colour},")
    assert "==>" in text and "-.->" in text  # loops thick, failing flows dashed


def test_cytoscape_json_carries_every_element(northmoor_graph):
    view = northmoor_view(northmoor_graph, "system")
    data = json.loads(export.to_cytoscape(view))
    assert [n["data"]["id"] for n in data["elements"]["nodes"]] == [n.id for n in view.nodes]
    assert [(e["data"]["source"], e["data"]["target"]) for e in data["elements"]["edges"]] == \
        [(e.source, e.target) for e in view.edges]
    selectors = {s["selector"] for s in data["style"]}
    assert {f'edge[status = "{s}"]' for s in vocab.STATUSES} <= selectors
    assert {f'node[kind = "{k}"]' for k in vocab.PARTY_KINDS} <= selectors


# --- the command ---------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", export.FORMATS)
def test_export_command_writes_each_format_for_every_view(tmp_path, monkeypatch, fmt):
    monkeypatch.chdir(tmp_path)
    for view in ("system", "gaps", "commissioning", "party:CAMHS", "org:NCCG",
                 "recommendation:1.1"):
        result = runner.invoke(app, ["export", "--to", fmt, "--view", view,
                                     "-m", str(NORTHMOOR)])
        assert result.exit_code == 0, result.output
        written = Path(result.stdout.strip())
        assert written.parent == tmp_path and written.stat().st_size > 0
    assert sorted(p.name for p in tmp_path.iterdir())[0] == \
        f"northmoor-commissioning.{vocab.EXPORT_FORMATS[fmt].extension}"


def test_export_to_standard_output(tmp_path):
    result = runner.invoke(app, ["export", "--to", "mermaid", "-v", "gaps", "-o", "-",
                                 "-m", str(NORTHMOOR)])
    assert result.exit_code == 0 and result.stdout.startswith("---\ntitle: ")
    result = runner.invoke(app, ["export", "--to", "csv", "-o", "-", "-m", str(NORTHMOOR)])
    assert result.exit_code == 2 and "writes a zip" in result.stderr


@pytest.mark.parametrize("args,message", [
    (["--to", "pdf"], "--to 'pdf': choose graphml, gexf, kumu, cytoscape, mermaid, csv"),
    (["--to", "kumu", "-v", "party:nobody"], "--view party: 'nobody' names nothing"),
    (["--to", "kumu", "-v", "bogus"], "--view 'bogus': choose"),
])
def test_export_command_refuses_in_one_line(tmp_path, args, message):
    out = tmp_path / "x"
    result = runner.invoke(app, ["export", *args, "-m", str(NORTHMOOR), "-o", str(out)])
    assert result.exit_code == 2 and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and not out.exists()


# --- rendered by the real libraries, offline, in Chromium ----------------------------------------

try:
    from browser import Browser
except ImportError:
    from tests.browser import Browser

MERMAID_RENDER = """async (text) => {
  mermaid.initialize({startOnLoad: false, securityLevel: "strict"});
  try { await mermaid.parse(text); } catch (e) { return {error: String(e.message || e)}; }
  const out = await mermaid.render("graph", text);
  document.getElementById("out").innerHTML = out.svg;
  const root = document.querySelector("#out svg");
  return {nodes: root.querySelectorAll("g.node").length,
          edges: root.querySelectorAll("path.flowchart-link").length,
          text: root.textContent, width: root.getBoundingClientRect().width,
          markup: document.querySelectorAll("#out img, #out script, #out b, #out i").length};
}"""
CYTOSCAPE_LOAD = """(json) => {
  const cy = cytoscape({container: document.getElementById("out"), elements: json.elements,
                        style: json.style, layout: {name: "preset"}});
  const red = cy.edges('[status = "absent"]').map(e => e.style("line-color"));
  return {nodes: cy.nodes().length, edges: cy.edges().length, red: red,
          shapes: cy.nodes('[kind = "organisation"]').map(n => n.style("shape"))};
}"""


def library_page(tmp_path: Path, script: str) -> Path:
    """A blank page that loads one library from tests/js/node_modules, by file URL."""
    lib = JS / script
    if not lib.exists():
        pytest.fail(f"{lib} is missing: run scripts/install-js")
    page = tmp_path / "lib.html"
    page.write_text(f'<!doctype html><html><head><meta charset="utf-8"><script src="'
                    f'{lib.as_uri()}"></script></head><body><div id="out" style="width:1200px;'
                    f'height:800px"></div></body></html>', encoding="utf-8")
    return page


@pytest.fixture(scope="module")
def browser():
    with Browser(block_network=True, viewport=(1400, 900), timeout=60) as b:
        yield b


def render_mermaid(browser, tmp_path, text: str) -> dict:
    with browser.open(library_page(tmp_path, "mermaid/dist/mermaid.min.js")) as report:
        dialogs: list[str] = []
        report.page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        got = report.evaluate(MERMAID_RENDER, text)
        assert report.errors == [] and report.network_requests == [] and dialogs == []
        report.screenshot(ROOT / "artifacts" / "exports" / f"{tmp_path.name}.png",
                          full_page=True)
    return got


@pytest.mark.browser
@pytest.mark.parametrize("name,target", NORTHMOOR_VIEWS)
def test_mermaid_renders_every_northmoor_view(browser, northmoor_graph, tmp_path, name, target):
    view = northmoor_view(northmoor_graph, name, target)
    got = render_mermaid(browser, tmp_path, export.to_mermaid(view))
    assert "error" not in got, got.get("error")
    assert (got["nodes"], got["edges"]) == (len(view.nodes), len(view.edges))
    assert all(n.name in got["text"] for n in view.nodes)


@pytest.mark.browser
def test_mermaid_renders_sefton_views(browser, sefton_graph, tmp_path):
    for name in ("system", "gaps", "commissioning"):
        view = views.build_view(sefton_graph, name)
        got = render_mermaid(browser, tmp_path, export.to_mermaid(view))
        assert "error" not in got, (name, got.get("error"))
        assert (got["nodes"], got["edges"]) == (len(view.nodes), len(view.edges)), name


@pytest.mark.browser
def test_mermaid_keeps_hostile_text_as_text(browser, area_copy, tmp_path):
    G = build_graph(load_area(hostile_area(area_copy)))
    view = views.build_view(G, "system")
    got = render_mermaid(browser, tmp_path, export.to_mermaid(view))
    assert "error" not in got, got.get("error")
    assert got["markup"] == 0
    assert HOSTILE_NAME in got["text"]  # labels keep their text, markup and all
    # The title is front matter, which Mermaid's sanitiser strips of tags: no markup either.
    assert got["text"].endswith("moor: system map") and "North" in got["text"]


@pytest.mark.browser
def test_cytoscape_js_loads_the_export(browser, northmoor_graph, tmp_path):
    view = northmoor_view(northmoor_graph, "gaps")
    with browser.open(library_page(tmp_path, "cytoscape/dist/cytoscape.min.js")) as report:
        got = report.evaluate(CYTOSCAPE_LOAD, json.loads(export.to_cytoscape(view)))
        report.assert_clean()
    assert (got["nodes"], got["edges"]) == (len(view.nodes), len(view.edges))
    red = vocab.RED.lstrip("#")
    assert got["red"] and all(c == "rgb({},{},{})".format(*(int(red[i:i + 2], 16)
                                                           for i in (0, 2, 4)))
                              for c in got["red"])
    assert set(got["shapes"]) == {"round-rectangle"}


@pytest.mark.browser
def test_mermaid_picture_for_the_readme(browser, sefton_graph, tmp_path):
    """Sefton's MASH as Mermaid draws it; with GRAPHMODEL_DOCS_SCREENSHOTS=1, for the README."""
    import os
    mash = next(n for n, d in sefton_graph.nodes(data=True)
                if "MASH" in d.get("aliases", []) and d["kind"] in vocab.PARTY_KINDS)
    view = views.build_view(sefton_graph, "party", mash)
    with browser.open(library_page(tmp_path, "mermaid/dist/mermaid.min.js")) as report:
        got = report.evaluate(MERMAID_RENDER, export.to_mermaid(view))
        assert "error" not in got and got["edges"] == len(view.edges)
        report.assert_clean()
        shot = report.page.locator("#out svg")
        shot.screenshot(path=str(ROOT / "artifacts" / "exports" / "sefton-mash-mermaid.png"))
        if os.environ.get("GRAPHMODEL_DOCS_SCREENSHOTS") == "1":
            shot.screenshot(path=str(ROOT / "docs" / "mermaid-mash.png"))
