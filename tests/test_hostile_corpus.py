"""The hostile corpus: bad inputs of every kind, each with the one line it must give.

Issue 14's promise, held case by case through the command line: a broken
model file, a strange report, a misused option, a tampered or stale cache, a
pipe, a loop or a device where a file belongs, names made to hurt a terminal
or a spreadsheet, a model whose own logic is wrong, and an ``--out`` that
cannot be written. Each case gives its exact line (an error, or the warning
due) and exit code; every case also checks that nothing printed a traceback,
every line is at most 1,000 characters and no raw control character reached
the terminal (``hostile_corpus.run_case``). Inputs that could hang run in
their own process with a time-out.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
from pathlib import Path

import pytest
from hostile_workbooks import HOSTILE_WORKBOOKS

from conftest import NORTHMOOR
from hostile import FORMULA_STARTS, RAW_CONTROLS
from hostile_corpus import (
    AREA,
    Case,
    assert_expected,
    chmod,
    edit,
    fifo,
    folder,
    hostile_names,
    link,
    no_temporary_files,
    prepare,
    regenerate,
    remove,
    run_case,
    run_first,
    sparse,
    unix_socket,
    write,
)

A = AREA
F = f"{A}/flows.yaml"
P = f"{A}/parties.yaml"
R = f"{A}/report.txt"

# --- a small report to break (extract r.txt) ------------------------------------------------

REPORT = """\
The child's journey

1. Early help

1.1 GP practices refer to children's social care. Recommendation 1.1

1.2 Health visitors share information well.

Recommendations

1. NHS Northmoor CCG should:

