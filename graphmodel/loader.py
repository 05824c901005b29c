"""Area folder -> checked Model: YAML with line numbers, schema, names, ids, quotes.

Why ruamel.yaml: PyYAML keeps the last of two duplicate keys and reads ``no``
as False; ruamel refuses duplicates and remembers every key's line, so each
problem can name its file, line and field.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from .errors import ModelError, raise_all
from .extract import Extraction, extract_report, read_report
from .names import NameIndex, fold
from .schema import PARTY_SECTIONS, Area, Finding, Flow, ModelFile, Recommendation


@dataclass
class Party:
    """A party of any kind, with where it was defined."""

    id: str
    kind: str  # organisation, site, service, forum, group, system
    item: BaseModel
    source: str


@dataclass
class Model:
    """A checked area model: parties, flows, findings and recommendations."""

    folder: Path
    area: Area
    parties: dict[str, Party]
    flows: list[Flow]
    findings: dict[str, Finding]
    recommendations: dict[str, Recommendation]
    owners: dict[str, list[str]]  # recommendation id -> organisation ids
    sources: dict[str, str]  # item id -> "file.yaml:line"
    extraction: Extraction
    names: NameIndex
    warnings: list[str] = field(default_factory=list)

    def of_kind(self, kind: str) -> list:
        """The items of one party kind, in file order."""
        return [p.item for p in self.parties.values() if p.kind == kind]


# --- reading YAML with positions -------------------------------------------

def read_yaml(path: Path, label: str):
    """Parse one YAML file, keeping line numbers; problems become ModelErrors."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ModelError(f"cannot read: {exc}", file=label) from None
    try:
        data = YAML(typ="rt").load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = (exc.problem or str(exc)).strip()
        raise ModelError(f"malformed YAML: {problem}", file=label, line=line) from None
    except YAMLError as exc:
        raise ModelError(f"malformed YAML: {exc}", file=label) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ModelError("a model file must be a mapping of sections "
                         "(organisations:, flows: ...)", file=label, line=1)
    return data


def line_of(data, loc: tuple) -> int | None:
    """The line (1-based) of the deepest part of ``loc`` found in ruamel data."""
    line, node = None, data
    for part in loc:
        lc = getattr(node, "lc", None)
        try:
            if isinstance(node, dict) and part in node and lc is not None:
                line = lc.key(part)[0] + 1
            elif isinstance(node, list) and isinstance(part, int) and lc is not None:
                line = lc.item(part)[0] + 1
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
    return line


def field_path(loc: tuple) -> str:
    """('flows', 3, 'to') -> 'flows[3].to'."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _pydantic_problems(exc: ValidationError, data, label: str) -> list[ModelError]:
    problems = []
    for err in exc.errors():
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        message = err["msg"]
        if err["type"] == "extra_forbidden":
            message = "unknown field (check its spelling)"
        elif err["type"] == "missing":
            message = "required field is missing"
        elif err["type"] == "enum":
            message = f"{err['input']!r} is not one of: {err['ctx']['expected']}"
        elif err["type"] == "string_pattern_mismatch" and loc[-1:] == ("id",):
            message = f"{err['input']!r} is not a kebab-case id (a-z, 0-9 and -)"
        problems.append(ModelError(message, file=label, line=line_of(data, loc),
                                   field=field_path(loc)))
    return problems


# --- loading an area ---------------------------------------------------------

@dataclass
class _Files:
    """Each file's parsed model and raw data, to point problems at lines."""

    parsed: dict[str, ModelFile] = field(default_factory=dict)
    raw: dict[str, object] = field(default_factory=dict)


