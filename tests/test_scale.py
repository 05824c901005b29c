"""What makes England-sized models fast must not change a single answer.

The benchmark (benchmarks/bench_scale.py) prints the times; these tests pin
that the faster paths give what the slower ones gave: the same warnings, the
same betweenness, and a synthetic England that is really as big as it says.
"""

from __future__ import annotations

import importlib.util
import re

import pytest

from graphmodel import codebook
from graphmodel.errors import ModelError
from graphmodel.loader import load_area

from conftest import ROOT, SEFTON


def _synthetic():
    spec = importlib.util.spec_from_file_location("synthetic", ROOT / "benchmarks" / "synthetic.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- the codebook's name search --------------------------------------------------------------

@pytest.mark.parametrize("name, text", [
    ("camhs", "camhs staff said"), ("camhs", "the camhs-led clinic"), ("camhs", "xcamhs and"),
    ("camhs", "subcamhs then camhs."), ("camhs", "camhs_team"), ("camhs", "camhsé"),
    ("0-19 service", "the 0-19 service"), ("0-19 service", "a10-19 service"),
    ("alder hey (mersey)", "at alder hey (mersey)'s unit"), ("nhs", "nhs"), ("nhs", "nhsnhs"),
    ("gp", "gp's and gps"), ("sefton’s ccgs", "sefton’s ccgs agreed"),
])
def test_name_search_agrees_with_the_regular_expression_it_replaced(name, text):
    pattern = re.compile(r"(?<!\w)(?:" + re.escape(name) + r")(?!\w)")
    assert codebook.occurs_as_words(name, text) == bool(pattern.search(text))


def test_without_warnings_a_model_has_no_problems_but_errors_still_stop_it(area_copy):
    assert load_area(area_copy).problems  # the fixture has codebook warnings
    assert load_area(area_copy, warnings=False).problems == []
    flows = area_copy / "flows.yaml"
    text = flows.read_text(encoding="utf-8")
    # The return now goes the same way as its outward flow: the codebook's error.
    flows.write_text(text.replace("    from: northmoor-csc\n    to: gp-practices\n    passes: outcome",
                                  "    from: gp-practices\n    to: northmoor-csc\n    passes: outcome"),
                     encoding="utf-8")
    with pytest.raises(ModelError, match=r"return-direction"):
        load_area(area_copy, warnings=False)


# --- the synthetic England ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def x3(tmp_path_factory):
    return _synthetic().synthetic_model(3, tmp_path_factory.mktemp("x3"))


def test_synthetic_copies_write_their_evidence_out_in_full(x3):
    sefton_bytes = sum(p.stat().st_size for p in SEFTON.glob("*.yaml")
                       if p.name not in ("area.yaml", "extracted.yaml"))
    copy_bytes = sum(p.stat().st_size for p in x3.glob("*.yaml")
                     if p.name not in ("area.yaml", "extracted.yaml")) / 3
    assert 0.9 < copy_bytes / sefton_bytes < 1.25  # comments go, suffixes and bridges come
    for path in x3.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"(^|\s)[&*]id\d", text), f"{path.name} has YAML aliases"
    assert (x3 / "report.txt").read_bytes() == (SEFTON / "report.txt").read_bytes()


def test_synthetic_area_validates_with_every_copy_and_bridge(x3):
    sefton, model = load_area(SEFTON), load_area(x3)
    assert len(model.parties) == 3 * len(sefton.parties)
    bridges = 2 * max(1, len(sefton.flows) // 10)
    assert len(model.flows) == 3 * len(sefton.flows) + bridges
    copy2 = {f.id for f in model.flows if f.id.endswith("-2") and not f.id.startswith("bridge-")}
    assert copy2 == {f"{f.id}-2" for f in sefton.flows}
    assert model.owners == {r: [f"{o}-0" for o in owners] for r, owners in sefton.owners.items()}
