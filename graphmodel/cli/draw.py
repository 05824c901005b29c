"""Drawing commands: ``map`` (an offline HTML page) and ``export`` (files for other tools).

Both draw a view from ``graphmodel.views``; the heavy modules (pyvis, jinja2)
are imported inside the commands.
"""

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..errors import UsageError
from .app import DraftsOpt, ModelOpt, app, open_area, user_errors

ViewOpt = Annotated[str, typer.Option(
    "--view", "-v", help="system, gaps, commissioning, progress (the action plan's), "
                         "party:NAME (or org:NAME) or recommendation:ID.")]
FORMATS = ("graphml", "gexf", "kumu", "cytoscape", "mermaid", "csv")
XML_FORMATS = ("graphml", "gexf")


def _view(area, view: str):
    """The view's name and target, the target checked against the area."""
    from ..views.build import split_view
    name, target = split_view(view)
    if name == "party":
        target = area.resolve(target, f"--view {view.partition(':')[0]}:")
    if name == "recommendation" and target not in area.info.recommendations:
        raise UsageError(f"--view {view!r}: no recommendation {target} in this report")
    return name, target


def _written(path: Path, content) -> None:
    """Write atomically and print the absolute path on standard output."""
    from ..files import write_atomically
    typer.echo(str(write_atomically(path, content).resolve()))


@app.command("map")
@user_errors
def draw_map(view: ViewOpt = "system",
             out: Annotated[Optional[Path], typer.Option(
                 "--out", "-o", help="The HTML file [default: AREA-VIEW.html here].",
                 show_default=False)] = None,
             model: ModelOpt = None, include_drafts: DraftsOpt = False):
    """Draw an interactive map: one HTML file that opens offline in any browser."""
    from ..views import build as views
    area = open_area(model, include_drafts=include_drafts)
    name, target = _view(area, view)
    from ..views import html_map as htmlmap
    page = htmlmap.render_view(area.graph, views.build_view(area.graph, name, target))
    _written(out or Path(htmlmap.map_filename(area.graph, name, target)), page)


@app.command("export")
@user_errors
def export(to: Annotated[str, typer.Option(
               "--to", "-t", help="graphml (yEd, Gephi, Cytoscape), gexf (Gephi), kumu "
                                  "(Kumu blueprint JSON), cytoscape (Cytoscape.js JSON), "
                                  "mermaid (Markdown, GitHub) or csv (nodes.csv and "
                                  "edges.csv in one zip, for Excel).")],
           view: ViewOpt = "system",
           out: Annotated[Optional[Path], typer.Option(
               "--out", "-o", help="The file [default: AREA-VIEW.EXT here]; - writes "
                                   "text formats to standard output.",
               show_default=False)] = None,
           model: ModelOpt = None, include_drafts: DraftsOpt = False):
    """Export a view for Kumu, Gephi, yEd, Cytoscape, Mermaid or a spreadsheet."""
    if to not in FORMATS:
        raise UsageError(f"--to {to!r}: choose {', '.join(FORMATS)}")
    from ..views import build as views
    from ..views import export as exporter
    area = open_area(model, include_drafts=include_drafts)
    name, target = _view(area, view)
    drawn = views.build_view(area.graph, name, target)
    content = exporter.export_view(drawn, to)
    if to in XML_FORMATS and isinstance(content, str):
        from ..text import xml_safe
        content = xml_safe(content)  # a control character in a name would break the XML
    if str(out) == "-":
        if isinstance(content, bytes):
            raise UsageError(f"--to {to} writes a zip: give --out FILE.zip")
        typer.echo(content, nl=False)
        return
    _written(out or Path(exporter.export_filename(drawn, to)), content)


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
          model: ModelOpt = None):
    """The one page a safeguarding board reads: the first ten problems, who must act, and
    the action plan's status, as HTML or PDF (A4 landscape)."""
    from ..views.board import board_filename
    from .plan import parse_day
    area = open_area(model)
    page = area.board(format.value, parse_day(as_of, "--as-of"))
    _written(out or Path(board_filename(area.id, format.value)), page)
