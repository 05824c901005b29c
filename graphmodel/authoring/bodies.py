"""The bodies a report names: organisations, the national forums, and the services it buys.

Why a module of its own: ``graphmodel new`` proposes an area's parties from
its report, and every CLAS review names them the same ways. A body's name
ends in a word that says what it is ("... NHS Foundation Trust", "... CCG",
"... Council"); the same body appears under several names ("Southport and
Ormskirk Hospitals NHS Trust", "Southport and Ormskirk NHS Trust"), which
fold to one key; an abbreviation follows in brackets ("(SSCCG)"). The forums
and council functions (MASH, child protection conferences, children's social
care, GP practices) are national terms, so a table of them serves every area.
Pure functions over text; nothing here reads or writes files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..names import fold

ENDINGS = (r"NHS Foundation Trust|NHS Trust|Foundation Trust|Trust|CCG|"
           r"Clinical Commissioning Group|Integrated Care Board|ICB|Council|[Pp]olice|"
           r"Constabulary")
# A word of a name: capitalised, or a number; a full stop only inside it or after a short
# abbreviation ("St. Anne's"), so "... Duty Service. The CCG" is not one name.
_WORD = r"(?:[A-Z][\w'’&-]*(?:\.[\w'’&-]+)*|[A-Z][a-z]?\.|[0-9]+)"
BODY = re.compile(r"(?<![\w'’])((?:" + _WORD + r"\s+|(?:and|of|&)\s+){0,8}?)(" + ENDINGS +
                  r")(?![\w])")
NAMED_BODIES = re.compile(r"\b(NHS England|Public Health England|Care Quality Commission|"
                          r"CQC|Ofsted)\b")
ABBREVIATION = re.compile(r"^\s*\(([A-Z][A-Za-z&]{1,11})\)")
_COUNCIL = r"(?:[A-Z][\w'’-]*\s+){1,4}Council"
PUBLIC_HEALTH = re.compile(
    r"(?P<a>" + _COUNCIL + r")[’']s? (?i:public health (?:team|commissioners))|"
    r"(?i:(?:public health (?:team|commissioners)|director of public health)) (?:in|of|at) "
    r"(?:the )?(?P<b>" + _COUNCIL + ")")
# "the council's public health team", "the public health team": the area's own.
OWN_PUBLIC_HEALTH = re.compile(r"^(?:the )?(?:council['’]s )?public health (?:team|commissioners)$",
                               re.I)
# Words dropped from a body's key, so its variants fold together.
_FILLER = {"nhs", "foundation", "trust", "trusts", "hospital", "hospitals", "healthcare", "the",
           "and",
           "of", "&", "clinical", "commissioning", "group", "integrated", "care", "board",
           "ccg", "icb"}
_LEADING = re.compile(r"^(?:(?:and|of|&|the|The|By|For|From|With|In|At|To|Both|All|Each|"
                      r"Every|Any|Other|Its|Their)\s+)+")


@dataclass
class Body:
    """A proposed party: one id, its names as the report writes them, and a quote."""

    id: str
    name: str
    section: str  # "organisations" or "forums"
    kind: str  # a vocab.ORG_KINDS or vocab.FORUM_KINDS name
    aliases: list[str] = field(default_factory=list)
    part_of: str | None = None  # organisations and groups: what it belongs to
    hosted_by: str | None = None  # forums
    operator: str | None = None  # sites
    evidence: list[tuple[str, str]] = field(default_factory=list)  # (paragraph, quote)
    why: str = ""
    role: str | None = None  # vocab.ROLES, where new can tell (a front door, a system)

    def names(self) -> list[str]:
        return [self.name, *self.aliases]

    def add_name(self, name: str) -> None:
        if name and all(n.lower() != name.lower() for n in self.names()):
            self.aliases.append(name)


def slug(text: str, drop: set[str] | frozenset = frozenset()) -> str:
    """A kebab-case id from a name ("Liverpool Women’s NHS Trust" -> "liverpool-womens")."""
    words = re.sub(r"['’]", "", fold(text).lower())
    words = re.sub(r"\bintegrated care board\b", "icb", words)
    words = re.sub(r"\bclinical commissioning group\b", "ccg", words)
    parts = [w for w in re.split(r"[^a-z0-9]+", words) if w and w not in drop]
    return "-".join(parts) or "body"


def org_kind(name: str) -> str:
    """A vocab.ORG_KINDS name from the words of a body's name."""
    checks = (
        (r"\bPublic Health England\b", "national_body"),
        (r"public health", "local_authority_function"),
        (r"\b(CCGs?|Clinical Commissioning Group|ICB|Integrated Care Board|NHS England|"
         r"commissioners?)\b", "commissioner"),
        (r"\b(Police|Constabulary)\b", "police"),
        (r"\b(CQC|Care Quality Commission|Ofsted)\b", "regulator"),
        (r"\bCouncil\b", "local_authority"),
        (r"\bTrust\b", "nhs_provider"),
    )
    return next((kind for pattern, kind in checks if re.search(pattern, name, re.I)),
                "voluntary_provider")


