"""Print how fast an area loads into Neo4j: batched UNWIND against one statement per row.

Loads Sefton, then a synthetic area SCALE times its size (tests/synthetic.py,
default 100), each in one write transaction: first in UNWIND batches of
--batch rows, then with one statement per row (batch size 1), and prints both
times and their ratio. Needs a running server (scripts/neo4j start) and
NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD; the areas are loaded as bench-* and
deleted afterwards.

    eval "$(scripts/neo4j start)"; export NEO4J_URI NEO4J_USER NEO4J_PASSWORD
    python benchmarks/bench_neo4j.py [--scale 100] [--batch 1000]
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))  # test helpers
from graphmodel.model.load import load_area  # noqa: E402
from graphmodel.neo4j import load as neo4j_load  # noqa: E402
from graphmodel.paths import default_model_dir  # noqa: E402
from graphmodel.questions.graph import build_graph  # noqa: E402

from synthetic import synthetic_model  # noqa: E402


def timed_load(session, G, area: str, batch: int) -> tuple[float, neo4j_load.LoadReport]:
    """Seconds for one whole-area load into an empty area (constraints already made)."""
    neo4j_load.delete_area(session, area)
    start = time.perf_counter()
    report = neo4j_load.load_graph(session, G, area=area, batch_size=batch)
    return time.perf_counter() - start, report


def compare(session, G, label: str, batch: int) -> None:
    area = f"bench-{label}"
    batched, report = timed_load(session, G, area, batch)
    per_row, _ = timed_load(session, G, area, 1)
    neo4j_load.delete_area(session, area)
    print(f"{label}: {report.nodes} nodes, {report.relationships} relationships | "
          f"UNWIND batches of {batch}: {batched:.2f} s ({report.batches} statements) | "
          f"one statement per row: {per_row:.2f} s | ratio {per_row / batched:.1f}x")


def time_queries(session, G) -> None:
    """Seconds for the questions graphmodel asks Neo4j itself (gaps, a party, a path) on
    Sefton: planning, then a planned run."""
    from graphmodel.neo4j import ask as neo4j_queries
    neo4j_load.load_graph(session, G, area="bench-queries")
    asked = {"gaps": (), "org": ("mash",), "path": ("gp-practices", "mash")}
    for name, args in asked.items():
        session.run("CALL db.clearQueryCaches()").consume()
        start = time.perf_counter()
        neo4j_queries.QUERIES[name](session, "bench-queries", G, *args)
        first = time.perf_counter() - start
        start = time.perf_counter()
        neo4j_queries.QUERIES[name](session, "bench-queries", G, *args)
        print(f"sefton {name}: {first:.2f} s planned and run, {time.perf_counter() - start:.2f} s"
              " run again")
    neo4j_load.delete_area(session, "bench-queries")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--batch", type=int, default=neo4j_load.BATCH_SIZE)
    args = parser.parse_args()
    # Row-by-row loads of a large area take minutes: no NEO4J_TIMEOUT here.
    conn = dataclasses.replace(neo4j_load.Connection.from_env(), timeout=3600)
    with neo4j_load.open_session(conn) as session:
        version = session.run("CALL dbms.components() YIELD versions, edition "
                              "RETURN versions[0] + ' ' + edition AS v").single()["v"]
        print(f"Neo4j {version} at {conn.uri}")
        neo4j_load.ensure_constraints(session)
        sefton = build_graph(load_area(default_model_dir()))
        timed_load(session, sefton, "bench-warm-up", args.batch)  # JIT and query caches
        compare(session, sefton, "sefton", args.batch)
        time_queries(session, sefton)
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            G = build_graph(load_area(synthetic_model(args.scale, Path(tmp))))
            print(f"(built the x{args.scale} model in {time.perf_counter() - start:.1f} s)")
        compare(session, G, f"x{args.scale}", args.batch)
        neo4j_load.delete_area(session, "bench-warm-up")


if __name__ == "__main__":
    main()
