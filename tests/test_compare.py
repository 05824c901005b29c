"""``graphmodel compare`` and ``graphmodel areas``: failures across areas, by signature.

Three kinds of test: two tiny hand-made areas whose answer is known (they name
their front doors differently and share one failure; one has a failure of its
own); the real-shaped areas (Sefton and the fixture areas); and a sample of
the generated England (tests/england.py; all 150 only in the benchmark).
"""

from __future__ import annotations

import json
import re
import shutil
import textwrap
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

import graphmodel
from graphmodel import api, vocab
from graphmodel.cli import app
from graphmodel.errors import ModelError, UsageError
from graphmodel.model.report import extract_report, extraction_yaml
from graphmodel.names import fold
from graphmodel.questions.compare import compare_rows
from graphmodel.views import build as views
from graphmodel.views import html_map

from conftest import FIXTURES, SEFTON, edit
from england import make_england

runner = CliRunner()


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    """Each test builds its areas' summaries itself: none comes from another test."""
    monkeypatch.setenv("GRAPHMODEL_CACHE", str(tmp_path / "cache"))


# --- two tiny areas: the answer is known --------------------------------------------------------

REPORT = """\
Review of health services for Children Looked After and Safeguarding in {name}

Context of the review

Health services for children in {name} are commissioned by NHS {name} CCG.

The child's journey

1. Early help

{findings}

Recommendations

1. NHS {name} CCG should:

1.1 Make sure that GPs hear the outcome of their referrals.

Next steps

An action plan is required from NHS {name} CCG within 20 working days of receipt of this
report.
"""
PARTIES = """\
organisations:
  - {{id: ccg, name: NHS {name} CCG, kind: commissioner}}
  - {{id: council, name: {name} Council, kind: local_authority}}
  - {{id: public-health, name: {name} public health team, kind: local_authority_function,
      part_of: council}}
  - {{id: csc, name: {name} children's social care, kind: local_authority_function,
      part_of: council, role: childrens_social_care}}
  - {{id: trust, name: {name} NHS Trust, kind: nhs_provider}}
  - {{id: gps, name: {name} GP practices, kind: primary_care, role: gp_practice,
      aliases: [GPs, GP practices]}}
forums:
  - {{id: front, name: "{door}", aliases: [{short}], kind: hub, hosted_by: csc,
      role: front_door}}
services:
  - {{id: ed, name: {name} emergency department, aliases: [the emergency department],
      provider: trust, commissioners: [ccg], role: emergency_department}}
  - {{id: hv, name: Health visiting, aliases: [health visitors], provider: trust,
      commissioners: [public-health], role: health_visiting}}
"""
LOOP = """\
  - id: gp-referral
    from: gps
    to: front
    passes: referral
    status: working
    summary: GPs refer to the front door.
    evidence: [{{paragraph: "1.1", quote: "{referral}"}}]
  - id: gp-outcome
    from: front
    to: gps
    passes: outcome
    status: absent
    returns: gp-referral
    summary: The front door does not tell GPs the outcome.
    evidence: [{{paragraph: "1.1", quote: "{outcome}"}}]
"""
NOTICE = """\
  - id: ed-notice
    from: ed
    to: hv
    passes: notification
    status: absent
    summary: Health visitors are not told of attendances.
    evidence: [{paragraph: "1.2", quote: "Health visitors are not notified by the emergency department"}]
"""


def tiny_area(folder: Path, name: str, door: str, short: str, referral: str, outcome: str,
              notice: bool) -> Path:
    """A one-page area: a referral loop whose outcome never comes back, and maybe a notice."""
    findings = f"1.1 {referral}. {outcome}. Recommendation 1.1"
    if notice:
        findings += ("\n\n1.2 Health visitors are not notified by the emergency department "
                     "when a child attends.")
    folder.mkdir(parents=True)
    text = REPORT.format(name=name, findings=findings)
    (folder / "report.txt").write_text(text, encoding="utf-8")
    (folder / "extracted.yaml").write_text(
        extraction_yaml(extract_report(text), "report.txt"), encoding="utf-8")
    (folder / "area.yaml").write_text(
        f"area: {{id: {name.lower()}, name: {name}, public_health_owner: public-health}}\n",
        encoding="utf-8")
    (folder / "parties.yaml").write_text(PARTIES.format(name=name, door=door, short=short),
                                         encoding="utf-8")
    flows = "flows:\n" + LOOP.format(referral=referral, outcome=outcome)
    (folder / "flows.yaml").write_text(flows + (NOTICE if notice else ""), encoding="utf-8")
    return folder