def body_key(name: str) -> str:
    """What variants of one body's name share: its distinctive words and its kind."""
    words = re.sub(r"['’]s\b", "", fold(name).lower())
    core = [w for w in re.split(r"[^a-z0-9]+", words) if w and w not in _FILLER]
    return org_kind(name) + ":" + " ".join(core)


def clean_name(raw: str) -> str:
    """A matched name without leading connectors or sentence openers."""
    name = re.sub(r"\s+", " ", raw).strip(" ,;:")
    return _LEADING.sub("", name).strip()


def find_bodies(text: str) -> list[tuple[str, int, int]]:
    """(name, start, end) of every organisation name in running text, in order."""
    found = []
    for match in BODY.finditer(text):
        name = clean_name(match.group(0))
        if (len(name.split()) < 2 and not name.isupper()) or re.fullmatch(ENDINGS, name):
            continue  # "Trust", "CCG" or "Council" alone names no body
        found.append((name, match.end() - len(name), match.end()))
    for match in NAMED_BODIES.finditer(text):
        found.append((match.group(1), match.start(), match.end()))
    return sorted(found, key=lambda f: f[1])


def abbreviation_after(text: str, end: int) -> str | None:
    """The bracketed abbreviation right after a name: "NHS South Sefton CCG (SSCCG)"."""
    match = ABBREVIATION.match(text[end:end + 16])
    return match.group(1) if match else None


def sentences(text: str) -> list[str]:
    """Sentences of folded running text (a split before a capital after . ! or ?)."""
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z0-9‘'\"(])", fold(text))
    return [p for p in parts if p.strip()]


def sentence_with(text: str, phrase_start: int) -> str:
    """The sentence of ``text`` (already folded) around a character position."""
    starts = [m.end() for m in re.finditer(r"[.!?]\s+(?=[A-Z0-9‘'\"(])", text)
              if m.end() <= phrase_start]
    begin = starts[-1] if starts else 0
    end_match = re.search(r"[.!?](?=\s+[A-Z0-9‘'\"(]|\s*$)", text[phrase_start:])
    end = phrase_start + end_match.end() if end_match else len(text)
    return text[begin:end].strip()


# --- the national forums and council functions ------------------------------------------

@dataclass(frozen=True)
class Common:
    """A party every area has under a national name, proposed when the report names it."""

    id: str
    name: str
    section: str
    kind: str
    pattern: str
    council: str | None = None  # "part_of" or "hosted_by": tie it to the area's council
    parent: str | None = None  # groups: "commissioner" or a common party's id
    role: str | None = None  # vocab.ROLES, where every area's party of this name has it


