"""Graph -> an interactive map in one HTML file that opens from disk, offline.

Why: the people who must act on a review (commissioners, designated nurses,
the safeguarding partnership) need to *see* who passes what to whom and where
it breaks, in a file they can email and open on a locked-down laptop. So the
page carries everything: vis-network's JS and CSS are read from the pyvis
package and inlined, and nothing is linked. pyvis's own template links
Bootstrap from a CDN even in ``in_line`` mode, hence our template
(``templates/map.html``); pyvis builds and checks the node and edge lists.

Traps handled here:

- Model text is untrusted (a name can hold ``<script>``). pyvis's template puts
  ``title`` into ``innerHTML``; ours never does. Data travels as JSON in a
  ``<script type="application/json">`` block with ``<``, ``>`` and ``&``
  escaped; the page builds tooltips as DOM elements through ``textContent``;
  the legend and notes go through Jinja autoescaping.
- In the graph a flow is a node (so findings can evidence it and a return can
  answer it); on the map it is one edge sender -> receiver.
- A physics layout that never stops makes a map nobody can read: it runs a
  fixed number of stabilisation iterations, then physics is switched off.
- Above ``LARGE_MAP`` parties services are drawn inside their providers, and
  the page says so.
- pyvis 0.3.2 imports IPython at import time for notebooks only: see
  ``_pyvis_network``.
"""

from __future__ import annotations

import re
import sys
import types
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from . import vocab
from .graph import in_by, nodes_of, out_by, rec_node
from .queries import broken_loops, commissioning, flow_actions, gaps, units

VIEWS = ("system", "gaps", "commissioning", "org", "recommendation")
TARGETED = ("org", "recommendation")  # views written "org:NAME", "recommendation:ID"
LARGE_MAP = 400  # parties; above this services are grouped under their providers
ROUGH_MAP = 2000  # nodes; above this the layout gets too few iterations to read well
TEMPLATE = Path(__file__).parent / "templates" / "map.html"

# One visual language for every view and the legend, from the vocabulary.
PARTY_KINDS = vocab.party_kinds()
NOT_WORKING = vocab.failing()
KIND_STYLE = {**{k: (v.shape, v.fill, v.border, v.font) for k, v in vocab.PARTY_KINDS.items()},
              **{k: v[1:] for k, v in vocab.OTHER_NODE_STYLES.items()}}
KIND_LABEL = {**{k: v.label for k, v in vocab.PARTY_KINDS.items()},
              **{k: v[0] for k, v in vocab.OTHER_NODE_STYLES.items()}}
GREEN, AMBER, RED, GREY, PURPLE = vocab.GREEN, vocab.AMBER, vocab.RED, vocab.GREY, vocab.PURPLE
STATUS_STYLE = {s: (v.colour, list(v.dashes) or False) for s, v in vocab.STATUSES.items()}
LINK_WORDS = {**{k: v.words for k, v in vocab.EDGE_TYPES.items()},
              "describes": "describes a flow of"}
BELONGS = ("provides", "part_of", "operates", "hosts", "located_at", "uses")
CONTRACTS = ("commissions", "provides", "subcontracts", "coordinates")
LABEL_INSIDE = ("box", "ellipse")  # vis draws other shapes' labels below them
LOOP_MARK = "⟲ broken loop"


@dataclass
class Picture:
    """What one view shows, before styling: nodes, flows drawn as edges, links."""

    title: str
    nodes: list[str]
    flows: list[str] = field(default_factory=list)
    links: list[tuple[str, str, str]] = field(default_factory=list)  # (from, to, key)
    focus: str | None = None
    levels: dict[str, int] = field(default_factory=dict)  # set: hierarchical layout
    merged: dict[str, str] = field(default_factory=dict)  # service -> provider shown
    notes: list[str] = field(default_factory=list)


# --- views -------------------------------------------------------------------

def split_view(view: str) -> tuple[str, str | None]:
    """``"org:camhs"`` -> ``("org", "camhs")``; ``"system"`` -> ``("system", None)``."""
    name, _, target = view.partition(":")
    return name.strip().lower(), (target.strip() or None)


def system_view(G: nx.MultiDiGraph, target=None) -> Picture:
    """Every party, every flow, which party belongs to which and who commissions what."""
    parties = [n for n, k in G.nodes(data="kind") if k in PARTY_KINDS]
    return Picture(f"{G.graph['area_name']}: system map", parties,
                   flows=nodes_of(G, "flow"), links=_links(G, parties, BELONGS + CONTRACTS))


