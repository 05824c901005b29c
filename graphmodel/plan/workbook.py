"""The action plan as an Excel workbook, and the owners' columns read back from it.

Why a workbook: safeguarding leads write and track action plans in Excel or
LibreOffice, not in YAML. The workbook has a cover, the board's page as a
table (``board``), the plan (frozen headers, filters, wrapped text, dates as
dates, a drop-down for the status), what no recommendation covers, and a
hidden sheet naming the area and the part, so ``plan import`` knows what it
is reading. openpyxl is imported here only.
"""

from __future__ import annotations

import datetime
import io
import re
from dataclasses import dataclass

from .. import vocab
from ..errors import ModelError

COVER_SHEET, BOARD_SHEET, PLAN_SHEET, NOT_COVERED_SHEET, META_SHEET = (
    "Cover", "Board", "Plan", "Not covered", "graphmodel")
FONT = "Arial"  # LibreOffice maps it to the metric-compatible Liberation Sans
HEADER_FILL, OWNER_FILL, OWNER_CELL_FILL = "1F4E79", "B45F06", "FFF8E1"
# Red, amber, green, as a board reads them; a medium gap is amber-yellow, never green.
RED_FILL, AMBER_FILL, YELLOW_FILL, GREEN_FILL = "F4C7C3", "FCE8B2", "FFF2CC", "D9EAD3"
SEVERITY_FILLS = {"critical": RED_FILL, "high": AMBER_FILL, "medium": YELLOW_FILL}
STATUS_FILLS = {"not_started": RED_FILL, "in_progress": AMBER_FILL, "done": GREEN_FILL,
                "verified": GREEN_FILL}
DATE_FORMAT = "d mmm yyyy"
HEADER_ROWS = 2  # a band ("from the report" / "for the owners") above the column names
MAX_ROW_HEIGHT = 409  # Excel's limit, in points


@dataclass(frozen=True)
class Column:
    """A plan column: its header, width (characters) and the row key it shows."""

    header: str
    width: int
    key: str
    owners: bool = False  # filled in by the owners, and read back by ``plan import``


PLAN_COLUMNS = (
    Column("Priority", 9, "priority"),
    Column("Rec.", 7, "id"),
    Column("Recommendation", 46, "text"),
    Column("Owners named in the report", 24, "owners"),
    Column("Findings behind it", 44, "findings"),
    Column("Gaps it addresses (rank, severity)", 48, "gaps"),
    Column("Worst gap", 11, "worst"),
    Column("If delivered, closes", 15, "closes"),
    Column("Action owner", 22, "owner", True),
    Column("Action", 40, "action", True),
    Column("Lead", 18, "lead", True),
    Column("Due date", 13, "due", True),
    Column("Measure of success", 30, "measure", True),
    Column("Status", 13, "status", True),
    Column("Evidence of completion", 30, "evidence", True),
    Column("Flows it fixes", 26, "fixes", True),
)
# What a board reads first, in this order; the analyst's columns follow, grouped and
# hidden until a reader opens the group (the sheet's "+" above them).
BOARD_ORDER = ("priority", "id", "text", "worst", "status", "due", "owner", "action", "lead",
               "measure", "evidence")
ANALYST_BAND = "For the analyst: the report's evidence (+ above to show)"


def sheet_columns(layout: str = "by_recommendation") -> tuple[Column, ...]:
    """The Plan sheet's columns: the board's first, then the analyst's.

    ``plan import`` finds columns by their headers, so the order is free.
    """
    by_key = {c.key: c for c in PLAN_COLUMNS}
    order = (("owner",) + tuple(k for k in BOARD_ORDER if k != "owner")
             if layout == "by_owner" else BOARD_ORDER)
    return (*(by_key[k] for k in order), *(c for c in PLAN_COLUMNS if c.key not in order))


