"""A new area folder from a report: ``graphmodel new``.

Why: modelling a second area used to start from a copy of Sefton with most
of it deleted and every id and quote typed by hand. The report already names
its bodies, its recommendation owners, who commissions what and where
information passes; this proposes all of it, with a quote for each fact, in
a folder that passes ``validate`` at once, and leaves the judgement to the
modeller. Nothing here prints: ``cli_area`` does.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import vocab
from ..errors import ModelError, UsageError, relabelled
from ..model.report import (
    Extraction,
    ReportText,
    extract_report,
    extraction_yaml,
    read_report_file,
)
from ..names import NameIndex, fold
from . import bodies
from .bodies import Body, ServiceLine, body_key, slug

if TYPE_CHECKING:  # both load lazily: pydantic and ruamel are slow to import
    from ruamel.yaml.comments import CommentedMap

    from ..model.types import Model

SCHEMA_FILE = "graphmodel.schema.json"
SCHEMA_HEADER = f"# yaml-language-server: $schema={SCHEMA_FILE}\n"
_ORG_ID_DROP = {"nhs", "foundation", "trust", "hospitals", "healthcare", "the", "and", "of"}
_SERVICE_ID_DROP = {"the", "and", "for", "of", "services", "service", "based", "including"}

HEADERS = {
    "area.yaml": "The area this model describes and the report it rests on.",
    "organisations.yaml": (
        "Every body the report names, with every name it uses for it. Proposed by\n"
        "'graphmodel new' from the recommendations, the Next steps and the context:\n"
        "check each kind, and merge two entries that are one body (move the names of\n"
        "one into the other's aliases, or misnamed_as for a slip in the report)."),
    "services.yaml": (
        "Who provides which service, commissioned by whom. Proposed from the\n"
        "context's 'commissioned by ... provided by ...' sentences: check names and\n"
        "aliases, and add the services the findings name."),
    "forums.yaml": (
        "Multi-agency forums and processes (MASH, conferences, MARAC ...). Proposed\n"
        "where the report names a national one: check who hosts each."),
    "sites.yaml": "Hospitals and other places where services are delivered (operator: an "
                  "organisation id).\nProposed where a hospital's name shares words with a "
                  "trust's: check each operator.",
    "groups.yaml": "Groups of practitioners inside an organisation or service (part_of: its "
                   "id) that\nthe report names as senders or receivers.",
    "systems.yaml": "Record systems the report names (EMIS, CPIS, paper records), and who "
                    "uses them.",
    "flows.yaml": (
        "Information flows: who passes what to whom, and how well, as the report\n"
        "judges it. 'graphmodel drafts accept ID' moves reviewed drafts here; a\n"
        "feedback loop is an outward flow (expects_return: true) and the flow that\n"
        "answers it (returns: <outward id>)."),
    "drafts.yaml": (
        "Flows drafted from the report's sentences, waiting for review. For each:\n"
        "fix from, to, passes and status if they are wrong, shorten the quote to\n"
        "the words that matter, then 'graphmodel drafts accept ID' (or 'graphmodel\n"
        "drafts reject ID'). 'why' says which words matched. Maps and gaps leave\n"
        "drafts out unless --include-drafts."),
    "not_modelled.yaml": (
        "What the model leaves out on purpose, and why: a finding that speaks of\n"
        "information passing but describes no flow (paragraph:), or a party that\n"
        "needs no services (party:). 'graphmodel todo' lists what is still open."),
    "actions.yaml": "The action plan: one action per recommendation and owner (see the "
                    "README).",
}
EMPTY = {"flows.yaml": "flows", "not_modelled.yaml": "not_modelled", "actions.yaml": "actions"}


@dataclass
class Proposal:
    """Everything ``new`` proposes for an area, before it is written."""

    id: str
    name: str
    extraction: Extraction
    bodies: list[Body]
    services: list[dict]
    public_health_owner: str
    drafts: list = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    source: ReportText | None = None  # the report file, when new_area read one


class _Registry:
    """Bodies by key, with every name taken once across the area (names must not clash)."""

    def __init__(self) -> None:
        self.by_key: dict[str, Body] = {}
        self.names = NameIndex()
        self.ids: set[str] = set()

    def resolve(self, name: str) -> Body | None:
        ids = self.names.resolve(name)
        found = self.by_key.get(body_key(name))
        if ids:
            return next((b for b in self.by_key.values() if b.id == ids[0]), found)
        return found

    def add(self, key: str, body: Body) -> Body:
        if key in self.by_key:
            existing = self.by_key[key]
            for name in body.names():
                self.name(existing, name)
            if not existing.evidence:
                existing.evidence = body.evidence
            return existing
        body.id = self.unique(body.id)
        self.by_key[key] = body
        names, body.aliases = body.names(), []
        for name in names:
            self.name(body, name)
        return body

    def name(self, body: Body, name: str) -> None:
        """Give a body a name unless another body holds it already."""
        taken = self.names.resolve(name)
        if taken and taken != [body.id]:
            return
        if not taken:
            self.names.add(name, [body.id])
        if NameIndex.key(name) != NameIndex.key(body.name):
            body.add_name(name)

    def unique(self, base: str) -> str:
        """An id no body has, and no name of another body spells (the loader reads every
        id as a name too: a service "ed" would clash with the ED's alias "ED")."""
        candidate, n = base, 2
        while candidate in self.ids or self.names.resolve(candidate):
            candidate, n = f"{base}-{n}", n + 1
        self.ids.add(candidate)
        return candidate

    def bodies(self) -> list[Body]:
        return list(self.by_key.values())


def area_name(text: str, folder: Path) -> str:
    """The area's name as the report gives it ("... safeguarding in Sefton"), else the folder's."""
    match = re.search(r"\b(?:safeguarding|services|children) in (?:the )?([A-Z][\w'’-]+"
                      r"(?:(?: and| of| upon| on)? [A-Z][\w'’-]+)*)", text[:20000])
    return match.group(1) if match else folder.name.replace("-", " ").title()


def paragraphs(extraction: Extraction) -> dict[str, str]:
    """Locator -> folded text: the context first, then every finding and case box."""
    out = {"context": fold(extraction.context)} if extraction.context else {}
    out.update({f.id: fold(f.text) for f in extraction.findings})
    out.update({cid: fold(text) for cid, text in extraction.cases.items()})
    return out


def propose(text: str, folder: Path, name: str | None = None, source: str = "report.txt"
            ) -> Proposal:
    """An area's proposed parties, services and drafts, from its report's text."""
    extraction = extract_report(text, source)
    area = name or area_name(text, folder)
    texts = paragraphs(extraction)
    reg = _Registry()
    _public_health(reg, texts)
    _named_bodies(reg, texts)
    for owner in _owner_names(extraction):
        if reg.resolve(owner) is None:
            reg.add(body_key(owner), _new_org(owner, None, None))
    _abbreviations(reg, fold(text))
    _kinds_said(reg, texts)
    council = _council(reg, area)
    if council is not None:
        reg.name(council, "council")  # "sent by the council", "received late from the council"
    notes: list[str] = []
    services, at = _services(reg, extraction, texts, notes)
    _abbreviations(reg, fold(text))  # of the providers the context's services brought
    _common(reg, texts, council)
    _front_door(reg, texts.get("context", ""), council)
    _systems(reg, texts)
    _sites(reg, texts, at)
    owner = _public_health_owner(reg, council)
    kept = [b for b in reg.bodies() if b.section != "services" and not _aside(b, texts)]
    proposal = Proposal(slug(area), area, extraction, kept, services, owner, notes=notes)
    from .drafting import draft_flows
    named = [(b.id, b.name, b.aliases) for b in proposal.bodies]
    named += [(s["id"], s["name"], s.get("aliases", [])) for s in services]
    proposal.drafts = draft_flows(extraction.findings, named, cases=extraction.cases,
                                  systems={b.id for b in proposal.bodies
                                           if b.section == "systems"})
    return proposal


def _new_org(name: str, paragraph: str | None, quote: str | None) -> Body:
    kind = bodies.org_kind(name)
    named = bodies.NAMED_BODIES.fullmatch(name)
    ident = slug(name) if named else slug(name, _ORG_ID_DROP)
    if "-" not in ident and not named:  # "wexmoor" would read as the area: "wexmoor-hospitals"
        ident = slug(name, _ORG_ID_DROP - {"hospitals", "healthcare"})
    return Body(ident, name, "organisations", kind,
                evidence=[(paragraph, quote)] if paragraph and quote else [])


_ASIDE = {"ofsted", "public-health-england"}


def _aside(body: Body, texts: dict[str, str]) -> bool:
    """Ofsted and Public Health England named only in the context (past inspections, the
    source of the figures) are no party of this review's flows."""
    return body.id in _ASIDE and not any(
        any(re.search(rf"\b{re.escape(n)}\b", text) for n in body.names())
        for paragraph, text in texts.items() if paragraph != "context")


_APPOSITION = re.compile(r"(?P<name>[A-Z][\w'’&-]*(?: [A-Z][\w'’&-]*)*), an? (?P<what>charity|"
                         r"voluntary (?:sector )?organisation|social enterprise|community "
                         r"interest company)\b")


def _kinds_said(reg: _Registry, texts: dict[str, str]) -> None:
    """A body the report calls "a charity" or "a social enterprise" is a voluntary provider,
    whatever its name ends in ("Tidewell Trust, a charity")."""
    for text in texts.values():
        for match in _APPOSITION.finditer(text):
            body = reg.resolve(match.group("name"))
            if body is not None and body.section == "organisations":
                body.kind = "voluntary_provider"


def _owner_names(extraction: Extraction) -> list[str]:
    names = [o for r in extraction.recommendations for o in r.owners]
    if extraction.next_steps:
        names += extraction.next_steps.submitters
    return list(dict.fromkeys(names))


def _public_health(reg: _Registry, texts: dict[str, str]) -> None:
    """A council's public health team, under the names the report gives it."""
    for paragraph, text in texts.items():
        for match in bodies.PUBLIC_HEALTH.finditer(text):
            council = bodies.clean_name(match.group("a") or match.group("b"))
            quote = bodies.sentence_with(text, match.start())
            parent = reg.add(body_key(council), _new_org(council, paragraph, quote))
            team = Body(f"{parent.id}-public-health", f"{council} public health team",
                        "organisations", "local_authority_function", [match.group(0)],
                        part_of=parent.id, evidence=[(paragraph, quote)])
            reg.add("public-health:" + parent.id, team)


def _named_bodies(reg: _Registry, texts: dict[str, str]) -> None:
    for paragraph, text in texts.items():
        for name, start, end in bodies.find_bodies(text):
            if name == "CQC":
                name = "Care Quality Commission"
            body = reg.resolve(name)
            if body is None:
                body = reg.add(body_key(name), _new_org(name, paragraph,
                                                        bodies.sentence_with(text, start)))
            reg.name(body, name if name != "Care Quality Commission" else "CQC")
            abbreviation = bodies.abbreviation_after(text, end)
            if abbreviation:
                reg.name(body, abbreviation)


def _abbreviations(reg: _Registry, text: str) -> None:
    """"St. Anne's Hospice (SAH)": the bracketed abbreviation after any of a body's names."""
    for body in reg.bodies():
        for name in body.names():
            for match in re.finditer(re.escape(fold(name)) + r"\s*\(([A-Z][A-Za-z&]{1,11})\)",
                                     text):
                reg.name(body, match.group(1))


def _council(reg: _Registry, area: str) -> Body | None:
    councils = [b for b in reg.bodies() if b.kind == "local_authority"]
    return next((c for c in councils if area.lower() in c.name.lower()),
                councils[0] if councils else None)


def _public_health_owner(reg: _Registry, council: Body | None) -> str:
    teams = [b for b in reg.bodies() if b.kind == "local_authority_function"
             and (council is None or b.part_of == council.id)]
    if teams:
        return teams[0].id
    if council:
        return council.id
    commissioners = [b for b in reg.bodies() if b.kind == "commissioner"]
    return (commissioners or reg.bodies())[0].id


def _common(reg: _Registry, texts: dict[str, str], council: Body | None) -> None:
    """The national forums and council functions the report names."""
    for common in bodies.COMMON_PARTIES:
        found = [(p, m) for p, text in texts.items()
                 for m in bodies.common_mentions(common, text)]
        if not found:
            continue
        paragraph, first = found[0]
        body = Body(common.id, common.name, common.section, common.kind, role=common.role,
                    evidence=[(paragraph, bodies.sentence_with(texts[paragraph],
                                                                first.start()))])
        if council and common.council == "part_of":
            body.part_of = council.id
        elif council and common.council == "hosted_by":
            body.hosted_by = council.id
        if common.parent:
            body.part_of = _host(reg, texts, found) or _parent(reg, common.parent)
            if body.part_of is None:
                continue
        body = reg.add("common:" + common.id, body)
        for _, match in found:
            reg.name(body, match.group(0))


def _front_door(reg: _Registry, context: str, council: Body | None) -> None:
    """The front door the context names under a local name (a MASH is a common party),
    and the health practitioners it says are based there."""
    for sentence in bodies.sentences(context):
        found = bodies.front_door(sentence)
        if not found:
            continue
        name, abbreviation = found
        door = reg.by_key.get("common:mash")
        if door is None or not re.search(r"safeguarding hub|\bMASH\b", name, re.I):
            door = reg.add("front-door:" + slug(name), Body(
                slug(abbreviation), name, "forums", "hub", [abbreviation], role="front_door",
                hosted_by=council.id if council else None, evidence=[("context", sentence)]))
        reg.name(door, name)
        reg.name(door, abbreviation)
        _health_in_door(reg, context, door)
        return


def _health_in_door(reg: _Registry, context: str, door: Body) -> None:
    """"A health team is co-located in CADS": a group inside the front door."""
    for sentence in bodies.sentences(context):
        match = bodies.HEALTH_IN_DOOR.search(sentence)
        rest = sentence[match.end():] if match else ""
        if match and any(re.match(re.escape(n) + r"\b", rest, re.I) for n in door.names()):
            words = match.group(1).lower()
            group = Body(f"{door.id}-{slug(words)}", f"{door.name} {words}", "groups", "",
                         [f"{door.aliases[0]} {words}" if door.aliases else words],
                         part_of=door.id, evidence=[("context", sentence)])
            reg.add("group:" + group.id, group)


def _systems(reg: _Registry, texts: dict[str, str]) -> None:
    """The record systems the report names (CP-IS, SystmOne, RiO, EMIS ...)."""
    for ident, name, pattern in bodies.SYSTEMS:
        found = [(p, m) for p, text in texts.items() for m in re.finditer(pattern, text, re.I)]
        if not found:
            continue
        paragraph, first = found[0]
        system = reg.add("system:" + ident, Body(
            ident, name, "systems", "", role=bodies.SYSTEM_ROLES.get(ident, "record_system"),
            evidence=[(paragraph, bodies.sentence_with(texts[paragraph], first.start()))]))
        for _, match in found:
            reg.name(system, match.group(0))


def _host(reg: _Registry, texts: dict[str, str],
          found: list[tuple[str, re.Match[str]]]) -> str | None:
    """The body a group's sentence says hosts it ("... which is hosted by SCCCG")."""
    for paragraph, match in found:
        sentence = bodies.sentence_with(texts[paragraph], match.start())
        hosted = re.search(r"\bhosted by (?:the )?([A-Z][\w'’&]*(?: [A-Z][\w'’&]*)*)", sentence)
        body = reg.resolve(hosted.group(1)) if hosted else None
        if body is not None:
            return body.id
    return None


def _parent(reg: _Registry, parent: str) -> str | None:
    """The id of a group's container: the first commissioner, or a common party."""
    if parent == "commissioner":
        return next((b.id for b in reg.bodies() if b.kind == "commissioner"), None)
    return next((b.id for k, b in reg.by_key.items() if k == "common:" + parent), None)


def _sites(reg: _Registry, texts: dict[str, str], at: dict[str, str]) -> None:
    """Hospitals, each run by the trust the context says provides there ("... at <site>"),
    else by the trust whose name shares the most words with it."""
    trusts = [b for b in reg.bodies() if b.kind == "nhs_provider"]
    for paragraph, text in texts.items():
        for name, start in bodies.find_sites(text):
            core = bodies.site_core(name)
            if not core or reg.resolve(name):
                continue
            scores = sorted(((len(core & bodies.site_core(t.name)), t.id) for t in trusts),
                            reverse=True)
            if " ".join(sorted(core)) in at:
                scores = [(99, at[" ".join(sorted(core))])]
            if not scores or scores[0][0] == 0 or (len(scores) > 1 and
                                                   scores[1][0] == scores[0][0]):
                continue
            ordered = [c for w in slug(name).split("-")
                       if (c := next(iter(bodies.site_core(w)), "")) in core]
            site = Body("-".join(dict.fromkeys(ordered)) + "-hospital", name, "sites", "",
                        operator=scores[0][1],
                        evidence=[(paragraph, bodies.sentence_with(text, start))])
            reg.name(reg.add("site:" + " ".join(sorted(core)), site), name)


def _resolve(reg: _Registry, names: list[str]) -> list[Body]:
    """Bodies for names as a sentence writes them; "SSCCG and SFCCG" splits if both resolve."""
    out: list[Body] = []
    for name in names:
        if bodies.OWN_PUBLIC_HEALTH.match(name):  # "the council's public health team"
            out += [b for b in reg.bodies() if b.kind == "local_authority_function"
                    and b.id.endswith("-public-health") and b not in out][:1]
            continue
        if re.match(r"(?:each of |all )?(?:the )?(?:\w+ )?CCGs$", name):  # "the three CCGs"
            out += [b for b in reg.bodies() if b.kind == "commissioner"
                    and re.search(r"\bCCG\b", b.name) and b not in out]
            continue
        body = reg.resolve(name)
        parts = [reg.resolve(p) for p in re.split(r"\s+(?:and|&)\s+", name)]
        if body is None and len(parts) > 1 and all(parts):
            out += [p for p in parts if p is not None and p not in out]
        elif body is not None and body not in out:
            out.append(body)
    return out


def _services(reg: _Registry, extraction: Extraction, texts: dict[str, str],
              notes: list[str]) -> tuple[list[dict], dict[str, str]]:
    """Services from the context: one per provider, with the names its practitioners go by."""
    out: list[dict] = []
    claimed: set[str] = set()
    at: dict[str, str] = {}  # a site's core words -> the provider the context puts there
    for line in bodies.service_lines(extraction.context or ""):
        providers: list[Body] = []
        for name in line.providers:
            found = _resolve(reg, [name])
            if not found and name[:1].isupper() and len(name.split()) <= 6:
                found = [reg.add(body_key(name), _new_org(name, "context", line.quotes[-1]))]
            providers += [b for b in found if b not in providers]
        if not providers:
            notes.append(f"context: could not tell who provides {line.name!r}: add it to "
                         "services.yaml by hand")
            continue
        commissioners = [b.id for b in _resolve(reg, line.commissioners)]
        prime = _resolve(reg, [line.subcontracted_from]) if line.subcontracted_from else []
        words = _service_words(line, texts, claimed)
        for n, provider in enumerate(providers):
            out.append(_service(reg, line, provider, commissioners, prime,
                                words if n == 0 else [], len(providers) > 1))
        for site in line.sites:
            at.setdefault(" ".join(sorted(bodies.site_core(site))), providers[0].id)
    return out, at


def _service_words(line: ServiceLine, texts: dict[str, str], claimed: set[str]) -> list[str]:
    """The names of a service's practitioners the report uses ("health visitors")."""
    found: list[str] = []
    for word, pattern in bodies.SERVICE_WORDS:
        if word in claimed or not re.search(rf"\b{word}\b|{pattern}", line.subject, re.I):
            continue
        claimed.add(word)
        for text in texts.values():
            found += [m.group(0) for m in re.finditer(pattern, text, re.I)]
    return list(dict.fromkeys(found))


def _service(reg: _Registry, line: ServiceLine, provider: Body, commissioners: list[str],
             prime: list[Body], words: list[str], several: bool) -> dict[str, Any]:
    base = slug(line.aliases[0]) if line.aliases and line.aliases[0].isupper() else \
        "-".join(slug(line.name, _SERVICE_ID_DROP).split("-")[:4])
    name = f"{line.name} ({provider.name})" if several else line.name
    service = Body(f"{base}-{provider.id}" if several else base, name, "services", "service")
    body = reg.add("service:" + service.id, service)
    for alias in ([] if several else line.aliases) + words:
        reg.name(body, alias)
    out: dict[str, Any] = {"id": body.id, "name": body.name}
    if body.aliases:
        out["aliases"] = body.aliases
    out["provider"] = provider.id
    if commissioners:
        out["commissioners"] = commissioners
    if prime and prime[0].id != provider.id:
        out["subcontracted_from"] = prime[0].id
    out["evidence"] = [{"paragraph": "context", "quote": q} for q in line.quotes]
    return out


# --- writing the folder ---------------------------------------------------------------------

def _dump(data: dict[str, Any]) -> str:
    """YAML laid out as ``drafts accept`` writes it back, so accepting moves no other line."""
    from .yaml_edit import dump, round_trip
    return dump(round_trip(), data)


def _file(name: str, section: str, items: list[dict]) -> str:
    """A model file: schema header, what goes in it, then one block per item."""
    head = SCHEMA_HEADER + "".join(f"# {line}\n" for line in HEADERS[name].splitlines())
    if not items:
        return head + f"{section}: []\n"
    kind = vocab.party_sections().get(section)
    blocks = [_dump({section: [_with_role(item, kind) if kind else item]}).split("\n", 1)[1]
              for item in items]
    return head + f"{section}:\n" + "\n".join(blocks)


def _with_role(item: dict[str, Any], kind: str) -> CommentedMap:
    """The item with the role its names suggest after its name, marked as proposed.

    Why a comment: a role decides which failures ``compare`` counts together, so
    the modeller must check each one (docs/modelling.md, Roles); a party the words
    say nothing about gets none, and ``validate`` asks for it once it is on a flow.
    """
    from ruamel.yaml.comments import CommentedMap
    guess = (item["role"], "the report's words") if item.get("role") else \
        vocab.propose_role([item["name"], *item.get("aliases", [])],
                           item.get("kind", kind) if kind == "organisation" else kind)
    out = CommentedMap()
    for key, value in item.items():
        if key == "role":  # a role the report's words gave goes after the name, as a guess does
            continue
        out[key] = value
        if key == "name" and guess:
            out["role"] = guess[0]
            out.yaml_add_eol_comment(f"proposed from {guess[1]}: check it", "role")
    return out


def _body_yaml(body: Body) -> dict:
    out: dict = {"id": body.id, "name": body.name}
    if body.kind:
        out["kind"] = body.kind
    if body.role:
        out["role"] = body.role
    if body.aliases:
        out["aliases"] = body.aliases
    if body.part_of:
        out["part_of"] = body.part_of
    if body.hosted_by:
        out["hosted_by"] = body.hosted_by
    if body.operator:
        out["operator"] = body.operator
    if body.evidence:
        out["evidence"] = [{"paragraph": p, "quote": q} for p, q in body.evidence]
    return out


def _area(proposal: Proposal, report_name: str) -> dict:
    """area.yaml's section: ids, the report (and the file its text came from), the dates."""
    area: dict = {"id": proposal.id, "name": proposal.name, "report": report_name}
    source = proposal.source
    if source is not None and source.changed:
        area["report_source"] = {"file": Path(source.file).name, "sha256": source.sha256,
                                 "read_as": "pdf" if source.pdf else "repaired text"}
    area.update({"extraction": "extracted.yaml",
                 "public_health_owner": proposal.public_health_owner})
    dates = proposal.extraction.dates
    if dates is not None:
        review: dict = {key: str(value) for key, value in (
            ("from", dates.held_from), ("to", dates.held_to), ("published", dates.published))
            if value is not None}
        review["evidence"] = [{"paragraph": "cover", "quote": q} for q in dates.quotes]
        area["review"] = review
    return area


def area_files(proposal: Proposal, report_name: str) -> dict[str, str]:
    """File name -> text, for every file of the new folder but the report."""
    from ..model.schema import model_json_schema
    area = _area(proposal, report_name)
    files = {
        SCHEMA_FILE: json.dumps(model_json_schema(), indent=2, ensure_ascii=False) + "\n",
        "area.yaml": SCHEMA_HEADER + f"# {HEADERS['area.yaml']}\n" + _dump({"area": area}),
        "extracted.yaml": extraction_yaml(proposal.extraction, report_name).replace(
            "$schema=../graphmodel.schema.json", f"$schema={SCHEMA_FILE}", 1),
        "organisations.yaml": _file("organisations.yaml", "organisations", [
            _body_yaml(b) for b in proposal.bodies if b.section == "organisations"]),
        "forums.yaml": _file("forums.yaml", "forums", [
            _body_yaml(b) for b in proposal.bodies if b.section == "forums"]),
        "services.yaml": _file("services.yaml", "services", proposal.services),
        "sites.yaml": _file("sites.yaml", "sites", [
            _body_yaml(b) for b in proposal.bodies if b.section == "sites"]),
        "groups.yaml": _file("groups.yaml", "groups", [
            _body_yaml(b) for b in proposal.bodies if b.section == "groups"]),
        "systems.yaml": _file("systems.yaml", "systems", [
            _body_yaml(b) for b in proposal.bodies if b.section == "systems"]),
        "drafts.yaml": _file("drafts.yaml", "drafts", [d.as_yaml() for d in proposal.drafts]),
    }
    for name, section in EMPTY.items():
        files[name] = _file(name, section, [])
    return files


def new_area(folder: Path, report: Path, name: str | None = None) -> Proposal:
    """Make ``folder`` an area modelled from ``report``; refuse a folder that holds anything.

    ``report`` is the report's text or its PDF. The folder keeps the text every
    quote is checked against as report.txt (read from the PDF, or repaired), and
    area.yaml names the file it came from with its digest. What reading it
    found, page by page or line by line, is in the proposal's ``source.warnings``.
    Built whole in a scratch folder beside it and checked there, then renamed
    into place: interrupted or refused, it leaves no half-made folder behind.
    """
    folder = _refuse_used(Path(folder))
    report_name = "report.txt"
    source = read_report_file(Path(report), pdf_text=str(folder / report_name))
    # a PDF's lines are those of the text read from it, kept as report.txt
    label = str(folder / report_name) if source.pdf else str(report)
    check_report(source.text, label)
    proposal = propose(source.text, folder, name, label if source.pdf else Path(report).name)
    proposal.source = source
    from ..files import build_folder
    _make_parent(folder)
    with build_folder(folder) as scratch:
        (scratch / report_name).write_text(source.text, encoding="utf-8")
        for file_name, content in area_files(proposal, report_name).items():
            (scratch / file_name).write_text(content, encoding="utf-8")
        try:
            check_new_area(scratch, str(report))
        except ModelError as exc:
            from ..model.load import _label
            raise relabelled(exc, _label(scratch), str(folder)) from None
    return proposal


def _refuse_used(folder: Path) -> Path:
    """The folder, if it is new or empty: graphmodel new never overwrites a model."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise UsageError(f"{folder} is not empty: give a new folder (graphmodel new never "
                         "overwrites a model)")
    return folder


def _make_parent(folder: Path) -> None:
    parent = folder.parent
    if os.path.lexists(parent):
        return
    try:
        parent.mkdir(parents=True)
    except OSError as exc:
        raise ModelError(f"cannot make the folder: {exc.strerror or exc}",
                         file=str(folder)) from None


# An invisible character right after a paragraph's number hides the paragraph (and a
# recommendation) from extraction: bidirectional controls, zero-width ones, a BOM.
_INVISIBLE_AFTER_NUMBER = re.compile(r"^(\d+(?:\.\d+)*)([\u061c\u200b-\u200f\u202a-\u202e"
                                     r"\u2060-\u2069\ufeff]+)", re.M)


def check_report(text: str, label: str) -> None:
    """Refuse, naming the report's line, what would make the drafted model not load.

    Why: a finding citing a recommendation the report does not make (its
    number damaged, or an invisible character after it) is a problem with the
    report, and the modeller must fix the report's text, not graphmodel.
    """
    from ..errors import raise_all
    problems = []
    for match in _INVISIBLE_AFTER_NUMBER.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        shown = "".join(f"U+{ord(c):04X}" for c in match.group(2))
        problems.append(ModelError(f"an invisible character ({shown}) follows the number "
                                   f"{match.group(1)}: delete it, then run 'graphmodel new' "
                                   "again", file=label, line=line))
    if not problems:
        extraction = extract_report(text, label)
        made = {r.id for r in extraction.recommendations}
        for finding in extraction.findings:
            for ref in finding.recommendations:
                if ref not in made:
                    problems.append(ModelError(
                        f"finding {finding.id} cites recommendation {ref}, which the report "
                        "does not make: correct the report's text (a number may be "
                        "damaged), then run 'graphmodel new' again", file=label,
                        line=finding.line))
    raise_all(problems)


def bundled_areas() -> list[str]:
    """The areas shipped with graphmodel, by folder name (``sefton``)."""
    from ..paths import data_dir
    return sorted(p.name for p in data_dir().iterdir() if (p / "area.yaml").is_file())


def copy_area(folder: Path, name: str) -> Path:
    """Make ``folder`` a working copy of a bundled area; refuse a folder that holds anything.

    Why: the bundled areas are read-only once installed (an upgrade replaces
    them), so a partnership works in a copy of its own: plan imports, accepted
    drafts and edits stay there. Each file's schema line then names the
    schema copied beside it, so editors still check the files. Like ``new``,
    the copy is made whole in a scratch folder and renamed into place.
    """
    from ..files import build_folder, read_text
    from ..paths import data_dir
    if name not in bundled_areas():
        raise UsageError(f"no bundled area {name!r}: choose {', '.join(bundled_areas())}")
    folder = _refuse_used(Path(folder))
    source = data_dir() / name
    _make_parent(folder)
    with build_folder(folder) as scratch:
        for path in sorted(p for p in source.iterdir() if p.is_file()):
            text = read_text(path, str(path))
            (scratch / path.name).write_text(text.replace(
                "$schema=../graphmodel.schema.json", f"$schema={SCHEMA_FILE}", 1),
                encoding="utf-8")
        (scratch / SCHEMA_FILE).write_text(read_text(data_dir() / SCHEMA_FILE, SCHEMA_FILE),
                                           encoding="utf-8")
    return folder


def check_new_area(folder: Path, report: str = "the report") -> Model:
    """Load the new folder as ``validate`` would.

    A failure here means the report holds something ``check_report`` did not
    foresee: said as a problem with the report, with the loader's first line.
    """
    from ..model.load import load_area
    try:
        return load_area(folder)
    except ModelError as exc:
        raise ModelError(f"the model drafted from this report does not load; check the "
                         f"report near what this names: {str(exc).splitlines()[0]}",
                         file=report) from None