def gaps_view(G: nx.MultiDiGraph, target=None) -> Picture:
    """Only the broken loops and gaps, with the parties at their ends."""
    rows = gaps(G)
    flows = list(dict.fromkeys(leg["flow"] for r in rows for leg in r["legs"] if leg["flow"]))
    ends = [G.nodes[f][end] for f in flows for end in ("sender", "receiver")]
    return Picture(f"{G.graph['area_name']}: gaps and broken loops",
                   list(dict.fromkeys(ends)), flows=flows)


def commissioning_view(G: nx.MultiDiGraph, target=None) -> Picture:
    """Commissioners, the services they buy, providers and sub-contracts, in layers.

    Services are listed provider by provider, so that the columns cross less.
    """
    levels: dict[str, int] = {}
    rows = sorted(commissioning(G), key=lambda r: ((r["provider"] or {}).get("id") or "",
                                                    r["service"]["name"]))
    for row in rows:
        for role, level in (("commissioner", 0), ("service", 1), ("provider", 2),
                            ("subcontracted_from", 2)):
            if row[role] and row[role]["id"]:
                levels.setdefault(row[role]["id"], level)
    nodes = sorted(levels, key=lambda n: levels[n])  # stable: keeps the provider order
    return Picture(f"{G.graph['area_name']}: commissioning", nodes,
                   links=_links(G, nodes, CONTRACTS), levels=levels)


def org_view(G: nx.MultiDiGraph, org: str) -> Picture:
    """One organisation: its units, every flow in or out of them, and who is at the other end."""
    mine = units(G, org)
    flows = [f for f in nodes_of(G, "flow")
             if G.nodes[f]["sender"] in mine or G.nodes[f]["receiver"] in mine]
    near = out_by(G, org, "part_of") + out_by(G, org, "coordinates")
    for u in mine:  # what it commissions, who commissions it, its sub-contract partners
        near += out_by(G, u, "commissions") + in_by(G, u, "commissions")
        near += out_by(G, u, "subcontracts") + in_by(G, u, "subcontracts")
    ends = [G.nodes[f][end] for f in flows for end in ("sender", "receiver")]
    nodes = list(dict.fromkeys([org, *sorted(mine - {org}), *near, *ends]))
    return Picture(f"{G.graph['area_name']}: {G.nodes[org]['name']}", nodes, flows=flows,
                   links=_links(G, nodes, BELONGS + CONTRACTS), focus=org)


def recommendation_view(G: nx.MultiDiGraph, rid: str) -> Picture:
    """A recommendation: its owners, the findings citing it and the flows they describe."""
    rec = rec_node(rid)
    owners, findings = in_by(G, rec, "owns"), in_by(G, rec, "cites")
    flows = list(dict.fromkeys(f for fi in findings for f in out_by(G, fi, "evidences")
                               if G.nodes[f]["kind"] == "flow"))
    links = [(o, rec, "owns") for o in owners] + [(f, rec, "cites") for f in findings]
    ends = []
    for fi in findings:
        for f in out_by(G, fi, "evidences"):
            if G.nodes[f]["kind"] == "flow":
                pair = [G.nodes[f]["sender"], G.nodes[f]["receiver"]]
                ends += pair
                links += [(fi, p, "describes") for p in pair]
    nodes = list(dict.fromkeys([rec, *owners, *findings, *ends]))
    return Picture(f"{G.graph['area_name']}: recommendation {rid}", nodes, flows=flows,
                   links=list(dict.fromkeys(links)), focus=rec)


VIEW_BUILDERS = {"system": system_view, "gaps": gaps_view,
                 "commissioning": commissioning_view, "org": org_view,
                 "recommendation": recommendation_view}


def _links(G: nx.MultiDiGraph, nodes: list[str], keys: tuple) -> list[tuple[str, str, str]]:
    """Structural edges of the given types between nodes on the map (no flows)."""
    shown = set(nodes)
    return [(u, v, k) for u, v, k in G.edges(keys=True)
            if k in keys and u in shown and v in shown]


def _missing_returns(loops: list[dict], flows: list[str]) -> list[dict]:
    """The return legs that loops starting with these flows expect but no flow records."""
    shown = set(flows)
    return [r["legs"][1] for r in loops
            if r["legs"][0]["flow"] in shown and r["legs"][1].get("missing")]


