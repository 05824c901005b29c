"""Commands for modelling an area: ``new``, ``drafts accept|reject`` and ``todo``."""

# No "from __future__ import annotations": typer reads the annotations.
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from .app import Format, FormatOpt, ModelOpt, WideOpt, app, echo_wrapped, emit, user_errors

if TYPE_CHECKING:  # named only, in quotes: the commands import the library when they run
    from ..authoring.new_area import Proposal
    from ..model.report import ReportText
    from ..model.types import Model

drafts_app = typer.Typer(no_args_is_help=True, help="Review drafted flows: accept or reject "
                                                    "them by id.")
app.add_typer(drafts_app, name="drafts")


@app.command()
@user_errors
def new(folder: Annotated[Path, typer.Argument(help="The new area's folder (new or empty).")],
        report: Annotated[Optional[Path], typer.Option(
            "--report", "-r", help="The report: the PDF CQC publishes, or its text.",
            show_default=False)] = None,
        copy: Annotated[Optional[str], typer.Option(
            "--copy", metavar="AREA", help="Instead: a working copy of a bundled area "
                                           "(sefton), to plan and record actions in.",
            show_default=False)] = None,
        name: Annotated[Optional[str], typer.Option(
            "--name", help="The area's name [default: as the report gives it].",
            show_default=False)] = None) -> None:
    """Start an area from its report (parties, services and drafted flows to review), or
    copy a bundled area to work in."""
    import re

    from ..api import copy_area, new_area
    from ..errors import UsageError
    from ..text import message_line
    if (report is None) == (copy is None):
        raise UsageError("give --report REPORT (a new area, from its PDF or text) or --copy "
                         "AREA (a working copy of a bundled one)")
    if copy is not None:
        model = copy_area(folder, copy)
        echo_wrapped(f"Made {folder}: a working copy of {model.area.name}, yours to change.")
        echo_wrapped(f"Work inside it (cd {folder}): every command then uses it.")
        return
    assert report is not None
    proposal, model = new_area(folder, report, name)
    assert proposal.source is not None  # new_area read the report file
    for warning in proposal.source.warnings:
        typer.echo(message_line("warning: ", warning), err=True)
    for line in made_lines(proposal, model, folder):
        # "  drafts.yaml    26 drafted ...": wrapped under its text, beside the file name
        lead = re.match(r"  (?:\d\. |\S+(?: \S+)? {2,})", line)
        first = lead.group(0) if lead else ""
        echo_wrapped(line[len(first):], " " * len(first) if lead else "  ", first=first)


def made_lines(proposal: "Proposal", model: "Model", folder: Path) -> list[str]:
    """What ``new`` made, file by file, and what to do next."""
    x = proposal.extraction
    sections = Counter(b.section for b in proposal.bodies)
    owners = {i for ids in model.owners.values() for i in ids} | set(model.submitters)
    confidence = Counter(d.confidence for d in proposal.drafts)
    levels = ", ".join(f"{confidence[c]} {c}" for c in ("high", "medium", "low") if confidence[c])
    roles = sum(bool(p.item.role) for p in model.parties.values())
    lines = [f"Made {folder}: a model of {proposal.name} from {len(x.findings)} findings and "
             f"{len(x.recommendations)} recommendations.",
             f"  {'report.txt':<20} {_report_line(proposal.source)}",
             f"  {'extracted.yaml':<20} findings, recommendations and next steps",
             f"  {'area.yaml':<20} id {proposal.id}; public health owner "
             f"{proposal.public_health_owner}",
             f"  {'organisations.yaml':<20} {sections['organisations']} organisations "
             f"({len(owners)} own recommendations or send the action plan)",
             f"  {'forums.yaml':<20} {sections['forums']} forums the report names",
             f"  {'services.yaml':<20} {len(proposal.services)} services from the context",
             f"  {'sites.yaml':<20} {_n(sections['sites'], 'hospital')}, each with the trust "
             "that runs it",
             f"  {'groups.yaml':<20} {_n(sections['groups'], 'group')} of practitioners",
             f"  {'systems.yaml':<20} {_n(sections['systems'], 'record system')} the report "
             "names",
             f"  {'roles':<20} proposed for {roles} of {len(model.parties)} parties, each "
             "marked 'proposed'",
             f"  {'drafts.yaml':<20} {len(proposal.drafts)} drafted flows to review"
             + (f" ({levels} confidence)" if levels else ""),
             f"  {'other files':<20} flows, not_modelled, actions: "
             "empty, each saying what goes in it",
             f"It passes 'graphmodel validate' ({len(model.problems)} codebook warnings).",
             *[f"note: {n}" for n in proposal.notes],
             "Next:",
             "  1. check organisations.yaml: each kind, and merge entries that are one body; "
             "check each party's proposed role (docs/modelling.md, Roles)",
             f"  2. cd {folder} && graphmodel todo     (the worklist)",
             "  3. review drafts.yaml, then 'graphmodel drafts accept ID ...' "
             "(or 'graphmodel drafts reject ID ...')",
             "  4. graphmodel gaps; graphmodel map --view gaps"]
    return lines


