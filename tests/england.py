"""England on one machine: about 150 distinct area folders, seeded, for ``compare`` at scale.

Why not 150 copies of Sefton: a comparison across copies finds every failure in
every area. Real areas differ in which services they have (a MASH or a front
door by another name, or none; one 0-19 service or health visiting and school
nursing apart; one hospital or two), in what they call them, in how well they
work (some areas fail far more than others) and so in which failures recur:
outcomes that never reach GPs recur almost everywhere, a late CP-IS in few.
Each area here is drawn from those choices with its own seeded random numbers:
the same seed gives the same folders, byte for byte.

Each folder is a complete area that ``graphmodel validate --strict`` passes: a
report in the CLAS shape (findings that quote the flows, recommendations, the
public-health referral sentence, next steps), its extraction made by
graphmodel's own extractor, parties with national roles, flows whose quotes
use the codebook's words for their status, and what is not modelled.

Tests and benchmarks import it (benchmarks import from tests, never the
reverse); a later multi-area Neo4j load can use the same folders.

    python tests/england.py 150 /tmp/england
"""

from __future__ import annotations

import itertools
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

SEED = 2016  # the year of "Not seen, not heard"
ROOTS = ("Ash", "Brack", "Cal", "Dun", "Elm", "Fen", "Gras", "Hart", "Ivy", "Kel", "Lang",
         "Mar", "Nor", "Ock", "Pen", "Quen", "Rad", "Sel", "Tam", "Ux", "Ver", "Wex", "Yar",
         "Brom", "Chel", "Dor", "Hal", "Kir", "Mel", "Stan")
ENDINGS = ("ford", "ham", "by", "ton", "field", "bury", "mouth", "shire", "wick", "dale",
           "minster", "stead", "port", "moor", "leigh")
FRONT_DOORS = (  # name, alias
    ("Multi-Agency Safeguarding Hub", "MASH"),
    ("Children's Advice and Duty Service", "CADS"),
    ("Integrated Front Door", "front door"),
    ("Single Point of Access", "SPA"),
    ("Multi-Agency Referral Unit", "MARU"),
    ("Children's Services Front Door", "the front door"),
)
SECTIONS = ("Early help", "Children in need", "Child protection", "Looked after children",
            "Management")


@dataclass
class Party:
    id: str
    name: str
    section: str
    role: str
    say: str  # how the report's sentences name it
    fields: dict = field(default_factory=dict)
    aliases: list[str] = field(default_factory=list)
    health: bool = True  # a health body's: CQC can address it a recommendation
    commissioner: str | None = None  # whose recommendations address it
    public_health: bool = False  # commissioned by the council's public health team


@dataclass(frozen=True)
class Template:
    """A flow every area may have: slots for its ends, what passes, how often it fails."""

    id: str
    sender: str
    receiver: str
    passes: str
    section: int
    fails: float  # how often it fails in an area of average quality
    statuses: tuple[tuple[str, float], ...]
    returns: str | None = None  # the template it answers


