"""A view of the graph -> an interactive map in one HTML file that opens from disk, offline.

Why: the people who must act on a review (commissioners, designated nurses,
the safeguarding partnership) need to *see* who passes what to whom and where
it breaks, in a file they can email and open on a locked-down laptop. So the
page carries everything: vis-network's JS and CSS are read from the pyvis
package and inlined, and nothing is linked. pyvis's own template links
Bootstrap from a CDN even in ``in_line`` mode, hence our template
(``templates/map.html`` with its script ``templates/map.js``); pyvis builds and
checks the node and edge lists. What a view holds comes from ``views``; this
module only says it in vis-network's terms.

Traps handled here:

- Model text is untrusted (a name can hold ``<script>``). pyvis's template puts
  ``title`` into ``innerHTML``; ours never does. Data travels as JSON in a
  ``<script type="application/json">`` block with ``<``, ``>`` and ``&``
  escaped; the page builds tooltips as DOM elements through ``textContent``;
  the legend and notes go through Jinja autoescaping.
- A physics layout that never stops makes a map nobody can read: it runs a
  fixed number of stabilisation iterations, then physics is switched off.
  Layered views (commissioning) are placed by ``views`` and need no physics.
- pyvis 0.3.2 imports IPython at import time for notebooks only: see
  ``_pyvis_network``.
"""

from __future__ import annotations

import re
import sys
import types
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from .. import vocab
from .build import (
    LARGE_MAP,
    LINK_STYLES,
    LOOP_MARK,
    NODE_STYLES,
    TARGETED,
    VIEWS,
    Edge,
    Node,
    View,
    build_view,
    party_problems,
    view_slug,
)
from .view import FLOW_KINDS

if TYPE_CHECKING:  # both are imported only when a map is drawn
    import jinja2
    from pyvis.network import Network

__all__ = ["LARGE_MAP", "LOOP_MARK", "TARGETED", "VIEWS", "map_filename", "render_map",
           "render_view", "vis_data", "vis_options"]

ROUGH_MAP = 2000  # nodes; above this the layout gets too few iterations to read well
TEMPLATE = Path(__file__).parent / "templates" / "map.html"
GREEN, AMBER, RED, GREY, PURPLE = vocab.GREEN, vocab.AMBER, vocab.RED, vocab.GREY, vocab.PURPLE
LABEL_INSIDE = ("box", "ellipse")  # vis draws other shapes' labels below them
LOOP_FONT = {"color": RED, "size": 13, "strokeWidth": 4, "align": "top"}
INFERRED_MARK = {"enabled": True, "type": "circle", "scaleFactor": 0.55}


# --- nodes and edges as vis-network wants them ------------------------------------------------

def _vis_node(node: Node) -> dict:
    """One node, with its tooltip as data (not HTML)."""
    style = node.style
    label = node.name + (f"\n(+{len(node.inside)} services)" if node.inside else "")
    font: dict = {"color": style.font if style.shape in LABEL_INSIDE else "#1b1b1b"}
    out: dict = {"label": label, "shape": style.shape, "plain": node.name, "kind": node.kind,
           "color": {"background": style.fill, "border": style.border,
                     "highlight": {"background": style.fill, "border": "#000000"},
                     "hover": {"background": style.fill, "border": "#000000"}},
           "font": font, "borderWidth": 1.5, "severity": node.severity, "inferred": node.inferred,
           "search": " | ".join([node.name, node.id, *node.aliases,
                                 *node.inside_names]).lower(),
           "names": [x.lower() for x in (node.name, node.id, *node.aliases)],
           "org": node.group,  # not "group": vis-network colours its groups
           "tip": _node_tip(node)}
    if node.dashed:  # drawn only where the modeller inferred it
        out["shapeProperties"] = {"borderDashes": [5, 3]}
        out["borderWidth"] = 2.5
    if node.focus:  # the party or recommendation the view is about
        out.update(borderWidth=4, shadow={"enabled": True, "size": 16, "color": "rgba(0,0,0,.5)"})
        font["size"] = 18
    return out


