"""Loading and checking area models: the real one, and broken copies of a small one.

Each broken case pairs one edit to a valid model with the one-line error it
must give (file, line, field, what is wrong).
"""

from __future__ import annotations

import re

import pytest

from graphmodel.errors import ModelError
from graphmodel.model.load import load_area

from conftest import SEFTON, edit


def test_sefton_loads_and_resolves_the_misnamed_ccg(sefton_model):
    m = sefton_model
    assert len(m.recommendations) == 49 and len(m.findings) == 145
    assert m.owners["3.1"][:2] == ["south-sefton-ccg", "southport-formby-ccg"]
    assert "nhs-sefton-and-formby-ccg" not in m.parties
    assert m.names.resolve("North West Boroughs NHS Trust") == ["nwbh"]
    assert m.names.resolve("the CCGs") == ["south-sefton-ccg", "southport-formby-ccg"]


def test_next_steps_submitters_resolve_like_owners(sefton_model, sefton_graph, area_copy):
    # "NHS Sefton and Formby CCG" is the report's slip for NHS Southport and Formby CCG.
    assert sefton_model.next_steps.submitters[1] == "NHS Sefton and Formby CCG"
    assert sefton_model.submitters == ["south-sefton-ccg", "southport-formby-ccg"]
    assert sefton_graph.graph["submitters"] == ["south-sefton-ccg", "southport-formby-ccg"]
    assert sefton_graph.graph["next_steps"]["working_days"] == 20
    assert sefton_graph.graph["next_steps"]["to"] == "CQC"
    assert load_area(area_copy).submitters == ["northmoor-ccg"]


def test_every_recommendation_has_owners(sefton_model):
    assert all(sefton_model.owners[r] for r in sefton_model.recommendations)


def test_northmoor_loads(area_copy):
    m = load_area(area_copy)
    assert len(m.flows) == 9 and len(m.of_kind("organisation")) == 7



BROKEN = [
    ("flows.yaml", "to: northmoor-csc\n    passes: referral\n    status: working\n    expects",
     "to: northmoor-cs\n    passes: referral\n    status: working\n    expects",
     r"flows\.yaml:4: flows\[0\]\.to: unknown id 'northmoor-cs'; did you mean 'northmoor-csc'"),
    ("flows.yaml", "status: absent\n    returns: gp-referral",
     "status: missing\n    returns: gp-referral",
     r"flows\.yaml:\d+: flows\[1\]\.status: 'missing' is not one of: 'working', "),
    ("flows.yaml", "returns: gp-referral", "returns: gp-referal",
     r"flows\.yaml:\d+: flows\[1\]\.returns: returns 'gp-referal', which is not another flow"),
    ("flows.yaml", "quote: feedback is received", "quote: feedback is always received",
     r"flows\.yaml:\d+: flows\[8\]\.evidence\[0\]\.quote: quote not found in paragraph 2\.2"),
    ("flows.yaml", 'paragraph: "1.2"', 'paragraph: "1.99"',
     r"flows\.yaml:\d+: flows\[2\]\.evidence\[0\]\.paragraph: paragraph '1\.99' is not in the report"),
    ("flows.yaml", "id: hv-gp-information", "id: gp-referral",
     r"flows\.yaml:\d+: flows\[2\]\.id: duplicate id 'gp-referral' \(first defined at .*flows\.yaml:2\)"),
    ("flows.yaml", "    passes: information\n    status: working",
     "    passes: information\n    colour: red\n    status: working",
     r"flows\.yaml:\d+: flows\[2\]\.colour: unknown field"),
    ("flows.yaml", "    summary: GPs refer to children's social care in good time.\n", "",
     r"flows\.yaml:2: flows\[0\]\.summary: required field is missing"),
    ("flows.yaml", "  - id: csc-outcome-to-gp", "  - id: CSC outcome",
     r"flows\.yaml:\d+: flows\[1\]\.id: 'CSC outcome' is not a kebab-case id"),
    ("flows.yaml", "flows:\n", "flows:\n  - [unclosed\n",
     r"flows\.yaml:\d+: malformed YAML"),
    ("parties.yaml", "    kind: nhs_provider\n", "    kind: nhs_provider\n    kind: commissioner\n",
     r"parties\.yaml:\d+: organisations\[4\]\.kind: duplicate key 'kind' \(first on line \d+\); keep one"),
    ("parties.yaml", "provider: brightpath", "provider: northmoor-general",
     r"parties\.yaml:\d+: services\[2\]\.provider: 'northmoor-general' is a site, not an organisation"),
    ("parties.yaml", "aliases: [GPs]", "aliases: [GPs, NCCG]",
     r"parties\.yaml:\d+: gp-practices\.aliases: name 'NCCG' already names northmoor-ccg"),
    ("parties.yaml", "name: Westshire and Dale Partnership NHS Foundation Trust",
     "name: Westshire Partnership Trust",
     r"extracted\.yaml:\d+: recommendations\[2\]\.owners\[0\]: 'Westshire and Dale "
     r"Partnership NHS Foundation Trust' names no organisation"),
    ("area.yaml", "public_health_owner: northmoor-public-health", "public_health_owner: public-health",
     r"area\.yaml:4: area\.public_health_owner: unknown id 'public-health'"),
    ("extracted.yaml", "Agree an information sharing protocol.", "Agree a protocol.",
     r"extracted\.yaml: out of date with report\.txt: regenerate it"),
]


