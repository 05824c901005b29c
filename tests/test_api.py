"""The library does what the command line does: every command, run both ways, gives the same.

Each command runs through the CLI (``--format json`` where it has one, else
the file it writes or the counts it prints) and through ``graphmodel``'s
API with the same options as keyword arguments, and the results are
compared. The API's GraphML and GEXF are well-formed XML for hostile names.
"""

from __future__ import annotations

import json
import os
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

import graphmodel
from graphmodel import api, vocab
from graphmodel.cli import app
from graphmodel.errors import UsageError

from conftest import NORTHMOOR, SEFTON
from hostile import hostile_area

runner = CliRunner()


def cli(*args, code: int = 0):
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == code, result.output
    return result


def cli_json(*args):
    return json.loads(cli(*args, "--format", "json").stdout)


@pytest.fixture(scope="module")
def northmoor():
    return graphmodel.open_area(NORTHMOOR)


@pytest.fixture(scope="module")
def sefton():
    return graphmodel.open_area(SEFTON)


# --- the questions: the CLI's --format json is the API's rows ----------------------------------

QUESTIONS = [  # (CLI arguments, the Area method and its keyword arguments)
    (["gaps"], "gaps", {}),
    (["gaps", "--org", "GPs", "--status", "absent", "--status", "inconsistent"],
     "gaps", {"org": "GPs", "statuses": ["absent", "inconsistent"]}),
    (["gaps", "--loops-only"], "gaps", {"loops_only": True}),
    (["gaps", "--assume-done", "1.2,3.1"], "gaps", {"assume_done": "1.2,3.1"}),
    (["gaps", "--assume-done", "1.2", "--assume-done", "3.1"], "gaps",
     {"assume_done": ["1.2", "3.1"]}),
    (["gaps", "--assume-done", "all"], "gaps", {"assume_done": "all"}),
    (["owners"], "owners", {}),
    (["owners", "1.1", "3.1"], "owners", {"recommendations": ["1.1", "3.1"]}),
    (["owners", "--org", "NCCG"], "owners", {"org": "NCCG"}),
    (["coverage"], "coverage", {}),
    (["coverage", "--kind", "finding_without_recommendation"], "coverage",
     {"kind": "finding_without_recommendation"}),
    (["party", "MASH"], "party", {"name": "MASH"}),
    (["path", "GPs", "children's social care"], "path",
     {"source": "GPs", "target": "children's social care"}),
    (["commissioning"], "commissioning", {}),
    (["commissioning", "--provider", "Brightpath"], "commissioning", {"provider": "Brightpath"}),
    (["commissioning", "--commissioner", "NCCG", "--service", "CAMHS"], "commissioning",
     {"commissioner": "NCCG", "service": "CAMHS"}),
    (["hotspots"], "hotspots", {}),
    (["gaps", "--sensitivity"], "sensitivity", {}),
]


@pytest.mark.parametrize("args,method,options", QUESTIONS,
                         ids=[" ".join(q[0]) for q in QUESTIONS])
def test_every_question_answers_the_same_from_the_cli_and_the_api(northmoor, args, method,
                                                                  options):
    rows = getattr(northmoor, method)(**options)
    assert rows, "a comparison of two empty answers proves nothing"
    assert cli_json(*args, "--model", NORTHMOOR) == json.loads(json.dumps(rows))


SEFTON_QUESTIONS = [
    (["owners", "--uncited"], "owners", {"uncited": True}),
    (["coverage", "--kind", "recommendation_without_finding"], "coverage",
     {"kind": "recommendation_without_finding"}),
    (["path", "GP practices", "MASH"], "path", {"source": "GP practices", "target": "MASH"}),
    (["commissioning", "--provider", "Alder Hey"], "commissioning", {"provider": "Alder Hey"}),
]


@pytest.mark.parametrize("args,method,options", SEFTON_QUESTIONS,
                         ids=[" ".join(q[0]) for q in SEFTON_QUESTIONS])
def test_sefton_answers_the_same_from_the_cli_and_the_api(sefton, args, method, options):
    rows = getattr(sefton, method)(**options)
    assert rows, "a comparison of two empty answers proves nothing"
    assert cli_json(*args, "--model", SEFTON) == json.loads(json.dumps(rows))


