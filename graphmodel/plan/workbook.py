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
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar, overload

from .. import vocab
from ..errors import ModelError

if TYPE_CHECKING:  # for the annotations only: openpyxl loads when a workbook is made or read
    import zipfile
    from xml.etree.ElementTree import Element

    from openpyxl.cell.cell import Cell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet
    from openpyxl.worksheet.worksheet import Worksheet

    Events = Iterator[tuple[str, Element]]  # what iterparse yields: ("start" or "end", element)

Found = TypeVar("Found")  # what a part's handler finds in it

COVER_SHEET, BOARD_SHEET, PLAN_SHEET, NOT_COVERED_SHEET, META_SHEET = (
    "Cover", "Board", "Plan", "Not covered", "graphmodel")
FONT = "Arial"  # LibreOffice maps it to the metric-compatible Liberation Sans
HEADER_FILL, OWNER_FILL, OWNER_CELL_FILL = "1F4E79", "B45F06", "FFF8E1"
# Red, amber, green, as a board reads them; a medium gap is amber-yellow, never green.
RED_FILL, AMBER_FILL, YELLOW_FILL, GREEN_FILL = "F4C7C3", "FCE8B2", "FFF2CC", "D9EAD3"
SEVERITY_FILLS = {name: s.fill for name, s in vocab.SEVERITIES.items()}  # red, amber, yellow
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


def _put(ws: Worksheet, row: int, column: int, value: object) -> Cell:
    """A cell holding ``value`` as data, whatever a name holds.

    Why: openpyxl stores text that starts with "=" as a formula (a party named
    '=HYPERLINK(...)' would run in Excel) and raises on control characters (a
    summary holding ESC crashed 'plan'), and writes non-characters that no
    XML parser reads. Text stays text; those characters read \\x1b, \\ufffe.
    """
    from ..text import xml_safe
    cell = ws.cell(row, column)
    cell.value = xml_safe(value) if isinstance(value, str) else value
    if cell.data_type == "f":
        cell.data_type = "s"
    return cell


def _font(**kw: object) -> Font:
    from openpyxl.styles import Font
    return Font(name=FONT, size=kw.pop("size", 10), **kw)


def _fill(colour: str) -> PatternFill:
    from openpyxl.styles import PatternFill
    return PatternFill("solid", start_color=colour, end_color=colour)


def _wrap(**kw: object) -> Alignment:
    from openpyxl.styles import Alignment
    return Alignment(wrap_text=True, vertical="top", **kw)