REFERRAL_BACK = (("inconsistent", 5), ("absent", 4), ("delayed", 1))
T = Template
TEMPLATES = (
    T("gp-referral", "gp", "front", "referral", 3, 0.1, (("inconsistent", 1),)),
    T("gp-outcome", "front", "gp", "outcome", 3, 0.65, REFERRAL_BACK, "gp-referral"),
    T("front-request-gp", "front", "gp", "request", 3, 0.05, (("delayed", 1),)),
    T("gp-response-front", "gp", "front", "response", 3, 0.35,
      (("inconsistent", 3), ("delayed", 2)), "front-request-gp"),
    T("front-request-camhs", "front", "camhs", "request", 3, 0.05, (("delayed", 1),)),
    T("camhs-response-front", "camhs", "front", "response", 3, 0.3,
      (("inconsistent", 2), ("delayed", 2)), "front-request-camhs"),
    T("ed-referral", "ed", "front", "referral", 1, 0.1, (("inconsistent", 1),)),
    T("ed-outcome", "front", "ed", "outcome", 1, 0.45, REFERRAL_BACK, "ed-referral"),
    T("hv-referral", "hv", "front", "referral", 1, 0.05, (("inconsistent", 1),)),
    T("hv-outcome", "front", "hv", "outcome", 1, 0.4, REFERRAL_BACK, "hv-referral"),
    T("maternity-referral", "maternity", "csc", "referral", 1, 0.05, (("delayed", 1),)),
    T("maternity-outcome", "csc", "maternity", "outcome", 1, 0.35, REFERRAL_BACK,
      "maternity-referral"),
    T("amh-referral", "amh", "csc", "referral", 2, 0.2, (("inconsistent", 1),)),
    T("amh-outcome", "csc", "amh", "outcome", 2, 0.4, REFERRAL_BACK, "amh-referral"),
    T("sm-referral", "sm", "csc", "referral", 2, 0.15, (("inconsistent", 1),)),
    T("sm-outcome", "csc", "sm", "outcome", 2, 0.45, REFERRAL_BACK, "sm-referral"),
    T("ypsm-referral", "ypsm", "csc", "referral", 2, 0.1, (("inconsistent", 1),)),
    T("ypsm-outcome", "csc", "ypsm", "outcome", 2, 0.4, REFERRAL_BACK, "ypsm-referral"),
    T("sh-referral", "sh", "csc", "referral", 2, 0.1, (("inconsistent", 1),)),
    T("sh-outcome", "csc", "sh", "outcome", 2, 0.35, REFERRAL_BACK, "sh-referral"),
    T("conference-invitation-gp", "conference", "gp", "invitation", 3, 0.25,
      (("inconsistent", 3), ("absent", 1))),
    T("gp-report-conference", "gp", "conference", "report", 3, 0.55,
      (("inconsistent", 3), ("absent", 2)), "conference-invitation-gp"),
    T("conference-minutes-gp", "conference", "gp", "minutes", 3, 0.5,
      (("absent", 2), ("inconsistent", 2), ("delayed", 1))),
    T("conference-minutes-hv", "conference", "hv", "minutes", 3, 0.3,
      (("delayed", 2), ("inconsistent", 1))),
    T("strategy-invitation-hv", "strategy", "hv", "invitation", 3, 0.45,
      (("absent", 2), ("inconsistent", 3))),
    T("marac-notification-gp", "marac", "gp", "notification", 3, 0.55, (("absent", 1),)),
    T("mappa-notification-gp", "mappa", "gp", "notification", 3, 0.5, (("absent", 1),)),
    T("mace-notification-sn", "mace", "sn", "notification", 3, 0.3,
      (("absent", 1), ("inconsistent", 1))),
    T("police-notification-front", "police", "front", "notification", 3, 0.25,
      (("delayed", 1),)),
    T("front-notification-hv", "front", "hv", "notification", 3, 0.35,
      (("inconsistent", 2), ("absent", 1))),
    T("csc-notification-cic", "csc", "cic", "notification", 4, 0.5,
      (("delayed", 6), ("inconsistent", 3), ("absent", 1))),
    T("csc-information-cic", "csc", "cic", "information", 4, 0.55,
      (("absent", 1), ("inconsistent", 1))),
    T("cic-assessment-gp", "cic", "gp", "assessment", 4, 0.35,
      (("inconsistent", 2), ("delayed", 1))),
    T("cic-notification-sh", "cic", "sh", "notification", 4, 0.4, (("absent", 1),)),
    T("maternity-notification-hv", "maternity", "hv", "notification", 1, 0.15,
      (("delayed", 1), ("inconsistent", 1))),
    T("ed-notification-sn", "ed", "sn", "notification", 1, 0.4,
      (("inconsistent", 2), ("absent", 1))),
    T("cpis-record-access-ed", "cpis", "ed", "record_access", 5, 0.35,
      (("blocked", 2), ("absent", 1))),
    T("gp-information-hv", "gp", "hv", "information", 1, 0.35, (("inconsistent", 1),)),
    T("sn-information-gp", "sn", "gp", "information", 1, 0.3,
      (("inconsistent", 2), ("absent", 1))),
    T("csc-invitation-camhs", "csc", "camhs", "invitation", 2, 0.3, (("inconsistent", 1),)),
    T("hv-record-access-gp", "hv", "gp", "record_access", 5, 0.3, (("blocked", 1),)),
    T("gp-meeting-information-hv", "gp_meeting", "hv", "information", 1, 0.2,
      (("inconsistent", 1),)),
    T("hv-information-gp", "hv", "gp", "information", 1, 0.3, (("inconsistent", 1),)),
    T("csc-plan-cic", "csc", "cic", "plan", 4, 0.4, (("delayed", 1), ("absent", 1))),
    T("cic-information-csc", "cic", "csc", "information", 4, 0.15, (("delayed", 1),)),
    T("conference-invitation-amh", "conference", "amh", "invitation", 3, 0.3,
      (("inconsistent", 1),)),
    T("amh-report-conference", "amh", "conference", "report", 3, 0.5,
      (("inconsistent", 2), ("absent", 1)), "conference-invitation-amh"),
    T("conference-invitation-camhs", "conference", "camhs", "invitation", 3, 0.2,
      (("inconsistent", 1),)),
    T("camhs-report-conference", "camhs", "conference", "report", 3, 0.45,
      (("inconsistent", 1), ("absent", 1)), "conference-invitation-camhs"),
    T("maternity-information-gp", "maternity", "gp", "information", 1, 0.4,
      (("inconsistent", 2), ("absent", 1))),
    T("sn-referral", "sn", "front", "referral", 2, 0.05, (("inconsistent", 1),)),
    T("sn-outcome", "front", "sn", "outcome", 2, 0.45, REFERRAL_BACK, "sn-referral"),
    T("marac-notification-hv", "marac", "hv", "notification", 3, 0.35,
      (("absent", 1), ("delayed", 1))),
    T("cic-assessment-csc", "cic", "csc", "assessment", 4, 0.3, (("delayed", 1),)),
)
# What an area's own flows may carry: failures of its own, seldom shared with another area.
LOCAL_PASSES = ("information", "notification", "report", "assessment", "minutes", "plan")
LOCAL_FAILS = (("inconsistent", 4), ("delayed", 2), ("absent", 3), ("blocked", 1),
               ("broken", 1))


