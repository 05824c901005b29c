"""``graphmodel neo4j-files``: write the Neo4j Browser query files and style.

Why a command: the files in ``queries/`` are generated from the Cypher
library's sources and the vocabulary (``cypherlib``); after a change to
either, this writes them again (a test fails until the committed ones are
current). Users of an installed graphmodel get the files the same way.
"""

from pathlib import Path
from typing import Annotated, Optional

import typer

from .app import app, user_errors


@app.command("neo4j-files")
@user_errors
def neo4j_files(out: Annotated[Optional[Path], typer.Option(
        "--out", "-o", help="Folder to write into [default: the queries folder graphmodel "
                            "reads, queries/ in a checkout].", show_default=False)] = None) -> None:
    """Write the Neo4j Browser query files (.cypher) and style (graphmodel.grass)."""
    from ..errors import ModelError, UsageError
    from ..neo4j.library import write_browser_files
    from ..paths import installed_package, queries_dir
    if out is None and installed_package() is not None:
        raise UsageError("the installed graphmodel's query files are read-only (an upgrade "
                         "replaces them): give --out DIR, a folder of your own")
    folder = out or queries_dir()
    if not folder.is_dir():
        raise ModelError(f"--out {str(folder)!r}: not a folder")
    for path in write_browser_files(folder):
        typer.echo(str(path.resolve()))