@pytest.mark.parametrize("file, old, new, expected", BROKEN,
                         ids=[re.sub(r"\W+", "-", b[3][:40]) for b in BROKEN])
def test_broken_models_give_one_clear_line(area_copy, file, old, new, expected):
    edit(area_copy / file, old, new)
    with pytest.raises(ModelError) as err:
        load_area(area_copy)
    lines = str(err.value).splitlines()
    assert any(re.search(expected, line) for line in lines), lines
    assert all(re.match(r"^\S+\.(yaml|txt)(:\d+)?: ", line) for line in lines), lines


def test_all_problems_of_a_model_are_reported_together(area_copy):
    edit(area_copy / "flows.yaml", "from: gp-practices", "from: gp-practice")
    edit(area_copy / "flows.yaml", "from: health-visiting", "from: health-visitng")
    with pytest.raises(ModelError) as err:
        load_area(area_copy)
    assert len(str(err.value).splitlines()) == 2


def test_missing_folder_and_missing_report(tmp_path, area_copy):
    with pytest.raises(ModelError, match="model folder not found"):
        load_area(tmp_path / "nowhere")
    (area_copy / "report.txt").unlink()
    with pytest.raises(ModelError, match="report file not found"):
        load_area(area_copy)


def test_sefton_quotes_really_occur():
    """Every quote in the bundled model's files is in the paragraph it cites, in the report.

    Read independently of the loader: the YAML with PyYAML, the paragraphs from the
    report's text, each compared with whitespace and quote marks folded.
    """
    import yaml

    from graphmodel.model.report import extract_report, read_report
    from graphmodel.names import fold

    extraction = extract_report(read_report(SEFTON / "report.txt"))
    texts = {f.id: fold(f.text) for f in extraction.findings}
    texts["context"] = fold(extraction.context or "")
    texts.update({k: fold(v) for k, v in extraction.cases.items()})
    quotes = []
    for path in sorted(SEFTON.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for items in data.values():
            for item in items if isinstance(items, list) else []:
                for ev in item.get("evidence", []) if isinstance(item, dict) else []:
                    quotes.append((path.name, item.get("id"), ev["paragraph"], ev["quote"]))
    assert len(quotes) > 150
    missing = [q for q in quotes if fold(q[3]) not in texts.get(q[2], "")]
    assert missing == []


def test_model_files_satisfy_the_committed_json_schema():
    """What editors check as people type agrees with the loader on the real files."""
    import json

    import jsonschema
    from ruamel.yaml import YAML

    schema = json.loads((SEFTON.parent / "graphmodel.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    for path in sorted(SEFTON.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert text.startswith("# yaml-language-server: $schema=../graphmodel.schema.json")
        errors = list(validator.iter_errors(YAML(typ="safe").load(text)))
        assert not errors, f"{path.name}: {errors[0].message}"
    bad = {"flows": [{"id": "x-y", "from": "a", "to": "b", "passes": "referral",
                      "status": "lost", "summary": "s"}]}
    assert list(validator.iter_errors(bad))
