"""The action plan as Markdown or CSV: the workbook's content for other tools.

The same columns and cover as the workbook (``workbook.PLAN_COLUMNS``,
``workbook.cover_lines``), so every format says the same thing.
"""

from __future__ import annotations

import datetime

from ..render.tables import (
    Limit,
    render_csv,
    render_markdown,
    render_table,
    terminal_width,
    wrap_lines,
)
from ..text import clean
from .workbook import (
    BOARD_ORDER,
    KIND_LABELS,
    NOT_COVERED_COLUMNS,
    PLAN_COLUMNS,
    cover_lines,
    plan_cell,
    sheet_columns,
)


def _display(value: object) -> str:
    if isinstance(value, datetime.date):
        return value.isoformat()
    return "" if value is None else str(value)


def plan_table(plan: dict) -> list[dict]:
    """The plan's rows keyed by the workbook's column headers."""
    return [{c.header: _display(plan_cell(row, c.key)) for c in PLAN_COLUMNS}
            for row in plan["recommendations"]]


def not_covered_table(plan: dict) -> list[dict]:
    out = []
    for row in plan["not_covered"]:
        item = {c.header: row[c.key] for c in NOT_COVERED_COLUMNS}
        item["What"] = KIND_LABELS[row["kind"]]
        out.append({k: "\n".join(v) if isinstance(v, list) else _display(v)
                    for k, v in item.items()})
    return out


def render_plan_markdown(plan: dict) -> str:
    c = plan["cover"]
    lines = [f"# Action plan: {c['area']['name']}", ""]
    lines += [f"- **{label}**: {_display(value)}" for label, value in cover_lines(c, plan)]
    lines += [""]
    out = "\n".join(lines) + "\n"
    out += render_markdown(plan_table(plan), [col.header for col in PLAN_COLUMNS],
                           f"The plan: {len(plan['recommendations'])} rows, worst gap first")
    out += "\n" + render_markdown(not_covered_table(plan),
                                  [col.header for col in NOT_COVERED_COLUMNS],
                                  "What no recommendation covers")
    return out + "\n" + c["what_if"]["statement"] + "\n"


def render_plan_table(plan: dict, width: int | None = None, wide: bool = False,
                      limit: Limit = "auto") -> str:
    """The plan for a terminal: the cover wrapped, then the rows fitted to the width.

    Why not Markdown: its table rows ran to 2,873 characters in an 80-column
    terminal. The board's columns come first, as in the workbook; the
    recommendation's number and the due date are never cut.
    """
    width = terminal_width(width)
    c = plan["cover"]
    lines = [clean(f"Action plan: {c['area']['name']}")]
    for label, value in cover_lines(c, plan):
        lines += wrap_lines(clean(f"{label}: {_display(value)}"), width, "  ", "    ")
    headers = [col.header for col in sheet_columns(plan["layout"])]
    board = [col.header for col in sheet_columns(plan["layout"])
             if col.key in BOARD_ORDER and col.key != "priority"]  # rows come in its order
    out = "\n".join(lines) + "\n\n"
    out += render_table(plan_table(plan), board, f"The plan: {len(plan['recommendations'])} "
                        "rows, worst gap first", wide_columns=headers, limit=limit,
                        width=width, wide=wide, keep=["Rec.", "Recommendation", "Due date"],
                        row_lines=8)
    out += "\n" + render_table(not_covered_table(plan), ["What", "Rank", "Severity", "Summary"],
                               "What no recommendation covers",
                               wide_columns=[col.header for col in NOT_COVERED_COLUMNS],
                               limit=limit, width=width, wide=wide)
    return out + "\n" + "\n".join(wrap_lines(clean(c["what_if"]["statement"]), width)) + "\n"


CSV_COLUMNS = ["Part", *[c.header for c in PLAN_COLUMNS], "Why it is here"]


def render_plan_csv(plan: dict) -> str:
    """One table: the plan's rows, then what no recommendation covers (the Part column says)."""
    rows = [{"Part": "plan", **row} for row in plan_table(plan)]
    for item in not_covered_table(plan):
        rows.append({"Part": item["What"], "Rec.": item["Id"], "Recommendation": item["Summary"],
                     "Owners named in the report": item["Who"],
                     "Worst gap": f"{item['Severity']} (#{item['Rank']})" if item["Rank"]
                     else "", "Why it is here": item["Why it is here"]})
    return render_csv(rows, CSV_COLUMNS)
