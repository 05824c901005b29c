"""The library's front door: open an area and ask it what the command line asks.

    >>> import graphmodel
    >>> area = graphmodel.open_area()            # the bundled Sefton model
    >>> [g["rank"] for g in area.gaps()][:3]     # worst first
    [1, 2, 3]
    >>> len(area.gaps(assume_done="all")) < len(area.gaps())
    True
    >>> fails_on(area.gaps(), "high")            # what --fail-on high tests
    True

Every command that reads or writes an area is a method here, each option a
keyword argument (as sqlite-utils' command line maps its options onto its
``Database`` and ``Table`` methods). Questions return the same rows (plain
dicts, JSON-ready) as the command's ``--format json``; ``map`` and ``export``
return the file's content; ``plan``, ``progress``, ``validate`` and
``import_plan`` what the command prints or writes. Names may be ids or any
name the report uses. The command line only parses options, calls this
module and prints.

Errors are ``ModelError`` (bad input: a file, line and field) and
``UsageError`` (a bad argument); a ``UsageError`` names the keyword argument
that took the value (``option``), never a command-line flag.
"""

from __future__ import annotations

import datetime
import gc
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

from . import vocab
from .errors import ModelError, UsageError
from .paths import model_dir

if TYPE_CHECKING:  # for the annotations only: each is imported where it is used
    import networkx as nx

    from .authoring.new_area import Proposal
    from .cache import GraphInfo
    from .model.codebook import Problem
    from .model.report import Extraction
    from .model.types import Model
    from .neo4j.load import Connection
    from .plan.importer import Imported
    from .views.view import View

BACKENDS = ("networkx", "neo4j")
BY = ("recommendation", "owner")  # a plan's rows: one per recommendation, or per owner too
PLAN_FORMATS = ("json", "xlsx", "csv", "markdown")


def load_model(path: Path | str | None = None, warnings: bool = True) -> Model:
    """The checked model of an area folder (default: the working folder's area, else Sefton).

    Loads with every check, so it is the slow path (``validate`` uses it);
    ``open_area`` answers questions from a cache. ``warnings=False`` skips the
    codebook's warnings (``model.problems`` stays empty); errors still stop it.
    """
    from .files import recover
    from .model.load import load_area
    folder = model_dir(path)
    recover(folder)  # a change a killed command left unfinished is undone first
    with _collector_paused():
        return load_area(folder, warnings)


def extract(report: Path | str) -> Extraction:
    """A report's findings, recommendations and next steps (a ``report.Extraction``).

    ``report`` is its plain text or the PDF CQC publishes. The extraction's
    ``warnings`` start with what reading the file found: a PDF's oddities, page
    by page, and each repair of a copy from the web, line by line.
    """
    from .model.report import extract_report, read_report_file
    source = read_report_file(Path(report))
    extraction = extract_report(source.text, f"{source.file} (text)" if source.pdf
                                else source.file)
    extraction.warnings[:0] = source.warnings
    return extraction


def open_area(path: Path | str | None = None, backend: str = "networkx",
              connection: Connection | None = None, include_drafts: bool = False,
              area: str | None = None) -> Area:
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
        raise UsageError(f"{backend!r}: choose {' or '.join(BACKENDS)}", option="backend")
    if backend == "neo4j":
        return _open_neo4j(path, area, connection, include_drafts)
    if area is not None:
        raise UsageError(f"{area!r}: an area is asked for by id in Neo4j only; give the "
                         "neo4j backend (or the area's folder)", option="area")
    from . import cache
    from .files import recover
    folder = model_dir(path)
    recover(folder)  # a change a killed command left unfinished is undone first
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


def _build(folder: Path, key: str,
           include_drafts: bool = False) -> tuple[GraphInfo, nx.MultiDiGraph]:
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