def test_filters_really_filter(northmoor, sefton):
    every = sefton.owners()
    uncited = sefton.owners(uncited=True)
    assert uncited and len(uncited) < len(every) and all(not r["findings"] for r in uncited)
    kinds = {r["kind"] for r in sefton.coverage(kind="recommendation_without_finding")}
    assert kinds == {"recommendation_without_finding"}
    brightpath = northmoor.resolve("Brightpath")
    rows = northmoor.commissioning(provider="Brightpath")
    assert rows and len(rows) < len(northmoor.commissioning())
    assert all(brightpath in (r["provider"]["id"], (r.get("subcontracted_from") or {}).get("id"))
               for r in rows)


def test_sefton_gaps_and_fail_on_agree(sefton):
    rows = sefton.gaps()
    assert cli_json("gaps", "--model", SEFTON) == json.loads(json.dumps(rows))
    for severity in vocab.SEVERITIES:
        trips = api.fails_on(rows, severity)
        code = 1 if trips else 0
        cli("gaps", "--model", SEFTON, "--fail-on", severity, "-f", "json", code=code)
    assert api.fails_on(rows, "critical") and not api.fails_on([], "medium")
    assert not api.fails_on([{"severity": "medium"}], "high")


def test_assume_done_takes_a_string_a_list_or_all(sefton):
    every = sefton.gaps()
    assert sefton.gaps(assume_done="1.5,12.1") == sefton.gaps(assume_done=["1.5", "12.1"])
    assert len(sefton.gaps(assume_done="1.5,12.1")) < len(every)
    assert sefton.gaps(assume_done="all") == [g for g in every if not g["recommendations"]]


# --- pictures: the file the CLI writes is the API's content ---------------------------------

@pytest.mark.parametrize("view", ["system", "gaps", "party:CAMHS", "recommendation:1.1"])
def test_map_writes_what_the_api_draws(northmoor, tmp_path, view):
    out = tmp_path / "map.html"
    cli("map", "--view", view, "--model", NORTHMOOR, "--out", out)
    assert out.read_text(encoding="utf-8") == northmoor.map(view)
    assert northmoor.filename(view) == \
        {"system": "northmoor-system.html", "gaps": "northmoor-gaps.html",
         "party:CAMHS": "northmoor-party-camhs.html",
         "recommendation:1.1": "northmoor-recommendation-1.1.html"}[view]


@pytest.mark.parametrize("fmt", list(vocab.EXPORT_FORMATS))
def test_export_writes_what_the_api_exports(northmoor, tmp_path, monkeypatch, fmt):
    monkeypatch.chdir(tmp_path)
    written = Path(cli("export", "--to", fmt, "--view", "gaps", "--model", NORTHMOOR)
                   .stdout.strip())
    content = northmoor.export("gaps", fmt)
    assert written.name == northmoor.filename("gaps", fmt)
    expected = content if isinstance(content, bytes) else content.encode("utf-8")
    assert written.read_bytes() == expected
    assert northmoor.export(northmoor.view("gaps"), fmt) == content  # a View, or its name


def test_a_view_is_checked_against_the_area(northmoor):
    view = northmoor.view("party:CAMHS")
    assert (view.name, view.target) == ("party", "camhs")
    with pytest.raises(UsageError) as raised:
        northmoor.view("party:nobody")
    assert str(raised.value).startswith("view party: 'nobody' names nothing in Northmoor")
    with pytest.raises(UsageError, match=r"^view 'recommendation:99.9': no recommendation"):
        northmoor.view("recommendation:99.9")
    with pytest.raises(UsageError, match=r"^format 'pdf': choose graphml, gexf"):
        northmoor.export("gaps", "pdf")


# --- XML for hostile names ----------------------------------------------------------------

