"""A view of the graph -> the files of the tools people already use.

Why: partnerships draw their systems in Kumu, analysts use Gephi, yEd and
Cytoscape, and everyone writes Markdown that GitHub and wikis draw with
Mermaid; board papers start in Excel. Each format here translates the same
``views.View`` (so a flow, a broken loop and an inferred party mean the same
everywhere) with the same typed attributes.

Traps handled here:

- GraphML and GEXF need one type per attribute: lists become "; "-joined
  strings, a missing value the empty string, never None.
- A spreadsheet runs a cell that starts with =, +, -, @, a tab or a carriage
  return as a formula (CSV injection): such cells get a leading apostrophe,
  as OWASP recommends.
- Mermaid reads markup in labels: every character that could be syntax is
  written as an entity code (``#35;``), so model text stays text.
- XML 1.0 forbids most C0 controls and the Unicode non-characters, and
  networkx writes them raw or as character references (``&#65534;``) that
  parsers refuse just the same: every text GraphML and GEXF carry goes
  through ``text.xml_safe`` here, so every caller (the CLI, a notebook) gets
  a file parsers accept.
- Kumu ids must be unique across elements and connections: party, flow and
  link ids are, by construction of the graph.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Callable
from typing import TypeVar

import networkx as nx

from .. import vocab
from ..text import csv_safe, xml_safe
from .view import LINK_STYLES, NODE_STYLES, Edge, Node, View

Cell = TypeVar("Cell")  # a text, number, flag or None: only a text is changed

SEP = "; "


def node_attributes(node: Node) -> dict:
    """A node's typed attributes, the same in every format."""
    return {"label": node.name, "kind": node.kind, "type": node.type, "role": node.role,
            "aliases": SEP.join(node.aliases), "paragraphs": SEP.join(node.paragraphs),
            "recommendations": SEP.join(node.recommendations), "owners": SEP.join(node.owners),
            "severity": node.severity or "", "inferred_flows": node.inferred,
            "services_inside": SEP.join(node.inside_names), "focus": node.focus,
            "colour": node.style.fill, "shape": node.style.shape}


def edge_attributes(edge: Edge) -> dict:
    """An edge's typed attributes: a flow's status and evidence, or a link's type."""
    return {"label": edge_label(edge), "kind": edge.kind, "status": edge.status,
            "passes": edge.passes, "summary": edge.summary,
            "paragraphs": SEP.join(edge.paragraphs), "findings": SEP.join(edge.findings),
            "recommendations": SEP.join(edge.recommendations), "owners": SEP.join(edge.owners),
            "action": edge.action, "severity": edge.severity or "", "broken_loop": edge.loop,
            "inferred": edge.inferred or "", "inferred_ends": SEP.join(edge.inferred_ends),
            "signature": edge.signature, "colour": edge.colour}


def edge_label(edge: Edge) -> str:
    """What an edge says in a word or two: what passes, and the broken-loop mark.

    A compare view's signature says what fails to pass and in how many areas.
    """
    if edge.kind in ("flow", "signature"):
        words = vocab.PASSES[edge.passes].label if edge.passes in vocab.PASSES else "return"
        return f"{words} {edge.label}".strip() if edge.label else words
    if edge.kind == "missing":
        return edge.label
    return edge.words


# --- GraphML and GEXF, through networkx -----------------------------------------------------

def view_graph(view: View) -> nx.MultiDiGraph:
    """The view as a networkx graph with typed attributes (what GraphML and GEXF write).

    Every text is made XML-safe here, before the writer: networkx writes a
    non-character as a character reference (``&#65534;``), which no parser
    reads, so cleaning its output afterwards would be too late.
    """
    H: nx.MultiDiGraph = nx.MultiDiGraph(name=xml_safe(view.title))
    for n in view.nodes:
        H.add_node(xml_safe(n.id), **_xml_values(node_attributes(n)))
    for e in view.edges:
        H.add_edge(xml_safe(e.source), xml_safe(e.target), key=xml_safe(e.id),
                   **_xml_values(edge_attributes(e)))
    return H