def _second_hospital(t: Template) -> Template:
    """The same flow for a second hospital's emergency department, where there is one."""
    def swap(slot: str) -> str:
        return "ed2" if slot == "ed" else slot
    return Template(f"{t.id}-2", swap(t.sender), swap(t.receiver), t.passes, t.section,
                    t.fails, t.statuses, f"{t.returns}-2" if t.returns else None)


TEMPLATES += tuple(_second_hospital(t) for t in TEMPLATES if "ed" in (t.sender, t.receiver))
WORDS = {"referral": "referrals", "outcome": "the outcome of referrals",
         "request": "requests for information", "response": "responses to requests",
         "invitation": "invitations", "report": "reports", "minutes": "minutes",
         "notification": "notifications", "information": "information",
         "assessment": "health assessments", "record_access": "records", "plan": "care plans"}
# What a sentence says, by status: {s} the sender, {r} the receiver, {w} what passes.
SAYS = {
    "working": ("{S} routinely send {w} to {r} in good time.",
                "Inspectors saw that {s} share {w} with {r} effectively.",
                "{W} from {s} reach {r} promptly and are of good quality."),
    "inconsistent": ("{S} do not routinely send {w} to {r}.",
                     "{W} from {s} to {r} are not always shared.",
                     "The quality of {w} from {s} to {r} is variable."),
    "delayed": ("{W} from {s} to {r} are often delayed.",
                "{R} told inspectors that {w} from {s} arrive late.",
                "There are delays in {w} reaching {r} from {s}."),
    "absent": ("{R} are not informed by {s}: {w} are not sent.",
               "{R} do not receive {w} from {s}.",
               "There is no process for {s} to send {w} to {r}."),
    "blocked": ("{R} do not have access to {w} held by {s}.",
                "Access restrictions prevent {r} from seeing {w} from {s}."),
    "broken": ("The arrangement for {s} to send {w} to {r} does not work.",),
}
# What a report says that is no flow: practice, training, leadership, children's voices.
# None uses the words of information passing (codebook.INFORMATION_WORDS).
FILLERS = (
    "Inspectors looked at the records of children and young people.",
    "Staff have completed safeguarding training at the right level for their role.",
    "Young people told inspectors that they value the drop-in clinics.",
    "Supervision is regular and staff find it helpful.",
    "Caseloads are high in some teams, and managers monitor them closely.",
    "Health visitors use a recognised assessment tool at the antenatal contact.",
    "Practitioners understand the local thresholds document and use it well.",
    "Case records were well organised and easy to follow.",
    "The service has had a period of change in its leadership over the last year.",
    "Young people spoke positively about the support of their school nurse.",
    "Staff were knowledgeable about the signs of child sexual exploitation.",
    "A new electronic record system was introduced during the year.",
    "The named nurse for safeguarding provides advice and support to staff.",
    "Managers have a good grasp of the strengths and weaknesses of their service.",
    "Parents described staff as kind, approachable and easy to talk to.",
    "The voice of the child was clearly recorded in most of the records seen.",
    "Practitioners routinely consider the needs of other children in the household.",
    "Risk assessments were not always updated when circumstances changed.",
    "Chronologies were present in some records but were of variable quality.",
    "Staff told inspectors that they feel valued and well supported by their managers.",
    "Audits of safeguarding practice take place each quarter.",
    "The emotional health and well-being of children is considered at each contact.",
    "Some young people waited several weeks for their first appointment.",
    "There is good use of interpreters for families whose first language is not English.",
    "Staff consider the impact of parental mental health, substance misuse and domestic "
    "abuse on children.",
    "The assessment of young people's sexual health needs is thorough.",
    "Inspectors saw evidence of professional curiosity in most cases.",
    "Training on female genital mutilation has reached most front-line staff.",
    "Young people's emotional resilience is considered early in some cases.",
    "Care leavers are supported to register with a dentist.",
    "The health needs of unaccompanied asylum-seeking children are well understood.",
    "Workforce pressures have affected the capacity of some teams.",
    "The board meets every two months.",
    "Inspectors saw that plans were specific, measurable and reviewed.",
    "Staff use the local early help assessment to plan support for families.",
    "Some practitioners lacked confidence in challenging decisions by other agencies.",
)
UNMODELLED = (("Practitioners value the feedback they receive in safeguarding supervision.",
               "Feedback within supervision: no sender, receiver or what passes."),
              ("Staff understand how to share concerns about exploitation.",
               "Training and awareness, not a flow between two parties."),
              ("Leaders have plans to improve how information is shared across the "
               "partnership.", "A plan for the future: nothing passes yet."))


