"""Shared fixtures: the real Sefton model and the small hand-made areas."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from backends import area_of, backend  # noqa: F401  (fixtures: each question on both backends)

# Fixtures are data and the scripts that made them (fixtures/reviews), not tests or doctests.
collect_ignore = ["fixtures"]

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEFTON = ROOT / "data" / "sefton"
NORTHMOOR = FIXTURES / "areas" / "northmoor"


@pytest.fixture(scope="session")
def sefton_model():
    from graphmodel.model.load import load_area
    return load_area(SEFTON)


@pytest.fixture(scope="session")
def sefton_graph(sefton_model):
    from graphmodel.questions.graph import build_graph
    return build_graph(sefton_model)


@pytest.fixture(scope="session")
def northmoor_graph():
    from graphmodel.model.load import load_area
    from graphmodel.questions.graph import build_graph
    return build_graph(load_area(NORTHMOOR))


@pytest.fixture
def area_copy(tmp_path):
    """A writable copy of the Northmoor area, to break on purpose."""
    target = tmp_path / "area"
    shutil.copytree(NORTHMOOR, target)
    return target


def edit(path, old, new):
    """Replace the first ``old`` in a fixture file copy; fail if the edit no longer applies."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture edit not applicable: {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="Rewrite the golden files (tests/golden/) from the current output "
                          "instead of comparing with them (scripts/regenerate does this).")


@pytest.fixture
def update_golden(request) -> bool:
    return request.config.getoption("--update-golden")
