"""Nothing a user enters is lost (issue 22): every write is all-or-nothing, one at a time.

Fault injection: each writing command is killed (SIGKILL, through the
``GRAPHMODEL_TEST_KILL_AT`` hook the write helper honours) at each of its
steps in turn; after the next command has opened the area, every file is
either as before or as the finished command leaves it. Two real processes
write at once and both keep their work; a held lock is one line naming its
holder; a killed holder's lock blocks nobody.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_drafts import DRAFTS
from test_plan_import import FILLED, fill, workbook_of

from graphmodel.errors import ModelError
from graphmodel.files import JOURNAL_NAME, WORK_PREFIX, area_lock, recover, replace_files

from conftest import NORTHMOOR, ROOT

MAX_STEPS = 40  # more steps than any command takes: the loop must end by success


def run(args: list[str], cwd: Path, kill_at: int | None = None, wait: float | None = None,
        timeout: float = 120) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "80"}
    env.pop("GRAPHMODEL_TEST_KILL_AT", None)
    if kill_at is not None:
        env["GRAPHMODEL_TEST_KILL_AT"] = str(kill_at)
    if wait is not None:
        env["GRAPHMODEL_LOCK_WAIT"] = str(wait)
    return subprocess.run([sys.executable, "-m", "graphmodel", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL)


def state(folder: Path) -> dict[str, bytes]:
    """Every file of the area but graphmodel's own lock, journal and staged files."""
    if not folder.exists():
        return {}
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())
            if p.is_file() and not p.name.startswith(WORK_PREFIX)}


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.parent.rglob(f"{WORK_PREFIX}*"))


@pytest.fixture
def drafted(area_copy):
    (area_copy / "drafts.yaml").write_text(DRAFTS, encoding="utf-8")
    return area_copy


def kill_at_every_step(tmp_path: Path, make, args: list[str], folder_name: str = "area"):
    """Run ``args`` once whole (the 'after'), then killed at step 1, 2, ... until it ends
    by itself; each time, after recovery, the area is as before or as after."""
    whole = tmp_path / "whole"
    make(whole)
    before = state(whole / folder_name)
    done = run(args, whole)
    assert done.returncode == 0, done.stderr
    after = state(whole / folder_name)
    assert after != before
    for step in range(1, MAX_STEPS):
        trial = tmp_path / f"step{step}"
        make(trial)
        killed = run(args, trial, kill_at=step)
        if killed.returncode == 0:
            assert state(trial / folder_name) == after
            assert not leftovers(trial / folder_name), leftovers(trial / folder_name)
            return step
        assert killed.returncode == -signal.SIGKILL, killed.stderr
        if (trial / folder_name).is_dir():
            recover(trial / folder_name)  # what the next command does first
        now = state(trial / folder_name)
        assert now in (before, after), f"step {step}: half-changed"
        assert not (trial / folder_name / JOURNAL_NAME).exists()
    raise AssertionError("the command never finished")


def test_drafts_accept_killed_at_any_step_loses_nothing(tmp_path):
    def make(root: Path) -> None:
        shutil.copytree(NORTHMOOR, root / "area")
        (root / "area" / "drafts.yaml").write_text(DRAFTS, encoding="utf-8")
    steps = kill_at_every_step(tmp_path, make, ["drafts", "accept", "school-nurse-referral",
                                                "mash-outcome-to-ed", "-m", "area"])
    assert steps >= 5  # staged two, journal, replaced two, committed


def test_drafts_reject_killed_at_any_step_loses_nothing(tmp_path):
    def make(root: Path) -> None:
        shutil.copytree(NORTHMOOR, root / "area")
        (root / "area" / "drafts.yaml").write_text(DRAFTS, encoding="utf-8")
    kill_at_every_step(tmp_path, make, ["drafts", "reject", "school-nurse-referral", "-m",
                                        "area"])