1.1 Ensure outcomes are returned to GPs.
"""


def cut_at_limit(head: str, letter: str) -> str:
    """An error line echoing a 100 KB value: cut to exactly 1,000 characters, saying so."""
    return head + letter * (1000 - len(head) - len(" … (cut)")) + " … (cut)"


def report(text: str | bytes):
    return write("r.txt", text)


def extract_case(name: str, text: str | bytes, exit: int, line: str, **kw) -> Case:
    return Case("report", name, ("extract", "r.txt"), exit, line, (report(text),), **kw)


REPORT_CASES = [
    extract_case("empty", "", 1, 'error: r.txt: no Recommendations section (a line '
                 '"Recommendations" followed by "1. <organisations> should:")'),
    extract_case("whitespace-only", " \n\t\n\n", 1, 'error: r.txt: no Recommendations section '
                 '(a line "Recommendations" followed by "1. <organisations> should:")'),
    extract_case("no-journey-heading", REPORT.replace("The child's journey", "Journey"), 1,
                 "error: r.txt: no \"The child's journey\" heading before the Recommendations "
                 "section"),
    extract_case("no-items", REPORT.replace("1.1 Ensure", "Ensure"), 1,
                 "error: r.txt: the Recommendations section has no numbered items (N.M)"),
    extract_case("owner-less-group", "The child's journey\nRecommendations\n1. ()should:\n1.1 x",
                 1, "error: r.txt:3: recommendation group 1 names no organisation before "
                 "'should:'"),
    extract_case("duplicated-paragraph", REPORT.replace("1.2 Health", "1.1 Health"), 0,
                 "warning: r.txt:7: paragraph 1.1 repeats the number of the paragraph on "
                 "line 5; its text is read as part of that paragraph (renumber one of them)"),
    extract_case("skipped-paragraph", REPORT.replace("1.2 Health", "1.4 Health"), 0,
                 "warning: r.txt:7: paragraph 1.4 follows 1.1"),
    extract_case("cites-unknown-recommendation", REPORT.replace("Recommendation 1.1",
                                                                "Recommendation 7.3"), 0,
                 "warning: r.txt:5: finding 1.1 cites recommendation 7.3, which the report "
                 "does not make"),
    extract_case("nul-bytes", b"GIF89a\x00\x01binary", 1,
                 "error: r.txt: is not a text file (it holds NUL bytes)"),
    extract_case("pdf-cut-short", b"%PDF-1.4\x00\x01binary", 1,
                 "error: r.txt: is a damaged PDF: it is cut short (no %%EOF at its end); "
                 "download it again"),
    extract_case("latin-1", REPORT.replace("well", "caf\xe9").encode("latin-1"), 1,
                 "error: r.txt: is not UTF-8 text (byte 147); save it as UTF-8"),
    extract_case("utf-16", REPORT.encode("utf-16"), 1,
                 "error: r.txt: is not a text file (it holds NUL bytes)"),
    extract_case("one-100kb-line", "x" * 100_000, 1, 'error: r.txt: no Recommendations '
                 'section (a line "Recommendations" followed by "1. <organisations> should:")'),
    extract_case("heading-never-says-should", REPORT.replace("should:", "will"), 1,
                 "error: r.txt: the Recommendations section has no numbered items (N.M)"),
    extract_case("control-characters", REPORT.replace("Health", "\x1b[2J\x9b1mHealth"), 0, ""),
    extract_case("crlf-and-bom", "\ufeff" + REPORT.replace("\n", "\r\n"), 0, ""),
    extract_case("unicode-line-separators", REPORT.replace("\n\n", "\u2028\n"), 0, ""),
    Case("report", "missing", ("extract", "nowhere.txt"), 1,
         "error: nowhere.txt: report file not found"),
    Case("report", "a-folder", ("extract", A), 1, "error: area: is a folder, not a report file"),
    Case("report", "a-pipe", ("extract", "r.txt"), 1, "error: r.txt: is not a regular file (a "
         "pipe, device or socket); give a plain report file", (fifo("r.txt"),), process=True),
    Case("report", "dev-zero", ("extract", "r.txt"), 1, "error: r.txt: is not a regular file (a "
         "pipe, device or socket); give a plain report file", (link("r.txt", "/dev/zero"),),
         process=True),
    Case("report", "huge", ("extract", "r.txt"), 1, "error: r.txt: is 104,857,600 bytes, more "
         "than the limit of 67,108,864", (sparse("r.txt", 100 * 2**20),)),
    Case("report", "symlink-loop", ("extract", "r.txt"), 1, "error: r.txt: cannot read report "
         "file: Too many levels of symbolic links", (link("r.txt", "r.txt"),)),
    Case("report", "model-report-no-findings", ("validate", "-m", A), 0,
         "warning: area/report.txt: the report has no numbered findings",
         (edit(R, "1.1 GP practices", "GP practices"),
          edit(R, "1.2 Health", "Health"), edit(R, "1.3 School", "School"),
          edit(R, "1.4 Some", "Some"), edit(R, "1.5 School", "School"),
          edit(R, "1.6 The", "The"), edit(R, "1.7 Young", "Young"),
          edit(R, "1.8 The", "The"), edit(R, "1.9 Health", "Health"),
          edit(R, "1.10 Managers", "Managers"), edit(R, "1.11 The", "The"),
          edit(R, "2.1 Requests", "Requests"), edit(R, "2.2 Referrals", "Referrals"),
          edit(R, "5.1 Leadership", "Leadership"), edit(R, "5.1.1 NHS", "NHS"),
          edit(R, "5.1.2 Leaders", "Leaders"),
          write(F, "flows: []\n"), regenerate())),
    Case("report", "model-report-duplicated-paragraph", ("validate", "-m", A), 0,
         "warning: area/report.txt:54: paragraph 1.8 repeats the number of the paragraph on "
         "line 52; its text is read as part of that paragraph (renumber one of them)",
         (edit(R, "1.9 Health", "1.8 Health"), regenerate())),
    Case("report", "model-report-outside-folder-missing", ("validate", "-m", A), 1,
         "error: report.txt: report file not found",
         (edit(f"{A}/area.yaml", "area:\n", "area:\n  report: ../report.txt\n"),)),
]

# --- model files ------------------------------------------------------------------------------

BILLION_LAUGHS = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 9))
DEEP_FLOW = "a: " + "[" * 200 + "]" * 200 + "\n"
DEEP_BLOCK = "a:\n" + "".join("  " * (i + 1) + "b:\n" for i in range(60))
TOO_DEEP_FOR_LIBYAML = "a: " + "[" * 20_000 + "]" * 20_000 + "\n"
MAPPING = "error: area/{file}:1: a model file must be a mapping of sections (organisations:, " \
          "flows: ...)"
NO_AREA = "error: area: no file has an 'area:' section (id, name, report, " \
          "public_health_owner): add area.yaml"


def model_case(name: str, line: str, *setup, exit: int = 1, command: str = "validate",
               **kw) -> Case:
    return Case("model-file", name, (command, "-m", A), exit, line, tuple(setup), **kw)


MODEL_CASES = [
    model_case("area-missing", NO_AREA, remove(f"{A}/area.yaml")),
    model_case("area-empty", NO_AREA, write(f"{A}/area.yaml", "")),
    model_case("area-a-list", MAPPING.format(file="area.yaml"), write(f"{A}/area.yaml", "- a\n")),
    model_case("a-scalar-file", MAPPING.format(file="x.yaml"), write(f"{A}/x.yaml", "hello\n")),
    model_case("tab-indent", "error: area/x.yaml:2: malformed YAML: found character that "
               "cannot start any token", write(f"{A}/x.yaml", "flows:\n\t- x\n")),
    model_case("unclosed-quote", "error: area/x.yaml:2: malformed YAML: found unexpected end "
               "of stream", write(f"{A}/x.yaml", 'flows: "unclosed\n')),
    model_case("billion-laughs", "error: area/x.yaml:4: a3[7]: aliases expand to "
               "more than 10,000 nodes; write the values out",
               write(f"{A}/x.yaml", BILLION_LAUGHS)),
    model_case("deep-flow-nesting", "error: area/x.yaml:1: a[0][0][0][0][0][0][0][0][0][0][0]"
               "[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0]…: nested more than 40 deep (or an "
               "alias refers to itself)", write(f"{A}/x.yaml", DEEP_FLOW)),
    model_case("deep-block-nesting", "error: area/x.yaml:42: a.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b."
               "b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b.b…: nested more than 40 deep (or "
               "an alias refers to itself)", write(f"{A}/x.yaml", DEEP_BLOCK)),
    model_case("nesting-past-libyaml", "error: area/x.yaml:1: malformed YAML: exceeded maximum "
               "nesting depth", write(f"{A}/x.yaml", TOO_DEEP_FOR_LIBYAML)),
    model_case("python-tag", "error: area/x.yaml:1: x: tag 'tag:yaml.org,2002:python/object:"
               "os.system' is not allowed in a model file",
               write(f"{A}/x.yaml", 'x: !!python/object:os.system "echo hi"\n')),
    model_case("duplicate-key", "error: area/x.yaml:2: flows: duplicate key 'flows' (first on "
               "line 1); keep one", write(f"{A}/x.yaml", "flows: []\nflows: []\n")),
    model_case("complex-key", "error: area/x.yaml:1: a key must be a plain name, not a list "
               "or mapping", write(f"{A}/x.yaml", "? [a, b]\n: c\n")),
    model_case("unknown-section", "error: area/x.yaml:1: flow: unknown field (check its "
               "spelling; 'graphmodel schema' lists the fields)",
               write(f"{A}/x.yaml", "flow: []\n")),
    model_case("section-a-string", "error: area/x.yaml:1: flows: must be a list (lines "
               "starting '- '), not text ('hello')", write(f"{A}/x.yaml", "flows: hello\n")),
    model_case("item-a-list", "error: area/x.yaml:2: flows[0]: must be a mapping (key: value "
               "lines), not a list", write(f"{A}/x.yaml", "flows:\n  - [a]\n")),
    model_case("area-a-date", "error: area/x.yaml:1: area: must be a mapping (key: value "
               "lines), not text ('2024-01-01')", write(f"{A}/x.yaml", "area: 2024-01-01\n")),
    model_case("aliases-a-number", "error: area/parties.yaml:6: organisations[0].aliases: "
               "must be a list (lines starting '- '), not the number 1.10",
               edit(P, "aliases: [NCCG]", "aliases: 1.10")),
    model_case("parties-a-number", "error: area/parties.yaml:1: organisations: must be a "
               "list (lines starting '- '), not the number 5",
               write(P, "organisations: 5\n")),
    model_case("bool-as-text", "error: area/flows.yaml:7: flows[0].expects_return: must be "
               "true or false, not text ('maybe')",
               edit(F, "expects_return: true", "expects_return: maybe")),
    model_case("unknown-status", "error: area/flows.yaml:6: flows[0].status: 'fine' is not one "
               "of: 'working', 'inconsistent', 'delayed', 'absent', 'blocked' or 'broken'",
               edit(F, "status: working", "status: fine")),
    model_case("unknown-id", "error: area/flows.yaml:51: flows[5].to: unknown id 'camh'; did "
               "you mean 'camhs'?", edit(F, "to: camhs", "to: camh")),
    model_case("paragraph-as-number", 'error: area/flows.yaml:10: flows[0].evidence[0].'
               'paragraph: 1.1 was read as a number; write it in quotes: "1.1"',
               edit(F, 'paragraph: "1.1"', "paragraph: 1.1")),
    model_case("quote-not-found", "error: area/flows.yaml:30: flows[2].evidence[0].quote: quote "
               "not found in paragraph 1.2: 'share information badly with GP practices'; "
               "closest in 1.2: 'Health visitors attend the monthly vulnerable families "
               "meeting and share information well…'",
               edit(F, "share information well with GP practices",
                    "share information badly with GP practices")),
    model_case("missing-field", "error: area/flows.yaml:2: flows[0].from: required field is "
               "missing", edit(F, "    from: gp-practices\n", "")),
    model_case("unknown-field", "error: area/parties.yaml:6: organisations[0].colour: unknown "
               "field (check its spelling; 'graphmodel schema' lists the fields)",
               edit(P, "kind: commissioner\n", "kind: commissioner\n    colour: red\n")),
    model_case("id-not-kebab", "error: area/parties.yaml:3: organisations[0].id: 'Northmoor "
               "CCG' is not a kebab-case id (a-z, 0-9 and -) such as 'northmoor-ccg'",
               edit(P, "id: northmoor-ccg", "id: Northmoor CCG")),
    model_case("duplicate-id", "error: area/parties.yaml:33: organisations[7].id: duplicate id "
               "'gp-practices' (first defined at area/parties.yaml:3); give one of them another id",
               edit(P, "organisations:\n", "organisations:\n  - id: gp-practices\n    name: "
                    "Practices\n    kind: primary_care\n")),
    model_case("nul-byte", "error: area/x.yaml: is not a text file (it holds NUL bytes)",
               write(f"{A}/x.yaml", b"flows:\x00 []\n")),
    model_case("not-utf8", "error: area/x.yaml: is not UTF-8 text (byte 0); save it as UTF-8",
               write(f"{A}/x.yaml", b"\xff\xfe flows: []\n")),
    model_case("report-missing", "error: area/report.txt: report file not found", remove(R)),
    model_case("report-a-folder", "error: area/report.txt: is a folder, not a report file",
               remove(R), folder(R)),
    model_case("100kb-unknown-id", cut_at_limit("error: area/flows.yaml:51: flows[5].to: "
                                                "unknown id '", "x"),
               edit(F, "to: camhs", "to: " + "x" * 100_000)),
    model_case("100kb-name", "", edit(P, "name: Brightpath", "name: " + "B" * 100_000),
               exit=0, command="gaps",
               check=lambda out, root: max(map(len, out.splitlines())) <= 1000),
    model_case("flows-empty", "warning: area/area.yaml: the area has no flows yet: add them to "
               "flows.yaml ('graphmodel todo' lists the paragraphs to model)",
               write(F, ""), exit=0),
    model_case("flows-missing", "warning: area/area.yaml: the area has no flows yet: add them to "
               "flows.yaml ('graphmodel todo' lists the paragraphs to model)", remove(F), exit=0),
    model_case("flows-gaps-without-flows", "", remove(F), exit=0, command="gaps"),
]

# --- the command line -------------------------------------------------------------------------


def cli_case(name: str, args: str | tuple, exit: int, line: str, *setup, **kw) -> Case:
    args = tuple(args.split()) if isinstance(args, str) else args
    return Case("command-line", name, args, exit, line, tuple(setup), **kw)


M = f"-m {A}"
CLI_CASES = [
    cli_case("unknown-command", "bogus", 2, "error: No such command 'bogus' (see 'graphmodel "
             "--help')"),
    cli_case("unknown-option", f"gaps {M} --bogus", 2, "error: No such option: --bogus "
             "(Possible options: --org, --user) (see 'graphmodel gaps --help')"),
    cli_case("unknown-top-option", "--bogus", 2, "error: No such option: --bogus (see "
             "'graphmodel --help')"),
    cli_case("bad-format", f"gaps {M} --format xml", 2, "error: Invalid value for '--format' / "
             "'-f': 'xml' is not one of 'table', 'json', 'csv', 'markdown' (see 'graphmodel "
             "gaps --help')"),
    cli_case("bad-status", f"gaps {M} --status fine", 2, "error: --status 'fine': choose from "
             "working, inconsistent, delayed, absent, blocked, broken"),
    cli_case("unknown-org", f"gaps {M} --org Nobody", 2, "error: --org 'Nobody' names nothing "
             "in Northmoor; 'graphmodel hotspots' lists the parties"),
    cli_case("bad-fail-on", f"gaps {M} --fail-on fatal", 2, "error: Invalid value for "
             "'--fail-on': 'fatal' is not one of 'critical', 'high', 'medium' (see 'graphmodel "
             "gaps --help')"),
    cli_case("unknown-assume-done", f"gaps {M} --assume-done 9.9", 2, "error: --assume-done "
             "'9.9': no such recommendation in this report ('graphmodel owners' lists them)"),
    cli_case("path-to-itself", f"path camhs camhs {M}", 2, "error: both ends name "
             "CAMHS: give two different parties"),
    cli_case("path-to-itself-by-alias", ("path", "GPs", "gp-practices", "-m", A), 2,
             "error: both ends name Northmoor GP practices: give two different parties"),
    cli_case("path-unknown", f"path camhs nobody {M}", 2, "error: TO 'nobody' names nothing in "
             "Northmoor; 'graphmodel hotspots' lists the parties"),
    cli_case("path-missing-to", f"path camhs {M}", 2, "error: Missing argument 'TO' (see "
             "'graphmodel path --help')"),
    cli_case("unknown-recommendation", f"owners 9.9 {M}", 2, "error: no recommendation 9.9 in "
             "this report ('graphmodel owners' lists them)"),
    cli_case("bad-coverage-kind", f"coverage {M} --kind x", 2, "error: --kind 'x': choose "
             "finding_without_recommendation, recommendation_without_finding"),
    cli_case("unknown-provider", f"commissioning {M} --provider nobody", 2, "error: --provider "
             "'nobody' names nothing in Northmoor; 'graphmodel hotspots' lists the parties"),
    cli_case("unknown-party", f"org nobody {M}", 2, "error: NAME 'nobody' names nothing in "
             "Northmoor; 'graphmodel hotspots' lists the parties"),
    cli_case("bad-view", f"map {M} --view pie", 2, "error: --view 'pie': choose system, gaps, "
             "commissioning, progress, compare, party:NAME or recommendation:ID"),
    cli_case("export-bad-format", f"export {M} --to pdf", 2, "error: --to 'pdf': choose "
             "graphml, gexf, kumu, cytoscape, mermaid, csv"),
    cli_case("export-zip-to-stdout", f"export {M} --to csv -o -", 2, "error: --to csv writes a "
             "zip: give --out FILE.zip"),
    cli_case("export-unknown-party", f"export {M} --to mermaid --view party:nobody", 2,
             "error: --view party: 'nobody' names nothing in Northmoor; 'graphmodel hotspots' "
             "lists the parties"),
    cli_case("unknown-view-recommendation", f"map {M} --view recommendation:9.9", 2,
             "error: --view 'recommendation:9.9': no recommendation 9.9 in this report"),
    cli_case("load-without-target", f"load {M}", 2, "error: say where to load: --neo4j"),
    cli_case("extract-bad-format", f"extract {R} --format xml", 2, "error: --format 'xml': "
             "choose yaml or json"),
    cli_case("extract-no-report", "extract", 2, "error: Missing argument 'report' (see "
             "'graphmodel extract --help')"),
    cli_case("bad-backend", f"gaps {M} --backend sql", 2, "error: Invalid value for "
             "'--backend': 'sql' is not one of 'networkx', 'neo4j' (see 'graphmodel gaps "
             "--help')"),
    cli_case("model-missing", "gaps -m nowhere", 1, "error: nowhere: model folder not found "
             "(an area is a folder of model YAML files with area.yaml)"),
    cli_case("model-a-file", f"gaps -m {R}", 1, "error: area/report.txt: model folder not found "
             "(an area is a folder of model YAML files with area.yaml)"),
    cli_case("model-empty-folder", "gaps -m empty", 1, "error: empty: no model files (*.yaml) "
             "in this folder: make one with 'graphmodel new'", folder("empty")),
    cli_case("model-proc", "validate -m /proc/self", 1, "error: /proc/self: no model files "
             "(*.yaml) in this folder: make one with 'graphmodel new'"),
    cli_case("new-into-area", f"new {A} -r {R}", 2, "error: area is not empty: give a new "
             "folder (graphmodel new never overwrites a model)"),
    cli_case("new-report-missing", "new fresh -r nowhere.txt", 1,
             "error: nowhere.txt: report file not found"),
    cli_case("unknown-draft", f"drafts accept zz {M}", 2, "error: no draft 'zz' in drafts.yaml "
             "('graphmodel todo' lists the drafts)"),
    cli_case("bad-date", f"progress {M} --as-of 2024-13-45", 2, "error: --as-of '2024-13-45': "
             "not a date; write it as 2026-03-31 or 31/03/2026"),
    cli_case("bad-received", f"plan {M} --received soon", 2, "error: --received 'soon': not a "
             "date; write it as 2026-03-31 or 31/03/2026"),
    cli_case("diff-missing", f"diff {A} nowhere", 1, "error: nowhere: model folder not found "
             "(an area is a folder of model YAML files with area.yaml)"),
    cli_case("import-not-a-workbook", f"plan import {R} {M}", 1, "error: area/report.txt: is "
             "not an Excel workbook (.xlsx): File is not a zip file"),
    cli_case("import-a-pipe", f"plan import p.xlsx {M}", 1, "error: p.xlsx: is not a regular "
             "file (a pipe, device or socket); give a plain workbook", fifo("p.xlsx"),
             process=True),
    cli_case("import-missing", f"plan import nowhere.xlsx {M}", 1,
             "error: nowhere.xlsx: workbook not found"),
]

# --- odd files --------------------------------------------------------------------------------

NOT_REGULAR = "is not a regular file (a pipe, device or socket); give a plain file"
IN_FOLDER = "is not a regular file (a pipe, device or socket); an area folder holds only " \
            "files and folders"


def odd_case(name: str, command: str, line: str, *setup, exit: int = 1, **kw) -> Case:
    return Case("odd-file", name, (command, "-m", A), exit, line, tuple(setup), **kw)


ODD_CASES = [
    odd_case("pipe-model-file", "validate", f"error: area/x.yaml: {NOT_REGULAR}",
             fifo(f"{A}/x.yaml"), process=True),
    odd_case("pipe-model-file-gaps", "gaps", f"error: area/x.yaml: {IN_FOLDER}",
             fifo(f"{A}/x.yaml"), process=True),
    odd_case("pipe-flows", "validate", f"error: area/flows.yaml: {NOT_REGULAR}",
             remove(F), fifo(F), process=True),
    odd_case("dev-zero-model-file", "validate", f"error: area/x.yaml: {NOT_REGULAR}",
             link(f"{A}/x.yaml", "/dev/zero"), process=True),
    odd_case("dev-zero-gaps", "gaps", f"error: area/x.yaml: {IN_FOLDER}",
             link(f"{A}/x.yaml", "/dev/zero"), process=True),
    odd_case("dev-null-model-file", "validate", f"error: area/x.yaml: {NOT_REGULAR}",
             link(f"{A}/x.yaml", "/dev/null")),
    odd_case("dev-zero-report", "validate", "error: area/report.txt: is not a regular file (a "
             "pipe, device or socket); give a plain report file",
             remove(R), link(R, "/dev/zero"), process=True),
    odd_case("symlink-loop-yaml", "validate", "error: area/x.yaml: cannot read file: Too many "
             "levels of symbolic links", link(f"{A}/x.yaml", "x.yaml")),
    odd_case("symlink-loop-other", "gaps", "error: area/loop: cannot read: Too many levels of "
             "symbolic links", link(f"{A}/loop", "loop")),
    odd_case("dangling-symlink", "validate", "error: area/x.yaml: file not found",
             link(f"{A}/x.yaml", "nowhere.yaml")),
    odd_case("folder-named-yaml", "validate", "error: area/x.yaml: is a folder, not a file",
             folder(f"{A}/x.yaml")),
    odd_case("folder-named-yaml-gaps", "gaps", "error: area/x.yaml: is a folder, not a file",
             folder(f"{A}/x.yaml")),
    odd_case("folder-named-flows", "validate", "error: area/flows.yaml: is a folder, not a file",
             remove(F), folder(F)),
    odd_case("socket", "validate", f"error: area/x.yaml: {NOT_REGULAR}",
             unix_socket(f"{A}/x.yaml")),
    odd_case("socket-gaps", "gaps", f"error: area/x.yaml: {IN_FOLDER}",
             unix_socket(f"{A}/x.yaml")),
    odd_case("huge-model-file", "validate", "error: area/x.yaml: is 104,857,600 bytes, more "
             "than the limit of 67,108,864", sparse(f"{A}/x.yaml", 100 * 2**20)),
    odd_case("proc-mem", "validate", "error: area/x.yaml: cannot read file: Input/output error",
             link(f"{A}/x.yaml", "/proc/self/mem")),
    odd_case("unreadable-file", "validate", "error: area/flows.yaml: cannot read file: "
             "Permission denied", chmod(F, 0o000), unprivileged=True),
    odd_case("unreadable-folder", "validate", "error: Invalid value for '--model' / '-m': Path "
             "'area' is not readable (see 'graphmodel validate --help')", chmod(A, 0o300),
             exit=2, unprivileged=True),
    Case("odd-file", "model-symlink-loop", ("gaps", "-m", "loop"), 1, "error: loop: model "
         "folder not found (an area is a folder of model YAML files with area.yaml)", (link("loop", "loop"),)),
    Case("odd-file", "latin-1-terminal", ("gaps", "-m", A), 0, "", process=True,
         env=(("PYTHONIOENCODING", "latin-1"),), check=lambda out, root: "\\u2192" in out),
    Case("odd-file", "stdout-full", ("gaps", "-m", A), 1,
         "error: cannot write the output: No space left on device", stdout="/dev/full"),
]

# --- hostile names ----------------------------------------------------------------------------


def no_formula_cells(out: str, root: Path) -> None:
    cells = [cell for row in csv.reader(io.StringIO(out)) for cell in row]
    assert cells, out[:200]
    assert not [c for c in cells if c.startswith(FORMULA_STARTS)]


def exported_cells_safe(out: str, root: Path) -> None:
    import zipfile
    with zipfile.ZipFile(root / "x.zip") as z:
        for name in z.namelist():
            no_formula_cells(z.read(name).decode("utf-8-sig"), root)


def read_back(path: Path, fmt: str) -> None:
    """The exported file opens in networkx (as in Gephi or yEd), names shown escaped."""
    import networkx as nx
    G = getattr(nx, f"read_{fmt}")(path)
    labels = " ".join(str(d.get("label", "")) for _, d in G.nodes(data=True))
    assert "\\x1b[31m" in labels, labels[:300]


def workbook_cells_are_text(out: str, root: Path) -> None:
    """No cell is a formula, and the hostile names are there, as text."""
    import openpyxl
    book = openpyxl.load_workbook(root / "x.xlsx")
    cells = [c for ws in book for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = " ".join(str(c.value) for c in cells)
    assert '=HYPERLINK("http://evil.example","NCCG")' in texts and "\\x1b[2J" in texts


def new_area_answers_safely(folder: Path) -> None:
    """The area 'new' made from a hostile report validates, and its CSV runs no formula."""
    from hostile_corpus import run_in_process
    code, out, err, error = run_in_process(["validate", "-m", str(folder)])
    assert code == 0 and error is None, err
    code, out, err, error = run_in_process(["owners", "-m", str(folder), "-f", "csv"])
    assert code == 0 and "'=HYPERLINK [/x] \\x1b[2J Trust: *a &b {c}" in out, out
    no_formula_cells(out, folder)


def no_raw_controls(out: str, root: Path) -> None:
    assert not any(c in out for c in RAW_CONTROLS), repr(out[:300])


def markup_shown(out: str, root: Path) -> None:
    no_raw_controls(out, root)
    assert "[/x]" in out


def map_escapes(out: str, root: Path) -> None:
    page = next(root.glob("*.html")).read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in page
    assert "\x1b" not in page


def hostile_case(name: str, args: str | tuple, check, *setup, exit: int = 0,
                 line: str = "") -> Case:
    args = tuple(args.split()) if isinstance(args, str) else args
    return Case("hostile-name", name, args, exit, line, (hostile_names, *setup), check=check)


SCRIPT = "</script><script>alert(1)</script>"
HOSTILE_CASES = [
    *[hostile_case(f"{cmd.split()[0]}-csv", f"{cmd} -m {A} -f csv", no_formula_cells)
      for cmd in ("gaps", "hotspots", "commissioning", "owners", "org westshire-dale",
                  "path gp-practices northmoor-csc", "plan", "todo", "progress")],
    *[hostile_case(f"{cmd.split()[0]}-table", f"{cmd} -m {A}", check)
      for cmd, check in (("gaps", no_raw_controls), ("hotspots", no_raw_controls),
                         ("org westshire-dale", markup_shown), ("party mash", no_raw_controls),
                         ("path gp-practices northmoor-csc", no_raw_controls),
                         ("owners", no_raw_controls), ("commissioning", markup_shown),
                         ("coverage", no_raw_controls), ("todo", no_raw_controls),
                         ("plan", no_raw_controls), ("validate", no_raw_controls))],
    hostile_case("gaps-wide", f"gaps -m {A} --all", no_raw_controls),
    hostile_case("plan-xlsx", f"plan -m {A} -o x.xlsx", workbook_cells_are_text),
    hostile_case("plan-import", f"plan import x.xlsx -m {A} --check", None,
                 run_first("plan", "-m", A, "-o", "x.xlsx")),
    hostile_case("export-mermaid", f"export -m {A} --to mermaid -o -", no_raw_controls),
    hostile_case("export-csv", f"export -m {A} --to csv -o x.zip", exported_cells_safe),
    hostile_case("export-graphml", f"export -m {A} --to graphml -o x.graphml",
                 lambda out, root: read_back(root / "x.graphml", "graphml")),
    hostile_case("export-gexf", f"export -m {A} --to gexf -o x.gexf",
                 lambda out, root: read_back(root / "x.gexf", "gexf")),
    hostile_case("hotspots-wide", f"hotspots -m {A} --wide", markup_shown),
    hostile_case("org-by-markup-name", ("org", "+Westshire [/x] and Dale", "-m", A),
                 markup_shown),
    Case("hostile-name", "script-in-name-map", ("map", "-m", A), 0, "",
         (edit(P, "name: Brightpath", f"name: '{SCRIPT}'"),), check=map_escapes),
    Case("hostile-name", "esc-in-org-option", ("gaps", "-m", A, "--org", "x\x1b[2Jy\nz"), 2,
         "error: --org 'x\\x1b[2Jy\\nz' names nothing in Northmoor; 'graphmodel hotspots' lists "
         "the parties"),
    Case("hostile-name", "100kb-org-option", ("gaps", "-m", A, "--org", "o" * 100_000), 2,
         cut_at_limit("error: --org '", "o")),
    Case("hostile-name", "newline-in-model-path", ("validate", "-m", "no\nsuch\x1b[31m"), 1,
         "error: no such\\x1b[31m: model folder not found (an area is a folder of model YAML "
         "files with area.yaml)"),
    Case("hostile-name", "esc-in-unknown-id", ("validate", "-m", A), 1,
         "error: area/flows.yaml:51: flows[5].to: '\\x1b[31mred\\x9b2J\\u202e' is not an id "
         "(ids are kebab-case, a-z, 0-9 and -)",
         (edit(F, "to: camhs", 'to: "\\e[31mred\\x9b2J\\u202e"'),)),
    Case("hostile-name", "esc-in-area-name", ("validate", "-m", A), 0, "",
         (edit(f"{A}/area.yaml", "name: Northmoor", 'name: "North\\e]0;pwned\\amoor"'),),
         check=no_raw_controls),
    Case("hostile-name", "markup-in-report-owner", ("extract", R, "-f", "json"), 0, "",
         (edit(R, "3. Brightpath should:", "3. [/x] =cmd|' /C calc'!A0 should:"),),
         check=lambda out, root: "[/x] =cmd" in json.loads(out)["recommendations"][-1][
             "owners"][0]),
    Case("hostile-name", "report-names-into-new-area", ("new", "fresh", "-r", R), 0, "",
         (edit(R, "3. Brightpath should:", '3. =HYPERLINK("x") [/x] \x1b[2J Trust: *a &b {c} '
                                           "should:"),
          edit(R, "1.2 Health visitors", "1.2 " + "Zed " * 30_000 + "Health visitors")),
         check=lambda out, root: new_area_answers_safely(root / "fresh")),
    Case("hostile-name", "esc-in-report-yaml", ("extract", R), 0, "",
         (edit(R, "Health visitors attend", "Health \x1b[2J\x9bvisitors attend"),),
         check=no_raw_controls),
]

# --- the model's own logic --------------------------------------------------------------------


def logic_case(name: str, args: str | tuple, exit: int, line: str, *setup, **kw) -> Case:
    args = tuple(args.split()) if isinstance(args, str) else args
    return Case("logic", name, args, exit, line, tuple(setup), **kw)


LOGIC_CASES = [
    logic_case("mutual-returns", f"validate {M}", 1, "error: area/flows.yaml:54: flows[5]."
               "returns: returns form a cycle (mash-request-camhs -> camhs-response-mash -> "
               "mash-request-camhs): a loop has an outward flow that answers nothing "
               "[return-cycle]",
               edit(F, "passes: request\n    status: working\n    expects_return: true",
                    "passes: plan\n    status: working\n    returns: camhs-response-mash"),
               edit(F, "passes: response", "passes: plan")),
    logic_case("returns-itself", f"validate {M}", 1, "error: area/flows.yaml:17: flows[1]."
               "returns: returns 'csc-outcome-to-gp', which is not another flow",
               edit(F, "returns: gp-referral", "returns: csc-outcome-to-gp")),
    logic_case("returns-unknown", f"validate {M}", 1, "error: area/flows.yaml:17: flows[1]."
               "returns: returns 'gp-referal', which is not another flow; did you mean "
               "'gp-referral'?", edit(F, "returns: gp-referral", "returns: gp-referal")),
    logic_case("owner-less-group-in-model", f"validate {M}", 1, "error: area/report.txt:100: "
               "recommendation group 3 names no organisation before 'should:'",
               edit(R, "3. Brightpath should:", "3. (BP) should:")),
    logic_case("owner-unknown", f"validate {M}", 1, "error: area/extracted.yaml:129: "
               "recommendations[3].owners[0]: 'Darkpath' names no organisation: add it to that "
               "organisation's aliases (or misnamed_as, for a slip in the report); did you mean "
               "'Brightpath'?",
               edit(R, "3. Brightpath should:", "3. Darkpath should:"), regenerate()),
    logic_case("extraction-stale", f"validate {M}", 1, "error: area/extracted.yaml: out of "
               "date with report.txt: regenerate it with 'graphmodel extract report.txt -o "
               "extracted.yaml' in the model folder",
               edit(R, "1.8 The named nurse", "1.8 A named nurse")),
    logic_case("evidence-unknown-paragraph", f"validate {M}", 1, "error: area/flows.yaml:29: "
               "flows[2].evidence[0].paragraph: paragraph '9.9' is not in the report (its "
               "findings run from 1.1 to 5.1.2, plus context and case:N.N)",
               edit(F, 'paragraph: "1.2"', 'paragraph: "9.9"')),
    logic_case("flow-to-itself", f"validate {M}", 1, "error: area/flows.yaml:42: flows[4].to: "
               "is 'school-nursing', the sender too: a flow passes information between two "
               "parties (a team to its organisation is two parties)",
               edit(F, "from: school-nursing\n    to: gp-practices",
                    "from: school-nursing\n    to: school-nursing")),
    logic_case("path-to-itself-by-name", ("path", "CAMHS", "camhs", "-m", A), 2,
               "error: both ends name CAMHS: give two different parties"),
]

# --- Neo4j settings (no server needed: each is refused before, or fails to connect) -------------


def silent_server(root: Path) -> None:
    """A server on the loopback that accepts connections and never says a word."""
    import socket
    import threading
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(60)  # stops by itself: at most a minute, at most eight connections
    held = []

    def hold() -> None:
        try:
            for _ in range(8):
                held.append(server.accept()[0])
        except OSError:
            pass

    threading.Thread(target=hold, daemon=True).start()
    os.environ["NEO4J_URI"] = f"bolt://127.0.0.1:{server.getsockname()[1]}"


def neo4j_case(name: str, uri: str | None, line: str, *setup, env=(), **kw) -> Case:
    args = ("gaps", "-m", A, "--backend", "neo4j") + (("--uri", uri) if uri else ())
    return Case("neo4j-settings", name, args, 1, line, tuple(setup),
                env=(("NEO4J_PASSWORD", "x"), ("NEO4J_TIMEOUT", "3"), *env), **kw)


UNREACHABLE = ("within 3s: is the server running? (start a local one with scripts/neo4j start; "
               "NEO4J_TIMEOUT sets the wait)")
NEO4J_CASES = [
    neo4j_case("port-not-a-number", "bolt://localhost:seven", "error: --uri "
               "'bolt://localhost:seven': has a port that is not a number from 0 to 65535"),
    neo4j_case("bad-ipv6", "bolt://[::1", "error: --uri 'bolt://[::1': is not an IPv6 "
               "address in brackets"),
    neo4j_case("path-and-query", "bolt://localhost:7687/db?x=1", "error: --uri "
               "'bolt://localhost:7687/db?x=1': give only scheme, host and port (no path, query "
               "or fragment); the database is --database"),
    neo4j_case("http-scheme", "http://localhost:7474", "error: --uri 'http://localhost:7474': "
               "must start with bolt:// or neo4j:// (or bolt+s://, neo4j+s://, bolt+ssc://, "
               "neo4j+ssc://)"),
    neo4j_case("password-in-uri", "bolt://neo4j:secret@localhost", "error: --uri "
               "'bolt://neo4j:secret@localhost': put the user in --user and the password in "
               "--password or NEO4J_PASSWORD, not in the URI"),
    neo4j_case("no-host", "bolt://:7687", "error: --uri 'bolt://:7687': no host name"),
    neo4j_case("esc-in-uri", "bolt://local\x1bhost", "error: --uri 'bolt://local\\x1bhost': "
               "'local\\x1bhost' is not a host name"),
    neo4j_case("bad-timeout", None, "error: NEO4J_TIMEOUT 'soon': give a number of seconds "
               "above 0 and at most 3600", env=(("NEO4J_TIMEOUT", "soon"),)),
    neo4j_case("no-password", None, "error: no Neo4j password: set NEO4J_PASSWORD or pass "
               "--password (scripts/neo4j start prints a local server's settings)",
               env=(("NEO4J_PASSWORD", ""),)),
    neo4j_case("closed-port", "bolt://127.0.0.1:1", "error: cannot reach Neo4j at "
               f"bolt://127.0.0.1:1 {UNREACHABLE}", process=True),
    neo4j_case("closed-port-routing", "neo4j://127.0.0.1:1", "error: cannot reach Neo4j at "
               f"neo4j://127.0.0.1:1 {UNREACHABLE}", process=True),
    neo4j_case("silent-server", None, "error: cannot reach Neo4j at bolt://127.0.0.1:{port} "
               f"{UNREACHABLE}", silent_server, process=True),
]

# --- the cache --------------------------------------------------------------------------------


def cache_entries(root: Path) -> list[Path]:
    return sorted((root / "cache" / "graphs").glob("*.json"))


def tamper(root: Path, mode: int | None = 0o600, folder_mode: int | None = None) -> None:
    """Forge the cached graph (a digest that matches), then loosen its permissions."""
    [entry] = cache_entries(root)
    tamper_at(entry)
    if mode is not None:
        os.chmod(entry, mode)
    if folder_mode is not None:
        os.chmod(entry.parent, folder_mode)


def plant(content: bytes):
    def step(root: Path) -> None:
        for entry in cache_entries(root):
            entry.write_bytes(content)
    return step


def answers_fresh(out: str, root: Path) -> None:
    assert out.startswith("Northmoor: "), out[:200]
    assert not (root / "pwned").exists()


PICKLE = (b"cos\nsystem\n(S'touch pwned'\ntR.")  # runs 'touch pwned' if ever unpickled


def cache_case(name: str, line: str, after=(), before=(), exit: int = 0, check=answers_fresh,
               **kw) -> Case:
    """Fill the cache with ``gaps``, break something, and ask ``gaps`` again."""
    return Case("cache", name, ("gaps", "-m", A), exit, line,
                (*before, run_first("gaps", "-m", A), *after), check=check, process=True, **kw)


def report_outside(root: Path) -> None:
    shutil.move(root / R, root / "report.txt")
    edit(f"{A}/area.yaml", "area:\n", "area:\n  report: ../report.txt\n")(root)


def flows_through_link(root: Path) -> None:
    shutil.move(root / F, root / "flows-a.yaml")
    (root / "flows-b.yaml").write_text("flows: []\n", encoding="utf-8")
    (root / F).symlink_to(root / "flows-a.yaml")


def retarget(root: Path) -> None:
    (root / F).unlink()
    (root / F).symlink_to(root / "flows-b.yaml")


def no_gaps(out: str, root: Path) -> None:
    assert out.startswith("Northmoor: 0 "), out[:200]


def entry_moved_behind_link(root: Path) -> None:
    for entry in cache_entries(root):
        shutil.move(entry, root / "elsewhere.json")
        entry.symlink_to(root / "elsewhere.json")
        tamper_at(root / "elsewhere.json")


CACHE_CASES = [
    cache_case("garbage-entry", "", (plant(b"not json at all"),)),
    cache_case("pickle-entry", "", (plant(PICKLE),)),
    cache_case("wrong-digest", "", (lambda root: [e.write_bytes(e.read_bytes()[:-20] + b"}")
                                                  for e in cache_entries(root)],)),
    cache_case("forged-group-writable", "", (lambda root: tamper(root, 0o664),)),
    cache_case("forged-in-open-folder", "", (lambda root: tamper(root, 0o600, 0o777),)),
    cache_case("entry-a-symlink", "", (entry_moved_behind_link,)),
    cache_case("cache-a-file", "", env=(("GRAPHMODEL_CACHE", "{root}/cachefile"),),
               before=(write("cachefile", "x"),)),
    cache_case("cache-in-proc", "", env=(("GRAPHMODEL_CACHE", "/proc/self"),)),
    cache_case("stale-outside-report", "error: area/extracted.yaml: out of date with "
               "../report.txt: regenerate it with 'graphmodel extract ../report.txt -o "
               "extracted.yaml' in the model folder",
               (edit("report.txt", "1.2 Health visitors", "1.2 Health visitor"),),
               (report_outside,), exit=1, check=None),
    cache_case("stale-outside-report-removed", "error: report.txt: report file not found",
               (remove("report.txt"),), (report_outside,), exit=1, check=None),
    cache_case("stale-symlink-retargeted", "", (retarget,), (flows_through_link,),
               check=no_gaps),
    cache_case("stale-symlink-target-edited", "",
               (lambda root: (root / "flows-a.yaml").write_text("flows: []\n"),),
               (flows_through_link,), check=no_gaps),
    cache_case("stale-pipe-added", f"error: area/x.yaml: {IN_FOLDER}", (fifo(f"{A}/x.yaml"),),
               exit=1, check=None),
    cache_case("stale-folder-named-yaml", "error: area/x.yaml: is a folder, not a file",
               (folder(f"{A}/x.yaml"),), exit=1, check=None),
]


def tamper_at(entry: Path) -> None:
    """Rewrite a cached graph's area name to FORGED, with a digest that matches."""
    header, _, body = entry.read_bytes().partition(b"\n")
    data = json.loads(body)
    data["info"]["area_name"] = "FORGED"
    body = json.dumps(data).encode()
    entry.write_bytes(header.rpartition(b" ")[0] + b" " + hashlib.sha256(body).hexdigest()
                      .encode() + b"\n" + body)


