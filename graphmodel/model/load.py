"""Area folder -> checked Model: YAML with line numbers, schema, names, ids, quotes.

Every problem becomes a ModelError naming the file, line and field, and says
how to fix it; all of an area's problems are reported at once.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .. import vocab
from ..errors import ModelError, raise_all
from ..names import NameIndex, fold
from .report import Extraction, extract_report, read_report
from .schema import (
    PARTY_SECTIONS,
    Action,
    Area,
    DraftFlow,
    Finding,
    Flow,
    ModelFile,
    NextSteps,
    NotModelled,
    Recommendation,
)
from .yamlread import line_of, load_yaml

AREA_FILE = "area.yaml"


@dataclass
class Party:
    """A party of any kind, with where it was defined."""

    id: str
    kind: str  # a vocab.PARTY_KINDS name
    item: Any  # the pydantic object of its kind
    source: str  # "file.yaml:line"


@dataclass
class Model:
    """A checked area model: parties, flows, findings, recommendations, actions, drafts."""

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
    report_path: Path
    next_steps: NextSteps | None = None
    submitters: list[str] = field(default_factory=list)  # organisation ids
    actions: list[Action] = field(default_factory=list)
    drafts: list[DraftFlow] = field(default_factory=list)
    not_modelled: list[NotModelled] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    problems: list = field(default_factory=list)  # codebook warnings (codebook.Problem)
    files: dict[str, Any] = field(default_factory=dict, repr=False)  # label -> raw data
    places: dict[str, tuple[str, tuple]] = field(default_factory=dict, repr=False)

    def of_kind(self, kind: str) -> list:
        """The items of one party kind, in file order."""
        return [p.item for p in self.parties.values() if p.kind == kind]

    def where(self, item_id: str, *fields) -> tuple[str, int | None]:
        """(file label, line) of an item, or of one of its fields."""
        label, loc = self.places[item_id]
        return label, line_of(self.files[label], (*loc, *fields))

    def flow(self, flow_id: str) -> Flow:
        return next(f for f in self.flows if f.id == flow_id)


# --- loading an area ---------------------------------------------------------

@dataclass
class _Files:
    """Each file's parsed model and raw data, to point problems at lines."""

    parsed: dict[str, Any] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)


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
        raise ModelError("model folder not found (give --model a folder of "
                         "model YAML files)", file=str(folder))
    paths = model_files(folder)
    if not paths:
        raise ModelError("no model files (*.yaml) in this folder: make one with "
                         "'graphmodel new'", file=str(folder))
    files, problems = _Files(), []
    for path in paths:
        label = _label(path)
        try:
            data = load_yaml(path, label)
        except ModelError as exc:
            problems.append(exc)
            continue
        files.raw[label] = data if data is not None else {}
    names = _raw_names(files.raw)
    for label, data in files.raw.items():
        if not isinstance(data, dict):
            problems.append(ModelError("a model file must be a mapping of sections "
                                       "(organisations:, flows: ...)", file=label, line=1))
            continue
        try:
            files.parsed[label] = ModelFile.model_validate(data)
        except ValidationError as exc:
            problems.extend(_pydantic_problems(exc, data, label, names))
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