def _node_tip(node: Node) -> dict:
    """Tooltip of a party, finding or recommendation: who or what it is, and where said."""
    kind = node.style.label + (f" ({node.type.replace('_', ' ')})"
                               if node.type not in (None, node.kind) else "")
    rows = [["Kind", kind], ["Id", node.id]]
    if node.role:
        rows.append(["Role", f"{vocab.role_label(node.role)} ({node.role})"])
    if node.aliases:
        rows.append(["Also called", ", ".join(node.aliases)])
    if node.text:
        rows.append(["Text", node.text])
    if node.kind == "recommendation":
        rows.append(["Owners", ", ".join(node.owners)])
    if node.inside_names:
        rows.append(["Services inside", ", ".join(node.inside_names)])
    rows += [list(pair) for pair in node.belongs]
    if node.inferred:
        rows.append(["Inferred", f"in {_count(node.inferred, 'flow')} on this map the report "
                                 "does not name it: the modeller's inference"])
    if node.source:
        rows.append(["Model", _where(node.source)])
    return {"title": node.name, "rows": rows, "quotes": [list(q) for q in node.quotes]}


def _flow_tip(edge: Edge, names: dict[str, str]) -> dict:
    """Tooltip of a flow: what passes, its status, the evidence and who must act."""
    rows = [["Passes", edge.passes], ["Status", edge.status], ["Summary", edge.summary]]
    if edge.signature:
        rows.append(["Signature", edge.signature])
    if edge.kind == "signature":  # across areas: the areas and their words are the evidence
        return {"title": f"{names[edge.source]} → {names[edge.target]}", "rows": rows,
                "quotes": [list(q) for q in edge.quotes]}
    if edge.severity:
        rows.append(["Severity", edge.severity])
    rows += [["Broken loop", words] for words in edge.loops]
    if edge.inferred_ends:
        ends = " and ".join(names[edge.source if end == "from" else edge.target]
                            for end in edge.inferred_ends)
        rows.append(["Inferred", f"the report does not name {ends} here; the modeller's "
                                 f"reason: {edge.inferred}"])
    rows += [["Findings", ", ".join(edge.findings) or "none"],
             ["Recommendations", ", ".join(edge.recommendations) or "none"],
             ["Owners", ", ".join(edge.owners) or "none"], ["Action", edge.action]]
    if edge.kind == "flow":
        rows += [["Flow", edge.id], ["Model", _where(edge.source_line)]]
    return {"title": f"{names[edge.source]} → {names[edge.target]}", "rows": rows,
            "quotes": [list(q) for q in edge.quotes]}


def _where(source: str) -> str:
    """``/home/me/area/flows.yaml:49`` -> ``flows.yaml:49``: a shared file names no home."""
    return Path(source).name


def _vis_edge(edge: Edge, names: dict[str, str]) -> dict:
    """A flow, a missing return or a link, coloured and dashed as the view says."""
    colour = edge.colour
    out = {"from": edge.source, "to": edge.target, "id": edge.id, "width": edge.width,
           "kind": "missing" if edge.kind == "missing" else
                   "flow" if edge.kind in FLOW_KINDS else "link",
           "dashes": list(edge.dashes) or False,
           "color": {"color": colour, "highlight": colour, "hover": colour}}
    if edge.kind in FLOW_KINDS:
        out.update(status=edge.status, arrows="to", length=230, loop=edge.loop,
                   severity=edge.severity, tip=_flow_tip(edge, names), short=edge.short)
        if edge.inferred_ends:
            out["arrows"] = {"to": {"enabled": True}, "middle": INFERRED_MARK}
            out["inferred"] = True
        if edge.label:
            out.update(label=edge.label, font=LOOP_FONT)
    else:
        out.update(link=edge.kind, length=90, arrows={"to": {"enabled": edge.arrow}},
                   color={"color": colour, "highlight": "#333333", "hover": "#555555"},
                   tip={"title": f"{names[edge.source]} {edge.words} {names[edge.target]}",
                        "rows": [], "quotes": []})
        if edge.label:
            out.update(label=edge.label, font={"size": 15, "color": "#444444"})
    return out