def _open_neo4j(path: Path | str | None, area: str | None, connection: Connection | None,
                include_drafts: bool) -> Area:
    """An area as a Neo4j database holds it: the graph and names the load stored.

    A folder is read only when given, or when no ``area`` says which to ask
    for; then the database's version is compared with it, and a difference is
    reported (``differs``), never refused: the team's database is the answer.
    """
    from . import cache
    from .neo4j.ask import read_area
    from .neo4j.load import Connection, Neo4jError, graph_fingerprint
    if include_drafts:
        raise UsageError("asks for drafts, which Neo4j does not hold (it holds an area as "
                         "loaded); ask the folder (the networkx backend)",
                         option="include_drafts")
    local = open_area(path) if path is not None or area is None else None
    if local and area and local.id != area:
        raise UsageError(f"{area!r}: the model folder {local.folder} holds area "
                         f"{local.id!r}; give one or the other", option="area")
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


# --- several areas: which there are, and what fails in more than one ---------------------

AREA_FILE = "area.yaml"
SUMMARY = "-compare"  # the cache key's suffix for an area's failures by signature
PARALLEL_FROM = 4  # areas to summarise before a second process pays for itself


def find_areas(folders: Sequence[Path | str] | None = None) -> list[Path]:
    """Area folders: each folder given that is an area, else the areas directly inside it.

    The default is the bundled areas. An area found twice (the same folder, or two
    folders with one area id) would be counted twice, so it is a usage mistake.
    """
    from .paths import data_dir
    found: list[Path] = []
    for given in [Path(f) for f in folders] if folders else [data_dir()]:
        if not given.is_dir():
            raise UsageError("not a folder: give area folders, or folders that hold them",
                             file=str(given))
        inside = [given] if (given / AREA_FILE).is_file() else sorted(
            p for p in given.iterdir() if (p / AREA_FILE).is_file())
        if not inside:
            raise UsageError(f"no area here: neither it nor a folder inside it holds "
                             f"{AREA_FILE}", file=str(given))
        found += [p for p in inside if p.resolve() not in {f.resolve() for f in found}]
    return found


def area_file(folder: Path) -> dict:
    """What an area's area.yaml says (read without checking the rest of the model)."""
    from .model.yamlread import load_yaml
    path = folder / AREA_FILE
    data = load_yaml(path, str(path)) if path.is_file() else {}
    return data if isinstance(data, dict) else {}


def _area_section(data: dict) -> dict:
    area = data.get("area")
    return area if isinstance(area, dict) else {}


def review_dates(data: dict) -> str:
    """When the area was reviewed, from area.yaml's ``review:`` section, else "unknown"."""
    from .questions.compare import review_words
    return review_words(_area_section(data).get("review"))


def list_areas(folders: Sequence[Path | str] | None = None) -> list[dict]:
    """Each area found (``find_areas``): its id, name, review dates and folder."""
    rows = []
    for folder in find_areas(folders):
        data = area_file(folder)
        area = _area_section(data)
        rows.append({"id": area.get("id") or folder.name, "name": area.get("name") or
                     folder.name, "review": review_dates(data),
                     "folder": str(folder)})
    return rows


def compare_areas(folders: Sequence[Path | str] | None = None, jobs: int | None = None) -> dict:
    """The failures that recur across areas, by signature, then what is unique to each.

    ``folders``: as ``find_areas``. Each area's part comes from the cache when
    nothing it reads has changed; the others are built ``jobs`` processes at a
    time (default: one per processor). See ``questions.compare``.
    """
    from .questions.compare import compare
    return compare(area_summaries(find_areas(folders), jobs))


def across_areas(view: str) -> bool:
    """Whether a view, as typed, is drawn from several areas (``compare``), not one."""
    from .views.build import ACROSS_AREAS, split_view
    return split_view(view)[0] in ACROSS_AREAS


def compare_view(folders: Sequence[Path | str] | None = None) -> View:
    """The compare view of the areas found (``views.build.compare_view``)."""
    from .views.build import compare_view as view_of
    return view_of(compare_areas(folders))


def compare_map(folders: Sequence[Path | str] | None = None) -> str:
    """The compare view's interactive map: one offline HTML page."""
    from .views import html_map
    return html_map.render_view(None, compare_view(folders))


def compare_export(folders: Sequence[Path | str] | None = None,
                   format: str = "graphml") -> str | bytes:
    """The compare view in a file format of ``vocab.EXPORT_FORMATS`` (as ``Area.export``)."""
    from .views import export as exporter
    _check_format(format)
    return exporter.export_view(compare_view(folders), format)