class _Dumper(yaml.CSafeDumper if hasattr(yaml, "CSafeDumper") else yaml.SafeDumper):  # type: ignore[misc]
    def ignore_aliases(self, data) -> bool:
        return True


def dump(section: str, items) -> str:
    head = "# yaml-language-server: $schema=../graphmodel.schema.json\n"
    return head + yaml.dump({section: items}, Dumper=_Dumper, sort_keys=False,
                            allow_unicode=True, width=1_000_000)


# --- the area's parties ---------------------------------------------------------------------

def area_names(count: int, seed: int = SEED) -> list[str]:
    """``count`` distinct invented place names, the same for the same seed."""
    names = [a + b for a, b in itertools.product(ROOTS, ENDINGS)]
    return random.Random(seed).sample(names, count)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("'", "")).strip("-")


def parties_of(name: str, rng: random.Random) -> dict[str, Party]:
    """The area's parties by slot: what exists, what it is called, who runs and buys it."""
    council = f"{name} {rng.choice(['Council', 'Borough Council', 'County Council'])}"
    p: dict[str, Party] = {}

    def add(slot, pid, full, section, role, say, **kw):  # say None: by its full name
        p[slot] = Party(pid, full, section, role, say or full, **kw)
        return p[slot]

    add("council", "council", council, "organisations", "local_authority", council,
        fields={"kind": "local_authority"}, health=False)
    add("public_health", "public-health", f"{name} public health team", "organisations",
        "public_health", None, health=False,
        fields={"kind": "local_authority_function", "part_of": "council"},
        aliases=[f"Public Health commissioners in {council}"])
    csc_name = rng.choice(["children's social care", "children's services"])
    add("csc", "csc", f"{name} {csc_name}", "organisations", "childrens_social_care",
        csc_name, fields={"kind": "local_authority_function", "part_of": "council"},
        aliases=[csc_name, "social workers"], health=False)
    ccgs = ([f"NHS {name} CCG"] if rng.random() < 0.6 else
            [f"NHS North {name} CCG", f"NHS South {name} CCG"])
    if rng.random() < 0.15:
        ccgs = [f"NHS {name} Integrated Care Board"]
    for n, ccg in enumerate(ccgs):
        add(f"ccg{n}", slug(ccg.removeprefix("NHS ")), ccg, "organisations", "commissioner", ccg,
            fields={"kind": "commissioner"})
    buyer = p["ccg0"].id
    town = rng.choice([name, f"{name} and District", f"{name} University"])
    acute = add("acute", "acute-trust", f"{town} Hospitals NHS Foundation Trust",
                "organisations", "health_provider", None,
                fields={"kind": "nhs_provider"}, commissioner=buyer)
    add("hospital", "general-hospital", f"{name} General Hospital", "sites", "acute_hospital",
        f"{name} General Hospital", fields={"operator": acute.id})
    community = add("community", "community-trust",
                    f"{rng.choice([name, 'Riverside', 'Heartland', 'Vale'])} Community "
                    "Healthcare NHS Trust", "organisations", "health_provider",
                    None, fields={"kind": "nhs_provider"}, commissioner=buyer)
    mental = add("mental", "mental-health-trust",
                 f"{rng.choice(['Northern', 'Southern', 'Coast', 'Moorland'])} "
                 f"{rng.choice(['Partnership', 'Care', 'Minds'])} NHS Foundation Trust",
                 "organisations", "health_provider", None,
                 fields={"kind": "nhs_provider"}, commissioner=buyer)
    voluntary = add("voluntary", "recovery-charity",
                    f"{rng.choice(['Horizon', 'Turning Tide', 'Pathways', 'Compass'])} "
                    "Recovery Partnership", "organisations", "substance_misuse",
                    None, fields={"kind": "voluntary_provider"})

    def service(slot, pid, full, role, say, provider, aliases=(), buyer=buyer, ph=False, **kw):
        buyers = [p["public_health"].id] if ph else [buyer]
        add(slot, pid, full, "services", role, say, aliases=list(aliases), commissioner=buyer,
            public_health=ph, fields={"provider": provider.id, "commissioners": buyers, **kw})

    service("ed", "emergency-department", f"{name} General emergency department",
            "emergency_department", "the emergency department", acute,
            aliases=["the emergency department"], sites=[p["hospital"].id])
    if rng.random() < 0.35:  # a children's hospital beside the general one
        second = add("acute2", "childrens-hospital-trust", f"{rng.choice(['Royal', 'St Mary'])}"
                     f" {name} Children's Hospital NHS Foundation Trust", "organisations",
                     "health_provider", None,
                     fields={"kind": "nhs_provider"}, commissioner=buyer)
        service("ed2", "childrens-emergency-department", "Children's emergency department",
                "emergency_department", "the children's emergency department", second,
                aliases=["the children's emergency department"])
    service("maternity", "maternity", f"{name} maternity service", "maternity", "midwives",
            acute, aliases=["midwives"], sites=[p["hospital"].id])
    if rng.random() < 0.6:  # one 0-19 service: health visitors and school nurses together
        service("hv", "zero-nineteen", "0-19 public health nursing service",
                "public_health_nursing", "the 0-19 service", community,
                aliases=["the 0-19 service", "health visitors", "school nurses"], ph=True)
        p["sn"] = p["hv"]
    else:
        service("hv", "health-visiting", "Health visiting", "health_visiting",
                "health visitors", community, aliases=["health visitors"], ph=True)
        service("sn", "school-nursing", "School nursing", "school_nursing", "school nurses",
                community, aliases=["school nurses"], ph=True)
    service("cic", "children-in-care-health", rng.choice(
        ["Looked after children's health team", "Children in care nurses"]),
        "children_in_care_health", "the children in care nurses", community,
        aliases=["the children in care nurses"])
    if rng.random() < 0.8:
        service("camhs", "camhs", "Child and adolescent mental health services", "camhs",
                "CAMHS", mental, aliases=["CAMHS"])
    service("amh", "adult-mental-health", "Adult mental health services",
            "adult_mental_health", "adult mental health practitioners", mental,
            aliases=["adult mental health practitioners"])
    service("sm", "adult-substance-misuse", "Adult substance misuse service",
            "substance_misuse", "the adult substance misuse service", voluntary,
            aliases=["the adult substance misuse service"], ph=True)
    if rng.random() < 0.7:
        service("ypsm", "young-peoples-substance-misuse",
                f"{rng.choice(['Young Minds Matter', 'Fresh Start', 'Youth Recovery'])}",
                "young_peoples_substance_misuse", "the young people's substance misuse service",
                voluntary, aliases=["the young people's substance misuse service"], ph=True)
    if rng.random() < 0.85:
        service("sh", "sexual-health", "Sexual health service", "sexual_health",
                "the sexual health service", rng.choice([acute, community]),
                aliases=["the sexual health service"], ph=True)
    add("gp", "gp-practices", f"{name} GP practices", "organisations", "gp_practice", "GPs",
        fields={"kind": "primary_care"}, aliases=["GP practices", "GPs"], commissioner=buyer)
    add("police", "police", f"{rng.choice(['Shire', 'Valley', 'Coast'])} Police",
        "organisations", "police", "the police", fields={"kind": "police"},
        aliases=["the police"], health=False)
    if rng.random() < 0.85:
        door, short = rng.choice(FRONT_DOORS)
        add("front", "front-door", door, "forums", "front_door", f"the {short}"
            if short.isupper() else short, fields={"kind": "hub", "hosted_by": "csc"},
            aliases=[short], health=False)
    else:  # no front door: referrals go to children's social care itself
        p["front"] = p["csc"]
    add("conference", "cp-conferences", "Child protection conferences", "forums",
        "child_protection_conference", "child protection conferences",
        fields={"kind": "conference", "hosted_by": "csc"},
        aliases=["child protection conferences"], health=False)
    for slot, chance, pid, full, role, say, kind in (
            ("strategy", 0.7, "strategy-discussions", "Strategy discussions",
             "strategy_discussion", "strategy discussions", "meeting"),
            ("marac", 0.9, "marac", "Multi-agency risk assessment conference", "marac",
             "MARAC", "conference"),
            ("mappa", 0.7, "mappa", "Multi-agency public protection arrangements", "mappa",
             "MAPPA", "process"),
            ("mace", 0.5, "mace", "Multi-agency child exploitation meetings",
             "exploitation_meeting", "MACE", "meeting"),
            ("gp_meeting", 0.5, "gp-safeguarding-meetings", "GP vulnerable families meetings",
             "gp_safeguarding_meeting", "GP vulnerable families meetings", "meeting")):
        if rng.random() < chance:
            add(slot, pid, full, "forums", role, say, fields={"kind": kind},
                aliases=[say] if say.lower() != full.lower() else [],
                health=role.startswith("gp"))
    if rng.random() < 0.7:
        add("cpis", "cpis", "Child protection information sharing", "systems", "cpis",
            "CP-IS", fields={"used_by": [p[s].id for s in ("ed", "ed2") if s in p]},
            aliases=["CP-IS"])
    return p


