"""After the report: 'plan' (and 'plan import'), 'progress' and 'diff'.

The commands a partnership uses once the report is in: draft the action plan
the report demands, read the owners' workbook back, check progress, and
compare the model after a re-inspection. Options are parsed here; the work is
done by ``api.Area`` (``plan``, ``import_plan``, ``progress``) and ``api.diff``.
"""

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from .app import (
    AreaOpt,
    Backend,
    BackendOpt,
    DatabaseOpt,
    Format,
    FormatOpt,
    ModelOpt,
    PasswordOpt,
    UriOpt,
    UserOpt,
    WideOpt,
    app,
    echo_wrapped,
    emit,
    open_area,
    user_errors,
    write_out,
)

if TYPE_CHECKING:  # named only, in quotes: typer reads annotations, api loads lazily
    from ..api import Area

plan_app = typer.Typer(
    add_completion=False, rich_markup_mode=None,
    help="Draft the action plan the report demands: an Excel workbook for the owners to "
         "fill in (--out FILE.xlsx), or csv, markdown or json. 'plan import' reads the "
         "filled-in workbook back.")
app.add_typer(plan_app, name="plan")


class PlanFormat(StrEnum):
    table = "table"
    xlsx = "xlsx"
    csv = "csv"
    markdown = "markdown"
    json = "json"


class By(StrEnum):
    recommendation = "recommendation"
    owner = "owner"


class FailOn(StrEnum):
    overdue = "overdue"


OutOpt = Annotated[Optional[Path], typer.Option(
    "--out", "-o", help="Write to this file [xlsx: AREA-action-plan.xlsx here; others: "
                        "standard output].", show_default=False)]


def _plan_format(fmt: Optional[PlanFormat], out: Optional[Path]) -> PlanFormat:
    if fmt:
        return fmt
    suffix = out.suffix.lower().lstrip(".") if out else ""
    if out is None:
        return PlanFormat.table  # a person at a terminal
    return {"xlsx": PlanFormat.xlsx, "csv": PlanFormat.csv, "json": PlanFormat.json}.get(
        suffix, PlanFormat.markdown)


@plan_app.callback(invoke_without_command=True)
@user_errors
def plan(ctx: typer.Context, model: ModelOpt = None,
         org: Annotated[Optional[str], typer.Option(
             "--org", help="Only this owner's part: any name or id the report uses for it.")]
         = None,
         by: Annotated[By, typer.Option(
             "--by", help="One row per recommendation, or per owner and recommendation.")]
         = By.recommendation,
         received: Annotated[Optional[str], typer.Option(
             "--received", metavar="DATE", help="When the report was received [default: "
             "received: in area.yaml]; the due date counts working days from it.")] = None,
         format: Annotated[Optional[PlanFormat], typer.Option(
             "--format", "-f", help="table, xlsx, csv, markdown or json [default: from "
                                    "--out's suffix (else markdown), or a table on the "
                                    "terminal].", show_default=False)] = None,
         out: OutOpt = None, wide: WideOpt = False,
         show_all: Annotated[bool, typer.Option(
             "--all", help="Every row of the table (else the first 20).")] = False,
         backend: BackendOpt = Backend.networkx, area_id: AreaOpt = None, uri: UriOpt = None,
         user: UserOpt = None, password: PasswordOpt = None, database: DatabaseOpt = None,
         ) -> None:
    """Draft the action plan: every recommendation worst gap first, with owners' columns."""
    if ctx.invoked_subcommand is not None:
        return
    area = open_area(model, backend, uri, user, password, database, area=area_id)
    fmt = _plan_format(format, out)
    text: str | bytes  # the workbook's bytes, else text
    if fmt == PlanFormat.table:  # for a person: the plan's rows fitted to the terminal
        from ..plan.formats import render_plan_table
        text = render_plan_table(area.plan(org, by.value, received), wide=wide,
                                 limit=None if show_all else "auto")
    else:
        text = area.plan(org, by.value, received, fmt.value)
    if fmt == PlanFormat.xlsx:
        write_out(out or Path(f"{area.id}-action-plan.xlsx"), text)
        return
    if out:
        write_out(out, text)
    else:
        typer.echo(text, nl=False)


