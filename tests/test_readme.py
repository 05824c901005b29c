"""The README's and docs' commands work as written, on a fresh virtual environment.

Every ```sh block of README.md, then of each docs/*.md, runs in order in one
bash session (as someone would type them into one terminal), in a fresh copy
of the repository with a fresh virtual environment; each document starts in
the repository's folder. The ```python blocks run with that environment's
Python. A block preceded by ``<!-- readme-test: skip ... -->`` is shown but not
run (running the tests from inside the tests, stopping the shared Neo4j server).
Like sqlite-utils' documentation tests: the docs cannot drift from the CLI.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

BLOCK = re.compile(r"(<!-- readme-test: skip[^>]*-->\s*)?```(sh|python)\n(.*?)```", re.S)


DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def readme_blocks(path: Path = ROOT / "README.md") -> list[tuple[str, str, bool]]:
    """(language, code, skipped) for every sh and python block of a document, in order."""
    text = path.read_text(encoding="utf-8")
    return [(m.group(2), m.group(3), bool(m.group(1))) for m in BLOCK.finditer(text)]


def test_readme_blocks_are_found_and_the_test_command_is_skipped():
    blocks = readme_blocks()
    assert any("pip install ." in code for lang, code, _ in blocks if lang == "sh")
    assert [skip for _, code, skip in blocks if "scripts/test" in code] == [True]
    assert any(lang == "python" for lang, _, _ in blocks)


@pytest.mark.parametrize("doc", DOCUMENTS, ids=lambda p: p.name)
def test_no_document_stops_the_shared_server_or_runs_the_tests(doc):
    for _, code, skipped in readme_blocks(doc):
        if "scripts/neo4j stop" in code or "scripts/test" in code:
            assert skipped, (doc.name, code)


def test_the_tutorials_commands_are_blocks_that_run():
    """docs/new-area.md's steps are sh blocks (its first named a report that did not exist)."""
    code = "\n".join(c for lang, c, skip in readme_blocks(ROOT / "docs" / "new-area.md")
                     if lang == "sh" and not skip)
    assert "--report tests/fixtures/reports/calderbrook.txt" in code
    assert "graphmodel drafts accept" in code and "graphmodel gaps" in code


def _copy_repository(target: Path) -> None:
    """The repository's tracked files (a clean checkout), or its files without .venv."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True)
    if listed.returncode == 0 and listed.stdout:
        for name in listed.stdout.decode().split("\0"):
            if name and (ROOT / name).is_file():
                (target / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(ROOT / name, target / name)
        return
    shutil.copytree(ROOT, target, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns(".venv", "node_modules", ".git"))


@pytest.mark.readme
@pytest.mark.neo4j
@pytest.mark.timeout(1200)
def test_every_readme_block_runs_as_written(tmp_path):
    if not os.environ.get("NEO4J_PASSWORD"):  # the README's Neo4j commands need the server
        message = "needs the local Neo4j server: run the tests with bash scripts/test"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    repo = tmp_path / "graphmodel"
    repo.mkdir()
    _copy_repository(repo)
    script = ["set -euo pipefail"]
    for doc in DOCUMENTS:
        script.append(f"cd {repo}")  # each document starts in the repository's folder
        for n, (lang, code, skipped) in enumerate(readme_blocks(doc)):
            if skipped:
                continue
            script.append(f"echo '--- {doc.name} block {n} ({lang})' >&2")
            if lang == "sh":
                script.append(code)
            else:
                path = tmp_path / f"{doc.stem}-block{n}.py"
                path.write_text(code, encoding="utf-8")
                script.append(f"python {path}")  # the README's venv is active by now
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env["PATH"] = os.pathsep.join(p for p in env["PATH"].split(os.pathsep)
                                  if not p.startswith(str(Path(sys.prefix))))
    env["GRAPHMODEL_CACHE"] = str(tmp_path / "cache")
    # scripts/neo4j finds the server scripts/test started under the usual cache root
    env["NEO4J_CACHE_ROOT"] = os.environ.get("NEO4J_CACHE_ROOT",
                                             str(Path.home() / ".cache" / "graphmodel"))
    done = subprocess.run(["bash", "-c", "\n".join(script)], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=1150)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "information-sharing gaps" in done.stdout
