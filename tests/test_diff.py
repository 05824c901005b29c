"""The follow-up diff: two versions of an area, and a folder against its git history."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest
from typer.testing import CliRunner

from graphmodel.api import open_area
from graphmodel.cli import app
from graphmodel.model.report import extract_report, extraction_yaml
from graphmodel.questions.diff import diff_areas

from conftest import NORTHMOOR, SEFTON

runner = CliRunner()


def set_status(folder, flow: str, status: str) -> None:
    """Change one flow's status in flows.yaml, wherever its block is."""
    path = folder / "flows.yaml"
    text = path.read_text(encoding="utf-8")
    pattern = rf"(  - id: {re.escape(flow)}\n(?:    .*\n|\s*\n)*?    status: )\w+"
    new, count = re.subn(pattern, rf"\g<1>{status}", text, count=1)
    assert count == 1, flow
    path.write_text(new, encoding="utf-8")


def add_organisation(folder, pid: str, name: str) -> None:
    path = folder / "organisations.yaml" if (folder / "organisations.yaml").exists() \
        else folder / "parties.yaml"
    text = path.read_text(encoding="utf-8")
    entry = f"  - id: {pid}\n    name: {name}\n    kind: voluntary_provider\n"
    path.write_text(text.replace("organisations:\n", "organisations:\n" + entry, 1),
                    encoding="utf-8")


def add_problem(folder, pid: str, flow: str) -> None:
    """Declare a problem for one flow, citing what the flow's first quote cites."""
    flows = (folder / "flows.yaml").read_text(encoding="utf-8")
    block = flows[flows.index(f"  - id: {flow}\n"):]
    paragraph = re.search(r'paragraph: "?([^"\n]+)"?', block).group(1)
    quote = re.search(r"quote: (.+)", block).group(1).strip()
    with open(folder / "problems.yaml", "a", encoding="utf-8") as out:
        out.write(f"  - id: {pid}\n    statement: A problem declared for this test, in words.\n"
                  f"    flows: [{flow}]\n"
                  f"    scope: {{is: systemic, paragraph: \"{paragraph}\", quote: {quote}}}\n"
                  f"    children:\n      - {{is: all_children, paragraph: \"{paragraph}\", "
                  f"quote: {quote}}}\n")


@pytest.fixture(scope="module")
def sefton_changed(tmp_path_factory):
    """Sefton with one gap's flow now working, one working flow now absent, a new body."""
    folder = tmp_path_factory.mktemp("sefton") / "sefton"
    shutil.copytree(SEFTON, folder)
    area = open_area(SEFTON)
    gap = next(g for g in area.gaps() if g["kind"] == "gap" and len(g["legs"]) == 1)
    G = area.graph
    in_loops = {G.nodes[f]["returns"] for f in G if G.nodes[f].get("kind") == "flow"}
    quiet = next(f for f, d in G.nodes(data=True) if d.get("kind") == "flow"
                 and d["status"] == "working" and not d["returns"]
                 and not d["expects_return"] and f not in in_loops)
    set_status(folder, gap["legs"][0]["flow"], "working")
    set_status(folder, quiet, "absent")
    add_problem(folder, "newly-quiet", quiet)
    add_organisation(folder, "sefton-young-carers", "Sefton Young Carers")
    return folder, gap, quiet


def test_sefton_against_a_changed_copy(sefton_changed):
    folder, gap, quiet = sefton_changed
    rows = diff_areas(open_area(SEFTON), open_area(folder))
    found = {(r["change"], r["what"], r["id"]) for r in rows}
    fixed = gap["legs"][0]["flow"]
    assert ("better", "flow", fixed) in found
    assert ("worse", "flow", quiet) in found
    assert ("closed", "gap", gap["id"]) in found
    assert ("new", "gap", "newly-quiet") in found  # the problem declared for it
    assert ("added", "organisation", "sefton-young-carers") in found
    better = next(r for r in rows if r["id"] == fixed and r["what"] == "flow")
    assert (better["old"], better["new"]) == (gap["legs"][0]["status"], "working")
    assert not any(r["what"] == "recommendation" for r in rows)
    assert diff_areas(open_area(SEFTON), open_area(SEFTON)) == []