NONCHARACTERS = "\ufffe\uffff\ufdd0\ufdd7\ufdef\U0001fffe\U0010ffff"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """The hostile Northmoor, one name also holding XML's forbidden non-characters."""
    folder = hostile_area(tmp_path_factory.mktemp("hostile") / "area")
    parties = folder / "parties.yaml"
    data = yaml.safe_load(parties.read_text(encoding="utf-8"))
    for section in data.values():
        for party in section:
            if party["id"] == "westshire-dale":
                party["name"] = f"Westshire {NONCHARACTERS} Dale \x07\x1b[2J\x00"
    parties.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                       encoding="utf-8")
    return graphmodel.open_area(folder)


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
@pytest.mark.parametrize("view", ["system", "gaps", "commissioning", "party:westshire-dale"])
def test_the_apis_xml_is_well_formed_for_hostile_names(hostile, fmt, view):
    text = hostile.export(view, fmt)
    ET.fromstring(text.encode("utf-8"))  # raises on anything XML 1.0 forbids
    assert not any(ch in text for ch in NONCHARACTERS + "\x07\x1b\x00")
    if view != "gaps":  # the label keeps the name readable, its controls spelled out
        assert "Westshire \\ufffe\\uffff\\ufdd0" in text and "Dale \\x07\\x1b[2J" in text


# --- the action plan --------------------------------------------------------------------

def test_plan_in_every_format_is_the_apis(northmoor, tmp_path):
    assert cli_json("plan", "--model", NORTHMOOR, "--received", "2019-04-15") == \
        json.loads(json.dumps(northmoor.plan(received="2019-04-15")))
    by_owner = northmoor.plan(org="NCCG", by="owner", received="15/04/2019")
    assert cli_json("plan", "--model", NORTHMOOR, "--org", "NCCG", "--by", "owner",
                    "--received", "15/04/2019") == json.loads(json.dumps(by_owner))
    for fmt in ("csv", "markdown"):
        printed = cli("plan", "--model", NORTHMOOR, "--received", "2019-04-15", "-f", fmt)
        assert printed.stdout == northmoor.plan(received="2019-04-15", format=fmt)
    book = tmp_path / "plan.xlsx"
    cli("plan", "--model", NORTHMOOR, "--out", book)
    assert zip_parts(book.read_bytes()) == zip_parts(northmoor.plan(format="xlsx"))


def zip_parts(data: bytes) -> dict[str, bytes]:
    """A workbook's parts, less the times openpyxl stamps on it."""
    import io
    import re
    import zipfile
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: re.sub(rb"<dcterms:(created|modified)[^<]*</dcterms:\w+>", b"",
                             archive.read(name)) for name in archive.namelist()}


def filled_workbook(area) -> bytes:
    from test_plan_import import FILLED, fill
    return fill(area.plan(received="2019-04-15", format="xlsx"), FILLED)


def test_plan_import_writes_what_the_api_writes(tmp_path):
    by_cli, by_api = (shutil.copytree(NORTHMOOR, tmp_path / name) for name in ("cli", "api"))
    book = tmp_path / "plan.xlsx"
    book.write_bytes(filled_workbook(graphmodel.open_area(by_cli)))
    checked = cli("plan", "import", book, "--model", by_cli, "--check")
    assert "would change" in checked.stdout and not (by_cli / "actions.yaml").exists()
    preview = graphmodel.open_area(by_api).import_plan(book, check=True)
    assert preview.changed and not preview.written and not (by_api / "actions.yaml").exists()
    cli("plan", "import", book, "--model", by_cli)
    done = graphmodel.open_area(by_api).import_plan(book.read_bytes())
    assert done.written and done.actions == 3
    assert (by_api / "actions.yaml").read_text(encoding="utf-8") == \
        (by_cli / "actions.yaml").read_text(encoding="utf-8")
    again = graphmodel.open_area(by_api).import_plan(book)
    assert not again.changed and not again.written


def test_plan_import_writes_nothing_unless_the_model_still_loads(tmp_path):
    from test_plan_import import fill
    folder = shutil.copytree(NORTHMOOR, tmp_path / "area")
    area = graphmodel.open_area(folder)
    flows = folder / "flows.yaml"
    book = fill(area.plan(format="xlsx"), {"1.2": {"Action": "Outcome letters",
                                                  "Flows it fixes": "csc-outcome-to-gp"}})
    flows.write_text(flows.read_text(encoding="utf-8").replace(
        "id: csc-outcome-to-gp", "id: csc-outcome-to-gp-renamed"), encoding="utf-8")
    with pytest.raises(graphmodel.ModelError):
        area.import_plan(book)  # the open area still knows the flow; the files do not
    assert not (folder / "actions.yaml").exists()


