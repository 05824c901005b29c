"""The questions asked of an area's graph: ``G -> rows`` (plain dicts, JSON-ready).

One module per question (``gaps``, ``recommendations`` for owners and
coverage, ``profile`` for a party, ``routes`` for path, ``commissioning``,
``hotspots``), over the graph that ``graph`` builds. ``QUERIES`` names each
by its command, for the library's front door (``api.Area``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def queries() -> dict[str, Callable[..., Any]]:
    """Each question by its command's name (imported when asked: the front door stays light)."""
    from .commissioning import commissioning
    from .gaps import gaps
    from .hotspots import hotspots
    from .profile import org
    from .recommendations import coverage, owners
    from .routes import path
    return {"gaps": gaps, "owners": owners, "coverage": coverage, "org": org, "path": path,
            "commissioning": commissioning, "hotspots": hotspots}
