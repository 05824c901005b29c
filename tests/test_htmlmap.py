"""The interactive map: ``graphmodel.views.html_map`` and ``graphmodel map``.

Plain tests check what each view draws (worked out again here from the graph
and the queries, and hard-stated for Northmoor), that the page links nothing,
and the CLI. Tests marked ``browser`` open the pages in headless Chromium
(tests/browser.py): no console errors, no network, the right numbers of nodes
and edges, a search that finds a party, a layout that settles and stays still,
and hostile model text that stays text. Screenshots go to artifacts/maps/;
with GRAPHMODEL_DOCS_SCREENSHOTS=1 the Sefton system and gaps maps are also
saved to docs/ for the README.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graphmodel.cli import app
from graphmodel.model.load import load_area
from graphmodel.questions import gaps as gaps_q
from graphmodel.questions.graph import build_graph, nodes_of
from graphmodel.views import build as views
from graphmodel.views import html_map as htmlmap
from graphmodel.vocab import party_kinds

from conftest import NORTHMOOR, ROOT

PARTY_KINDS = party_kinds()

ARTIFACTS = ROOT / "artifacts" / "maps"
DOCS = ROOT / "docs"
CONTRACTS = ("commissions", "provides", "subcontracts", "coordinates")

# view, target -> (nodes, edges), counted by hand from tests/fixtures/areas/northmoor.
NORTHMOOR_VIEWS = {
    # 13 parties; 9 flows + 14 links (4 provides, 4 commissions, 2 part_of, operates,
    # located_at, hosts, subcontracts)
    ("system", None): (13, 23),
    # two broken loops (4 flows) and two gaps, between 6 parties
    ("gaps", None): (6, 6),
    # 2 commissioners, 4 services, 2 providers; 4 commissions, 4 provides, 1 sub-contract
    ("commissioning", None): (8, 9),
    # itself, its 3 services and hospital, 3 flow partners, 2 commissioners, its
    # sub-contractor; 5 flows + 11 links (3 provides, 3 commissions, 2 part_of, operates,
    # located_at, subcontracts)
    ("party", "westshire-dale"): (11, 16),
    # the recommendation, 2 owners, finding 1.3, school nursing; owns x2, cites, the flow,
    # describes x2
    ("recommendation", "1.1"): (5, 6),
    # what the gaps view shows, drawn by the action plan's progress (none yet)
    ("progress", None): (6, 6),
}
# what to type in the search box, and the party it must find
NORTHMOOR_SEARCH = {"system": ("NCCG", "northmoor-ccg"), "gaps": ("MASH", "mash"),
                    "commissioning": ("brightpath", "brightpath"),
                    "party": ("GPs", "gp-practices"),
                    "recommendation": ("school nursing", "school-nursing"),
                    "progress": ("MASH", "mash")}
HOSTILE_NAME = ('Bright<script>alert("name")</script>path '
                '<img src=https://example.invalid/x.png onerror=alert("img")> href=x')
HOSTILE_ALIAS = "<b>bold</b> href=javascript:alert(3)"
HOSTILE_SUMMARY = ('</script><script>alert("summary")</script> '
                   '<img src=https://example.invalid/y.png onerror=alert(4)>')
HOSTILE_AREA = 'North<script>alert("area")</script>moor'

runner = CliRunner()


def drawn(G, view: str, target: str | None = None, large: int = htmlmap.LARGE_MAP):
    """(nodes, edges) as htmlmap sends them to the page."""
    return htmlmap.vis_data(views.build_view(G, view, target, large))


# view, target -> (nodes, edges) for the re-reviewed Sefton model, counted from its files:
SEFTON_VIEWS = {
    # 66 parties in the six party files; 128 flows in flows.yaml + 85 links their fields
    # make (23 commissions, 16 provides, 13 part_of, 10 uses, 8 hosts, 7 located_at,
    # 4 operates, 3 coordinates, 1 sub-contract)
    ("system", None): (66, 213),
    # `graphmodel gaps -f json`: 62 distinct flows on the legs of its gaps, between 33
    # parties (no loop lacks its return flow)
    ("gaps", None): (33, 62),
    # 26 commissioners, services and providers; 23 commissions + 16 provides +
    # 3 co-ordinates + 1 sub-contract
    ("commissioning", None): (26, 43),
    # Alder Hey, its units and partners: 26 flows in or out + 26 links
    ("party", "alder-hey"): (20, 52),
    # 1.2, its two owners and the finding that cites it (1.17); no flow: 1.17 is about
    # recognising need, not a referral route (tests/fixtures/double-coding/round1/decisions.md)
    ("recommendation", "1.2"): (4, 3),
}


def sefton_views(G) -> list[tuple[str, str | None]]:
    """Every view of Sefton that SEFTON_VIEWS counts."""
    return list(SEFTON_VIEWS)


def hostile_area(area: Path) -> Path:
    """Northmoor with markup in a name, an alias, a flow summary and the area's name."""
    def edit(name, old, new):
        path = area / name
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new), encoding="utf-8")

    quote = lambda s: "'" + s.replace("'", "''") + "'"  # noqa: E731 - YAML single-quoted
    edit("parties.yaml", "    name: Brightpath\n",
         f"    name: {quote(HOSTILE_NAME)}\n    aliases: [{quote(HOSTILE_ALIAS)}]\n")
    edit("flows.yaml", "summary: CAMHS answer MASH requests inconsistently.",
         f"summary: {quote(HOSTILE_SUMMARY)}")
    edit("area.yaml", "  name: Northmoor\n", f"  name: {quote(HOSTILE_AREA)}\n")
    return area


