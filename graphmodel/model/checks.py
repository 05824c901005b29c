"""The loader's checks across files: references, quotes, the extraction, drafts, actions.

Each check appends ModelErrors (file, line, field) to ``problems``, so an
area's problems are all reported at once.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from .. import vocab
from ..errors import ModelError
from ..names import fold
from .messages import bad_reference, field_path, first_last, names_of, quote_problem
from .report import Extraction
from .schema import PARTY_SECTIONS, Area, Evidence, Finding, Flow, Problem, Recommendation
from .types import Party, SourceFiles, where


def reference_fields() -> dict[str, dict[str, str]]:
    """Section -> {field: kind it must name}, from the vocabulary ("any": any party)."""
    out = {kind.section: {ref.field: ref.target for ref in kind.refs}
           for kind in vocab.PARTY_KINDS.values()}
    out["flows"] = {"from_": "any", "to": "any"}
    return out


def check_references(files: SourceFiles, parties: dict[str, Party], flows: list[Flow],
                     area: Area, problems: list[ModelError]) -> None:
    """Every id a field names exists, and is of the kind the field needs."""
    flow_ids = {f.id for f in flows}
    names = names_of(parties)
    for label, parsed in files.parsed.items():
        for section, fields in reference_fields().items():
            for i, item in enumerate(getattr(parsed, section)):
                for attr, kind in fields.items():
                    value = getattr(item, attr)
                    for ref in value if isinstance(value, list) else [value]:
                        problem = bad_reference(ref, kind, parties, names)
                        if problem:
                            key = "from" if attr == "from_" else attr
                            problems.append(ModelError(
                                problem, file=label, line=where(files, label, (section, i, key)),
                                field=f"{section}[{i}].{key}"))
        for i, flow in enumerate(parsed.flows):
            if flow.from_ == flow.to:
                problems.append(ModelError(
                    f"is {flow.to!r}, the sender too: a flow passes information between two "
                    "parties (a team to its organisation is two parties)", file=label,
                    line=where(files, label, ("flows", i, "to")), field=f"flows[{i}].to"))
            if flow.returns and (flow.returns not in flow_ids or flow.returns == flow.id):
                near = difflib.get_close_matches(flow.returns, sorted(flow_ids - {flow.id}), n=1)
                hint = f"; did you mean {near[0]!r}?" if near else ""
                problems.append(ModelError(
                    f"returns {flow.returns!r}, which is not another flow{hint}", file=label,
                    line=where(files, label, ("flows", i, "returns")),
                    field=f"flows[{i}].returns"))
        if parsed.area:
            problem = bad_reference(area.public_health_owner, "organisation", parties, names)
            if problem:
                problems.append(ModelError(
                    problem, file=label, line=where(files, label, ("area", "public_health_owner")),
                    field="area.public_health_owner"))
            for name, ids in area.joint_names.items():
                for ref in ids:
                    problem = bad_reference(ref, "organisation", parties, names)
                    if problem:
                        problems.append(ModelError(
                            problem, file=label,
                            line=where(files, label, ("area", "joint_names", name)),
                            field=f"area.joint_names.{name}"))


def check_flow_recommendations(files: SourceFiles, findings: dict[str, Finding],
                               problems: list[ModelError]) -> None:
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
                        line=where(files, label, ("flows", i, "recommendations", j)),
                        field=f"flows[{i}].recommendations[{j}]"))
            if not flow.recommendations and not flow.recommendations_note:
                problems.append(ModelError(
                    "recommendations: [] needs recommendations_note: why none of its "
                    "paragraphs' recommendations addresses this flow", file=label,
                    line=where(files, label, ("flows", i, "recommendations")),
                    field=f"flows[{i}].recommendations"))


def paragraph_texts(findings: dict[str, Finding], extraction: Extraction) -> dict[str, str]:
    """Locator -> folded text: findings, "context", "cover" and case boxes."""
    texts = {fid: fold(f.text) for fid, f in findings.items()}
    if extraction.context:
        texts["context"] = fold(extraction.context)
    if extraction.cover:
        texts["cover"] = fold(extraction.cover)
    texts.update({cid: fold(text) for cid, text in extraction.cases.items()})
    return texts


def check_evidence(files: SourceFiles, findings: dict[str, Finding], extraction: Extraction,
                   problems: list[ModelError]) -> None:
    """Each quote occurs in the paragraph it cites (whitespace and quote marks folded)."""
    texts = paragraph_texts(findings, extraction)
    for label, parsed in files.parsed.items():
        cited: list[tuple[tuple, Any]] = [
            ((section, i), item) for section in [*PARTY_SECTIONS, "flows", "drafts"]
            for i, item in enumerate(getattr(parsed, section))]
        if parsed.area and parsed.area.review:
            cited.append((("area", "review"), parsed.area.review))
        for at, item in cited:
            for j, ev in enumerate(item.evidence):
                loc = (*at, "evidence", j)
                if ev.paragraph not in texts:
                    problems.append(ModelError(
                        f"paragraph {ev.paragraph!r} is not in the report (its findings "
                        "run from " + first_last(findings) + ")",
                        file=label, line=where(files, label, (*loc, "paragraph")),
                        field=f"{field_path(loc)}.paragraph"))
                elif fold(ev.quote) not in texts[ev.paragraph]:
                    problems.append(ModelError(
                        quote_problem(ev.quote, ev.paragraph, texts), file=label,
                        line=where(files, label, (*loc, "quote")),
                        field=f"{field_path(loc)}.quote"))


def check_extraction_current(files: SourceFiles, area: Area, extraction: Extraction,
                              problems: list[ModelError]) -> None:
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


def check_not_modelled(files: SourceFiles, findings: dict[str, Finding],
                       parties: dict[str, Party], recs: dict[str, Recommendation],
                       problems: list[ModelError]) -> None:
    """Each not_modelled entry names a real finding, party or recommendation."""
    for label, parsed in files.parsed.items():
        for i, item in enumerate(parsed.not_modelled):
            problem: str | None
            if item.paragraph is not None and item.paragraph not in findings:
                problem, key = f"paragraph {item.paragraph!r} is not a finding of the report", \
                    "paragraph"
            elif item.party is not None and item.party not in parties:
                problem, key = bad_reference(item.party, "any", parties, names_of(parties)), \
                    "party"
            elif item.recommendation is not None and item.recommendation not in recs:
                problem, key = f"no recommendation {item.recommendation} in this report", \
                    "recommendation"
            else:
                continue
            problems.append(ModelError(problem or "not found", file=label,
                                       line=where(files, label, ("not_modelled", i, key)),
                                       field=f"not_modelled[{i}].{key}"))


def check_drafts(files: SourceFiles, parties: dict[str, Party], flows: list[Flow],
                 problems: list[ModelError]) -> None:
    """Drafts name real parties, have ids no flow or other draft has, and return real flows.

    Why check drafts at all: ``drafts accept`` moves them into flows.yaml, and
    ``--include-drafts`` draws them; a typo found then is found too late.
    """
    seen = {f.id: "a flow" for f in flows}
    names = names_of(parties)
    drafts = [(label, i, d) for label, parsed in files.parsed.items()
              for i, d in enumerate(parsed.drafts)]
    returnable = set(seen) | {d.id for _, _, d in drafts}
    for label, i, draft in drafts:
        if draft.id in seen:
            problems.append(ModelError(
                f"duplicate id {draft.id!r} (already {seen[draft.id]}); give the draft "
                "another id", file=label, line=where(files, label, ("drafts", i, "id")),
                field=f"drafts[{i}].id"))
        seen.setdefault(draft.id, "a draft")
        for attr, key in (("from_", "from"), ("to", "to")):
            problem = bad_reference(getattr(draft, attr), "any", parties, names)
            if problem:
                problems.append(ModelError(problem, file=label,
                                           line=where(files, label, ("drafts", i, key)),
                                           field=f"drafts[{i}].{key}"))
        if draft.returns and (draft.returns not in returnable or draft.returns == draft.id):
            problems.append(ModelError(
                f"returns {draft.returns!r}, which is not another flow or draft", file=label,
                line=where(files, label, ("drafts", i, "returns")),
                field=f"drafts[{i}].returns"))


def check_actions(files: SourceFiles, parties: dict[str, Party], flows: list[Flow],
                  recs: dict[str, Recommendation], problems: list[ModelError]) -> None:
    """Actions name a real recommendation, an organisation and real flows."""
    flow_ids = {f.id for f in flows}
    for label, parsed in files.parsed.items():
        for i, action in enumerate(parsed.actions):
            loc = ("actions", i)
            if action.recommendation not in recs:
                problems.append(ModelError(
                    f"no recommendation {action.recommendation} in this report",
                    file=label, line=where(files, label, (*loc, "recommendation")),
                    field=f"actions[{i}].recommendation"))
            problem = bad_reference(action.owner, "organisation", parties)
            if problem:
                problems.append(ModelError(problem, file=label,
                                           line=where(files, label, (*loc, "owner")),
                                           field=f"actions[{i}].owner"))
            for j, flow in enumerate(action.fixes):
                if flow not in flow_ids:
                    near = difflib.get_close_matches(flow, sorted(flow_ids), n=1)
                    hint = f"; did you mean {near[0]!r}?" if near else ""
                    problems.append(ModelError(
                        f"fixes {flow!r}, which is not a flow{hint}", file=label,
                        line=where(files, label, (*loc, "fixes", j)),
                        field=f"actions[{i}].fixes[{j}]"))


def problem_flows(flows: Sequence[Flow]) -> set[str]:
    """The flows that make a problem: every failing flow, and the outward leg of a loop
    whose return fails or is missing while the outward flow does go out.

    Why the outward legs: a broken loop is one problem with both legs (a referral
    that goes out and an outcome that never comes back).
    """
    by_id = {f.id: f for f in flows}
    happening = set(vocab.happening())
    answered = {f.returns for f in flows if f.returns}
    needed = {f.id for f in flows if f.status != vocab.WORKING}
    for f in flows:
        outward = by_id.get(f.returns) if f.returns else None
        if outward and f.status != vocab.WORKING and outward.status in happening:
            needed.add(outward.id)
        if f.expects_return and f.id not in answered and f.status in happening:
            needed.add(f.id)
    return needed


def check_problems(files: SourceFiles, flows: list[Flow], findings: dict[str, Finding],
                   extraction: Extraction, problems: list[ModelError]) -> None:
    """Every problem names real flows and quotes its paragraphs; once an area declares
    problems, each flow that makes one belongs to exactly one (docs/modelling.md).

    A listed flow that now works is the codebook's warning (``problem-flow-works``),
    not an error: a flow fixed since the problems were written must not stop the
    area loading.
    """
    declared = [(label, i, p) for label, parsed in files.parsed.items()
                for i, p in enumerate(parsed.problems or [])]
    if not any(parsed.problems is not None for parsed in files.parsed.values()):
        return
    by_id = {f.id: f for f in flows}
    needed = problem_flows(flows)
    texts = paragraph_texts(findings, extraction)
    owner: dict[str, str] = {}
    seen: dict[str, str] = {}
    for label, i, problem in declared:
        where_ = f"{label}:{where(files, label, ('problems', i))}"
        if problem.id in seen:
            problems.append(ModelError(
                f"duplicate problem id {problem.id!r} (first at {seen[problem.id]})",
                file=label, line=where(files, label, ("problems", i, "id")),
                field=f"problems[{i}].id"))
        seen.setdefault(problem.id, where_)
        for j, fid in enumerate(problem.flows):
            loc = ("problems", i, "flows", j)
            message = None
            if fid not in by_id:
                near = difflib.get_close_matches(fid, sorted(by_id), n=1)
                message = f"{fid!r} is not a flow" + (f"; did you mean {near[0]!r}?"
                                                     if near else "")
            elif fid in owner:
                message = (f"{fid!r} is already in problem {owner[fid]!r}: a flow belongs "
                           "to one problem")
            if message:
                problems.append(ModelError(message, file=label, line=where(files, label, loc),
                                           field=field_path(loc)))
            owner.setdefault(fid, problem.id)
        for at, claim in _claims(problem, i):
            _check_quote(files, label, at, claim, texts, findings, problems)
    _check_loops_together(files, declared, by_id, owner, problems)
    missing = [f for f in flows if f.id in needed and f.id not in owner]
    for flow in missing:
        label, (section, k) = next((lb, (s, n)) for lb, parsed in files.parsed.items()
                                   for s in ("flows",) for n, x in enumerate(parsed.flows)
                                   if x.id == flow.id)
        problems.append(ModelError(
            f"flow {flow.id!r} ({flow.status}) belongs to no problem: add it to the problem "
            "it is part of in problems.yaml, or make a problem of it", file=label,
            line=where(files, label, (section, k)), field=f"{section}[{k}]"))


def _claims(problem: Problem, i: int) -> Iterator[tuple[tuple[str | int, ...], Evidence]]:
    """Each cited value of a problem with its path in the file."""
    yield ("problems", i, "scope"), problem.scope
    for j, claim in enumerate(problem.children):
        yield ("problems", i, "children", j), claim
    if problem.timescale:
        yield ("problems", i, "timescale"), problem.timescale


def _check_quote(files: SourceFiles, label: str, loc: tuple[str | int, ...], claim: Evidence,
                 texts: dict[str, str], findings: dict[str, Finding],
                 problems: list[ModelError]) -> None:
    if claim.paragraph not in texts:
        problems.append(ModelError(
            f"paragraph {claim.paragraph!r} is not in the report (its findings run from "
            + first_last(findings) + ")", file=label,
            line=where(files, label, (*loc, "paragraph")), field=f"{field_path(loc)}.paragraph"))
    elif fold(claim.quote) not in texts[claim.paragraph]:
        problems.append(ModelError(
            quote_problem(claim.quote, claim.paragraph, texts), file=label,
            line=where(files, label, (*loc, "quote")), field=f"{field_path(loc)}.quote"))


def _check_loops_together(files: SourceFiles, declared: list[tuple[str, int, Problem]],
                          by_id: dict[str, Flow], owner: dict[str, str],
                          problems: list[ModelError]) -> None:
    """A loop's outward leg and its failing return are one problem, never two."""
    for label, i, problem in declared:
        for j, fid in enumerate(problem.flows):
            flow = by_id.get(fid)
            outward = flow.returns if flow else None
            if outward and outward in owner and owner[outward] != problem.id:
                loc = ("problems", i, "flows", j)
                problems.append(ModelError(
                    f"{fid!r} answers {outward!r}, which is in problem {owner[outward]!r}: "
                    "a loop's two legs are one problem", file=label,
                    line=where(files, label, loc), field=field_path(loc)))
