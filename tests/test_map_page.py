"""The map page as a person uses it, in headless Chromium: focus, filters, labels, downloads.

Northmoor's counts are hand-stated (tests/fixtures/areas/northmoor); on
Sefton only properties are asserted (labels never overlap, the commissioning
view is legible). Screenshots go to artifacts/maps/; with
GRAPHMODEL_DOCS_SCREENSHOTS=1 the focused Sefton map and the commissioning
view also go to docs/ for the README.
"""

from __future__ import annotations

import base64
import os
import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from test_htmlmap import ARTIFACTS, DOCS, HOSTILE_NAME, NODE_ON_SCREEN, hostile_area, open_map
from test_views import INFERRED_REASON, infer_sender

from graphmodel import vocab
from graphmodel.model.load import load_area
from graphmodel.questions.graph import build_graph
from graphmodel.views import build as views
from graphmodel.views import html_map as htmlmap

try:
    from browser import Browser
except ImportError:
    from tests.browser import Browser

pytestmark = pytest.mark.browser
SVG = "{http://www.w3.org/2000/svg}"
VISIBLE = "() => graphmap.visible()"
# Northmoor's system map, counted by hand: GP practices' neighbours are the council's
# children's social care, health visiting and school nursing (flows in and out).
GP_NEIGHBOURS = ["gp-practices", "health-visiting", "northmoor-csc", "school-nursing"]


@pytest.fixture(scope="module")
def browser():
    with Browser(block_network=True, viewport=(1600, 1000), timeout=60) as b:
        yield b


def write_map(tmp_path: Path, G, name="system", target=None) -> Path:
    page = tmp_path / htmlmap.map_filename(G, name, target)
    page.write_text(htmlmap.render_map(G, name, target), encoding="utf-8")
    return page


def click_node(report, node: str) -> None:
    point = report.evaluate(NODE_ON_SCREEN, node)
    report.page.mouse.click(point["x"], point["y"])


# --- focus on a party ----------------------------------------------------------------------------

def test_clicking_a_party_focuses_it_and_lists_its_problems(browser, northmoor_graph, tmp_path):
    with open_map(browser, write_map(tmp_path, northmoor_graph)) as report:
        click_node(report, "gp-practices")
        assert sorted(report.evaluate("() => graphmap.highlighted")) == GP_NEIGHBOURS
        dimmed = report.evaluate("""() => graphmap.nodes.get().filter(n => n.opacity < 1)
                                       .map(n => n.id).sort()""")
        assert len(dimmed) == 13 - len(GP_NEIGHBOURS) and "gp-practices" not in dimmed
        assert report.text("#details").startswith("Northmoor GP practices")
        items = report.page.locator("#problems button").all_inner_texts()
        assert len(items) == 2
        assert items[0].startswith("CRITICAL") and "broken loop" in items[0]
        assert items[1].startswith("HIGH") and "School nurses do not share records" in items[1]
        report.page.locator("#problems button").nth(0).click()  # select it on the map
        selected = report.evaluate("() => graphmap.network.getSelectedEdges()")
        assert sorted(selected) == ["csc-outcome-to-gp", "gp-referral"]
        assert sorted(report.evaluate("() => graphmap.highlighted")) == [
            "gp-practices", "northmoor-csc"]
        assert "Northmoor children's social care → Northmoor GP practices" in \
            report.text("#details")
        pressed = report.page.locator("#problems button[aria-pressed=true]").all_inner_texts()
        assert len(pressed) == 1 and pressed[0].startswith("CRITICAL")
        report.page.mouse.click(30, 200)  # empty space: everything back
        assert report.evaluate("() => graphmap.highlighted") is None
        report.assert_clean()


def test_an_organisation_lists_the_problems_of_its_services(browser, northmoor_graph, tmp_path):
    with open_map(browser, write_map(tmp_path, northmoor_graph)) as report:
        report.evaluate("() => graphmap.focusParty('westshire-dale')")
        items = report.page.locator("#problems button").all_inner_texts()
        assert [i.split("\n")[0][:4] for i in items] == ["HIGH", "HIGH"]
        assert any("School nurses are not told" in i for i in items)
        report.evaluate("() => graphmap.focusParty('northmoor-ed')")  # its loop works
        assert report.text("#problems") == "No gaps or broken loops on this map"


# --- filters -------------------------------------------------------------------------------------