def _xml_values(attributes: dict) -> dict:
    """Attributes whose text XML 1.0 accepts (``text.xml_safe``)."""
    return {k: xml_safe(v) if isinstance(v, str) else v for k, v in attributes.items()}


def to_graphml(view: View) -> str:
    """GraphML for yEd, Gephi and Cytoscape desktop."""
    return "\n".join(nx.generate_graphml(view_graph(view), prettyprint=True,
                                         named_key_ids=True)) + "\n"


def to_gexf(view: View) -> str:
    """GEXF for Gephi, with the map's colours, shapes and (where set) places."""
    H = view_graph(view)
    for n in view.nodes:
        nid = xml_safe(n.id)
        viz = {"color": _rgba(n.style.fill), "size": 12.0 if n.kind in NODE_STYLES else 8.0,
               "shape": GEXF_SHAPES.get(n.style.shape, "disc")}
        if n.id in view.positions:
            x, y = view.positions[n.id]
            viz["position"] = {"x": x, "y": -y, "z": 0.0}
        H.nodes[nid]["viz"] = viz
    for e in view.edges:
        ends = (xml_safe(e.source), xml_safe(e.target), xml_safe(e.id))
        H.edges[ends]["viz"] = {"color": _rgba(e.colour), "thickness": float(e.width)}
        H.edges[ends]["id"] = ends[2]
    return "\n".join(nx.generate_gexf(H, prettyprint=True)) + "\n"


GEXF_SHAPES = {"box": "square", "square": "square", "diamond": "diamond",
               "triangle": "triangle"}


def _rgba(colour: str) -> dict:
    value = colour.lstrip("#")
    return {"r": int(value[0:2], 16), "g": int(value[2:4], 16), "b": int(value[4:6], 16),
            "a": 1.0}


# --- Kumu -------------------------------------------------------------------------------------

def to_kumu(view: View) -> str:
    """A Kumu blueprint: ``elements`` and ``connections``, with custom fields.

    Kumu's documented shape: an element has label, type, description and tags
    (and any custom field as another key); a connection has from, to, type,
    direction and the same. Ids are used, so that two parties with one name
    stay two.
    """
    elements = [{"id": n.id, "label": n.name, "type": n.style.label,
                 "description": n.text or SEP.join(f"¶{p}: {q}" for p, q in n.quotes),
                 "tags": _node_tags(n), **_fields(node_attributes(n), NODE_FIELDS)}
                for n in view.nodes]
    connections = [{"id": e.id, "from": e.source, "to": e.target, "type": _kumu_type(e),
                    "direction": "directed", "label": edge_label(e),
                    "description": e.summary, "tags": _edge_tags(e),
                    **_fields(edge_attributes(e), EDGE_FIELDS)}
                   for e in view.edges]
    return json.dumps({"elements": elements, "connections": connections}, indent=2,
                      ensure_ascii=False) + "\n"


NODE_FIELDS = ("kind", "role", "aliases", "paragraphs", "recommendations", "owners", "severity",
               "inferred_flows", "services_inside")
EDGE_FIELDS = ("status", "passes", "paragraphs", "findings", "recommendations", "owners",
               "action", "severity", "broken_loop", "inferred", "inferred_ends", "signature")


def _fields(attributes: dict, names: tuple) -> dict:
    """Custom Kumu fields, named as people read them ("Inferred flows")."""
    return {name.replace("_", " ").capitalize(): attributes[name] for name in names
            if attributes[name] not in ("", None)}


def _kumu_type(edge: Edge) -> str:
    if edge.kind == "flow":
        return f"Flow: {vocab.PASSES[edge.passes].label}"
    if edge.kind == "missing":
        return "Missing return"
    if edge.kind == "signature":
        return "Fails across areas"
    return edge.words.capitalize()


def _node_tags(node: Node) -> list[str]:
    tags = [node.type.replace("_", " ")]
    if node.severity:
        tags.append(node.severity)
    if node.inferred:
        tags.append("inferred")
    return list(dict.fromkeys(tags))


