"""Every vocabulary graphmodel speaks, in one place, with its labels and styles.

Why one module: the schema's enums, the loader's reference checks, the graph's
edges, the queries' groups, the CLI's choices, the maps' legend and colours,
the exports, Neo4j's labels and the grass style all derive from these tables,
and Cypher receives the groups as parameters. Adding a status or a party kind
is a change here and nowhere else (``tests/test_vocab.py`` proves it end to end).

Pure data: no pydantic, no networkx, so every command (the front door
included) can import it for free.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# --- colours ------------------------------------------------------------------------
GREEN, AMBER, RED, GREY, PURPLE = "#2e7d32", "#e08e0b", "#c62828", "#8f8f8f", "#7b1fa2"
YELLOW = "#f2c14e"


# --- statuses -------------------------------------------------------------------------

@dataclass(frozen=True)
class Status:
    """How well a flow works, as the report judges it.

    ``happens``: the information does go out, if late or only sometimes. A
    status that does not happen makes a one-way gap high and a failing
    return critical; one that happens but not well makes them medium and high.
    """

    name: str
    meaning: str
    happens: bool
    colour: str
    dashes: tuple[int, ...] = ()

    @property
    def label(self) -> str:
        return self.name.replace("_", " ")


# Each meaning is the codebook's (docs/modelling.md, "Statuses"): a qualified
# failure ("not routinely", "not always") is inconsistent, never absent.
STATUSES: dict[str, Status] = {s.name: s for s in (
    Status("working", "It happens as it should.", True, GREEN),
    Status("inconsistent", "It happens, but not reliably: some of the time (not routinely, "
           "not always), or of a quality that varies or falls short.", True, AMBER),
    Status("delayed", "It happens, but late.", True, AMBER),
    Status("absent", "It does not happen (not notified, not shared, no process).", False, RED,
           (9, 6)),
    Status("blocked", "Access, system or process restrictions prevent it.", False, RED, (9, 6)),
    Status("broken", "A channel exists but does not work.", False, RED, (9, 6)),
)}
WORKING = "working"
MISSING_RETURN = "absent"  # the status of a return that a loop expects and no flow records
# A draft's status when its sentence has failure words the codebook does not know: only
# a person can say how the flow fails. Drafts only, never a flow's status (not in
# STATUSES): 'drafts accept' and 'validate' refuse it in flows.yaml.
NEEDS_REVIEW = "needs_review"


def statuses() -> tuple[str, ...]:
    """Every status, best first."""
    return tuple(STATUSES)


def failing() -> tuple[str, ...]:
    """Statuses that make a flow a problem: every one but working."""
    return tuple(s for s in STATUSES if s != WORKING)


def happening() -> tuple[str, ...]:
    """Statuses with which the information does go out (an outward leg that goes out)."""
    return tuple(s for s, v in STATUSES.items() if v.happens)


def not_happening() -> tuple[str, ...]:
    """Statuses with which the information does not pass at all."""
    return tuple(s for s, v in STATUSES.items() if not v.happens)


# --- severities -----------------------------------------------------------------------

@dataclass(frozen=True)
class Severity:
    """How bad a problem is, worst first. ``colour`` marks it on the map, ``fill``
    (RRGGBB) its cells in the plan's workbook."""

    name: str
    meaning: str
    colour: str
    fill: str


SEVERITIES: dict[str, Severity] = {s.name: s for s in (
    Severity("critical", "A broken loop whose return does not happen (absent, blocked or "
                         "broken).", RED, "F4C7C3"),
    Severity("high", "A broken loop whose return happens but not well (delayed or "
                     "inconsistent), or a one-way flow that does not happen.", AMBER, "FCE8B2"),
    Severity("medium", "A one-way flow that happens but not well (delayed or inconsistent).",
             YELLOW, "FFF2CC"),
)}


def severity(kind: str, status: str) -> str:
    """The severity of a problem: ``kind`` broken_loop or gap; ``status`` the failing leg's."""
    fails = not STATUSES[status].happens
    if kind == "broken_loop":
        return "critical" if fails else "high"
    return "high" if fails else "medium"


def severity_rank(name: str) -> int:
    """0 for the worst severity."""
    return list(SEVERITIES).index(name)


# --- what passes ----------------------------------------------------------------------

@dataclass(frozen=True)
class Passes:
    """What a flow carries; ``answers`` lists what it can be the return of.

    ``onward``: what else a party can pass on of it, besides the same kind.
    A route (``path``) continues through a party only when a flow out of it
    carries on what a flow into it brought (see ``continues``).
    """

    name: str
    label: str
    answers: tuple[str, ...] = ()
    onward: tuple[str, ...] = ()