def field_path(loc: tuple) -> str:
    """('flows', 3, 'to') -> 'flows[3].to'."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _raw_names(raw: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """Every party name and alias -> (id, how the name belongs to it), from raw data.

    Read even from files with errors.

    Why: a name typed where an id belongs fails the id pattern before the real
    name index exists; this lets the error say which id to use.
    """
    out: dict[str, tuple[str, str]] = {}
    for data in raw.values():
        if not isinstance(data, dict):
            continue
        for section in PARTY_SECTIONS:
            items = data.get(section)
            for item in items if isinstance(items, list) else []:  # raw: could be anything
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    aliases = item.get("aliases")
                    named = [(item.get("name"), "that is its name")]
                    named += [(a, "that name is an alias of it")
                              for a in (aliases if isinstance(aliases, list) else [])]
                    for name, how in named:
                        if isinstance(name, str):
                            out.setdefault(NameIndex.key(name), (item["id"], how))
    return out


def _pydantic_problems(exc: ValidationError, data, label: str,
                       names: dict[str, tuple[str, str]]) -> list[ModelError]:
    problems = []
    for err in exc.errors():
        loc = tuple(p for p in err["loc"]
                    if not (isinstance(p, str) and ("function-" in p or p.startswith("list["))))
        problems.append(ModelError(_reword(err, loc, names), file=label,
                                   line=line_of(data, loc), field=field_path(loc)))
    return problems


def _reword(err: Any, loc: tuple, names: dict[str, tuple[str, str]]) -> str:
    """A pydantic error in the modeller's words, with how to fix it."""
    kind, value = err["type"], err.get("input")
    if kind == "extra_forbidden":
        return "unknown field (check its spelling; 'graphmodel schema' lists the fields)"
    if kind == "missing":
        return "required field is missing"
    if kind == "value_error":
        return err["msg"].removeprefix("Value error, ")
    if kind in ("enum", "literal_error"):
        expected = err.get("ctx", {}).get("expected", "")
        return f"{_short(repr(value))} is not one of: {expected}"
    if kind == "string_type" and isinstance(value, (int, float)) and not isinstance(value, bool):
        written = getattr(value, "written", value)
        return f"{written} was read as a number; write it in quotes: \"{written}\""
    if kind == "string_pattern_mismatch" and isinstance(value, str):
        return _bad_id_message(value, loc, names)
    if kind in _EXPECTED:
        return f"must be {_EXPECTED[kind]}, not {_what_is(value)}"
    return err["msg"]


# pydantic's wrong-type errors in a modeller's words ("valid dictionary or instance of Area").
_EXPECTED = {
    "dict_type": "a mapping (key: value lines)", "model_type": "a mapping (key: value lines)",
    "model_attributes_type": "a mapping (key: value lines)",
    "list_type": "a list (lines starting '- ')", "string_type": "text",
    "int_type": "a whole number", "int_parsing": "a whole number",
    "int_from_float": "a whole number", "bool_type": "true or false",
    "bool_parsing": "true or false", "date_type": "a date such as 2026-03-31",
    "date_parsing": "a date such as 2026-03-31",
    "date_from_datetime_parsing": "a date such as 2026-03-31",
}


def _what_is(value) -> str:
    """What a YAML value was read as, for "must be a list, not text ('x')"."""
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, (int, float)):
        return f"the number {getattr(value, 'written', value)}"
    return f"text ({_short(repr(str(value)))})"


def _bad_id_message(value: str, loc: tuple, names: dict[str, tuple[str, str]]) -> str:
    if loc and loc[-1] == "paragraph" or (len(loc) > 1 and loc[-2] == "paragraph"):
        return (f"{_short(repr(value))} is not a paragraph: write a finding number such as "
                "\"5.2.13\", \"context\" or \"case:3.1\"")
    known = names.get(NameIndex.key(value))
    if known:
        ident, how = known
        return f"{_short(repr(value))} is a name; use the id '{ident}' ({how})"
    suggestion = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
    hint = f" such as '{suggestion}'" if suggestion else ""
    if str(loc[-1]) == "id" or (len(loc) > 1 and str(loc[-2]) == "id"):
        return f"{_short(repr(value))} is not a kebab-case id (a-z, 0-9 and -){hint}"
    return f"{_short(repr(value))} is not an id (ids are kebab-case, a-z, 0-9 and -)"


def _short(text: str, n: int = 60) -> str:
    text = re.sub(r"\s+", " ", text)
    return text if len(text) <= n else text[: n - 1] + "…"


