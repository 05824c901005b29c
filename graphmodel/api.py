"""The library's front door: open an area and ask it what the command line asks.

    >>> import graphmodel
    >>> area = graphmodel.open_area()            # the bundled Sefton model
    >>> [g["severity"] for g in area.gaps()][:1]
    ['critical']

Every method returns the same rows (plain dicts, JSON-ready) as the matching
command's ``--format json``. Names may be ids or any name the report uses.
The command line is a thin layer over this module.
"""

from __future__ import annotations

import datetime
import gc
from pathlib import Path
from typing import Any

from .errors import UsageError
from .paths import model_dir

BACKENDS = ("networkx", "neo4j")


def load_model(path: Path | str | None = None, warnings: bool = True):
    """The checked model of an area folder (default: the working folder's area, else Sefton).

    Loads with every check, so it is the slow path (``validate`` uses it);
    ``open_area`` answers questions from a cache. ``warnings=False`` skips the
    codebook's warnings (``model.problems`` stays empty); errors still stop it.
    """
    from .model.load import load_area
    with _collector_paused():
        return load_area(model_dir(path), warnings)


def open_area(path: Path | str | None = None, backend: str = "networkx",
              connection=None, include_drafts: bool = False) -> Area:
    """An area ready for questions, from the cache when nothing it reads has changed.

    ``backend="neo4j"`` asks a Neo4j server loaded with this very version of
    the model (``connection``: a ``neo4j_load.Connection``; default: the
    NEO4J_* environment variables). ``include_drafts``: drafted flows not yet
    reviewed count as flows (marked ``draft``); by default they are left out.
    """
    if backend not in BACKENDS:
        raise UsageError(f"backend {backend!r}: choose {' or '.join(BACKENDS)}")
    from . import cache
    folder = model_dir(path)
    key = cache.fingerprint(folder) + ("-drafts" if include_drafts else "")
    with _collector_paused():  # reading the cache, or building and writing it
        cached = cache.load(key)
        if cached is None:
            cached = _build(folder, key, include_drafts)
        # Frozen before the collector is back: the graph lives until exit, and the
        # first collection would otherwise scan every object just made.
        gc.freeze()
    info, G = cached
    return Area(info, G, folder, backend, connection)


def _build(folder: Path, key: str, include_drafts: bool = False):
    from . import cache
    from .questions.graph import build_graph
    model = load_model(folder, warnings=False)  # a question never shows them
    # The raw files serve only to point problems at lines, and every check has run:
    # freed now, England's graph is built in their memory rather than beside it.
    model.files.clear()
    G = build_graph(model, include_drafts)
    info = cache.GraphInfo(model.area.name, model.names,
                           {p: x.kind for p, x in model.parties.items()},
                           list(model.recommendations), str(folder))
    outside: dict[str, str] = {}
    digest = cache.file_digest(model.report_path)
    if digest and not _inside(model.report_path, folder):
        outside[str(model.report_path.resolve())] = digest
    del model  # England's parsed files: freed before the cache is written, not after
    cache.save(key, info, G, outside)
    return info, G


def _inside(path: Path, folder: Path) -> bool:
    """Whether a file sits in the folder itself, where the cache key already covers it."""
    try:
        return path.resolve().parent == folder.resolve()
    except OSError:
        return False


class _collector_paused:
    """No collections while parsing, building or reading a cache: millions of new objects.

    Why: Python's collector scans every live container each time it runs;
    while a large model is built it runs hundreds of times for nothing.
    """

    def __enter__(self):
        self.was = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc):
        if self.was:
            gc.enable()