def test_progress_is_the_apis(tmp_path):
    folder = shutil.copytree(NORTHMOOR, tmp_path / "area")
    graphmodel.open_area(folder).import_plan(filled_workbook(graphmodel.open_area(folder)))
    area = graphmodel.open_area(folder)
    state = area.progress(as_of="2019-06-01")
    assert state["summary"]["actions"] == 3
    assert cli_json("progress", "--model", folder, "--as-of", "2019-06-01") == \
        json.loads(json.dumps(state))
    assert area.progress("01/06/2019") == state
    code = 1 if state["overdue"] else 0
    cli("progress", "--model", folder, "--as-of", "2019-06-01", "--fail-on", "overdue",
        code=code)


def test_diff_is_the_apis(tmp_path):
    new = shutil.copytree(NORTHMOOR, tmp_path / "new")
    flows = new / "flows.yaml"
    flows.write_text(flows.read_text(encoding="utf-8").replace(
        "status: absent", "status: delayed", 1), encoding="utf-8")
    rows = api.diff(NORTHMOOR, new)
    assert rows
    assert cli_json("diff", NORTHMOOR, new) == json.loads(json.dumps(rows))
    with pytest.raises(UsageError, match="give two model folders"):
        api.diff(NORTHMOOR)


# --- the model itself ---------------------------------------------------------------------

def test_todo_is_the_apis(northmoor):
    listed = graphmodel.api.todo(NORTHMOOR)
    every = northmoor.todo(explained=True)
    assert cli_json("todo", "--model", NORTHMOOR) == json.loads(json.dumps(listed.rows))
    assert cli_json("todo", "--model", NORTHMOOR, "--explained") == \
        json.loads(json.dumps(every.rows))
    assert len(every.rows) == len(listed.rows) + listed.explained


@pytest.mark.parametrize("folder", [SEFTON, NORTHMOOR], ids=["sefton", "northmoor"])
def test_validate_prints_the_apis_counts(folder):
    v = graphmodel.open_area(folder).validate()
    printed = cli("validate", "--model", folder).stdout
    assert f"{v.area}: model is valid" in printed
    for section, count in v.parties.items():
        assert f"  {section:<15} {count}\n" in printed
    assert f"  flows           {sum(v.flows.values())} (" in printed
    assert f"  findings        {v.findings} ({v.recommendation_links} recommendation " \
           f"links, {v.public_health} referred to public health)" in printed
    assert f"  recommendations {v.recommendations} in {v.groups} groups" in printed


def test_validate_strict_fails_on_codebook_warnings(area_copy):
    flows = area_copy / "flows.yaml"
    flows.write_text(flows.read_text(encoding="utf-8").replace(
        "status: absent", "status: working", 1), encoding="utf-8")
    loose, strict = api.validate(area_copy), api.validate(area_copy, strict=True)
    assert loose.problems and loose.passed and not strict.passed
    cli("validate", "--model", area_copy, "--strict", code=1)
    assert len(loose.warnings) >= loose.problems


def test_drafts_and_new_are_the_apis(tmp_path):
    report = Path(__file__).parent / "fixtures" / "reports" / "harbourside.txt"
    cli("new", tmp_path / "by-cli", "--report", report)
    proposal, model = api.new_area(tmp_path / "by-api", report)
    assert model.drafts and proposal.drafts
    for name in os.listdir(tmp_path / "by-cli"):
        assert (tmp_path / "by-cli" / name).read_bytes() == \
            (tmp_path / "by-api" / name).read_bytes(), name
    ids = [d.id for d in proposal.drafts[:2]]
    cli("drafts", "accept", ids[0], "--model", tmp_path / "by-cli")
    cli("drafts", "reject", ids[1], "--model", tmp_path / "by-cli")
    assert api.move_drafts([ids[0]], tmp_path / "by-api")[0] == [ids[0]]
    assert api.move_drafts([ids[1]], tmp_path / "by-api", accept=False)[0] == [ids[1]]
    for name in ("flows.yaml", "drafts.yaml"):
        assert (tmp_path / "by-cli" / name).read_bytes() == \
            (tmp_path / "by-api" / name).read_bytes(), name


# --- errors name the keyword in the library, the flag on the command line -----------------