@pytest.fixture
def two_areas(tmp_path) -> Path:
    """Alderton (a MASH) and Brenton (an advice and duty service) under one folder."""
    tiny_area(tmp_path / "areas" / "alderton", "Alderton", "Multi-Agency Safeguarding Hub",
              "MASH", "GPs make appropriate referrals to the MASH",
              "The MASH does not tell GPs the outcome of their referrals", notice=True)
    tiny_area(tmp_path / "areas" / "brenton", "Brenton", "Children's Advice and Duty Service",
              "CADS", "GP practices refer to CADS appropriately",
              "However, GP practices are not informed of the outcome by CADS", notice=False)
    return tmp_path / "areas"


def test_two_areas_share_one_failure_and_one_is_alderton_s_own(two_areas):
    result = graphmodel.compare_areas([two_areas])
    assert [a["name"] for a in result["areas"]] == ["Alderton", "Brenton"]
    [shared] = result["recurring"]
    assert shared["signature"] == {"from": "front_door", "to": "gp_practice",
                                   "passes": "outcome"}
    assert shared["words"] == "Children's front door \u2192 GP practices: outcome"
    assert shared["areas"] == 2 and shared["severity"] == "critical"
    assert [(f["area"]["name"], f["severity"], f["status"], f["paragraph"]) for f in shared["in"]] \
        == [("Alderton", "critical", "absent", "1.1"), ("Brenton", "critical", "absent", "1.1")]
    assert [f["quote"] for f in shared["in"]] == [
        "The MASH does not tell GPs the outcome of their referrals",
        "However, GP practices are not informed of the outcome by CADS"]
    [own] = result["unique"]
    assert own["signature"] == {"from": "emergency_department", "to": "health_visiting",
                                "passes": "notification"}
    assert [(f["area"]["id"], f["severity"]) for f in own["in"]] == [("alderton", "high")]


def test_a_working_flow_is_no_failure_and_a_party_with_no_role_is_left_out(two_areas):
    brenton = two_areas / "brenton"
    edit(brenton / "flows.yaml", "    status: absent\n", "    status: working\n")
    edit(brenton / "report.txt", "are not informed", "are informed")
    edit(brenton / "flows.yaml", "are not informed", "are informed")
    (brenton / "extracted.yaml").write_text(extraction_yaml(extract_report(
        (brenton / "report.txt").read_text("utf-8")), "report.txt"), encoding="utf-8")
    result = graphmodel.compare_areas([two_areas])
    assert result["recurring"] == []  # Brenton hears its outcomes now
    edit(two_areas / "alderton" / "parties.yaml", "role: front_door", "")
    result = graphmodel.compare_areas([two_areas])
    alderton = result["areas"][0]
    assert alderton["without_role"] == 1 and alderton["failing"] == 1
    cards = run_ok("compare", str(two_areas)).stdout
    assert "Alderton: 1 failing flow(s) left out, a party on them has no role" in cards


def test_the_cached_part_of_an_area_follows_its_files(two_areas):
    first = graphmodel.compare_areas([two_areas])
    assert graphmodel.compare_areas([two_areas]) == first  # warm: the same answer
    edit(two_areas / "alderton" / "parties.yaml", "role: emergency_department",
         "role: acute_hospital")
    again = graphmodel.compare_areas([two_areas])
    assert again["unique"][0]["signature"]["from"] == "acute_hospital"


# --- the real-shaped areas: Sefton and the fixtures ------------------------------------------