COMMON_PARTIES: tuple[Common, ...] = (
    Common("childrens-social-care", "Children's social care", "organisations",
           "local_authority_function",
           r"children['’]s social care|social care|social workers?|\bCSC\b", "part_of"),
    Common("gp-practices", "GP practices", "organisations", "primary_care",
           r"GP practices?|GPs|\bGP\b|general practi(?:ces?|tioners?)|primary care"),
    Common("mash", "Multi-Agency Safeguarding Hub", "forums", "hub",
           r"\bMASH\b|multi[- ]agency safeguarding hub", "hosted_by", role="front_door"),
    Common("early-help", "Early help hub", "forums", "hub",
           r"early help (?:hub|gateway|team|panel|service)s?", "hosted_by"),
    Common("cp-conferences", "Child protection conferences", "forums", "conference",
           r"(?:initial |review )?child protection (?:case )?conferences?", "hosted_by"),
    Common("strategy-meetings", "Strategy meetings", "forums", "meeting",
           r"strategy (?:meetings?|discussions?)", "hosted_by"),
    Common("core-groups", "Core groups", "forums", "meeting", r"core group(?: meeting)?s?",
           "hosted_by"),
    Common("cin-meetings", "Child in need meetings", "forums", "meeting",
           r"child(?:ren)? in need (?:meetings?|reviews?)|\bCiN meetings?", "hosted_by"),
    Common("marac", "Multi-agency risk assessment conference", "forums", "conference",
           r"\bMARACs?\b|multi[- ]agency risk assessment conferences?"),
    Common("mappa", "Multi-agency public protection arrangements", "forums", "process",
           r"\bMAPPA\b|multi[- ]agency public protection arrangements"),
    Common("mace", "Multi-agency child exploitation meetings", "forums", "meeting",
           r"\bMACE\b|multi[- ]agency child exploitation (?:meetings?|panel)"),
    Common("safeguarding-partnership", "Local safeguarding children board or partnership",
           "forums", "board",
           r"\bLSCB\b|\bLSCP\b|\b[A-Z]SC[BP]\b|local safeguarding children(?:['’]s)? (?:board|"
           r"partnership)|safeguarding children(?:['’]s)? (?:board|partnership)"),
    Common("corporate-parenting", "Corporate parenting board", "forums", "board",
           r"corporate parenting (?:board|panel|committee)", "hosted_by"),
    Common("cdop", "Child death overview panel", "forums", "panel",
           r"\bCDOP\b|child death overview panel"),
    Common("lac-reviews", "Looked after children reviews", "forums", "meeting",
           r"(?:LAC|looked after child(?:ren)?|children in care) reviews?"),
    Common("designated-professionals", "Designated safeguarding professionals", "groups", "",
           r"designated (?:nurses?|doctors?|professionals?|safeguarding (?:nurses?|doctors?|"
           r"professionals?))", parent="commissioner"),
    Common("named-gp", "Named GP for safeguarding", "groups", "", r"named GPs?",
           parent="gp-practices"),
)

SITE = re.compile(r"(?<![\w'’])((?:(?:[A-Z][\w'’-]*|[A-Z][a-z]?\.)\s+|(?:and|of)\s+){1,7}?)"
                  r"(Hospital|Infirmary)(?![\w'’])")
_SITE_FILLER = {"hospital", "infirmary", "district", "general", "and", "of", "the", "university",
                "s"}


def site_core(name: str) -> set[str]:
    """A site's distinctive words: "Ormskirk and District General Hospital" -> {ormskirk}.

    A possessive is dropped with or without its apostrophe, so a slip ("St Aldrics
    Children's Hospital") names the same site as "St Aldric's Children's Hospital".
    """
    words = re.split(r"[^a-z0-9]+", re.sub(r"['’]s\b", "", fold(name).lower()))
    stems = {re.sub(r"(?<=[a-z]{3}[^s])s$", "", w) for w in words if w}
    return stems - _SITE_FILLER


def find_sites(text: str) -> list[tuple[str, int]]:
    """(name, start) of every hospital name in running text."""
    out = []
    for match in SITE.finditer(text):
        name = clean_name(match.group(0))
        if re.match(r"s?\s+(?:NHS|Foundation|Trust)\b", text[match.end():]):
            continue  # a trust's name ("Stannerton University Hospital NHS Trust")
        if len(name.split()) >= 2:
            out.append((name, match.end() - len(name)))
    return out


NEGATED = re.compile(r"\b(?:does not have|do not have|did not have|has no|have no|had no|"
                     r"without|no longer has|no)\s+(?:an?\s+|any\s+)?(?:\w+\s+)?$", re.I)


def common_mentions(common: Common, text: str) -> list[re.Match]:
    """A common party's mentions, leaving out those that say it is not there ("Wexmoor
    does not have a multi-agency safeguarding hub")."""
    return [m for m in re.finditer(common.pattern, text, re.I)
            if not NEGATED.search(text[max(0, m.start() - 40):m.start()])]