NOT_COVERED_COLUMNS = (
    Column("What", 24, "kind"), Column("Rank", 7, "rank"), Column("Severity", 10, "severity"),
    Column("Id", 26, "id"), Column("Summary", 70, "summary"), Column("Who", 30, "who"),
    Column("Why it is here", 44, "why"),
)
KIND_LABELS = {"gap_without_recommendation": "Problem with no recommendation",
               "outside_review": "Outside CQC's review",
               "public_health_referral": "Public health referral",
               "recommendation_without_finding": "Recommendation no finding cites"}


# --- writing -------------------------------------------------------------------------------

def plan_workbook(plan: dict, version: str = "", board: dict | None = None) -> bytes:
    """The plan (``plan.build_plan``) as .xlsx bytes.

    ``board``: the board's one-page summary (``board.board_summary``, what
    ``graphmodel board`` prints), as a "Board" sheet after the cover.
    """
    from openpyxl import Workbook
    book = Workbook()
    _cover_sheet(book.active, plan, version)
    if board is not None:
        _board_sheet(book.create_sheet(BOARD_SHEET), plan, board)
    _plan_sheet(book.create_sheet(PLAN_SHEET), plan)
    _not_covered_sheet(book.create_sheet(NOT_COVERED_SHEET), plan)
    _meta_sheet(book.create_sheet(META_SHEET), plan)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# What openpyxl refuses in a cell (XML 1.0 forbids it); shown escaped, as a terminal shows it.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _put(ws, row: int, column: int, value):
    """A cell holding ``value`` as data, whatever a name holds.

    Why: openpyxl stores text that starts with "=" as a formula (a party named
    '=HYPERLINK(...)' would run in Excel) and raises on control characters (a
    summary holding ESC crashed 'plan'). Text stays text; controls read \\x1b.
    """
    cell = ws.cell(row, column)
    cell.value = _ILLEGAL.sub(lambda m: f"\\x{ord(m.group()):02x}", value) \
        if isinstance(value, str) else value
    if cell.data_type == "f":
        cell.data_type = "s"
    return cell


def _font(**kw):
    from openpyxl.styles import Font
    return Font(name=FONT, size=kw.pop("size", 10), **kw)


def _fill(colour: str):
    from openpyxl.styles import PatternFill
    return PatternFill("solid", start_color=colour, end_color=colour)


def _wrap(**kw):
    from openpyxl.styles import Alignment
    return Alignment(wrap_text=True, vertical="top", **kw)