def _spread_parallel(edges: list[dict]) -> None:
    """Curve edges between the same two nodes apart, so each one can be seen."""
    seen: dict[frozenset, int] = {}
    for e in edges:
        pair = frozenset((e["from"], e["to"]))
        k = seen[pair] = seen.get(pair, -1) + 1
        e["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": min(0.1 + 0.15 * k, 0.9)}


def vis_data(view: View) -> tuple[list[dict], list[dict]]:
    """The view's nodes and edges, styled, through pyvis (which checks every end)."""
    names = {n.id: n.name for n in view.nodes}
    net = _pyvis_network()
    for node in view.nodes:
        opts = _vis_node(node)
        if node.id in view.positions:
            x, y = view.positions[node.id]
            opts.update(x=x, y=y)
        net.add_node(node.id, **opts)
    edges = [_vis_edge(e, names) for e in view.edges]
    _spread_parallel(edges)
    for e in edges:
        net.add_edge(e.pop("from"), e.pop("to"), **e)
    return net.nodes, net.edges


def _pyvis_network() -> Network:
    """A directed pyvis Network, imported without dragging in IPython.

    Why: pyvis 0.3.2 does ``from IPython.display import IFrame`` at import time,
    for notebooks only; that is ~50 ms and 80 modules for a command that writes
    a file. While pyvis is imported, a stand-in ``IPython.display`` whose
    ``IFrame`` imports the real one when called is put in ``sys.modules``, then
    removed, so a later ``import IPython`` is untouched.
    """
    if "pyvis.network" not in sys.modules and "IPython" not in sys.modules:
        def IFrame(*args: Any, **kwargs: Any) -> Any:  # noqa: N802 - pyvis's name, passed on
            from IPython.display import IFrame as real
            return real(*args, **kwargs)
        stub, display = types.ModuleType("IPython"), types.ModuleType("IPython.display")
        setattr(display, "IFrame", IFrame)  # noqa: B010 - a stand-in module's attribute
        setattr(stub, "display", display)  # noqa: B010
        sys.modules.update({"IPython": stub, "IPython.display": display})
        try:
            import pyvis.network  # noqa: F401
        finally:
            for name, module in (("IPython", stub), ("IPython.display", display)):
                if sys.modules.get(name) is module:
                    del sys.modules[name]
    from pyvis.network import Network
    return Network(directed=True)


# --- page ----------------------------------------------------------------------

