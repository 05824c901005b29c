"""A view as every renderer receives it: nodes, edges and problems, styled and described.

Why a module of its own: the HTML map, the board pack and every export format
read these types and nothing else of ``views.build``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import vocab

LOOP_MARK = "⟲ broken loop"


def signature_text(signature: dict) -> str:
    """A flow's signature as one line: "front_door → gp_practice: outcome" ("?": no role)."""
    return f"{signature['from'] or '?'} → {signature['to'] or '?'}: {signature['passes']}"


NO_RETURN = LOOP_MARK + " (no return)"


@dataclass(frozen=True)
class LinkStyle:
    """How a structural link is drawn and said: "A <words> B"."""

    words: str
    colour: str
    dashes: tuple[int, ...]
    arrow: bool


# Links between nodes: the graph's edge types, and one drawn only on views
# (a finding describes a flow between two parties).
LINK_STYLES = {**{k: LinkStyle(v.words, v.colour, v.dashes, v.contract or k in ("owns", "cites"))
                  for k, v in vocab.EDGE_TYPES.items()},
               "describes": LinkStyle("describes a flow of", vocab.GREY, (2, 4), False)}


@dataclass(frozen=True)
class NodeStyle:
    label: str  # the kind, for people
    shape: str  # vis-network's shape names; other renderers map them
    fill: str
    border: str
    font: str


NODE_STYLES = {**{k: NodeStyle(v.label, v.shape, v.fill, v.border, v.font)
                  for k, v in vocab.PARTY_KINDS.items()},
               **{k: NodeStyle(*v) for k, v in vocab.OTHER_NODE_STYLES.items()},
               # the compare view's parties: national roles, a health body's or another's
               "health_role": NodeStyle("Health role", "ellipse", "#a9cfee", "#3f7cb5",
                                        "#10263d"),
               "partner_role": NodeStyle("Council, police or multi-agency role", "box",
                                         "#2a9d8f", "#17665d", "#ffffff")}
FLOW_KINDS = ("flow", "missing", "signature")  # edges that carry a status (not links)


@dataclass
class Node:
    """A party, finding or recommendation as drawn."""

    id: str
    kind: str
    type: str
    name: str
    style: NodeStyle
    aliases: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    quotes: list[tuple[str, str]] = field(default_factory=list)
    recommendations: list[str] = field(default_factory=list)  # owned, or its own number
    owners: list[str] = field(default_factory=list)  # a recommendation's owners, by name
    text: str = ""  # a finding's or recommendation's words
    source: str = ""  # model file and line
    inside: list[str] = field(default_factory=list)  # services drawn inside it, by id
    inside_names: list[str] = field(default_factory=list)
    belongs: list[tuple[str, str]] = field(default_factory=list)  # ("Provided by", name)
    severity: str | None = None  # the worst problem on the view it is party to
    inferred: int = 0  # flows on the view whose evidence does not name it at this end
    named: int = 0  # flows on the view whose evidence names it
    focus: bool = False  # the party or recommendation the view is about
    level: int | None = None  # column in a layered view
    dashed: bool = False  # every flow drawn to or from it infers it
    role: str = ""  # its national role (vocab.ROLES), "" when it has none
    group: str | None = None  # the organisation it is drawn inside (system view)


@dataclass
class Edge:
    """A flow (sender -> receiver), a return no flow records, or a structural link."""

    id: str
    source: str
    target: str
    kind: str  # "flow", "missing", "signature" (compare view) or the link's edge type
    colour: str
    dashes: tuple[int, ...] = ()
    width: float = 1.2
    label: str = ""  # drawn on the line: the broken-loop mark, "sub-contract"
    short: str = ""  # what passes and its status, short: every flow's label in a download
    words: str = ""  # "A <words> B"
    status: str = ""
    passes: str = ""
    summary: str = ""
    paragraphs: list[str] = field(default_factory=list)
    quotes: list[tuple[str, str]] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    recommendations: list[str] = field(default_factory=list)
    owners: list[str] = field(default_factory=list)  # by name
    action: str = ""
    severity: str | None = None  # of the worst problem it is a leg of
    loop: bool = False  # a leg of a broken feedback loop
    loops: list[str] = field(default_factory=list)  # those loops, as "A → B: passes (status)"
    inferred: str | None = None  # the modeller's reason, when an end is not named
    inferred_ends: list[str] = field(default_factory=list)  # "from", "to"
    source_line: str = ""
    arrow: bool = True
    progress: str = ""  # progress view: "fixed" by done actions, else its gap's state
    signature: str = ""  # a flow's roles and what passes: "front_door → gp_practice: outcome"


@dataclass
class Problem:
    """A gap or broken loop drawn on the view, for lists beside the map."""

    id: str
    kind: str
    severity: str
    summary: str
    legs: list[dict]  # flow or edge id, from and to names, passes, status
    edges: list[str]  # edge ids on the view
    parties: list[str]  # node ids on the view
    rank: int | None = None  # the row's rank among all the area's gaps, when ranked
    why: str = ""  # the ranking's reasons, in words
    progress: str = ""  # progress view: closed, open or no_action


@dataclass
class View:
    """One view, ready for any renderer."""

    name: str
    target: str | None
    area: str
    title: str
    nodes: list[Node]
    edges: list[Edge]
    problems: list[Problem] = field(default_factory=list)
    focus: str | None = None
    positions: dict[str, tuple[float, float]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    groups: dict[str, str] = field(default_factory=dict)  # organisation id -> its name

    def node(self, node_id: str) -> Node:
        return next(n for n in self.nodes if n.id == node_id)

    def edge(self, edge_id: str) -> Edge:
        return next(e for e in self.edges if e.id == edge_id)