# --- the report and the flows ------------------------------------------------------------------

@dataclass
class Flow:
    template: Template
    sender: Party
    receiver: Party
    status: str
    sentence: str = ""
    paragraph: str = ""


def flows_of(parties: dict[str, Party], rng: random.Random, quality: float) -> list[Flow]:
    """The area's flows: each template whose ends exist, failing as often as the area does."""
    out: dict[str, Flow] = {}
    seen: set[tuple] = set()
    for t in TEMPLATES:
        if t.sender not in parties or t.receiver not in parties or rng.random() < 0.12:
            continue
        sender, receiver = parties[t.sender], parties[t.receiver]
        key = (sender.id, receiver.id, t.passes)
        if sender.id == receiver.id or key in seen:
            continue
        if t.returns and (t.returns not in out or out[t.returns].status in NOT_HAPPENING):
            continue  # nothing went out to be answered
        seen.add(key)
        fails = rng.random() < min(t.fails * quality, 0.95)
        status = _pick(rng, t.statuses) if fails else "working"
        out[t.id] = Flow(t, sender, receiver, status)
    speakers = [p for p in {x.id: x for x in parties.values()}.values() if p.section != "sites"
                and p.role not in ("local_authority", "public_health", "commissioner")]
    for n in range(rng.randint(2, 8)):  # what this area's report says of its own arrangements
        sender, receiver = rng.sample(speakers, 2)
        t = Template(f"local-{n + 1}", "", "", rng.choice(LOCAL_PASSES), rng.randint(1, 5),
                     0.6, LOCAL_FAILS)
        if (sender.id, receiver.id, t.passes) not in seen:
            seen.add((sender.id, receiver.id, t.passes))
            status = _pick(rng, LOCAL_FAILS) if rng.random() < 0.6 else "working"
            out[t.id] = Flow(t, sender, receiver, status)
    return list(out.values())


