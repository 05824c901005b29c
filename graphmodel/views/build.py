"""What each view of the graph shows, before any renderer: nodes, flows drawn as edges, links.

Why a stage of its own: the HTML map, GraphML, GEXF, Kumu, Cytoscape,
Mermaid and CSV all draw the same views, and each must agree on what a view
holds, which flows are broken loops, what an inferred party is and how a
status looks. So this module decides it once, from the vocabulary, and every
renderer only translates a ``View`` into its own syntax.

Traps handled here:

- In the graph a flow is a node (so findings can evidence it and a return can
  answer it); in a view it is one edge sender -> receiver.
- A gap row may have any number of legs (several flows grouped into one gap);
  which legs a row has is read from the rows, never assumed to be two. A leg
  that no flow records (``missing``) is drawn as its own edge.
- Above ``LARGE_MAP`` parties services are drawn inside their providers.
- A party that a flow's evidence never names is the modeller's inference:
  the flow keeps the reason (``inferred``) and which end (``inferred_ends``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from .. import vocab
from ..errors import UsageError
from ..questions.commissioning import commissioning
from ..questions.gaps import flow_actions, gaps
from ..questions.graph import in_by, nodes_of, number, out_by, rec_node
from ..questions.parties import organisation_of, units
from .layout import grouped_positions, layered_positions
from .progress import mark_progress
from .view import (
    LINK_STYLES,
    LOOP_MARK,
    NO_RETURN,
    NODE_STYLES,
    Edge,
    Node,
    Problem,
    View,
    signature_text,
)

VIEWS = tuple(vocab.VIEWS)
TARGETED = tuple(v.name for v in vocab.VIEWS.values() if v.target)  # "party:NAME"
ACROSS_AREAS = tuple(v.name for v in vocab.VIEWS.values() if v.across)  # compare_view
VIEW_ALIASES = vocab.VIEW_ALIASES
LARGE_MAP = 400  # parties; above this services are grouped under their providers

PARTY_KINDS = vocab.party_kinds()
FAILING = vocab.failing()
BELONGS = tuple(e for e, v in vocab.EDGE_TYPES.items()
                if v.structural and not v.contract and e != "coordinates")
CONTRACTS = vocab.contracts()


@dataclass
class Picture:
    """What a view shows as graph ids, before it is drawn."""

    title: str
    nodes: list[str]
    flows: list[str] = field(default_factory=list)
    links: list[tuple[str, str, str]] = field(default_factory=list)  # (from, to, key)
    focus: str | None = None
    levels: dict[str, int] = field(default_factory=dict)  # set: a layered layout
    merged: dict[str, str] = field(default_factory=dict)  # service -> provider shown
    notes: list[str] = field(default_factory=list)
    grouped: bool = False  # drawn organisation by organisation


# --- naming a view ---------------------------------------------------------------------------

def split_view(view: str) -> tuple[str, str | None]:
    """A view as typed -> its name and target (the older ``org:`` is ``party:``).

    >>> split_view("org:camhs"), split_view("system")
    (('party', 'camhs'), ('system', None))

    Raises UsageError for a view that does not exist or lacks (or has a
    needless) target; the target itself is checked by the caller, who can
    resolve names.
    """
    written, _, after = view.partition(":")
    name = VIEW_ALIASES.get(written.strip().lower(), written.strip().lower())
    target = after.strip() or None
    if name not in VIEWS or (target is None) == (name in TARGETED):
        raise UsageError(f"{view!r}: choose {vocab.views_in_words()}", option="view")
    return name, target


def view_slug(area: str, name: str, target: str | None = None) -> str:
    """``sefton-system``, ``sefton-party-camhs``: the stem of default file names."""
    import re
    parts = [area, name] + ([target] if target else [])
    return re.sub(r"[^a-z0-9.]+", "-", "-".join(parts).lower()).strip("-.")


# --- what each view shows ----------------------------------------------------------------------

def system_picture(G: nx.MultiDiGraph, target: str | None = None) -> Picture:
    """Every party, every flow, which party belongs to which and who commissions what."""
    parties = [n for n, k in G.nodes(data="kind") if k in PARTY_KINDS]
    return Picture(f"{G.graph['area_name']}: system map", parties,
                   flows=nodes_of(G, "flow"), links=_links(G, parties, BELONGS + CONTRACTS),
                   grouped=True)


def gaps_picture(G: nx.MultiDiGraph, target: str | None = None) -> Picture:
    """Only the broken loops and gaps, with the parties at their ends."""
    rows = gaps(G)
    flows = list(dict.fromkeys(leg["flow"] for r in rows for leg in r["legs"] if leg["flow"]))
    ends = [G.nodes[f][end] for f in flows for end in ("sender", "receiver")]
    return Picture(f"{G.graph['area_name']}: gaps and broken loops",
                   list(dict.fromkeys(ends)), flows=flows)


def progress_picture(G: nx.MultiDiGraph, target: str | None = None) -> Picture:
    """The gaps and broken loops, to be drawn by how far the action plan has closed them."""
    pic = gaps_picture(G)
    pic.title = f"{G.graph['area_name']}: progress against the action plan"
    return pic


def commissioning_picture(G: nx.MultiDiGraph, target: str | None = None) -> Picture:
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


def party_picture(G: nx.MultiDiGraph, party: str) -> Picture:
    """One party: what is inside it, every flow in or out, and who is at the other end."""
    mine = units(G, party)
    flows = [f for f in nodes_of(G, "flow")
             if G.nodes[f]["sender"] in mine or G.nodes[f]["receiver"] in mine]
    near = out_by(G, party, "part_of") + out_by(G, party, "coordinates")
    for u in mine:  # what it commissions, who commissions it, its sub-contract partners
        near += out_by(G, u, "commissions") + in_by(G, u, "commissions")
        near += out_by(G, u, "subcontracts") + in_by(G, u, "subcontracts")
    ends = [G.nodes[f][end] for f in flows for end in ("sender", "receiver")]
    nodes = list(dict.fromkeys([party, *sorted(mine - {party}), *near, *ends]))
    return Picture(f"{G.graph['area_name']}: {G.nodes[party]['name']}", nodes, flows=flows,
                   links=_links(G, nodes, BELONGS + CONTRACTS), focus=party)


def recommendation_picture(G: nx.MultiDiGraph, rid: str) -> Picture:
    """A recommendation: its owners, the findings citing it and the flows they describe."""
    rec = rec_node(rid)
    owners, findings = in_by(G, rec, "owns"), in_by(G, rec, "cites")
    flows, ends = [], []
    links = [(o, rec, "owns") for o in owners] + [(f, rec, "cites") for f in findings]
    for fi in findings:
        for f in out_by(G, fi, "evidences"):
            if G.nodes[f]["kind"] == "flow":
                pair = [G.nodes[f]["sender"], G.nodes[f]["receiver"]]
                flows.append(f)
                ends += pair
                links += [(fi, p, "describes") for p in pair]
    nodes = list(dict.fromkeys([rec, *owners, *findings, *ends]))
    return Picture(f"{G.graph['area_name']}: recommendation {rid}", nodes,
                   flows=list(dict.fromkeys(flows)), links=list(dict.fromkeys(links)),
                   focus=rec)


PICTURES: dict[str, Callable[[nx.MultiDiGraph, Any], Picture]] = {
    "progress": progress_picture,
    "system": system_picture, "gaps": gaps_picture,
            "commissioning": commissioning_picture, "party": party_picture,
            "recommendation": recommendation_picture}


def _links(G: nx.MultiDiGraph, nodes: list[str], keys: tuple) -> list[tuple[str, str, str]]:
    """Structural edges of the given types between nodes on the view (no flows)."""
    shown = set(nodes)
    return [(u, v, k) for u, v, k in G.edges(keys=True)
            if k in keys and u in shown and v in shown]


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
                   pic.focus, pic.levels, merged, [*pic.notes, note], pic.grouped)


# --- drawing a picture ---------------------------------------------------------------------------

def build_view(G: nx.MultiDiGraph, name: str, target: str | None = None,
               large: int = LARGE_MAP, rows: list[dict] | None = None) -> View:
    """A view of the graph, every node and edge styled and described.

    ``rows``: the gap rows (``queries.gaps``), when the caller has them already.
    """
    pic = PICTURES[name](G, target)
    if sum(G.nodes[n]["kind"] in PARTY_KINDS for n in pic.nodes) > large:
        pic = group_services(G, pic)
    rows = gaps(G) if rows is None else rows
    edges = _flow_edges(G, pic, rows) + [_link_edge(G, u, v, k) for u, v, k in pic.links]
    nodes = [_node(G, n, pic) for n in pic.nodes]
    _mark_nodes(nodes, edges)
    view = View(name, target, G.graph["area"], pic.title, nodes, edges, focus=pic.focus,
                notes=list(pic.notes))
    view.problems = _problems(G, view, rows, pic.merged)
    if name == "progress":
        mark_progress(G, view, rows)
    _rate_parties(view)
    if pic.levels:
        view.positions = layered_positions(view, pic.levels)
    if pic.grouped:
        view.positions = _group_by_organisation(G, view)
    return view


def _top_organisation(G: nx.MultiDiGraph, party: str) -> str:
    """The outermost organisation a party is in: children's social care is the council's."""
    org, seen = organisation_of(G, party), set()
    while G.nodes[org]["kind"] == "organisation" and org not in seen:
        seen.add(org)
        up = [v for key in vocab.contains_up() for v in out_by(G, org, key)]
        up += [u for key in vocab.contains_down() for u in in_by(G, org, key)]
        if not up or G.nodes[up[0]]["kind"] != "organisation" or up[0] in seen:
            break
        org = up[0]
    return org


UNGROUPED = {"forum": "Multi-agency forums", "system": "Record systems"}


def _group_by_organisation(G: nx.MultiDiGraph, view: View) -> dict[str, tuple[float, float]]:
    """Put each party in its organisation's block (forums and systems of none in their own).

    Sets each node's ``group`` and the view's ``groups``; returns the places.
    """
    members: dict[str, list[str]] = {}
    for node in view.nodes:
        org = _top_organisation(G, node.id)
        if G.nodes[org]["kind"] != "organisation":
            org = "group:" + node.kind if node.kind in UNGROUPED else "group:other"
        node.group = org
        members.setdefault(org, []).append(node.id)
    for org, ids in members.items():  # the organisation first in its block
        ids.sort(key=lambda n: n != org)
    view.groups = {org: UNGROUPED.get(org.removeprefix("group:"), "Other parties")
                   if org.startswith("group:") else G.nodes[org]["name"] for org in members}
    group_of = {n.id: n.group for n in view.nodes}
    weight: dict[str, int] = {}
    for e in view.edges:
        if e.kind in ("flow", "missing"):
            for end in (e.source, e.target):
                weight[group_of[end] or ""] = weight.get(group_of[end] or "", 0) + 1
    return grouped_positions(members, weight)


def _node(G: nx.MultiDiGraph, node: str, pic: Picture) -> Node:
    d = G.nodes[node]
    inside = [s for s, p in pic.merged.items() if p == node]
    evidence = d.get("evidence", [])
    recs = ([number(node)] if d["kind"] == "recommendation" else
            [number(r) for r in out_by(G, node, "owns")] if d["kind"] in PARTY_KINDS else
            list(d.get("recommendations", [])))
    return Node(node, d["kind"], d.get("type") or d["kind"], d.get("name", node),
                NODE_STYLES[d["kind"]], aliases=list(d.get("aliases", [])),
                paragraphs=list(dict.fromkeys(e["paragraph"] for e in evidence)),
                quotes=[(e["paragraph"], e["quote"]) for e in evidence],
                recommendations=recs, text=d.get("text", ""), source=d.get("source", ""),
                owners=[G.nodes[o]["name"] for o in in_by(G, node, "owns")]
                if d["kind"] == "recommendation" else [],
                inside=inside, inside_names=[G.nodes[s]["name"] for s in inside],
                belongs=_belongs(G, node), focus=node == pic.focus,
                level=pic.levels.get(node), role=d.get("role") or "")


BELONGS_WORDS = {"provides": "Provided by", "part_of": "Part of", "operates": "Operated by",
                 "hosts": "Hosted by"}


def _belongs(G: nx.MultiDiGraph, node: str) -> list[tuple[str, str]]:
    """What a node belongs to, in words: ("Provided by", "Alder Hey ...")."""
    out = []
    for key, words in BELONGS_WORDS.items():
        ups = out_by(G, node, key) if vocab.EDGE_TYPES[key].contains == "up" else \
            in_by(G, node, key)
        if ups:
            out.append((words, ", ".join(G.nodes[u]["name"] for u in ups)))
    return out


def _loops_by_flow(G: nx.MultiDiGraph, rows: list[dict]) -> dict[str, list[dict]]:
    loops: dict[str, list[dict]] = {}
    for row in rows:
        if row["kind"] == "broken_loop":
            for leg in row["legs"]:
                if leg["flow"]:
                    loops.setdefault(leg["flow"], []).append(row)
    return loops


def _flow_edges(G: nx.MultiDiGraph, pic: Picture, rows: list[dict]) -> list[Edge]:
    """Each flow of the picture as an edge, then the returns that no flow records."""
    loops, worst = _loops_by_flow(G, rows), _worst_by_flow(rows)
    memo: dict = {}
    edges = [_flow_edge(G, f, loops.get(f, []), worst.get(f), pic.merged, memo)
             for f in pic.flows]
    shown, ids = set(pic.flows), set(pic.flows)
    for row in rows:
        if not any(leg["flow"] in shown for leg in row["legs"]):
            continue
        for leg in row["legs"]:
            edge = _missing_edge(leg, row, pic.merged) if leg.get("missing") else None
            if edge and edge.id not in ids:
                ids.add(edge.id)
                edges.append(edge)
    return edges


def _worst_by_flow(rows: list[dict]) -> dict[str, str]:
    """Each flow's worst severity among the problems it is a leg of."""
    worst: dict[str, str] = {}
    for row in rows:
        for leg in row["legs"]:
            flow = leg["flow"]
            if flow and (flow not in worst or vocab.severity_rank(row["severity"])
                         < vocab.severity_rank(worst[flow])):
                worst[flow] = row["severity"]
    return worst