def compare_filename(folders: Sequence[Path | str] | None = None, format: str = "html") -> str:
    """The default file name of the compare map or export: ``7-areas-compare.gexf``."""
    from .views.build import view_slug
    count = len(find_areas(folders))
    return f"{view_slug(f'{count}-area' + ('' if count == 1 else 's'), 'compare')}." \
           f"{_extension(format)}"


def _check_format(format: str) -> None:
    if format not in vocab.EXPORT_FORMATS:  # before the view is built
        raise UsageError(f"{format!r}: choose {', '.join(vocab.EXPORT_FORMATS)}",
                         option="format")


def _extension(format: str) -> str:
    return "html" if format == "html" else vocab.EXPORT_FORMATS[format].extension


def area_summaries(folders: list[Path], jobs: int | None = None) -> list[dict]:
    """Each area's failures by signature (``questions.compare.area_failures``), cached."""
    from . import cache
    keys = [cache.fingerprint(f) + SUMMARY for f in folders]
    with _collector_paused():
        found: list[Any] = [cache.load_data(k) for k in keys]
    todo = [i for i, s in enumerate(found) if s is None]
    for i, summary in zip(todo, _summarise([folders[i] for i in todo], jobs), strict=True):
        found[i] = summary
        cache.save_data(keys[i], summary, summary.pop("inputs"))
    for folder, summary in zip(folders, found, strict=True):
        summary["folder"] = str(folder)
    seen: dict[str, str] = {}
    for summary in found:
        if seen.setdefault(summary["id"], summary["folder"]) != summary["folder"]:
            raise UsageError(f"area {summary['id']!r} is in two folders "
                             f"({seen[summary['id']]}, {summary['folder']}): give each once")
    return found


def _summarise(folders: list[Path], jobs: int | None) -> list[dict]:
    """Summaries of areas not cached: in worker processes when there are several."""
    import os
    jobs = jobs or os.cpu_count() or 1
    if jobs < 2 or len(folders) < PARALLEL_FROM:
        results = [_summary(f) for f in folders]
    else:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor
        context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
        with ProcessPoolExecutor(jobs, mp_context=context) as pool:
            results = list(pool.map(_summary, folders, chunksize=4))
    from .errors import raise_all
    raise_all([ModelError(line) for r in results for line in r.get("errors", [])])
    return results


def _summary(folder: Path) -> dict:
    """One area's failures by signature, with its review dates and outside inputs.

    Errors come back as lines (``errors``): a worker process cannot send a
    ModelError's file and line back whole.
    """
    from . import cache
    from .questions.compare import area_failures
    try:
        area = open_area(folder)
        data = area_file(folder)
    except ModelError as exc:
        return {"errors": [str(p) for p in getattr(exc, "problems", None) or [exc]]}
    summary = area_failures(area.graph)
    report = folder / (_area_section(data).get("report") or "report.txt")
    digest = cache.file_digest(report)
    inside = _inside(report, folder)
    summary["inputs"] = {} if inside or not digest else {str(report.resolve()): digest}
    return summary


class _collector_paused:
    """No collections while parsing, building or reading a cache: millions of new objects.

    Why: Python's collector scans every live container each time it runs;
    while a large model is built it runs hundreds of times for nothing.
    """

    def __enter__(self) -> None:
        self.was = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc: object) -> None:
        if self.was:
            gc.enable()