# What each kind of flow can be the return of. A notification, an alert or a
# handover answers nothing and asks nothing back: a notice that a child is in
# care is not a request that a contribution answers.
_CONTRIBUTIONS = ("report", "information", "assessment")
PASSES: dict[str, Passes] = {p.name: p for p in (
    Passes("referral", "referral", (),
           ("request", "information", "notification", "alert", "assessment")),
    Passes("outcome", "outcome", ("referral", "request", "alert", *_CONTRIBUTIONS),
           ("information", "notification")),
    Passes("request", "request for information"),
    Passes("response", "response", ("request", "referral", "invitation", "plan",
                                    *_CONTRIBUTIONS), ("information", "report")),
    Passes("minutes", "minutes", ("referral", "invitation", *_CONTRIBUTIONS),
           ("plan", "information")),
    Passes("plan", "plan", ("referral", "request", "invitation", "plan", *_CONTRIBUTIONS),
           ("minutes", "information")),
    Passes("notification", "notification", (), ("alert", "information", "referral")),
    Passes("assessment", "assessment", ("referral", "request"),
           ("report", "information", "referral")),
    Passes("report", "report", ("request", "invitation"), ("information",)),
    Passes("record_access", "access to records", ("request",)),
    Passes("alert", "alert", (), ("notification", "referral", "information")),
    Passes("invitation", "invitation"),
    Passes("information", "information", ("request", "invitation"),
           ("report", "notification", "referral", "alert", "assessment")),
    Passes("handover", "handover", ("referral",), ("information",)),
)}


def continues(into: str, out: str) -> bool:
    """Whether a flow passing ``out`` can carry on what a flow passing ``into`` brought.

    The same kind always does (a referral passed on as a referral); otherwise
    ``PASSES[into].onward`` says (a referral leads to requests for
    information). Minutes that reach a GP do not continue as the GP's
    referral to the MASH: a route through them is parallel channels.
    """
    return out == into or out in PASSES[into].onward


def can_answer(back: str, out: str) -> bool:
    """Whether a flow carrying ``back`` can be the return of one carrying ``out``."""
    return out in PASSES[back].answers


# --- edges between parties ---------------------------------------------------------------

@dataclass(frozen=True)
class EdgeType:
    """A kind of edge in the graph.

    ``contains``: "down" when the edge runs from a party to something inside
    it (provides, operates, hosts), "up" when from the inner thing to its
    container (part_of); what is inside an organisation follows these.
    ``contract``: commissioning and providing, drawn in the commissioning view.
    """

    name: str
    words: str  # "A <words> B"
    colour: str = GREY
    dashes: tuple[int, ...] = ()
    contains: str | None = None
    contract: bool = False
    structural: bool = True  # joins parties (not flows, findings or recommendations)

    @property
    def rel_type(self) -> str:
        """The Neo4j relationship type."""
        return self.name.upper()


EDGE_TYPES: dict[str, EdgeType] = {e.name: e for e in (
    EdgeType("commissions", "commissions", "#1565c0", contract=True),
    EdgeType("provides", "provides", "#5d4037", contains="down", contract=True),
    EdgeType("subcontracts", "sub-contracts to", "#ef6c00", (6, 4), contract=True),
    EdgeType("coordinates", "co-ordinates", "#00838f", (2, 3), contract=True),
    EdgeType("part_of", "is part of", contains="up"),
    EdgeType("operates", "operates", contains="down"),
    EdgeType("located_at", "is at"),
    EdgeType("hosts", "hosts", contains="down"),
    EdgeType("uses", "uses"),
    EdgeType("sends", "sends", structural=False),
    EdgeType("to", "goes to", structural=False),
    EdgeType("returns", "answers", structural=False),
    EdgeType("owns", "owns", PURPLE, structural=False),
    EdgeType("cites", "cites", PURPLE, structural=False),
    EdgeType("evidences", "evidences", structural=False),
    EdgeType("referred_to", "is referred to", structural=False),
    EdgeType("fixes", "fixes", GREEN, structural=False),
    EdgeType("addresses", "addresses", PURPLE, structural=False),
    EdgeType("includes", "includes", structural=False),  # a problem -> each of its flows
)}


def contains_down() -> tuple[str, ...]:
    return tuple(e for e, v in EDGE_TYPES.items() if v.contains == "down")


def contains_up() -> tuple[str, ...]:
    return tuple(e for e, v in EDGE_TYPES.items() if v.contains == "up")


