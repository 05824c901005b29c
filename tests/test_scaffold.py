"""graphmodel new: a working area folder from a report, on Sefton and on reports it never saw."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graphmodel import vocab
from graphmodel.authoring import bodies
from graphmodel.authoring.new_area import new_area, propose
from graphmodel.cli import app
from graphmodel.errors import UsageError
from graphmodel.model.load import load_area

from conftest import FIXTURES, SEFTON

runner = CliRunner()
EASTBAY = FIXTURES / "reports" / "eastbay.txt"


@pytest.fixture(scope="module")
def sefton_new(tmp_path_factory):
    folder = tmp_path_factory.mktemp("new") / "sefton"
    proposal = new_area(folder, SEFTON / "report.txt")
    return folder, proposal, load_area(folder)


def test_new_sefton_validates_and_every_owner_resolves(sefton_new):
    folder, proposal, model = sefton_new
    assert model.area.name == "Sefton" and model.area.id == "sefton"
    assert len(model.recommendations) == 49
    assert all(model.owners[r] for r in model.recommendations)
    assert model.submitters  # the Next steps' addressees resolve too
    for name in {o for r in model.recommendations.values() for o in r.owners}:
        assert model.names.resolve(name), name


def test_new_folds_variants_and_keeps_bracketed_abbreviations(sefton_new):
    _, _, model = sefton_new
    nwbh = model.names.resolve("North West Boroughs Healthcare NHS Foundation Trust")
    assert nwbh == model.names.resolve("North West Boroughs NHS Foundation Trust")
    assert model.names.resolve("SSCCG") == model.names.resolve("NHS South Sefton CCG")
    assert model.names.resolve("CAMHS")
    kinds = {p.item.name: getattr(p.item, "kind", None) for p in model.parties.values()}
    assert kinds["NHS South Sefton CCG"] == "commissioner"
    assert kinds["Mersey Care NHS Foundation Trust"] == "nhs_provider"
    assert kinds["Addaction"] == "voluntary_provider"
    assert kinds["Sefton Council public health team"] == "local_authority_function"


def test_new_proposes_services_from_the_context_with_quotes(sefton_new):
    _, _, model = sefton_new
    services = {s.id: s for s in model.of_kind("service")}
    camhs = next(s for s in services.values() if "CAMHS" in s.aliases)
    assert camhs.commissioners and camhs.evidence[0].paragraph == "context"
    sub = [s for s in services.values() if s.subcontracted_from]
    assert sub and model.parties[sub[0].subcontracted_from].item.name.startswith("Mersey Care")
    assert model.names.resolve("health visitors")  # practitioners name their service


def test_new_writes_every_file_with_a_working_schema_path(sefton_new):
    folder, _, _ = sefton_new
    assert (folder / "graphmodel.schema.json").is_file()
    for name in ("area", "organisations", "services", "forums", "sites", "groups", "systems",
                 "flows", "drafts", "not_modelled", "actions", "extracted"):
        text = (folder / f"{name}.yaml").read_text(encoding="utf-8")
        assert text.startswith("# yaml-language-server: $schema=graphmodel.schema.json\n")
        assert text.splitlines()[1].startswith("# "), name  # says what goes in it


def test_new_proposes_a_role_for_each_party_marked_as_proposed(sefton_new):
    folder, _, model = sefton_new
    roles = {p.item.name: p.item.role for p in model.parties.values()}
    assert roles["Multi-Agency Safeguarding Hub"] == "front_door"
    assert roles["NHS South Sefton CCG"] == "commissioner"
    assert roles["Sefton Council public health team"] == "public_health"
    assert sum(bool(r) for r in roles.values()) >= 0.9 * len(roles)
    lines = [ln for f in folder.glob("*.yaml") for ln in f.read_text("utf-8").splitlines()
             if ln.strip().startswith("role:")]
    assert lines and all(re.search(r"  # proposed from .+: check it$", ln) for ln in lines)


@pytest.mark.parametrize("names, kind, role", [
    (["Children's Advice and Duty Service"], "hub", "front_door"),
    (["Single Point of Access"], "process", "front_door"),
    (["Integrated front door"], "hub", "front_door"),
    (["Health visiting"], "service", "health_visiting"),
    (["0-19 public health nursing service"], "service", "public_health_nursing"),
    (["Kestrel Healthcare CIC"], "voluntary_provider", "health_provider"),  # not a LAC team
    (["Turning Tide", "young people's substance misuse services"], "service",
     "young_peoples_substance_misuse"),
    (["Emergency, maternity and paediatric services"], "service", "acute_hospital"),
    (["Westmoor NHS Trust"], "nhs_provider", "health_provider"),
    (["Ofsted"], "regulator", None),
])
def test_propose_role_from_names_then_kind(names, kind, role):
    found = vocab.propose_role(names, kind)
    assert (found[0] if found else None) == role


def test_proposed_roles_agree_with_the_modellers(sefton_model):
    """The proposer against the roles Sefton's modeller chose by hand."""
    chosen = {p: x.item.role for p, x in sefton_model.parties.items() if x.item.role}
    proposed = {p: vocab.propose_role([x.item.name, *x.item.aliases],
                                      getattr(x.item, "kind", None) if x.kind == "organisation"
                                      else x.kind)
                for p, x in sefton_model.parties.items() if p in chosen}
    agree = [p for p in chosen if proposed[p] and proposed[p][0] == chosen[p]]
    assert len(agree) >= 0.9 * len(chosen), set(chosen) - set(agree)