# --- large maps ----------------------------------------------------------------

def group_services(G: nx.MultiDiGraph, pic: Picture) -> Picture:
    """Draw each service inside its provider; flows keep their ends' new places."""
    merged = {n: in_by(G, n, "provides")[0] for n in pic.nodes
              if G.nodes[n]["kind"] == "service" and in_by(G, n, "provides")}
    nodes = list(dict.fromkeys(merged.get(n, n) for n in pic.nodes))
    links = list(dict.fromkeys((merged.get(u, u), merged.get(v, v), k)
                               for u, v, k in pic.links))
    note = (f"This map has {len(pic.nodes)} parties, more than {LARGE_MAP}: "
            f"{len(merged)} services are drawn inside their providers.")
    return Picture(pic.title, nodes, pic.flows, [x for x in links if x[0] != x[1]],
                   pic.focus, pic.levels, merged, [*pic.notes, note])


# --- styling -------------------------------------------------------------------

def _vis_node(G: nx.MultiDiGraph, node: str, pic: Picture, inside: list[str]) -> dict:
    """One node as vis-network wants it, with its tooltip as data (not HTML)."""
    d = G.nodes[node]
    shape, fill, border, font = KIND_STYLE[d["kind"]]
    label = d.get("name", node)
    if inside:
        label += f"\n(+{len(inside)} services)"
    out = {"label": label, "shape": shape, "plain": d.get("name", node),
           "color": {"background": fill, "border": border,
                     "highlight": {"background": fill, "border": "#000000"},
                     "hover": {"background": fill, "border": "#000000"}},
           "font": {"color": font if shape in LABEL_INSIDE else "#1b1b1b"},
           "borderWidth": 1.5,
           "search": " | ".join([d.get("name", node), node, *d.get("aliases", []),
                                 *[G.nodes[s]["name"] for s in inside]]).lower(),
           "tip": _node_tip(G, node, inside)}
    if node in pic.levels:
        out["level"] = pic.levels[node]
    if node == pic.focus:  # the organisation or recommendation the view is about
        out.update(borderWidth=4, shadow={"enabled": True, "size": 16, "color": "rgba(0,0,0,.5)"})
        out["font"]["size"] = 18
    return out


def _node_tip(G: nx.MultiDiGraph, node: str, inside: list[str]) -> dict:
    """Tooltip of a party, finding or recommendation: who or what it is, and where said."""
    d = G.nodes[node]
    kind = KIND_LABEL[d["kind"]] + (f" ({d['type'].replace('_', ' ')})"
                                    if d.get("type") not in (None, d["kind"]) else "")
    rows = [["Kind", kind], ["Id", node]]
    if d.get("aliases"):
        rows.append(["Also called", ", ".join(d["aliases"])])
    if d["kind"] in ("finding", "recommendation"):
        rows.append(["Text", d["text"]])
    if d["kind"] == "recommendation":
        rows.append(["Owners", ", ".join(G.nodes[o]["name"] for o in in_by(G, node, "owns"))])
    if inside:
        rows.append(["Services inside", ", ".join(G.nodes[s]["name"] for s in inside)])
    for key in ("provides", "part_of", "operates", "hosts"):
        ups = [G.nodes[u]["name"] for u in (in_by(G, node, key) if key != "part_of"
                                            else out_by(G, node, key))]
        if ups:
            rows.append([{"provides": "Provided by", "part_of": "Part of",
                          "operates": "Operated by", "hosts": "Hosted by"}[key], ", ".join(ups)])
    if d.get("source"):
        rows.append(["Model", _where(d["source"])])
    quotes = [[e["paragraph"], e["quote"]] for e in d.get("evidence", [])]
    return {"title": d.get("name", node), "rows": rows, "quotes": quotes}


def _flow_tip(G: nx.MultiDiGraph, flow: str, loops: list[dict], memo: dict) -> dict:
    """Tooltip of a flow: what passes, its status, the evidence and who must act."""
    d = G.nodes[flow]
    act = _actions(G, flow, memo)
    rows = [["Passes", d["passes"]], ["Status", d["status"]], ["Summary", d["name"]]]
    for loop in loops:
        rows.append(["Broken loop", " then ".join(
            f"{leg['from']['name']} → {leg['to']['name']}: {leg['passes']} ({leg['status']})"
            for leg in loop["legs"])])
    rows += [["Findings", ", ".join(act["findings"]) or "none"],
             ["Recommendations", ", ".join(act["recommendations"]) or "none"],
             ["Owners", ", ".join(o["name"] for o in act["owners"]) or "none"],
             ["Action", act["action"]], ["Flow", flow], ["Model", _where(d.get("source", ""))]]
    quotes = [[e["paragraph"], e["quote"]] for e in d["evidence"]]
    return {"title": f"{G.nodes[d['sender']]['name']} → {G.nodes[d['receiver']]['name']}",
            "rows": rows, "quotes": quotes}


