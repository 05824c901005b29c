"""Rows -> text: tables and cards for people, json, csv and markdown for files.

JSON keeps the rows' nesting (the stable contract); the flat formats show
each nested value as readable text. Plain text, not rich: rich parses user
text as markup (a name holding "[/x]" crashed it), folds words in narrow
columns, and costs start-up time; a table is a few dozen lines of arithmetic.

Every renderer treats row values as hostile: control characters, ESC
sequences and bidirectional overrides are shown escaped in text meant for a
terminal, and CSV cells that a spreadsheet would run as a formula are
neutralised (OWASP, "CSV Injection").
"""

from __future__ import annotations

import json
import re
import unicodedata

MAX_LINE = 1000  # an error line never echoes more of a value than this
CELL_LINES = 6  # a table cell shows at most this many lines (all with --wide)
TEXT_LINES = 3  # a card's prose paragraph (a quote, a finding's text)
AUTO_ROWS = 20  # a long table or list of cards shows this many items unless --all ...
AUTO_SLACK = 5  # ... and only when that hides more than this many
MIN_WIDTH, MAX_WIDTH = 40, 120  # cards and tables never narrower or (unless --wide) wider
GUTTER = "  "
ROW_LINES = 3  # a table drops its least important columns while a typical row is taller ...
MIN_COLUMNS = 3  # ... down to this many

# C0 (tab, CR and ESC included), DEL, C1 (CSI is \x9b), and the bidirectional
# controls that can make text read in another order than it runs, and the Unicode
# line and paragraph separators (splitlines breaks a line there).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e"
                      "\u2066-\u2069]")
_CSV_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029"
                          "\u202a-\u202e"
                          "\u2066-\u2069]")  # tab and line feed are text in a CSV cell
_JSON_CONTROL = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e"
                           "\u2066-\u2069]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# --- text that cannot hurt the reader --------------------------------------------------

def _escape(match: re.Match) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def clean(text) -> str:
    """User text fit for a terminal: line breaks become spaces, other controls escaped."""
    text = str(text)
    if text.isprintable():
        return text
    return _CONTROL.sub(_escape, text.replace("\r\n", " ").replace("\n", " "))


def cut(text: str, limit: int) -> str:
    """Text of at most ``limit`` characters, saying when it was cut."""
    return text if len(text) <= limit else text[: limit - 8] + " … (cut)"


def safe_line(text: str, limit: int = MAX_LINE) -> str:
    """User text fit for one terminal line: control characters escaped, long text cut.

    Why: a name holding ESC sequences must not reach the terminal raw, and an
    error must never echo a 100 KB value.
    """
    return cut(clean(cut(str(text), limit * 4)), limit)


def message_line(prefix: str, text) -> str:
    """``prefix`` and user text as one line of at most MAX_LINE characters ("error: ...")."""
    return prefix + safe_line(str(text), MAX_LINE - len(prefix))


_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """XML text a parser accepts: the C0 controls XML 1.0 forbids, written as ``\\x1b``.

    Why: a name holding ESC made GraphML and GEXF files that no tool could open.
    """
    return _XML_INVALID.sub(_escape, text)


def csv_safe(text: str) -> str:
    """A CSV cell a spreadsheet shows as text: formulas neutralised, controls escaped.

    OWASP: a cell beginning with =, +, -, @, tab or carriage return gets a
    leading apostrophe, so Excel and LibreOffice show it and do not run it.
    """
    return ("'" if text.startswith(_FORMULA_START) else "") + _CSV_CONTROL.sub(_escape, text)


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

def cell(value) -> str:
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


def text(value) -> str:
    """A value as one line of terminal-safe text."""
    return clean(cell(value))