def _check(folder: Path, files: _Files, codebook_warnings: bool = True) -> Model:
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
    _check_references(files, parties, flows, area, problems)
    _check_flow_recommendations(files, findings, problems)
    _check_evidence(files, findings, extraction, problems)
    _check_extraction_current(files, area, extraction, problems)
    actions = [a for p in files.parsed.values() for a in p.actions]
    drafts = [d for p in files.parsed.values() for d in p.drafts]
    _check_actions(files, parties, flows, recs, problems)
    not_modelled = [n for p in files.parsed.values() for n in p.not_modelled]
    _check_not_modelled(files, findings, parties, recs, problems)
    _check_drafts(files, parties, flows, problems)
    raise_all(problems)
    warnings = list(extraction.warnings)
    if not flows:
        warnings.append(f"{area_label}: the area has no flows yet: add them to flows.yaml "
                        "('graphmodel todo' lists the paragraphs to model)")
    if not findings:
        warnings.append(f"{_label(report_path)}: the report has no numbered findings")
    model = Model(folder, area, parties, flows, findings, recs, owners, sources, extraction,
                  names, report_path, next_steps, submitters, actions, drafts, not_modelled,
                  warnings, [], files.raw, places)
    from .codebook import check_model
    found = check_model(model, codebook_warnings)
    raise_all([ModelError(f"{p.message} [{p.rule}]", file=p.file, line=p.line, field=p.field)
               for p in found if p.level == "error"])
    model.problems = [p for p in found if p.level != "error"]
    return model


def _where(files: _Files, label: str, loc: tuple) -> int | None:
    return line_of(files.raw[label], loc)


def _one_area(files: _Files, folder: Path, problems: list) -> tuple[Area, str]:
    found = [(label, f.area) for label, f in files.parsed.items() if f.area]
    if not found:
        raise ModelError(f"no file has an 'area:' section (id, name, report, "
                         f"public_health_owner): add {AREA_FILE}", file=str(folder))
    for label, _ in found[1:]:
        problems.append(ModelError(f"a second 'area:' section (the first is in {found[0][0]}); "
                                   "an area has one", file=label,
                                   line=_where(files, label, ("area",)), field="area"))
    return found[0][1], found[0][0]


def _collect(files: _Files, problems: list):
    """Parties and flows from all files; every id once across the area."""
    parties: dict[str, Party] = {}
    flows: list[Flow] = []
    sources: dict[str, str] = {}
    places: dict[str, tuple[str, tuple]] = {}
    for label, parsed in files.parsed.items():
        for section, kind in [*PARTY_SECTIONS.items(), ("flows", "flow")]:
            for i, item in enumerate(getattr(parsed, section)):
                line = _where(files, label, (section, i))
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


def _name_index(parties, area: Area, problems: list) -> NameIndex:
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


def _unknown_name(name: str, names: NameIndex) -> str:
    near = names.closest(name)
    hint = f"; did you mean {', '.join(map(repr, near))}?" if near else ""
    return (f"{name!r} names no organisation: add it to that organisation's aliases "
            f"(or misnamed_as, for a slip in the report){hint}")


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
                    problems.append(ModelError(
                        _unknown_name(name, names), file=label,
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


def _next_steps(files: _Files, names: NameIndex, problems: list):
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
                    _unknown_name(name, names), file=label,
                    line=_where(files, label, ("next_steps", "submitters", j)),
                    field=f"next_steps.submitters[{j}]"))
                continue
            ids += [x for x in found if x not in ids]
        return steps, ids
    return None, []


def _reference_fields() -> dict[str, dict[str, str]]:
    """Section -> {field: kind it must name}, from the vocabulary ("any": any party)."""
    out = {kind.section: {ref.field: ref.target for ref in kind.refs}
           for kind in vocab.PARTY_KINDS.values()}
    out["flows"] = {"from_": "any", "to": "any"}
    return out