class Area:
    """An area model opened for questions (see ``open_area``)."""

    def __init__(self, info, graph, folder: Path, backend: str = "networkx", connection=None):
        self.info, self.graph, self.folder = info, graph, folder
        self.backend, self.connection = backend, connection

    @property
    def name(self) -> str:
        return self.info.area_name

    @property
    def id(self) -> str:
        return self.graph.graph["area"]

    def __repr__(self) -> str:
        return f"<Area {self.id!r}: {self.name}, {self.folder}>"

    # --- names ---------------------------------------------------------------------

    def resolve(self, name: str, option: str = "name", kinds=None) -> str:
        """The id of the one party a name stands for; a miss lists the closest names.

        ``option`` is how the caller took the name ("--org", "FROM"), so the
        message names what the user typed.
        """
        ids = self.info.names.resolve(name)
        if not ids:
            near = [self.graph.nodes[i].get("name", i) for i in self.info.names.closest_ids(name)
                    if i in self.graph]
            hint = f"; closest: {'; '.join(near)}" if near else \
                "; 'graphmodel hotspots' lists the parties"
            raise UsageError(f"{option} {name!r} names nothing in {self.name}{hint}")
        if len(ids) > 1:
            names = ", ".join(self.graph.nodes[i].get("name", i) for i in ids)
            raise UsageError(f"{option} {name!r} names several bodies ({names}); give one")
        if kinds and self.info.kinds.get(ids[0]) not in kinds:
            raise UsageError(f"{option} {name!r} is a {self.info.kinds.get(ids[0])}, "
                             f"not {' or '.join(kinds)}")
        return ids[0]

    def _ask(self, query: str, *args, **kwargs):
        if self.backend == "networkx":
            from .questions import queries
            return queries()[query](self.graph, *args, **kwargs)
        from .neo4j import ask as neo4j_queries
        from .neo4j import load as neo4j_load
        return neo4j_queries.run(query, self.id, *args, conn=self.connection,
                                 fingerprint=neo4j_load.graph_fingerprint(self.graph),
                                 **kwargs)

    # --- questions --------------------------------------------------------------------

    def gaps(self, org: str | None = None, statuses: list[str] | None = None,
             loops_only: bool = False, assume_done: list[str] | None = None) -> list[dict]:
        """Every information-sharing problem, worst first, with who must fix it.

        ``assume_done``: recommendation ids (or "all") taken as delivered; the
        gaps they would close are left out (``plan.closed_by``).
        """
        from . import vocab
        for status in statuses or []:
            if status not in vocab.STATUSES:
                raise UsageError(f"--status {status!r}: choose from "
                                 f"{', '.join(vocab.STATUSES)}")
        who = self.resolve(org, "--org") if org else None
        rows = self._ask("gaps", org=who, statuses=statuses, loops_only=loops_only)
        if assume_done:
            from .plan.build import assumed_done, remaining
            rows = remaining(rows, assumed_done(assume_done, self.info.recommendations))
        return rows

    def sensitivity(self) -> list[dict]:
        """How sure the order is: each problem's rank when each weight moves one step either
        way, and the weights its place in the first ten hangs on (``ranking.sensitivity``)."""
        from .questions.ranking import TOP, sensitivity
        rows = self.gaps()
        ranges = sensitivity(rows)
        return [{"rank": r["rank"], "id": r["id"],
                 "statement": r["statement"] or r["summary"],
                 "best": ranges[r["id"]]["best"], "worst": ranges[r["id"]]["worst"],
                 "first_ten": r["rank"] <= TOP,
                 "hangs_on": ranges[r["id"]]["top_hangs_on"]} for r in rows]

    def owners(self, recommendations: list[str] | None = None,
               org: str | None = None) -> list[dict]:
        """Each recommendation: its text, owners and the findings that cite it."""
        unknown = [r for r in recommendations or [] if r not in self.info.recommendations]
        if unknown:
            raise UsageError(f"no recommendation {', '.join(unknown)} in this report "
                              "('graphmodel owners' lists them)")
        who = self.resolve(org, "--org") if org else None
        return self._ask("owners", recs=recommendations, org=who)

    def coverage(self) -> list[dict]:
        """Problem findings with no recommendation or referral; uncited recommendations."""
        return self._ask("coverage")

    def party(self, name: str) -> dict[str, list[dict]]:
        """One party's profile: what it is part of, holds, sends and receives, its gaps."""
        return self._ask("org", self.resolve(name, "NAME"))

    def path(self, source: str, target: str) -> list[dict]:
        """Routes information can take between two parties, and where each breaks."""
        a, b = self.resolve(source, "FROM"), self.resolve(target, "TO")
        if a == b:
            raise UsageError(f"FROM and TO both name {self.graph.nodes[a]['name']}: "
                             "give two different parties")
        return self._ask("path", a, b)

    def commissioning(self) -> list[dict]:
        """Who commissions which service from which provider, with sub-contracts."""
        return self._ask("commissioning")

    def hotspots(self) -> list[dict]:
        """Parties ranked by the gaps they are party to, then betweenness."""
        return self._ask("hotspots")

    def board_summary(self, as_of: datetime.date | None = None) -> dict:
        """What the board's page shows: the first ten problems, who must act, action
        status on ``as_of`` (default today) and the counts (``plan.board``)."""
        from .plan.board import board_summary
        return board_summary(self.graph, self.gaps(), as_of or datetime.date.today())

    def board(self, fmt: str = "html", as_of: datetime.date | None = None) -> str | bytes:
        """The board's one page: HTML text that links nothing, or PDF bytes (``fmt="pdf"``,
        which needs WeasyPrint: ``pip install 'graphmodel[pdf]'``)."""
        from . import __version__
        from .views.board import render_board
        return render_board(self.board_summary(as_of), fmt, __version__)

    def model(self) -> Any:
        """The full checked model (slower: parses and checks every file)."""
        return load_model(self.folder)