def contracts() -> tuple[str, ...]:
    return tuple(e for e, v in EDGE_TYPES.items() if v.contract)


# --- party kinds ------------------------------------------------------------------------

@dataclass(frozen=True)
class Ref:
    """A field of a party that names other parties.

    ``target``: the party kind it must name ("any" for any party).
    ``edge``: the graph edge it makes; ``reverse`` when the edge runs from the
    named party to this one (a provider provides the service).
    """

    field: str
    target: str
    edge: str | None
    many: bool = False
    reverse: bool = False
    required: bool = False
    help: str = ""


@dataclass(frozen=True)
class Choice:
    """A field of a party whose value is one of a fixed list (an organisation's kind)."""

    field: str
    values: tuple[str, ...]
    help: str = ""


@dataclass(frozen=True)
class PartyKind:
    """A kind of party: its YAML section, its fields and how it is drawn."""

    name: str
    section: str  # the YAML section that lists them
    label: str  # for people, singular
    shape: str  # vis-network shape
    fill: str
    border: str
    font: str
    refs: tuple[Ref, ...] = ()
    choices: tuple[Choice, ...] = ()
    names: tuple[str, ...] = ()  # extra fields holding names (misnamed_as)
    help: str = ""

    @property
    def neo4j_label(self) -> str:
        return "".join(p.capitalize() for p in self.name.split("_"))


# provider_group: several providers taken together, where a report judges "health
# services" in general rather than one of them.
ORG_KINDS = ("commissioner", "nhs_provider", "voluntary_provider", "provider_group",
             "local_authority", "local_authority_function", "primary_care", "police",
             "regulator", "national_body")
FORUM_KINDS = ("hub", "conference", "meeting", "board", "panel", "process")

PARTY_KINDS: dict[str, PartyKind] = {k.name: k for k in (
    PartyKind("organisation", "organisations", "Organisation", "box", "#1f4e79", "#0f2a44",
              "#ffffff",
              refs=(Ref("part_of", "organisation", "part_of",
                        help="The organisation this one belongs to."),
                    Ref("coordinates", "organisation", "coordinates", many=True,
                        help="Providers this body is co-ordinating commissioner for.")),
              choices=(Choice("kind", ORG_KINDS, "What kind of body it is."),),
              names=("misnamed_as",),
              help="A body: commissioner, provider, council function, police, regulator."),
    PartyKind("site", "sites", "Site", "diamond", "#9c6fa0", "#5e3b62", "#2b1a2d",
              refs=(Ref("operator", "organisation", "operates", reverse=True, required=True),),
              help="A hospital or other place where services are delivered."),
    PartyKind("service", "services", "Service", "ellipse", "#a9cfee", "#3f7cb5", "#10263d",
              refs=(Ref("provider", "organisation", "provides", reverse=True, required=True),
                    Ref("commissioners", "organisation", "commissions", many=True,
                        reverse=True),
                    Ref("subcontracted_from", "organisation", "subcontracts",
                        help="The provider holding the contract, where the service is "
                             "delivered through a sub-contract."),
                    Ref("part_of", "service", "part_of"),
                    Ref("sites", "site", "located_at", many=True)),
              help="What a provider delivers, for whom, commissioned by whom."),
    PartyKind("forum", "forums", "Forum or hub", "hexagon", "#2a9d8f", "#17665d", "#10302c",
              refs=(Ref("hosted_by", "any", "hosts", reverse=True),),
              choices=(Choice("kind", FORUM_KINDS, "What kind of forum or process."),),
              help="A multi-agency forum or process (MASH, conferences, MARAC, LSCB ...)."),
    PartyKind("group", "groups", "Group or team", "triangle", "#b7a6e0", "#6e5aa8", "#2a2140",
              refs=(Ref("part_of", "any", "part_of", required=True),),
              help="A group of practitioners inside an organisation or service."),
    PartyKind("system", "systems", "Record system", "square", "#c9c9c9", "#6f6f6f", "#222222",
              refs=(Ref("used_by", "any", "uses", many=True, reverse=True),),
              help="A record system (EMIS, CPIS, paper records)."),
)}

# Nodes that are not parties, drawn on some maps.
OTHER_NODE_STYLES = {  # kind -> (label, shape, fill, border, font)
    "finding": ("Finding", "box", "#fff8e1", "#8d6e63", "#3e2723"),
    "recommendation": ("Recommendation", "star", "#7b1fa2", "#4a126b", "#3d0f52"),
    "action": ("Action", "dot", "#a5d6a7", "#2e7d32", "#1b3d1d"),
    "problem": ("Problem", "box", "#ffebee", "#c62828", "#3b0d0d"),
}