def test_a_forged_entry_in_a_private_cache_is_read(tmp_path, monkeypatch):
    """The control for the forged cases: the forgery works when the place is private.

    (The user's own private cache is trusted, as ssh trusts ~/.ssh; the cases
    above show that the same forgery anywhere looser is ignored.)
    """
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GRAPHMODEL_CACHE", str(tmp_path / "cache"))
    case = cache_case("control", "", (lambda root: tamper(root, 0o600),),
                      check=lambda out, root: out.startswith("FORGED: "))
    prepare(case, tmp_path)
    code, out, err = run_case(case, tmp_path)
    assert code == 0 and out.startswith("FORGED: "), out[:100]


# --- every --out ------------------------------------------------------------------------------

OUT_COMMANDS = {  # command -> (arguments before --out, the file's suffix)
    "extract": (("extract", R), "yaml"),
    "map": (("map", "-m", A), "html"),
    "plan-csv": (("plan", "-m", A, "-f", "csv"), "csv"),
    "plan-xlsx": (("plan", "-m", A, "-f", "xlsx"), "xlsx"),
    "export-graphml": (("export", "-m", A, "--to", "graphml"), "graphml"),
    "export-csv-zip": (("export", "-m", A, "--to", "csv"), "zip"),
}
OUT_TARGETS = {  # name -> (target, setup, the line after "error: TARGET: ")
    "missing-folder": ("nowhere/x.{ext}", (), "cannot write: folder nowhere not found; make "
                       "it first, or give another path"),
    "a-folder": (A, (), "is a folder; give a file name"),
    "through-a-file": (f"{R}/x.{{ext}}", (), "cannot write: part of the path is a file, not "
                       "a folder"),
    "proc": ("/proc/x.{ext}", (), "cannot write: folder /proc does not take new files"),
    # a link to the device, so that a regression replaces the link, never /dev/null itself
    "a-device": ("null", (link("null", "/dev/null"),), "is not a regular file (a device, pipe "
                 "or socket); give a file name"),
    "a-pipe": ("pipe", (fifo("pipe"),), "is not a regular file (a device, pipe or socket); "
               "give a file name"),
    "read-only-folder": ("ro/x.{ext}", (folder("ro", 0o555),), "cannot write: Permission "
                         "denied"),
}


