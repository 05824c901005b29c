"""Which gap comes first: one problem per row, then a priority that explains itself.

Why: a board must be able to cite the list as a whole, so the order cannot be
file order. Two steps, both documented in the README ("How gaps are ranked"):

1. **Group.** Flows that rest on the same evidence paragraphs and fail in the
   same way between the same kinds of party are one gap with several legs
   (paragraph 3.10's minutes missing from six services is one gap, not six).
2. **Score.** Severity (from the codebook's statuses, ``vocab.severity``) comes
   first. Within a severity, points (``POINTS``) for what makes a gap matter to
   children and to the partnership; ties go to more evidence, then file order.

Every gap row carries ``rank`` (1 = first) and ``why``: the factors, their
points and a one-line ``text``.
"""

from __future__ import annotations

import networkx as nx

from .. import vocab

# Points a gap earns within its severity, and how each is explained.
POINTS = {
    "loop": 3,  # a referral or request goes out and the answer never comes back
    "child_protection": 3,  # a party on the child-protection pathway (MASH, conferences...)
    "nothing_passes": 2,  # the failing flow does not happen at all (absent, blocked, broken)
    "unowned": 2,  # no recommendation and no public-health referral: nobody must fix it
    "evidence": 1,  # per evidence paragraph beyond the first, at most EVIDENCE_CAP
    "centrality": 1,  # per step: 2 when a party is the area's best-connected, 1 at half that
}
EVIDENCE_CAP = 3
BREADTH = 2  # places a paragraph may take among the first TOP before others go first
TOP = 10  # the places a board reads first


def party_type(G: nx.MultiDiGraph, node: str) -> str:
    """What kind of party, for grouping: an organisation's own kind, else the party kind.

    Why organisations only: their kinds are roles (commissioner, NHS provider,
    primary care) that change what a failure means; a forum's kind is only
    its format (MARAC is a conference, MAPPA a process: both are forums GPs
    are not told about).
    """
    d = G.nodes[node]
    return d.get("type", "") if d.get("kind") == "organisation" else d.get("kind", "")


def _shape(G: nx.MultiDiGraph, row: dict) -> tuple:
    """How a problem fails, leg by leg, between which kinds of party."""
    return tuple((leg["role"], leg["passes"], leg["status"], party_type(G, leg["from"]["id"]),
                  party_type(G, leg["to"]["id"])) for leg in row["legs"])


def paragraphs_of(row: dict) -> list[str]:
    """The distinct evidence paragraphs of a problem row, in order of first citation."""
    return list(dict.fromkeys(e["paragraph"] for leg in row["legs"] for e in leg["evidence"]))


def group(G: nx.MultiDiGraph, rows: list[dict]) -> list[list[dict]]:
    """Problem rows that are one gap, together; the first member leads (file order kept)."""
    groups: dict[tuple, list[dict]] = {}
    for row in rows:
        key = (row["kind"], frozenset(paragraphs_of(row)), _shape(G, row))
        groups.setdefault(key, []).append(row)
    return list(groups.values())


def partners(G: nx.MultiDiGraph) -> dict[str, int]:
    """For each party, how many other parties it sends flows to or receives them from."""
    out: dict[str, set[str]] = {}
    for _, d in G.nodes(data=True):
        if d.get("kind") == "flow":
            a, b = d["sender"], d["receiver"]
            if a != b:
                out.setdefault(a, set()).add(b)
                out.setdefault(b, set()).add(a)
    return {p: len(s) for p, s in out.items()}