def _check_references(files: _Files, parties, flows, area: Area, problems: list) -> None:
    """Every id a field names exists, and is of the kind the field needs."""
    flow_ids = {f.id for f in flows}
    names = _names_of(parties)
    for label, parsed in files.parsed.items():
        for section, fields in _reference_fields().items():
            for i, item in enumerate(getattr(parsed, section)):
                for attr, kind in fields.items():
                    value = getattr(item, attr)
                    for ref in value if isinstance(value, list) else [value]:
                        problem = bad_reference(ref, kind, parties, names)
                        if problem:
                            key = "from" if attr == "from_" else attr
                            problems.append(ModelError(
                                problem, file=label, line=_where(files, label, (section, i, key)),
                                field=f"{section}[{i}].{key}"))
        for i, flow in enumerate(parsed.flows):
            if flow.from_ == flow.to:
                problems.append(ModelError(
                    f"is {flow.to!r}, the sender too: a flow passes information between two "
                    "parties (a team to its organisation is two parties)", file=label,
                    line=_where(files, label, ("flows", i, "to")), field=f"flows[{i}].to"))
            if flow.returns and (flow.returns not in flow_ids or flow.returns == flow.id):
                near = difflib.get_close_matches(flow.returns, sorted(flow_ids - {flow.id}), n=1)
                hint = f"; did you mean {near[0]!r}?" if near else ""
                problems.append(ModelError(
                    f"returns {flow.returns!r}, which is not another flow{hint}", file=label,
                    line=_where(files, label, ("flows", i, "returns")),
                    field=f"flows[{i}].returns"))
        if parsed.area:
            problem = bad_reference(area.public_health_owner, "organisation", parties, names)
            if problem:
                problems.append(ModelError(
                    problem, file=label, line=_where(files, label, ("area", "public_health_owner")),
                    field="area.public_health_owner"))
            for name, ids in area.joint_names.items():
                for ref in ids:
                    problem = bad_reference(ref, "organisation", parties, names)
                    if problem:
                        problems.append(ModelError(
                            problem, file=label,
                            line=_where(files, label, ("area", "joint_names", name)),
                            field=f"area.joint_names.{name}"))


def _names_of(parties) -> dict[str, str]:
    """Party name (folded) -> id, for suggestions by name."""
    out: dict[str, str] = {}
    for pid, party in parties.items():
        for name in [party.item.name, *party.item.aliases]:
            out.setdefault(NameIndex.key(name), pid)
    return out


def _a(word: str) -> str:
    return ("an " if word[:1] in "aeiou" else "a ") + word


def bad_reference(ref, kind: str, parties, names: dict[str, str] | None = None) -> str | None:
    """Why ``ref`` cannot be used where a party of ``kind`` is needed, or None."""
    if ref is None:
        return None
    if ref not in parties:
        by_id = difflib.get_close_matches(ref, list(parties), n=2)
        by_name: list[tuple[str, str]] = []
        if names:
            keys = difflib.get_close_matches(ref.replace("-", " "), list(names), n=3, cutoff=0.6)
            for key in keys:
                if names[key] not in by_id and names[key] not in [i for i, _ in by_name]:
                    by_name.append((names[key], key))
        near = [repr(i) for i in by_id] + [f"{i!r} (named {parties[i].item.name!r})"
                                           for i, _ in by_name[:2]]
        hint = f"; did you mean {' or '.join(near)}?" if near else \
            " (define it in a party file, or check the spelling)"
        return f"unknown id {ref!r}{hint}"
    if kind != "any" and parties[ref].kind != kind:
        return f"{ref!r} is {_a(parties[ref].kind)}, not {_a(kind)}"
    return None