def nothing_written(out: str, root: Path) -> None:
    no_temporary_files(root)
    assert not (root / "nowhere").exists()
    assert not (root / "ro").exists() or not any((root / "ro").iterdir())


NEW_CASES = [  # 'new DIR' writes a folder of files: the same faults, one line each
    Case("out", "new-through-a-file", ("new", f"{R}/x", "-r", R), 1, "error: area/report.txt/x: "
         "cannot make the folder: Not a directory", check=nothing_written),
    Case("out", "new-in-proc", ("new", "/proc/x", "-r", R), 1, "error: /proc/x: cannot make the "
         "folder: No such file or directory", check=nothing_written),
    Case("out", "new-in-read-only-folder", ("new", "ro/x", "-r", R), 1, "error: ro/x: cannot "
         "make the folder: Permission denied", (folder("ro", 0o555),), check=nothing_written,
         unprivileged=True),
    Case("out", "new-a-file", ("new", R, "-r", R), 2, "error: area/report.txt is not empty: give "
         "a new folder (graphmodel new never overwrites a model)"),
]

OUT_CASES = NEW_CASES + [
    Case("out", f"{command}-{target_name}", (*args, "--out", target.format(ext=ext)), 1,
         f"error: {target.format(ext=ext)}: {line}", setup, check=nothing_written,
         unprivileged=target_name == "read-only-folder", process=target_name == "a-pipe")
    for command, (args, ext) in OUT_COMMANDS.items()
    for target_name, (target, setup, line) in OUT_TARGETS.items()
]