def drop_flow(area: Path, flow_id: str) -> Path:
    """Remove one flow from an area's flows.yaml."""
    path = area / "flows.yaml"
    head, *items = re.split(r"(?m)^(?=  - id: )", path.read_text(encoding="utf-8"))
    path.write_text(head + "".join(i for i in items if not i.startswith(f"  - id: {flow_id}\n")),
                    encoding="utf-8")
    return area


# --- what each view draws ------------------------------------------------------------

@pytest.mark.parametrize("view,target", list(NORTHMOOR_VIEWS))
def test_northmoor_views_draw_what_the_graph_holds(northmoor_graph, view, target):
    nodes, edges = drawn(northmoor_graph, view, target)
    assert (len(nodes), len(edges)) == NORTHMOOR_VIEWS[view, target]


def test_sefton_views_draw_what_the_graph_holds(sefton_graph):
    assert len(nodes_of(sefton_graph, "flow")) > 0, "data/sefton/flows.yaml has no flows yet"
    for view, target in sefton_views(sefton_graph):
        nodes, edges = drawn(sefton_graph, view, target)
        assert (len(nodes), len(edges)) == SEFTON_VIEWS[view, target], view


def test_flows_are_edges_styled_by_status_and_broken_loops_stand_out(northmoor_graph):
    _, edges = drawn(northmoor_graph, "system")
    by_id = {e["id"]: e for e in edges}
    referral, outcome = by_id["gp-referral"], by_id["csc-outcome-to-gp"]
    assert (referral["from"], referral["to"]) == ("gp-practices", "northmoor-csc")
    assert referral["color"]["color"] == htmlmap.GREEN and referral["dashes"] is False
    assert referral["width"] == outcome["width"] == 5  # both legs of the broken loop
    assert "label" not in referral and outcome["label"] == htmlmap.LOOP_MARK
    assert outcome["color"]["color"] == htmlmap.RED and outcome["dashes"]
    assert by_id["camhs-response-mash"]["color"]["color"] == htmlmap.AMBER
    assert not by_id["camhs-response-mash"]["dashes"]
    gap = by_id["missing-education-notice"]
    assert gap["color"]["color"] == htmlmap.RED and gap["dashes"] and "label" not in gap
    assert not any(e.get("kind") == "flow" and e["id"] in northmoor_graph and
                   northmoor_graph.nodes[e["from"]]["kind"] == "flow" for e in edges)


def test_flow_tooltip_has_passes_status_paragraphs_quotes_and_owners(northmoor_graph):
    _, edges = drawn(northmoor_graph, "gaps")
    tip = next(e["tip"] for e in edges if e["id"] == "missing-education-notice")
    rows = dict(tip["rows"])
    assert rows["Passes"] == "notification" and rows["Status"] == "absent"
    actions = gaps_q.flow_actions(northmoor_graph, ["missing-education-notice"])
    assert "1.1" in actions["recommendations"]
    assert rows["Recommendations"] == ", ".join(actions["recommendations"])
    assert rows["Owners"] == ", ".join(o["name"] for o in actions["owners"])
    assert "NHS Northmoor CCG" in rows["Owners"]
    assert tip["quotes"] == [["1.3", "School nurses do not receive notifications of children "
                                     "who go missing from education."]]


def test_a_return_that_never_comes_back_is_drawn(area_copy):
    G = build_graph(load_area(drop_flow(area_copy, "csc-outcome-to-gp")))
    _, edges = drawn(G, "gaps")
    missing = [e for e in edges if e["kind"] == "missing"]
    assert len(missing) == 1
    assert (missing[0]["from"], missing[0]["to"]) == ("northmoor-csc", "gp-practices")
    assert missing[0]["label"].startswith(htmlmap.LOOP_MARK) and missing[0]["width"] == 5