@pytest.mark.parametrize("call,args,library,typed", [
    (lambda a: a.gaps(org="Nobody"), ["gaps", "--org", "Nobody"], "org 'Nobody'", "--org 'Nobody'"),
    (lambda a: a.gaps(statuses=["fine"]), ["gaps", "--status", "fine"], "statuses 'fine'",
     "--status 'fine'"),
    (lambda a: a.gaps(assume_done="9.9"), ["gaps", "--assume-done", "9.9"],
     "assume_done '9.9'", "--assume-done '9.9'"),
    (lambda a: a.coverage(kind="x"), ["coverage", "--kind", "x"], "kind 'x'", "--kind 'x'"),
    (lambda a: a.commissioning(provider="nobody"), ["commissioning", "--provider", "nobody"],
     "provider 'nobody'", "--provider 'nobody'"),
    (lambda a: a.path("camhs", "nobody"), ["path", "camhs", "nobody"], "target 'nobody'",
     "TO 'nobody'"),
    (lambda a: a.party("nobody"), ["party", "nobody"], "name 'nobody'", "NAME 'nobody'"),
    (lambda a: a.plan(received="soon"), ["plan", "--received", "soon"], "received 'soon'",
     "--received 'soon'"),
    (lambda a: a.progress(as_of="2024-13-45"), ["progress", "--as-of", "2024-13-45"],
     "as_of '2024-13-45'", "--as-of '2024-13-45'"),
    (lambda a: a.export("gaps", "pdf"), ["export", "--to", "pdf"], "format 'pdf'",
     "--to 'pdf'"),
    (lambda a: a.view("pie"), ["map", "--view", "pie"], "view 'pie'", "--view 'pie'"),
])
def test_errors_name_the_keyword_and_the_cli_the_flag(northmoor, call, args, library, typed):
    with pytest.raises(UsageError) as raised:
        call(northmoor)
    assert str(raised.value).startswith(library) and "--" not in str(raised.value)
    result = cli(*args, "--model", NORTHMOOR, code=2)
    assert result.stderr.startswith(f"error: {typed}"), result.stderr
    assert result.stderr.removeprefix(f"error: {typed}") == \
        str(raised.value).removeprefix(library) + "\n"


# --- Neo4j ------------------------------------------------------------------------------

@pytest.mark.neo4j
def test_load_neo4j_is_the_apis(tmp_path, monkeypatch):
    if not os.environ.get("NEO4J_PASSWORD"):
        pytest.skip("needs the local Neo4j server (scripts/neo4j start)")
    import dataclasses

    from graphmodel.neo4j.load import Connection, delete_area, open_session
    monkeypatch.setenv("NEO4J_TIMEOUT", "300")  # a server just started plans slowly
    conn = dataclasses.replace(Connection.from_env(), timeout=300)
    folder = shutil.copytree(NORTHMOOR, tmp_path / "area")
    area_yaml = folder / "area.yaml"
    area_yaml.write_text(area_yaml.read_text().replace("id: northmoor", "id: test-api"))
    area = graphmodel.open_area(folder)
    try:
        loaded = area.load_neo4j(conn)
        printed = cli("load", "--neo4j", "--model", folder).stdout
        report = loaded.report
        assert f"{report.nodes} nodes and {report.relationships} relationships in area " \
               "'test-api'" in printed
        assert loaded.planned > 0
        asked = graphmodel.open_area(folder, backend="neo4j", connection=conn)
        assert asked.gaps() == area.gaps()
    finally:
        with open_session(conn) as session:
            delete_area(session, "test-api")


def test_an_area_made_by_hand_on_neo4j_asks_the_environments_server(northmoor, monkeypatch):
    """Area(..., backend "neo4j") with no connection: the NEO4J_* settings, as load_neo4j
    takes them (it used to hand the query None, which the driver cannot open)."""
    from graphmodel.neo4j import ask as neo4j_ask
    asked = []

    def run(name, area, G, *args, conn, **kwargs):
        asked.append((name, area, conn.uri, conn.user))
        return []
    monkeypatch.setattr(neo4j_ask, "run", run)
    monkeypatch.setenv("NEO4J_URI", "bolt://db.example.org:7999")
    monkeypatch.setenv("NEO4J_USER", "analyst")
    monkeypatch.setenv("NEO4J_PASSWORD", "secret")
    area = api.Area(northmoor.info, northmoor.graph, None, "neo4j")
    assert area.gaps() == []
    assert asked == [("gaps", "northmoor", "bolt://db.example.org:7999", "analyst")]