# --- issue 22: workbooks, git revisions, interrupted writes, names, odd reports -------------


def plan_workbook_file(builder=None, name: str = "x.xlsx", fill_rows=None):
    """The area's plan workbook in the case's folder, filled and broken as asked."""
    def step(root: Path) -> None:
        from test_plan_import import fill, workbook_of
        data = workbook_of(root / A)
        data = fill(data, fill_rows) if fill_rows else data
        (root / name).write_bytes(builder(data) if builder else data)
    return step


def workbook_case(name: str, builder, line: str) -> Case:
    return Case("workbook", name, ("plan", "import", "x.xlsx", "-m", A), 1,
                f"error: x.xlsx: {line}", (plan_workbook_file(builder),), process=True)


def git_repository(root: Path) -> None:
    import subprocess
    for args in (["init", "-q"], ["add", "."], ["-c", "user.name=t", "-c",
                                                "user.email=t@example.org", "commit", "-qm",
                                                "x"]):
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def repository_untouched(out: str, root: Path) -> None:
    """git wrote nothing: no file named like an option, no model file emptied."""
    assert not list(root.rglob("--")) and not list(root.rglob("-o"))
    assert (root / F).stat().st_size > 1000


def rev_case(name: str, rev: str, line: str) -> Case:
    return Case("git-rev", name, ("diff", "--rev", rev, A), 2, f"error: --rev {line}",
                (git_repository,), check=repository_untouched)