def is_failing_return(G: nx.MultiDiGraph, leg: dict) -> bool:
    """A leg that should bring the answer back and does not (or is not recorded at all)."""
    if leg.get("missing") or not leg["flow"]:
        return True
    return bool(G.nodes[leg["flow"]].get("returns")) and leg["status"] in FAILING


def _flow_edge(G: nx.MultiDiGraph, flow: str, loops: list[dict], severity: str | None,
               merged: dict, memo: dict) -> Edge:
    """A flow drawn as an arrow sender -> receiver, coloured and dashed by status."""
    d = G.nodes[flow]
    status = vocab.STATUSES[d["status"]]
    act = _actions(G, flow, memo)
    returns = any(is_failing_return(G, leg) for loop in loops for leg in loop["legs"]
                  if leg["flow"] == flow)
    return Edge(
        flow, merged.get(d["sender"], d["sender"]), merged.get(d["receiver"], d["receiver"]),
        "flow", status.colour, status.dashes,
        width=5 if loops else 2.5 if d["status"] in FAILING else 1.8,
        label=LOOP_MARK if returns else "", words=f"sends {vocab.PASSES[d['passes']].label} to",
        short=_short(d["passes"], d["status"], returns),
        status=d["status"], passes=d["passes"], summary=d["name"],
        paragraphs=list(dict.fromkeys(e["paragraph"] for e in d["evidence"])),
        quotes=[(e["paragraph"], e["quote"]) for e in d["evidence"]],
        findings=act["findings"], recommendations=act["recommendations"],
        owners=[o["name"] for o in act["owners"]], action=act["action"],
        severity=severity, loop=bool(loops), loops=[_loop_words(r) for r in loops],
        inferred=d.get("inferred"), inferred_ends=list(d.get("inferred_ends") or []),
        source_line=d.get("source", ""), signature=signature_text(d["signature"]))