NOT_HAPPENING = ("absent", "blocked", "broken")


def _pick(rng: random.Random, weighted) -> str:
    names, weights = zip(*weighted, strict=True)
    return rng.choices(names, weights)[0]


def sentence(flow: Flow, rng: random.Random) -> str:
    words = WORDS[flow.template.passes]
    say = rng.choice(SAYS[flow.status])
    s, r = flow.sender.say, flow.receiver.say
    return say.format(s=s, r=r, w=words, S=_cap(s), R=_cap(r), W=_cap(words))


def _cap(text: str) -> str:
    return text[0].upper() + text[1:]


def report_text(name: str, parties: dict[str, Party], flows: list[Flow],
                rng: random.Random) -> tuple[str, dict[str, list[str]], list[tuple[str, str]]]:
    """The report, the recommendations each paragraph cites, and the findings not modelled."""
    by_section: dict[int, list[list[Flow]]] = {n: [] for n in range(1, 6)}
    for flow in flows:  # a return shares its outward flow's paragraph
        group = next((g for g in by_section[flow.template.section]
                      if flow.template.returns and g[-1].template.id == flow.template.returns),
                     None)
        if group is None:
            by_section[flow.template.section].append([flow])
        else:
            group.append(flow)
    council = parties["council"].name
    recs: dict[str, list[tuple[str, str]]] = {}  # owner's name -> [(rec text, paragraph)]
    lines = [f"Review of health services for Children Looked After and Safeguarding in {name}",
             "", "Summary of the review", "", *_wrap(" ".join(rng.sample(FILLERS, 20))), "",
             "Context of the review", "", *_wrap(_context(name, parties)), "",
             "What people told us", "", *_wrap(" ".join(rng.sample(FILLERS, 12))), "",
             "The child's journey", ""]
    not_modelled: list[tuple[str, str]] = []
    for number, title in enumerate(SECTIONS, 1):
        lines += [f"{number}. {title}", ""]
        paragraphs = by_section[number] + [[] for _ in range(rng.randint(10, 18))]
        rng.shuffle(paragraphs)
        for n, group in enumerate(paragraphs, 1):
            pid = f"{number}.{n}"
            text = _paragraph(pid, group, parties, council, recs, rng, not_modelled)
            lines += _wrap(f"{pid} {text}") + [""]
    lines += ["Recommendations", ""]
    if not recs:  # an area that does well still gets one, which no finding cites
        recs[parties["ccg0"].name] = [("Keep the safeguarding arrangements that work well "
                                       "under review.", "")]
    cited: dict[str, list[str]] = {}
    for g, (owner, items) in enumerate(recs.items(), 1):
        lines += [f"{g}. {owner} should:", ""]
        for i, (text, paragraph) in enumerate(items, 1):
            lines += _wrap(f"{g}.{i} {text}")
            if paragraph:
                cited.setdefault(paragraph, []).append(f"{g}.{i}")
        lines.append("")
    buyers = " and ".join(p.name for slot, p in parties.items() if slot.startswith("ccg"))
    lines += ["Next steps", "", *_wrap(f"An action plan is required from {buyers} within 20 "
                                       "working days of receipt of this report."), ""]
    text = "\n".join(lines)
    for number in cited:  # "Recommendation 1.1" placeholders become their numbers
        text = text.replace(f"[[{number}]]", " and ".join(cited[number]))
    return text, cited, not_modelled


