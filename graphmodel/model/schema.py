"""Pydantic types for the model files and the report extraction; no I/O.

Why: one definition serves validation, the JSON Schema that editors use while
people type (``graphmodel schema``), and the loader's error messages. The
party types and every enumeration are built from ``vocab``, so a new status
or party kind needs no change here.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Annotated, Any, Literal, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    create_model,
    field_validator,
    model_validator,
)

from .. import vocab

# Ids are kebab-case so they read well in YAML, Cypher and URLs.
ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
# A report locator: a finding number ("5.2.13"), "context", "case:3.1", or "cover" (the
# front page, where the review's dates are).
PARAGRAPH_PATTERN = r"^(\d+(\.\d+)+|context|cover|case:\d+(\.\d+)+)$"
Paragraph = Annotated[str, StringConstraints(pattern=PARAGRAPH_PATTERN)]
REC_ID = r"^\d+\.\d+$"
RecId = Annotated[str, StringConstraints(pattern=REC_ID)]


def one_of(values: Iterable[str]) -> Any:
    """A Literal of the given names: the JSON Schema lists them, errors name them."""
    return Literal[tuple(values)]


class Strict(BaseModel):
    """Base for model-file types: unknown keys are errors, not silently dropped."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Evidence(Strict):
    """The report paragraph a fact rests on, and the words it uses."""

    paragraph: Paragraph
    quote: Annotated[str, StringConstraints(min_length=8)]


class Cited(Strict):
    """Anything that must say where in the report it comes from."""

    evidence: list[Evidence] = Field(default_factory=list)


class Party(Cited):
    """Anything that can send or receive information."""

    id: Id
    name: str
    aliases: list[str] = Field(default_factory=list)
    description: str | None = None
    role: one_of(vocab.ROLES) | None = Field(  # type: ignore[valid-type]
        None, description="What it is in words every area shares (vocab.ROLES), so areas "
                          "can be compared: a MASH and an 'advice and duty service' are "
                          "both a front_door.")


class Source(Strict):
    """Where a fact from outside the report comes from: a title, an address, its words."""

    title: str
    url: str | None = None
    quote: str | None = Field(None, description="The source's words the fact rests on.")


class Successor(Strict):
    """The body that has replaced an organisation since the review, and the source saying so.

    Why: a board paper written today must not send actions to a body that no
    longer exists (CCGs became integrated care boards on 1 July 2022).
    """

    name: str
    since: datetime.date | None = None
    source: Source


def _party_type(kind: vocab.PartyKind) -> type[Party]:
    """The pydantic type of one party kind, from its fields in the vocabulary."""
    fields: dict[str, Any] = {}
    for choice in kind.choices:
        fields[choice.field] = (one_of(choice.values), Field(description=choice.help or None))
    for ref in kind.refs:
        if ref.many:
            fields[ref.field] = (list[Id], Field(default_factory=list,
                                                 description=ref.help or None))
        elif ref.required:
            fields[ref.field] = (Id, Field(description=ref.help or None))
        else:
            fields[ref.field] = (Id | None, Field(None, description=ref.help or None))
    for name in kind.names:
        fields[name] = (list[str], Field(
            default_factory=list, description="Names the report uses for this body by mistake."))
    if kind.name in ("organisation", "forum"):  # bodies and boards that have been replaced
        fields["now"] = (Successor | None, Field(
            None, description="What has replaced this body since the review, with a source."))
    name = "".join(p.capitalize() for p in kind.name.split("_"))
    return create_model(name, __base__=Party, __doc__=kind.help or None, **fields)


PARTY_TYPES: dict[str, type[Party]] = {k: _party_type(v) for k, v in vocab.PARTY_KINDS.items()}


