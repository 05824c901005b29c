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


CELL_W, CELL_H, GROUP_GAP, GROUP_HEAD = 215.0, 105.0, 70.0, 40.0


def grouped_positions(groups: dict[str, list[str]],
                      weight: dict[str, int]) -> dict[str, tuple[float, float]]:
    """Each organisation's parties in a block of their own, the busiest blocks in the middle.

    Why: with every party placed by physics, Sefton's system map was a
    hairball in which nobody could see which services belong to which trust.
    Blocks in rows as wide as the page's shape, a block's organisation first
    in it, and the blocks that exchange the most flows in the middle rows and
    columns, so that the most lines are short.
    """
    sizes = {g: _block(len(members)) for g, members in groups.items()}
    order = sorted(groups, key=lambda g: (-weight.get(g, 0), g))
    area = sum((w + GROUP_GAP) * (h + GROUP_GAP) for w, h in sizes.values())
    width = max(max((w for w, _ in sizes.values()), default=0), (area * ASPECT) ** 0.5)
    rows: list[list[str]] = [[]]
    used = 0.0
    for g in order:
        if rows[-1] and used + sizes[g][0] > width:
            rows.append([])
            used = 0.0
        rows[-1].append(g)
        used += sizes[g][0] + GROUP_GAP
    pos: dict[str, tuple[float, float]] = {}
    top = 0.0
    for row in _middle_out(rows):
        left = -sum(sizes[g][0] + GROUP_GAP for g in row) / 2
        for g in _middle_out(row):
            cols = _block_cols(len(groups[g]))
            for i, node in enumerate(groups[g]):
                r, c = divmod(i, cols)
                pos[node] = (left + (c + 0.5) * CELL_W, top + GROUP_HEAD + (r + 0.5) * CELL_H)
            left += sizes[g][0] + GROUP_GAP
        top += max(sizes[g][1] for g in row) + GROUP_GAP
    return pos


def _block_cols(n: int) -> int:
    """Columns of a block of n parties: about as wide as tall, a little wider."""
    import math
    return max(1, math.ceil(math.sqrt(n * CELL_H / CELL_W * 2)))


def _block(n: int) -> tuple[float, float]:
    cols = _block_cols(n)
    return cols * CELL_W, GROUP_HEAD + -(-n // cols) * CELL_H


def _middle_out(items: list) -> list:
    """Heaviest in the middle, lighter outwards: [a, b, c, d, e] -> [d, b, a, c, e]."""
    left: list = []
    right: list = []
    for i, item in enumerate(items):
        (right if i % 2 == 0 else left).append(item)
    return left[::-1] + right