def vis_options(view: View, n_nodes: int) -> dict:
    """vis-network options: a fixed stabilisation, then still (the page turns physics off).

    Large maps get fewer iterations, so that even 100 times Sefton stops
    within seconds rather than half a minute (and looks it: see ROUGH_MAP).
    A layered view comes with its places and needs no physics at all.
    """
    iterations = 250 if n_nodes <= LARGE_MAP else max(20, min(150, 60_000 // n_nodes))
    stabilization = {"enabled": True, "iterations": iterations, "updateInterval": 25,
                     "fit": True}
    physics = {"solver": "forceAtlas2Based", "stabilization": stabilization, "minVelocity": 1,
               "forceAtlas2Based": {"gravitationalConstant": -130, "springLength": 160,
                                    "centralGravity": 0.015, "avoidOverlap": 0.6}}
    options: dict = {
        "nodes": {"widthConstraint": {"maximum": 170}, "font": {"size": 14, "face": "sans-serif"},
                  "size": 16},
        "edges": {"arrows": {"to": {"scaleFactor": 0.6}}, "selectionWidth": 2,
                  "hoverWidth": 1},
        "interaction": {"hover": True, "tooltipDelay": 150, "navigationButtons": True,
                        "keyboard": False},
        "layout": {"randomSeed": 7, "improvedLayout": n_nodes <= 150},
        "physics": physics,
    }
    if view.positions:  # placed by views.layered_positions: columns that fill the page
        options["physics"] = {"enabled": False}
        options["layout"]["improvedLayout"] = False
        options["edges"]["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": 0.08}
    return options


def legend(view: View) -> dict:
    """The legend's entries, from the same tables that style the map."""
    shown = {n.kind for n in view.nodes} or set(vocab.PARTY_KINDS)
    parties = [{"kind": k, "label": s.label, "shape": s.shape, "fill": s.fill,
                "border": s.border} for k, s in NODE_STYLES.items() if k in shown]
    looks: dict[tuple, list[str]] = {}
    for status in vocab.STATUSES.values():
        looks.setdefault((status.colour, status.dashes), []).append(status.label)
    flows = [{"label": _or(labels), "colour": colour, "dashes": " ".join(map(str, dashes)),
              "width": 2.5 if dashes else 2} for (colour, dashes), labels in looks.items()]
    if view.name == "compare":  # arrows are failures across areas, not one area's flows
        flows.append({"label": "the thicker, the more areas fail there (the label counts "
                               "them)", "colour": RED, "dashes": "", "width": 6})
        return {"parties": parties, "flows": flows, "links": []}
    flows += [{"label": "broken feedback loop: both legs thick, " + LOOP_MARK.split()[0]
               + " on the return that fails", "colour": RED, "dashes": "9 6", "width": 5},
              {"label": "a return the report expects and no flow records", "colour": RED,
               "dashes": "3 6", "width": 5},
              {"label": "○ on the line: the report does not name a party at one end "
                        "(the modeller's inference; a dashed border when never named)",
               "colour": GREY, "dashes": "", "width": 2, "mark": "circle"}]
    if any(e.progress == "fixed" for e in view.edges) or view.name == "progress":
        flows.append({"label": "fixed: every action meant to fix it is done or verified",
                      "colour": vocab.GREEN, "dashes": "2 4", "width": 2.5})
    kinds = list(dict.fromkeys(e.kind for e in view.edges if e.kind not in FLOW_KINDS))
    same: dict[tuple, list[str]] = {}
    for k in kinds:
        same.setdefault((LINK_STYLES[k].colour, LINK_STYLES[k].dashes), []).append(
            LINK_STYLES[k].words)
    links = [{"label": _or(words), "colour": colour, "dashes": " ".join(map(str, dashes)),
              "width": 1.5} for (colour, dashes), words in same.items()]
    has_flows = any(e.kind in FLOW_KINDS for e in view.edges)
    return {"parties": parties, "flows": flows if has_flows else [], "links": links}


def _or(labels: list[str]) -> str:
    """["a", "b", "c"] -> "a, b or c"."""
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " or " + labels[-1]


def filters(view: View) -> dict:
    """The choices the page offers: statuses and party kinds on this view."""
    kinds = list(dict.fromkeys(n.kind for n in view.nodes))
    has_flows = any(e.kind in FLOW_KINDS for e in view.edges)
    return {"statuses": [{"name": s.name, "label": s.label, "colour": s.colour}
                         for s in vocab.STATUSES.values()] if has_flows else [],
            "kinds": [{"name": k, "label": NODE_STYLES[k].label} for k in NODE_STYLES
                      if k in kinds]}


def problems_data(G: nx.MultiDiGraph | None, view: View) -> dict:
    """The gaps and broken loops on the view, and which party is in which (worst first)."""
    rows = [{"id": p.id, "kind": p.kind.replace("_", " "), "severity": p.severity,
             "summary": p.summary, "legs": p.legs, "edges": p.edges, "parties": p.parties,
             "rank": p.rank, "why": p.why} for p in view.problems]
    return {"rows": rows, "byParty": party_problems(G, view)}


def render_view(G: nx.MultiDiGraph | None, view: View) -> str:
    """A view as a complete, offline HTML page (``G`` None: a view across areas)."""
    nodes, edges = vis_data(view)
    notes = list(view.notes)
    if len(nodes) > ROUGH_MAP:
        notes.append(f"With {len(nodes)} nodes the layout is only roughly settled: "
                     "the gaps and party:NAME views are easier to read.")
    data = {"nodes": nodes, "edges": edges, "options": vis_options(view, len(nodes)),
            "focus": view.focus, "problems": problems_data(G, view),
            "groups": [{"id": g, "name": name} for g, name in view.groups.items()],
            "filters": filters(view), "file": view_slug(view.area, view.name, view.target)}
    return _template().render(title=view.title, notes=notes, stats=summary(view),
                              data=data, legend=legend(view), filters=data["filters"],
                              severities=list(vocab.SEVERITIES.values()),
                              vis_js=_vis_asset("vis-network.min.js"),
                              vis_css=_vis_asset("vis-network.css"),
                              map_js=_script("map.js"))


def render_map(G: nx.MultiDiGraph, view: str = "system", target: str | None = None,
               large: int = LARGE_MAP) -> str:
    """One view of the graph (``views.VIEWS``) as a complete, offline HTML page."""
    return render_view(G, build_view(G, view, target, large))


def summary(view: View) -> str:
    """The line under the title: what this map holds."""
    kinds = [n.kind for n in view.nodes]
    if view.name == "compare":
        recurring = sum(e.label != "" for e in view.edges)
        return (f"{_count(len(kinds), 'role')} · {_count(len(view.edges), 'failing signature')}"
                f" ({recurring} in two or more areas)")
    flows = [e for e in view.edges if e.kind in ("flow", "missing")]
    parts = [_count(sum(k in vocab.PARTY_KINDS for k in kinds), "party", "parties")]
    parts += [_count(kinds.count(k), k) for k in ("finding", "recommendation") if k in kinds]
    if flows:
        failing = sum(e.status in vocab.failing() for e in flows)
        parts.append(f"{_count(len(flows), 'flow')} ({failing} not working)")
        parts.append(_count(sum(p.kind == "broken_loop" for p in view.problems),
                            "broken loop"))
    else:
        parts.append(_count(len(view.edges), "link"))
    return " · ".join(parts)


def _count(n: int, word: str, plural: str | None = None) -> str:
    """``_count(1, "flow")`` -> ``"1 flow"``; ``_count(2, "party", "parties")`` -> "2 parties"."""
    return f"{n} {word if n == 1 else plural or word + 's'}"


def _script(name: str) -> str:
    """One of our page scripts, safe to inline."""
    text = (TEMPLATE.parent / name).read_text(encoding="utf-8")
    return re.sub(r"</(script)", r"<\\/\1", text, flags=re.I)


def _template() -> jinja2.Template:
    from jinja2 import Environment, FileSystemLoader
    env = Environment(loader=FileSystemLoader(TEMPLATE.parent), autoescape=True)
    return env.get_template(TEMPLATE.name)


def _vis_asset(name: str) -> str:
    """vis-network's JS or CSS as shipped inside pyvis, safe to inline in its tag.

    The folder is found without importing pyvis (whose ``__init__`` imports IPython).
    """
    import importlib.util
    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("pyvis is not installed: pip install pyvis")
    folder = Path(list(spec.submodule_search_locations)[0])
    text = (folder / "templates" / "lib" / "vis-9.1.2" / name).read_text(encoding="utf-8")
    # A literal "</script" or "</style" would end the inline block early.
    return re.sub(r"</(script|style)", r"<\\/\1", text, flags=re.I)


def map_filename(G: nx.MultiDiGraph, view: str, target: str | None = None) -> str:
    """The default file name: ``sefton-system.html``, ``sefton-party-camhs.html``."""
    return view_slug(G.graph["area"], view, target) + ".html"
