"""England in one Neo4j database: load about 150 areas, then time each cross-area query.

The areas are tests/england.py's (distinct, seeded areas whose services, names and
failures differ) when it is there; otherwise copies of the five areas modelled by
hand (Sefton and the four in tests/fixtures/areas whose parties have national
roles), each with an id and name of its own, so that every copy is a real-sized
area and the same failures recur across many of them.

Each area is loaded as ``graphmodel load --neo4j`` loads it (``Area.load_neo4j``:
one write transaction that replaces what the area held, with what graphmodel
stores to answer without files); building each graph from its YAML is timed
apart, as is opening each session. Then each cross-area Browser file
(queries/recurring_problems.cypher, compare_areas.cypher) runs as dropped in: once
to plan, then --rounds times (median); and one area's questions in the full
database. Targets (issue 19), on a two-core machine: all the loads within 2
minutes, each cross-area query within 2 s. The areas are deleted afterwards
unless --keep.

    eval "$(scripts/neo4j start)"; export NEO4J_URI NEO4J_USER NEO4J_PASSWORD
    python benchmarks/bench_neo4j_england.py [--areas 150] [--rounds 5] [--keep]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import graphmodel  # noqa: E402
from graphmodel.neo4j import load as neo4j_load  # noqa: E402
from graphmodel.neo4j.ask import run_query_text  # noqa: E402
from graphmodel.paths import default_model_dir, queries_dir  # noqa: E402

HAND_MODELLED = ("kestrelshire", "brindleford", "wexmoor", "fenmarsh")
CROSS_AREA = ("recurring_problems", "compare_areas")


def make_areas(count: int, folder: Path) -> tuple[list[Path], str]:
    """The area folders, and what they are in words."""
    try:
        from england import make_england  # type: ignore[import-not-found]
    except ImportError:
        return copies(count, folder), "copies of the five areas modelled by hand"
    return make_england(folder, count), "tests/england.py's distinct areas"


def copies(count: int, folder: Path) -> list[Path]:
    """``count`` copies of the hand-modelled areas, each with an id and name of its own."""
    sources = [default_model_dir(), *(ROOT / "tests" / "fixtures" / "areas" / n
                                      for n in HAND_MODELLED)]
    out = []
    for i in range(count):
        source = sources[i % len(sources)]
        target = folder / f"bench-{i:03d}-{source.name}"
        shutil.copytree(source, target)
        area = target / "area.yaml"
        text = re.sub(r"(?m)^  id: .*$", f"  id: {target.name}", area.read_text("utf-8"),
                      count=1)
        text = re.sub(r"(?m)^  name: (.*)$", rf"  name: \1 {i:03d}", text, count=1)
        area.write_text(text, encoding="utf-8")
        out.append(target)
    return out


def timed(work):
    start = time.perf_counter()
    result = work()
    return time.perf_counter() - start, result


def load_all(folders: list[Path], conn) -> tuple[list[str], dict[str, float]]:
    """Open (build) and load every area: their ids, and the seconds spent in each step."""
    spent = {"build": 0.0, "load": 0.0, "write": 0.0, "plan": 0.0}
    ids = []
    for folder in folders:
        took, area = timed(lambda f=folder: graphmodel.open_area(f))
        spent["build"] += took
        took, loaded = timed(lambda a=area: a.load_neo4j(conn))
        spent["load"] += took
        spent["write"] += loaded.report.seconds
        spent["plan"] += loaded.plan_seconds
        ids.append(area.id)
    return ids, spent


def time_query(session, name: str, rounds: int) -> tuple[float, float, int]:
    """(first run with planning, median of the planned runs, rows) of one Browser file."""
    text = (queries_dir() / f"{name}.cypher").read_text(encoding="utf-8")
    session.run("CALL db.clearQueryCaches()").consume()
    first, rows = timed(lambda: run_query_text(session, text))
    runs = [timed(lambda: run_query_text(session, text))[0] for _ in range(rounds)]
    return first, statistics.median(runs), len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--areas", type=int, default=150)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="Leave the areas loaded.")
    args = parser.parse_args()
    conn = dataclasses.replace(neo4j_load.Connection.from_env(), timeout=600)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["GRAPHMODEL_CACHE"] = str(Path(tmp) / "cache")  # every graph built anew
        took, (folders, what) = timed(lambda: make_areas(args.areas, Path(tmp)))
        print(f"{len(folders)} areas ({what}) made in {took:.1f} s")
        areas, spent = load_all(folders, conn)
    nodes, relationships = count(conn)
    print(f"built each area's graph from its YAML: {spent['build']:.1f} s in all")
    print(f"loaded {len(areas)} areas, one transaction each: {spent['load']:.1f} s in all "
          f"({spent['write']:.1f} s in the write transactions, {spent['plan']:.1f} s planning "
          f"the commands' queries; the rest is ranking, serialising and connecting), "
          f"{spent['load'] / len(areas):.2f} s an area")
    print(f"the database holds {nodes:,} nodes and {relationships:,} relationships")
    with neo4j_load.open_session(conn) as session:
        for name in CROSS_AREA:
            first, median, rows = time_query(session, name, args.rounds)
            print(f"{name}: {rows} rows; {first:.2f} s planned and run, median of "
                  f"{args.rounds} planned runs {median:.3f} s")
    took, one = timed(lambda: graphmodel.open_area(backend="neo4j", area=areas[0],
                                                   connection=conn))
    party = next(n for n, k in one.graph.nodes(data="kind") if k == "organisation")
    asked = {"gaps": one.gaps, "party": lambda: one.party(party), "hotspots": one.hotspots}
    said = ", ".join(f"{q} {timed(ask)[0]:.2f} s" for q, ask in asked.items())
    print(f"one area ({one.id}) from the full database: opened in {took:.2f} s; {said}")
    if not args.keep:
        with neo4j_load.open_session(conn) as session:
            for area in areas:
                neo4j_load.delete_area(session, area)


def count(conn) -> tuple[int, int]:
    with neo4j_load.open_session(conn) as session:
        return (session.run("MATCH (n) RETURN count(n) AS n").single()["n"],
                session.run("MATCH ()-[r]->() RETURN count(r) AS n").single()["n"])


if __name__ == "__main__":
    main()