class Area:
    """An area model opened for questions (see ``open_area``)."""

    def __init__(self, info: GraphInfo, graph: nx.MultiDiGraph, folder: Path | None,
                 backend: str = "networkx", connection: Connection | None = None):
        self.info, self.graph, self.folder = info, graph, folder
        self.backend, self.connection = backend, connection
        self._model: Model | None = None
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

    def resolve(self, name: str, option: str = "name",
                kinds: Collection[str] | None = None) -> str:
        """The id of the one party a name stands for; a miss lists the closest names.

        ``option`` is the keyword that took the name (``org``, ``source``), so
        the message names it (the CLI shows the flag instead).
        """
        ids = self.info.names.resolve(name)
        if not ids:
            near = [self.graph.nodes[i].get("name", i) for i in self.info.names.closest_ids(name)
                    if i in self.graph]
            hint = f"; closest: {'; '.join(near)}" if near else \
                "; 'graphmodel hotspots' lists the parties"
            raise UsageError(f"{name!r} names nothing in {self.name}{hint}", option=option)
        if len(ids) > 1:
            names = ", ".join(self.graph.nodes[i].get("name", i) for i in ids)
            raise UsageError(f"{name!r} names several bodies ({names}); give one", option=option)
        if kinds and self.info.kinds.get(ids[0]) not in kinds:
            raise UsageError(f"{name!r} is a {self.info.kinds.get(ids[0])}, "
                             f"not {' or '.join(kinds)}", option=option)
        return ids[0]

    # Any: each question has rows of its own shape, which its method's return type says.
    def _ask(self, query: str, *args: Any, **kwargs: Any) -> Any:
        """The library's Python answers, except where Neo4j reads or traverses (``neo4j.ask``).

        On Neo4j, ``self.graph`` is the graph the load stored, so the other
        questions are the same arithmetic over the same rows.
        """
        if self.backend == "neo4j":
            from .neo4j import ask as neo4j_ask
            from .neo4j.load import Connection
            if query in neo4j_ask.QUERIES:
                # An Area made by hand may have none: the environment's, as load_neo4j does.
                conn = self.connection or Connection.from_env()
                return neo4j_ask.run(query, self.id, self.graph, *args, conn=conn, **kwargs)
        from .questions import queries
        return queries()[query](self.graph, *args, **kwargs)

    # --- questions --------------------------------------------------------------------

    def gaps(self, org: str | None = None, statuses: list[str] | None = None,
             loops_only: bool = False, assume_done: str | Iterable[str] | None = None
             ) -> list[dict]:
        """Every information-sharing problem, worst first, with who must fix it.

        ``assume_done``: recommendations taken as delivered, as ids (``["1.1",
        "1.2"]``), one string (``"1.1,1.2"``) or ``"all"``; the gaps they would
        close are left out (``plan.closed_by``). ``fails_on(rows, severity)``
        says whether the rows hold a gap that severe or worse.
        """
        for status in statuses or []:
            if status not in vocab.STATUSES:
                raise UsageError(f"{status!r}: choose from {', '.join(vocab.STATUSES)}",
                                 option="statuses")
        who = self.resolve(org, "org") if org else None
        rows = self._ask("gaps", org=who, statuses=statuses, loops_only=loops_only)
        done = recommendation_ids(assume_done)
        if done:
            rows = self._remaining(rows, done)
        return rows

    def _remaining(self, rows: list[dict], done: list[str]) -> list[dict]:
        from .plan.build import remaining
        if any(r.lower() == "all" for r in done):
            return remaining(rows, set(self.info.recommendations))
        unknown = [r for r in done if r not in self.info.recommendations]
        if unknown:
            raise UsageError(f"{', '.join(map(repr, unknown))}: no such recommendation in this "
                             "report ('graphmodel owners' lists them)", option="assume_done")
        return remaining(rows, set(done))

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

    def owners(self, recommendations: list[str] | None = None, org: str | None = None,
               uncited: bool = False) -> list[dict]:
        """Each recommendation: its text, owners and the findings that cite it.

        ``uncited``: only the recommendations no finding cites.
        """
        unknown = [r for r in recommendations or [] if r not in self.info.recommendations]
        if unknown:
            raise UsageError(f"no recommendation {', '.join(unknown)} in this report "
                             "('graphmodel owners' lists them)")
        who = self.resolve(org, "org") if org else None
        rows = self._ask("owners", recs=recommendations, org=who)
        return [r for r in rows if not r["findings"]] if uncited else rows

    def coverage(self, kind: str | None = None) -> list[dict]:
        """Problem findings with no recommendation or referral; uncited recommendations.

        ``kind``: only one of the two (``questions.recommendations.COVERAGE_KINDS``).
        """
        from .questions.recommendations import COVERAGE_KINDS
        if kind and kind not in COVERAGE_KINDS:
            raise UsageError(f"{kind!r}: choose {', '.join(COVERAGE_KINDS)}", option="kind")
        return [r for r in self._ask("coverage") if not kind or r["kind"] == kind]

    def party(self, name: str) -> dict[str, list[dict]]:
        """One party's profile: what it is part of, holds, sends and receives, its gaps."""
        return self._ask("org", self.resolve(name, "name"))

    def path(self, source: str, target: str) -> list[dict]:
        """Routes information can take between two parties, and where each breaks."""
        a, b = self.resolve(source, "source"), self.resolve(target, "target")
        if a == b:
            raise UsageError(f"both ends name {self.graph.nodes[a]['name']}: "
                             "give two different parties")
        return self._ask("path", a, b)

    def commissioning(self, service: str | None = None, commissioner: str | None = None,
                      provider: str | None = None) -> list[dict]:
        """Who commissions which service from which provider, with sub-contracts.

        Each filter takes any name; ``provider`` also matches the provider that
        sub-contracts the service.
        """
        wanted = {role: self.resolve(name, role) for role, name in
                  (("service", service), ("commissioner", commissioner),
                   ("provider", provider)) if name}
        return [r for r in self._ask("commissioning") if _commissioned(r, wanted)]

    def hotspots(self) -> list[dict]:
        """Parties ranked by the gaps they are party to, then betweenness."""
        return self._ask("hotspots")

    # --- pictures ----------------------------------------------------------------------

    def view(self, view: str = "system") -> View:
        """What a map or export of ``view`` shows (``views.view.View``).

        ``view``: one of ``vocab.VIEWS`` as typed: ``"gaps"``, ``"party:MASH"``,
        ``"recommendation:1.5"``; the target is checked against the area.
        """
        from .views.build import build_view, split_view
        name, target = split_view(view)
        if across_areas(view):
            raise UsageError(f"{view!r} draws several areas: ask compare_view, compare_map "
                             "or compare_export for their folders", option="view")
        if name == "party" and target:
            target = self.resolve(target, f"view {view.partition(':')[0]}:")
        if name == "recommendation" and target not in self.info.recommendations:
            raise UsageError(f"{view!r}: no recommendation {target} in this report",
                             option="view")
        return build_view(self.graph, name, target)

    def map(self, view: str | View = "system") -> str:
        """An interactive map of a view (a name, or a ``View``): one offline HTML page."""
        from .views import html_map
        drawn = self.view(view) if isinstance(view, str) else view
        return html_map.render_view(self.graph, drawn)

    def export(self, view: str | View = "system", format: str = "graphml") -> str | bytes:
        """A view (a name, or a ``View``) in a file format of ``vocab.EXPORT_FORMATS``.

        Text, or bytes for the CSV zip; GraphML and GEXF are well-formed XML
        whatever the names hold.
        """
        from .views import export as exporter
        _check_format(format)
        return exporter.export_view(self.view(view) if isinstance(view, str) else view, format)

    def filename(self, view: str | View = "system", format: str = "html") -> str:
        """The default file name of a map (``html``) or export: ``sefton-party-mash.gexf``."""
        from .views.build import split_view, view_slug
        if isinstance(view, str):
            name, target = split_view(view)
            if name == "party" and target:
                target = self.resolve(target, "view")
        else:
            name, target = view.name, view.target
        return f"{view_slug(self.id, name, target)}.{_extension(format)}"

    # --- the action plan ---------------------------------------------------------------

    @overload
    def plan(self, org: str | None = None, by: str = "recommendation",
             received: datetime.date | str | None = None,
             format: None = None) -> dict[str, Any]: ...

    @overload
    def plan(self, org: str | None, by: str, received: datetime.date | str | None,
             format: str) -> str | bytes: ...

    @overload
    def plan(self, org: str | None = None, by: str = "recommendation",
             received: datetime.date | str | None = None, *,
             format: str) -> str | bytes: ...

    def plan(self, org: str | None = None, by: str = "recommendation",
             received: datetime.date | str | None = None,
             format: str | None = None) -> dict[str, Any] | str | bytes:
        """The draft action plan as a dict, or as a file of ``PLAN_FORMATS`` (``format``).

        ``org``: only this owner's part (a service gives its provider); ``by``:
        ``recommendation`` or ``owner``; ``received``: the day the report came
        (a date, or text such as 2019-04-15 or 15/04/2019), else area.yaml's.
        ``format`` ``xlsx`` gives the workbook's bytes, ``json``, ``csv`` and
        ``markdown`` text.
        """
        from .plan.build import build_plan
        if by not in BY:
            raise UsageError(f"{by!r}: choose {' or '.join(BY)}", option="by")
        if format is not None and format not in PLAN_FORMATS:
            raise UsageError(f"{format!r}: choose {', '.join(PLAN_FORMATS)}", option="format")
        day = parse_day(received, "received")
        the_plan = build_plan(self.graph, self.gaps(), day, self._part(org), by == "owner")
        if format is None:
            return the_plan
        return plan_file(the_plan, format, self.board_summary() if format == "xlsx" else None)

    def _part(self, org: str | None) -> str | None:
        """The organisation whose part ``org`` asks for (any name; a service gives its provider)."""
        if not org:
            return None
        from .plan.build import owner_part
        found = owner_part(self.graph, self.resolve(org, "org"))
        if self.graph.nodes[found]["kind"] != "organisation":
            raise UsageError(f"{org!r} belongs to no organisation: name an organisation",
                             option="org")
        return found

    def import_plan(self, workbook: Path | str | bytes, check: bool = False,
                    replace: bool = False) -> Imported:
        """Read the owners' columns of a plan workbook into the area's actions.yaml.

        ``workbook``: a path, or the file's bytes. By default the workbook's actions
        are merged with those recorded; removing or emptying recorded actions needs
        ``replace``. Nothing is written unless the model still loads with the new
        actions, nor at all with ``check``; the area is locked while it reads and
        writes, and the write is all or nothing (``files.replace_files``).
        Returns ``plan.importer.Imported`` (``changed``; ``written`` once on disk).
        """
        from typing import cast

        from .files import read_bytes
        from .plan.importer import PlanArea, import_plan
        self._folder()  # an area read from Neo4j has no actions.yaml to write
        if isinstance(workbook, bytes):
            data, label = workbook, "workbook"
        else:
            label = str(workbook)
            data = read_bytes(Path(workbook), label, what="workbook")
        # A PlanArea: its folder is checked above.
        done = import_plan(cast(PlanArea, self), data, label, replace=replace, write=not check)
        done.written = done.changed and not check
        return done

    def progress(self, as_of: datetime.date | str | None = None) -> dict:
        """Progress on the action plan on ``as_of`` (default today): actions, gaps closed."""
        from .plan.progress import progress_state
        day = parse_day(as_of, "as_of") or datetime.date.today()
        return progress_state(self.graph, day, self.gaps())

    def board_summary(self, as_of: datetime.date | str | None = None) -> dict:
        """What the board's page shows: the first ten problems, who must act, action
        status on ``as_of`` (default today) and the counts (``plan.board``)."""
        from .plan.board import board_summary
        day = parse_day(as_of, "as_of") or datetime.date.today()
        return board_summary(self.graph, self.gaps(), day)

    def board(self, format: str = "html", as_of: datetime.date | str | None = None) -> str | bytes:
        """The board's one page, two at most: HTML text that links nothing, or PDF bytes
        (``format="pdf"``, which needs WeasyPrint: ``pip install 'graphmodel[pdf]'``)."""
        from . import __version__
        from .views.board import render_board
        return render_board(self.board_summary(as_of), format, __version__)

    # --- the model itself --------------------------------------------------------------

    def model(self) -> Model:
        """The full checked model (slower: parses and checks every file; kept once read)."""
        if self._model is None:
            self._model = load_model(self._folder())
        return self._model

    def _folder(self) -> Path:
        """The model folder; an area read from Neo4j has none, and says so."""
        if self.folder is None:
            raise UsageError(f"{self.name} was read from Neo4j, which holds no model files: "
                             "open its folder for this")
        return self.folder

    def validate(self, strict: bool = False) -> Validation:
        """Every check of the model, and what it holds (see ``validate``)."""
        return validate(self._folder(), strict)

    def todo(self, explained: bool = False) -> Worklist:
        """The modelling worklist (see ``todo``)."""
        return todo(self._folder(), explained)

    def load_neo4j(self, connection: Connection | None = None) -> Loaded:
        """Load the area into Neo4j, replacing what it held there, in one transaction;
        then plan the commands' queries.

        Other areas in the database are left as they are. What graphmodel needs
        to answer from the database alone is stored with it (``cache.area_json``).
        ``connection``: a ``neo4j.load.Connection`` (default: this area's, else
        the NEO4J_* environment variables).
        """
        import time

        from . import __version__, cache
        from .neo4j import load as neo4j_load
        from .neo4j.ask import plan_queries
        conn = connection or self.connection or neo4j_load.Connection.from_env()
        stored = cache.area_json(self.info, self.graph)
        with neo4j_load.open_session(conn) as session:
            done = neo4j_load.load_graph(session, self.graph, stored=stored, version=__version__)
            started = time.perf_counter()
            planned = plan_queries(session)
        return Loaded(done, conn.uri, planned, time.perf_counter() - started)