class Flow(Cited):
    """Information passing, or failing to pass, from one party to another."""

    id: Id
    from_: Id = Field(alias="from")
    to: Id
    passes: one_of(vocab.PASSES)  # type: ignore[valid-type]
    status: one_of(vocab.STATUSES)  # type: ignore[valid-type]
    summary: str
    returns: Id | None = Field(
        None, description="The flow this one answers: an outcome returns a "
        "referral, a response returns a request (a feedback loop).")
    expects_return: bool = Field(
        False, description="The report says something should come back for this "
        "flow; with no flow returning it, the loop is broken.")
    inferred: str | None = Field(
        None, description="Why a party the evidence does not name is the sender or "
        "receiver (the modeller's inference, shown as such).")
    recommendations: list[RecId] | None = Field(
        None, description="The recommendations that address this flow, when not every "
        "one its evidence paragraphs cite does: a subset of them, or [] with "
        "recommendations_note.")
    recommendations_note: str | None = Field(
        None, description="Why the flow keeps only some (or none) of its paragraphs' "
        "recommendations.")
    note: str | None = Field(
        None, description="A judgement call the codebook leaves to the modeller, and why.")


class DraftFlow(Flow):
    """A flow proposed by ``graphmodel new`` from a report sentence, waiting for review."""

    status: one_of((*vocab.STATUSES, vocab.NEEDS_REVIEW)) = Field(  # type: ignore[valid-type]
        description="As a flow's, or needs_review: the sentence has failure words the "
                    "codebook does not know, so a person must set the status before "
                    "'drafts accept'.")
    confidence: one_of(("high", "medium", "low"))  # type: ignore[valid-type]
    why: str = Field(description="The words that matched, so a reviewer can judge.")


class _Claim(Evidence):
    """A value the modeller declares, with the report's words that justify it."""

    is_: str = Field(alias="is")


class ScopeClaim(_Claim):
    is_: one_of(vocab.SCOPES) = Field(alias="is")  # type: ignore[valid-type]


class ChildrenClaim(_Claim):
    is_: one_of(vocab.CHILDREN) = Field(alias="is")  # type: ignore[valid-type]


class TimescaleClaim(_Claim):
    is_: one_of(vocab.TIMESCALES) = Field(alias="is")  # type: ignore[valid-type]


class Problem(Strict):
    """One problem a board acts on: its flows, how widely it holds, which children it affects.

    Every failing flow belongs to exactly one problem (docs/modelling.md, "Problems").
    """

    id: Id
    statement: Annotated[str, StringConstraints(min_length=20, max_length=240)] = Field(
        description="What fails, for which children, in plain words.")
    flows: Annotated[list[Id], Field(min_length=1)]
    scope: ScopeClaim
    children: Annotated[list[ChildrenClaim], Field(min_length=1)]
    timescale: TimescaleClaim | None = Field(
        None, description="A statutory timescale the report says is missed.")
    note: str | None = Field(
        None, description="A judgement call the codebook leaves to the modeller, and why.")


class Action(Strict):
    """One action of the plan that answers a recommendation (actions.yaml)."""

    recommendation: RecId
    owner: Id
    action: str
    lead: str | None = None
    due: datetime.date | None = None
    status: one_of(vocab.ACTION_STATUSES) = "not_started"  # type: ignore[valid-type]
    measure: str | None = None
    evidence: str | None = None
    fixes: list[Id] = Field(default_factory=list, description="Flows this action makes work.")


class NotModelled(Strict):
    """What the model leaves out on purpose, and why: one paragraph, party or recommendation.

    A finding that speaks of information passing but describes no flow, a
    provider or commissioner the report gives no service, a recommendation
    about practice rather than information passing: ``graphmodel todo``
    lists each of these as explained rather than as work to do.
    """

    paragraph: Paragraph | None = Field(
        None, description="A finding that speaks of information passing but describes no flow.")
    party: Id | None = Field(None, description="A party that needs no services or flows.")
    recommendation: RecId | None = Field(
        None, description="A recommendation whose owners need no flows.")
    why: str

    @model_validator(mode="after")
    def _one_subject(self) -> Self:
        given = [n for n in ("paragraph", "party", "recommendation") if getattr(self, n)]
        if len(given) != 1:
            raise ValueError("give exactly one of paragraph, party or recommendation "
                             "(what is left out), with why")
        return self


