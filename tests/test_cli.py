"""The command line: exit codes, one-line errors, formats, lazy imports."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from graphmodel.cli import app

from conftest import NORTHMOOR, ROOT, SEFTON

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_validate_sefton_prints_counts():
    result = run("validate")
    assert result.exit_code == 0, result.output
    assert "Sefton: model is valid" in result.output
    assert "recommendations 49 in 15 groups" in result.output
    assert "findings        145 (71 recommendation links, 12 referred to public health)" in result.output


def test_gaps_json_contract():
    result = run("gaps", "--model", NORTHMOOR, "--format", "json")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    first = rows[0]
    for key in ("kind", "severity", "from", "to", "parties", "status", "evidence",
                "recommendations", "owners", "action", "legs"):
        assert key in first
    assert first["kind"] == "broken_loop"
    assert first["evidence"][0].keys() == {"paragraph", "quote"}
    assert first["owners"][0].keys() == {"id", "name"}


@pytest.mark.parametrize("fmt, start", [("csv", "rank,severity,kind,id,"), ("markdown", "### "),
                                        ("table", "Northmoor: 4 information-sharing gaps, in priority order")])
def test_gaps_other_formats(fmt, start):
    result = run("gaps", "--model", NORTHMOOR, "--format", fmt)
    assert result.exit_code == 0 and result.stdout.startswith(start)


def test_gaps_org_by_alias_and_unknown_org():
    ok = run("gaps", "--model", NORTHMOOR, "--org", "nccg", "-f", "json")
    assert ok.exit_code == 0 and len(json.loads(ok.stdout)) == 2
    bad = run("gaps", "--org", "Alder Hay")
    assert bad.exit_code == 2
    lines = bad.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: --org 'Alder Hay' names nothing in Sefton; closest: "
                               "Alder Hey Children’s NHS Foundation Trust")
    service = run("gaps", "--org", "CAMHS", "-f", "json")  # any party, not only organisations
    assert service.exit_code == 0 and json.loads(service.stdout)


def test_gaps_fail_on():
    assert run("gaps", "--model", NORTHMOOR, "--fail-on", "critical").exit_code == 1
    assert run("gaps", "--model", NORTHMOOR, "--status", "inconsistent",
               "--fail-on", "critical").exit_code == 0
    assert run("gaps", "--status", "lost").exit_code == 2


def test_owners_json_contract():
    result = run("owners", "1.5", "-f", "json")
    rows = json.loads(result.stdout)
    assert [r["id"] for r in rows] == ["1.5"]
    assert rows[0]["owners"] == [{"id": "south-sefton-ccg", "name": "NHS South Sefton CCG"},
                                 {"id": "southport-formby-ccg", "name": "NHS Southport and Formby CCG"}]
    assert "5.2.13" in rows[0]["findings"]
    assert run("owners", "99.9").exit_code == 2


@pytest.mark.parametrize("args", [["coverage"], ["org", "Addaction"], ["org", "SSCCG"],
                                  ["path", "gp-practices", "mash"], ["commissioning"],
                                  ["hotspots"], ["owners", "--org", "Addaction"]])
def test_other_commands_run_on_sefton(args):
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip()


def test_bad_model_folder_is_one_line(tmp_path):
    result = run("gaps", "--model", tmp_path / "nope")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "model folder not found" in result.stderr


def test_extract_json_and_bad_report(tmp_path):
    result = run("extract", SEFTON / "report.txt", "--format", "json")
    data = json.loads(result.stdout)
    assert set(data) == {"findings", "recommendations", "next_steps"}
    assert len(data["recommendations"]) == 49
    empty = tmp_path / "empty.txt"
    empty.write_text("Nothing here.\n")
    bad = run("extract", empty, "--out", tmp_path / "out.yaml")
    assert bad.exit_code == 1 and "no Recommendations section" in bad.stderr
    assert not (tmp_path / "out.yaml").exists()


def test_written_files_get_ordinary_permissions(tmp_path):
    out = tmp_path / "extracted.yaml"
    assert run("extract", SEFTON / "report.txt", "--out", out).exit_code == 0
    assert out.stat().st_mode & 0o044 == 0o044  # readable by others, as umask allows
    assert not list(tmp_path.glob(".*"))  # no temporary file left behind


def test_schema_prints_what_regenerate_writes():
    from graphmodel.regenerate import schema_text
    assert run("schema").stdout == schema_text()  # test_generated: the committed copies


def test_every_command_has_help():
    for command in app.registered_commands:
        assert (command.callback.__doc__ or "").strip(), command.name


def test_gaps_never_imports_pyvis_or_neo4j():
    code = ("import sys; from graphmodel.cli import main; sys.argv=['graphmodel','gaps','-f','json'];\n"
            "try: main()\nexcept SystemExit: pass\n"
            "bad=[m for m in ('pyvis','neo4j','IPython') if m in sys.modules]\n"
            "sys.stderr.write(repr(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.stderr.strip().endswith("[]"), out.stderr[-300:]


def test_top_level_cli_script_runs():
    out = subprocess.run([sys.executable, "cli.py", "validate"], capture_output=True,
                         text=True, cwd=ROOT)
    assert out.returncode == 0 and "model is valid" in out.stdout
