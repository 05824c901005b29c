"""Nothing a user enters is written into the installed package (issue 18).

After ``pip install .`` the bundled Sefton model lives in site-packages, where
an upgrade or a reinstall replaces it: a board's imported actions written
there would be lost. This installs graphmodel as a user would (a fresh
virtual environment, ``pip install .``, not editable), runs every command
that writes against the bundled area, and checks that site-packages is
byte for byte as installed and that each refusal says how to make a working
copy; then that the working copy takes the same commands.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_readme import _copy_repository

COPY = "graphmodel new DIR --copy sefton"


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under the package (byte code aside) and its SHA-256."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*"))
            if p.is_file() and "__pycache__" not in p.parts}


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(graphmodel's command, the installed package's folder, a scratch folder)."""
    root = tmp_path_factory.mktemp("install")
    repo = root / "graphmodel"
    repo.mkdir()
    _copy_repository(repo)
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    done = subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", str(repo)],
                          capture_output=True, text=True, timeout=800)
    assert done.returncode == 0, done.stderr[-2000:]
    where = subprocess.run([str(venv / "bin" / "python"), "-c",
                            "import graphmodel, pathlib; "
                            "print(pathlib.Path(graphmodel.__file__).parent)"],
                           cwd=root, capture_output=True, text=True, check=True).stdout.strip()
    package = Path(where)
    assert "site-packages" in package.parts and (package / "data" / "sefton").is_dir()
    work = root / "work"
    work.mkdir()
    return venv / "bin" / "graphmodel", package, work


def run(command: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env["GRAPHMODEL_CACHE"] = str(cwd.parent / "cache")
    return subprocess.run([str(command), *args], cwd=cwd, capture_output=True, text=True,
                          env=env, timeout=240)


@pytest.mark.install
@pytest.mark.timeout(1200)
def test_writing_commands_never_touch_the_installed_package(installed):
    graphmodel, package, work = installed
    before = snapshot(package)
    made = run(graphmodel, "plan", "--received", "2019-04-15", "--out", "plan.xlsx", cwd=work)
    assert made.returncode == 0, made.stderr
    bundled = str(package / "data" / "sefton")
    refused = {
        "plan import": run(graphmodel, "plan", "import", "plan.xlsx", cwd=work),
        "plan import --check": run(graphmodel, "plan", "import", "plan.xlsx", "--check",
                                   cwd=work),
        "plan import --model": run(graphmodel, "plan", "import", "plan.xlsx", "--model",
                                   bundled, cwd=work),
        "drafts accept": run(graphmodel, "drafts", "accept", "any-draft", cwd=work),
        "drafts reject": run(graphmodel, "drafts", "reject", "any-draft", "--model", bundled,
                             cwd=work),
    }
    for command, done in refused.items():
        lines = done.stderr.splitlines()
        assert done.returncode == 1 and len(lines) == 1, (command, done.stderr)
        assert "read-only" in lines[0] and COPY in lines[0], (command, lines[0])
    files = run(graphmodel, "neo4j-files", cwd=work)
    assert files.returncode == 2 and "--out DIR" in files.stderr
    into = run(graphmodel, "map", "--out", str(package / "data" / "sefton" / "map.html"),
               cwd=work)
    assert into.returncode == 1 and COPY in into.stderr
    assert snapshot(package) == before  # nothing written, changed or added

    copy = run(graphmodel, "new", "sefton", "--copy", "sefton", cwd=work)
    assert copy.returncode == 0, copy.stderr
    mine = work / "sefton"
    done = run(graphmodel, "plan", "import", str(work / "plan.xlsx"), cwd=mine)
    assert done.returncode == 0 and "read-only" not in done.stderr, done.stderr
    assert run(graphmodel, "validate", "--strict", cwd=mine).returncode == 0
    assert run(graphmodel, "neo4j-files", "--out", str(work), cwd=work).returncode == 0
    assert snapshot(package) == before