@plan_app.command("import")
@user_errors
def plan_import(workbook: Annotated[Path, typer.Argument(
                    metavar="FILE.xlsx", help="The plan workbook the owners filled in.")],
                model: ModelOpt = None,
                check: Annotated[bool, typer.Option(
                    "--check", help="Check the workbook and say what would change; write "
                                    "nothing.")] = False,
                replace: Annotated[bool, typer.Option(
                    "--replace", help="Let the workbook remove or empty recorded actions it "
                                      "leaves out (by default they are kept).")] = False,
                ) -> None:
    """Read the owners' columns of a plan workbook into actions.yaml in the area folder."""
    from ..text import safe_line
    area = open_area(model)
    done = area.import_plan(workbook, check=check, replace=replace)
    for line in done.lines(workbook.name, check):
        typer.echo(safe_line(line))


@app.command()
@user_errors
def progress(model: ModelOpt = None,
             as_of: Annotated[Optional[str], typer.Option(
                 "--as-of", metavar="DATE", help="Judge overdue actions on this date "
                                                 "[default: today].", show_default=False)]
             = None,
             fail_on: Annotated[Optional[FailOn], typer.Option(
                 "--fail-on", help="Exit 1 if any action is overdue (for a scheduled "
                                   "check).")] = None,
             format: FormatOpt = Format.table, wide: WideOpt = False,
             backend: BackendOpt = Backend.networkx, area_id: AreaOpt = None,
             uri: UriOpt = None, user: UserOpt = None, password: PasswordOpt = None,
             database: DatabaseOpt = None) -> None:
    """Progress on the action plan: actions done, in progress and overdue; gaps closed."""
    import json

    area = open_area(model, backend, uri, user, password, database, area=area_id)
    state = area.progress(as_of)
    if format == Format.json:
        typer.echo(json.dumps(state, indent=2, ensure_ascii=False))
    else:
        _emit_progress(area, state, format, wide)
    if fail_on == FailOn.overdue and state["overdue"]:
        raise typer.Exit(1)


PROGRESS_COLUMNS = {
    "owners": ["owner", "actions", "not_started", "in_progress", "done", "verified", "overdue"],
    "recommendations": ["id", "owners", "actions", "not_started", "in_progress", "done",
                        "overdue"],
    "gaps": ["rank", "severity", "kind", "state", "summary", "fixed", "flows"],
    "overdue": ["recommendation", "owner", "action", "lead", "due", "status"],
}


def progress_title(area: "Area", state: dict[str, Any]) -> str:
    s = state["summary"]
    return (f"{area.name}: progress on {state['as_of']}: {s['actions']} actions, {s['done']} "
            f"done, {s['in_progress']} in progress, {s['overdue']} overdue; gaps closed "
            f"{s['gaps_closed']}, open {s['gaps_open']}, no action {s['gaps_no_action']}; "
            f"broken loops closed {s['loops_closed']}, open {s['loops_open']}, no action "
            f"{s['loops_no_action']}")


PROGRESS_KEYS = {"recommendations": ["id"], "overdue": ["recommendation", "due"]}


def _emit_progress(area: "Area", state: dict[str, Any], format: Format,
                   wide: bool = False) -> None:
    if format == Format.csv:  # the title is cell A1: it must run nothing
        from ..text import clean, csv_safe
        typer.echo(csv_safe(clean(progress_title(area, state))))
    else:
        echo_wrapped(progress_title(area, state))
    if not state["summary"]["actions"]:
        echo_wrapped("No actions yet: fill in the plan ('graphmodel plan') and import it "
                     "('graphmodel plan import FILE.xlsx').")
    for section, columns in PROGRESS_COLUMNS.items():
        rows = state[section]
        if section == "recommendations":
            rows = [r for r in rows if r["actions"]]
        emit(rows, format, columns, title=section, show_all=True, wide=wide,
             keep=PROGRESS_KEYS.get(section, ()))


@app.command()
@user_errors
def diff(old: Annotated[Optional[Path], typer.Argument(
             help="The earlier model folder (with --rev: the folder to compare, default "
                  "the working one).", show_default=False)] = None,
         new: Annotated[Optional[Path], typer.Argument(
             help="The later model folder.", show_default=False)] = None,
         rev: Annotated[Optional[str], typer.Option(
             "--rev", metavar="GIT_REV", help="Compare the folder as it was at this git "
                                              "revision with the working copy.")] = None,
         format: FormatOpt = Format.table, wide: WideOpt = False) -> None:
    """What changed between two versions of an area: flows, gaps, loops, recommendations."""
    from ..api import diff as diff_areas
    rows = diff_areas(old, new, rev)
    after = open_area(old if rev else new)
    label = f"{rev} \u2192 working copy" if rev else f"{old} \u2192 {new}"
    emit(rows, format, ["change", "what", "id", "old", "new", "name"],
         title=f"{after.name}: {len(rows)} changes ({label})", show_all=True, wide=wide,
         keep=["id"])