@pytest.fixture(scope="module")
def real(tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GRAPHMODEL_CACHE", str(tmp_path_factory.mktemp("cache")))
        return graphmodel.compare_areas([SEFTON, FIXTURES / "areas"])


def test_real_shaped_areas_compared(real):
    names = [a["name"] for a in real["areas"]]
    fixtures = [p for p in (FIXTURES / "areas").iterdir() if (p / "area.yaml").is_file()]
    assert names[0] == "Sefton" and len(names) == 1 + len(fixtures) >= 7
    assert len(set(names)) == len(names)
    models = {a["id"]: graphmodel.load_model(a["folder"], warnings=False)
              for a in real["areas"]}
    by_words = {r["words"]: r for r in real["recurring"]}
    gp_reports = by_words["GP practices \u2192 Child protection conferences: report"]
    assert {f["area"]["id"] for f in gp_reports["in"]} >= {"sefton", "calderbrook",
                                                             "harbourside"}
    for row in real["recurring"] + real["unique"]:
        assert row["areas"] == len(row["in"]) == len({f["area"]["id"] for f in row["in"]})
        assert row["severity"] == row["in"][0]["severity"]  # the worst comes first
        for found in row["in"]:  # every quote is its paragraph's own words
            assert fold(found["quote"]) in paragraph(models[found["area"]["id"]],
                                                     found["paragraph"])
    counts = [r["areas"] for r in real["recurring"]]
    assert counts == sorted(counts, reverse=True) and all(n >= 2 for n in counts)


def paragraph(model, locator: str) -> str:
    """A paragraph's text as the extraction gives it: a finding, a case box or the context."""
    x = model.extraction
    text = {"context": x.context or "", **x.cases, **{f.id: f.text for f in x.findings}}
    return fold(text[locator.removeprefix("case:")] if locator.startswith("case:")
                and locator not in text else text[locator])


def test_every_failing_leg_of_every_area_is_counted_once(real):
    """Recount from each area's own gaps, independently of questions.compare."""
    for area in real["areas"]:
        rows = graphmodel.open_area(area["folder"]).gaps()
        legs = {tuple(leg["signature"].values()) for r in rows for leg in r["legs"]
                if leg["status"] in vocab.failing()}
        mine = [r for r in real["recurring"] + real["unique"]
                if area["id"] in {f["area"]["id"] for f in r["in"]}]
        assert {tuple(r["signature"].values()) for r in mine} == legs
        assert area["failing"] == len(mine) and area["without_role"] == 0


def test_the_cards_fit_80_columns_and_the_json_is_the_documented_shape(monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    result = run_ok("compare", str(SEFTON), str(FIXTURES / "areas"), "--all")
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    assert re.match(r"\d+ areas compared \(Sefton, ", result.stdout)
    data = json.loads(run_ok("compare", str(SEFTON), str(FIXTURES / "areas"), "-f",
                             "json").stdout)
    assert set(data) == {"areas", "recurring", "unique"}
    assert set(data["areas"][0]) == {"id", "name", "folder", "review", "problems", "failing",
                                     "without_role"}
    row = data["recurring"][0]
    assert set(row) == {"signature", "words", "areas", "severity", "status", "in"}
    assert set(row["in"][0]) == {"area", "severity", "status", "kind", "leg", "rank", "problem",
                                 "summary", "paragraph", "quote", "statement", "flows"}


def test_csv_and_markdown_give_one_row_per_signature_and_area(two_areas):
    csv_text = run_ok("compare", str(two_areas), "-f", "csv").stdout
    lines = csv_text.strip().splitlines()
    assert lines[0].startswith("areas,signature,from_role,to_role,passes,area,severity")
    assert len(lines) == 1 + 3  # the shared failure in two areas, Alderton's own
    markdown = run_ok("compare", str(two_areas), "-f", "markdown").stdout
    assert markdown.count("| 2 | Children's front door") == 2


def test_areas_lists_names_and_review_dates(two_areas):
    rows = json.loads(run_ok("areas", str(two_areas), "-f", "json").stdout)
    assert [(r["id"], r["name"], r["review"]) for r in rows] == [
        ("alderton", "Alderton", "unknown"), ("brenton", "Brenton", "unknown")]
    table = run_ok("areas").stdout  # the bundled areas by default
    assert "Sefton" in table and "2 areas" not in table
    assert "held after 2018-07-04 and by 2019-01-29 (no exact dates)" in " ".join(
        run_ok("areas", "--format", "csv").stdout.split())  # Sefton's cover is lost
    said = api.review_dates({"area": {"id": "x", "review": {
        "from": "2019-01-14", "to": "2019-01-18", "published": "2019-04-12"}}})
    assert said == "held 2019-01-14 to 2019-01-18; published 2019-04-12"


@pytest.mark.parametrize("problem, message, code", [
    ("missing", r"^error: .*nowhere: not a folder: give area folders", 2),
    ("empty", r"^error: .*empty: no area here: neither it nor a folder inside it holds "
              r"area\.yaml", 2),
    ("twice", r"^error: area 'alderton' is in two folders \(.*\): give each once", 2),
    ("broken", r"^error: .*flows\.yaml:\d+: flows\[1\]\.to: unknown id 'gpz'", 1),
])
def test_mistakes_are_one_line(two_areas, tmp_path, problem, message, code):
    folders = [str(two_areas)]
    if problem == "missing":
        folders = [str(tmp_path / "nowhere")]
    elif problem == "empty":
        (tmp_path / "empty").mkdir()
        folders = [str(tmp_path / "empty")]
    elif problem == "twice":
        shutil.copytree(two_areas / "alderton", tmp_path / "copy")
        folders.append(str(tmp_path / "copy"))
    else:
        edit(two_areas / "alderton" / "flows.yaml", "    to: gps\n", "    to: gpz\n")
    result = runner.invoke(app, ["compare", *folders])
    assert result.exit_code == code, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and re.match(message, lines[0]), lines
    assert "Traceback" not in result.output


def test_a_broken_area_among_many_is_one_line_from_a_worker_process(tmp_path):
    areas = make_england(tmp_path / "england", 5)
    edit(areas[3] / "flows.yaml", "to: gp-practices", "to: gp-practicez")
    with pytest.raises(ModelError, match=r"flows\.yaml:\d+: flows\[\d+\]\.to: unknown id "
                                         "'gp-practicez'"):
        api.compare_areas([tmp_path / "england"], jobs=2)


# --- the generated England, a sample ---------------------------------------------------------

@pytest.fixture(scope="module")
def england(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("england")
    make_england(folder, 12)
    return folder


def test_generated_areas_are_distinct_valid_and_seeded(england, tmp_path):
    folders = sorted(england.iterdir())
    assert len(folders) == 12
    names = [api.list_areas([f])[0]["name"] for f in folders]
    assert len(set(names)) == 12
    shapes = {(f / "forums.yaml").read_text("utf-8").count("- id:") for f in folders}
    assert len(shapes) > 2  # not copies: which forums exist varies
    for folder in folders[:3]:
        result = runner.invoke(app, ["validate", "--strict", "--model", str(folder)])
        assert result.exit_code == 0, result.stderr
    again = make_england(tmp_path / "again", 2)
    for made in again:
        for path in made.iterdir():
            assert path.read_bytes() == (england / made.name / path.name).read_bytes()


def test_compare_on_the_generated_sample(england):
    result = api.compare_areas([england], jobs=2)
    assert len(result["areas"]) == 12
    counts = [r["areas"] for r in result["recurring"]]
    assert counts and max(counts) > min(counts) >= 2  # some failures recur more than others
    assert max(counts) < 12 or len(set(counts)) > 1
    assert result["unique"]  # and some are one area's own
    assert api.compare_areas([england], jobs=1) == result  # the same from the cache
    assert len(compare_rows(result)) == sum(r["areas"] for r in result["recurring"]) + \
        len(result["unique"])


# --- the map and the exports --------------------------------------------------------------------

def test_compare_view_draws_roles_and_weighted_failures(two_areas):
    view = views.compare_view(graphmodel.compare_areas([two_areas]))
    assert view.name == "compare" and view.area == "2-areas"
    assert {n.id: n.kind for n in view.nodes} == {
        "front_door": "partner_role", "gp_practice": "health_role",
        "emergency_department": "health_role", "health_visiting": "health_role"}
    by_id = {e.id: e for e in view.edges}
    shared = by_id["front_door \u2192 gp_practice: outcome"]
    own = by_id["emergency_department \u2192 health_visiting: notification"]
    assert shared.width > own.width and shared.label == "2 areas" and own.label == ""
    assert shared.status == "absent" and shared.loop and shared.severity == "critical"
    assert [q[0] for q in shared.quotes] == ["Alderton 1.1", "Brenton 1.1"]
    assert [p.summary for p in view.problems] == [
        "Children's front door \u2192 GP practices: outcome"]


def test_map_view_compare_is_one_offline_page(two_areas, tmp_path):
    out = tmp_path / "compare.html"
    run_ok("map", "--view", "compare", "--areas", str(two_areas), "-o", str(out))
    page = out.read_text("utf-8")
    assert page == api.compare_map([two_areas])  # the command writes what the library draws
    assert api.compare_filename([two_areas]) == "2-areas-compare.html"
    assert api.compare_filename([two_areas / "alderton"], "gexf") == "1-area-compare.gexf"
    assert "What fails across 2 areas (Alderton, Brenton)" in page
    assert "default-src 'none'" in page and "https://" not in page.split("<script")[0]
    bad = runner.invoke(app, ["map", "--view", "gaps", "--areas", str(two_areas)])
    assert bad.exit_code == 2 and "only --view compare" in bad.stderr
    bad = runner.invoke(app, ["export", "--to", "mermaid", "--view", "compare", "--model",
                              str(SEFTON)])
    assert bad.exit_code == 2 and "--model: --view compare draws the areas given with " \
        "--areas" in bad.stderr


def test_one_area_refuses_the_view_across_areas(two_areas):
    alderton = graphmodel.open_area(two_areas / "alderton")
    with pytest.raises(UsageError, match=r"^view 'compare' draws several areas"):
        alderton.map("compare")
    with pytest.raises(UsageError, match=r"^format 'pdf': choose graphml"):
        api.compare_export([two_areas], "pdf")


@pytest.mark.parametrize("fmt", list(vocab.EXPORT_FORMATS))
def test_export_view_compare_in_every_format(two_areas, tmp_path, fmt):
    out = tmp_path / f"compare.{vocab.EXPORT_FORMATS[fmt].extension}"
    run_ok("export", "--to", fmt, "--view", "compare", "--areas", str(two_areas), "-o",
           str(out))
    content = api.compare_export([two_areas], fmt)
    assert out.read_bytes() == (content if isinstance(content, bytes) else
                                content.encode("utf-8"))
    if fmt == "graphml":
        G = nx.read_graphml(out)
        assert G.nodes["front_door"]["role"] == "front_door"
        assert {d["signature"] for *_, d in G.edges(data=True)} >= {
            "front_door \u2192 gp_practice: outcome"}
    elif fmt == "kumu":
        data = json.loads(out.read_text("utf-8"))
        assert {c["type"] for c in data["connections"]} == {"Fails across areas"}
    elif fmt == "csv":
        import zipfile
        with zipfile.ZipFile(out) as archive:
            assert "front_door" in archive.read("nodes.csv").decode("utf-8-sig")
    else:
        assert out.stat().st_size > 0


@pytest.mark.browser
def test_compare_map_in_the_browser(two_areas, tmp_path):
    try:
        from browser import Browser
    except ImportError:
        from tests.browser import Browser
    page = tmp_path / "compare.html"
    page.write_text(html_map.render_view(None, views.compare_view(
        graphmodel.compare_areas([two_areas]))), encoding="utf-8")
    with Browser(block_network=True, timeout=60) as browser:
        report = browser.open(page)
        report.page.wait_for_selector("body[data-settled=yes]", state="attached",
                                      timeout=60_000)
        report.assert_clean()
        counts = report.evaluate("() => [graphmap.nodes.length, graphmap.edges.length]")
        assert counts == [4, 2]


# --- roles and signatures on the other outputs ---------------------------------------------------

def test_gaps_legs_and_party_profiles_carry_roles(sefton_graph):
    from graphmodel.questions.gaps import gaps
    from graphmodel.questions.profile import org
    legs = [leg for row in gaps(sefton_graph) for leg in row["legs"]]
    assert all(set(leg["signature"]) == {"from", "to", "passes"} for leg in legs)
    outcome = next(leg for leg in legs if leg["flow"] == "mash-outcome-to-gp")
    assert outcome["signature"] == {"from": "front_door", "to": "gp_practice",
                                    "passes": "outcome"}
    assert org(sefton_graph, "mash")["organisation"][0]["role"] == "front_door"
    assert sefton_graph.nodes["mash-outcome-to-gp"]["signature"] == outcome["signature"]
    card = run_ok("party", "MASH").stdout
    assert "Role: Children's front door (front_door)" in card


def test_sefton_gives_every_party_on_a_flow_a_role(sefton_model):
    on_flows = {p for f in sefton_model.flows for p in (f.from_, f.to)}
    assert all(sefton_model.parties[p].item.role in vocab.ROLES for p in on_flows)


def run_ok(*args):
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result


def test_the_module_documents_itself():
    assert textwrap.dedent(api.compare_areas.__doc__ or "").strip()
    with pytest.raises(UsageError):
        api.find_areas([FIXTURES / "reports"])