def test_filters_by_status_kind_and_broken_loops(browser, northmoor_graph, tmp_path):
    with open_map(browser, write_map(tmp_path, northmoor_graph)) as report:
        assert len(report.evaluate(VISIBLE)["edges"]) == 23
        report.page.locator("input[name=status][value=working]").uncheck()
        shown = report.evaluate(VISIBLE)
        assert len(shown["edges"]) == 23 - 5  # Northmoor has 5 working flows
        assert "gp-referral" not in shown["edges"] and "csc-outcome-to-gp" in shown["edges"]
        report.page.locator("input[name=status][value=working]").check()
        report.page.locator("#loops-only").check()
        shown = report.evaluate(VISIBLE)
        assert sorted(shown["edges"]) == ["camhs-response-mash", "csc-outcome-to-gp",
                                          "gp-referral", "mash-request-camhs"]
        assert sorted(shown["nodes"]) == ["camhs", "gp-practices", "mash", "northmoor-csc"]
        report.page.locator("#loops-only").uncheck()
        report.page.locator("input[name=kind][value=service]").uncheck()
        shown = report.evaluate(VISIBLE)
        assert len(shown["nodes"]) == 13 - 4
        assert "hv-gp-information" not in shown["edges"]  # its sender is hidden
        drawn = report.evaluate("() => graphmap.network.body.nodeIndices.filter("
                                "id => graphmap.network.body.nodes[id].options.hidden !== true)"
                                ".length")
        assert drawn == 9
        report.screenshot(ARTIFACTS / "northmoor-filtered.png")
        report.assert_clean()


# --- labels --------------------------------------------------------------------------------------

EMIT = "([event, id]) => { graphmap.network.body.emitter.emit(event, {edge: id}); }"
OVERLAPS = """() => { const b = graphmap.labelBoxes(); let n = 0;
  for (let i = 0; i < b.length; i++) for (let j = i + 1; j < b.length; j++)
    if (b[i].left < b[j].right && b[j].left < b[i].right && b[i].top < b[j].bottom
        && b[j].top < b[i].bottom) n++;
  return {labels: b.length, overlaps: n}; }"""


def test_sefton_edge_labels_never_collide_and_show_on_hover(browser, sefton_graph, tmp_path):
    with open_map(browser, write_map(tmp_path, sefton_graph)) as report:
        got = report.evaluate(OVERLAPS)
        assert got["labels"] >= 1 and got["overlaps"] == 0
        hidden = report.evaluate("""() => graphmap.edges.get().filter(e => e.label === " ")
                                    .map(e => e.id)""")
        loops = sum(p.kind == "broken_loop" for p in views.build_view(sefton_graph,
                                                                       "system").problems)
        assert got["labels"] + len(hidden) >= loops  # every broken loop has its mark somewhere
        if hidden:  # a hidden label shows while the pointer is on its edge
            edge = hidden[0]
            report.evaluate(EMIT, ["hoverEdge", edge])
            assert report.evaluate("(id) => graphmap.edges.get(id).label", edge).startswith("⟲")
            report.evaluate(EMIT, ["blurEdge", edge])
            assert report.evaluate("(id) => graphmap.edges.get(id).label", edge) == " "
        report.assert_clean()


# --- the commissioning view ----------------------------------------------------------------------

def test_sefton_commissioning_uses_the_page(browser, sefton_graph, tmp_path):
    with open_map(browser, write_map(tmp_path, sefton_graph, "commissioning")) as report:
        scale = report.evaluate("() => graphmap.network.getScale()")
        assert scale >= 0.8  # was 0.45: labels about 6 px
        box = report.evaluate("""() => { const ids = graphmap.nodes.getIds();
            const p = graphmap.network.getPositions(ids), net = graphmap.network;
            const xs = ids.map(i => net.canvasToDOM(p[i]).x);
            return {span: Math.max(...xs) - Math.min(...xs),
                    width: document.getElementById('map').clientWidth}; }""")
        assert box["span"] > 0.6 * box["width"]
        legend = report.page.locator("#legend-links li").all_inner_texts()
        for edge in ("commissions", "provides", "subcontracts"):
            assert any(vocab.EDGE_TYPES[edge].words in item for item in legend), edge
        colours = report.evaluate("""() => Array.from(document.querySelectorAll(
            '#legend-links line')).map(l => l.getAttribute('stroke'))""")
        assert len(set(colours)) == len(colours)  # each told apart
        report.screenshot(ARTIFACTS / "sefton-commissioning-columns.png")
        if os.environ.get("GRAPHMODEL_DOCS_SCREENSHOTS") == "1":
            report.screenshot(DOCS / "commissioning-map.png")
        report.assert_clean()


# --- inferred parties ----------------------------------------------------------------------------