# The front door under a local name: "All contacts and referrals about children are
# received by the Children's Advice and Duty Service (CADS)", "... by the council's
# Single Point of Access (SPA) for children's services", "X is the front door".
FRONT_DOOR = re.compile(
    r"(?:referrals?\b[^.]{0,40}\b(?:are|is) received by|\breceives? (?:all )?(?:contacts|"
    r"referrals))|\bis the (?:children['’]s )?front door\b", re.I)
_DOOR_NAME = re.compile(r"((?:[A-Z][\w'’-]*\s+(?:(?:and|of|for)\s+)?){1,7}?)\(([A-Z]{2,6})\)")


def front_door(sentence: str) -> tuple[str, str] | None:
    """(name, abbreviation) of the party a context sentence calls the front door."""
    if not FRONT_DOOR.search(sentence):
        return None
    names = [(clean_name(m.group(1)), m.group(2)) for m in _DOOR_NAME.finditer(sentence)]
    return names[0] if names else None


# Where a health practitioner or team sits in the front door: "A health team is
# co-located in CADS", "A health liaison nurse employed by ECHT is based in the SPA".
HEALTH_IN_DOOR = re.compile(
    r"\b(?:An? |The )((?:[a-z]+ ){0,3}?(?:health|mental health)(?: liaison)? (?:team|nurses?|"
    r"practitioners?))\b[^.]{0,80}?\b(?:is|are) (?:co-located|based|located) in (?:the )?", re.I)


# Record systems every area may name, proposed when the report names one.
SYSTEMS: tuple[tuple[str, str, str], ...] = (
    ("cpis", "Child Protection Information Sharing", r"\bCP-?IS\b|child protection information "
                                                      r"sharing"),
    ("systmone", "SystmOne", r"\bSystm ?One\b"),
    ("rio", "RiO", r"\bRiO\b"),
    ("emis", "EMIS", r"\bEMIS(?: Web)?\b"),
    ("lorenzo", "Lorenzo", r"\bLorenzo\b"),
)
SYSTEM_ROLES = {"cpis": "cpis"}


# --- the services the context says are bought ---------------------------------------------

# Words that name a service's practitioners: a context service that covers
# health visiting takes "health visitors" as a name, so drafts find it.
SERVICE_WORDS: tuple[tuple[str, str], ...] = (
    ("health visiting", r"health visit(?:ing|ors?)"),
    ("school nursing", r"school nurs(?:ing|es?)"),
    ("maternity", r"midwi(?:fe|ves|fery)|maternity(?: services?)?"),
    ("emergency", r"emergency departments?|\bEDs?\b|\bA&E\b|urgent care"),
    ("camhs", r"\bCAMHS\b|child and adolescent mental health services?"),
    ("sexual health", r"sexual health(?: services?| nurses?| clinics?)?"),
    ("substance misuse", r"substance misuse(?: services?)?"),
    ("adult mental health", r"adult mental health(?: services?| practitioners?)?"),
    ("children in care", r"children in care nurs(?:es|ing)|\bLAC nurses?|"
                         r"looked after children(?:['’]s)? nurs(?:es|ing)|\bCiC nurses?"),
    ("paediatric", r"paediatric(?:ians?| services?)"),
)
COMMISSIONED = re.compile(r"\b(?:is|are) (?:jointly )?commissioned (?:jointly )?by ", re.I)
PROVIDED = re.compile(r"\b(?:is|are) (?:also )?(?:provided|delivered)(?: [\w-]+){0,4}? by |"
                      r",? and provided by |\bprovided by ", re.I)
SUBCONTRACT = re.compile(r"(?:through|under) (?:a )?sub-?contract(?:ing)?(?: arrangements?)? "
                         r"(?:from|with) ", re.I)
PRONOUN = re.compile(r"^(?:They|It|These|This service|These services|The service|"
                     r"The services)\b")
KNOWN_AS = re.compile(
    r"(?:known as|called) [‘'\"]([^’'\"]{3,60})[’'\"]|\(((?:the )?[A-Z][\w ]{1,40})\)|"
    r"(?:known as|,? as) (?:the )?([A-Z][\w'’]*(?: [A-Z][\w'’]*)+)")