def interrupted(root: Path) -> None:
    """What a command killed mid-change leaves: flows.yaml replaced, drafts.yaml not yet,
    and the journal that names both."""
    import json
    folder = root / A
    for name in ("flows.yaml", "drafts.yaml"):
        target = folder / name
        if not target.exists():
            target.write_text("drafts: []\n", encoding="utf-8")
        os.link(target, folder / f".graphmodel-{name}.old")
        (folder / f".graphmodel-{name}.new").write_text("flows: []\n", encoding="utf-8")
    (folder / ".graphmodel-journal").write_text(json.dumps({"files": [
        {"path": n, "staged": f".graphmodel-{n}.new", "backup": f".graphmodel-{n}.old"}
        for n in ("flows.yaml", "drafts.yaml")]}), encoding="utf-8")
    os.replace(folder / ".graphmodel-flows.yaml.new", folder / "flows.yaml")


def rolled_back(out: str, root: Path) -> None:
    folder = root / A
    assert (folder / "flows.yaml").read_bytes() == (NORTHMOOR / "flows.yaml").read_bytes()
    assert not [p.name for p in folder.iterdir() if p.name.startswith(".graphmodel-")]


def nfd_name(root: Path) -> None:
    import unicodedata
    edit(P, "    name: Brightpath\n", "    name: " + unicodedata.normalize(
        "NFD", "Brightpath Santé") + "\n    aliases: [Brightpath]\n")(root)