def party_kinds() -> tuple[str, ...]:
    return tuple(PARTY_KINDS)


def party_sections() -> dict[str, str]:
    """YAML section -> party kind ("services" -> "service")."""
    return {k.section: k.name for k in PARTY_KINDS.values()}


# --- problems: the unit of the gap list ---------------------------------------------------

@dataclass(frozen=True)
class Scope:
    """How widely the report says a problem holds (docs/modelling.md, "Problems")."""

    name: str
    label: str
    meaning: str


SCOPES: dict[str, Scope] = {s.name: s for s in (
    Scope("systemic", "a pattern",
          "The report states it as how things are: generally, routinely, across services, "
          "in most records, as a process that is missing."),
    Scope("several_cases", "several cases",
          "The report saw it in more than one case or record, without saying it is how "
          "things are."),
    Scope("single_case", "one case",
          "One case the inspectors tracked, and nothing in the report says it is more."),
)}

# The two halves of a CLAS review (DOMAIN.md): a first ten that ignores one misreads it.
HALVES = {"safeguarding": "safeguarding (early help, children in need, child protection)",
          "looked_after": "children looked after and care leavers"}


@dataclass(frozen=True)
class Children:
    """A group of children a problem affects, and the half of the review it belongs to."""

    name: str
    label: str
    meaning: str
    half: str  # a HALVES key


CHILDREN: dict[str, Children] = {c.name: c for c in (
    Children("child_protection", "children in need of protection",
             "Children on a child protection plan, in a section 47 enquiry or a strategy "
             "discussion, or at risk of significant harm (domestic abuse at MARAC level, "
             "exploitation).", "safeguarding"),
    Children("children_in_need", "children in need",
             "Children in need (Children Act 1989, section 17) and their plans and meetings.",
             "safeguarding"),
    Children("early_help", "children needing early help",
             "Children and families who need support below statutory thresholds.",
             "safeguarding"),
    Children("unborn_newborn", "unborn and new-born babies",
             "Babies before birth and in their first weeks: pregnancy, maternity, birth "
             "plans, new-birth visits.", "safeguarding"),
    Children("children_of_adult_patients", "children of adult patients",
             "Children whose parents or carers use adult services (mental health, substance "
             "misuse, emergency departments): 'Think Family' and hidden harm.", "safeguarding"),
    Children("all_children", "all children",
             "Any child who uses the service: a failure of safeguarding for everyone "
             "(emergency departments, GP records, school nursing).", "safeguarding"),
    Children("looked_after", "children in care",
             "Children looked after by the local authority: their health assessments, "
             "placements, adoption.", "looked_after"),
    Children("care_leavers", "care leavers",
             "Young people leaving care: health histories and passports, transition.",
             "looked_after"),
)}


@dataclass(frozen=True)
class Timescale:
    """A statutory timescale a problem can miss; ``source`` is the guidance that sets it."""

    name: str
    label: str
    rule: str
    source: str


TIMESCALES: dict[str, Timescale] = {t.name: t for t in (
    Timescale("initial_health_assessment", "initial health assessment",
              "done, with its report, in time to inform the first statutory review of the "
              "child's care plan: within 20 working days of entering care",
              "Promoting the health and well-being of looked-after children, statutory "
              "guidance (Department for Education and Department of Health, 2015)"),
    Timescale("review_health_assessment", "review health assessment",
              "every six months before the child's fifth birthday, every twelve months "
              "after", "Promoting the health and well-being of looked-after children (2015)"),
    Timescale("referral_decision", "decision on a referral",
              "the local authority decides the type of response within one working day "
              "of receiving a referral, and acknowledges it to the referrer",
              "Working Together to Safeguard Children (2018), chapter 1"),
    Timescale("initial_child_protection_conference", "initial child protection conference",
              "within 15 working days of the strategy discussion at which a section 47 "
              "enquiry was started", "Working Together to Safeguard Children (2018), "
              "chapter 1"),
    Timescale("assessment", "children's social care assessment",
              "concluded within 45 working days of the referral",
              "Working Together to Safeguard Children (2018), chapter 1"),
)}


# Why a party must act on a problem (``gaps``' ``to_act``), in the words cards print.
TO_ACT_BASES = {
    "recommendation": "owns a recommendation that addresses it",
    "partner": "named as a partner in a recommendation that addresses it",
    "brought_to_attention": "brought to their attention, not a recommendation",
    "outside_review": "outside CQC's review: raise it via the safeguarding partnership",
    "unaddressed": "no recommendation: raise it with them or their commissioner",
}


