"""Area folder -> checked Model: YAML with line numbers, schema, names, ids, quotes.

Every problem becomes a ModelError naming the file, line and field, and says
how to fix it; all of an area's problems are reported at once.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import ValidationError

from ..errors import ModelError, raise_all
from ..names import NameIndex
from .checks import (
    check_actions,
    check_drafts,
    check_evidence,
    check_extraction_current,
    check_flow_recommendations,
    check_not_modelled,
    check_problems,
    check_references,
)
from .codebook import check_model, unnamed_ends
from .messages import pydantic_problems, raw_names, unknown_name
from .report import extract_report, read_report
from .schema import (
    PARTY_SECTIONS,
    Area,
    Finding,
    Flow,
    ModelFile,
    NextSteps,
    Recommendation,
)
from .types import Model, Party, SourceFiles, where
from .yamlread import load_yaml

AREA_FILE = "area.yaml"


# --- loading an area ---------------------------------------------------------


def model_files(folder: Path) -> list[Path]:
    """The area's YAML files, in name order."""
    return sorted(p for p in folder.iterdir() if p.name.endswith(".yaml"))


def load_area(folder: Path, warnings: bool = True) -> Model:
    """Load and check every YAML file of an area folder; raise all problems.

    ``warnings=False`` skips the codebook's warning rules (``model.problems``
    stays empty): for callers that only build the graph.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise ModelError("model folder not found (an area is a folder of model "
                         "YAML files with area.yaml)", file=str(folder))
    paths = model_files(folder)
    if not paths:
        raise ModelError("no model files (*.yaml) in this folder: make one with "
                         "'graphmodel new'", file=str(folder))
    files, problems = SourceFiles(), []
    for path in paths:
        label = _label(path)
        try:
            data = load_yaml(path, label)
        except ModelError as exc:
            problems.append(exc)
            continue
        files.raw[label] = data if data is not None else {}
    names = raw_names(files.raw)
    for label, data in files.raw.items():
        if not isinstance(data, dict):
            problems.append(ModelError("a model file must be a mapping of sections "
                                       "(organisations:, flows: ...)", file=label, line=1))
            continue
        try:
            files.parsed[label] = ModelFile.model_validate(data)
        except ValidationError as exc:
            problems.extend(pydantic_problems(exc, data, label, names))
    raise_all(problems)
    return _check(folder, files, warnings)


def _label(path: Path) -> str:
    """How a file is named in messages: relative to the working folder if inside it.

    ``area/../report.txt`` reads as ``report.txt`` (the name a person would type).
    """
    try:
        return str(Path(os.path.normpath(path.absolute())).relative_to(Path.cwd()))
    except ValueError:
        return os.path.normpath(path)


def _check(folder: Path, files: SourceFiles, codebook_warnings: bool = True) -> Model:
    problems: list[ModelError] = []
    area, area_label = _one_area(files, folder, problems)
    raise_all(problems)
    report_path = folder / area.report
    extraction = extract_report(read_report(report_path, _label(report_path)),
                                _label(report_path))
    parties, flows, sources, places = _collect(files, problems)
    names = _name_index(parties, area, problems)
    findings, recs, owners = _report_items(files, names, problems)
    next_steps, submitters = _next_steps(files, names, problems)
    check_references(files, parties, flows, area, problems)
    check_flow_recommendations(files, findings, problems)
    check_evidence(files, findings, extraction, problems)
    check_extraction_current(files, area, extraction, problems)
    actions = [a for p in files.parsed.values() for a in p.actions]
    drafts = [d for p in files.parsed.values() for d in p.drafts]
    check_actions(files, parties, flows, recs, problems)
    not_modelled = [n for p in files.parsed.values() for n in p.not_modelled]
    check_problems(files, flows, findings, extraction, problems)
    declared = ([x for p in files.parsed.values() for x in p.problems or []]
                if any(p.problems is not None for p in files.parsed.values()) else None)
    check_not_modelled(files, findings, parties, recs, problems)
    check_drafts(files, parties, flows, problems)
    raise_all(problems)
    warnings = list(extraction.warnings)
    if not flows:
        warnings.append(f"{area_label}: the area has no flows yet: add them to flows.yaml "
                        "('graphmodel todo' lists the paragraphs to model)")
    if not findings:
        warnings.append(f"{_label(report_path)}: the report has no numbered findings")
    model = Model(folder, area, parties, flows, findings, recs, owners, sources, extraction,
                  names, report_path, next_steps, submitters, actions, drafts, not_modelled,
                  warnings, [], files.raw, places, declared_problems=declared)
    model.inferred_ends = {f.id: unnamed_ends(model, f) for f in [*flows, *drafts] if f.inferred}
    found = check_model(model, codebook_warnings)
    raise_all([ModelError(f"{p.message} [{p.rule}]", file=p.file, line=p.line, field=p.field)
               for p in found if p.level == "error"])
    model.problems = [p for p in found if p.level != "error"]
    return model




def _one_area(files: SourceFiles, folder: Path, problems: list) -> tuple[Area, str]:
    found = [(label, f.area) for label, f in files.parsed.items() if f.area]
    if not found:
        raise ModelError(f"no file has an 'area:' section (id, name, report, "
                         f"public_health_owner): add {AREA_FILE}", file=str(folder))
    for label, _ in found[1:]:
        problems.append(ModelError(f"a second 'area:' section (the first is in {found[0][0]}); "
                                   "an area has one", file=label,
                                   line=where(files, label, ("area",)), field="area"))
    return found[0][1], found[0][0]


def _collect(files: SourceFiles, problems: list[ModelError]) -> tuple[
        dict[str, Party], list[Flow], dict[str, str], dict[str, tuple[str, tuple]]]:
    """Parties and flows from all files; every id once across the area."""
    parties: dict[str, Party] = {}
    flows: list[Flow] = []
    sources: dict[str, str] = {}
    places: dict[str, tuple[str, tuple]] = {}
    for label, parsed in files.parsed.items():
        for section, kind in [*PARTY_SECTIONS.items(), ("flows", "flow")]:
            for i, item in enumerate(getattr(parsed, section)):
                line = where(files, label, (section, i))
                if item.id in sources:
                    problems.append(ModelError(
                        f"duplicate id {item.id!r} (first defined at {sources[item.id]}); "
                        "give one of them another id", file=label, line=line,
                        field=f"{section}[{i}].id"))
                    continue
                sources[item.id] = f"{label}:{line}"
                places[item.id] = (label, (section, i))
                if kind == "flow":
                    flows.append(item)
                else:
                    parties[item.id] = Party(item.id, kind, item, sources[item.id])
    return parties, flows, sources, places


def _name_index(parties: dict[str, Party], area: Area, problems: list[ModelError]
                ) -> NameIndex:
    """Names, aliases and slips -> ids; a name used for two bodies is an error."""
    names = NameIndex()
    for party in parties.values():
        item = party.item
        for name in [item.id, item.name, *item.aliases, *getattr(item, "misnamed_as", [])]:
            clash = names.add(name, [item.id])
            if clash:
                label, line = party.source.rsplit(":", 1)
                problems.append(ModelError(
                    f"name {name!r} already names {clash}; a name can stand for one party "
                    "only (use joint_names in area.yaml for a name of several)",
                    file=label, line=int(line) if line.isdigit() else None,
                    field=f"{item.id}.aliases"))
    for name, ids in area.joint_names.items():
        names.add(name, list(ids))
    return names


def _report_items(files: SourceFiles, names: NameIndex, problems: list[ModelError]) -> tuple[
        dict[str, Finding], dict[str, Recommendation], dict[str, list[str]]]:
    """Findings and recommendations; owners resolved to organisation ids."""
    findings: dict[str, Finding] = {}
    recs: dict[str, Recommendation] = {}
    owners: dict[str, list[str]] = {}
    for label, parsed in files.parsed.items():
        for i, rec in enumerate(parsed.recommendations):
            recs[rec.id] = rec
            owners[rec.id] = []
            for j, name in enumerate(rec.owners):
                ids = names.resolve(name)
                if ids is None:
                    problems.append(ModelError(
                        unknown_name(name, names), file=label,
                        line=where(files, label, ("recommendations", i, "owners", j)),
                        field=f"recommendations[{i}].owners[{j}]"))
                    continue
                owners[rec.id] += [x for x in ids if x not in owners[rec.id]]
        for finding in parsed.findings:
            findings[finding.id] = finding
    for label, parsed in files.parsed.items():
        for i, finding in enumerate(parsed.findings):
            for ref in finding.recommendations:
                if ref not in recs:
                    problems.append(ModelError(
                        f"cites recommendation {ref}, which does not exist", file=label,
                        line=where(files, label, ("findings", i, "recommendations")),
                        field=f"findings[{i}].recommendations"))
    return findings, recs, owners


def _next_steps(files: SourceFiles, names: NameIndex, problems: list[ModelError]
                ) -> tuple[NextSteps | None, list[str]]:
    """The Next-steps section and its submitters resolved to ids, like owners."""
    for label, parsed in files.parsed.items():
        steps = parsed.next_steps
        if steps is None:
            continue
        ids: list[str] = []
        for j, name in enumerate(steps.submitters):
            found = names.resolve(name)
            if found is None:
                problems.append(ModelError(
                    unknown_name(name, names), file=label,
                    line=where(files, label, ("next_steps", "submitters", j)),
                    field=f"next_steps.submitters[{j}]"))
                continue
            ids += [x for x in found if x not in ids]
        return steps, ids
    return None, []