def _context(name: str, parties: dict[str, Party]) -> str:
    """Who commissions and provides what, as a report's context says it."""
    said = [f"Health services for children in {name} are commissioned by "
            f"{parties['ccg0'].name}."]
    for slot in ("ed", "maternity", "hv", "cic", "camhs", "amh", "sm", "sh"):
        if slot in parties:
            party = parties[slot]
            provider = next(p for p in parties.values() if p.id == party.fields["provider"])
            buyer = parties["public_health"] if party.public_health else parties["ccg0"]
            said.append(f"{party.name} is commissioned by {buyer.name} and provided by "
                        f"{provider.name}.")
    return " ".join(said)


def _paragraph(pid: str, group: list[Flow], parties, council: str, recs, rng,
               not_modelled: list) -> str:
    prose = rng.sample(FILLERS, rng.randint(3, 10))
    if not group:
        if rng.random() < 0.15:
            said, why = rng.choice(UNMODELLED)
            not_modelled.append((pid, why))
            return " ".join([said, *prose])
        return " ".join(prose)
    before = rng.randint(0, 3)
    said = prose[:before]
    for flow in group:
        flow.sentence, flow.paragraph = sentence(flow, rng), pid
        said.append(flow.sentence)
    said += prose[before:before + rng.randint(0, 2)]
    failing = [f for f in group if f.status != "working"]
    if failing and rng.random() < 0.75:
        flow = failing[-1]
        health = flow.receiver if flow.receiver.health else flow.sender
        if health.public_health and rng.random() < 0.4:
            said.append(f"This matter will be brought to the attention of the Public Health "
                        f"commissioners in {council}.")
        elif health.health:
            owner = parties["ccg0"] if rng.random() < 0.6 or not health.fields.get(
                "provider") else next(p for p in parties.values()
                                      if p.id == health.fields["provider"])
            recs.setdefault(owner.name, []).append(
                (f"Make sure that {flow.receiver.say} receive {WORDS[flow.template.passes]} "
                 f"from {flow.sender.say}.", pid))
            said.append(f"Recommendation [[{pid}]]")
    return " ".join(said)