def _short(passes: str, status: str, failing_return: bool) -> str:
    """A flow's label in a downloaded picture: "referral · absent", "⟲ outcome · absent"."""
    return ("⟲ " if failing_return else "") + f"{passes.replace('_', ' ')} · {status}"


def _loop_words(row: dict) -> str:
    return " then ".join(f"{leg['from']['name']} → {leg['to']['name']}: {leg['passes']} "
                         f"({leg['status']})" for leg in row["legs"])


def _actions(G: nx.MultiDiGraph, flow: str, memo: dict) -> dict:
    """``flow_actions`` of one flow, shared by flows that the same findings evidence.

    Why: the answer depends only on the findings (and the flow's own choice of
    recommendations), and in a large model many flows share them; asking once
    per flow took 20 s at 100 times Sefton.
    """
    decided = G.nodes[flow].get("recommendations")
    key = (tuple(in_by(G, flow, "evidences")), tuple(decided) if decided is not None else None)
    if key not in memo:
        memo[key] = flow_actions(G, [flow])
    return memo[key]


def _missing_edge(leg: dict, row: dict, merged: dict) -> Edge:
    """A return that never comes back, drawn as a red dashed arrow marked as a loop."""
    a, b = leg["from"]["id"], leg["to"]["id"]
    outward = next((x["flow"] for x in row["legs"] if x["flow"]), "")
    status = vocab.STATUSES.get(leg["status"])
    return Edge(f"no-return:{outward}", merged.get(a, a), merged.get(b, b), "missing",
                status.colour if status else vocab.RED, (3, 6), width=5, label=NO_RETURN,
                short="⟲ no return",
                words="should send back", status=leg["status"], passes="return",
                summary=leg["summary"], recommendations=list(row["recommendations"]),
                findings=list(row["findings"]), owners=[o["name"] for o in row["owners"]],
                action=row["action"], severity=row["severity"], loop=True,
                loops=[_loop_words(row)])


