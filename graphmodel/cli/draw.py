"""Drawing commands: ``map`` (an offline HTML page) and ``export`` (files for other tools).

Both draw a view from ``graphmodel.views``; the heavy modules (pyvis, jinja2)
are imported inside the commands.
"""

from pathlib import Path
from typing import Annotated, Optional

import typer

from ..errors import UsageError
from .app import DraftsOpt, ModelOpt, app, open_area, user_errors

ViewOpt = Annotated[str, typer.Option(
    "--view", "-v", help="system, gaps, commissioning, progress (the action plan's), "
                         "party:NAME (or org:NAME), recommendation:ID, or compare (what "
                         "fails across the --areas).")]
AreasOpt = Annotated[Optional[list[Path]], typer.Option(
    "--areas", metavar="AREA_DIR", help="--view compare: area folders, or folders that hold "
    "them (repeat for several) [default: the bundled areas].", show_default=False)]
FORMATS = ("graphml", "gexf", "kumu", "cytoscape", "mermaid", "csv")


def _view(area, view: str):
    """The view's name and target, the target checked against the area."""
    from ..views.build import split_view
    name, target = split_view(view)
    if name == "party":
        target = area.resolve(target, f"--view {view.partition(':')[0]}:")
    if name == "recommendation" and target not in area.info.recommendations:
        raise UsageError(f"--view {view!r}: no recommendation {target} in this report")
    return name, target


def _across(view: str, areas, model) -> bool:
    """Whether the view is drawn across areas (compare); --areas is for those only."""
    from ..views.build import ACROSS_AREAS, split_view
    across = split_view(view)[0] in ACROSS_AREAS
    if areas and not across:
        raise UsageError("--areas: only --view compare draws several areas")
    if model and across:
        raise UsageError("--model: --view compare draws the areas given with --areas")
    return across


def _compare_view(areas):
    from ..api import compare_areas
    from ..views.build import compare_view
    return compare_view(compare_areas(areas))


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
             model: ModelOpt = None, include_drafts: DraftsOpt = False,
             areas: AreasOpt = None):
    """Draw an interactive map: one HTML file that opens offline in any browser."""
    from ..views import build as views
    from ..views import html_map as htmlmap
    if _across(view, areas, model):
        drawn = _compare_view(areas)
        page = htmlmap.render_view(None, drawn)
        _written(out or Path(views.view_slug(drawn.area, drawn.name) + ".html"), page)
        return
    area = open_area(model, include_drafts=include_drafts)
    name, target = _view(area, view)
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
           model: ModelOpt = None, include_drafts: DraftsOpt = False,
           areas: AreasOpt = None):
    """Export a view for Kumu, Gephi, yEd, Cytoscape, Mermaid or a spreadsheet."""
    if to not in FORMATS:
        raise UsageError(f"--to {to!r}: choose {', '.join(FORMATS)}")
    from ..views import build as views
    from ..views import export as exporter
    if _across(view, areas, model):
        drawn = _compare_view(areas)
    else:
        area = open_area(model, include_drafts=include_drafts)
        name, target = _view(area, view)
        drawn = views.build_view(area.graph, name, target)
    content = exporter.export_view(drawn, to)  # the exporter makes its XML and CSV safe
    if str(out) == "-":
        if isinstance(content, bytes):
            raise UsageError(f"--to {to} writes a zip: give --out FILE.zip")
        typer.echo(content, nl=False)
        return
    _written(out or Path(exporter.export_filename(drawn, to)), content)