def northmoor_with_new_recommendation(folder) -> None:
    """A re-inspection report with one more recommendation, and its extraction regenerated."""
    report = folder / "report.txt"
    text = report.read_text(encoding="utf-8")
    text = text.replace("whatever its RAG rating.\n",
                        "whatever its RAG rating.\n\n3.2 Keep a log of MASH requests.\n", 1)
    report.write_text(text, encoding="utf-8")
    (folder / "extracted.yaml").write_text(
        extraction_yaml(extract_report(text), "report.txt"), encoding="utf-8")


def test_northmoor_exact_changes(area_copy):
    set_status(area_copy, "csc-outcome-to-gp", "working")
    set_status(area_copy, "camhs-response-mash", "blocked")
    northmoor_with_new_recommendation(area_copy)
    rows = diff_areas(open_area(NORTHMOOR), open_area(area_copy))
    assert [(r["change"], r["what"], r["id"], r["old"], r["new"]) for r in rows] == [
        ("better", "flow", "csc-outcome-to-gp", "absent", "working"),
        ("worse", "flow", "camhs-response-mash", "inconsistent", "blocked"),
        ("closed", "broken loop", "gp-referral+csc-outcome-to-gp", "critical (absent)", None),
        ("worse", "broken loop", "mash-request-camhs+camhs-response-mash",
         "high (inconsistent)", "critical (blocked)"),
        ("added", "recommendation", "3.2", None, None),
    ]
    back = diff_areas(open_area(area_copy), open_area(NORTHMOOR))
    assert ("dropped", "recommendation", "3.2") in {(r["change"], r["what"], r["id"])
                                                    for r in back}
    assert ("new", "broken loop", "gp-referral+csc-outcome-to-gp") in {
        (r["change"], r["what"], r["id"]) for r in back}


def test_one_flow_better_in_a_grouped_gap_is_that_gap_better(area_copy):
    """A problem of several absent notices; one becomes delayed: one problem better, no 'new'.

    Before, the grouped gap's id vanished and two ids appeared: 'closed' and
    two gaps 'opened' for one improvement (issue 18).
    """
    old = open_area(SEFTON)
    gap = next(g for g in old.gaps() if g["kind"] == "gap" and len(g["legs"]) >= 2
               and {leg["status"] for leg in g["legs"]} == {"absent"})
    folder = area_copy.parent / "sefton"
    shutil.copytree(SEFTON, folder)
    first = gap["legs"][0]["flow"]
    set_status(folder, first, "delayed")
    rows = diff_areas(old, open_area(folder))
    n = len(gap["legs"])
    gaps = [(r["change"], r["id"], r["old"], r["new"]) for r in rows if r["what"] == "gap"]
    assert gaps == [("better", gap["id"], f"high (absent {n})",
                     f"high (absent{f' {n - 1}' if n > 2 else ''}, delayed)")]
    assert {r["change"] for r in rows} == {"better"}
    back = diff_areas(open_area(folder), old)  # and the other way: one problem worse
    assert [(r["change"], r["id"]) for r in back if r["what"] == "gap"] == [("worse", gap["id"])]


@pytest.mark.parametrize("fmt", ["json", "csv", "markdown", "table"])
def test_diff_in_every_format(area_copy, fmt):
    set_status(area_copy, "csc-outcome-to-gp", "working")
    result = runner.invoke(app, ["diff", str(NORTHMOOR), str(area_copy), "-f", fmt])
    assert result.exit_code == 0, result.output
    if fmt == "json":
        rows = json.loads(result.stdout)
        assert {r["change"] for r in rows} == {"better", "closed"}
    else:
        assert "better" in result.stdout and "closed" in result.stdout
        if fmt != "table":  # a terminal table may fold long ids
            assert "csc-outcome-to-gp" in result.stdout