def _link_edge(G: nx.MultiDiGraph, u: str, v: str, key: str) -> Edge:
    """A structural link (provides, part of, commissions, owns...), styled by its type."""
    style = LINK_STYLES[key]
    return Edge(f"{key}:{u}:{v}", u, v, key, style.colour, style.dashes, width=1.2,
                label="sub-contract" if key == "subcontracts" else "", words=style.words,
                arrow=style.arrow)


def _mark_nodes(nodes: list[Node], edges: list[Edge]) -> None:
    """Count, per party, the drawn flows that infer it and those whose evidence names it."""
    by_id = {n.id: n for n in nodes}
    for e in edges:
        if e.kind != "flow":
            continue
        for end, node in (("from", e.source), ("to", e.target)):
            if node in by_id:
                if end in e.inferred_ends:
                    by_id[node].inferred += 1
                else:
                    by_id[node].named += 1
    for n in nodes:
        n.dashed = n.inferred > 0 and n.named == 0


def _problems(G: nx.MultiDiGraph, view: View, rows: list[dict], merged: dict) -> list[Problem]:
    """The gap rows with at least one leg drawn on the view, worst first (the rows' order)."""
    drawn = {e.id for e in view.edges}
    shown = {n.id for n in view.nodes}
    out = []
    for row in rows:
        ids = [leg["flow"] if leg["flow"] else
               f"no-return:{next((x['flow'] for x in row['legs'] if x['flow']), '')}"
               for leg in row["legs"]]
        edges = [i for i in dict.fromkeys(ids) if i in drawn]
        if not edges:
            continue
        ends = [merged.get(leg[end]["id"], leg[end]["id"]) for leg in row["legs"]
                for end in ("from", "to")]
        legs = [{"edge": i, "from": leg["from"]["name"], "to": leg["to"]["name"],
                 "passes": leg["passes"], "status": leg["status"]}
                for i, leg in zip(ids, row["legs"], strict=True)]
        why = row.get("why")
        out.append(Problem(row["id"], row["kind"], row["severity"], row["summary"], legs,
                           edges, [p for p in dict.fromkeys(ends) if p in shown],
                           rank=row.get("rank"),
                           why=why.get("text", "") if isinstance(why, dict) else why or ""))
    return out


