"""Rows -> text: tables for people, json, csv and markdown for files.

JSON keeps the rows' nesting (the stable contract); the flat formats show
each nested value as readable text. Plain text, not rich: rich parses user
text as markup (a name holding "[/x]" crashed it), folds words in narrow
columns, and costs start-up time; a table is a few dozen lines of arithmetic.
Every value is treated as hostile (``graphmodel.text``).
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable, Collection, Iterable
from typing import Any, Literal, Protocol, TypeVar

from ..text import clean, csv_safe, json_safe

CELL_LINES = 6  # a table cell shows at most this many lines (all with --wide)
TEXT_LINES = 3  # a card's prose paragraph (a quote, a finding's text)
AUTO_ROWS = 20  # a long table or list of cards shows this many items unless --all ...
AUTO_SLACK = 5  # ... and only when that hides more than this many
MIN_WIDTH, MAX_WIDTH = 40, 120  # cards and tables never narrower or (unless --wide) wider
GUTTER = "  "
ROW_LINES = 3  # a table drops its least important columns while a typical row is taller ...
MIN_COLUMNS = 3  # ... down to this many
Row = dict[str, Any]  # a question's answer row: loose JSON-like data, nested
Limit = int | Literal["auto"] | None  # None: every row; "auto": the first AUTO_ROWS
Item = TypeVar("Item")


class Renderer(Protocol):
    """A format's renderer: the rows, the columns a person reads, a title; the
    table's options (wide_columns, limit, width, wide, keep) by keyword."""

    def __call__(self, rows: list[Row], columns: Iterable[str] | None = None,
                 title: str | None = None, **options: Any) -> str: ...


# --- display widths and wrapping ----------------------------------------------------------

def width_of(text: str) -> int:
    """Terminal columns a string takes: wide (CJK) characters two, combining marks none."""
    if text.isascii():
        return len(text)
    return sum(0 if unicodedata.combining(c) else
               2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def fit(word: str, room: int) -> str:
    """A word that fits ``room`` columns: cut with an ellipsis, never wrapped mid-word."""
    if width_of(word) <= room:
        return word
    while word and width_of(word) > room - 1:
        word = word[:-1]
    return word + "…" if room > 0 else ""


def wrap_lines(text: str, width: int, first: str = "", indent: str = "",
               max_lines: int | None = None) -> list[str]:
    """Greedy word wrap that never breaks a word and never exceeds ``width``.

    A word wider than a line is cut with an ellipsis; more than ``max_lines``
    lines end in " …". textwrap's regex chunking cost 30 ms on the front door.
    """
    lines, line, words_on_line = [], first, 0
    used = width_of(line)
    for word in text.split():
        word_width = width_of(word)
        if words_on_line and used + word_width > width:
            lines.append(line.rstrip())
            line, words_on_line, used = indent, 0, width_of(indent)
        shown = fit(word, width - used) if used + word_width > width else word
        line += shown + " "
        used += (word_width if shown is word else width_of(shown)) + 1
        words_on_line += 1
    lines.append(line.rstrip())
    if max_lines and len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = _ellipsis(lines[-1], width)
    return lines


def _ellipsis(line: str, width: int) -> str:
    """A line that ends in " …" (text follows that is not shown), within ``width``."""
    while width_of(line) + 2 > width and " " in line.strip():
        line = line.rstrip().rsplit(" ", 1)[0]
    return line.rstrip() + " …" if width_of(line) + 2 <= width else fit(line, width)


def wrap(text: str, width: int, indent: str = "   ", first: str | None = None,
         max_lines: int | None = None) -> str:
    """Word-wrapped text with a hanging indent (``first`` starts the first line)."""
    return "\n".join(wrap_lines(clean(text), width, indent if first is None else first,
                                indent, max_lines))


def terminal_width(width: int | None = None) -> int:
    """The width to lay text out at: the terminal's (COLUMNS), within sane bounds."""
    import shutil
    width = width or shutil.get_terminal_size((100, 24)).columns
    return max(MIN_WIDTH, min(width, MAX_WIDTH))


# --- cells ------------------------------------------------------------------------------

def cell(value: object) -> str:
    """A nested value as text (a list of quotes keeps one quote per line)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        if "paragraph" in value and "quote" in value:
            return f"{value['paragraph']}: \u201c{value['quote']}\u201d"
        if "name" in value:
            return str(value["name"])
        if "text" in value:  # a gap's why: its one-line reading
            return str(value["text"])
        return ", ".join(f"{k}={cell(v)}" for k, v in value.items())
    if isinstance(value, list):
        sep = "\n" if value and isinstance(value[0], dict) and "quote" in value[0] else ", "
        return sep.join(cell(v) for v in value)
    return str(value)


def text(value: object) -> str:
    """A value as one line of terminal-safe text."""
    return clean(cell(value))


def _is_number(value: object) -> bool:
    """A number graphmodel computed (a count, a score): never user text, never a formula."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _columns(rows: list[Row], columns: Iterable[str] | None,
             wide_columns: Iterable[str] | None = None) -> list[str]:
    cols = list(columns) if columns else (list(rows[0]) if rows else [])
    return cols + [c for c in wide_columns or [] if c not in cols]