def test_plan_import_killed_at_any_step_loses_nothing(tmp_path):
    source = tmp_path / "source"
    shutil.copytree(NORTHMOOR, source)
    data = fill(workbook_of(source), FILLED)

    def make(root: Path) -> None:
        shutil.copytree(NORTHMOOR, root / "area")
        (root / "plan.xlsx").write_bytes(data)
    kill_at_every_step(tmp_path, make, ["plan", "import", "plan.xlsx", "-m", "area"])


def test_new_killed_at_any_step_leaves_no_half_made_folder(tmp_path):
    def make(root: Path) -> None:
        root.mkdir()
        shutil.copy(NORTHMOOR / "report.txt", root / "r.txt")
    kill_at_every_step(tmp_path, make, ["new", "fresh", "-r", "r.txt"], "fresh")
    again = tmp_path / "again"
    make(again)
    assert run(["new", "fresh", "-r", "r.txt"], again, kill_at=1).returncode == -9
    assert not (again / "fresh").exists()
    assert run(["new", "fresh", "-r", "r.txt"], again).returncode == 0
    assert not leftovers(again / "fresh")  # the killed build's scratch folder is gone


def test_a_check_that_fails_puts_every_file_back(drafted):
    before = state(drafted)

    def check() -> None:
        raise ModelError("no")
    with pytest.raises(ModelError):
        replace_files(drafted, {drafted / "flows.yaml": "flows: []\n",
                                drafted / "drafts.yaml": "drafts: []\n",
                                drafted / "new.yaml": "x: 1\n"}, check=check)
    assert state(drafted) == before and not leftovers(drafted)


def test_a_symlinked_model_file_stays_a_link(drafted, tmp_path):
    real = tmp_path / "elsewhere" / "flows.yaml"
    real.parent.mkdir()
    shutil.move(drafted / "flows.yaml", real)
    (drafted / "flows.yaml").symlink_to(real)
    done = run(["drafts", "accept", "school-nurse-referral", "-m", "area"], drafted.parent)
    assert done.returncode == 0, done.stderr
    assert (drafted / "flows.yaml").is_symlink()
    assert "id: school-nurse-referral" in real.read_text(encoding="utf-8")
    assert not leftovers(drafted) and not leftovers(real)


def test_a_held_lock_is_one_line_naming_its_holder(drafted):
    before = state(drafted)
    with area_lock(drafted, "graphmodel plan import"):
        done = run(["drafts", "accept", "school-nurse-referral", "-m", "area"], drafted.parent,
                   wait=0.3)
    assert done.returncode == 1
    assert done.stderr == (f"error: area: another command is changing this area (process "
                           f"{os.getpid()}: graphmodel plan import); waited 0.3 s: try again "
                           "when it has finished\n")
    assert state(drafted) == before


def test_a_killed_holder_blocks_nobody(drafted):
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from graphmodel.files import area_lock\n"
         "with area_lock(sys.argv[1], 'graphmodel plan import'):\n"
         "    print('held', flush=True); time.sleep(600)", str(drafted)],
        env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "held\n"
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait(10)
        assert (drafted / f"{WORK_PREFIX}lock").exists()  # the stale lock file stays
        done = run(["drafts", "accept", "school-nurse-referral", "-m", "area"],
                   drafted.parent, wait=1)
        assert done.returncode == 0, done.stderr
    finally:
        holder.kill()


