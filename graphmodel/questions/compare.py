"""``compare``: the information-sharing failures that recur across areas, by signature.

Why: CQC's national report on these reviews ("Not seen, not heard", 2016) read
fifty of them side by side to find what fails everywhere: outcomes that never
reach GPs, health missing from child protection conferences. Areas name their
parties differently, so failures are compared by **signature**: the sender's
national role, the receiver's and what passes (``graph.signature``).

Two steps, so that an area's part can be computed once and cached:

1. ``area_failures(G)``: one area's failing legs, one entry per signature, from
   its ranked problems (``gaps``: the worst that fails there, with its paragraph and
   words, and its statement when the area declares its problems).
2. ``compare(summaries)``: the signatures that fail in two or more areas, most
   areas first, then what is unique to each area.

A leg whose sender or receiver has no role cannot be compared: it is counted
(``without_role``) and left out, never guessed.
"""

from __future__ import annotations

from collections.abc import Iterator

import networkx as nx

from .. import vocab
from .gaps import gaps

FAILING = frozenset(vocab.failing())


def signature_key(signature: dict) -> tuple[str, str, str]:
    return signature["from"], signature["to"], signature["passes"]


def signature_words(signature: dict) -> str:
    """A signature as people read it: "Children's front door → GP practices: outcome"."""
    passes = vocab.PASSES.get(signature["passes"])
    said = passes.label if passes else "the return (none recorded)"
    return (f"{vocab.role_label(signature['from'])} \u2192 "
            f"{vocab.role_label(signature['to'])}: {said}")


def legs_by_unit(row: dict) -> Iterator[tuple[dict, dict]]:
    """(unit, leg) for each leg of a problem row: a problem holds loops and one-way flows.

    A row without ``units`` (one loop or flow) is its own unit.
    """
    legs = iter(row["legs"])
    for unit in row.get("units") or [{**row, "flows": row["legs"]}]:
        for _ in unit["flows"]:
            yield unit, next(legs)


def _leg_severity(unit: dict, leg: dict) -> str:
    """The severity a failing leg brings: its loop's or flow's, unless a loop's outward leg.

    Why: a broken loop is critical because its return fails; the referral that
    went out late is, on its own, a one-way gap (``vocab.severity``).
    """
    if unit["kind"] == "broken_loop" and leg["role"] == "outward":
        return vocab.severity("gap", leg["status"])
    return unit["severity"]


def _entry(row: dict, unit: dict, leg: dict) -> dict:
    evidence = (leg["evidence"] or row["evidence"] or [{"paragraph": None, "quote": None}])[0]
    return {"signature": dict(leg["signature"]), "severity": _leg_severity(unit, leg),
            "status": leg["status"], "kind": unit["kind"], "leg": leg["role"],
            "rank": row.get("rank"), "problem": row["id"], "summary": row["summary"],
            "paragraph": evidence["paragraph"], "quote": evidence["quote"],
            "statement": row.get("statement"), "flows": 0}


def area_failures(G: nx.MultiDiGraph, rows: list[dict] | None = None) -> dict:
    """One area's failures by signature, the worst problem at each, in priority order.

    ``rows``: the area's problem rows (``gaps(G)``) when the caller has them.
    """
    rows = gaps(G) if rows is None else rows
    found: dict[tuple, dict] = {}
    counted: dict[tuple, set] = {}
    without_role: list[str] = []
    for row in rows:
        for unit, leg in legs_by_unit(row):
            if leg["status"] not in FAILING:
                continue
            flow = leg["flow"] or f"no-return:{row['id']}"
            if not (leg["signature"]["from"] and leg["signature"]["to"]):
                without_role += [flow] if flow not in without_role else []
                continue
            key = signature_key(leg["signature"])
            entry = _entry(row, unit, leg)
            counted.setdefault(key, set()).add(flow)
            if key not in found or (vocab.severity_rank(entry["severity"])
                                    < vocab.severity_rank(found[key]["severity"])):
                found[key] = entry
    for key, entry in found.items():
        entry["flows"] = len(counted[key])
    return {"id": G.graph["area"], "name": G.graph["area_name"], "problems": len(rows),
            "review": review_words(G.graph.get("review")), "failures": list(found.values()),
            "without_role": without_role}