def test_new_refuses_a_folder_that_holds_anything(tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(UsageError, match="is not empty"):
        new_area(tmp_path, SEFTON / "report.txt")
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_new_on_a_report_with_other_names(tmp_path):
    new_area(tmp_path / "eb", EASTBAY, "Eastbay")
    model = load_area(tmp_path / "eb")
    assert model.names.resolve("SAH") == model.names.resolve("St. Anne’s Hospice")
    assert model.names.resolve("Eastbay ICB")
    assert model.parties[model.area.public_health_owner].kind == "organisation"


def test_new_cli_prints_what_it_made_and_what_next(tmp_path):
    result = runner.invoke(app, ["new", str(tmp_path / "a"), "--report", str(EASTBAY)])
    assert result.exit_code == 0, result.output
    assert "organisations.yaml" in result.output and "drafts.yaml" in result.output
    assert "passes 'graphmodel validate'" in result.output
    assert "graphmodel todo" in result.output
    again = runner.invoke(app, ["new", str(tmp_path / "a"), "--report", str(EASTBAY)])
    assert again.exit_code == 2 and again.stderr.count("\n") == 1


@pytest.mark.parametrize("text, expected", [
    ("provided by Southport and Ormskirk Hospitals NHS Trust at the hospital",
     ["Southport and Ormskirk Hospitals NHS Trust"]),
    ("Alder Hey Children’s NHS Foundation Trust and Liverpool Women’s NHS Foundation Trust.",
     ["Alder Hey Children’s NHS Foundation Trust", "Liverpool Women’s NHS Foundation Trust"]),
    ("The Trust and the CCG agreed.", []),
    ("carried out by NHS Pennine CCG (PCCG) and Kirkdale Borough Council.",
     ["NHS Pennine CCG", "Kirkdale Borough Council"]),
])
def test_find_bodies(text, expected):
    assert [n for n, _, _ in bodies.find_bodies(text)] == expected


def test_body_keys_fold_variants_but_not_kinds():
    assert bodies.body_key("Southport and Ormskirk Hospitals NHS Trust") == \
        bodies.body_key("Southport and Ormskirk NHS Foundation Trust")
    assert bodies.body_key("Sefton Council") != bodies.body_key("Sefton CCG")


def test_service_lines_follow_pronouns_and_subcontracts():
    context = ("The children in care nursing service is commissioned by NHS Aire CCG. It is "
               "provided by Dale NHS Trust through sub-contracting arrangements from Fell NHS "
               "Trust. Young people’s substance misuse services known as ‘Aire Stars’ are "
               "commissioned by Aire Council’s public health team, and provided by Cliffside.")
    lines = bodies.service_lines(context)
    assert [(s.name, s.providers, s.subcontracted_from) for s in lines] == [
        ("Children in care nursing service", ["Dale NHS Trust"], "Fell NHS Trust"),
        ("Young people's substance misuse services", ["Cliffside"], None)]
    assert lines[1].aliases == ["Aire Stars"]
    assert len(lines[0].quotes) == 2


def test_area_name_from_the_report():
    text = SEFTON.joinpath("report.txt").read_text(encoding="utf-8")
    proposal = propose(text, Path("x"))
    assert proposal.name == "Sefton"
    assert re.fullmatch(r"[a-z0-9-]+", proposal.public_health_owner)