def git(repo, *args):
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
                   cwd=repo, check=True, capture_output=True)


def test_rev_compares_the_working_copy_with_a_commit(tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(NORTHMOOR, repo / "areas" / "northmoor")
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "first review")
    folder = repo / "areas" / "northmoor"
    set_status(folder, "csc-outcome-to-gp", "working")
    result = runner.invoke(app, ["diff", "--rev", "HEAD", str(folder), "-f", "json"])
    assert result.exit_code == 0, result.output
    assert [(r["change"], r["id"]) for r in json.loads(result.stdout)] == [
        ("better", "csc-outcome-to-gp"), ("closed", "gp-referral+csc-outcome-to-gp")]
    bad = runner.invoke(app, ["diff", "--rev", "no-such-rev", str(folder)])
    assert bad.exit_code == 2
    assert bad.stderr == "error: --rev 'no-such-rev': no such commit\n"


def committed_area(tmp_path, name="northmoor"):
    repo = tmp_path / "repo"
    shutil.copytree(NORTHMOOR, repo / "areas" / name)
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "first review")
    return repo, repo / "areas" / name


def tree_state(repo):
    """Every file's bytes under the repository, .git included: what git must not touch."""
    return {p: p.read_bytes() for p in sorted(repo.rglob("*")) if p.is_file()
            and p.name != "index"}


@pytest.mark.parametrize("rev", ["--output=areas/northmoor/flows.yaml", "--output=--",
                                 "-o", "--", "-", "--remote=x", "HEAD --output=y", "",
                                 "HEAD:areas", "HEAD^{tree}", "--end-of-options"])
def test_a_rev_that_is_an_option_or_no_commit_is_refused_and_writes_nothing(tmp_path, rev):
    repo, folder = committed_area(tmp_path)
    before = tree_state(repo)
    bad = runner.invoke(app, ["diff", "--rev", rev, str(folder)])
    assert bad.exit_code == 2, bad.output
    assert len(bad.stderr.splitlines()) == 1 and bad.stderr.startswith("error: --rev "), \
        bad.stderr
    assert tree_state(repo) == before
    assert not list(repo.rglob("--")) and not list(tmp_path.rglob("y"))


def test_rev_reads_only_that_folder_and_not_a_folder_whose_name_it_begins(tmp_path):
    repo, folder = committed_area(tmp_path)
    shutil.copytree(NORTHMOOR, repo / "areas" / "northmoor-2019")
    (repo / "areas" / "northmoor-2019" / "x.yaml").write_text("flows: [\n")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "second")
    result = runner.invoke(app, ["diff", "--rev", "HEAD~1", str(folder), "-f", "json"])
    assert result.exit_code == 0 and json.loads(result.stdout) == [], result.output


def test_a_link_in_the_revision_is_one_line(tmp_path):
    repo, folder = committed_area(tmp_path)
    (folder / "x.yaml").symlink_to("/etc/passwd")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "link")
    bad = runner.invoke(app, ["diff", "--rev", "HEAD", str(folder)])
    assert bad.exit_code == 2
    assert bad.stderr == ("error: --rev 'HEAD': areas/northmoor/x.yaml is a link in that "
                          "revision; diff reads only plain files\n")


def test_diff_usage_errors(tmp_path):
    assert runner.invoke(app, ["diff", str(NORTHMOOR)]).exit_code == 2
    outside = runner.invoke(app, ["diff", "--rev", "HEAD", str(NORTHMOOR), str(NORTHMOOR)])
    assert outside.exit_code == 2
    shutil.copytree(NORTHMOOR, tmp_path / "area")
    not_git = runner.invoke(app, ["diff", "--rev", "HEAD", str(tmp_path / "area")])
    assert not_git.exit_code == 2 and "not a git repository" in not_git.stderr