def _commissioned(row: dict, wanted: dict[str, str]) -> bool:
    """Whether a commissioning row has every party asked for in its role."""
    for role, pid in wanted.items():
        ids = {(row.get(role) or {}).get("id")}
        if role == "provider":
            ids.add((row.get("subcontracted_from") or {}).get("id"))
        if pid not in ids:
            return False
    return True


def recommendation_ids(given: str | Iterable[str] | None) -> list[str]:
    """Recommendation ids as people write them: ``"1.1,1.2"``, ``["1.1", "3.2,3.3"]``, ``"all"``.

    >>> recommendation_ids(["1.1", "3.2, 3.3"])
    ['1.1', '3.2', '3.3']
    >>> recommendation_ids("all")
    ['all']
    """
    if given is None:
        return []
    items = [given] if isinstance(given, str) else list(given)
    return [r.strip() for item in items for r in item.split(",") if r.strip()]


def fails_on(rows: list[dict], severity: str) -> bool:
    """Whether the gap rows hold one as severe as ``severity`` or worse (``--fail-on``).

    >>> fails_on([{"severity": "high"}], "critical"), fails_on([{"severity": "high"}], "high")
    (False, True)
    """
    if severity not in vocab.SEVERITIES:
        raise UsageError(f"{severity!r}: choose {', '.join(vocab.SEVERITIES)}",
                         option="fail_on")
    return any(vocab.severity_rank(r["severity"]) <= vocab.severity_rank(severity)
               for r in rows)