def _where(source: str) -> str:
    """``/home/me/area/flows.yaml:49`` -> ``flows.yaml:49``: a shared file names no home."""
    return Path(source).name


def _actions(G: nx.MultiDiGraph, flow: str, memo: dict) -> dict:
    """``flow_actions`` of one flow, shared by flows that the same findings evidence.

    Why: the answer depends only on the findings, and in a large model many
    flows share them; asking once per flow took 20 s at 100 times Sefton.
    """
    key = tuple(in_by(G, flow, "evidences"))
    if key not in memo:
        memo[key] = flow_actions(G, [flow])
    return memo[key]


def _flow_edge(G: nx.MultiDiGraph, flow: str, loops: list[dict], pic: Picture,
               memo: dict) -> dict:
    """A flow drawn as an arrow sender -> receiver, coloured and dashed by status."""
    d = G.nodes[flow]
    colour, dashes = STATUS_STYLE[d["status"]]
    edge = {"from": pic.merged.get(d["sender"], d["sender"]),
            "to": pic.merged.get(d["receiver"], d["receiver"]), "id": flow,
            "kind": "flow", "status": d["status"], "arrows": "to", "dashes": dashes,
            "color": {"color": colour, "highlight": colour, "hover": colour},
            "width": 2.5 if d["status"] in NOT_WORKING else 1.8, "length": 230,
            "tip": _flow_tip(G, flow, loops, memo)}
    if loops:
        edge["width"] = 5
        edge["loop"] = True
        if any(loop["legs"][-1]["flow"] == flow for loop in loops):  # the failing return
            edge["label"] = LOOP_MARK
            edge["font"] = {"color": RED, "size": 13, "strokeWidth": 4, "align": "top"}
    return edge


def _missing_edge(G: nx.MultiDiGraph, leg: dict, pic: Picture, n: int) -> dict:
    """A return that never comes back, drawn as a red dashed arrow marked as a loop."""
    a, b = leg["from"]["id"], leg["to"]["id"]
    return {"from": pic.merged.get(a, a), "to": pic.merged.get(b, b),
            "id": f"missing-return-{n}", "kind": "missing", "status": "absent",
            "arrows": "to", "dashes": [3, 6], "width": 5, "loop": True,
            "color": {"color": RED, "highlight": RED, "hover": RED}, "length": 230,
            "label": LOOP_MARK + " (no return)",
            "font": {"color": RED, "size": 13, "strokeWidth": 4, "align": "top"},
            "tip": {"title": f"{leg['from']['name']} → {leg['to']['name']}",
                    "rows": [["Passes", "return (expected)"], ["Status", "absent"],
                             ["Summary", leg["summary"]]], "quotes": []}}


def _link_edge(G: nx.MultiDiGraph, u: str, v: str, key: str) -> dict:
    """A structural link (provides, part of, commissions, owns...): thin and grey."""
    colour = PURPLE if key in ("owns", "cites") else GREY
    edge = {"from": u, "to": v, "id": f"{key}:{u}:{v}", "kind": "link", "link": key,
            "color": {"color": colour, "highlight": "#333333", "hover": "#555555"},
            "width": 1.2, "length": 90, "dashes": [2, 4] if key == "describes" else False,
            "arrows": {"to": {"enabled": key in CONTRACTS + ("owns", "cites")}},
            "tip": {"title": f"{G.nodes[u].get('name', u)} {LINK_WORDS[key]} "
                             f"{G.nodes[v].get('name', v)}", "rows": [], "quotes": []}}
    if key == "subcontracts":
        edge.update(label="sub-contract", dashes=[6, 4], font={"size": 15, "color": "#444444"})
    return edge


def _spread_parallel(edges: list[dict]) -> None:
    """Curve edges between the same two nodes apart, so each one can be seen."""
    seen: dict[frozenset, int] = {}
    for e in edges:
        pair = frozenset((e["from"], e["to"]))
        k = seen[pair] = seen.get(pair, -1) + 1
        e["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": min(0.1 + 0.15 * k, 0.9)}