ODD_REPORT = "error: r.txt:{line}: an invisible character (U+{code}) follows the number 1.2: " \
             "delete it, then run 'graphmodel new' again"


def no_folder(out: str, root: Path) -> None:
    assert not (root / "fresh").exists()
    assert not [p for p in root.iterdir() if p.name.startswith(".graphmodel-")]


def drafts_case(name: str, line: str, *setup, **kw) -> Case:
    return Case("write", name, ("drafts", "reject", "x", "-m", A), 1, line, tuple(setup), **kw)


ISSUE_22_CASES = [
    *[workbook_case(name, builder, line) for name, (builder, line) in HOSTILE_WORKBOOKS.items()],
    *[rev_case(name, rev, line) for name, rev, line in (
        ("output-option", "--output=area/flows.yaml", "'--output=area/flows.yaml': not a "
         "revision (a commit, tag or branch name)"),
        ("output-dashes", "--output=--", "'--output=--': not a revision (a commit, tag or "
         "branch name)"),
        ("short-option", "-o", "'-o': not a revision (a commit, tag or branch name)"),
        ("remote-option", "--remote=ext::sh -c touch% pwned", "'--remote=ext::sh -c touch% "
         "pwned': not a revision (a commit, tag or branch name)"),
        ("empty", "", "'': not a revision (a commit, tag or branch name)"),
        ("spaces-then-option", "HEAD --output=y", "'HEAD --output=y': no such commit"),
        ("a-tree-not-a-commit", "HEAD^{tree}", "'HEAD^{tree}': no such commit"),
        ("a-path-in-a-commit", "HEAD:area", "'HEAD:area': no such commit"),
        ("end-of-options", "--end-of-options", "'--end-of-options': not a revision (a "
         "commit, tag or branch name)"))],
    Case("write", "interrupted-change-rolled-back", ("validate", "-m", A), 0, "",
         (interrupted,), check=rolled_back),
    Case("write", "interrupted-change-rolled-back-by-gaps", ("gaps", "-m", A), 0, "",
         (interrupted,), check=rolled_back),
    Case("write", "damaged-journal", ("validate", "-m", A), 1, "error: area/.graphmodel-"
         "journal: the journal of an unfinished change is damaged: check the area's files "
         "(git diff), then delete it", (write(f"{A}/.graphmodel-journal", "{not json"),)),
    Case("write", "blank-workbook-keeps-actions", ("plan", "import", "blank.xlsx", "-m", A), 0,
         "", (plan_workbook_file(name="blank.xlsx"),
              plan_workbook_file(fill_rows={"3.1": {"Action": "Answer every MASH request"}}),
              run_first("plan", "import", "x.xlsx", "-m", A)),
         check=lambda out, root: out.endswith("unchanged (0 actions from blank.xlsx, 1 "
                                              "recorded kept)\n")),
    drafts_case("drafts-a-pipe", f"error: area/drafts.yaml: {IN_FOLDER}"
                .replace("; an area folder holds only files and folders", "; give a plain "
                         "file"), fifo(f"{A}/drafts.yaml"), process=True),
    drafts_case("drafts-a-folder", "error: area/drafts.yaml: is a folder, not a file",
                folder(f"{A}/drafts.yaml")),
    drafts_case("drafts-dev-zero", "error: area/drafts.yaml: is not a regular file (a pipe, "
                "device or socket); give a plain file", link(f"{A}/drafts.yaml", "/dev/zero"),
                process=True),
    Case("names", "nfd-saved-nfc-typed", ("party", "Brightpath Santé", "-m", A), 0, "",
         (nfd_name,), check=lambda out, root: "Brightpath" in out),
    Case("names", "nfc-typed-near-miss-suggests", ("party", "Brightpath Sante", "-m", A), 2,
         "error: NAME 'Brightpath Sante' names nothing in Northmoor; closest: Brightpath "
         "Sant\u0065\u0301", (nfd_name,)),
    Case("new-report", "bidi-isolate-after-number", ("new", "fresh", "-r", "r.txt"), 1,
         ODD_REPORT.format(line=7, code="2069"),
         (report(REPORT.replace("1.2 Health", "1.2\u2069 Health")),), check=no_folder),
    Case("new-report", "cites-a-recommendation-not-made", ("new", "fresh", "-r", "r.txt"), 1,
         "error: r.txt:5: finding 1.1 cites recommendation 7.3, which the report does not "
         "make: correct the report's text (a number may be damaged), then run 'graphmodel "
         "new' again", (report(REPORT.replace("Recommendation 1.1", "Recommendation 7.3")),),
         check=no_folder),
]

