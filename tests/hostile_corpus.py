"""How the hostile corpus is run: the Case type, the steps that break an area, the runner.

The cases themselves are in ``test_hostile_corpus.py``; this module holds the
machinery so the table there reads as a list of inputs and the lines they
must give.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from conftest import NORTHMOOR, ROOT

AREA = "area"  # each case runs in an empty folder holding a copy of Northmoor here
MAX_LINE = 1000
# What must never reach a terminal raw: ESC, CSI, other C0/C1 controls, bidi overrides.
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
TIMEOUT = 60  # seconds for a case run in its own process: a hang fails, it does not stall CI


@dataclass(frozen=True)
class Case:
    """One bad input: how to make it, the command, and what it must give.

    ``line`` is the exact line: an ``error:`` line must be the only error
    printed; a ``warning:`` line must be among those printed; an empty
    ``line`` means no error at all. ``check`` looks further (stdout, files
    left behind). ``process`` runs graphmodel as its own process with a
    time-out, for inputs that could hang or exhaust memory; ``unprivileged``
    also drops root's power to ignore file permissions.
    """

    kind: str
    name: str
    args: tuple[str, ...]
    exit: int
    line: str = ""
    setup: tuple[Callable[[Path], None], ...] = ()
    check: Callable[[str, Path], None] | None = None
    process: bool = False
    unprivileged: bool = False
    env: tuple[tuple[str, str], ...] = ()  # variables to set; "{root}" is the case's folder
    stdout: str | None = None  # a file to send standard output to (process only)

    @property
    def id(self) -> str:
        return f"{self.kind}:{self.name}"


# --- steps that break the area (each takes the case's working folder) ----------------------

def edit(file: str, old: str, new: str, count: int = 1):
    def step(root: Path) -> None:
        path = root / file
        text = path.read_text(encoding="utf-8")
        assert old in text, (file, old)
        path.write_text(text.replace(old, new, count), encoding="utf-8")
    return step


def write(file: str, content: str | bytes):
    def step(root: Path) -> None:
        path = root / file
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return step


def remove(file: str):
    def step(root: Path) -> None:
        target = root / file
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        else:
            target.unlink()
    return step


def fifo(file: str):
    return lambda root: os.mkfifo(root / file)


def link(file: str, target: str):
    return lambda root: os.symlink(target, root / file)


def folder(file: str, mode: int | None = None):
    def step(root: Path) -> None:
        (root / file).mkdir(parents=True, exist_ok=True)
        if mode is not None:
            os.chmod(root / file, mode)
    return step


def chmod(file: str, mode: int):
    return lambda root: os.chmod(root / file, mode)


def sparse(file: str, size: int):
    def step(root: Path) -> None:
        with open(root / file, "wb") as fh:
            fh.truncate(size)
    return step


def unix_socket(file: str):
    def step(root: Path) -> None:
        sock = socket.socket(socket.AF_UNIX)
        old = os.getcwd()
        os.chdir(root)  # a socket path is limited to about 100 bytes: bind it relative
        try:
            sock.bind(file)
        finally:
            os.chdir(old)
            sock.close()
    return step


def regenerate(area: str = AREA):
    """Re-extract the area's report into extracted.yaml, as a modeller would after editing it."""
    def step(root: Path) -> None:
        from graphmodel.model.report import extract_report, extraction_yaml
        report = root / area / "report.txt"
        extraction = extract_report(report.read_text(encoding="utf-8"), "report.txt")
        (root / area / "extracted.yaml").write_text(extraction_yaml(extraction, "report.txt"),
                                                    encoding="utf-8")
    return step


def hostile_names(root: Path) -> None:
    """Northmoor with names made to hurt a terminal, rich or a spreadsheet (tests/hostile.py)."""
    from hostile import hostile_area
    shutil.rmtree(root / AREA)
    hostile_area(root / AREA)


def run_first(*args: str):
    """Run a command first (to fill the cache), as a person would before the fault."""
    def step(root: Path) -> None:
        done = run_process(list(args), root, timeout=TIMEOUT)
        assert done[0] == 0, done
    return step


# --- running a case --------------------------------------------------------------------------

def run_in_process(args: list[str]) -> tuple[int, str, str, BaseException | None]:
    from typer.testing import CliRunner

    from graphmodel.cli import app
    result = CliRunner().invoke(app, args, prog_name="graphmodel")
    error = result.exception if not isinstance(result.exception, SystemExit) else None
    return result.exit_code, result.stdout, result.stderr, error


def run_process(args: list[str], cwd: Path, timeout: float = TIMEOUT,
                unprivileged: bool = False, stdout: str | None = None) -> tuple[int, str, str]:
    """graphmodel as its own process; a time-out fails the case instead of hanging CI."""
    command = [sys.executable, "-m", "graphmodel", *args]
    if unprivileged and os.geteuid() == 0:
        # root ignores file permissions; without these two capabilities it obeys them
        if not shutil.which("setpriv"):
            import pytest
            pytest.skip("running as root without setpriv (util-linux) to drop privileges")
        command = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", *command]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "100"}
    with open(stdout, "wb") if stdout else open(os.devnull, "rb") as sink:
        done = subprocess.run(command, cwd=cwd, timeout=timeout, env=env,
                              stdin=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              stdout=sink if stdout else subprocess.PIPE)
    return (done.returncode, (done.stdout or b"").decode("utf-8", "replace"),
            done.stderr.decode("utf-8", "replace"))


def prepare(case: Case, root: Path) -> None:
    shutil.copytree(NORTHMOOR, root / AREA)
    for step in case.setup:
        step(root)


def run_case(case: Case, root: Path) -> tuple[int, str, str]:
    """Run the case's command in ``root``; assert what every case must hold; return the run."""
    for name, value in case.env:
        os.environ[name] = value.format(root=root)  # the test's monkeypatch restores it
    if case.process or case.unprivileged or case.stdout:
        code, out, err = run_process(list(case.args), root, unprivileged=case.unprivileged,
                                     stdout=case.stdout)
        error = None
    else:
        code, out, err, error = run_in_process(list(case.args))
    assert error is None, f"{type(error).__name__}: {error}"
    assert "Traceback" not in out + err, err[-2000:]
    lines = err.splitlines()
    assert all(len(line) <= MAX_LINE for line in lines), max(map(len, lines))
    assert not RAW_CONTROL.search(err), repr(err[:300])
    assert all(line.startswith(("error: ", "warning: ", "/")) for line in lines), lines[:5]
    return code, out, err


def assert_expected(case: Case, code: int, err: str, **fill: str) -> None:
    """The case's line (``{port}`` and such filled in) and exit code, and no other error."""
    lines = err.splitlines()
    errors = [line for line in lines if line.startswith("error: ")]
    expected = case.line
    for name, value in fill.items():
        expected = expected.replace("{" + name + "}", value)
    if expected.startswith("error: "):
        assert errors == [expected], errors
    elif expected:
        assert expected in lines, lines
        assert not errors, errors
    else:
        assert not errors, errors
    assert code == case.exit, (code, err[-500:])


def no_temporary_files(root: Path) -> None:
    """Nothing half-written: no temporary file left anywhere in the case's folder."""
    left = [p for p in root.rglob("*.tmp")]
    assert not left, left