def parse_day(given: datetime.date | str | None, option: str) -> datetime.date | None:
    """A day from a date or text: 2026-03-31, 31/03/2026 or 31 Mar 2026 (day first, as in England).

    >>> parse_day("15/04/2019", "received")
    datetime.date(2019, 4, 15)
    """
    if given is None or isinstance(given, datetime.date):
        return given
    from .plan.importer import parse_date
    day = parse_date(given)
    if day is None:
        raise UsageError(f"{given!r}: not a date; write it as 2026-03-31 or 31/03/2026",
                         option=option)
    return day


def plan_file(the_plan: dict, format: str, board: dict | None = None) -> str | bytes:
    """A plan (``Area.plan()``) as a file: the workbook's bytes, or json, csv or markdown text.

    ``board``: the board's page (``Area.board_summary``), the workbook's Board sheet.
    """
    if format == "xlsx":
        from . import __version__
        from .plan.workbook import plan_workbook
        return plan_workbook(the_plan, __version__, board)
    if format == "json":
        import json
        return json.dumps(the_plan, indent=2, ensure_ascii=False) + "\n"
    from .plan.formats import render_plan_csv, render_plan_markdown
    return (render_plan_csv if format == "csv" else render_plan_markdown)(the_plan)


@dataclass
class Loaded:
    """What ``Area.load_neo4j`` did: the load's report (the write transaction's time, the
    version it replaced), where, and the queries it planned and how long that took."""

    report: Any  # neo4j.load.LoadReport
    uri: str
    planned: int
    plan_seconds: float