def _edge_tags(edge: Edge) -> list[str]:
    tags = [edge.status] if edge.status else []
    if edge.severity:
        tags.append(edge.severity)
    if edge.loop:
        tags.append("broken loop")
    if edge.inferred_ends:
        tags.append("inferred")
    return tags


# --- Cytoscape.js ---------------------------------------------------------------------------------

CYTOSCAPE_SHAPES = {"box": "round-rectangle", "ellipse": "ellipse", "diamond": "diamond",
                    "hexagon": "hexagon", "triangle": "triangle", "square": "rectangle",
                    "star": "star"}


def to_cytoscape(view: View) -> str:
    """Cytoscape.js JSON (also imported by Cytoscape desktop): elements and a style."""
    nodes = []
    for n in view.nodes:
        item = {"data": {"id": n.id, "name": n.name, **node_attributes(n)}}
        if n.id in view.positions:
            x, y = view.positions[n.id]
            item["position"] = {"x": x, "y": y}
        nodes.append(item)
    edges = [{"data": {"id": e.id, "source": e.source, "target": e.target,
                       **edge_attributes(e)}} for e in view.edges]
    return json.dumps({"format_version": "1.0", "generated_by": "graphmodel",
                       "target_cytoscapejs_version": "~3",
                       "data": {"name": view.title},
                       "elements": {"nodes": nodes, "edges": edges},
                       "style": cytoscape_style()}, indent=2, ensure_ascii=False) + "\n"


def cytoscape_style() -> list[dict]:
    """The map's visual language as a Cytoscape.js stylesheet, from the vocabulary."""
    style = [{"selector": "node", "style": {"label": "data(label)", "font-size": 11,
                                            "text-wrap": "wrap", "text-max-width": 140,
                                            "text-valign": "bottom", "border-width": 1.5}},
             {"selector": "edge", "style": {"curve-style": "bezier", "width": 1.2,
                                            "target-arrow-shape": "triangle",
                                            "line-color": vocab.GREY,
                                            "target-arrow-color": vocab.GREY}}]
    for kind, node in NODE_STYLES.items():
        style.append({"selector": f'node[kind = "{kind}"]',
                      "style": {"shape": CYTOSCAPE_SHAPES.get(node.shape, "ellipse"),
                                "background-color": node.fill, "border-color": node.border}})
    for kind, link in LINK_STYLES.items():
        style.append({"selector": f'edge[kind = "{kind}"]',
                      "style": {"line-color": link.colour, "target-arrow-color": link.colour,
                                "target-arrow-shape": "triangle" if link.arrow else "none",
                                "line-style": "dashed" if link.dashes else "solid"}})
    for name, status in vocab.STATUSES.items():
        style.append({"selector": f'edge[status = "{name}"]',
                      "style": {"line-color": status.colour,
                                "target-arrow-color": status.colour,
                                "width": 2.5 if name in vocab.failing() else 1.8,
                                "line-style": "dashed" if status.dashes else "solid"}})
    style += [{"selector": "edge[?broken_loop]", "style": {"width": 5}},
              {"selector": 'edge[inferred != ""]', "style": {"source-arrow-shape": "circle"}},
              {"selector": "node[inferred_flows > 0]", "style": {"border-style": "dashed"}}]
    return style


# --- Mermaid --------------------------------------------------------------------------------------

MERMAID_SHAPES = {"box": ('["', '"]'), "ellipse": ('(["', '"])'), "diamond": ('{"', '"}'),
                  "hexagon": ('{{"', '"}}'), "triangle": ('[/"', '"\\]'),
                  "square": ('["', '"]'), "star": ('>"', '"]')}
SAFE = re.compile(r"[A-Za-z0-9 ,.'()/:?!_\-]")


def mermaid_text(text: str) -> str:
    """Model text as Mermaid label text: anything that could be syntax becomes ``#NN;``."""
    return "".join(ch if SAFE.fullmatch(ch) else f"#{ord(ch)};"
                   for ch in " ".join(text.split()))


def _readable_on(fill: str) -> str:
    """Black or white, whichever reads on the fill."""
    c = _rgba(fill)
    return "#1b1b1b" if 0.299 * c["r"] + 0.587 * c["g"] + 0.114 * c["b"] > 140 else "#ffffff"


