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
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .errors import ModelError, UsageError
from .paths import model_dir

BACKENDS = ("networkx", "neo4j")


def load_model(path: Path | str | None = None, warnings: bool = True):
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

    def model(self) -> Any:
        """The full checked model (slower: parses and checks every file)."""
        return load_model(self.folder)