# --- national roles ----------------------------------------------------------------------

@dataclass(frozen=True)
class Role:
    """What a party is, in words every area shares: Sefton's "MASH" and another area's
    "Children's Advice and Duty Service" are both a ``front_door``.

    ``health``: a health body's service or team, which CQC's review covers and
    can address a recommendation to; ``False`` for the council's, the police's
    and multi-agency forums, whose failures a board raises through the local
    safeguarding partnership.
    """

    name: str
    label: str
    definition: str
    health: bool


ROLES: dict[str, Role] = {r.name: r for r in (
    Role("gp_practice", "GP practices",
         "Primary care: a GP practice, or the area's GP practices taken together.", True),
    Role("gp_safeguarding_meeting", "GP safeguarding meetings",
         "A GP practice's meetings about vulnerable children and families, with health "
         "visitors and others.", True),
    Role("front_door", "Children's front door",
         "Where concerns about a child are first received and triaged: a multi-agency "
         "safeguarding hub (MASH), or whatever the area calls it (front door, single point "
         "of access, advice and duty service).", False),
    Role("childrens_social_care", "Children's social care",
         "The council's service for children in need, child protection and children in "
         "care: assessments, social workers, care plans.", False),
    Role("early_help", "Early help",
         "The council's or partnership's early help service, hub or gateway, for support "
         "below statutory thresholds.", False),
    Role("local_authority", "Local authority",
         "The council as a whole, where the report speaks of it and not of one service.",
         False),
    Role("public_health", "Public health",
         "The council's public health team: commissions health visiting, school nursing, "
         "sexual health and substance misuse services.", False),
    Role("commissioner", "Health commissioner",
         "A clinical commissioning group, integrated care board or NHS England: buys "
         "health services.", True),
    Role("safeguarding_professionals", "Safeguarding professionals",
         "Designated and named safeguarding professionals (nurses, doctors, midwives, "
         "GPs) and a trust's or commissioner's safeguarding team.", True),
    Role("health_provider", "Health provider",
         "An NHS trust or other health provider acting as a whole, where the report does "
         "not name one of its services.", True),
    Role("health_services", "Health services in general",
         "A party standing for health services in general (\"health partners\", \"across "
         "services\"), as the codebook's splitting rule asks.", True),
    Role("emergency_department", "Emergency department",
         "An adult or children's emergency department, urgent care or minor injuries "
         "unit.", True),
    Role("paediatrics", "Paediatrics",
         "Hospital paediatric services: wards, paediatricians, paediatric liaison.", True),
    Role("maternity", "Maternity", "Midwifery and maternity services.", True),
    Role("health_visiting", "Health visiting",
         "Health visitors: the healthy child programme from birth to five.", True),
    Role("school_nursing", "School nursing",
         "School nurses: the healthy child programme from five to nineteen.", True),
    Role("public_health_nursing", "0-19 public health nursing",
         "Health visiting and school nursing delivered as one 0-19 service.", True),
    Role("camhs", "CAMHS",
         "Child and adolescent mental health and emotional well-being services.", True),
    Role("children_in_care_health", "Children in care health team",
         "Nurses and doctors for looked-after children and care leavers: health "
         "assessments, health passports.", True),
    Role("sexual_health", "Sexual health", "Contraception and sexual health services.",
         True),
    Role("adult_mental_health", "Adult mental health",
         "Mental health services for adults, including crisis and perinatal teams.", True),
    Role("substance_misuse", "Adult substance misuse",
         "Drug and alcohol services for adults.", True),
    Role("young_peoples_substance_misuse", "Young people's substance misuse",
         "Drug and alcohol services for children and young people.", True),
    Role("police", "Police", "The police force and its teams.", False),
    Role("probation", "Probation",
         "Probation and community rehabilitation services.", False),
    Role("education", "Schools and education", "Schools, colleges and the council's "
         "education services.", False),
    Role("strategy_discussion", "Strategy discussions",
         "Strategy discussions or meetings that decide on a section 47 enquiry.", False),
    Role("child_protection_conference", "Child protection conferences",
         "Initial and review child protection conferences, and their core groups.", False),
    Role("child_in_need_meeting", "Child in need meetings",
         "Meetings that plan support for a child in need (Children Act 1989, section 17).",
         False),
    Role("looked_after_review", "Looked after children's reviews",
         "Statutory reviews of a child in care's care plan, chaired by an independent "
         "reviewing officer.", False),
    Role("marac", "MARAC",
         "Multi-agency risk assessment conference: high-risk domestic abuse.", False),
    Role("mappa", "MAPPA",
         "Multi-agency public protection arrangements: violent and sexual offenders.", False),
    Role("exploitation_meeting", "Child exploitation meetings",
         "Multi-agency meetings about children at risk of exploitation (MACE and the "
         "like).", False),
    Role("prevent", "Prevent", "Prevent and Channel meetings: radicalisation.", False),
    Role("safeguarding_partnership", "Safeguarding partnership",
         "The local safeguarding children board, or the safeguarding partnership that "
         "replaced it.", False),
    Role("corporate_parenting", "Corporate parenting board",
         "The council's board that oversees its duties to children in care.", False),
    Role("record_system", "Record system",
         "A record system that holds or shows information (EMIS, SystmOne, RiO, paper "
         "records).", True),
    Role("cpis", "CP-IS", "Child Protection Information Sharing: the national system that "
         "shows unscheduled care settings a child's protection plan or care status.", True),
    Role("acute_hospital", "Acute hospital",
         "A hospital, or its emergency, maternity and paediatric services taken together, "
         "where the area does not tell them apart.", True),
)}