def test_large_maps_group_services_under_their_providers(northmoor_graph):
    nodes, edges = drawn(northmoor_graph, "system", large=5)
    ids = {n["id"] for n in nodes}
    assert not ids & {"health-visiting", "school-nursing", "camhs", "northmoor-ed"}
    assert len(nodes) == 13 - 4
    trust = next(n for n in nodes if n["id"] == "westshire-dale")
    assert trust["label"].endswith("(+3 services)") and "health visiting" in trust["search"]
    flow = next(e for e in edges if e["id"] == "hv-gp-information")
    assert (flow["from"], flow["to"]) == ("westshire-dale", "gp-practices")
    html = htmlmap.render_map(northmoor_graph, "system", large=5)
    assert "4 services are drawn inside their providers" in html


def test_commissioning_is_laid_out_in_columns(northmoor_graph):
    nodes, _ = drawn(northmoor_graph, "commissioning")
    x = {n["id"]: n["x"] for n in nodes}
    assert x["northmoor-ccg"] < x["camhs"] < x["brightpath"]  # buyers, services, providers
    view = views.build_view(northmoor_graph, "commissioning")
    assert htmlmap.vis_options(view, len(nodes))["physics"] == {"enabled": False}


# --- one offline file ----------------------------------------------------------------

def without_vis(html: str) -> str:
    """The page minus vis-network's own JS and CSS (which mention <img> and <script>)."""
    for asset in ("vis-network.min.js", "vis-network.css"):
        text = htmlmap._vis_asset(asset)
        assert html.count(text) == 1
        html = html.replace(text, "")
    return html


@pytest.mark.parametrize("view,target", list(NORTHMOOR_VIEWS))
def test_page_is_one_file_that_links_nothing(northmoor_graph, view, target):
    html = htmlmap.render_map(northmoor_graph, view, target)
    assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}/", without_vis(html), re.I)
    assert not re.search(r"""\b(src|href)\s*=\s*["']?\s*(https?:)?//""", html, re.I)
    assert "<link" not in html and not re.search(r"<script[^>]*\ssrc", html)
    assert "default-src 'none'" in html  # the browser may fetch nothing at all
    assert "vis-network" in html  # inlined
    assert without_vis(html).count("<script") == 3  # the data, vis-network, ours


def test_model_text_never_becomes_markup(area_copy):
    G = build_graph(load_area(hostile_area(area_copy)))
    html = without_vis(htmlmap.render_map(G, "system"))
    assert "<img" not in html and "<b>" not in html and '<script>alert("' not in html
    assert html.count("<script") == 3  # ours only: the hostile one stayed inside the JSON
    assert "\\u003cscript\\u003ealert" in html
    assert "North&lt;script&gt;" in html  # the title, escaped by the template