def _rate_parties(view: View) -> None:
    """Each party's worst problem on the view (problems come worst first)."""
    by_id = {n.id: n for n in view.nodes}
    for problem in view.problems:
        for party in problem.parties:
            if by_id[party].severity is None:
                by_id[party].severity = problem.severity


def party_problems(G: nx.MultiDiGraph | None, view: View) -> dict[str, list[int]]:
    """For each party on the view, the problems (indexes, worst first) it or its units are in.

    ``G`` None: a view drawn across areas, whose parties hold nothing inside them.
    """
    index: dict[str, list[int]] = {}
    for i, problem in enumerate(view.problems):
        for party in problem.parties:
            index.setdefault(party, []).append(i)
    out = {}
    for n in view.nodes:
        if n.kind not in PARTY_KINDS and G is not None:
            continue
        found = set()
        for unit in (units(G, n.id) if G is not None else {n.id}) | set(n.inside):
            found.update(index.get(unit, []))
        if found:
            out[n.id] = sorted(found)
    return out


# --- across areas ------------------------------------------------------------------------------

def compare_view(result: dict) -> View:
    """Roles as parties and, between them, each signature that fails somewhere.

    ``result``: ``questions.compare.compare``. An arrow's width grows with the
    areas that fail there (the widest: the most); it is coloured by the worst
    status among them and labelled with the count where two or more areas fail.
    The list beside the map holds the recurring failures, most areas first.
    """
    total = len(result["areas"])
    rows = [*result["recurring"], *result["unique"]]
    most = max((r["areas"] for r in rows), default=1)
    roles = list(dict.fromkeys(r["signature"][end] for r in rows for end in ("from", "to")))
    nodes = [_role_node(role) for role in roles]
    edges = [_signature_edge(row, total, most) for row in rows]
    names = ", ".join(a["name"] for a in result["areas"])
    areas = f"{total} area" + ("" if total == 1 else "s")
    view = View("compare", None, areas.replace(" ", "-"), f"What fails across {areas} ({names})",
                nodes, edges)
    view.problems = [Problem(e.id, f"in {row['areas']} areas", row["severity"], row["words"],
                             [], [e.id], [row["signature"]["from"], row["signature"]["to"]],
                             rank=n, why="; ".join(_found_words(f) for f in row["in"]))
                     for n, (row, e) in enumerate(zip(result["recurring"],
                                                      edges[:len(result["recurring"])],
                                                      strict=True), 1)]
    _rate_parties(view)
    return view