def _date(text: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(text) if text else None


def _cover_sheet(ws, plan: dict, version: str) -> None:
    c = plan["cover"]
    ws.title = COVER_SHEET
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 30, 95
    _put(ws, 1, 1, f"Action plan: {c['area']['name']}")
    ws["A1"].font = _font(size=16, bold=True, color=HEADER_FILL)
    for n, (label, value) in enumerate(cover_lines(c, plan), 3):
        _put(ws, n, 1, label).font = _font(bold=True)
        cell = _put(ws, n, 2, value)
        cell.font, cell.alignment = _font(), _wrap(horizontal="left")
        ws.cell(n, 1).alignment = _wrap()
        if isinstance(value, datetime.date):
            cell.number_format = DATE_FORMAT
        ws.row_dimensions[n].height = _height([(str(value or ""), 95)])
    ws.cell(ws.max_row + 2, 1, f"Made by graphmodel {version}".strip()).font = \
        _font(italic=True, color="666666")
    _page(ws, c["area"]["name"], landscape=False)


def cover_lines(c: dict, plan: dict) -> list[tuple[str, object]]:
    """The cover as (label, value) pairs: the same text in every format."""
    names = ", ".join(s["name"] for s in c["submitters"]) or "(the report names nobody)"
    written = ", ".join(c["submitters_as_written"])
    if written and written != names:
        names += f" (the report writes: {written})"
    skipped = ", ".join(f"{h['name']} {h['date']}" for h in c["bank_holidays_skipped"])
    due = _date(c["due"]) or ("give the date received (--received DATE, or received: in "
                              "area.yaml)" if c["working_days"] else "the report gives no "
                              "deadline")
    lines = [
        ("Area", c["area"]["name"]),
        ("This part", c["part"]["name"] if c["part"] else "the whole plan: every owner"),
        ("Action plan required from", names),
        ("Send it to", c["to"] or "(the report does not say)"),
        ("Report received", _date(c["received"]) or "(not given)"),
        ("Working days allowed", c["working_days"] or "(the report does not say)"),
        ("Due", due),
        ("Bank holidays not counted", skipped or ("none in the period" if c["due"]
                                                   else "(no due date yet)")),
        ("Recommendations", f"{c['recommendations']} in the report; {len(plan['recommendations'])} "
                            "rows in this plan, worst gap first"),
        ("What the report leaves open", c["what_if"]["statement"]),
        ("How to fill it in", "On the Plan sheet, fill in the orange columns: one row per "
                              "action (copy a row for a second action on the same "
                              "recommendation). Choose the status from the list. Then run "
                              "'graphmodel plan import' on this file to record it."),
    ]
    if c["next_steps"]:
        lines.insert(3, ("The report says", c["next_steps"]))
    return lines


def _header(ws, columns, band: list[tuple[str, int, int, str]]) -> None:
    """Row 1: the bands; row 2: the column names. Both frozen, with a filter on row 2."""
    for text, first, last, colour in band:
        if last > first:
            ws.merge_cells(start_row=1, start_column=first, end_row=1, end_column=last)
        cell = _put(ws, 1, first, text)
        cell.font, cell.fill = _font(bold=True, color="FFFFFF"), _fill(colour)
        cell.alignment = _wrap(horizontal="left")
    for n, col in enumerate(columns, 1):
        cell = ws.cell(2, n, col.header)
        cell.font = _font(bold=True, color="FFFFFF")
        cell.fill = _fill(OWNER_FILL if col.owners else HEADER_FILL)
        cell.alignment = _wrap()
        ws.column_dimensions[cell.column_letter].width = col.width
    ws.row_dimensions[2].height = 27


def _plan_sheet(ws, plan: dict) -> None:
    from openpyxl.utils import get_column_letter
    columns = sheet_columns(plan["layout"])
    _header(ws, columns, _bands(columns))
    for r, row in enumerate(plan["recommendations"], HEADER_ROWS + 1):
        texts = []
        for n, col in enumerate(columns, 1):
            value = plan_cell(row, col.key)
            cell = _put(ws, r, n, value)
            cell.font, cell.alignment = _font(), _wrap(horizontal="left")
            if col.owners:
                cell.fill = _fill(OWNER_CELL_FILL)
            if col.key == "due":
                cell.number_format = DATE_FORMAT
            if col.key in BOARD_ORDER:  # hidden columns do not set the height
                texts.append((str(value or ""), col.width))
        ws.row_dimensions[r].height = _height(texts)
    last = max(ws.max_row, HEADER_ROWS + 1)
    ws.freeze_panes = "D3"
    ws.auto_filter.ref = f"A2:{get_column_letter(len(columns))}{last}"
    _validations(ws, columns, last)
    _colours(ws, columns, max(last, HEADER_ROWS + 200))
    for n, col in enumerate(columns, 1):  # one by one: openpyxl's group() drops widths
        if col.key not in BOARD_ORDER:
            dim = ws.column_dimensions[get_column_letter(n)]
            dim.hidden, dim.outline_level = True, 1
    _page(ws, plan["cover"]["area"]["name"])


def _colours(ws, columns, last: int) -> None:
    """Red, amber and green by conditional formatting, so they follow what owners type.

    The status (not started red, in progress amber, done or verified green),
    the worst gap's severity, and a due date that has passed on an action not
    yet done (red).
    """
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.utils import get_column_letter
    letter = {c.key: get_column_letter(n) for n, c in enumerate(columns, 1)}
    top = HEADER_ROWS + 1

    def rule(key: str, formula: str, colour: str) -> None:
        ws.conditional_formatting.add(f"{letter[key]}{top}:{letter[key]}{last}", FormulaRule(
            formula=[formula], fill=_fill(colour), stopIfTrue=True))
    status = f"${letter['status']}{top}"
    for name, colour in STATUS_FILLS.items():
        rule("status", f'{status}="{vocab.ACTION_STATUSES[name].label}"', colour)
    for name, colour in SEVERITY_FILLS.items():
        rule("worst", f'LEFT(${letter["worst"]}{top},{len(name)})="{name}"', colour)
    done = ",".join(f'{status}="{vocab.ACTION_STATUSES[n].label}"' for n in ("done", "verified"))
    due = f"${letter['due']}{top}"
    rule("due", f"AND(ISNUMBER({due}),{due}<TODAY(),NOT(OR({done})))", RED_FILL)


def _bands(columns) -> list[tuple[str, int, int, str]]:
    """Runs of report, owners' and analyst's columns, each under a band of its own."""
    bands: list[tuple[str, int, int, str]] = []
    for n, col in enumerate(columns, 1):
        text, colour = (("For the owners to fill in", OWNER_FILL) if col.owners
                        else ("From the report", HEADER_FILL) if col.key in BOARD_ORDER
                        else (ANALYST_BAND, "5B6770"))
        if bands and bands[-1][0] == text:
            bands[-1] = (text, bands[-1][1], n, colour)
        else:
            bands.append((text, n, n, colour))
    return bands


def plan_cell(row: dict, key: str):
    """What one plan cell shows (a date for the due date, text elsewhere)."""
    if key == "owners":
        return "\n".join(o["name"] + (f" (now: {o['now']})" if o.get("now") else "")
                         for o in row["owners"])
    if key == "findings":
        return "\n".join(f"{f['id']}: {f['extract']}" for f in row["findings"]) or \
            "(no finding cites it)"
    if key == "gaps":
        return "\n".join(f"#{g['rank']} {g['severity']} "
                         f"{'broken loop' if g['kind'] == 'broken_loop' else 'gap'}: "
                         f"{g['problem']}" for g in row["gaps"]) or "(none modelled)"
    if key == "worst":
        return f"{row['worst_severity']} (#{row['worst_rank']})" if row["gaps"] else ""
    if key == "closes":
        return closes_text(row)
    if key == "owner":
        return row["owner"]["name"] if row["owner"] else None
    if key == "due":
        return _date(row["due"])
    if key == "status":
        return vocab.ACTION_STATUSES[row["status"]].label if row["status"] else None
    if key == "fixes":
        return ", ".join(row["fixes"]) or None
    return row.get(key)


def closes_text(row: dict) -> str:
    """"2 gaps, 1 loop (shares 3)": what delivering one recommendation alone would close."""
    parts = [f"{row['closes_gaps']} gap{'s' * (row['closes_gaps'] != 1)}",
             f"{row['closes_loops']} loop{'s' * (row['closes_loops'] != 1)}"]
    text = ", ".join(parts)
    if row["shares"]:
        text += f"; helps close {row['shares']} more"
    return text


def _validations(ws, columns, last: int) -> None:
    """The status as a drop-down of the vocabulary's labels; the due date as a date."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation
    letter = {c.key: get_column_letter(n) for n, c in enumerate(columns, 1)}
    labels = ",".join(s.label for s in vocab.ACTION_STATUSES.values())
    status = DataValidation(type="list", formula1=f'"{labels}"', allow_blank=True,
                            showErrorMessage=True, errorTitle="Status",
                            error=f"Choose one of: {labels.replace(',', ', ')}")
    due = DataValidation(type="date", operator="between", formula1="DATE(2000,1,1)",
                         formula2="DATE(2100,12,31)", allow_blank=True, showErrorMessage=True,
                         errorTitle="Due date", error="Enter a date, such as 31/03/2026.")
    rows = max(last, HEADER_ROWS + 200)  # room for actions added below
    status.add(f"{letter['status']}{HEADER_ROWS + 1}:{letter['status']}{rows}")
    due.add(f"{letter['due']}{HEADER_ROWS + 1}:{letter['due']}{rows}")
    ws.add_data_validation(status)
    ws.add_data_validation(due)


def _not_covered_sheet(ws, plan: dict) -> None:
    from openpyxl.utils import get_column_letter
    columns = NOT_COVERED_COLUMNS
    _header(ws, columns, [(plan["cover"]["what_if"]["statement"], 1, len(columns),
                           HEADER_FILL)])
    ws.row_dimensions[1].height = 27
    for r, row in enumerate(plan["not_covered"], HEADER_ROWS + 1):
        texts = []
        for n, col in enumerate(columns, 1):
            value = row[col.key]
            value = KIND_LABELS.get(value, value) if col.key == "kind" else value
            value = "\n".join(value) if isinstance(value, list) else value
            cell = _put(ws, r, n, value)
            cell.font, cell.alignment = _font(), _wrap(horizontal="left")
            if col.key == "severity" and value:
                cell.fill = _fill(SEVERITY_FILLS[value])
            texts.append((str(value or ""), col.width))
        ws.row_dimensions[r].height = _height(texts)
    ws.freeze_panes = "A3"
    ws.auto_filter.ref = f"A2:{get_column_letter(len(columns))}{max(ws.max_row, 3)}"
    _page(ws, plan["cover"]["area"]["name"])


def _meta_sheet(ws, plan: dict) -> None:
    """Hidden: which area and part the workbook holds, for ``plan import``."""
    c = plan["cover"]
    for n, (key, value) in enumerate([("area", c["area"]["id"]),
                                      ("part", c["part"]["id"] if c["part"] else ""),
                                      ("layout", plan["layout"]), ("format", 1)], 1):
        _put(ws, n, 1, key)
        _put(ws, n, 2, value)
    ws.sheet_state = "hidden"


def _height(texts: list[tuple[str, int]]) -> float:
    """A row height (points) that shows every wrapped line: Excel does not fit rows itself."""
    lines = 1
    for text, width in texts:
        per_line = max(1, int(width * 1.3))  # Arial 10 in a column of this width
        lines = max(lines, sum(max(1, -(-len(part) // per_line)) for part in text.split("\n")))
    return min(MAX_ROW_HEIGHT, 12 * lines + 4)


def _page(ws, area: str, landscape: bool = True) -> None:
    """One page wide, the header rows on every page, a footer with the area and page.

    Tables print on A3 landscape, the cover on A4: the board's eleven columns
    on A4 would print at about half size. Hidden columns do not print.
    """
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A3 if landscape else ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if landscape:
        ws.print_title_rows = "1:2"
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.oddFooter.left.text = _footer_text(f"{area}: {ws.title}")
    ws.oddFooter.right.text = "Page &P of &N"
    for part in (ws.oddFooter.left, ws.oddFooter.right):
        part.size, part.font = 9, FONT


def _footer_text(text: str) -> str:
    """A footer shows "&" codes: a name's own "&" is written "&&"."""
    return _ILLEGAL.sub("", text).replace("&", "&&")


BOARD_WIDTHS = {"Rank": 6, "Problem": 60, "Scope": 13, "Children affected": 24,
                "Who must act": 62, "Action status": 24, "Due": 12}
RAG_FILLS = {"red": RED_FILL, "amber": AMBER_FILL, "green": GREEN_FILL, None: "EEEEEE"}


def _board_sheet(ws, plan: dict, board: dict) -> None:
    """The board's page as a table: the first ten problems, who must act, action status.

    Why here: ``graphmodel board`` prints a page from the same rows
    (``board.board_table``), so the sheet and the page never disagree. The
    status is red, amber or green as on the page; "no action yet" is grey.
    """
    from .board import BOARD_COLUMNS, board_table, long_date
    columns = tuple(Column(h, BOARD_WIDTHS[h], h) for h in BOARD_COLUMNS)
    title = (f"{board['area']['name']}: the first ten problems for the board, action status "
             f"on {long_date(board['as_of'])} (as 'graphmodel board' prints them)")
    _header(ws, columns, [(title, 1, len(columns), HEADER_FILL)])
    for r, (row, problem) in enumerate(zip(board_table(board), board["problems"], strict=True),
                                       HEADER_ROWS + 1):
        for n, col in enumerate(columns, 1):
            cell = _put(ws, r, n, row[col.key])
            cell.font, cell.alignment = _font(bold=col.key == "Rank"), _wrap(horizontal="left")
            if col.key in ("Action status", "Due"):
                cell.fill = _fill(RAG_FILLS[problem["action"]["rag"]])
            if col.key == "Due":
                cell.number_format = DATE_FORMAT
        ws.row_dimensions[r].height = _height([(str(row[c.key] or ""), c.width)
                                               for c in columns])
    ws.freeze_panes = "C3"
    _page(ws, plan["cover"]["area"]["name"])


# --- reading back ----------------------------------------------------------------------------

@dataclass
class OwnerRow:
    """One filled-in plan row: where it is, and the owners' cells by field."""

    sheet: str
    row: int
    recommendation: object
    cells: dict  # field -> raw cell value
    headers: dict  # field -> column header, for messages


def read_workbook(data: bytes, label: str) -> tuple[dict, list[OwnerRow]]:
    """(the hidden sheet's keys, the plan rows with anything in the owners' columns)."""
    import zipfile

    from openpyxl import load_workbook
    try:
        book = load_workbook(io.BytesIO(data), data_only=True, read_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ModelError(f"is not an Excel workbook (.xlsx): {exc}", file=label) from None
    try:
        meta = _meta(book, label)
        if PLAN_SHEET not in book.sheetnames:
            raise ModelError(f"has no '{PLAN_SHEET}' sheet: import the workbook "
                             "'graphmodel plan --format xlsx' made", file=label)
        return meta, _owner_rows(book[PLAN_SHEET], label)
    finally:
        book.close()


def _meta(book, label: str) -> dict:
    if META_SHEET not in book.sheetnames:
        raise ModelError(f"has no hidden '{META_SHEET}' sheet: import a workbook made by "
                         "'graphmodel plan --format xlsx' (keep its sheets)", file=label)
    return {str(k): ("" if v is None else str(v))
            for k, v, *_ in book[META_SHEET].iter_rows(values_only=True) if k}


def _owner_rows(ws, label: str) -> list[OwnerRow]:
    rows = ws.iter_rows(values_only=True)
    header = next((r for n, r in enumerate(rows, 1) if n == HEADER_ROWS), None) or ()
    by_header = {c.header.casefold(): c.key for c in PLAN_COLUMNS if c.owners or c.key == "id"}
    where = {by_header[str(h).strip().casefold()]: n for n, h in enumerate(header)
             if h is not None and str(h).strip().casefold() in by_header}
    missing = [c.header for c in PLAN_COLUMNS if (c.owners or c.key == "id")
               and c.key not in where]
    if missing:
        raise ModelError(f"sheet '{PLAN_SHEET}' has no column {', '.join(map(repr, missing))} "
                         f"in row {HEADER_ROWS}: keep the plan's column headers", file=label)
    headers = {c.key: c.header for c in PLAN_COLUMNS}
    out = []
    for n, values in enumerate(rows, HEADER_ROWS + 1):
        cells = {key: (values[i] if i < len(values) else None) for key, i in where.items()}
        cells = {k: (v.strip() or None) if isinstance(v, str) else v for k, v in cells.items()}
        filled = [k for k in ("action", "lead", "due", "measure", "status", "evidence")
                  if cells[k] not in (None, "")]
        if filled:
            out.append(OwnerRow(PLAN_SHEET, n, cells.pop("id"), cells, headers))
    return out
