"""Commands over several areas: ``areas`` (which there are) and ``compare`` (what recurs)."""

# No "from __future__ import annotations": typer reads the annotations.
from pathlib import Path
from typing import Annotated, Optional

import typer

from .app import AllOpt, Format, FormatOpt, app, emit, user_errors

AreasArg = Annotated[Optional[list[Path]], typer.Argument(
    metavar="[AREA_DIR]...", help="Area folders, or folders that hold them [default: the "
                                  "bundled areas].", show_default=False)]


@app.command()
@user_errors
def areas(folders: AreasArg = None, format: FormatOpt = Format.table) -> None:
    """The areas found in the folders: their ids, names and review dates."""
    from ..api import list_areas
    rows = list_areas(folders)
    emit(rows, format, ["name", "review", "id", "folder"],
         f"{len(rows)} area{'' if len(rows) == 1 else 's'}", show_all=True)


@app.command()
@user_errors
def compare(folders: AreasArg = None, format: FormatOpt = Format.table,
            show_all: AllOpt = False) -> None:
    """What fails in more than one area, by the roles it passes between; then what is unique.

    Areas are compared by signature: the sender's national role, the
    receiver's and what passes (docs/modelling.md, Roles). Each failure gives
    the areas, the worst severity in each and one quote per area.
    """
    from ..api import compare_areas
    result = compare_areas(folders)
    if format == Format.table:
        from ..render.comparison import render_compare_cards
        typer.echo(render_compare_cards(result, limit=None if show_all else "auto"), nl=False)
        return
    if format == Format.json:
        from ..render.tables import render_json
        typer.echo(render_json(result), nl=False)
        return
    from ..questions.compare import compare_rows
    emit(compare_rows(result), format, title=f"{len(result['areas'])} areas compared",
         show_all=True)
