"""Drawing commands: ``map`` (an offline HTML page) and ``export`` (files for other tools).

Both ask ``api.Area`` for a view's file (``Area.map``, ``Area.export``), or
``api`` for the compare view of several areas (``compare_map``,
``compare_export``), and write it; the heavy modules (pyvis, jinja2) are
imported by the library, and only when a command draws.
"""

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Optional

import typer

from .. import vocab
from ..errors import UsageError
from .app import DraftsOpt, ModelOpt, app, open_area, user_errors

ViewOpt = Annotated[str, typer.Option(
    "--view", "-v", help=f"{vocab.views_in_words()} (org:NAME is party:NAME; compare "
                         "draws the --areas).")]
AreasOpt = Annotated[Optional[list[Path]], typer.Option(
    "--areas", metavar="AREA_DIR", help="--view compare: area folders, or folders that hold "
    "them (repeat for several) [default: the bundled areas].", show_default=False)]


def _across(view: str, areas: Optional[list[Path]], model: Optional[Path]) -> bool:
    """Whether the view is drawn across areas (compare); --areas is for those only."""
    from ..api import across_areas
    across = across_areas(view)
    if areas and not across:
        raise UsageError("--areas: only --view compare draws several areas")
    if model and across:
        raise UsageError("--model: --view compare draws the areas given with --areas")
    return across


def _written(path: Path, content: str | bytes) -> None:
    """Write atomically and print the absolute path on standard output."""
    from ..files import write_atomically
    typer.echo(str(write_atomically(path, content).resolve()))


@app.command("map")
@user_errors
def draw_map(view: ViewOpt = "system",
             out: Annotated[Optional[Path], typer.Option(
                 "--out", "-o", help="The HTML file [default: AREA-VIEW.html here].",
                 show_default=False)] = None,
             model: ModelOpt = None, include_drafts: DraftsOpt = False,
             areas: AreasOpt = None) -> None:
    """Draw an interactive map: one HTML file that opens offline in any browser."""
    if _across(view, areas, model):
        from ..api import compare_filename, compare_map
        _written(out or Path(compare_filename(areas)), compare_map(areas))
        return
    area = open_area(model, include_drafts=include_drafts)
    page = area.map(view)
    _written(out or Path(area.filename(view)), page)


@app.command("export")
@user_errors
def export(format: Annotated[str, typer.Option(
               "--to", "-t", help=", ".join(f"{f.name} ({f.tools})"
                                            for f in vocab.EXPORT_FORMATS.values()) + ".")],
           view: ViewOpt = "system",
           out: Annotated[Optional[Path], typer.Option(
               "--out", "-o", help="The file [default: AREA-VIEW.EXT here]; - writes "
                                   "text formats to standard output.",
               show_default=False)] = None,
           model: ModelOpt = None, include_drafts: DraftsOpt = False,
           areas: AreasOpt = None) -> None:
    """Export a view for Kumu, Gephi, yEd, Cytoscape, Mermaid or a spreadsheet."""
    if _across(view, areas, model):
        from ..api import compare_export, compare_filename
        content = compare_export(areas, format)
        name = compare_filename(areas, format)
    else:
        area = open_area(model, include_drafts=include_drafts)
        content = area.export(view, format)
        name = area.filename(view, format)
    if str(out) == "-":
        if isinstance(content, bytes):
            raise UsageError(f"--to {format} writes a zip: give --out FILE.zip")
        typer.echo(content, nl=False)
        return
    _written(out or Path(name), content)


class BoardFormat(StrEnum):
    html = "html"
    pdf = "pdf"


@app.command("board")
@user_errors
def board(format: Annotated[BoardFormat, typer.Option(
              "--format", "-f", help="html (opens from disk, prints from any browser) or "
                                     "pdf (needs WeasyPrint).")] = BoardFormat.html,
          out: Annotated[Optional[Path], typer.Option(
              "--out", "-o", help="The file [default: AREA-board.html or .pdf here].",
              show_default=False)] = None,
          as_of: Annotated[Optional[str], typer.Option(
              "--as-of", metavar="DATE", help="Judge the actions on this date [default: "
                                              "today].", show_default=False)] = None,
          model: ModelOpt = None) -> None:
    """The one page a safeguarding board reads: the first ten problems, who must act, and
    the action plan's status, as HTML or PDF (A4 landscape)."""
    from ..views.board import board_filename
    area = open_area(model)
    page = area.board(format.value, as_of)
    _written(out or Path(board_filename(area.id, format.value)), page)