def test_inferred_parties_show_as_such(browser, area_copy, tmp_path):
    G = infer_sender(area_copy)
    with open_map(browser, write_map(tmp_path, G, "gaps")) as report:
        edge = report.evaluate("() => graphmap.edges.get('missing-education-notice')")
        assert edge["inferred"] is True and edge["arrows"]["middle"]["type"] == "circle"
        tip = report.evaluate("() => graphmap.edges.get('missing-education-notice')"
                              ".title.textContent")
        assert "Inferred" in tip and INFERRED_REASON in tip
        council = report.evaluate("() => graphmap.nodes.get('northmoor-council')")
        assert council["shapeProperties"]["borderDashes"]
        assert any("modeller's inference" in t for t in
                   report.page.locator("#legend-flows li").all_inner_texts())
        report.assert_clean()


# --- downloads -----------------------------------------------------------------------------------

def download(report, button: str, folder: Path) -> Path:
    with report.page.expect_download() as info:
        report.click(button)
    path = folder / info.value.suggested_filename
    info.value.save_as(path)
    return path


DECODE_PNG = """async (url) => { const img = new Image(); img.src = url; await img.decode();
  const c = document.createElement('canvas'); c.width = img.width; c.height = img.height;
  const ctx = c.getContext('2d'); ctx.drawImage(img, 0, 0);
  const px = ctx.getImageData(0, 0, c.width, c.height).data; let ink = 0;
  for (let i = 0; i < px.length; i += 4) if (px[i] + px[i + 1] + px[i + 2] < 600) ink++;
  return {width: img.width, height: img.height, ink: ink}; }"""


def test_png_and_svg_downloads_are_real_pictures(browser, northmoor_graph, tmp_path):
    with open_map(browser, write_map(tmp_path, northmoor_graph)) as report:
        png = download(report, "#download-png", tmp_path)
        assert png.name == "northmoor-system.png"
        data = png.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
        width, height = struct.unpack(">II", data[16:24])
        canvas = report.evaluate("() => { const c = document.querySelector('#map canvas');"
                                 " return [c.width, c.height]; }")
        assert [width, height] == canvas
        svg = download(report, "#download-svg", tmp_path)
        assert svg.name == "northmoor-system.svg"
        shown = report.evaluate(VISIBLE)
        report.assert_clean()
    root = ET.parse(svg).getroot()
    assert root.tag == f"{SVG}svg"
    assert len(root.findall(f".//{SVG}g[@data-node]")) == len(shown["nodes"]) == 13
    assert len(root.findall(f".//{SVG}path[@data-edge]")) == len(shown["edges"]) == 23
    text = "".join(root.itertext())
    assert "Northmoor GP practices" in text and "Northmoor: system map" in text
    flows = {e.id for e in views.build_view(northmoor_graph, "system").edges
             if e.kind in ("flow", "missing")}
    labels = root.findall(f".//{SVG}g[@class='labels']/{SVG}text")
    assert {t.get("data-edge") for t in labels} == flows  # no bare arrow
    assert all(" · " in (t.text or "") for t in labels)
    groups = {g.get("data-group") for g in root.findall(f".//{SVG}g[@data-group]")}
    assert groups == {"westshire-dale", "northmoor-council", "brightpath"}
    with browser.open("about:blank") as report:  # both open as pictures, with something drawn
        got = report.evaluate(DECODE_PNG, data_url(png, "image/png"))
        assert (got["width"], got["height"]) == (width, height) and got["ink"] > 5000
        got = report.evaluate(DECODE_PNG, data_url(svg, "image/svg+xml"))
        assert got["width"] > 300 and got["ink"] > 5000


def data_url(path: Path, mime: str) -> str:
    """A file as a data: URL (a file: image would taint the canvas that reads its pixels)."""
    return f"data:{mime};base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def test_svg_download_keeps_hostile_text_as_text(browser, area_copy, tmp_path):
    G = build_graph(load_area(hostile_area(area_copy)))
    with open_map(browser, write_map(tmp_path, G)) as report:
        svg = download(report, "#download-svg", tmp_path)
    root = ET.parse(svg).getroot()
    tags = {el.tag.split("}")[-1] for el in root.iter()}
    assert not tags & {"script", "img", "image", "foreignObject", "a"}
    assert HOSTILE_NAME.split(" ")[0] in "".join(root.itertext())