def _is_number(value) -> bool:
    """A number graphmodel computed (a count, a score): never user text, never a formula."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _columns(rows: list[dict], columns, wide_columns=None) -> list[str]:
    cols = list(columns) if columns else (list(rows[0]) if rows else [])
    return cols + [c for c in wide_columns or [] if c not in cols]


# --- files: json, csv, markdown --------------------------------------------------------------

def render_json(rows, columns=None, title=None, **_) -> str:
    """The rows as they are; C1 and bidi controls escaped too (JSON only escapes C0)."""
    return _JSON_CONTROL.sub(lambda m: f"\\u{ord(m.group(0)):04x}",
                        json.dumps(rows, indent=2, ensure_ascii=False)) + "\n"


def render_csv(rows, columns=None, title=None, wide_columns=None, **_) -> str:
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


def render_markdown(rows, columns=None, title=None, wide_columns=None, **_) -> str:
    cols = _columns(rows, columns, wide_columns)
    lines = [f"### {clean(title)}", ""] if title else []
    if not rows:
        return "\n".join(lines + ["(none)", "", ""])

    def esc(value) -> str:
        return "<br>".join(clean(part).replace("|", "\\|") for part in cell(value).split("\n"))
    lines += ["| " + " | ".join(esc(c) for c in cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(esc(row.get(c)) for c in cols) + " |" for row in rows]
    return "\n".join(lines) + "\n\n"  # a blank line ends the table before what follows


# --- people: tables fitted to the terminal ---------------------------------------------------

def limited(items: list, limit) -> tuple[list, int]:
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


def render_table(rows, columns=None, title=None, wide_columns=None, limit=None,
                 width=None, wide=False, **_) -> str:
    """A table that fits the terminal: names first, whole words, short columns at ease.

    Columns come most important first; those that cannot fit at the width,
    or would make a typical row taller than ROW_LINES, are left out (and
    named); ``wide_columns`` only appear with ``wide``.
    Each cell keeps at most CELL_LINES lines unless ``wide``.
    """
    title = clean(title) if title else None
    if not rows:
        return f"{title + ': ' if title else ''}(none)\n"
    shown, hidden = limited(rows, limit)
    cols = _columns(rows, columns, wide_columns if wide else None)
    cells = {c: [[clean(p) for p in cell(r.get(c)).split("\n")] for r in shown] for c in cols}
    numeric = {c for c in cols if all(_is_number(r.get(c)) for r in shown)}
    width = terminal_width(width)
    mins = {c: _min_width(c, cells[c], width) for c in cols}
    naturals = {c: max(width_of(_header(c)), *(width_of(p) for v in cells[c] for p in v))
                for c in cols}
    dropped: list[str] = []
    while not wide and len(cols) > 1:
        room = width - len(GUTTER) * (len(cols) - 1)
        if sum(mins[c] for c in cols) <= room:
            widths = _share(cols, mins, naturals, room)
            if len(cols) <= MIN_COLUMNS or _typical_height(cols, cells, widths) <= ROW_LINES:
                break
        dropped.insert(0, cols.pop())  # the least important column goes first
    widths = naturals if wide else _share(cols, mins, naturals,
                                          width - len(GUTTER) * (len(cols) - 1))
    out = [_titled(title, len(shown), len(rows))] if title else []
    out += _table_lines(cols, cells, widths, numeric, None if wide else CELL_LINES)
    out += more_line(hidden, "rows", width)
    if dropped:
        out += wrap_lines(f"(left out at this width: {', '.join(_header(c) for c in dropped)}; "
                          "--wide shows every column)", width, "", " ")
    return "\n".join(out) + "\n"


def _typical_height(cols, cells, widths) -> int:
    """The median row's height in lines, had the columns these widths."""
    heights = sorted(max(sum(len(wrap_lines(p, widths[c])) for p in cells[c][i]) for c in cols)
                     for i in range(len(cells[cols[0]])))
    return heights[len(heights) // 2]


def _header(column: str) -> str:
    return column.replace("_", " ")


def _min_width(column: str, values: list[list[str]], width: int) -> int:
    """The longest word (a column never breaks one), within a third of the width."""
    words = [w for v in values for p in v for w in p.split()] + _header(column).split()
    return min(max(width_of(w) for w in words), max(width // 3, 12))


def _share(cols, mins, naturals, room) -> dict[str, int]:
    """Widths that fill ``room``: short columns get their natural width, the rest share.

    Water-filling: find the level L such that every column gets L, clamped
    between its minimum and its natural width, and the sum fits.
    """
    def total(level):
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


def _table_lines(cols, cells, widths, numeric, max_lines) -> list[str]:
    def pad(value: str, c: str) -> str:
        gap = " " * (widths[c] - width_of(value))
        return gap + value if c in numeric else value + gap

    def line(parts) -> str:
        return GUTTER.join(pad(p, c) for p, c in zip(parts, cols, strict=True)).rstrip()

    heads = {c: wrap_lines(_header(c), widths[c]) for c in cols}
    out = _merge(cols, heads, line)
    out.append(GUTTER.join("\u2500" * widths[c] for c in cols))
    blocks = []
    for i in range(len(cells[cols[0]])):
        wrapped = {c: [w for p in cells[c][i] for w in wrap_lines(p, widths[c])] for c in cols}
        for c in cols:
            if max_lines and len(wrapped[c]) > max_lines:
                wrapped[c] = wrapped[c][:max_lines - 1] + [
                    _ellipsis(wrapped[c][max_lines - 1], widths[c])]
        blocks.append(_merge(cols, wrapped, line))
    spaced = any(len(b) > 1 for b in blocks)  # rows of several lines read best apart
    for n, block in enumerate(blocks):
        out += ([""] if spaced and n else []) + block
    return out


def _merge(cols, wrapped, line) -> list[str]:
    height = max(len(v) for v in wrapped.values())
    return [line([wrapped[c][k] if k < len(wrapped[c]) else "" for c in cols])
            for k in range(height)]


# --- people: cards for prose ---------------------------------------------------------------

def render_cards(title: str, items: list[list[str]], limit=None, noun: str = "items",
                 spaced: bool = True, width: int | None = None) -> str:
    """Cards: a title, then each item's lines (already wrapped), blank lines between."""
    shown, hidden = limited(items, limit)
    out = wrap_lines(_titled(title, len(shown), len(items)), terminal_width(width))
    for item in shown:
        out += ([""] if spaced else []) + item
    if not items:
        out.append("(none)")
    if hidden:
        out += [""] + more_line(hidden, noun, width)
    return "\n".join(out) + "\n"


def render_gap_cards(rows: list[dict], title: str, width: int | None = None,
                     limit=None) -> str:
    """Gaps as numbered cards: a wide table of quotes is unreadable in a terminal.

    Every leg is shown (a gap may group several flows), then the gap's
    one-line ``why`` when the rows carry it. Plain text: this is the front
    door and must print instantly.
    """
    width = terminal_width(width)
    items = [_gap_card(row.get("rank", n), row, width) for n, row in enumerate(rows, 1)]
    return render_cards(title, items, limit, "gaps", width=width)


def _inferred(row: dict) -> dict[str, str]:
    """The modeller's reasons on a gap's legs, each with the parties it infers ("A and B")."""
    out: dict[str, list[str]] = {}
    for leg in row["legs"]:
        for end in leg.get("inferred_ends") or []:
            names = out.setdefault(leg.get("inferred") or "the modeller's inference", [])
            if text(leg[end]) not in names:
                names.append(text(leg[end]))
    return {reason: " and ".join(names) for reason, names in out.items()}


def _gap_card(n: int, row: dict, width: int) -> list[str]:
    label = "broken loop" if row["kind"] == "broken_loop" else "gap"
    senders = ", ".join(text(p) for p in row.get("senders") or [row["from"]])
    receivers = ", ".join(text(p) for p in row.get("receivers") or [row["to"]])
    lines = wrap_lines(clean(f"{row['severity'].upper()} {label}: {senders} \u2192 "
                             f"{receivers}"), width, f"{n}. ", "   ")
    legs = row["legs"]
    if len(legs) <= 2:  # a flow, or a flow and its return: one line says it
        words = " \u2192 back: ".join(f"{_words(leg['passes'])} ({leg['status']})"
                                     for leg in legs)
        lines += wrap_lines(clean(f"{words}. {row['summary']}"), width, "   ", "   ",
                            TEXT_LINES * 2)
    else:  # several flows grouped into one problem: every leg on its own line
        for leg in legs:
            lines += wrap_lines(f"{text(leg['from'])} \u2192 {text(leg['to'])}: "
                                f"{_words(leg['passes'])} ({leg['status']})", width, "   ",
                                "     ")
        lines += wrap_lines(clean(row["summary"]), width, "   ", "   ", TEXT_LINES)
    for reason, names in _inferred(row).items():  # the modeller's inference, said as such
        lines += wrap_lines(clean(f"Inferred: the report does not name {names} here; "
                                  f"{reason}"), width, "   ", "   ", TEXT_LINES)
    why = row.get("why")
    if why:  # the ranking's factors: a dict with their one-line "text", or that line
        lines += wrap_lines(clean(f"Why: {why['text'] if isinstance(why, dict) else why}"),
                            width, "   ", "   ", TEXT_LINES)
    for ev in row["evidence"]:
        lines += wrap_lines(clean(f"\u00b6 {ev['paragraph']}: \u201c{ev['quote']}\u201d"),
                            width, "   ", "     ", TEXT_LINES)
    owners = ", ".join(text(o) for o in row["owners"]) or "nobody named"
    lines += wrap_lines(clean(f"Action: {row['action']}. Owners: {owners}."), width, "   ",
                        "   ")  # who must fix it is never cut
    return lines


def _para(words: str, width: int, first: str = "   ", indent: str = "   ",
          max_lines: int | None = TEXT_LINES) -> list[str]:
    return wrap_lines(clean(words), width, first, indent, max_lines)


def _titled(title: str, shown: int, total: int) -> str:
    return clean(title) + (f" (the first {shown} shown)" if shown < total else "")


def _cap(limit, lines: int) -> int | None:
    """Lines a card's paragraph keeps: all of them when every row is asked for (--all)."""
    return None if limit is None else lines


def _words(name) -> str:
    """A vocabulary name as words: record_access -> record access."""
    return clean(name).replace("_", " ")


def render_owner_cards(rows: list[dict], title: str, width: int | None = None,
                       limit=None) -> str:
    """Recommendations under their owners, as the report groups them ("X should:")."""
    width = terminal_width(width)
    shown, hidden = limited(rows, limit)
    out, owners_before = wrap_lines(_titled(title, len(shown), len(rows)), width), None
    label = max((len(clean(r["id"])) for r in shown), default=0) + 1
    for row in shown:
        owners = ", ".join(text(o) for o in row["owners"]) or "nobody named"
        if owners != owners_before:  # as the report groups them; no blank line: it is a list
            out += ([""] if owners_before is None else []) + _para(f"{owners} should:", width,
                                                                   "", "")
            owners_before = owners
        found = row["findings"]
        cites = (f"finding{'s' if len(found) > 1 else ''} {', '.join(found)}" if found
                 else "no finding cites it")
        out += _para(f"{row['text']} ({cites})", width, f"  {clean(row['id']):<{label}} ",
                     " " * (label + 3), _cap(limit, TEXT_LINES + 1))
    if not rows:
        out.append("(none)")
    out += [""] + more_line(hidden, "recommendations", width) if hidden else []
    return "\n".join(out) + "\n"


COVERAGE_HEADINGS = {
    "finding_without_recommendation": "Findings that describe a problem, with no "
                                      "recommendation and no referral",
    "recommendation_without_finding": "Recommendations that no finding cites",
}


def render_coverage_cards(rows: list[dict], title: str, width: int | None = None,
                          limit=None) -> str:
    """Coverage as cards under two headings: the reason in words, the text cut short."""
    width = terminal_width(width)
    shown, hidden = limited(rows, limit)
    items, kind_before = [], None
    for n, row in enumerate(shown, 1):
        lines = []
        if row["kind"] != kind_before:
            count = sum(r["kind"] == row["kind"] for r in rows)
            heading = COVERAGE_HEADINGS.get(row["kind"], row["kind"].replace("_", " "))
            lines += wrap_lines(f"{heading}: {count}", width) + [""]
            kind_before = row["kind"]
        if row["kind"] == "recommendation_without_finding":
            lines += _para(f"Recommendation {row['id']}: {row['reason']}", width, f"{n}. ")
            lines += _para(row["text"], width, max_lines=_cap(limit, TEXT_LINES))
        else:
            section = re.sub(r"^[\d.]+\s+", "", str(row.get("section") or ""))
            lines += _para(f"Finding {row['id']}" + (f" ({section})" if section else ""),
                           width, f"{n}. ")
            lines += _para(f"Why: {row['reason']}", width, max_lines=_cap(limit, TEXT_LINES))
            lines += _para(f"\u201c{row['text']}\u201d", width, "   ", "    ",
                           _cap(limit, TEXT_LINES))
        items.append(lines)
    return render_cards(_titled(title, len(shown), len(rows)), items, None, width=width) + (
        "\n".join([""] + more_line(hidden, "items", width)) + "\n" if hidden else "")


def render_path_cards(rows: list[dict], title: str, width: int | None = None,
                      limit=None) -> str:
    """Routes as cards: every flow of each hop, the parties that stand for an end, answers."""
    width = terminal_width(width)
    items = []
    for n, row in enumerate(rows, 1):
        route = " \u2192 ".join(text(p) for p in row["route"])
        answered = any(a["status"] == "working" for a in row.get("answers", []))
        verdict = ("breaks" if not row["works"] else "works" if answered or not row.get("answers")
                   else "works one way: no answer comes back reliably")
        lines = _para(f"{route}: {verdict}", width, f"{n}. ", "   ", None)
        for hop in row.get("hops", []):
            flows = ", ".join(f"{_words(f['passes'])} ({f['status']})" for f in hop["flows"])
            mark = "\u2713" if hop["works"] else "\u2717"
            lines += _para(f"{mark} {text(hop['from'])} \u2192 {text(hop['to'])}: {flows}",
                           width, "   ", "     ", None)
        for s in row.get("stands_for", []):
            lines += _para(f"{text(s['party'])} is inside {text(s['for'])}: {s['how']}.",
                           width)
        passes = {f["flow"]: _words(f["passes"]) for hop in row.get("hops", [])[-1:]
                  for f in hop["flows"]}
        for a in row.get("answers", []):
            answer = (f"{_words(a['passes'])} back to {text(a['to'])} ({a['status']})"
                      if a["answer"]
                      else "none is modelled")
            lines += _para(f"Answer to the {passes.get(a['flow'], a['flow'])}: {answer}.",
                           width)
        items.append(lines)
    return render_cards(title, items, limit, "routes", width=width)


def render_party_cards(profile: dict[str, list[dict]], width: int | None = None) -> str:
    """One party's profile as short sections: who it is, what it holds, flows, gaps, duties."""
    width = terminal_width(width)
    sections = list(profile.items())
    if not sections or not sections[0][1]:
        return "(none)\n"
    me = sections[0][1][0]
    out = _para(f"{me['name']}: {str(me.get('kind', '')).replace('_', ' ')}", width, "", "")
    if me.get("aliases"):
        out += _para(f"Also called: {text(me['aliases'])}", width, "", "  ")
    for name, rows in sections[1:]:
        out += [""] + _para(f"{name.replace('_', ' ').capitalize()}: {len(rows) or 'none'}"
                            + _section_note(name, rows, me), width, "", "")
        for row in rows:
            out += _para(_profile_line(name, row), width, "  ", "    ", TEXT_LINES)
    return "\n".join(out) + "\n"


def _section_note(name: str, rows: list[dict], me: dict) -> str:
    if name == "flows" and rows:
        counts: dict[str, int] = {}
        for row in rows:
            counts[row["status"]] = counts.get(row["status"], 0) + 1
        return " (" + ", ".join(f"{n} {s}" for s, n in counts.items()) + ")"
    if name == "gaps" and rows:
        return (f", worst first (graphmodel gaps --org \"{clean(me['name'])}\" gives their "
                "evidence and owners)")
    return ""


def _profile_line(section: str, row: dict) -> str:
    if section in ("commissions", "provides"):
        other = ("from " + text(row["provider"]) if section == "commissions"
                 else "for " + (text(row["commissioner"]) or "no commissioner named"))
        sub = (f", sub-contracted from {text(row['subcontracted_from'])}"
               if row.get("subcontracted_from") else "")
        sites = f", at {text(row['sites'])}" if row.get("sites") else ""
        return f"{text(row['service'])} {other}{sub}{sites}"
    if section == "flows":
        return (f"{text(row['from'])} \u2192 {text(row['to'])}: "
                f"{clean(row['passes'])} ({clean(row['status'])})")
    if section == "gaps":
        label = "broken loop" if row["kind"] == "broken_loop" else "gap"
        ends = (f" {text(row['from'])} \u2192 {text(row['to'])}" if "from" in row else "")
        return (f"{row['severity'].upper()} {label}:{ends} ({row['status']}). "
                f"{clean(row['summary'])}")
    if section == "recommendations":
        return f"{clean(row['id'])}  {clean(row['text'])}"
    if "name" in row:
        kind = str(row.get("kind", "")).replace("_", " ")
        return text(row["name"]) + (f" ({clean(kind)})" if kind else "")
    return "; ".join(f"{k.replace('_', ' ')}: {text(v)}" for k, v in row.items()
                     if k not in ("id", "flow", "evidence"))


def render(rows: list[dict], fmt: str, columns: list[str] | None = None,
           title: str | None = None, wide_columns=None, limit=None, width=None,
           wide: bool = False) -> str:
    """Rows as text in the named format.

    ``columns``: what a person reads, most important first. ``wide_columns``:
    ids and details that csv and markdown always carry, and a table only with
    ``wide``. ``limit``: "auto" shows a long table's first rows, None all.
    JSON ignores the columns: it is the contract.
    """
    return RENDERERS[fmt](rows, columns, title, wide_columns=wide_columns, limit=limit,
                          width=width, wide=wide)


RENDERERS = {"table": render_table, "json": render_json, "csv": render_csv,
             "markdown": render_markdown}
