"""Errors that teach: each mistake of issue 10, through the CLI, gives its fix in one line."""

from __future__ import annotations

import re
import shutil

import pytest
from typer.testing import CliRunner

from graphmodel.cli import app
from graphmodel.paths import model_dir

from conftest import NORTHMOOR, edit

runner = CliRunner()


@pytest.fixture
def area(tmp_path, monkeypatch):
    monkeypatch.setenv("GRAPHMODEL_CACHE", str(tmp_path / "cache"))
    folder = tmp_path / "area"
    shutil.copytree(NORTHMOOR, folder)
    return folder



def one_error(folder) -> str:
    result = runner.invoke(app, ["validate", "--model", str(folder)])
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


EXAMPLES = [
    # A paragraph number read as a number: write it in quotes, as written.
    ('paragraph: "2.2"', "paragraph: 2.2",
     r'flows\[7\]\.evidence\[0\]\.paragraph: 2\.2 was read as a number; write it in '
     r'quotes: "2\.2"'),
    ('paragraph: "1.3"', "paragraph: 1.30",
     r'paragraph: 1\.30 was read as a number; write it in quotes: "1\.30"'),
    # A name where an id belongs: the id to use, and how the name belongs to it.
    ("from: gp-practices", "from: GPs",
     r"flows\[0\]\.from: 'GPs' is a name; use the id 'gp-practices' \(that name is an alias of "
     r"it\)"),
    ("from: gp-practices", "from: Northmoor GP practices",
     r"'Northmoor GP practices' is a name; use the id 'gp-practices' \(that is its name\)"),
    # A quote in the wrong paragraph: where it is.
    ("quote: share information well with GP practices",
     "quote: School nurses do not share their records",
     r"quote not found in paragraph 1\.2: 'School nurses do not share their records'; it is in "
     r"paragraph 1\.5: cite that one"),
    # A quote not in the report as written: the closest passage of the cited paragraph.
    ("quote: share information well with GP practices",
     "quote: share information nicely with GP practices",
     r"quote not found in paragraph 1\.2: .*; closest in 1\.2: 'Health visitors attend"),
    # An unknown id: suggestions by id, and by name.
    ("to: camhs", "to: camh", r"flows\[5\]\.to: unknown id 'camh'; did you mean 'camhs'\?"),
    ("from: northmoor-ed", "from: emergency-department",
     r"unknown id 'emergency-department'; did you mean 'northmoor-ed' \(named 'Northmoor "
     r"General emergency department'\)\?"),
]


@pytest.mark.parametrize("old, new, expected", EXAMPLES,
                         ids=[re.sub(r"\W+", "-", e[1])[:30] for e in EXAMPLES])
def test_each_mistake_gives_its_fix_in_one_line(area, old, new, expected):
    edit(area / "flows.yaml", old, new)
    line = one_error(area)
    assert line.startswith("error: ") and re.search(r"flows\.yaml:\d+: ", line), line
    assert re.search(expected, line), line


def test_a_not_modelled_entry_needs_one_subject(area):
    (area / "not_modelled.yaml").write_text(
        "not_modelled:\n  - why: nothing passes here\n", encoding="utf-8")
    line = one_error(area)
    assert re.search(r"not_modelled\.yaml:2: not_modelled\[0\]: give exactly one of paragraph, "
                     r"party or recommendation", line), line


def test_validate_inside_an_area_folder_checks_that_folder(area, monkeypatch):
    monkeypatch.chdir(area)
    assert model_dir() == area
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Northmoor: model is valid")
    edit(area / "flows.yaml", "to: camhs", "to: camh")
    assert "unknown id 'camh'" in one_error(area)


def test_outside_an_area_folder_the_bundled_model_is_used(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert model_dir().name == "sefton"