def _wrap(text: str, width: int = 88) -> list[str]:
    """Lines of a PDF's text: never one that starts with a number, nor a broken reference."""
    words = re.sub(r"Recommendation (\S)", "Recommendation\u00a0\\1", text).split(" ")
    lines, line = [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width and not word[:1].isdigit() \
                and not word.startswith("[["):
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return [ln.replace("\u00a0", " ") for ln in lines]


# --- writing the folder ----------------------------------------------------------------------

def make_area(folder: Path, name: str, rng: random.Random) -> Path:
    """One area's folder, complete: report, extraction, parties with roles, flows."""
    from graphmodel.model.report import extract_report, extraction_yaml
    quality = rng.uniform(0.5, 1.6)  # how often this area's flows fail, against the average
    parties = parties_of(name, rng)
    flows = flows_of(parties, rng, quality)
    text, cited, not_modelled = report_text(name, parties, flows, rng)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "report.txt").write_text(text, encoding="utf-8")
    extraction = extract_report(text, "report.txt")
    (folder / "extracted.yaml").write_text(extraction_yaml(extraction, "report.txt"),
                                           encoding="utf-8")
    area = {"id": slug(name), "name": name, "report": "report.txt",
            "extraction": "extracted.yaml", "public_health_owner": "public-health"}
    files = {"area.yaml": "# yaml-language-server: $schema=../graphmodel.schema.json\n" +
             yaml.dump({"area": area}, Dumper=_Dumper, sort_keys=False)}
    unique = list({p.id: p for p in parties.values()}.values())
    for section in ("organisations", "services", "sites", "forums", "systems"):
        files[f"{section}.yaml"] = dump(section, [_party_yaml(p) for p in unique
                                                  if p.section == section])
    files["flows.yaml"] = dump("flows", [_flow_yaml(f, flows, cited) for f in flows])
    files["not_modelled.yaml"] = dump("not_modelled", [{"paragraph": pid, "why": why}
                                                       for pid, why in not_modelled])
    files["problems.yaml"] = dump("problems", problems_of(flows))
    for file_name, content in files.items():
        (folder / file_name).write_text(content, encoding="utf-8")
    return folder


def _party_yaml(party: Party) -> dict:
    out = {"id": party.id, "name": party.name, "role": party.role}
    if party.aliases:
        out["aliases"] = party.aliases
    return {**out, **party.fields}


def _flow_yaml(flow: Flow, flows: list[Flow], cited: dict[str, list[str]]) -> dict:
    t = flow.template
    out: dict = {"id": t.id, "from": flow.sender.id, "to": flow.receiver.id, "passes": t.passes,
                 "status": flow.status,
                 "summary": f"{_cap(flow.sender.say)} \u2192 {flow.receiver.say}: "
                            f"{WORDS[t.passes]} ({flow.status})."}
    if t.returns:
        out["returns"] = t.returns
    out["evidence"] = [{"paragraph": flow.paragraph, "quote": flow.sentence}]
    recs = cited.get(flow.paragraph, [])
    if recs and (flow.status == "working" or not _addressed(flow, flows)):
        out["recommendations"] = []
        out["recommendations_note"] = "The paragraph's recommendation is about another flow."
    return out


def _addressed(flow: Flow, flows: list[Flow]) -> bool:
    """Whether the paragraph's recommendation is this flow's: its last failing flow's."""
    failing = [f for f in flows if f.paragraph == flow.paragraph and f.status != "working"]
    return bool(failing) and failing[-1] is flow


# Whose children a failure affects, by the report's section (and the services at each end).
CHILDREN_BY_SECTION = {1: "early_help", 2: "children_in_need", 3: "child_protection",
                       4: "looked_after", 5: "all_children"}


def problems_of(flows: list[Flow]) -> list[dict]:
    """One declared problem per paragraph that has failing flows (a loop's legs together).

    The flows that make a problem are the codebook's: every failing flow, and the
    outward leg of a loop whose return fails while the outward goes out.
    """
    by_id = {f.template.id: f for f in flows}
    needed = [f for f in flows if f.status != "working" or any(
        g.template.returns == f.template.id and g.status != "working" for g in flows)]
    out: dict[str, dict] = {}
    for flow in needed:
        if flow.paragraph in out:
            out[flow.paragraph]["flows"].append(flow.template.id)
            continue
        failing = next((g for g in needed if g.paragraph == flow.paragraph
                        and g.status != "working"), flow)
        t = failing.template
        statement = (f"{_cap(failing.receiver.say)} do not reliably get "
                     f"{WORDS[t.passes]} from {failing.sender.say}, so children at risk can "
                     "be missed.")
        if len(statement) > 240:
            statement = "Information that children's safety depends on does not pass reliably."
        claim = {"paragraph": failing.paragraph, "quote": failing.sentence}
        out[flow.paragraph] = {
            "id": f"problem-{flow.paragraph.replace('.', '-')}", "statement": statement,
            "flows": [flow.template.id], "scope": {"is": "systemic", **claim},
            "children": [{"is": CHILDREN_BY_SECTION[t.section], **claim}]}
    assert all(f in by_id for p in out.values() for f in p["flows"])
    return list(out.values())


def make_england(folder: Path, count: int = 150, seed: int = SEED) -> list[Path]:
    """``count`` distinct areas under ``folder``, one folder each, the same for the same seed."""
    return [make_area(Path(folder) / slug(name), name, random.Random(f"{seed}:{name}"))
            for name in area_names(count, seed)]


if __name__ == "__main__":
    count, target = int(sys.argv[1]), Path(sys.argv[2])
    made = make_england(target, count)
    print(f"{len(made)} areas in {target}")