def load_area(folder: Path) -> Model:
    """Load and check every YAML file of an area folder; raise all problems."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ModelError("model folder not found (give --model a folder of "
                         "model YAML files)", file=str(folder))
    paths = sorted(folder.glob("*.yaml"))
    if not paths:
        raise ModelError("no model files (*.yaml) in this folder", file=str(folder))
    files, problems = _Files(), []
    for path in paths:
        label = _label(path)
        try:
            data = read_yaml(path, label)
            files.raw[label] = data
            files.parsed[label] = ModelFile.model_validate(data)
        except ModelError as exc:
            problems.append(exc)
        except ValidationError as exc:
            problems.extend(_pydantic_problems(exc, files.raw[label], label))
    raise_all(problems)
    return _check(folder, files)


def _label(path: Path) -> str:
    """How a file is named in messages: relative to the working folder if inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _check(folder: Path, files: _Files) -> Model:
    problems: list[ModelError] = []
    area = _one_area(files, folder, problems)
    raise_all(problems)
    report_path = folder / area.report
    extraction = extract_report(read_report(report_path), _label(report_path))
    parties, flows, sources = _collect(files, problems)
    names = _name_index(parties, area, files, problems)
    findings, recs, owners = _report_items(files, names, problems)
    _check_references(files, parties, flows, area, problems)
    _check_evidence(files, findings, extraction, problems)
    _check_extraction_current(files, area, extraction, problems)
    raise_all(problems)
    return Model(folder, area, parties, flows, findings, recs, owners, sources,
                 extraction, names, list(extraction.warnings))


def _where(files: _Files, label: str, loc: tuple) -> int | None:
    return line_of(files.raw[label], loc)


def _one_area(files: _Files, folder: Path, problems: list) -> Area:
    found = [(label, f.area) for label, f in files.parsed.items() if f.area]
    if not found:
        raise ModelError("no file has an 'area:' section (id, name, report, "
                         "public_health_owner)", file=str(folder))
    for label, _ in found[1:]:
        problems.append(ModelError("a second 'area:' section; an area has one",
                                   file=label, line=_where(files, label, ("area",)),
                                   field="area"))
    return found[0][1]


def _collect(files: _Files, problems: list):
    """Parties and flows from all files; every id once across the area."""
    parties: dict[str, Party] = {}
    flows: list[Flow] = []
    sources: dict[str, str] = {}
    for label, parsed in files.parsed.items():
        for section, kind in [*PARTY_SECTIONS.items(), ("flows", "flow")]:
            for i, item in enumerate(getattr(parsed, section)):
                line = _where(files, label, (section, i))
                if item.id in sources:
                    problems.append(ModelError(
                        f"duplicate id {item.id!r} (first defined at {sources[item.id]})",
                        file=label, line=line, field=f"{section}[{i}].id"))
                    continue
                sources[item.id] = f"{label}:{line}"
                if kind == "flow":
                    flows.append(item)
                else:
                    parties[item.id] = Party(item.id, kind, item, sources[item.id])
    return parties, flows, sources


def _name_index(parties, area: Area, files: _Files, problems: list) -> NameIndex:
    """Names, aliases and slips -> ids; a name used for two bodies is an error."""
    names = NameIndex()
    for party in parties.values():
        item = party.item
        for name in [item.id, item.name, *item.aliases, *getattr(item, "misnamed_as", [])]:
            clash = names.add(name, [item.id])
            if clash:
                label, line = party.source.rsplit(":", 1)
                problems.append(ModelError(f"name {name!r} already names {clash}",
                                           file=label, line=int(line), field=f"{item.id}.aliases"))
    for name, ids in area.joint_names.items():
        names.add(name, list(ids))
    return names


def _report_items(files: _Files, names: NameIndex, problems: list):
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
                    near = names.closest(name)
                    hint = f"; did you mean {', '.join(map(repr, near))}?" if near else ""
                    problems.append(ModelError(
                        f"{name!r} names no organisation (add it to an "
                        f"organisation's aliases){hint}", file=label,
                        line=_where(files, label, ("recommendations", i, "owners", j)),
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
                        line=_where(files, label, ("findings", i, "recommendations")),
                        field=f"findings[{i}].recommendations"))
    return findings, recs, owners


# Which fields refer to which kinds of party ("any" means any party).
REFERENCES = {
    "organisations": {"part_of": "organisation", "coordinates": "organisation"},
    "sites": {"operator": "organisation"},
    "services": {"provider": "organisation", "commissioners": "organisation",
                 "subcontracted_from": "organisation", "part_of": "service",
                 "sites": "site"},
    "forums": {"hosted_by": "any"},
    "groups": {"part_of": "any"},
    "systems": {"used_by": "any"},
    "flows": {"from_": "any", "to": "any"},
}


