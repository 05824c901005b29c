"""Rows -> text: table (rich), json, csv or markdown. A dict of renderers by name.

JSON keeps the rows' nesting (the stable contract); the flat formats show
each nested value as readable text.
"""

from __future__ import annotations

import csv
import io
import json
import re


MAX_LINE = 1000
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def safe_line(text: str, limit: int = MAX_LINE) -> str:
    """User text fit for one terminal line: control characters escaped, long text cut.

    Why: a name holding ESC sequences must not reach the terminal raw, and an
    error must never echo a 100 KB value.
    """
    text = _CONTROL.sub(lambda m: f"\\x{ord(m.group(0)):02x}", str(text).replace("\n", " "))
    return text if len(text) <= limit else text[: limit - 12] + " … (cut)"


def cell(value) -> str:
    """A nested value as one line of text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        if "paragraph" in value and "quote" in value:
            return f"{value['paragraph']}: \u201c{value['quote']}\u201d"
        if "name" in value:
            return str(value["name"] if value.get("id") is None else value["name"])
        return ", ".join(f"{k}={cell(v)}" for k, v in value.items())
    if isinstance(value, list):
        sep = "\n" if value and isinstance(value[0], dict) and "quote" in value[0] else ", "
        return sep.join(cell(v) for v in value)
    return str(value)


def _columns(rows: list[dict], columns: list[str] | None) -> list[str]:
    if columns:
        return columns
    return list(rows[0]) if rows else []


def render_json(rows, columns=None, title=None) -> str:
    return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"


def render_csv(rows, columns=None, title=None) -> str:
    cols = _columns(rows, columns)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(cols)
    for row in rows:
        writer.writerow([cell(row.get(c)) for c in cols])
    return out.getvalue()


def render_markdown(rows, columns=None, title=None) -> str:
    cols = _columns(rows, columns)
    lines = [f"### {title}", ""] if title else []
    if not rows:
        return "\n".join(lines + ["(none)", ""])
    esc = lambda s: cell(s).replace("|", "\\|").replace("\n", "<br>")  # noqa: E731
    lines += ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(esc(row.get(c)) for c in cols) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def render_table(rows, columns=None, title=None) -> str:
    """A rich table, rendered to text at the terminal's width."""
    from rich.console import Console
    from rich.table import Table

    cols = _columns(rows, columns)
    table = Table(title=title, show_lines=True, title_justify="left")
    for c in cols:
        table.add_column(c.replace("_", " "), overflow="fold")
    for row in rows:
        table.add_row(*(cell(row.get(c)) for c in cols))
    console = Console(record=True, soft_wrap=False, highlight=False)
    with console.capture() as capture:
        console.print(table if rows else f"{title + ': ' if title else ''}(none)")
    return capture.get()


RENDERERS = {"table": render_table, "json": render_json, "csv": render_csv,
             "markdown": render_markdown}


AUTO_ROWS = 40  # a table longer than this shows its first rows and counts the rest


def render(rows: list[dict], fmt: str, columns: list[str] | None = None,
           title: str | None = None, wide_columns=None, limit=None) -> str:
    """Rows as text in the named format; JSON ignores ``columns``.

    ``limit="auto"`` cuts a long table to its first rows and says how many
    more there are: England's 7,000 hotspots took seconds to lay out as a
    table nobody reads to the end. The other formats always hold every row.
    """
    rest = 0
    if fmt == "table" and limit is not None:
        keep = AUTO_ROWS if limit == "auto" else int(limit)
        rows, rest = rows[:keep], max(0, len(rows) - keep)
    text = RENDERERS[fmt](rows, columns, title)
    if rest:
        text += f"… and {rest:,} more rows: --all shows every row\n"
    return text


def wrap(text: str, width: int, indent: str = "   ", first: str | None = None) -> str:
    """Greedy word wrap: textwrap's regex chunking costs 30 ms on the front door."""
    lines, line = [], first if first is not None else indent
    for word in text.split():
        if len(line) + len(word) + 1 > width and line.strip():
            lines.append(line.rstrip())
            line = indent
        line += word + " "
    lines.append(line.rstrip())
    return "\n".join(lines)


def render_gap_cards(rows: list[dict], title: str, width: int | None = None) -> str:
    """Gaps as numbered cards: a wide table of quotes is unreadable in a terminal.

    Plain text, not rich: this is the front door and must print instantly.
    """
    import shutil

    width = width or max(60, min(shutil.get_terminal_size((100, 24)).columns, 120))
    out = [title]
    for n, row in enumerate(rows, 1):
        label = "broken loop" if row["kind"] == "broken_loop" else "gap"
        out += ["", wrap(f"{row['severity'].upper()} {label}: {row['from']['name']} "
                         f"\u2192 {row['to']['name']}", width, first=f"{n}. ")]
        legs = " \u2192 back: ".join(f"{leg['passes']} ({leg['status']})" for leg in row["legs"])
        out.append(wrap(f"{legs}. {row['summary']}", width))
        out += [wrap(f"\u00b6 {ev['paragraph']}: \u201c{ev['quote']}\u201d", width)
                for ev in row["evidence"]]
        owners = ", ".join(o["name"] for o in row["owners"]) or "nobody named"
        out.append(wrap(f"Action: {row['action']}. Owners: {owners}.", width))
    if not rows:
        out.append("(none)")
    return "\n".join(out) + "\n"
