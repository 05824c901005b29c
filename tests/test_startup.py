"""The front door stays light: a warm ``graphmodel gaps`` loads no heavy module.

Why: ``gaps`` is what people type first and most; its start-up is measured
against ``python -c "import networkx"`` (benchmarks/bench_scale.py). Every
module below costs tens of milliseconds to import and is needed only by
other commands (validate, maps, Neo4j, spreadsheets, hotspots).
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import NORTHMOOR, ROOT

HEAVY = ("pydantic", "ruamel", "rich", "pyvis", "neo4j", "openpyxl", "igraph", "rustworkx", "numpy",
         "spacy", "yaml", "jinja2", "weasyprint", "graphmodel.model.load", "graphmodel.model.schema")

PROBE = """
import sys
from graphmodel.cli import main
sys.argv = ["graphmodel", *sys.argv[1:]]
try:
    main()
except SystemExit as exc:
    code = exc.code
loaded = sorted({m for m in sys.modules for heavy in HEAVY
                 if m == heavy or m.startswith(heavy + ".")})
sys.stderr.write("LOADED " + " ".join(loaded) + "\\n")
sys.exit(code)
"""


def _gaps(cache, *args) -> subprocess.CompletedProcess:
    env = {**os.environ, "GRAPHMODEL_CACHE": str(cache)}
    code = f"HEAVY = {HEAVY!r}\n" + PROBE
    return subprocess.run([sys.executable, "-c", code, "gaps", *args], capture_output=True,
                          text=True, cwd=ROOT, env=env)


@pytest.mark.parametrize("args", [[], ["-f", "json"], ["--model", str(NORTHMOOR)],
                                  ["--org", "CAMHS", "-f", "csv"]])
def test_warm_gaps_loads_no_heavy_module(tmp_path, args):
    cold = _gaps(tmp_path, *args)
    assert cold.returncode == 0, cold.stderr[-500:]
    assert "graphmodel.model.load" in cold.stderr  # the first run built the cache...
    warm = _gaps(tmp_path, *args)
    assert warm.returncode == 0 and warm.stdout == cold.stdout
    loaded = warm.stderr.rsplit("LOADED", 1)[1].split()
    assert loaded == [], f"warm gaps imported {loaded}"  # ...the second only read it