def _role_node(role: str) -> Node:
    spec = vocab.ROLES[role]
    kind = "health_role" if spec.health else "partner_role"
    return Node(role, kind, role, spec.label, NODE_STYLES[kind], text=spec.definition,
                role=role)


def _signature_edge(row: dict, total: int, most: int) -> Edge:
    sig, status = row["signature"], vocab.STATUSES[row["status"]]
    passes = vocab.PASSES[sig["passes"]].label if sig["passes"] in vocab.PASSES else "return"
    return Edge(signature_text(sig), sig["from"], sig["to"], "signature", status.colour,
                status.dashes, width=2 + 8 * (row["areas"] - 1) / max(most - 1, 1),
                label=f"{row['areas']} areas" if row["areas"] > 1 else "",
                words=f"fails to send {passes} to", status=row["status"], passes=sig["passes"],
                summary=f"Fails in {row['areas']} of {total} areas: " +
                        ", ".join(f"{f['area']['name']} ({f['severity']})" for f in row["in"]),
                paragraphs=[f"{f['area']['name']} {f['paragraph']}" for f in row["in"]],
                quotes=[(f"{f['area']['name']} {f['paragraph']}", f["quote"])
                        for f in row["in"] if f["quote"]],
                severity=row["severity"], loop=any(f["leg"] == "return" for f in row["in"]),
                signature=signature_text(sig))


def _found_words(found: dict) -> str:
    rank = f", #{found['rank']} of its problems" if found.get("rank") else ""
    return f"{found['area']['name']}: {found['severity']} ({found['status']}{rank})"
