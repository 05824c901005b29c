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
              connection=None, include_drafts: bool = False, area: str | None = None) -> Area:
    """An area ready for questions, from the cache when nothing it reads has changed.

    ``backend="neo4j"`` answers from a Neo4j server as the area was loaded there
    (``graphmodel load --neo4j``), with no model folder needed: ``area`` is its
    id (default: the id of the folder's area); ``connection`` a
    ``neo4j.load.Connection`` (default: the NEO4J_* environment variables).
    When a folder is read too, ``Area.differs`` says whether the database holds
    another version of it. ``include_drafts``: drafted flows not yet reviewed
    count as flows (marked ``draft``); by default they are left out.
    """
    if backend not in BACKENDS:
        raise UsageError(f"backend {backend!r}: choose {' or '.join(BACKENDS)}")
    if backend == "neo4j":
        return _open_neo4j(path, area, connection, include_drafts)
    if area is not None:
        raise UsageError(f"area {area!r}: an area is asked for by id in Neo4j only; give "
                         "the neo4j backend (or the area's folder)")
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


def _open_neo4j(path, area: str | None, connection, include_drafts: bool) -> Area:
    """An area as a Neo4j database holds it: the graph and names the load stored.

    A folder is read only when given, or when no ``area`` says which to ask
    for; then the database's version is compared with it, and a difference is
    reported (``differs``), never refused: the team's database is the answer.
    """
    from . import cache
    from .neo4j.ask import read_area
    from .neo4j.load import Connection, Neo4jError, graph_fingerprint
    if include_drafts:
        raise UsageError("drafts: Neo4j holds an area as loaded, without its drafts; "
                         "ask the folder for them (the networkx backend)")
    local = open_area(path) if path is not None or area is None else None
    if local and area and local.id != area:
        raise UsageError(f"area {area!r}: the model folder {local.folder} holds area "
                         f"{local.id!r}; give one or the other")
    conn = connection or Connection.from_env()
    held, data = read_area(conn, area or local.id)  # type: ignore[union-attr]
    with _collector_paused():
        try:
            info, G = cache.area_from_data(data)
        except (KeyError, TypeError, ValueError, AttributeError):
            raise Neo4jError(f"area {held.id!r} in Neo4j at {conn.uri}: what the load stored "
                             "is damaged; load it again with 'graphmodel load --neo4j'") from None
        gc.freeze()
    opened = Area(info, G, None, "neo4j", conn)
    opened.loaded = held
    opened.differs = local is not None and graph_fingerprint(local.graph) != held.fingerprint
    return opened


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

    def __init__(self, info, graph, folder: Path | None, backend: str = "networkx",
                 connection=None):
        self.info, self.graph, self.folder = info, graph, folder
        self.backend, self.connection = backend, connection
        # Read from Neo4j: the version it holds (neo4j.ask.StoredArea), and whether a
        # folder read beside it differs.
        self.loaded: Any = None
        self.differs = False

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
        """The library's Python answers, except where Neo4j reads or traverses (``neo4j.ask``).

        On Neo4j, ``self.graph`` is the graph the load stored, so the other
        questions are the same arithmetic over the same rows.
        """
        if self.backend == "neo4j":
            from .neo4j import ask as neo4j_ask
            if query in neo4j_ask.QUERIES:
                return neo4j_ask.run(query, self.id, self.graph, *args, conn=self.connection,
                                     **kwargs)
        from .questions import queries
        return queries()[query](self.graph, *args, **kwargs)

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

    def model(self) -> Any:
        """The full checked model (slower: parses and checks every file)."""
        return load_model(self._folder())

    def _folder(self) -> Path:
        if self.folder is None:
            raise UsageError(f"{self.name} was read from Neo4j, which holds no model files: "
                             "open its folder for this")
        return self.folder

    def load_neo4j(self, connection=None):
        """Load the area into Neo4j, replacing what it held there, in one transaction.

        What graphmodel needs to answer from the database alone is stored with
        it (``cache.area_json``). ``connection``: a ``neo4j.load.Connection``
        (default: this area's, else the NEO4J_* environment variables). Returns
        ``neo4j.load.LoadReport``; ``plan_queries`` then readies the questions.
        """
        from . import __version__, cache
        from .neo4j import load as neo4j_load
        conn = connection or self.connection or neo4j_load.Connection.from_env()
        stored = cache.area_json(self.info, self.graph)
        with neo4j_load.open_session(conn) as session:
            return neo4j_load.load_graph(session, self.graph, stored=stored, version=__version__)