CASES = (REPORT_CASES + MODEL_CASES + CLI_CASES + ODD_CASES + HOSTILE_CASES + LOGIC_CASES
         + CACHE_CASES + OUT_CASES + NEO4J_CASES + ISSUE_22_CASES)


def _neo4j_settings_checked() -> bool:
    """Whether Neo4j settings are checked before the driver sees them (branch 'neo4j')."""
    from graphmodel.neo4j import load as neo4j_load
    return hasattr(neo4j_load, "check_uri")


PARAMS = [pytest.param(c, id=c.id, marks=pytest.mark.skipif(
              c.kind == "neo4j-settings" and not _neo4j_settings_checked(),
              reason="Neo4j settings are checked once branch neo4j is merged"))
          for c in CASES]


def test_the_corpus_is_large_and_covers_every_kind():
    kinds = {c.kind for c in CASES}
    assert kinds == {"report", "model-file", "command-line", "odd-file", "hostile-name",
                     "logic", "cache", "out", "neo4j-settings", "workbook", "git-rev", "write",
                     "names", "new-report"}
    assert len(CASES) >= 100
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", PARAMS)
def test_hostile_input(case, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GRAPHMODEL_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("COLUMNS", "100")
    saved = dict(os.environ)  # a case's setup or env may set variables: put them back
    try:
        prepare(case, tmp_path)
        code, out, err = run_case(case, tmp_path)
        port = os.environ.get("NEO4J_URI", "").rpartition(":")[2]
        assert_expected(case, code, err, port=port)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    if case.check:  # a check asserts, or returns whether it holds
        assert case.check(out, tmp_path) in (None, True), out[:500]