def to_mermaid(view: View) -> str:
    """A Mermaid flowchart: parties shaped and coloured by kind, flows by status."""
    ids = {n.id: f"n{i}" for i, n in enumerate(view.nodes)}
    # The title is YAML front matter: a JSON string is a YAML double-quoted scalar.
    title = json.dumps(" ".join(view.title.split()), ensure_ascii=True)
    lines = ["---", f"title: {title}", "---", "flowchart LR"]
    for kind, s in NODE_STYLES.items():  # Mermaid writes every label inside its shape
        font = s.font if s.shape in ("box", "ellipse") else _readable_on(s.fill)
        lines.append(f"  classDef {kind} fill:{s.fill},stroke:{s.border},color:{font}")
    lines.append("  classDef inferred stroke-dasharray:5 3,stroke-width:2.5px")
    for n in view.nodes:
        left, right = MERMAID_SHAPES.get(n.style.shape, ('["', '"]'))
        classes = n.kind + (",inferred" if n.dashed else "")
        lines.append(f"  {ids[n.id]}{left}{mermaid_text(n.name)}{right}:::{classes}")
    for i, e in enumerate(view.edges):
        arrow = "==>" if e.loop else "-.->" if e.dashes else "-->"
        label = edge_label(e) + (" ○" if e.inferred_ends else "")
        text = f'|"{mermaid_text(label)}"|' if label else ""
        lines.append(f"  {ids[e.source]} {arrow}{text} {ids[e.target]}")
        dash = f",stroke-dasharray:{' '.join(map(str, e.dashes))}" if e.dashes else ""
        lines.append(f"  linkStyle {i} stroke:{e.colour},stroke-width:{e.width:g}px{dash}")
    return "\n".join(lines) + "\n"


# --- CSV for spreadsheets -------------------------------------------------------------------------



def spreadsheet_cell(value: Cell) -> Cell | str:
    """A cell a spreadsheet will show, never run: ``text.csv_safe`` for every text."""
    return csv_safe(value) if isinstance(value, str) else value


def _csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]) if rows else ["id"],
                            lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: spreadsheet_cell(v) for k, v in row.items()})
    return "\ufeff" + out.getvalue()  # the byte-order mark tells Excel it is UTF-8


def csv_tables(view: View) -> dict[str, str]:
    """``nodes.csv`` and ``edges.csv``, as text."""
    names = {n.id: n.name for n in view.nodes}
    nodes = [{"id": n.id, **node_attributes(n)} for n in view.nodes]
    edges = [{"id": e.id, "from": e.source, "to": e.target, "from_name": names[e.source],
              "to_name": names[e.target], **edge_attributes(e)} for e in view.edges]
    return {"nodes.csv": _csv(nodes), "edges.csv": _csv(edges)}


def to_csv_zip(view: View) -> bytes:
    """One zip holding nodes.csv and edges.csv, for Excel."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in csv_tables(view).items():
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8"))
    return buffer.getvalue()


# --- the table of formats -------------------------------------------------------------------------

WRITERS: dict[str, Callable[[View], str | bytes]] = {
    "graphml": to_graphml, "gexf": to_gexf, "kumu": to_kumu, "cytoscape": to_cytoscape,
    "mermaid": to_mermaid, "csv": to_csv_zip}  # one per vocab.EXPORT_FORMATS
FORMATS = tuple(vocab.EXPORT_FORMATS)


def export_view(view: View, fmt: str) -> str | bytes:
    """The view in one of ``vocab.EXPORT_FORMATS``: text, or bytes for the CSV zip."""
    from ..errors import UsageError
    if fmt not in WRITERS:
        raise UsageError(f"{fmt!r}: choose {', '.join(FORMATS)}", option="format")
    return WRITERS[fmt](view)


def export_filename(view: View, fmt: str) -> str:
    """The default file name: ``sefton-gaps.graphml``, ``sefton-system.csv.zip``."""
    from .build import view_slug
    extension = vocab.EXPORT_FORMATS[fmt].extension
    return f"{view_slug(view.area, view.name, view.target)}.{extension}"