def test_two_owners_importing_at_once_both_keep_their_actions(tmp_path):
    area = tmp_path / "area"
    shutil.copytree(NORTHMOOR, area)
    parts = {"brightpath": {"3.1": {"Action": "Answer every MASH request"}},
             "northmoor-council": {"1.1": {"Action": "Notify school nurses"}}}
    for org, rows in parts.items():
        (tmp_path / f"{org}.xlsx").write_bytes(fill(workbook_of(area, org=org), rows))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for _ in range(3):
        (area / "actions.yaml").write_text("actions: []\n", encoding="utf-8")
        writers = [subprocess.Popen([sys.executable, "-m", "graphmodel", "plan", "import",
                                     f"{org}.xlsx", "-m", "area"], cwd=tmp_path, env=env,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                   for org in parts]
        for writer in writers:
            writer.wait(120)
            assert writer.returncode == 0, writer.stderr.read()
        text = (area / "actions.yaml").read_text(encoding="utf-8")
        assert "Answer every MASH request" in text and "Notify school nurses" in text


def test_an_older_blank_workbook_removes_nothing(tmp_path):
    area = tmp_path / "area"
    shutil.copytree(NORTHMOOR, area)
    blank = workbook_of(area)
    (tmp_path / "blank.xlsx").write_bytes(blank)
    (tmp_path / "plan.xlsx").write_bytes(fill(blank, FILLED))
    assert run(["plan", "import", "plan.xlsx", "-m", "area"], tmp_path).returncode == 0
    recorded = (area / "actions.yaml").read_bytes()
    done = run(["plan", "import", "blank.xlsx", "-m", "area"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.endswith("unchanged (0 actions from blank.xlsx, 3 recorded kept)\n")
    assert (area / "actions.yaml").read_bytes() == recorded


def test_removing_or_blanking_recorded_actions_needs_replace(tmp_path):
    area = tmp_path / "area"
    shutil.copytree(NORTHMOOR, area)
    (tmp_path / "plan.xlsx").write_bytes(fill(workbook_of(area), FILLED))
    assert run(["plan", "import", "plan.xlsx", "-m", "area"], tmp_path).returncode == 0
    recorded = (area / "actions.yaml").read_bytes()
    shown = workbook_of(area)  # the plan again, showing the three actions
    (tmp_path / "less.xlsx").write_bytes(fill(shown, {"1.2": {"Lead": ""}}))
    done = run(["plan", "import", "less.xlsx", "-m", "area"], tmp_path)
    assert done.returncode == 1
    assert done.stderr == ("error: less.xlsx: would blank 1 field of recorded actions (1.2 NHS "
                           "Northmoor CCG: lead): the workbook leaves them out or empty; fill "
                           "them in, or import with replace (--replace) to drop them\n")
    assert (area / "actions.yaml").read_bytes() == recorded
    done = run(["plan", "import", "less.xlsx", "-m", "area", "--replace"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert "empties 1 field of recorded actions" in done.stdout
    assert "emptied: 1.2 NHS Northmoor CCG: lead" in done.stdout
    assert "lead: Designated nurse" not in (area / "actions.yaml").read_text(encoding="utf-8")


def test_replace_with_a_blank_workbook_says_what_it_removes(tmp_path):
    area = tmp_path / "area"
    shutil.copytree(NORTHMOOR, area)
    blank = workbook_of(area)
    (tmp_path / "plan.xlsx").write_bytes(fill(blank, FILLED))
    (tmp_path / "blank.xlsx").write_bytes(blank)
    assert run(["plan", "import", "plan.xlsx", "-m", "area"], tmp_path).returncode == 0
    done = run(["plan", "import", "blank.xlsx", "-m", "area", "--replace"], tmp_path)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].endswith("0 actions from blank.xlsx; removes 3 recorded actions")
    assert "  removed: 1.2 NHS Northmoor CCG: 'Agree outcome letters with social care'" in lines
    assert all(len(line) <= 80 for line in lines[1:])
    assert "actions: []" in (area / "actions.yaml").read_text(encoding="utf-8")


def test_the_lock_is_not_left_behind_and_a_reader_waits_for_a_writer(drafted):
    with area_lock(drafted, "x"):
        assert (drafted / f"{WORK_PREFIX}lock").exists()
    assert not leftovers(drafted)
    started = time.monotonic()
    recover(drafted)  # nothing to do: no journal, no lock taken
    assert time.monotonic() - started < 0.1 and not leftovers(drafted)