class Review(Strict):
    """When the review took place and was published: the model is as at the review.

    The report's cover gives "Date of review" and "Date of publication"; a copy
    without its cover needs a cited source, and may know only bounds (``note``).
    """

    held_from: datetime.date | None = Field(None, alias="from")
    held_to: datetime.date | None = Field(None, alias="to")
    published: datetime.date | None = None
    not_before: datetime.date | None = Field(
        None, description="When exact dates are unknown: the review took place after this.")
    not_after: datetime.date | None = Field(
        None, description="When exact dates are unknown: the report existed by this day.")
    note: str | None = Field(None, description="What is known when exact dates are not.")
    evidence: list[Evidence] = Field(default_factory=list,
                                     description="The report's own words for the dates.")
    sources: list[Source] = Field(default_factory=list,
                                  description="Sources outside the report for the dates.")

    @model_validator(mode="after")
    def _cited(self) -> Self:
        if not self.evidence and not self.sources:
            raise ValueError("say where the review's dates come from: evidence (the report's "
                             "words) or sources")
        return self


class ReportSource(Strict):
    """The file the area's report text was read from, when the text is not its own bytes.

    Why: CQC publishes a PDF, and copies on the web need repairs; the model keeps
    the text every quote is checked against, and this says which file it came
    from, so anyone can check the text against that file again.
    """

    file: str = Field(description="The file's name as it was given to 'graphmodel new'.")
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")] = Field(
        description="The SHA-256 digest of the file's bytes.")
    read_as: str = Field(description="How the text was read: 'pdf' or 'repaired text'.")


class Area(Strict):
    """The area a model describes and the report it rests on."""

    id: Id
    name: str
    report: str = "report.txt"
    report_source: ReportSource | None = Field(
        None, description="The PDF (or the copy that needed repairs) the report's text was "
                          "read from, with its digest.")
    extraction: str = "extracted.yaml"
    public_health_owner: Id = Field(
        description="Who owns findings referred to the council's public health "
        "commissioners.")
    joint_names: dict[str, list[Id]] = Field(
        default_factory=dict,
        description="Names the report uses for several bodies at once "
        "(\"Sefton CCGs\").")
    received: datetime.date | None = Field(
        None, description="When the report was received: the action plan is due a number "
                          "of working days later.")
    review: Review | None = Field(
        None, description="When the review took place and was published, as the report's "
                          "cover or a cited source says.")


class Finding(Strict):
    """A numbered paragraph of "The child's journey" or "Management"."""

    id: Annotated[str, StringConstraints(pattern=r"^\d+(\.\d+)+$")]
    section: str
    line: int
    text: str
    recommendations: list[RecId] = Field(default_factory=list)
    public_health: bool = False


class Recommendation(Strict):
    """A numbered recommendation item N.M; its owners head group N."""

    id: RecId
    group: int
    line: int
    text: str
    owners: list[str]

    @field_validator("owners")
    @classmethod
    def _some_owner(cls, owners: list[str]) -> list[str]:
        if not owners:
            raise ValueError("a recommendation needs at least one owner")
        return owners


class NextSteps(Strict):
    """The report's "Next steps": who must send an action plan, how soon, and to whom."""

    line: int
    text: str
    submitters: list[str] = Field(default_factory=list)
    working_days: int | None = None
    to: str | None = None


_SECTIONS: dict[str, Any] = {
    "area": (Area | None, None),
    **{vocab.PARTY_KINDS[k].section: (list[t], Field(default_factory=list))  # type: ignore
       for k, t in PARTY_TYPES.items()},
    "flows": (list[Flow], Field(default_factory=list)),
    "findings": (list[Finding], Field(default_factory=list)),
    "recommendations": (list[Recommendation], Field(default_factory=list)),
    "next_steps": (NextSteps | None, None),
    "actions": (list[Action], Field(default_factory=list)),
    "drafts": (list[DraftFlow], Field(default_factory=list)),
    "not_modelled": (list[NotModelled], Field(default_factory=list)),
    "problems": (list[Problem] | None, None),
}
ModelFile = create_model(
    "ModelFile", __base__=Strict,
    __doc__="One YAML file of an area's model; an area's files together hold them all.",
    **_SECTIONS)

PARTY_SECTIONS = vocab.party_sections()


def model_json_schema() -> dict:
    """The JSON Schema of one model file, titled for editors."""
    out = ModelFile.model_json_schema(by_alias=True)
    out["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    out["title"] = "graphmodel area model file"
    return out