def role_label(role: str | None) -> str:
    """A role as people read it ("Children's front door"); "no role" for none."""
    return ROLES[role].label if role in ROLES else "no role"


# Words in a party's name or aliases that say its role, tried in order (the first that
# matches wins), for 'graphmodel new' to propose a role that the modeller then checks.
# Specific before general: "0-19 public health nursing" before "public health", CAMHS
# before adult mental health, young people's substance misuse before substance misuse.
ROLE_WORDS: tuple[tuple[str, re.Pattern], ...] = tuple(
    (role, re.compile(words, re.I)) for role, words in (
    ("cpis", r"\bCP-?IS\b|child protection information (?:sharing|system)"),
    ("record_system", r"\bEMIS\b|SystmOne|\bRiO\b|record(?:s|ing)? system|patient records?|"
                      r"paper records?"),
    ("front_door", r"\bMASH\b|multi[- ]agency safeguarding hub|front door|single point of "
                   r"(?:access|contact)|advice and duty|\bSPOC\b|\bSPA\b"),
    ("early_help", r"early help"),
    ("strategy_discussion", r"strategy (?:meeting|discussion)"),
    ("child_protection_conference", r"child protection (?:case )?conference|core groups?"),
    ("child_in_need_meeting", r"child(?:ren)? in need"),
    ("looked_after_review", r"looked[- ]after child(?:ren)?\W{0,2}s? (?:\w+ )?reviews?|"
                            r"reviews? of care|\bLAC reviews?"),
    ("marac", r"\bMARACs?\b|multi[- ]agency risk assessment"),
    ("mappa", r"\bMAPPA\b|public protection arrangements"),
    ("exploitation_meeting", r"\bMACE\b|exploitation"),
    ("prevent", r"\b(?-i:Prevent)\b|\bChannel panel"),
    ("safeguarding_partnership", r"\bLSC[BP]\b|safeguarding (?:children )?(?:board|partnership)"),
    ("corporate_parenting", r"corporate parenting"),
    ("gp_safeguarding_meeting", r"vulnerable famil|\b(?:GP|practice) (?:safeguarding )?"
                                r"meetings?"),
    ("safeguarding_professionals", r"\bdesignated\b|\bnamed (?:nurse|doctor|GP|midwife|"
                                   r"professional)s?|safeguarding (?:team|lead|nurse)s?"),
    ("children_in_care_health", r"children in care|looked[- ]after child|care leavers?|"
                                r"(?-i:\bLAC\b|\bCiC\b)"),
    ("camhs", r"\bCAMHS\b|child and adolescent mental health|emotional (?:health|well-?being)"),
    ("public_health_nursing", r"\b0-19\b|0 to 19|health visiting and school nursing|"
                              r"public health nursing|healthy child programme"),
    ("health_visiting", r"health visit"),
    ("school_nursing", r"school nurs"),
    ("young_peoples_substance_misuse", r"young people\W{0,2}s? (?:\w+ )?(?:drug|substance|"
                                       r"alcohol)"),
    ("substance_misuse", r"substance misuse|\bdrugs?\b|alcohol|recovery"),
    ("adult_mental_health", r"mental health"),
    ("sexual_health", r"sexual health|contracepti"),
    ("acute_hospital", r"acute hospital|hospital services"),
    ("maternity", r"maternity|midwi"),
    ("emergency_department", r"emergency|\bEDs?\b|\bA&E\b|urgent care|minor injur|walk-in"),
    ("paediatrics", r"paediatric"),
    ("police", r"\bpolice\b|constabulary"),
    ("probation", r"probation|rehabilitation company"),
    ("education", r"\bschools?\b(?! nurs)|\bcolleges?\b|\beducation"),
    ("childrens_social_care", r"social care|social work|children\W{0,2}s? services|\bCSC\b"),
    ("public_health", r"public health"),
    ("commissioner", r"\bCCGs?\b|clinical commissioning|\bICBs?\b|integrated care board|"
                     r"NHS England|commissioners?\b"),
    ("gp_practice", r"\bGPs?\b|general practi|primary care"),
))
ACUTE_PARTS = ("maternity", "emergency_department", "paediatrics")
# A party's kind (an organisation's own kind) when its names say nothing.
ROLE_BY_KIND = {"provider_group": "health_services", "nhs_provider": "health_provider",
                "voluntary_provider": "health_provider", "local_authority": "local_authority",
                "commissioner": "commissioner", "primary_care": "gp_practice",
                "police": "police", "system": "record_system", "site": "acute_hospital"}