def why(G: nx.MultiDiGraph, row: dict, degree: dict[str, int], top: int) -> dict:
    """The factors behind a gap's place, their points, and a one-line reading of them."""
    ends = list(dict.fromkeys(leg[end]["id"] for leg in row["legs"] for end in ("from", "to")))
    paragraphs = paragraphs_of(row)
    hub = max(ends, key=lambda p: (degree.get(p, 0), -ends.index(p)))
    cp = [p for p in ends if G.nodes[p].get("child_protection")]
    factors = {
        "loop": POINTS["loop"] if row["kind"] == "broken_loop" else 0,
        "child_protection": POINTS["child_protection"] if cp else 0,
        "nothing_passes": POINTS["nothing_passes"]
        if not vocab.STATUSES[row["status"]].happens else 0,
        "unowned": POINTS["unowned"] if not row["recommendations"] and not row["public_health"]
        else 0,
        "evidence": POINTS["evidence"] * min(max(len(paragraphs) - 1, 0), EVIDENCE_CAP),
        "centrality": POINTS["centrality"] * ((2 * degree.get(hub, 0)) // top if top else 0),
    }
    said = []
    if factors["loop"]:
        said.append(f"broken loop +{factors['loop']}")
    if factors["child_protection"]:
        said.append(f"child-protection pathway ({G.nodes[cp[0]]['name']}) "
                    f"+{factors['child_protection']}")
    if factors["nothing_passes"]:
        said.append(f"nothing passes ({row['status']}) +{factors['nothing_passes']}")
    if factors["unowned"]:
        said.append(f"no one owns fixing it +{factors['unowned']}")
    if factors["evidence"]:
        said.append(f"{len(paragraphs)} paragraphs of evidence +{factors['evidence']}")
    if factors["centrality"]:
        said.append(f"{G.nodes[hub]['name']} exchanges with {degree[hub]} parties "
                    f"+{factors['centrality']}")
    score = sum(factors.values())
    text = f"{row['severity']}; {score} points" + (f": {', '.join(said)}" if said else "")
    return {"score": score, **factors, "paragraphs": len(paragraphs),
            "hub": {"id": hub, "name": G.nodes[hub]["name"], "partners": degree.get(hub, 0)},
            "text": text}


def rank(G: nx.MultiDiGraph, rows: list[dict], seq: dict[str, int]) -> list[dict]:
    """Gap rows in priority order, each given ``rank`` and ``why``.

    Order: severity, then points, then evidence paragraphs, then file order
    (``seq``: each flow's position in the model files). Then the breadth
    rule, for the first ``TOP`` places only: a gap citing a paragraph that
    already has ``BREADTH`` places above it gives way to the next gap of the
    same severity from other paragraphs, so the ten a board reads first span
    the report's findings instead of repeating one (its ``why`` says so).
    """
    degree = partners(G)
    top = max(degree.values(), default=0)
    for row in rows:
        row["why"] = why(G, row, degree, top)
        first = next(leg["flow"] for leg in row["legs"] if leg["flow"])
        row["_order"] = (vocab.severity_rank(row["severity"]), -row["why"]["score"],
                         -row["why"]["paragraphs"], seq[first])
    rows.sort(key=lambda r: r.pop("_order"))
    ordered = _breadth_first(rows)
    for n, row in enumerate(ordered, 1):
        row["rank"] = n
    return ordered


def _breadth_first(rows: list[dict]) -> list[dict]:
    """Apply the breadth rule to rows already sorted by severity and points."""
    placed: dict[str, int] = {}
    out: list[dict] = []
    for severity in vocab.SEVERITIES:
        waiting = [r for r in rows if r["severity"] == severity]
        while waiting:
            if len(out) >= TOP:
                out += waiting
                break
            pick = next((r for r in waiting if not _crowded(r, placed)), waiting[0])
            for passed_over in waiting[:waiting.index(pick)]:
                _gave_way(passed_over, _crowded(passed_over, placed))
            waiting.remove(pick)
            out.append(pick)
            for p in paragraphs_of(pick):
                placed[p] = placed.get(p, 0) + 1
    return out


def _crowded(row: dict, placed: dict[str, int]) -> list[str]:
    return [p for p in paragraphs_of(row) if placed.get(p, 0) >= BREADTH]


def _gave_way(row: dict, crowded: list[str]) -> None:
    if crowded and "after" not in row["why"]:
        row["why"]["after"] = crowded
        row["why"]["text"] += (f"; gave way in the first {TOP} places: {', '.join(crowded)} "
                               f"already had {BREADTH} of them")
