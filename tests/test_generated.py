"""Generated files are current, and one command (scripts/regenerate) keeps them so.

The JSON Schema and its copies in the fixture areas, Neo4j Browser's files
(queries/) and the README's vocabulary tables are derived from ``vocab`` and
the code. Each test here names scripts/regenerate when a file is stale; the
last one proves that adding a status is an edit to vocab.py plus what
scripts/regenerate rewrites, in a scratch copy of the checkout.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

import pytest

from graphmodel import regenerate, vocab
from graphmodel.views import build as views
from graphmodel.views import export

from conftest import ROOT

FIX = "run scripts/regenerate"


def _stale(predicate) -> list[str]:
    return [str(p.relative_to(ROOT)) for p in regenerate.stale() if predicate(p)]


def test_the_json_schema_and_its_copies_are_current():
    copies = list((ROOT / "tests" / "fixtures" / "areas").glob("*/graphmodel.schema.json"))
    assert copies, "the fixture areas made by 'graphmodel new' carry a copy"
    stale = _stale(lambda p: p.name == "graphmodel.schema.json")
    assert not stale, f"out of date: {', '.join(stale)}: {FIX}"


def test_the_browser_files_are_current():
    stale = _stale(lambda p: p.parent.name == "queries")
    extra = regenerate.extra_browser_files()
    assert not stale and not extra, f"queries/ is out of date ({stale + extra}): {FIX}"


def test_the_readmes_vocabulary_tables_are_current():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert {m["name"] for m in regenerate.MARKED.finditer(text)} == set(regenerate.TABLES)
    assert not _stale(lambda p: p.name == "README.md"), f"README.md's tables: {FIX}"


def test_regenerate_check_passes_on_this_checkout():
    done = subprocess.run([sys.executable, "-m", "graphmodel.regenerate", "--check"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, f"{done.stdout}{done.stderr}: {FIX}"


def test_each_table_is_spelled_once_and_read_from_vocab():
    assert set(views.PICTURES) | set(views.ACROSS_AREAS) == set(vocab.VIEWS) == set(views.VIEWS)
    assert set(export.WRITERS) == set(vocab.EXPORT_FORMATS) == set(export.FORMATS)
    from graphmodel.cli.app import Severity
    assert [s.value for s in Severity] == list(vocab.SEVERITIES)
    from graphmodel.plan.workbook import SEVERITY_FILLS
    assert {n: s.fill for n, s in vocab.SEVERITIES.items()} == SEVERITY_FILLS
    template = (ROOT / "graphmodel" / "views" / "templates" / "map.html").read_text()
    assert not re.search(r"#[0-9a-fA-F]{6}.*(critical|high|medium)|"
                         r"(critical|high|medium).*#[0-9a-fA-F]{6}", template)


def test_the_readmes_status_table_says_what_the_codebook_says():
    """"Not routinely" is inconsistent in the codebook, never absent."""
    codebook = (ROOT / "docs" / "modelling.md").read_text(encoding="utf-8")
    assert re.search(r"\| `inconsistent` \| not routinely", codebook)
    rows = regenerate.statuses_table().splitlines()
    assert "not routinely" in next(r for r in rows if r.startswith("| inconsistent |"))
    assert "routinely" not in next(r for r in rows if r.startswith("| absent |"))


# --- a new status: vocab.py, then scripts/regenerate, and nothing else ----------------------

PARTIAL = '''    Status("partial", "Some of what should pass does.", True, "#8e24aa", (4, 4)),
'''


@pytest.fixture(scope="module")
def checkout_with_a_new_status(tmp_path_factory):
    """A scratch copy of the checkout whose vocab.py has one more status, regenerated."""
    copy = tmp_path_factory.mktemp("checkout") / "graphmodel"
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others",
                             "--exclude-standard"], cwd=ROOT, capture_output=True,
                            check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        if (ROOT / name).is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, copy / name)
    vocab_py = copy / "graphmodel" / "vocab.py"
    text = vocab_py.read_text(encoding="utf-8")
    anchor = '    Status("broken",'
    assert anchor in text
    vocab_py.write_text(text.replace(anchor, PARTIAL + anchor, 1), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(copy), "GRAPHMODEL_CACHE": str(copy / ".cache"),
           "PYTHON": sys.executable}
    done = subprocess.run(["bash", "scripts/regenerate"], cwd=copy, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return copy, env


def test_scratch_copy_a_new_status_is_vocab_plus_regenerate(checkout_with_a_new_status):
    copy, env = checkout_with_a_new_status
    schema = json.loads((copy / "data" / "graphmodel.schema.json").read_text())
    assert "partial" in json.dumps(schema)
    for fixture_copy in (copy / "tests" / "fixtures" / "areas").glob("*/graphmodel.schema.json"):
        assert json.loads(fixture_copy.read_text()) == schema
    assert "node.Partial" in (copy / "queries" / "graphmodel.grass").read_text()
    readme = (copy / "README.md").read_text()
    assert "| partial | Some of what should pass does. | yes |" in readme
    # Every "is current" test and the vocabulary's own tests pass in the copy as it stands.
    tests = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                            "tests/test_generated.py", "tests/test_vocab.py", "-k",
                            "not scratch_copy and not neo4j"],
                           cwd=copy, env=env, capture_output=True, text=True, timeout=900)
    assert tests.returncode == 0, tests.stdout[-3000:] + tests.stderr[-2000:]
    checked = subprocess.run([sys.executable, "-m", "graphmodel", "validate", "--model",
                              "tests/fixtures/areas/northmoor"], cwd=copy, env=env,
                             capture_output=True, text=True, timeout=300)
    assert checked.returncode == 0, checked.stderr


def test_scratch_copy_a_stale_file_names_the_command_that_fixes_it(checkout_with_a_new_status):
    copy, env = checkout_with_a_new_status
    readme = copy / "README.md"
    readme.write_text(readme.read_text().replace("| partial |", "| partly |"))
    try:
        done = subprocess.run([sys.executable, "-m", "graphmodel.regenerate", "--check"],
                              cwd=copy, env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 1 and done.stdout == "README.md\n"
        assert FIX in done.stderr
        tests = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                                "tests/test_generated.py", "-k", "readmes_vocabulary"],
                               cwd=copy, env=env, capture_output=True, text=True, timeout=300)
        assert tests.returncode == 1 and FIX in tests.stdout
    finally:
        subprocess.run(["bash", "scripts/regenerate"], cwd=copy, env=env, capture_output=True,
                       timeout=600)