def propose_role(names: list[str], kind: str) -> tuple[str, str] | None:
    """(role, what said it) for a party, or None: a proposal for a person to check.

    ``names``: its name first, then its aliases; ``kind``: an organisation's own
    kind (``nhs_provider``) or the party kind (``forum``, ``site``). A name that
    speaks of two or more of maternity, emergency and paediatric services is an
    acute hospital's services taken together.
    """
    by_kind = f"its kind ({kind.replace('_', ' ')})"
    if kind == "provider_group":
        return "health_services", by_kind
    for name in names:
        acute = [r for r, words in ROLE_WORDS if r in ACUTE_PARTS and words.search(name)]
        if len(acute) > 1:
            return "acute_hospital", repr(name)
        for role, words in ROLE_WORDS:
            match = words.search(name)
            if match:
                return role, repr(match.group(0))
    fallback = ROLE_BY_KIND.get(kind)
    return (fallback, by_kind) if fallback else None


# --- views and export formats --------------------------------------------------------------

@dataclass(frozen=True)
class ViewKind:
    """A view of an area that ``map`` draws and ``export`` writes.

    ``target``: what follows the name after a colon (``party:NAME``), or None.
    """

    name: str
    shows: str
    target: str | None = None
    across: bool = False  # drawn from several areas (``views.build.compare_view``)

    @property
    def written(self) -> str:
        return f"{self.name}:{self.target}" if self.target else self.name


VIEWS: dict[str, ViewKind] = {v.name: v for v in (
    ViewKind("system", "Every party and flow, each organisation's services, sites, teams and "
                       "forums in a block of their own, the blocks that exchange the most flows "
                       "in the middle."),
    ViewKind("gaps", "Only the broken loops and gaps, with their parties."),
    ViewKind("commissioning", "Commissioners on the left, the services they buy in columns, "
                              "providers on the right, with sub-contracts."),
    ViewKind("progress", "The gaps view drawn by the action plan's progress: flows that done "
                         "or verified actions fixed are green and dotted (marked ✓), and each "
                         "gap beside the map says whether it is closed, under way or has no "
                         "action."),
    ViewKind("compare", "Across areas (`--areas DIR`, repeatable; default: the bundled "
                        "areas): national roles as parties (health roles as ellipses; the "
                        "council's, the police's and multi-agency roles as boxes), an arrow for "
                        "each signature that fails somewhere, as thick as the number of areas "
                        "that fail there (labelled when two or more) and coloured by the worst "
                        "status among them. The list beside the map holds the failures that "
                        "recur, most areas first; hovering over an arrow shows each area's "
                        "quote.", across=True),
    ViewKind("party", "One party's neighbourhood: what is inside it, its flows and who is at "
                      "the other end. `org:NAME` works too. NAME is an id or any name the "
                      "report uses (`party:MASH`).", "NAME"),
    ViewKind("recommendation", "Its owners, the findings that cite it, and the flows they "
                               "describe.", "ID"),
)}
VIEW_ALIASES = {"org": "party"}  # older names that still work


def views_in_words() -> str:
    """"system, gaps, ..., party:NAME or recommendation:ID": the views as typed."""
    written = [v.written for v in VIEWS.values()]
    return ", ".join(written[:-1]) + " or " + written[-1]


