"""The progress view: flows drawn by what the action plan has done about them."""

from __future__ import annotations

import networkx as nx

from .. import vocab
from .view import View

PROGRESS_WORDS = {"closed": "closed by done actions", "open": "actions under way",
                  "no_action": "no action yet"}


FIXED_MARK = "\u2713 fixed"


def mark_progress(G: nx.MultiDiGraph, view: View, rows: list[dict]) -> None:
    """Draw each flow by what the action plan has done about it (``plan.progress_state``).

    A flow every action meant to fix is done is drawn green and dotted, marked
    fixed; a closed loop loses its broken-loop mark; each gap in the side list
    says whether it is closed, under way or has no action.
    """
    import datetime

    from ..plan.progress import progress_state
    state = progress_state(G, datetime.date.today(), rows)
    by_gap = {g["id"]: g for g in state["gaps"]}
    fixed = {f for g in state["gaps"] for f in g["fixed"]}
    for problem in view.problems:
        gap = by_gap.get(problem.id)
        problem.progress = gap["state"] if gap else ""
        if gap:
            problem.why = f"{PROGRESS_WORDS[gap['state']]}; {problem.why}".rstrip("; ")
    for edge in view.edges:
        if edge.id in fixed:
            edge.progress, edge.colour, edge.dashes = "fixed", vocab.GREEN, (2, 4)
            edge.label = FIXED_MARK
    none_yet = state["summary"]["loops_no_action"] + state["summary"]["gaps_no_action"]
    view.notes.append(f"Progress on {state['as_of']}: {state['summary']['loops_closed']} "
                      f"broken loops and {state['summary']['gaps_closed']} gaps closed, "
                      f"{state['summary']['loops_open'] + state['summary']['gaps_open']} under "
                      f"way, {none_yet}"
                      " with no action (graphmodel progress lists them).")