def vis_data(G: nx.MultiDiGraph, pic: Picture,
             loop_rows: list[dict]) -> tuple[list[dict], list[dict]]:
    """The picture's nodes and edges, styled, through pyvis (which checks every end).

    A broken loop stands out wherever its outward flow is drawn; a return that
    no flow records is drawn too.
    """
    loops: dict[str, list[dict]] = {}
    for row in loop_rows:
        for leg in row["legs"]:
            loops.setdefault(leg["flow"], []).append(row)
    inside: dict[str, list[str]] = {}
    for service, provider in pic.merged.items():
        inside.setdefault(provider, []).append(service)
    net = _pyvis_network()
    for node in pic.nodes:
        opts = _vis_node(G, node, pic, inside.get(node, []))
        net.add_node(node, **opts)
    memo: dict = {}
    edges = [_flow_edge(G, f, loops.get(f, []), pic, memo) for f in pic.flows]
    missing = _missing_returns(loop_rows, pic.flows)
    edges += [_missing_edge(G, leg, pic, n) for n, leg in enumerate(missing)]
    edges += [_link_edge(G, u, v, k) for u, v, k in pic.links]
    _spread_parallel(edges)
    for e in edges:
        net.add_edge(e.pop("from"), e.pop("to"), **e)
    return net.nodes, net.edges


def _pyvis_network():
    """A directed pyvis Network, imported without dragging in IPython.

    Why: pyvis 0.3.2 does ``from IPython.display import IFrame`` at import time,
    for notebooks only; that is ~50 ms and 80 modules for a command that writes
    a file. While pyvis is imported, a stand-in ``IPython.display`` whose
    ``IFrame`` imports the real one when called is put in ``sys.modules``, then
    removed, so a later ``import IPython`` is untouched.
    """
    if "pyvis.network" not in sys.modules and "IPython" not in sys.modules:
        def IFrame(*args, **kwargs):  # noqa: N802 - pyvis's name
            from IPython.display import IFrame as real
            return real(*args, **kwargs)
        stub, display = types.ModuleType("IPython"), types.ModuleType("IPython.display")
        display.IFrame, stub.display = IFrame, display
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