# --- commands on a model folder (they check every file, so they need no cache) --------------

@dataclass
class Validation:
    """What ``validate`` found and counted.

    ``warnings``: the extraction's warnings, then the codebook's (``problems``
    of them); ``passed`` is False only under ``strict`` with codebook warnings.
    """

    area: str
    folder: Path
    warnings: list[str | Problem]  # the extraction's lines, then codebook.Problem objects
    problems: int
    parties: dict[str, int]  # YAML section -> how many
    flows: dict[str, int]  # status -> how many, sorted by status
    findings: int
    recommendation_links: int
    public_health: int
    recommendations: int
    groups: int
    drafts: int
    passed: bool = True


def validate(path: Path | str | None = None, strict: bool = False) -> Validation:
    """Check a model folder: schema, ids, references, quotes and the codebook's rules.

    Errors raise (``ModelError``, one per problem); warnings come back in the
    result, which ``strict`` fails when the codebook has any.
    """
    m = load_model(path)
    statuses = Counter(f.status for f in m.flows)
    return Validation(
        m.area.name, m.folder, [*m.warnings, *m.problems], len(m.problems),
        {k.section: len(m.of_kind(k.name)) for k in vocab.PARTY_KINDS.values()},
        dict(sorted(statuses.items())), len(m.findings),
        sum(len(f.recommendations) for f in m.findings.values()),
        sum(f.public_health for f in m.findings.values()), len(m.recommendations),
        len({r.group for r in m.recommendations.values()}), len(m.drafts),
        passed=not (strict and m.problems))


