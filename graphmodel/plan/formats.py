"""The action plan as Markdown or CSV: the workbook's content for other tools.

The same columns and cover as the workbook (``workbook.PLAN_COLUMNS``,
``workbook.cover_lines``), so every format says the same thing.
"""

from __future__ import annotations

import datetime

from ..render.tables import render_csv, render_markdown
from .workbook import KIND_LABELS, NOT_COVERED_COLUMNS, PLAN_COLUMNS, cover_lines, plan_cell


def _display(value) -> str:
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