def vis_options(pic: Picture, n_nodes: int) -> dict:
    """vis-network options: a fixed stabilisation, then still (the page turns physics off).

    Large maps get fewer iterations, so that even 100 times Sefton stops
    within seconds rather than half a minute (and looks it: see ROUGH_MAP).
    """
    iterations = 250 if n_nodes <= LARGE_MAP else max(20, min(150, 60_000 // n_nodes))
    stabilization = {"enabled": True, "iterations": iterations, "updateInterval": 25,
                     "fit": True}
    physics = {"solver": "forceAtlas2Based", "stabilization": stabilization, "minVelocity": 1,
               "forceAtlas2Based": {"gravitationalConstant": -130, "springLength": 160,
                                    "centralGravity": 0.015, "avoidOverlap": 0.6}}
    options = {
        "nodes": {"widthConstraint": {"maximum": 170}, "font": {"size": 14, "face": "sans-serif"},
                  "size": 16},
        "edges": {"arrows": {"to": {"scaleFactor": 0.6}}, "selectionWidth": 2,
                  "hoverWidth": 1},
        "interaction": {"hover": True, "tooltipDelay": 150, "navigationButtons": True,
                        "keyboard": False},
        "layout": {"randomSeed": 7, "improvedLayout": n_nodes <= 150},
        "physics": physics,
    }
    if pic.levels:  # left to right: commissioners, services, providers in columns
        options["layout"]["hierarchical"] = {
            "enabled": True, "direction": "LR", "levelSeparation": 360,
            "nodeSpacing": 70, "treeSpacing": 80, "shakeTowards": "roots"}
        options["physics"] = {"solver": "hierarchicalRepulsion", "stabilization": stabilization,
                              "hierarchicalRepulsion": {"nodeDistance": 80, "avoidOverlap": 1}}
    return options


def legend() -> dict:
    """The legend's entries, from the same tables that style the map."""
    parties = [{"kind": k, "label": KIND_LABEL[k], "shape": s, "fill": f, "border": b}
               for k, (s, f, b, _) in KIND_STYLE.items()]
    looks: dict[tuple, list[str]] = {}
    for name, status in vocab.STATUSES.items():
        looks.setdefault((status.colour, status.dashes), []).append(status.label)
    flows = [{"label": _or(labels), "colour": colour, "dashes": " ".join(map(str, dashes)),
              "width": 2.5 if dashes else 2} for (colour, dashes), labels in looks.items()]
    flows += [{"label": "broken feedback loop: both legs thick, " + LOOP_MARK.split()[0]
              + " on the return that fails", "colour": RED, "dashes": "9 6", "width": 5},
             {"label": "belongs to, commissions, provides", "colour": GREY, "dashes": "",
              "width": 1},
             {"label": "owns or cites a recommendation", "colour": PURPLE, "dashes": "",
              "width": 1},
             {"label": "a finding describes a flow between", "colour": GREY, "dashes": "2 4",
              "width": 1}]
    return {"parties": parties, "flows": flows}


def _or(labels: list[str]) -> str:
    """["a", "b", "c"] -> "a, b or c"."""
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " or " + labels[-1]


def render_map(G: nx.MultiDiGraph, view: str = "system", target: str | None = None,
               large: int = LARGE_MAP) -> str:
    """One view of the graph as a complete, offline HTML page."""
    pic = VIEW_BUILDERS[view](G, target)
    if len([n for n in pic.nodes if G.nodes[n]["kind"] in PARTY_KINDS]) > large:
        pic = group_services(G, pic)
    nodes, edges = vis_data(G, pic, broken_loops(G))
    if len(nodes) > ROUGH_MAP:
        pic.notes.append(f"With {len(nodes)} nodes the layout is only roughly settled: "
                         "the gaps and org:NAME views are easier to read.")
    data = {"nodes": nodes, "edges": edges, "options": vis_options(pic, len(nodes)),
            "focus": pic.focus}
    return _template().render(title=pic.title, notes=pic.notes, stats=summary(G, nodes, edges),
                              data=data, legend=legend(),
                              vis_js=_vis_asset("vis-network.min.js"),
                              vis_css=_vis_asset("vis-network.css"))


def summary(G: nx.MultiDiGraph, nodes: list[dict], edges: list[dict]) -> str:
    """The line under the title: what this map holds."""
    kinds = [G.nodes[n["id"]]["kind"] for n in nodes]
    flows = [e for e in edges if e["kind"] in ("flow", "missing")]
    parts = [_count(sum(k in PARTY_KINDS for k in kinds), "party", "parties")]
    parts += [_count(kinds.count(k), k) for k in ("finding", "recommendation") if k in kinds]
    if flows:
        failing = sum(e["status"] in NOT_WORKING for e in flows)
        parts.append(f"{_count(len(flows), 'flow')} ({failing} not working)")
        parts.append(_count(sum(1 for e in flows if e.get("label")), "broken loop"))
    else:
        parts.append(_count(len(edges), "link"))
    return " · ".join(parts)


def _count(n: int, word: str, plural: str | None = None) -> str:
    """``_count(1, "flow")`` -> ``"1 flow"``; ``_count(2, "party", "parties")`` -> "2 parties"."""
    return f"{n} {word if n == 1 else plural or word + 's'}"


def _template():
    from jinja2 import Environment, FileSystemLoader
    env = Environment(loader=FileSystemLoader(TEMPLATE.parent), autoescape=True)
    return env.get_template(TEMPLATE.name)


def _vis_asset(name: str) -> str:
    """vis-network's JS or CSS as shipped inside pyvis, safe to inline in its tag.

    The folder is found without importing pyvis (whose ``__init__`` imports IPython).
    """
    import importlib.util
    folder = Path(importlib.util.find_spec("pyvis").submodule_search_locations[0])
    text = (folder / "templates" / "lib" / "vis-9.1.2" / name).read_text(encoding="utf-8")
    # A literal "</script" or "</style" would end the inline block early.
    return re.sub(r"</(script|style)", r"<\\/\1", text, flags=re.I)


def map_filename(G: nx.MultiDiGraph, view: str, target: str | None = None) -> str:
    """The default file name: ``sefton-system.html``, ``sefton-org-camhs.html``."""
    parts = [G.graph["area"], view] + ([target] if target else [])
    slug = re.sub(r"[^a-z0-9.]+", "-", "-".join(parts).lower()).strip("-.")
    return f"{slug}.html"