def _report_line(source: "ReportText | None") -> str:
    """What report.txt holds: the report copied, or the text read from a PDF or repaired."""
    if source is None or not source.changed:
        return "the report, copied"
    how = "read from" if source.pdf else "repaired from"
    return f"the text {how} {Path(source.file).name} (SHA-256 {source.sha256[:12]}...)"


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _move(ids: list[str], model: Path | None, accept: bool) -> None:
    from ..api import move_drafts
    moved, left = move_drafts(ids, model, accept)
    verb = "accepted into flows.yaml" if accept else "rejected"
    echo_wrapped(f"{len(moved)} draft(s) {verb}: {', '.join(moved)}; {left} left to review")


IdsArg = Annotated[list[str], typer.Argument(help="Draft ids, as in drafts.yaml.")]


@drafts_app.command("accept")
@user_errors
def drafts_accept(ids: IdsArg, model: ModelOpt = None) -> None:
    """Move reviewed drafts into flows.yaml, keeping every comment and the order."""
    _move(ids, model, accept=True)


@drafts_app.command("reject")
@user_errors
def drafts_reject(ids: IdsArg, model: ModelOpt = None) -> None:
    """Drop drafts that describe no real flow."""
    _move(ids, model, accept=False)


@app.command()
@user_errors
def todo(model: ModelOpt = None, format: FormatOpt = Format.table,
         explained: Annotated[bool, typer.Option(
             "--explained", help="Also list the items not_modelled (or the model) explains.")]
         = False, wide: WideOpt = False) -> None:
    """The modelling worklist: unmodelled findings, drafts, bodies with no services, lone
    recommendations."""
    from ..api import todo as worklist
    listed = worklist(model, explained)
    shown, done = listed.rows, listed.explained
    work = [r for r in shown if not r["explained"]]
    title = f"{listed.area}: {len(work) or 'nothing'} to do" + \
        (f" ({done} more explained)" if done else "")
    columns = ["kind", "id", "what", "action"] + (["explained"] if explained else [])
    if shown or format != Format.table:
        emit(shown, format, columns, title, show_all=True, wide=wide, keep=["id"])
    else:
        typer.echo(title)
    if format != Format.table:
        return
    if any(r["kind"] == "draft" for r in shown):
        echo_wrapped("Drafts: edit drafts.yaml, then 'graphmodel drafts accept ID ...' or "
                     "'graphmodel drafts reject ID ...'.")
    if any(r["action"] and "not_modelled" in r["action"] for r in shown):
        echo_wrapped("not_modelled: an entry with paragraph:, party: or recommendation:, and "
                     "why: (not_modelled.yaml).")
    if done and not explained:
        echo_wrapped(f"{done} item(s) explained by not_modelled or the model: --explained "
                     "lists them.")