def test_importing_pyvis_does_not_import_ipython():
    code = ("import sys\nfrom graphmodel.views import html_map as htmlmap\nhtmlmap._pyvis_network()\n"
            "assert 'pyvis.network' in sys.modules\n"
            "print('IPython' in sys.modules)\n"
            "import IPython.display\nprint(hasattr(IPython.display, 'display'))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.split() == ["False", "True"], out.stderr[-500:]


def test_default_file_names(northmoor_graph):
    assert htmlmap.map_filename(northmoor_graph, "system") == "northmoor-system.html"
    assert htmlmap.map_filename(northmoor_graph, "party", "northmoor-csc") == \
        "northmoor-party-northmoor-csc.html"
    assert htmlmap.map_filename(northmoor_graph, "recommendation", "1.1") == \
        "northmoor-recommendation-1.1.html"


# --- the command ---------------------------------------------------------------------

def test_map_command_writes_the_default_file_and_prints_its_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["map", "--view", "org:NCCG", "--model", str(NORTHMOOR)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(tmp_path / "northmoor-party-northmoor-ccg.html")
    page = tmp_path / "northmoor-party-northmoor-ccg.html"
    assert page.read_text().startswith("<!doctype html>")


def test_map_command_writes_out(tmp_path):
    out = tmp_path / "maps" / "gaps.html"
    result = runner.invoke(app, ["map", "-v", "gaps", "-o", str(out), "-m", str(NORTHMOOR)])
    assert result.exit_code == 1 and not out.parent.exists()  # --out makes no folders
    assert result.stderr.startswith(f"error: {out}: cannot write: folder {out.parent} not found")
    out.parent.mkdir()
    result = runner.invoke(app, ["map", "-v", "gaps", "-o", str(out), "-m", str(NORTHMOOR)])
    assert result.exit_code == 0 and result.stdout.strip() == str(out)
    assert "Northmoor: gaps and broken loops" in out.read_text()
    assert [p.name for p in out.parent.iterdir()] == ["gaps.html"]  # no temporary left


@pytest.mark.parametrize("view,message", [
    ("bogus", "--view 'bogus': choose system, gaps, commissioning, progress, compare, "
              "party:NAME or recommendation:ID"),
    ("org", "--view 'org': choose"),
    ("system:x", "--view 'system:x': choose"),
    ("org:nobody", "--view org: 'nobody' names nothing in Northmoor"),
    ("party:nobody", "--view party: 'nobody' names nothing in Northmoor"),
    ("recommendation:9.9", "no recommendation 9.9 in this report"),
])
def test_map_command_refuses_bad_views_in_one_line(tmp_path, view, message):
    result = runner.invoke(app, ["map", "-v", view, "-m", str(NORTHMOOR),
                                 "-o", str(tmp_path / "x.html")])
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1 and message in result.stderr
    assert not (tmp_path / "x.html").exists()


# --- in a real browser -----------------------------------------------------------------

try:  # tests/ on sys.path (pytest's default rootdir-relative "prepend" import mode)
    from browser import Browser
except ImportError:  # tests/ is a package
    from tests.browser import Browser

SETTLED = "body[data-settled=yes]"
COUNTS = """() => ({nodes: graphmap.nodes.length, edges: graphmap.edges.length,
  drawnNodes: graphmap.network.body.nodeIndices.length,
  drawnEdges: graphmap.network.body.edgeIndices.length, settleMs: graphmap.settleMs})"""
NODE_ON_SCREEN = """(id) => { const net = graphmap.network;
  const p = net.canvasToDOM(net.getPositions([id])[id]);
  const box = document.getElementById('map').getBoundingClientRect();
  return {x: box.left + p.x, y: box.top + p.y}; }"""


@pytest.fixture(scope="module")
def browser():
    with Browser(block_network=True, viewport=(1600, 1000), timeout=60) as b:
        yield b


def open_map(browser, page: Path, timeout: float = 60):
    """Open a map page and wait until its layout has settled (physics off)."""
    report = browser.open(page)
    # The page's CSP forbids eval, which Playwright's wait_for_function needs:
    # wait for the attribute the page sets instead.
    report.page.wait_for_selector(SETTLED, state="attached", timeout=timeout * 1000)
    return report


def check_map(report, counts: tuple[int, int], search: tuple[str, str], shot: Path) -> dict:
    """The checks every view must pass in the browser; returns the page's figures."""
    report.assert_clean()
    got = report.evaluate(COUNTS)
    assert (got["nodes"], got["edges"]) == counts
    assert (got["drawnNodes"], got["drawnEdges"]) == counts
    before = report.evaluate("() => graphmap.network.getPositions()")
    report.wait(0.5)
    assert report.evaluate("() => graphmap.network.getPositions()") == before  # stays still
    report.screenshot(shot)
    query, party = search
    report.type_into("#search", query)
    report.press("#search", "Enter")
    assert report.evaluate("() => graphmap.network.getSelectedNodes()") == [party]
    assert report.text("#search-result").startswith("Found: ")
    assert report.text("#details").strip()
    report.assert_clean()
    return got


@pytest.mark.browser
@pytest.mark.parametrize("view,target", list(NORTHMOOR_VIEWS))
def test_northmoor_maps_in_browser(browser, northmoor_graph, tmp_path, view, target):
    name = htmlmap.map_filename(northmoor_graph, view, target)
    page = tmp_path / name
    page.write_text(htmlmap.render_map(northmoor_graph, view, target), encoding="utf-8")
    with open_map(browser, page) as report:
        check_map(report, NORTHMOOR_VIEWS[view, target], NORTHMOOR_SEARCH[view],
                  ARTIFACTS / name.replace(".html", ".png"))


@pytest.mark.browser
def test_sefton_maps_in_browser(browser, sefton_graph, tmp_path):
    G = sefton_graph
    for view, target in sefton_views(G):
        name = htmlmap.map_filename(G, view, target)
        page = tmp_path / name
        page.write_text(htmlmap.render_map(G, view, target), encoding="utf-8")
        party = next(n for n in (views.PICTURES[view](G, target).nodes)
                     if G.nodes[n]["kind"] in PARTY_KINDS)
        with open_map(browser, page) as report:
            got = check_map(report, SEFTON_VIEWS[view, target], (G.nodes[party]["name"], party),
                            ARTIFACTS / name.replace(".html", ".png"))
        assert got["settleMs"] < 5000, (view, got)
        print(f"{name}: {page.stat().st_size / 1e6:.2f} MB, {got['nodes']} nodes, "
              f"{got['edges']} edges, settled in {got['settleMs']} ms")
        if view in ("system", "gaps") and os.environ.get("GRAPHMODEL_DOCS_SCREENSHOTS") == "1":
            with open_map(browser, page) as report:
                report.screenshot(DOCS / f"{view}-map.png")


@pytest.mark.browser
def test_hostile_text_stays_text_in_browser(browser, area_copy, tmp_path):
    G = build_graph(load_area(hostile_area(area_copy)))
    page = tmp_path / "hostile.html"
    page.write_text(htmlmap.render_map(G, "system"), encoding="utf-8")
    report = browser.open("about:blank")
    dialogs: list[str] = []
    report.page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    report.page.goto(page.as_uri())
    report.page.wait_for_selector(SETTLED, state="attached")
    assert report.text("#title") == HOSTILE_AREA + ": system map"
    point = report.evaluate(NODE_ON_SCREEN, "brightpath")
    report.page.mouse.move(point["x"] - 3, point["y"] - 3)
    report.page.mouse.move(point["x"], point["y"])
    report.page.wait_for_selector("div.vis-tooltip", state="visible")
    tooltip = report.text("div.vis-tooltip")
    assert HOSTILE_NAME in tooltip and HOSTILE_ALIAS in tooltip
    report.page.mouse.click(point["x"], point["y"])
    assert HOSTILE_NAME in report.text("#details")
    report.type_into("#search", "bold")  # the hostile alias is searchable, as text
    report.press("#search", "Enter")
    assert report.text("#search-result") == "Found: " + HOSTILE_NAME
    summary = report.evaluate("() => graphmap.edges.get('camhs-response-mash').title.textContent")
    assert HOSTILE_SUMMARY in summary
    report.evaluate("() => graphmap.focusParty('camhs')")  # its problems, listed as text
    assert HOSTILE_SUMMARY in report.text("#problems")
    report.wait(0.3)
    assert dialogs == []
    assert report.evaluate("() => document.querySelectorAll('img, b, script[src]').length") == 0
    assert report.network_requests == [] and report.errors == []
    report.screenshot(ARTIFACTS / "hostile.png")


@pytest.mark.browser
def test_an_empty_view_settles_and_says_so(browser, area_copy, tmp_path):
    flows = area_copy / "flows.yaml"
    flows.write_text(re.sub(r"status: \w+", "status: working", flows.read_text()))
    G = build_graph(load_area(area_copy))
    assert gaps_q.gaps(G) == []
    page = tmp_path / "no-gaps.html"
    page.write_text(htmlmap.render_map(G, "gaps"), encoding="utf-8")
    with open_map(browser, page) as report:
        report.assert_clean()
        assert report.evaluate(COUNTS)["nodes"] == 0
        assert report.text("#details") == "Nothing to show in this view."
        assert report.text("#stats") == "0 parties · 0 links"


# --- large models ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def sefton_x10(tmp_path_factory):
    """Ten copies of Sefton (tests/synthetic.py), as a graph."""
    from synthetic import synthetic_model
    folder = synthetic_model(10, tmp_path_factory.mktemp("sefton-x10"))
    return build_graph(load_area(folder))


@pytest.mark.browser
def test_ten_times_sefton_groups_services_and_settles(browser, sefton_x10, tmp_path):
    G = sefton_x10
    parties = [n for n, k in G.nodes(data="kind") if k in PARTY_KINDS]
    services = [n for n in parties if G.nodes[n]["kind"] == "service"]
    assert len(parties) > htmlmap.LARGE_MAP
    page = tmp_path / "sefton-x10-system.html"
    page.write_text(htmlmap.render_map(G, "system"), encoding="utf-8")
    with open_map(browser, page, timeout=120) as report:
        report.assert_clean()
        assert f"{len(services)} services are drawn inside their providers" in report.text("#notes")
        got = report.evaluate(COUNTS)
        assert got["nodes"] == len(parties) - len(services)
        assert got["edges"] >= len(nodes_of(G, "flow"))
        report.screenshot(ARTIFACTS / "sefton-x10-system.png")
    print(f"x10: {page.stat().st_size / 1e6:.2f} MB, {got['nodes']} nodes, {got['edges']} edges, "
          f"settled in {got['settleMs']} ms")
    assert got["settleMs"] < 10_000