@dataclass
class Worklist:
    """What ``todo`` lists: the rows, and how many more not_modelled (or the model) explains."""

    area: str
    rows: list[dict]
    explained: int  # rows explained, shown only when asked for


def todo(path: Path | str | None = None, explained: bool = False) -> Worklist:
    """The modelling worklist: what is left to model, and (``explained``) what is explained.

    Rows that not_modelled (or the model) explains carry ``explained``; they
    are left out unless ``explained``.
    """
    from .authoring.worklist import worklist
    m = load_model(path)
    rows = worklist(m)
    work = [r for r in rows if not r["explained"]]
    return Worklist(m.area.name, rows if explained else work, len(rows) - len(work))


def move_drafts(ids: list[str], path: Path | str | None = None,
                accept: bool = True) -> tuple[list[str], int]:
    """Accept reviewed drafts into flows.yaml (or reject them): the ids moved, and how many remain.

    Accepted flows must check as flows; if they do not, nothing moves.
    """
    from .authoring.yaml_edit import move_drafts as move
    folder = model_dir(path)
    if accept:
        load_model(folder)  # a mistake in the drafts is reported where it is, in drafts.yaml
    return move(folder, ids, accept, load_model if accept else None)


def new_area(folder: Path | str, report: Path | str,
             name: str | None = None) -> tuple[Proposal, Model]:
    """Start an area from its report (text or PDF): (what was proposed, the checked model).

    What reading the report found is in the proposal's ``source.warnings``.
    """
    from .authoring.new_area import check_new_area
    from .authoring.new_area import new_area as make
    proposal = make(Path(folder), Path(report), name)
    return proposal, check_new_area(Path(folder))


def copy_area(folder: Path | str, area: str) -> Model:
    """A working copy of a bundled area (``sefton``) in ``folder``: the checked copy's model.

    Why: a bundled area lives in the installed package, where work is lost on upgrade.
    """
    from .authoring.new_area import check_new_area
    from .authoring.new_area import copy_area as copy
    return check_new_area(copy(Path(folder), area))


def diff(old: Path | str | None = None, new: Path | str | None = None,
         rev: str | None = None) -> list[dict]:
    """What changed from one version of an area to another (``questions.diff``).

    Two folders, or ``rev``: the folder ``old`` (default the working one) as
    it was at that git revision, against the folder as it is now.
    """
    import tempfile

    from .questions.diff import diff_areas, folder_at_revision
    if rev is None and (old is None or new is None):
        raise UsageError("give two model folders (old and new), or one and a git revision")
    if rev is not None and new is not None:
        raise UsageError("with a git revision give at most one folder: the working copy to "
                         "compare")
    with tempfile.TemporaryDirectory(prefix="graphmodel-diff-") as tmp:
        if rev is not None:
            new = model_dir(old)
            old = folder_at_revision(new, rev, Path(tmp))
        return diff_areas(open_area(old), open_area(new))
