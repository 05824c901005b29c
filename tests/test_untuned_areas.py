"""Areas modelled by hand from reports no one tuned the drafting rules to.

Each area in tests/fixtures/areas whose untuned drafts are kept in
tests/fixtures/drafts-untuned/ is the yardstick the drafting rules are
measured and tuned on (benchmarks/bench_drafts.py), and one of the areas
``compare`` reads. So each must be finished, as ``validate --strict`` and
``todo`` see it, with its problems declared and a national role on every party
a flow touches (areas compare by role, not name); and its kept drafts must
still be the ones ``new`` wrote from its report.
"""

from __future__ import annotations

import pytest

from graphmodel.authoring.worklist import worklist
from graphmodel.model.checks import paragraph_texts
from graphmodel.model.load import load_area
from graphmodel.model.yamlread import load_yaml
from graphmodel.names import fold

from conftest import FIXTURES

KEPT = FIXTURES / "drafts-untuned"
UNTUNED = sorted(p.name.removesuffix(".drafts.yaml") for p in KEPT.glob("*.drafts.yaml"))


def test_the_untuned_areas_are_here():
    assert {"wexmoor", "fenmarsh", "kestrelshire", "brindleford"} <= set(UNTUNED)


@pytest.mark.parametrize("name", UNTUNED)
def test_an_untuned_area_is_finished(name):
    model = load_area(FIXTURES / "areas" / name)
    assert len(model.findings) >= 60 and len(model.flows) >= 50
    assert model.declared_problems
    assert not model.problems, [str(p) for p in model.problems]  # validate --strict
    assert not model.drafts  # they are kept apart, unreviewed
    assert not [r for r in worklist(model) if r["action"]]


@pytest.mark.parametrize("name", UNTUNED)
def test_every_party_on_a_flow_has_a_national_role(name):
    """Why: areas are compared by role ("front_door"), not by their local names."""
    model = load_area(FIXTURES / "areas" / name)
    ends = {pid for f in model.flows for pid in (f.from_, f.to)}
    assert sorted(p for p in ends if not model.parties[p].item.role) == []


@pytest.mark.parametrize("name", UNTUNED)
def test_its_kept_drafts_quote_its_report(name):
    model = load_area(FIXTURES / "areas" / name)
    texts = paragraph_texts(model.findings, model.extraction)
    drafts = load_yaml(KEPT / f"{name}.drafts.yaml", f"{name}.drafts.yaml")["drafts"]
    assert drafts
    for draft in drafts:
        [evidence] = draft["evidence"]
        assert fold(evidence["quote"]) in texts[evidence["paragraph"]], draft["id"]