def _date(text: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(text) if text else None


def _cover_sheet(ws: Worksheet, plan: dict, version: str) -> None:
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


def _header(ws: Worksheet, columns: Sequence[Column],
            band: list[tuple[str, int, int, str]]) -> None:
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


def _plan_sheet(ws: Worksheet, plan: dict) -> None:
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


def _colours(ws: Worksheet, columns: Sequence[Column], last: int) -> None:
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


def _bands(columns: Sequence[Column]) -> list[tuple[str, int, int, str]]:
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


def plan_cell(row: dict, key: str) -> object:
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


def _validations(ws: Worksheet, columns: Sequence[Column], last: int) -> None:
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


def _not_covered_sheet(ws: Worksheet, plan: dict) -> None:
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


def _meta_sheet(ws: Worksheet, plan: dict) -> None:
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


def _page(ws: Worksheet, area: str, landscape: bool = True) -> None:
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
    from ..text import xml_safe
    return xml_safe(text).replace("&", "&&")


BOARD_WIDTHS = {"Rank": 6, "Problem": 60, "Scope": 13, "Children affected": 24,
                "Who must act": 62, "Action status": 24, "Due": 12}
RAG_FILLS = {"red": RED_FILL, "amber": AMBER_FILL, "green": GREEN_FILL, None: "EEEEEE"}


def _board_sheet(ws: Worksheet, plan: dict, board: dict) -> None:
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
    """(the hidden sheet's keys, the plan rows with anything in the owners' columns).

    The workbook is untrusted: ``check_package`` bounds and checks every part
    before openpyxl sees it, and openpyxl reads only up to the last real row
    and column, so a bomb, an entity, a damaged part or a row numbered in the
    billions is one line, in seconds, in bounded memory.
    """
    import warnings
    import zipfile

    from openpyxl import load_workbook
    extents = check_package(data, label)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl's remarks on extensions it drops
        try:
            book = load_workbook(io.BytesIO(data), data_only=True, read_only=True)
        except (zipfile.BadZipFile, KeyError, ValueError, TypeError, IndexError,
                AttributeError, OSError) as exc:
            raise ModelError(f"is not an Excel workbook (.xlsx) graphmodel can read: "
                             f"{_reason(exc)}", file=label) from None
        try:
            meta = _meta(book, label, extents)
            if PLAN_SHEET not in book.sheetnames:
                raise ModelError(f"has no '{PLAN_SHEET}' sheet: import the workbook "
                                 "'graphmodel plan --format xlsx' made", file=label)
            return meta, _owner_rows(book[PLAN_SHEET], label, extents.get(PLAN_SHEET))
        except (zipfile.BadZipFile, KeyError, ValueError, TypeError, IndexError,
                AttributeError, OSError) as exc:
            raise ModelError(f"cannot read the workbook: {_reason(exc)}", file=label) from None
        finally:
            book.close()


def _reason(exc: BaseException) -> str:
    """An exception in words, on one line, with no path of a temporary file in it.

    openpyxl's own messages run over several lines ("Unable to read workbook: ...
    This is most probably because ..."); an error is one line.
    """
    text = " ".join((str(exc) or type(exc).__name__).split())
    return re.sub(r"(?<![\w.])/[^\s'\"]+", "(a file)", text)[:300]


# --- the package, checked before openpyxl reads it -----------------------------------------

MAX_PARTS = 1000
MAX_PART_BYTES = 16 * 1024 * 1024  # unpacked; a 300-row plan's largest part is about 200 KB
MAX_TOTAL_BYTES = 64 * 1024 * 1024
MAX_ROWS = 2_000  # a plan has a row per recommendation and action: about a hundred
MAX_COLUMNS = 50  # the plan has 16
EXCEL_ROWS, EXCEL_COLUMNS = 1_048_576, 16_384


def check_package(data: bytes, label: str) -> dict[str, tuple[int, int]]:
    """Check a workbook's zip parts; return each sheet's last real (row, column).

    Refuses, in one line each: a part or a whole that unpacks past the limits
    (a zip bomb), too many parts, a damaged or encrypted part, any DTD or
    entity declaration, malformed XML, a row or column past the limits, and a
    cell whose value its type cannot hold.
    """
    import zipfile
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        raise ModelError(f"is not an Excel workbook (.xlsx): {_reason(exc)}",
                         file=label) from None
    _check_sizes(infos, label)
    sheets = _sheet_parts(archive, label)
    strings = _parse_part(archive, "xl/sharedStrings.xml", label, _count_strings) \
        if "xl/sharedStrings.xml" in archive.namelist() else 0
    extents: dict[str, tuple[int, int]] = {}
    for info in infos:
        name = info.filename
        if name in sheets:
            extents[sheets[name]] = _parse_part(archive, name, label,
                                                _sheet_checker(sheets[name], strings, label))
        elif name.endswith((".xml", ".rels", ".vml")) and name != "xl/sharedStrings.xml":
            _parse_part(archive, name, label, None)
    return extents


def _check_sizes(infos: list[zipfile.ZipInfo], label: str) -> None:
    if len(infos) > MAX_PARTS:
        raise ModelError(f"is not a plan workbook: it holds {len(infos):,} parts (at most "
                         f"{MAX_PARTS:,})", file=label)
    total = 0
    for info in infos:
        if info.file_size > MAX_PART_BYTES:
            raise ModelError(f"part {info.filename[:100]!r} unpacks to {info.file_size:,} "
                             f"bytes, more than the limit of {MAX_PART_BYTES:,}", file=label)
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise ModelError(f"unpacks to {total:,} bytes, more than the limit of "
                         f"{MAX_TOTAL_BYTES:,}", file=label)


@overload
def _parse_part(archive: zipfile.ZipFile, name: str, label: str, handle: None) -> None: ...


@overload
def _parse_part(archive: zipfile.ZipFile, name: str, label: str,
                handle: Callable[[Events], Found]) -> Found: ...


def _parse_part(archive: zipfile.ZipFile, name: str, label: str,
                handle: Callable[[Events], Found] | None) -> Found | None:
    """Parse one XML part as it streams (no DTD allowed); ``handle(events)`` sees each
    element as it ends and returns what the part tells."""
    import zipfile
    import zlib

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import iterparse
    try:
        with archive.open(name) as stream:
            events = iterparse(stream, events=("start", "end"), forbid_dtd=True)
            if handle is None:
                for event, element in events:
                    if event == "end":
                        element.clear()
                return None
            return handle(events)
    except DefusedXmlException:
        raise ModelError(f"part {name[:100]!r} declares a DTD or entities, which a "
                         "workbook does not need: save it again from Excel or LibreOffice",
                         file=label) from None
    except ModelError:
        raise
    except (SyntaxError, ValueError, zlib.error, EOFError, OSError, RuntimeError,
            NotImplementedError, zipfile.BadZipFile) as exc:  # ParseError is a SyntaxError
        raise ModelError(f"part {name[:100]!r} is damaged: {_reason(exc)}", file=label) \
            from None


def _local(tag: object) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _count_strings(events: Events) -> int:
    count = 0
    for event, element in events:
        if event == "end" and _local(element.tag) == "si":
            count += 1
            element.clear()
    return count


def _sheet_parts(archive: zipfile.ZipFile, label: str) -> dict[str, str]:
    """Each worksheet's part name -> its sheet name, from workbook.xml and its relations."""
    def collect(wanted: str,
                keys: tuple[str, ...]) -> Callable[[Events], list[tuple[str, ...]]]:
        def handle(events: Events) -> list[tuple[str, ...]]:
            found = []
            for event, element in events:
                if event == "end" and _local(element.tag) == wanted:
                    attrs = {_local(k): v for k, v in element.attrib.items()}
                    found.append(tuple(attrs.get(k, "") for k in keys))
            return found
        return handle
    names = archive.namelist()
    if "xl/workbook.xml" not in names:
        raise ModelError("is not an Excel workbook (.xlsx): it has no xl/workbook.xml",
                         file=label)
    sheets = _parse_part(archive, "xl/workbook.xml", label, collect("sheet", ("name", "id")))
    rels = _parse_part(archive, "xl/_rels/workbook.xml.rels", label,
                       collect("Relationship", ("Id", "Target"))) \
        if "xl/_rels/workbook.xml.rels" in names else []
    where = {rid: target.lstrip("/") if target.startswith("/") else "xl/" + target
             for rid, target in rels}
    return {where[rid]: name for name, rid in sheets if rid in where}


_CELL = re.compile(r"^([A-Z]{1,3})([0-9]{1,12})$")


def _sheet_checker(sheet: str, strings: int, label: str) -> Callable[[Events], tuple[int, int]]:
    """A handler that checks a worksheet's rows and cells and returns its last (row, column)."""
    def where(row: int, column: int | None = None) -> str:
        col = f", column {_letters(column)}" if column else ""
        return f"sheet '{sheet[:50]}', row {row:,}{col}"

    def handle(events: Events) -> tuple[int, int]:
        from openpyxl.utils import column_index_from_string
        last_row = last_col = row = col = 0
        for event, element in events:
            tag = _local(element.tag)
            if event == "start":
                if tag == "row":
                    row, col = _row_number(element.get("r"), row, where, label), 0
                continue
            if tag == "dimension":
                _check_dimension(element.get("ref", ""), sheet, label)
            elif tag == "c":
                ref = element.get("r")
                if ref:
                    match = _CELL.match(ref)
                    if not match or int(match.group(2)) != row:
                        raise ModelError(f"{where(row)}: cell reference {ref[:20]!r} is not "
                                         "a cell of this row", file=label)
                    col = column_index_from_string(match.group(1))
                else:
                    col += 1
                if col > MAX_COLUMNS:
                    raise ModelError(f"{where(row, col)}: beyond the {MAX_COLUMNS} columns a "
                                     "plan can have: delete what is there", file=label)
                value = element.findtext(_child(element, "v"))
                if value is not None:
                    _check_cell(element.get("t", "n"), value, strings, where(row, col), label)
                if value is not None or element.get("t") == "inlineStr":
                    last_row, last_col = row, max(last_col, col)
            elif tag == "row":
                element.clear()
        return last_row, last_col
    return handle


def _row_number(given: str | None, previous: int, where: Callable[[int], str],
                label: str) -> int:
    """A row's number: as written (it must grow, and stay within the limit), else the next."""
    try:
        row = int(given) if given is not None else previous + 1
    except ValueError:
        raise ModelError(f"{where(previous + 1)}: row number {str(given)[:20]!r} is not a number",
                         file=label) from None
    if row > MAX_ROWS:
        raise ModelError(f"{where(row)}: a plan has at most {MAX_ROWS:,} rows: delete the rows "
                         "below the plan", file=label)
    if row <= previous:
        raise ModelError(f"{where(row)}: comes after row {previous:,}: the sheet is damaged",
                         file=label)
    return row


def _letters(column: int) -> str:
    from openpyxl.utils import get_column_letter
    return get_column_letter(column) if 0 < column <= EXCEL_COLUMNS else str(column)


def _child(element: Element, name: str) -> str:
    """The tag of ``name`` in the element's own namespace."""
    tag = element.tag
    return tag[: tag.index("}") + 1] + name if tag.startswith("{") else name


def _check_dimension(ref: str, sheet: str, label: str) -> None:
    last = ref.rpartition(":")[2]
    match = _CELL.match(last)
    if not match:
        return  # openpyxl is told the real extent; a missing or odd dimension is harmless
    from openpyxl.utils import column_index_from_string
    if int(match.group(2)) > EXCEL_ROWS or column_index_from_string(match.group(1)) > \
            EXCEL_COLUMNS:
        raise ModelError(f"sheet '{sheet[:50]}' claims to reach cell {last}, beyond what any "
                         "spreadsheet holds: save it again from Excel or LibreOffice",
                         file=label)


def _check_cell(kind: str, value: str, strings: int, where: str, label: str) -> None:
    """A cell whose value its type cannot hold (a number that is not one, a string index
    past the shared strings, a date that is not ISO 8601) is one line."""
    import math
    if kind in ("str", "inlineStr", "e"):
        return
    try:
        if kind == "n":
            ok = math.isfinite(float(value))
        elif kind == "s":
            ok = 0 <= int(value) < strings
        elif kind == "b":
            ok = value.strip() in ("0", "1")
        elif kind == "d":
            datetime.datetime.fromisoformat(value.strip())
            ok = True
        else:
            ok = False
    except (ValueError, OverflowError):
        ok = False
    if not ok:
        raise ModelError(f"{where}: the cell's value {value[:40]!r} is not a valid "
                         f"{_KINDS.get(kind, repr(kind[:10]) + ' value')}: type it again",
                         file=label)


_KINDS = {"n": "number", "s": "text (shared string)", "b": "true/false value",
          "d": "date"}


def _meta(book: Workbook, label: str, extents: dict[str, tuple[int, int]]) -> dict[str, str]:
    if META_SHEET not in book.sheetnames:
        raise ModelError(f"has no hidden '{META_SHEET}' sheet: import a workbook made by "
                         "'graphmodel plan --format xlsx' (keep its sheets)", file=label)
    rows = _rows(book[META_SHEET], extents.get(META_SHEET))
    return {str(k): ("" if v is None else str(v)) for k, v, *_ in rows if k}


def _rows(ws: ReadOnlyWorksheet,
          extent: tuple[int, int] | None) -> Iterator[tuple[object, ...]]:
    """The sheet's rows up to its last real row and column (never its claimed dimension)."""
    last_row, last_col = extent or (0, 0)
    if not last_row:
        return iter(())
    return ws.iter_rows(min_row=1, max_row=last_row, min_col=1, max_col=max(last_col, 2),
                        values_only=True)


def _owner_rows(ws: ReadOnlyWorksheet, label: str,
                extent: tuple[int, int] | None) -> list[OwnerRow]:
    rows = _rows(ws, extent)
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
