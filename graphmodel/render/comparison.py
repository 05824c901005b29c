"""A comparison of areas (``questions.compare``) as cards: what recurs, then what is unique.

Why cards: each failure carries a quote per area, which a table cannot show
at 80 columns. Every value is treated as hostile text, as elsewhere.
"""

from __future__ import annotations

from ..text import clean
from .tables import TEXT_LINES, Limit, cap, limited, more_line, terminal_width, wrap_lines

UNIQUE_SHOWN = 3  # each area's unique failures shown before "… and N more", unless --all


def render_compare_cards(result: dict, width: int | None = None, limit: Limit = "auto") -> str:
    """Recurring failures as numbered cards, one line per area; then each area's own."""
    width = terminal_width(width)
    areas = result["areas"]
    out = wrap_lines(clean(_title(result)), width)
    for note in _left_out(areas):
        out += wrap_lines(clean(note), width, "", "  ")
    shown, hidden = limited(result["recurring"], limit)
    if result["recurring"]:
        out += ["", f"In two or more areas ({len(result['recurring'])}), most areas first:"]
    for n, row in enumerate(shown, 1):
        out += [""] + _recurring_card(n, row, len(areas), width, limit)
    if hidden:
        out += [""] + more_line(hidden, "recurring failures", width)
    out += _unique(result, width, limit)
    return "\n".join(out) + "\n"


def _title(result: dict) -> str:
    names = ", ".join(a["name"] for a in result["areas"])
    n = len(result["areas"])
    return (f"{n} area{'' if n == 1 else 's'} compared ({names}): "
            f"{len(result['recurring'])} failures recur in two or more; "
            f"{len(result['unique'])} are unique to one")


def _left_out(areas: list[dict]) -> list[str]:
    return [f"{a['name']}: {a['without_role']} failing flow(s) left out, a party on them has "
            "no role ('graphmodel validate --strict' names it)" for a in areas
            if a["without_role"]]


def _recurring_card(n: int, row: dict, total: int, width: int, limit: Limit) -> list[str]:
    lines = wrap_lines(clean(f"In {row['areas']} of {total} areas, worst {row['severity']}: "
                             f"{row['words']}"), width, f"{n}. ", "   ")
    for found in row["in"]:
        lines += _area_line(found, width, limit)
    return lines


def _area_line(found: dict, width: int, limit: Limit, name: bool = True) -> list[str]:
    """One area's worst problem at a signature: severity, rank, statement, its words."""
    where = f"{found['area']['name']}: " if name else ""
    rank = f", #{found['rank']} of its problems" if found.get("rank") else ""
    head = f"{where}{found['severity']} ({found['status']}{rank})"
    said = found.get("statement")
    quote = (f"{found['paragraph']} \u201c{found['quote']}\u201d" if found.get("quote")
             else found["summary"])
    if not said:  # no declared problem: the report's words say it
        return wrap_lines(clean(f"{head}: {quote}"), width, "   - ", "     ",
                          cap(limit, TEXT_LINES))
    return (wrap_lines(clean(f"{head}: {said}"), width, "   - ", "     ", cap(limit, 2)) +
            wrap_lines(clean(quote), width, "     ", "     ", cap(limit, 2)))


def _unique(result: dict, width: int, limit: Limit) -> list[str]:
    by_area: dict[str, list[dict]] = {}
    for row in result["unique"]:
        by_area.setdefault(row["in"][0]["area"]["id"], []).append(row)
    if not by_area:
        return []
    out = ["", f"Unique to one area ({len(result['unique'])}), each area's worst first:"]
    for area in result["areas"]:
        rows = by_area.get(area["id"], [])
        if not rows:
            continue
        out += ["", clean(f"{area['name']}: {len(rows)}")]
        shown = rows if limit is None else rows[:UNIQUE_SHOWN]
        for row in shown:
            out += wrap_lines(clean(row["words"]), width, "  ", "    ")
            out += _area_line(row["in"][0], width, limit, name=False)
        if len(shown) < len(rows):
            out += wrap_lines(f"… and {len(rows) - len(shown)} more unique to "
                              f"{clean(area['name'])}: --all shows every one", width, "  ",
                              "    ")
    return out