def _check_flow_recommendations(files: _Files, findings, problems: list) -> None:
    """A flow's own ``recommendations`` narrow what its paragraphs cite, never add to it."""
    for label, parsed in files.parsed.items():
        for i, flow in enumerate(parsed.flows):
            if flow.recommendations is None:
                continue
            cited = {r for ev in flow.evidence if ev.paragraph in findings
                     for r in findings[ev.paragraph].recommendations}
            for j, rec in enumerate(flow.recommendations):
                if rec not in cited:
                    problems.append(ModelError(
                        f"recommendation {rec} is not cited by any of this flow's evidence "
                        f"paragraphs (they cite: {', '.join(sorted(cited)) or 'none'}); a "
                        "flow can only narrow what its paragraphs cite", file=label,
                        line=_where(files, label, ("flows", i, "recommendations", j)),
                        field=f"flows[{i}].recommendations[{j}]"))
            if not flow.recommendations and not flow.recommendations_note:
                problems.append(ModelError(
                    "recommendations: [] needs recommendations_note: why none of its "
                    "paragraphs' recommendations addresses this flow", file=label,
                    line=_where(files, label, ("flows", i, "recommendations")),
                    field=f"flows[{i}].recommendations"))


def paragraph_texts(findings, extraction: Extraction) -> dict[str, str]:
    """Locator -> folded text: findings, "context" and case boxes."""
    texts = {fid: fold(f.text) for fid, f in findings.items()}
    if extraction.context:
        texts["context"] = fold(extraction.context)
    texts.update({cid: fold(text) for cid, text in extraction.cases.items()})
    return texts


def _check_evidence(files: _Files, findings, extraction: Extraction, problems: list) -> None:
    """Each quote occurs in the paragraph it cites (whitespace and quote marks folded)."""
    texts = paragraph_texts(findings, extraction)
    for label, parsed in files.parsed.items():
        for section in [*PARTY_SECTIONS, "flows", "drafts"]:
            for i, item in enumerate(getattr(parsed, section)):
                for j, ev in enumerate(item.evidence):
                    loc = (section, i, "evidence", j)
                    if ev.paragraph not in texts:
                        problems.append(ModelError(
                            f"paragraph {ev.paragraph!r} is not in the report (its findings "
                            "run from " + _first_last(findings) + ")",
                            file=label, line=_where(files, label, (*loc, "paragraph")),
                            field=f"{field_path(loc)}.paragraph"))
                    elif fold(ev.quote) not in texts[ev.paragraph]:
                        problems.append(ModelError(
                            quote_problem(ev.quote, ev.paragraph, texts), file=label,
                            line=_where(files, label, (*loc, "quote")),
                            field=f"{field_path(loc)}.quote"))


def _first_last(findings) -> str:
    ids = list(findings)
    return f"{ids[0]} to {ids[-1]}, plus context and case:N.N" if ids else "no paragraph"


def quote_problem(quote: str, paragraph: str, texts: dict[str, str]) -> str:
    """Why a quote fails, and where it is: another paragraph, or the closest passage."""
    folded = fold(quote)
    head = f"quote not found in paragraph {paragraph}: {_short(quote)!r}"
    elsewhere = [p for p, text in texts.items() if folded in text]
    if elsewhere:
        return f"{head}; it is in paragraph {', '.join(elsewhere[:3])}: cite that one"
    sentences = re.split(r"(?<=[.;:!?])\s+", texts.get(paragraph, ""))
    best = difflib.get_close_matches(folded, sentences, n=1, cutoff=0.4)
    if best:
        return f"{head}; closest in {paragraph}: {_short(best[0], 90)!r}"
    return f"{head}; copy the words exactly as the report has them"


def _check_extraction_current(files: _Files, area: Area, extraction: Extraction,
                              problems: list) -> None:
    """The committed extraction still matches what the report text gives."""
    label = next((lb for lb in files.parsed if Path(lb).name == area.extraction), None)
    if label is None:
        problems.append(ModelError(
            f"the extraction file {area.extraction!r} is missing: run "
            f"'graphmodel extract {area.report} -o {area.extraction}' in the model folder",
            file=next(iter(files.parsed)), field="area.extraction"))
        return
    parsed = files.parsed[label]
    committed: dict[str, Any] = {"findings": [f.model_dump() for f in parsed.findings],
                 "recommendations": [r.model_dump() for r in parsed.recommendations]}
    if parsed.next_steps is not None or extraction.next_steps is not None:
        committed["next_steps"] = (parsed.next_steps.model_dump()
                                   if parsed.next_steps else None)
    if committed != extraction.to_dict():
        problems.append(ModelError(
            f"out of date with {area.report}: regenerate it with 'graphmodel extract "
            f"{area.report} -o {area.extraction}' in the model folder", file=label))


