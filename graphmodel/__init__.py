"""graphmodel: a CQC children's safeguarding review as a graph you can question.

    >>> import graphmodel
    >>> area = graphmodel.open_area()             # the bundled Sefton model, or a folder
    >>> area.name, area.resolve("Multi-Agency Safeguarding Hub")
    ('Sefton', 'mash')
    >>> all("mash" in [p["id"] for p in gap["parties"]] for gap in area.gaps(org="MASH"))
    True
    >>> len(area.owners()), len(area.owners(uncited=True))   # recommendations, uncited
    (49, 3)

``open_area`` does what every command does that reads or writes an area
(``graphmodel.api``: questions, maps, exports, the action plan, progress,
validate, todo, Neo4j), each option a keyword argument, with the same rows as
its ``--format json``; ``load_model`` gives the full checked model;
``compare_areas`` and ``list_areas`` look across areas. Names are
resolved lazily so that importing graphmodel costs nothing.
"""

from __future__ import annotations

TYPE_CHECKING = False  # True to type checkers; typing itself would cost ~10 ms to import
if TYPE_CHECKING:
    from typing import Any

__version__ = "0.2.0"
__all__ = ["open_area", "load_model", "Area", "compare_areas", "list_areas", "ModelError",
           "UsageError", "__version__"]


def __getattr__(name: str) -> Any:  # Any: a class or function of api or errors
    if name in ("open_area", "load_model", "Area", "compare_areas", "list_areas"):
        from . import api
        return getattr(api, name)
    if name in ("ModelError", "UsageError"):
        from . import errors
        return getattr(errors, name)
    raise AttributeError(f"module 'graphmodel' has no attribute {name!r}")
