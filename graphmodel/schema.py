"""Pydantic types for the model files and the report extraction; no I/O.

Why: one definition serves validation, the JSON Schema that editors use while
people type (``graphmodel schema``), and the loader's error messages.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

# Ids are kebab-case so they read well in YAML, Cypher and URLs.
Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]
# A report locator: a finding number ("5.2.13"), "context", or "case:3.1".
PARAGRAPH_PATTERN = r"^(\d+(\.\d+)+|context|case:\d+(\.\d+)+)$"
Paragraph = Annotated[str, StringConstraints(pattern=PARAGRAPH_PATTERN)]


class Strict(BaseModel):
    """Base for model-file types: unknown keys are errors, not silently dropped."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True,
                              use_enum_values=True)


class OrgKind(str, Enum):
    """What kind of body an organisation is."""

    commissioner = "commissioner"
    nhs_provider = "nhs_provider"
    voluntary_provider = "voluntary_provider"
    local_authority = "local_authority"
    local_authority_function = "local_authority_function"
    primary_care = "primary_care"
    police = "police"
    regulator = "regulator"
    national_body = "national_body"


class ForumKind(str, Enum):
    """What kind of multi-agency forum or process."""

    hub = "hub"
    conference = "conference"
    meeting = "meeting"
    board = "board"
    panel = "panel"
    process = "process"


class Status(str, Enum):
    """How well a flow works, as the report judges it.

    working: happens as it should. inconsistent: happens sometimes, or varies
    in quality. delayed: happens, but late. absent: does not happen (or not
    routinely). blocked: prevented by access, system or process restrictions.
    broken: a channel exists but does not work.
    """

    working = "working"
    inconsistent = "inconsistent"
    delayed = "delayed"
    absent = "absent"
    blocked = "blocked"
    broken = "broken"


class Passes(str, Enum):
    """What a flow carries."""

    referral = "referral"
    outcome = "outcome"
    request = "request"
    response = "response"
    minutes = "minutes"
    plan = "plan"
    notification = "notification"
    assessment = "assessment"
    report = "report"
    record_access = "record_access"
    alert = "alert"
    invitation = "invitation"
    information = "information"
    handover = "handover"


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


class Organisation(Party):
    """A body: commissioner, provider, council function, police, regulator."""

    kind: OrgKind
    part_of: Id | None = None
    misnamed_as: list[str] = Field(
        default_factory=list,
        description="Names the report uses for this body by mistake.")
    coordinates: list[Id] = Field(
        default_factory=list,
        description="Providers this body is co-ordinating commissioner for.")


class Site(Party):
    """A hospital or other place where services are delivered."""

    operator: Id


class Service(Party):
    """What a provider delivers, for whom, commissioned by whom."""

    provider: Id
    commissioners: list[Id] = Field(default_factory=list)
    subcontracted_from: Id | None = Field(
        None, description="The provider holding the contract, where the service "
        "is delivered through a sub-contract.")
    part_of: Id | None = None
    sites: list[Id] = Field(default_factory=list)


class Forum(Party):
    """A multi-agency forum or process (MASH, conferences, MARAC, LSCB ...)."""

    kind: ForumKind
    hosted_by: Id | None = None


class Group(Party):
    """A group of practitioners inside an organisation or service."""

    part_of: Id


class RecordSystem(Party):
    """A record system (EMIS, CPIS, paper records)."""

    used_by: list[Id] = Field(default_factory=list)


class Flow(Cited):
    """Information passing, or failing to pass, from one party to another."""

    id: Id
    from_: Id = Field(alias="from")
    to: Id
    passes: Passes
    status: Status
    summary: str
    returns: Id | None = Field(
        None, description="The flow this one answers: an outcome returns a "
        "referral, a response returns a request (a feedback loop).")
    expects_return: bool = Field(
        False, description="The report says something should come back for this "
        "flow; with no flow returning it, the loop is broken.")


class Area(Strict):
    """The area a model describes and the report it rests on."""

    id: Id
    name: str
    report: str = "report.txt"
    extraction: str = "extracted.yaml"
    public_health_owner: Id = Field(
        description="Who owns findings referred to the council's public health "
        "commissioners.")
    joint_names: dict[str, list[Id]] = Field(
        default_factory=dict,
        description="Names the report uses for several bodies at once "
        "(\"Sefton CCGs\").")


class ModelFile(Strict):
    """One YAML file of an area's model; an area's files together hold them all."""

    area: Area | None = None
    organisations: list[Organisation] = Field(default_factory=list)
    sites: list[Site] = Field(default_factory=list)
    services: list[Service] = Field(default_factory=list)
    forums: list[Forum] = Field(default_factory=list)
    groups: list[Group] = Field(default_factory=list)
    systems: list[RecordSystem] = Field(default_factory=list)
    flows: list[Flow] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    recommendations: list[Recommendation] = Field(default_factory=list)


REC_ID = r"^\d+\.\d+$"


class Finding(Strict):
    """A numbered paragraph of "The child's journey" or "Management"."""

    id: Annotated[str, StringConstraints(pattern=r"^\d+(\.\d+)+$")]
    section: str
    line: int
    text: str
    recommendations: list[Annotated[str, StringConstraints(pattern=REC_ID)]] = Field(
        default_factory=list)
    public_health: bool = False


class Recommendation(Strict):
    """A numbered recommendation item N.M; its owners head group N."""

    id: Annotated[str, StringConstraints(pattern=REC_ID)]
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


ModelFile.model_rebuild()

PARTY_SECTIONS = {
    "organisations": "organisation", "sites": "site", "services": "service",
    "forums": "forum", "groups": "group", "systems": "system",
}