# --- files: json, csv, markdown --------------------------------------------------------------

def render_json(rows: list[Row] | Row, columns: Iterable[str] | None = None,
                title: str | None = None, **_: object) -> str:
    """The rows (or one nested answer) as they are; C1 and bidi controls escaped too."""
    return json_safe(json.dumps(rows, indent=2, ensure_ascii=False)) + "\n"


def render_csv(rows: list[Row], columns: Iterable[str] | None = None, title: str | None = None,
               wide_columns: Iterable[str] | None = None, **_: object) -> str:
    import csv
    import io
    cols = _columns(rows, columns, wide_columns)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([csv_safe(c) for c in cols])
    for row in rows:
        writer.writerow([row.get(c) if _is_number(row.get(c)) else csv_safe(cell(row.get(c)))
                         for c in cols])
    return out.getvalue()


def render_markdown(rows: list[Row], columns: Iterable[str] | None = None,
                    title: str | None = None, wide_columns: Iterable[str] | None = None,
                    **_: object) -> str:
    cols = _columns(rows, columns, wide_columns)
    lines = [f"### {clean(title)}", ""] if title else []
    if not rows:
        return "\n".join(lines + ["(none)", "", ""])

    def esc(value: object) -> str:
        return "<br>".join(clean(part).replace("|", "\\|") for part in cell(value).split("\n"))
    lines += ["| " + " | ".join(esc(c) for c in cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(esc(row.get(c)) for c in cols) + " |" for row in rows]
    return "\n".join(lines) + "\n\n"  # a blank line ends the table before what follows

def titled(title: str, shown: int, total: int) -> str:
    return clean(title) + (f" (the first {shown} shown)" if shown < total else "")



def cap(limit: Limit, lines: int) -> int | None:
    """Lines a card's paragraph keeps: all of them when every row is asked for (--all)."""
    return None if limit is None else lines


# --- people: tables fitted to the terminal ---------------------------------------------------

def limited(items: list[Item], limit: Limit) -> tuple[list[Item], int]:
    """The items to show and how many are held back ("auto": the first AUTO_ROWS)."""
    if limit == "auto":
        limit = AUTO_ROWS if len(items) > AUTO_ROWS + AUTO_SLACK else None
    if limit is None or len(items) <= limit:
        return items, 0
    return items[:limit], len(items) - limit


def more_line(hidden: int, noun: str = "rows", width: int | None = None) -> list[str]:
    """What a limited list leaves out, and how to see it."""
    return wrap_lines(f"… and {hidden} more {noun}: --all shows every one, --format csv "
                      "writes them all", terminal_width(width), "", "  ") if hidden else []


def render_table(rows: list[Row], columns: Iterable[str] | None = None,
                 title: str | None = None, wide_columns: Iterable[str] | None = None,
                 limit: Limit = None, width: int | None = None, wide: bool = False,
                 keep: Collection[str] = (), row_lines: int = ROW_LINES, **_: object) -> str:
    """A table that fits the terminal: names first, whole words, short columns at ease.

    Columns come most important first; those that cannot fit at the width,
    or would make a typical row taller than ROW_LINES, are left out (and
    named); ``wide_columns`` only appear with ``wide``.
    Each cell keeps at most CELL_LINES lines unless ``wide``.
    ``keep``: key columns (ids a user must type, due dates): never left out,
    and never a word cut, so a draft id can be copied from the table.
    ``row_lines``: how tall a typical row may grow before columns are left out.
    """
    title = clean(title) if title else None
    if not rows:
        return "\n".join(wrap_lines(f"{title + ': ' if title else ''}(none)",
                                     terminal_width(width), "", "  ")) + "\n"
    shown, hidden = limited(rows, limit)
    cols = _columns(rows, columns, wide_columns if wide else None)
    cells = {c: [[clean(p) for p in cell(r.get(c)).split("\n")] for r in shown] for c in cols}
    numeric = {c for c in cols if all(_is_number(r.get(c)) for r in shown)}
    width = terminal_width(width)
    mins = {c: _min_width(c, cells[c], width, c in keep) for c in cols}
    naturals = {c: max(width_of(_header(c)), *(width_of(p) for v in cells[c] for p in v))
                for c in cols}
    dropped: list[str] = []
    while not wide and len(cols) > 1:
        room = width - len(GUTTER) * (len(cols) - 1)
        if sum(mins[c] for c in cols) <= room:
            widths = _share(cols, mins, naturals, room)
            if len(cols) <= MIN_COLUMNS or _typical_height(cols, cells, widths) <= row_lines:
                break
        loose = [c for c in cols if c not in keep]
        if not loose:
            break
        cols.remove(loose[-1])  # the least important column goes first
        dropped.insert(0, loose[-1])
    widths = naturals if wide else _share(cols, mins, naturals,
                                          width - len(GUTTER) * (len(cols) - 1))
    out = wrap_lines(titled(title, len(shown), len(rows)), width, "", "  ") if title else []
    out += _table_lines(cols, cells, widths, numeric, None if wide else CELL_LINES, keep)
    out += more_line(hidden, "rows", width)
    if dropped:
        out += wrap_lines(f"(left out at this width: {', '.join(_header(c) for c in dropped)}; "
                          "--wide shows every column)", width, "", " ")
    return "\n".join(out) + "\n"


def _typical_height(cols: list[str], cells: dict[str, list[list[str]]],
                    widths: dict[str, int]) -> int:
    """The median row's height in lines, had the columns these widths."""
    heights = sorted(max(sum(len(wrap_lines(p, widths[c])) for p in cells[c][i]) for c in cols)
                     for i in range(len(cells[cols[0]])))
    return heights[len(heights) // 2]


def _header(column: str) -> str:
    return column.replace("_", " ")


def _min_width(column: str, values: list[list[str]], width: int, key: bool = False) -> int:
    """The longest word (a column never breaks one), within a third of the width; a key
    column's longest word whole (within the width less a narrow column beside it)."""
    words = [w for v in values for p in v for w in p.split()] + _header(column).split()
    return min(max(width_of(w) for w in words),
               width - 24 if key else max(width // 3, 12))


def _share(cols: list[str], mins: dict[str, int], naturals: dict[str, int],
           room: int) -> dict[str, int]:
    """Widths that fill ``room``: short columns get their natural width, the rest share.

    Water-filling: find the level L such that every column gets L, clamped
    between its minimum and its natural width, and the sum fits.
    """
    def total(level: int) -> int:
        return sum(max(mins[c], min(level, naturals[c])) for c in cols)
    if total(max(naturals.values())) <= room:
        return dict(naturals)
    low, high = 0, max(naturals.values())
    while low < high:
        mid = (low + high + 1) // 2
        low, high = (mid, high) if total(mid) <= room else (low, mid - 1)
    widths = {c: max(mins[c], min(low, naturals[c])) for c in cols}
    spare = room - sum(widths.values())
    for c in sorted(cols, key=lambda c: widths[c] - naturals[c]):  # the most squeezed first
        if spare <= 0:
            break
        extra = min(spare, naturals[c] - widths[c])
        widths[c] += extra
        spare -= extra
    return widths


def _table_lines(cols: list[str], cells: dict[str, list[list[str]]], widths: dict[str, int],
                 numeric: set[str], max_lines: int | None,
                 keep: Collection[str] = ()) -> list[str]:
    def pad(value: str, c: str) -> str:
        gap = " " * (widths[c] - width_of(value))
        return gap + value if c in numeric else value + gap

    def line(parts: list[str]) -> str:
        return GUTTER.join(pad(p, c) for p, c in zip(parts, cols, strict=True)).rstrip()

    heads = {c: wrap_lines(_header(c), widths[c]) for c in cols}
    out = _merge(cols, heads, line)
    out.append(GUTTER.join("\u2500" * widths[c] for c in cols))
    blocks = []
    for i in range(len(cells[cols[0]])):
        wrapped = {c: [w for p in cells[c][i] for w in wrap_lines(p, widths[c])] for c in cols}
        for c in cols:
            if max_lines and len(wrapped[c]) > max_lines and c not in keep:
                wrapped[c] = wrapped[c][:max_lines - 1] + [
                    _ellipsis(wrapped[c][max_lines - 1], widths[c])]
        blocks.append(_merge(cols, wrapped, line))
    spaced = any(len(b) > 1 for b in blocks)  # rows of several lines read best apart
    for n, block in enumerate(blocks):
        out += ([""] if spaced and n else []) + block
    return out


def _merge(cols: list[str], wrapped: dict[str, list[str]],
           line: Callable[[list[str]], str]) -> list[str]:
    height = max(len(v) for v in wrapped.values())
    return [line([wrapped[c][k] if k < len(wrapped[c]) else "" for c in cols])
            for k in range(height)]


def render(rows: list[Row], fmt: str, columns: list[str] | None = None,
           title: str | None = None, wide_columns: Iterable[str] | None = None,
           limit: Limit = None, width: int | None = None, wide: bool = False,
           keep: Collection[str] = ()) -> str:
    """Rows as text in the named format.

    ``columns``: what a person reads, most important first. ``wide_columns``:
    ids and details that csv and markdown always carry, and a table only with
    ``wide``. ``limit``: "auto" shows a long table's first rows, None all.
    JSON ignores the columns: it is the contract.
    """
    return RENDERERS[fmt](rows, columns, title, wide_columns=wide_columns, limit=limit,
                          width=width, wide=wide, keep=keep)


RENDERERS: dict[str, Renderer] = {"table": render_table, "json": render_json, "csv": render_csv,
             "markdown": render_markdown}