# Words that say how a body commissions, not who it is: "NHS England specialised
# commissioning", "NHS Ellesmoor CCG as co-ordinating commissioner, with WCCG as an
# associate commissioner".
COMMISSIONING_WORDS = re.compile(
    r"\bspeciali[sz]ed commissioning\b|\bas (?:the |a |an )?(?:co-?ordinating|lead|associate)"
    r" commissioners?\b|\bunder separate contracts\b|\bfor the [\w ]+ tier\b|"
    r"\bas lead provider\b", re.I)


@dataclass
class ServiceLine:
    """One context sentence's service: its name, who commissions and who provides it."""

    name: str
    subject: str  # the words before "commissioned by": what the service covers
    aliases: list[str]
    commissioners: list[str]  # names as written
    providers: list[str]
    subcontracted_from: str | None
    quotes: list[str]
    sites: list[str] = field(default_factory=list)  # "provided by X at <site> and <site>"


def split_names(text: str) -> list[str]:
    """"A, B and C" -> [A, B, C] where each ends in a body's ending or is an abbreviation.

    What follows a name and says where or how ("at Pellbury General Hospital", "in
    Ellesmoor", "as the Fenmarsh Sexual Health Service", "as co-ordinating
    commissioner") is left out.
    """
    from ..model.report import split_owners
    out = []
    text = COMMISSIONING_WORDS.sub("", text)
    for part in re.split(r";|,? with |,? and by |\bby ", text):
        part = re.split(r"\s+(?:at|through|for|in|as|under|on behalf of)\s+|,?\s+which\b",
                        part)[0]
        out += split_owners(part.strip().rstrip(".") + " should:")
    return [clean_name(n) for n in out if n]


def service_lines(context: str) -> list[ServiceLine]:
    """Who commissions and who provides what, from the context's sentences.

    A sentence may name several services ("CAMHS, adult mental health services and
    the mental health liaison service are commissioned by ..."): one line each.
    A sentence that goes on about the last ("They are provided by ...", "The
    service is delivered by X under a sub-contract from Y") adds to it.
    """
    found: list[ServiceLine] = []
    for sentence in sentences(context):
        commissioned, provided = COMMISSIONED.search(sentence), PROVIDED.search(sentence)
        runs = RUNS.match(sentence)
        if runs and not commissioned and not provided:
            found.append(_run_by(runs, sentence))
            continue
        if not commissioned and not provided:
            continue
        first = min(m.start() for m in (commissioned, provided) if m)
        subject = sentence[:first].strip(" ,")
        commissioners, providers, prime, sites = _who(sentence.rstrip("."), commissioned,
                                                      provided)
        if PRONOUN.match(subject) and found:
            _go_on(found[-1], commissioners, providers, prime, sites, sentence)
            continue
        parts = split_services(subject)
        # "provided by ECHT as the Fenmarsh Sexual Health Service": a name of the one
        # service (a bracket after this point abbreviates a body, not the service)
        named = [re.sub(r"^the ", "", a or c) for a, _, c in KNOWN_AS.findall(sentence[first:])
                 if a or c]
        for part in parts:
            name, more = service_name(part)
            if name:
                found.append(ServiceLine(name, part, more + (named if len(parts) == 1 else []),
                                         commissioners, providers, prime, [sentence], sites))
    return found


# "WHFT also runs a minor injuries unit (MIU) at Hendry Cross Community Hospital."
RUNS = re.compile(r"^(?P<who>[A-Z][\w'’&]*(?: [A-Z][\w'’&]*)*) (?:also )?(?:runs|operates|"
                  r"manages) (?:a |an |the )?(?P<what>[^.]+?)(?: at (?P<site>[^.]+?))?\.?$")


def _run_by(runs: re.Match, sentence: str) -> ServiceLine:
    """A service a body runs, and where: no commissioner given."""
    name, aliases = service_name(runs.group("what"))
    sites = [n for n, _ in find_sites(runs.group("site") or "")]
    return ServiceLine(name, runs.group("what"), aliases, [], [runs.group("who")], None,
                       [sentence], sites)


