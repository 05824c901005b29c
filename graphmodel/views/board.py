"""The board's one page as a self-contained HTML file, or as a PDF.

Why: a safeguarding board reads paper, not a terminal. ``graphmodel gaps``,
``plan``, ``progress`` and ``map`` hold every piece, over hundreds of lines; the
board needs one page it can print, e-mail and open from disk on a locked-down
laptop. So the page links nothing (no script, no font or picture to fetch:
its fonts are the system's, its picture an inline SVG laid out here, with no
physics) and the PDF is the same HTML printed by WeasyPrint, in-process
(the README's "For the board: one page" says why WeasyPrint and not Chromium).

What it shows comes from ``plan.board.board_summary``, the same rows as the
workbook's Board sheet. Model text is untrusted: it reaches the page only
through Jinja's autoescaping, with control characters written as ``\\x1b``.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from .. import vocab
from ..errors import ModelError, UsageError
from ..plan.board import BASIS_TAGS, long_date, short_date
from ..text import clean

TEMPLATE = Path(__file__).parent / "templates" / "board.html"
FORMATS = ("html", "pdf")
RAG = {"red": (vocab.RED, "#f4c7c3"), "amber": (vocab.AMBER, "#fce8b2"),
       "green": (vocab.GREEN, "#d9ead3"), None: ("#8f8f8f", "#eeeeee")}
DEBIAN_PDF = "apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"
PDF_MISSING = ("making a PDF needs WeasyPrint, which is not installed: pip install "
               f"'graphmodel[pdf]' (with the Pango library: on Debian or Ubuntu, {DEBIAN_PDF}); "
               "or make the HTML page and print it from a browser")
PANGO_MISSING = ("making a PDF needs the Pango library, which WeasyPrint cannot load ({}): on "
                 f"Debian or Ubuntu, {DEBIAN_PDF}; on macOS, brew install pango; or make the "
                 "HTML page and print it from a browser")


def board_filename(area_id: str, fmt: str) -> str:
    """``sefton-board.pdf``: the default file name, in the working folder."""
    return f"{area_id}-board.{fmt}"


@dataclass(frozen=True)
class Bounds:
    """What the page shows at most: characters of a problem, of who must act, of a name,
    loops drawn, and whether "How to read this page" is printed."""

    problem: int = 300
    to_act: int = 420
    name: int = 120
    loops: int = 12
    notes: bool = True


# Ample for every real area (Sefton's longest statement is 209 characters, its longest
# list of who must act 7 bodies in 400 characters, its loops in the first ten 9); the
# PDF falls back to TIGHT when a model overflows two pages even so.
AMPLE, TIGHT = Bounds(), Bounds(problem=200, to_act=240, name=90, loops=4, notes=False)


def render_board(summary: dict, fmt: str = "html", version: str = "") -> str | bytes:
    """The page as HTML text, or as PDF bytes (``fmt="pdf"``), two pages at most.

    Why a second try: only a layout engine knows where pages break, so the PDF
    is laid out once and, if it runs past two pages, again within TIGHT bounds.
    """
    if fmt not in FORMATS:
        raise UsageError(f"{fmt!r}: choose {' or '.join(FORMATS)}", option="format")
    page = board_html(summary, version)
    if fmt == "html":
        return page
    document = laid_out(page)
    if len(document.pages) > 2:
        document = laid_out(board_html(summary, version, TIGHT))
    return document.write_pdf()


def board_html(summary: dict, version: str = "", bounds: Bounds = AMPLE) -> str:
    """The page as one HTML file that links nothing."""
    from jinja2 import Environment, FileSystemLoader
    env = Environment(loader=FileSystemLoader(TEMPLATE.parent), autoescape=True,
                      finalize=lambda v: clean(v) if isinstance(v, str) else v)
    env.filters["long_date"] = long_date
    env.filters["short_date"] = short_date
    env.filters["css_text"] = _css_text
    loops = summary["loops"][:bounds.loops]
    shown = {**summary, "problems": [fitted(p, bounds) for p in summary["problems"]]}
    return env.get_template(TEMPLATE.name).render(
        s=shown, version=version, rag=RAG, picture=loops_picture(loops),
        loops_left=len(summary["loops"]) - len(loops), markers=markers(),
        bases=BASIS_TAGS, scopes=vocab.SCOPES, notes=bounds.notes)


def fitted(problem: dict, bounds: Bounds = AMPLE) -> dict:
    """A problem within the page's bounds: its words and who must act, each cut with a
    note of where the rest is."""
    groups, room, left_out = [], bounds.to_act, 0
    for group in problem["to_act"]:
        names = []
        for name in group["names"]:
            name = _cut(name, bounds.name)
            if len(name) + len(group["tag"]) > room:
                left_out += 1
                continue
            names.append(name)
            room -= len(name) + 2
        if names:
            groups.append({**group, "names": names})
            room -= len(group["tag"])
    if left_out:
        groups.append({"tag": "And", "basis": "more",
                       "names": [f"{left_out} more (all in graphmodel gaps)"]})
    return {**problem, "problem": _cut(problem["problem"], bounds.problem), "to_act": groups}


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "\u2026 (in full: graphmodel gaps)"


def laid_out(page: str) -> Any:
    """The page laid out in pages by WeasyPrint, which may fetch nothing.

    Why a fetcher that refuses: the page links nothing, and a PDF made from
    model text must not reach the network if a name ever smuggled a URL in.
    """
    try:
        import weasyprint
    except ImportError:
        raise ModelError(PDF_MISSING) from None
    except OSError as exc:  # WeasyPrint is there but Pango is not
        raise ModelError(PANGO_MISSING.format(clean(exc))) from None
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    return weasyprint.HTML(string=page, url_fetcher=_refuse).render()


def _refuse(url: str, *args: object, **kwargs: object) -> NoReturn:
    raise ValueError(f"the board's page fetches nothing ({url[:60]})")


def _css_text(text: str) -> str:
    """Text safe inside a CSS string (the page footer's area name): word characters only."""
    from markupsafe import Markup
    return Markup(re.sub(r"[^\w .,()-]+", "", clean(text))[:80])


# --- the picture of the broken loops --------------------------------------------------------

CELL_W, CELL_H, COLUMNS = 240, 104, 4
BOX_W, BOX_TOP, BOX_H = 88, 22, 78
LINE_H, BOX_FONT = 11, 9.5  # party names in an 88-wide box
OUT_Y, BACK_Y = 46, 76  # the outward arrow above, the return below
LEGEND_H, LEGEND_CHAR = 22, 4.6  # the legend's band; a character's width at 8.5 units
MISSING_DASH = "2 3"
NARROW = " fijlrtI.,;:'\u2019|!()"


def loops_picture(loops: list[dict]) -> dict:
    """Each loop in a cell of a grid: sender left, receiver right, out above, back below.

    Why a grid of small pictures and not one network: a board reads each loop
    at a glance, nothing crosses, and the layout is the same on every page.
    """
    height = CELL_H * -(-len(loops) // COLUMNS)
    return {"width": CELL_W * COLUMNS, "height": height + LEGEND_H, "cell_w": CELL_W,
            "cell_h": CELL_H, "legend": status_legend(height + LEGEND_H / 2),
            "cells": [_cell(loop, n) for n, loop in enumerate(loops)]}


def _cell(loop: dict, n: int) -> dict:
    """One loop: the outward leg's sender left, its receiver right.

    A return that comes from (or goes to) another party than the outward leg's
    (a referral to children's social care answered by the MASH) splits that
    side into two boxes, the outward leg's above, the return's below.
    """
    x, y = (n % COLUMNS) * CELL_W, (n // COLUMNS) * CELL_H
    out, back = loop["legs"][0], loop["legs"][1]
    left, right = x + 4, x + CELL_W - 4 - BOX_W
    return {"x": x, "y": y, "rank": loop["rank"],
            "boxes": [*_side(out["from"], back["to"], left, y),
                      *_side(out["to"], back["from"], right, y)],
            "arrows": [_arrow(out, left + BOX_W, right, y + OUT_Y, above=True),
                       _arrow(back, right, left + BOX_W, y + BACK_Y, above=False)]}


def _side(outward: str, back: str, x: int, y: int) -> list[dict]:
    """One side of a loop: one box, or two when the return's party is another."""
    if outward == back:
        return [_box(outward, x, y + BOX_TOP, BOX_H)]
    half = (BOX_H - 4) / 2
    return [_box(outward, x, y + BOX_TOP, half),
            _box(back, x, y + BOX_TOP + half + 4, half)]


def _box(name: str, x: int, top: float, height: float) -> dict:
    lines = wrap_to_width(clean(name), (BOX_W - 8) / BOX_FONT)
    most = max(1, int((height - 4) // LINE_H))
    if len(lines) > most:
        lines = lines[:most - 1] + [lines[most - 1][:-1] + "\u2026"]
    first = top + height / 2 - (len(lines) - 1) * LINE_H / 2 + 3
    return {"x": x, "y": top, "w": BOX_W, "h": height,
            "lines": [(first + i * LINE_H, line) for i, line in enumerate(lines)]}


def ems(text: str) -> float:
    """A rough width of text in Arial, in ems, erring wide (capitals, m and w are wide)."""
    return sum(0.85 if c in "mwMW" else 0.7 if c.isupper() else 0.3 if c in NARROW
               else 0.56 for c in text)


def wrap_to_width(text: str, width: float) -> list[str]:
    """Lines of at most ``width`` ems, broken between words (inside a word too long for one).

    Why by width and not by characters: SVG text neither wraps nor shrinks, and
    "MULTI-AGENCY" is half as wide again as "multi-agency".
    """
    lines: list[str] = []
    line = ""
    for word in text.split():
        while ems(word) > width:  # a word wider than the box: cut it where it fills a line
            cut = max(n for n in range(1, len(word) + 1) if ems(word[:n]) <= width)
            lines += [line] if line else []
            lines.append(word[:cut])
            line, word = "", word[cut:]
        joined = f"{line} {word}" if line else word
        if ems(joined) <= width:
            line = joined
        else:
            lines.append(line)
            line = word
    return [*lines, line] if line else lines or [""]


def _arrow(leg: dict, x1: float, x2: float, y: float, above: bool) -> dict:
    status = vocab.STATUSES[leg["status"]]
    label = "return" if leg["missing"] else leg["passes"]
    dash = MISSING_DASH if leg["missing"] else " ".join(map(str, status.dashes))
    return {"x1": x1 + (3 if x1 < x2 else -3), "x2": x2 + (-3 if x1 < x2 else 3), "y": y,
            "colour": status.colour, "dash": dash, "marker": _marker(status.colour),
            "label": label, "status": "none recorded" if leg["missing"] else status.label,
            "label_y": y - 5 if above else y + 11, "status_y": y - 15 if above else y + 21,
            "mid": (x1 + x2) / 2}


def _marker(colour: str) -> str:
    return "arrow-" + colour.lstrip("#")


def status_legend(top: float) -> list[dict]:
    """The picture's legend, one item per look a leg can have, laid out in a row at ``top``.

    Statuses drawn alike share an item ("absent, blocked, broken").
    """
    looks: dict[tuple, list[str]] = {}
    for s in vocab.STATUSES.values():
        looks.setdefault((s.colour, " ".join(map(str, s.dashes))), []).append(s.label)
    looks[(vocab.RED, MISSING_DASH)] = ["a return the report expects and no flow records"]
    items, x = [], 70.0
    for (colour, dash), names in looks.items():
        label = ", ".join(names)
        items.append({"x": x, "y": top, "colour": colour, "dash": dash,
                      "marker": _marker(colour), "label": label})
        x += 46 + len(label) * LEGEND_CHAR
    return items


def markers() -> list[str]:
    """Every arrow colour the picture uses, each needing an arrowhead of its own."""
    return list(dict.fromkeys(s.colour for s in vocab.STATUSES.values()))