@dataclass(frozen=True)
class ExportFormat:
    """A file format ``export`` writes: its extension, what it is, and the tools that open it."""

    name: str
    extension: str
    file: str
    tools: str  # in a few words, for --help
    how: str  # how to open it, for the README


EXPORT_FORMATS: dict[str, ExportFormat] = {f.name: f for f in (
    ExportFormat("graphml", "graphml", "`.graphml`", "yEd, Gephi, Cytoscape",
                 "**yEd**: File, then Open; the attributes are in each item's Data tab, and "
                 "Edit, then Properties Mapper, maps `label` to the label and `colour` to the "
                 "fill. **Gephi** and **Cytoscape** (File, Import, Network from File) read it "
                 "too."),
    ExportFormat("gexf", "gexf", "`.gexf`", "Gephi",
                 "**Gephi**: File, then Open. Parties and flows keep the map's colours; the "
                 "commissioning view keeps its columns."),
    ExportFormat("kumu", "kumu.json", "`.kumu.json`, a Kumu blueprint", "Kumu blueprint JSON",
                 "**Kumu**: open a map, then drag the file onto it (or Import, then JSON). "
                 "Elements get their kind as Type and severity and status as tags; the other "
                 "attributes become fields."),
    ExportFormat("cytoscape", "cyjs", "`.cyjs`, Cytoscape.js JSON with a stylesheet",
                 "Cytoscape.js JSON",
                 "**Cytoscape** desktop: File, Import, Network from File. On a web page: "
                 "`cytoscape({elements: data.elements, style: data.style})`."),
    ExportFormat("mermaid", "mmd", "`.mmd`, a Mermaid flowchart", "Markdown, GitHub",
                 "**GitHub, GitLab, Azure DevOps wikis, Obsidian, Notion**: paste it into a "
                 "fenced block that starts with `` ```mermaid ``. The Mermaid Live Editor "
                 "draws it too."),
    ExportFormat("csv", "csv.zip", "`.csv.zip` holding `nodes.csv` and `edges.csv`",
                 "nodes.csv and edges.csv in one zip, for Excel",
                 "**Excel** or any spreadsheet: unzip, then open each file. A cell that a "
                 "spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a tab "
                 "or a carriage return) starts with an apostrophe instead."),
)}


# --- actions on a plan ---------------------------------------------------------------------

@dataclass(frozen=True)
class ActionStatus:
    name: str
    label: str
    done: bool


ACTION_STATUSES: dict[str, ActionStatus] = {a.name: a for a in (
    ActionStatus("not_started", "not started", False),
    ActionStatus("in_progress", "in progress", False),
    ActionStatus("done", "done", True),
    ActionStatus("verified", "verified", True),
)}


def action_status(text: str) -> str | None:
    """An action status from what a person typed ("In progress" -> in_progress), or None."""
    key = re.sub(r"[\s_-]+", "_", text.strip().lower())
    return key if key in ACTION_STATUSES else None


# --- words --------------------------------------------------------------------------------

PUBLIC_HEALTH_ACTION = "referred to the council's public health commissioners"
NO_RECOMMENDATION = "no recommendation"

# Parties on the child-protection pathway: a gap that touches one matters more.
# National terms, not an area's names.
CHILD_PROTECTION = re.compile(
    r"\b(MASH|multi[- ]agency safeguarding hub|strategy (?:discussion|meeting)s?|"
    r"child protection|section 47|s47|MARAC|MAPPA|MACE|multi[- ]agency risk assessment|"
    r"multi[- ]agency public protection|child sexual exploitation|CSE)\b", re.I)


def cypher_parameters() -> dict:
    """The vocabulary's groups as Cypher parameters: .cypher files never spell a status.

    ``severity_of[kind][status]`` is ``severity(kind, status)`` for both kinds of
    problem row (broken_loop, gap); ``action_done`` the action statuses that count
    as done.
    """
    return {"failing": list(failing()), "happening": list(happening()),
            "not_happening": list(not_happening()), "severities": list(SEVERITIES),
            "severity_of": {kind: {s: severity(kind, s) for s in STATUSES}
                            for kind in ("broken_loop", "gap")},
            "missing_return": MISSING_RETURN,
            "contains_down": [EDGE_TYPES[e].rel_type for e in contains_down()],
            "contains_up": [EDGE_TYPES[e].rel_type for e in contains_up()],
            "action_done": [a for a, v in ACTION_STATUSES.items() if v.done],
            "public_health_action": PUBLIC_HEALTH_ACTION,
            "no_recommendation": NO_RECOMMENDATION,
            "onward": {name: [name, *p.onward] for name, p in PASSES.items()}}
