"""The graphmodel command line: the typer app and its command groups.

``app`` holds the questions and the model commands; ``area``, ``compare``,
``plan``, ``draw`` and ``neo4j`` add their groups to it when imported, here.
"""

from . import area, compare, draw, neo4j, plan  # noqa: F401  (each registers its commands on app)
from .app import app, main

__all__ = ["app", "main"]
