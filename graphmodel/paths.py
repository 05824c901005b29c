"""Where things live: bundled area models, Cypher queries and the cache."""

from __future__ import annotations

import os
from pathlib import Path


def _bundled(name: str, in_wheel: str | None = None) -> Path:
    """A folder shipped in the wheel as graphmodel/IN_WHEEL (default NAME), or beside
    pyproject.toml as NAME.

    Why two places: a wheel carries data/ and queries/ inside the package; an
    editable install or a checkout has them at the top of the repository.
    """
    inside = Path(__file__).resolve().parent / (in_wheel or name)  # wheels install unzipped
    if inside.is_dir():
        return inside
    return Path(__file__).resolve().parent.parent / name


def installed_package() -> Path | None:
    """The installed package's folder when it carries the bundled areas (a wheel), else None.

    Why: after ``pip install .`` the bundled areas live in site-packages, where
    an upgrade or a reinstall replaces them: nothing a user enters may be
    written there. In a checkout (or an editable install) data/ is the
    repository's own, edited by the people who model those areas.
    """
    package = Path(__file__).resolve().parent
    return package if (package / "data").is_dir() else None


def bundled_area_name(folder: Path | str) -> str | None:
    """The bundled area a folder is or lies in, when graphmodel is installed; else None."""
    package = installed_package()
    if package is None:
        return None
    try:
        inside = Path(folder).resolve().relative_to(package / "data")
    except ValueError:
        return None
    return inside.parts[0] if inside.parts else ""


def data_dir() -> Path:
    """Where the bundled area models live."""
    return _bundled("data")


def queries_dir() -> Path:
    """Where the .cypher files live."""
    return _bundled("queries", "neo4j/browser")


def default_model_dir() -> Path:
    """The bundled Sefton model."""
    return data_dir() / "sefton"


def model_dir(given: Path | str | None = None) -> Path:
    """The model to use: the one given, else the working folder if it is an area, else Sefton.

    Why the working folder: someone modelling an area runs ``graphmodel validate``
    inside its folder and must get that area checked, not the bundled one.
    """
    if given:
        return Path(given)
    here = Path.cwd()
    if (here / "area.yaml").is_file():
        return here
    return default_model_dir()


def cache_dir() -> Path:
    """Where built graphs are cached ($GRAPHMODEL_CACHE, else ~/.cache/graphmodel)."""
    base = os.environ.get("GRAPHMODEL_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "graphmodel")
    return Path(base) / "graphs"