def _who(body: str, commissioned: re.Match[str] | None, provided: re.Match[str] | None
         ) -> tuple[list[str], list[str], str | None, list[str]]:
    """A sentence's commissioners, providers, prime provider (sub-contract) and sites."""
    commissioners: list[str] = []
    providers: list[str] = []
    sub = SUBCONTRACT.search(body)
    if commissioned:
        stop = provided.start() if provided and provided.start() > commissioned.end() \
            else len(body)
        who = body[commissioned.end():stop]
        if not provided and " from " in who:  # "commissioned by A from B as lead provider"
            who, providers_text = who.split(" from ", 1)
            providers = split_names(providers_text)
        commissioners = split_names(who)
    if provided:
        stop = sub.start() if sub and sub.start() > provided.end() else len(body)
        providers = split_names(body[provided.end():stop])
    primes = split_names(body[sub.end():]) if sub else []
    sites = [name for name, _ in find_sites(body[provided.end():])] if provided else []
    return commissioners, providers, primes[0] if primes else None, sites


def _go_on(last: ServiceLine, commissioners: list[str], providers: list[str],
           prime: str | None, sites: list[str], sentence: str) -> None:
    """A sentence that goes on about the last service adds what it says."""
    if prime:  # "delivered by Linden under a sub-contract from WPFT": Linden provides it
        last.providers, last.subcontracted_from = providers or last.providers, prime
    else:
        last.providers = last.providers or providers
    last.commissioners = last.commissioners or commissioners
    last.quotes.append(sentence)
    last.sites += sites


_SERVICE_END = re.compile(r"(?:services?|team|\([^)]*\))$", re.I)


def split_services(subject: str) -> list[str]:
    """"CAMHS (CAMHS), adult mental health services and the mental health liaison service"
    -> each service; "Child and Adolescent Mental Health Services" stays whole.

    A split is made at a comma, or at "and", only where every piece ends like a
    service ("... services", "... team", "(CAMHS)"), leaving out where it is.
    """
    head = re.split(r",? (?:including|which|known as|called|such as)\b", subject)[0]
    pieces: list[str] = []
    for chunk in re.split(r",\s+", head):
        pieces += _split_and(chunk)
    ends = [re.split(r"\s+(?:at|in) (?:the )?[A-Z]", p)[0].strip() for p in pieces]
    if len(pieces) > 1 and all(_SERVICE_END.search(e) for e in ends):
        return [re.sub(r"^and\s+", "", p) for p in pieces]
    return [subject]


def _split_and(chunk: str) -> list[str]:
    """Split at the first "and" whose two sides each end like a service."""
    for match in re.finditer(r"\s+and\s+", chunk):
        left, right = chunk[:match.start()], chunk[match.end():]
        right_end = re.split(r"\s+(?:at|in) (?:the )?[A-Z]", right)[0].strip()
        if _SERVICE_END.search(left.strip()) and _SERVICE_END.search(right_end):
            return [left, right]
    return [chunk]


def service_name(subject: str) -> tuple[str, list[str]]:
    """A service's name and aliases from a sentence's subject ("CAMHS (CAMHS) are...").

    Where it is said to be, or for whom, is no part of its name ("In the city,
    acute services", "the mental health liaison team in the emergency department").
    """
    if re.search(r"\b(?:they|it)$", subject):
        return "", []  # "In the north ... they are commissioned": which service is unclear
    subject = re.split(r"\s+(?:in|at) (?:the )?(?=[a-z]+ (?:department|unit|ward)s?\b|[A-Z])",
                       subject)[0]
    aliases = [re.sub(r"^the ", "", a or b or c) for a, b, c in KNOWN_AS.findall(subject)]
    name = re.split(r",? (?:including|known as|called|such as|which|that)\b", subject)[0]
    name = re.sub(r"^(?:In|At|For|Across|Within) [^,]{1,40}, ", "", name)
    name = re.sub(r"\s*\([^)]*\)", "", name).strip(" ,‘’'\"")
    name = re.sub(r"^(?:The|All|Most|the) ", "", name)
    if len(name) < 4 or PRONOUN.match(name):
        return "", []
    return name[0].upper() + name[1:], [a.strip() for a in aliases if a.strip()]