def review_words(review: dict | None) -> str:
    """When an area was reviewed, in words: "held 2019-01-14 to 2019-01-18; published ...".

    ``review``: area.yaml's ``review:`` (its keys as written, or as the graph holds
    them); "unknown" when there is none or it gives no date.
    """
    review = review if isinstance(review, dict) else {}
    said = []
    if review.get("from"):
        said.append(f"held {review['from']}" + (f" to {review['to']}" if review.get("to")
                                                 else ""))
    elif review.get("not_before") or review.get("not_after"):
        bounds = [f"after {review['not_before']}" if review.get("not_before") else "",
                  f"by {review['not_after']}" if review.get("not_after") else ""]
        said.append("held " + " and ".join(b for b in bounds if b) + " (no exact dates)")
    if review.get("published"):
        said.append(f"published {review['published']}")
    return "; ".join(said) or "unknown"


def compare(summaries: list[dict]) -> dict:
    """Failures across areas: ``recurring`` (two or more areas) and ``unique`` (one).

    Each row has the ``signature`` and its ``words``, how many ``areas`` fail there
    and the worst ``severity`` among them, and ``in``: per area, its worst problem there
    (severity, status, rank, problem id, summary, statement), one paragraph and its
    words (``paragraph``, ``quote``), and how many of its flows fail there.
    Recurring rows come most areas first, then worst; unique rows area by area,
    each area's worst first.
    """
    order = {s["id"]: n for n, s in enumerate(summaries)}
    by_key: dict[tuple, list[dict]] = {}
    for summary in summaries:
        for entry in summary["failures"]:
            area = {"id": summary["id"], "name": summary["name"]}
            by_key.setdefault(signature_key(entry["signature"]), []).append(
                {"area": area, **{k: v for k, v in entry.items() if k != "signature"}})
    rows = [_row(key, found) for key, found in by_key.items()]
    recurring = sorted((r for r in rows if r["areas"] > 1),
                       key=lambda r: (-r["areas"], vocab.severity_rank(r["severity"]),
                                      r["words"]))
    unique = sorted((r for r in rows if r["areas"] == 1),
                    key=lambda r: (order[r["in"][0]["area"]["id"]],
                                   vocab.severity_rank(r["severity"]), r["in"][0]["rank"] or 0))
    return {"areas": [_area(s) for s in summaries], "recurring": recurring, "unique": unique}


def _row(key: tuple, found: list[dict]) -> dict:
    signature = dict(zip(("from", "to", "passes"), key, strict=True))
    found = sorted(found, key=lambda f: vocab.severity_rank(f["severity"]))
    return {"signature": signature, "words": signature_words(signature), "areas": len(found),
            "severity": found[0]["severity"], "status": found[0]["status"], "in": found}


def _area(summary: dict) -> dict:
    return {"id": summary["id"], "name": summary["name"], "folder": summary.get("folder"),
            "review": summary.get("review"), "problems": summary["problems"],
            "failing": len(summary["failures"]), "without_role": len(summary["without_role"])}


def compare_rows(result: dict) -> list[dict]:
    """The comparison as flat rows, one per signature and area (csv, markdown)."""
    out = []
    for group in ("recurring", "unique"):
        for row in result[group]:
            for found in row["in"]:
                out.append({"areas": row["areas"], "signature": row["words"],
                            "from_role": row["signature"]["from"],
                            "to_role": row["signature"]["to"],
                            "passes": row["signature"]["passes"],
                            "area": found["area"]["name"], "severity": found["severity"],
                            "status": found["status"], "rank": found["rank"],
                            "paragraph": found["paragraph"], "quote": found["quote"],
                            "statement": found["statement"], "problem": found["problem"],
                            "area_id": found["area"]["id"]})
    return out