LABEL_INK = """async ([png, screen, labels]) => {
  const pixels = async (url) => { const img = new Image(); img.src = url; await img.decode();
    const c = document.createElement('canvas'); c.width = img.width; c.height = img.height;
    const ctx = c.getContext('2d'); ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, c.width, c.height);
    ctx.drawImage(img, 0, 0); return ctx; };
  const a = await pixels(png), b = await pixels(screen);
  return labels.map(l => { const x = a.getImageData(l.x - 20, l.y - 9, 40, 9).data,
    y = b.getImageData(l.x - 20, l.y - 9, 40, 9).data; let changed = 0;
    for (let i = 0; i < x.length; i += 4)
      if (Math.abs(x[i] - y[i]) + Math.abs(x[i + 1] - y[i + 1]) + Math.abs(x[i + 2] - y[i + 2]) > 90) changed++;
    return changed; }); }"""
WHERE = """() => { const r = window.devicePixelRatio || 1;
  return graphmap.downloadLabels().map(l => { const p = graphmap.network.canvasToDOM(l);
    return {text: l.text, x: p.x * r, y: p.y * r}; }); }"""


def test_png_download_labels_every_arrow(browser, northmoor_graph, tmp_path):
    """The PNG carries each flow's short label: ink where each label goes."""
    with open_map(browser, write_map(tmp_path, northmoor_graph)) as report:
        png = download(report, "#download-png", tmp_path)
        labels = report.evaluate(WHERE)
        screen = report.evaluate("() => document.querySelector('#map canvas').toDataURL()")
        report.assert_clean()
    texts = {lab["text"] for lab in labels}
    assert "referral · working" in texts and "⟲ outcome · absent" in texts
    with browser.open("about:blank") as report:
        ink = report.evaluate(LABEL_INK, [data_url(png, "image/png"), screen, labels])
    assert len(ink) == len(labels) and min(ink) > 20, ink  # each label drawn where it goes


# --- finding a party ---------------------------------------------------------------------------

def test_search_ranks_exact_then_abbreviations_then_words_then_anywhere(browser, sefton_graph,
                                                                         tmp_path):
    with open_map(browser, write_map(tmp_path, sefton_graph)) as report:
        names = report.evaluate("(q) => graphmap.matches(q).map(n => n.id)", "ED")
        assert set(names[:3]) == {"alder-hey-ed", "ormskirk-childrens-ed", "southport-adult-ed"}
        assert not any("need" in n for n in names[:3])
        assert report.evaluate("(q) => graphmap.matches(q)[0].id", "MASH") == "mash"
        first = report.evaluate("(q) => graphmap.find(q)", "ED")
        assert report.text("#search-result").startswith("Found: ") and "1 of" in \
            report.text("#search-result")
        second = report.evaluate("(q) => graphmap.find(q)", "ED")  # Find again: the next
        assert first == names[0] and second == names[1]
        assert report.evaluate("(q) => graphmap.find(q)", "zzqx") is None
        assert report.text("#search-result").startswith("No party matches")
        report.assert_clean()


def test_sefton_system_map_draws_each_organisation_as_a_block(browser, sefton_graph, tmp_path):
    with open_map(browser, write_map(tmp_path, sefton_graph)) as report:
        boxes = report.evaluate("() => graphmap.groupBoxes()")
        names = {b["name"] for b in boxes}
        assert {"Sefton Council", "Alder Hey Children’s NHS Foundation Trust"} <= names
        for i, a in enumerate(boxes):  # blocks never overlap on the page
            for b in boxes[i + 1:]:
                assert (a["right"] < b["left"] or b["right"] < a["left"]
                        or a["bottom"] < b["top"] or b["bottom"] < a["top"]), (a["name"], b["name"])
        report.screenshot(ARTIFACTS / "sefton-system.png")  # docs/: test_htmlmap's
        report.assert_clean()


# --- screenshots for the README ------------------------------------------------------------------

def test_focused_sefton_map_for_the_readme(browser, sefton_graph, tmp_path):
    """The MASH clicked on Sefton's system map: its neighbours, and its problems listed."""
    mash = next(n for n, d in sefton_graph.nodes(data=True)
                if "MASH" in d.get("aliases", []) and d["kind"] in vocab.PARTY_KINDS)
    with open_map(browser, write_map(tmp_path, sefton_graph)) as report:
        report.evaluate("(id) => graphmap.focusParty(id)", mash)
        items = report.page.locator("#problems button").all_inner_texts()
        ranks = [int(i.split("#", 1)[1].split()[0]) for i in items]
        assert items and ranks == sorted(ranks)  # in the order of graphmodel gaps
        report.screenshot(ARTIFACTS / "sefton-system-mash.png")
        if os.environ.get("GRAPHMODEL_DOCS_SCREENSHOTS") == "1":
            report.screenshot(DOCS / "focus-map.png")
        report.assert_clean()