def _check_references(files: _Files, parties, flows, area: Area, problems: list) -> None:
    """Every id a field names exists, and is of the kind the field needs."""
    flow_ids = {f.id for f in flows}
    for label, parsed in files.parsed.items():
        for section, fields in REFERENCES.items():
            for i, item in enumerate(getattr(parsed, section)):
                for attr, kind in fields.items():
                    value = getattr(item, attr)
                    for ref in value if isinstance(value, list) else [value]:
                        problem = _bad_reference(ref, kind, parties)
                        if problem:
                            key = "from" if attr == "from_" else attr
                            problems.append(ModelError(
                                problem, file=label, line=_where(files, label, (section, i, key)),
                                field=f"{section}[{i}].{key}"))
        for i, flow in enumerate(parsed.flows):
            if flow.returns and (flow.returns not in flow_ids or flow.returns == flow.id):
                problems.append(ModelError(
                    f"returns {flow.returns!r}, which is not another flow", file=label,
                    line=_where(files, label, ("flows", i, "returns")),
                    field=f"flows[{i}].returns"))
        if parsed.area and _bad_reference(area.public_health_owner, "organisation", parties):
            problems.append(ModelError(
                _bad_reference(area.public_health_owner, "organisation", parties),
                file=label, line=_where(files, label, ("area", "public_health_owner")),
                field="area.public_health_owner"))


def _bad_reference(ref, kind: str, parties) -> str | None:
    if ref is None:
        return None
    if ref not in parties:
        near = difflib.get_close_matches(ref, list(parties), n=1)
        return f"unknown id {ref!r}" + (f"; did you mean {near[0]!r}?" if near else "")
    if kind != "any" and parties[ref].kind != kind:
        return f"{ref!r} is a {parties[ref].kind}, not a {kind}"
    return None


def _check_evidence(files: _Files, findings, extraction: Extraction, problems: list) -> None:
    """Each quote occurs in the paragraph it cites (whitespace folded)."""
    texts = {fid: fold(f.text) for fid, f in findings.items()}
    if extraction.context:
        texts["context"] = fold(extraction.context)
    texts.update({cid: fold(text) for cid, text in extraction.cases.items()})
    for label, parsed in files.parsed.items():
        for section in [*PARTY_SECTIONS, "flows"]:
            for i, item in enumerate(getattr(parsed, section)):
                for j, ev in enumerate(item.evidence):
                    loc = (section, i, "evidence", j)
                    if ev.paragraph not in texts:
                        problems.append(ModelError(
                            f"paragraph {ev.paragraph!r} is not in the report",
                            file=label, line=_where(files, label, (*loc, "paragraph")),
                            field=f"{field_path(loc)}.paragraph"))
                    elif fold(ev.quote) not in texts[ev.paragraph]:
                        problems.append(ModelError(
                            f"quote not found in paragraph {ev.paragraph}: "
                            f"{_short(ev.quote)!r}", file=label,
                            line=_where(files, label, (*loc, "quote")),
                            field=f"{field_path(loc)}.quote"))


def _short(text: str, n: int = 60) -> str:
    text = re.sub(r"\s+", " ", text)
    return text if len(text) <= n else text[: n - 1] + "…"


def _check_extraction_current(files: _Files, area: Area, extraction: Extraction,
                              problems: list) -> None:
    """The committed extraction still matches what the report text gives."""
    label = next((lb for lb in files.parsed if Path(lb).name == area.extraction), None)
    if label is None:
        problems.append(ModelError(
            f"the extraction file {area.extraction!r} is missing: run "
            f"'graphmodel extract {area.report} > {area.extraction}' in the model folder",
            file=next(iter(files.parsed)), field="area.extraction"))
        return
    parsed = files.parsed[label]
    committed = {"findings": [f.model_dump() for f in parsed.findings],
                 "recommendations": [r.model_dump() for r in parsed.recommendations]}
    if committed != extraction.to_dict():
        problems.append(ModelError(
            f"out of date with {area.report}: regenerate it with 'graphmodel extract "
            f"{area.report} > {area.extraction}'", file=label))