def _check_not_modelled(files: _Files, findings, parties, recs, problems: list) -> None:
    """Each not_modelled entry names a real finding, party or recommendation."""
    for label, parsed in files.parsed.items():
        for i, item in enumerate(parsed.not_modelled):
            problem: str | None
            if item.paragraph is not None and item.paragraph not in findings:
                problem, key = f"paragraph {item.paragraph!r} is not a finding of the report", \
                    "paragraph"
            elif item.party is not None and item.party not in parties:
                problem, key = bad_reference(item.party, "any", parties, _names_of(parties)), \
                    "party"
            elif item.recommendation is not None and item.recommendation not in recs:
                problem, key = f"no recommendation {item.recommendation} in this report", \
                    "recommendation"
            else:
                continue
            problems.append(ModelError(problem or "not found", file=label,
                                       line=_where(files, label, ("not_modelled", i, key)),
                                       field=f"not_modelled[{i}].{key}"))


def _check_drafts(files: _Files, parties, flows, problems: list) -> None:
    """Drafts name real parties, have ids no flow or other draft has, and return real flows.

    Why check drafts at all: ``drafts accept`` moves them into flows.yaml, and
    ``--include-drafts`` draws them; a typo found then is found too late.
    """
    seen = {f.id: "a flow" for f in flows}
    names = _names_of(parties)
    drafts = [(label, i, d) for label, parsed in files.parsed.items()
              for i, d in enumerate(parsed.drafts)]
    returnable = set(seen) | {d.id for _, _, d in drafts}
    for label, i, draft in drafts:
        if draft.id in seen:
            problems.append(ModelError(
                f"duplicate id {draft.id!r} (already {seen[draft.id]}); give the draft "
                "another id", file=label, line=_where(files, label, ("drafts", i, "id")),
                field=f"drafts[{i}].id"))
        seen.setdefault(draft.id, "a draft")
        for attr, key in (("from_", "from"), ("to", "to")):
            problem = bad_reference(getattr(draft, attr), "any", parties, names)
            if problem:
                problems.append(ModelError(problem, file=label,
                                           line=_where(files, label, ("drafts", i, key)),
                                           field=f"drafts[{i}].{key}"))
        if draft.returns and (draft.returns not in returnable or draft.returns == draft.id):
            problems.append(ModelError(
                f"returns {draft.returns!r}, which is not another flow or draft", file=label,
                line=_where(files, label, ("drafts", i, "returns")),
                field=f"drafts[{i}].returns"))


def _check_actions(files: _Files, parties, flows, recs, problems: list) -> None:
    """Actions name a real recommendation, an organisation and real flows."""
    flow_ids = {f.id for f in flows}
    for label, parsed in files.parsed.items():
        for i, action in enumerate(parsed.actions):
            loc = ("actions", i)
            if action.recommendation not in recs:
                problems.append(ModelError(
                    f"no recommendation {action.recommendation} in this report",
                    file=label, line=_where(files, label, (*loc, "recommendation")),
                    field=f"actions[{i}].recommendation"))
            problem = bad_reference(action.owner, "organisation", parties)
            if problem:
                problems.append(ModelError(problem, file=label,
                                           line=_where(files, label, (*loc, "owner")),
                                           field=f"actions[{i}].owner"))
            for j, flow in enumerate(action.fixes):
                if flow not in flow_ids:
                    near = difflib.get_close_matches(flow, sorted(flow_ids), n=1)
                    hint = f"; did you mean {near[0]!r}?" if near else ""
                    problems.append(ModelError(
                        f"fixes {flow!r}, which is not a flow{hint}", file=label,
                        line=_where(files, label, (*loc, "fixes", j)),
                        field=f"actions[{i}].fixes[{j}]"))
