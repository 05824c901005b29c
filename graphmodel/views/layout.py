"""Where a layered view's parties go: commissioners left, services in columns, providers
right, shaped to fill a page."""

from __future__ import annotations

from .view import View

COLUMN_GAP, ROW_GAP, ASPECT = 330.0, 86.0, 1.45  # the map's usual width / height


def layered_positions(view: View, levels: dict[str, int]) -> dict[str, tuple[float, float]]:
    """Commissioners left, services in as many columns as fill the page, providers right.

    Why: one column of services made the commissioning map three columns
    wide and very tall, so it fitted the page at a scale where labels are
    unreadable. Services keep their provider order (column by column), and
    each commissioner and provider sits level with the middle of its services.
    """
    cols = {lv: [n for n in levels if levels[n] == lv] for lv in sorted(set(levels.values()))}
    middle = cols.get(1, [])
    wrap = _best_wrap(len(middle))
    pos: dict[str, tuple[float, float]] = {}
    per_col = -(-len(middle) // wrap) if middle else 0
    for i, node in enumerate(middle):
        col, row = divmod(i, per_col)
        pos[node] = ((1 + col) * COLUMN_GAP, row * ROW_GAP)
    neighbours: dict[str, list[str]] = {}
    for e in view.edges:
        neighbours.setdefault(e.source, []).append(e.target)
        neighbours.setdefault(e.target, []).append(e.source)
    for lv, x in ((0, 0.0), (2, (1 + wrap) * COLUMN_GAP)):
        wanted = {n: _mean_y([pos[m] for m in neighbours.get(n, []) if m in pos])
                  for n in cols.get(lv, [])}
        for n, y in _spread(wanted, ROW_GAP).items():
            pos[n] = (x, y)
    return pos


def _best_wrap(n: int) -> int:
    """How many columns of services make the picture closest to the page's shape."""
    import math
    best, score = 1, math.inf
    for wrap in range(1, max(1, n) + 1):
        width = (wrap + 2) * COLUMN_GAP
        height = max(1, -(-n // wrap)) * ROW_GAP + ROW_GAP
        s = abs(math.log(width / height / ASPECT))
        if s < score:
            best, score = wrap, s
    return best


def _mean_y(points: list[tuple[float, float]]) -> float:
    return sum(p[1] for p in points) / len(points) if points else 0.0


def _spread(wanted: dict[str, float], gap: float) -> dict[str, float]:
    """Places near the wanted heights, in their order, at least ``gap`` apart."""
    placed: dict[str, float] = {}
    last = None
    for node, y in sorted(wanted.items(), key=lambda kv: kv[1]):
        y = y if last is None else max(y, last + gap)
        placed[node] = last = y
    if placed:  # centre the column on the wanted heights
        shift = (sum(wanted.values()) - sum(placed.values())) / len(placed)
        placed = {n: y + shift for n, y in placed.items()}
    return placed
