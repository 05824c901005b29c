"""The codebook: how a report's words become flows, statuses and loops, as rules that run.

docs/modelling.md explains each rule to modellers with a Sefton example;
this module holds the same rules as data (``STATUS_WORDS``, ``RULES``) and the
checks ``validate`` runs. Like a threat library, each rule has an id, a level
(an error stops the model loading; a warning is printed with file and line,
and fails ``validate --strict``), and one function over the model.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from .. import vocab
from ..names import fold
from .checks import paragraph_texts, problem_flows
from .report import PUBLIC_HEALTH
from .schema import Flow
from .types import Model
from .yamlread import line_of

# --- words -> status -----------------------------------------------------------------------

@dataclass(frozen=True)
class StatusWords:
    """Words that, in a quote, give a status. The first rule that matches wins."""

    status: str
    pattern: re.Pattern
    example: str  # Sefton words it is written for


def _words(*phrases: str) -> re.Pattern:
    return re.compile(r"\b(?:" + "|".join(phrases) + r")\b", re.I)


STATUS_WORDS: tuple[StatusWords, ...] = (
    # Qualified failures first: "not routinely shared" is inconsistent, not absent.
    StatusWords("inconsistent", _words(
        r"not (?:always|routinely|consistently|all|every|well|fully|sufficiently|effectively)",
        r"not\b[^.;]{0,100}\broutinely", r"not in all", r"inconsistent(?:ly)?",
        r"variabl[ey]", r"var(?:y|ies|ied)", r"some(?:times)?\b[^.;]{0,60}\bnot",
        r"(?:is|are|was|were) not (?:always |consistently )?(?:robust|embedded|effective)",
        r"not yet (?:fully |consistently )?embedded", r"patchy", r"unclear",
        r"not (?:kept )?up to date", r"out of date", r"not everyone", r"rarely",
        r"weak(?:ly)?", r"often\b[^.;]{0,20}\bnot",
        # Quality that falls short: it passes, but not as it should (docs/modelling.md).
        r"(?:do|does|did) not (?:\w+ )?(?:articulate|analyse|analyze|prompt)\w*",
        r"(?:largely )?descriptive", r"rather than analys\w+", r"clearly enough",
        r"of (?:little|limited) value", r"overly optimistic", r"limited to",
        r"lack(?:s|ed|ing)? (?:of )?(?:analysis|challenge|detail|clarity|\w+ curiosity)",
        r"requires? strengthening", r"more could be done"),
        "GPs do not routinely receive copies of the minutes"),
    # Words the untuned reports taught (benchmarks/results/drafts-untuned-misses-*.md).
    StatusWords("inconsistent", _words(
        r"seldom", r"sporadic(?:ally)?", r"intermittent(?:ly)?", r"not reliabl[ey]",
        r"not consistent", r"less (?:effective|robust|consistent)", r"no (?:regular|routine)",
        r"none of\b[^.;]{0,60}\broutinely", r"often\b[^.;]{0,60}\bdid not",
        r"limited (?:contact|links|liaison|communication)",
        r"(?:only|fewer than|less than) (?:about |around )?(?:\d+%|half|a third|a quarter)",
        r"(?:rates?|numbers?|levels?) (?:is|are|was|were|remain) low",
        # a failure found in some records only: "in four of the seven records ... no evidence"
        r"in (?:\w+ of the \w+|some|many|most|several) (?:\w+ )?(?:records|cases)\b[^.;]{0,80}?"
        r"\b(?:no|not)\b"),
        "Kestrelshire 4.6: \u201cResponses are sporadic\u201d; Fenmarsh 3.3: \u201crespond to "
        "SPA requests for information intermittently\u201d"),
    StatusWords("delayed", _words(
        r"(?:is|are|was|were|often|too|very|arrive[sd]?|received|sent|shared|returned|"
        r"completed|undertaken|held) late", r"not (?:timely|promptly|in a timely)",
        r"(?:is|are|was|were) not prompt",  # "does not prompt staff" is a verb
        r"delay(?:s|ed)?", r"waiting(?! (?:times?|lists?))", r"too long", r"untimely",
        r"not within (?:the )?(?:statutory )?timescales?",
        r"outside (?:of )?(?:the )?(?:statutory )?timescales?", r"backlog", r"slow(?:ly)?",
        r"(?:much|far) later", r"later than"),
        "initial health assessments are not always completed within timescale"),
    StatusWords("delayed", _words(
        r"lag", r"wait(?:s|ed)? (?:for|of|up to)", r"awaiting",
        r"after the (?:[\w-]+ )?deadline", r"only when chased", r"(?:had|have|has) to chase",
        r"late (?:notifications?|referrals?|returns?|responses?|invitations?|arrivals?)",
        r"(?:\d+|several|two|three|four|five|six|seven|eight|nine|ten|many) (?:working )?"
        r"(?:days|weeks|months) after"),
        "Kestrelshire 4.3: \u201ca lag of two to five weeks before they arrived\u201d; "
        "Fenmarsh 3.2: \u201cEPFT responded after the deadline\u201d"),
    StatusWords("blocked", _words(
        r"(?:no|not have|without|restricted|limited) access", r"unable to (?:access|view|see)",
        r"(?:cannot|can't|could not) (?:access|view|see)",
        r"not able to (?:access|view|see)",
        r"restrict(?:s|ed|ion|ions)?", r"(?:system|systems) (?:do|does) not allow",
        r"not compatible", r"not linked", r"incompatible"),
        "ED staff do not have access to the completed assessments"),
    StatusWords("broken", _words(
        r"(?:is|are) not working", r"(?:does|do) not work", r"fail(?:s|ed|ing)? to",
        r"broken", r"breakdown", r"lost", r"not (?:acted|followed) (?:on|up)"),
        "a referral pathway that exists but fails"),
    StatusWords("absent", _words(
        r"not notified", r"no (?:process|system|mechanism|pathway|protocol|arrangement)s?",
        r"could not (?:identify|find|see|demonstrate|evidence)", r"no evidence",
        r"(?:unable|not able) to (?:identify|find|demonstrate|evidence)", r"no follow[- ]?up",
        r"(?:is|are|was|were|been) not (?:shared|sent|returned|received|copied|passed|provided|"
        r"informed|told|notified|invited|included|made|recorded|completed|undertaken|offered)",
        r"(?:do|does|did) not (?:yet )?(?:receive|share|return|inform|notify|send|tell|"
        r"invite|include|copy|pass|provide|respond|answer|reply|refer|attend|contribute)\w*",
        r"never", r"not (?:aware|told|informed)",
        r"absence of", r"unaware",
        r"not (?:shared|sent|returned|received|copied|passed|provided|invited|included)"),
        "MASH and conference outcomes are not returned to GPs"),
    StatusWords("absent", _words(
        r"(?:has|have|had) not been (?:informed|told|notified|invited|shared|sent|asked|"
        r"consulted|included|copied)", r"(?:do|does|did) not reach",
        r"(?:do|does|did) not follow (?:\w+ ){0,3}?up", r"did not find out",
        r"no (?:contact|liaison|communication) (?:with|between)", r"no record (?:of|that)",
        r"no (?:information|notifications?|alerts?|invitations?) (?:about|of|was|were|is|are)",
        r"not present", r"not (?:asked|consulted)"),
        "Fenmarsh 2.6: \u201cthere was no liaison with the health visitor or school nurse\u201d; "
        "Kestrelshire 3.9: \u201cdid not find out the outcome\u201d"),
)
# Words of praise count only in a quote with no negation in it.
WORKING_WORDS = StatusWords("working", _words(
    r"effective(?:ly)?", r"good", r"well", r"timely", r"prompt(?:ly)?", r"appropriate(?:ly)?",
    r"clear(?:ly)?", r"robust", r"strong", r"routinely", r"consistently", r"always",
    r"evident", r"in place", r"benefit(?:s|ed)? from", r"ensures?"),
    "Attendance at child protection conferences by health practitioners across Sefton is good")
NEGATION = _words(r"not", r"no", r"none", r"never", r"\w+n't", r"without", r"unable", r"cannot",
                  r"lack\w*", r"poor(?:ly)?", r"limited", r"however", r"but", r"seldom",
                  r"less", r"fewer", r"few", r"rather than")
# Words that say something falls short without saying how (the codebook's statuses do):
# a draft whose sentence has one of these and no status word needs a person's status.
FAILURE_HINTS = _words(
    r"not", r"no", r"none", r"never", r"\w+n't", r"without", r"unable", r"cannot", r"lack\w*",
    r"poor(?:ly)?", r"limited", r"however", r"but", r"seldom", r"less", r"fewer", r"few",
    r"rather than", r"only", r"missing", r"absent", r"gaps?", r"concerns?", r"difficult\w*",
    r"problem\w*", r"insufficient\w*", r"inadequate\w*", r"late", r"after", r"chase\w*",
    r"unavailable", r"unclear", r"low", r"brief", r"descriptive")


def failure_hint(quote: str) -> str | None:
    """The first word of falling short in a quote the codebook's statuses do not read."""
    if quote_status(quote) is not None:
        return None
    match = FAILURE_HINTS.search(fold(quote))
    return match.group(0) if match else None

# Words that make a finding a candidate for a flow: information passing between parties.
INFORMATION_WORDS = _words(
    r"refer(?:s|red|ral|rals|ring)?(?! units?\b)",  # a pupil referral unit is a school
    r"outcomes?", r"notif(?:y|ies|ied|ication|ications)",
    r"shar(?:e|es|ed|ing)", r"minutes", r"invit(?:e|es|ed|ation|ations)",
    r"reports? (?:to|for) (?:the )?(?:child protection )?conferences?", r"requests?",
    r"respon(?:d|ds|ded|se|ses)", r"upload(?:s|ed)?", r"access to (?:\w+ )?records?",
    r"feedback", r"inform(?:s|ed|ation)?", r"liais(?:e|es|ed|on)", r"communicat(?:e|ed|ion)",
    r"copied", r"sent", r"returned", r"passed", r"alert(?:s|ed|ing)?",
    # Words the untuned reports taught (Kestrelshire, Brindleford, Wexmoor, Fenmarsh): each
    # finding a modeller cited or explained, in any area, has one of these or the above.
    r"attend(?:s|ed|ing|ance)? (?:at )?(?:[\w’'()-]+ ){0,6}(?:conferences?|meetings?|groups?|"
    r"boards?|"
    r"panels?)", r"(?:at|to|in|into|from) (?:[\w’']+ ){0,4}meetings?",
    r"meetings? (?:with|between)", r"meet (?:\w+ ){0,2}to discuss",
    r"transition(?:s|ed|ing)?", r"CP-?IS", r"SystmOne", r"\bRiO\b", r"EMIS",
    r"check(?:s|ed|ing)? (?:CP-?IS|the|whether|for)", r"view (?:the |their )?(?:\w+ )?records?",
    r"medicals?", r"send(?:s)?", r"letters?", r"arrive[sd]?",
    r"reports? (?:to|for|from|on)", r"provid(?:e|es|ed|ing) (?:\w+ ){0,2}reports?",
    r"(?:written|quarterly|annual|assurance|conference|medical) reports?",
    r"presents? (?:an? )?(?:\w+ )?reports?",
    r"not (?:routinely |always |consistently )?(?:told|tell)",
    r"(?:is|are|was|were) told (?:when|of|about)",
    r"summar(?:y|ies) of (?:their|the|his|her) health", r"health summar(?:y|ies)",
    r"joint (?:visits?|planning|working|work|meetings?)", r"links? with",
    r"contact (?:with|between|the)", r"contacted (?:the|a|his|her)",
    r"monitor(?:s|ed|ing)? (?:\w+ ){0,4}(?:performance|timeliness|immunisations|checks|"
    r"completion|effectiveness)", r"(?:progress|performance) is (?:closely )?monitored",
    r"oversight of (?:[\w’']+ ){0,6}performance", r"assurance (?:reports?|framework)",
    r"consultation (?:to|for|with)", r"consult (?:CAMHS|the|with)", r"advice (?:from|is given)",
    r"relationships? (?:between|with)", r"connectivity", r"liaising", r"members of",
    r"contribut(?:e|es|ed|ing|ion|ions) to", r"updates? from", r"discussed with", r"forms? from",
    r"(?:birth|pre-birth|discharge) plans?",
    r"(?:child protection |care )?plans? (?:and minutes|are shared|were present|are held)",
    r"receiv(?:e|es|ed|ing) (?:only )?(?:the |a )?(?:\w+ ){0,2}(?:plans?|data|reports?|copies)",
    r"scores? (?:are|were) (?:not )?(?:sent|available|shared)")


def quote_status(quote: str) -> tuple[str, str] | None:
    """(status, the words that gave it) for one quote, or None when no codebook words occur."""
    text = fold(quote)
    for rule in STATUS_WORDS:
        match = rule.pattern.search(text)
        if match:
            return rule.status, match.group(0)
    match = WORKING_WORDS.pattern.search(text)
    if match and not NEGATION.search(text):
        return vocab.WORKING, match.group(0)
    return None


# --- who a sentence names ------------------------------------------------------------------

def containers(model: Model, pid: str) -> list[str]:
    """The parties a party sits inside: its provider, operator, host, or what it is part of."""
    party = model.parties.get(pid)
    if party is None:
        return []
    out = []
    for ref in vocab.PARTY_KINDS[party.kind].refs:
        edge = vocab.EDGE_TYPES.get(ref.edge or "")
        if edge is None or ref.many:
            continue
        if (edge.contains == "down" and ref.reverse) or (edge.contains == "up" and not ref.reverse):
            value = getattr(party.item, ref.field)
            if value:
                out.append(value)
    return out


def lineage(model: Model, pid: str) -> tuple[str, ...]:
    """A party and every party it sits inside, nearest first (remembered per model)."""
    cache = model.__dict__.setdefault("_lineage", {})
    if pid not in cache:
        seen, todo = [pid], [pid]
        while todo:
            for up in containers(model, todo.pop()):
                if up not in seen:
                    seen.append(up)
                    todo.append(up)
        cache[pid] = tuple(seen)
    return cache[pid]


def related(model: Model, a: str, b: str) -> bool:
    """Whether one party is, contains or sits inside the other."""
    return a == b or b in lineage(model, a) or a in lineage(model, b)


def organisation_of(model: Model, pid: str) -> str:
    """The nearest organisation a party is or sits inside (itself if none)."""
    chain = lineage(model, pid)
    return next((p for p in chain if model.parties[p].kind == "organisation"), chain[-1])


def same_side(model: Model, a: str, b: str) -> bool:
    """Whether two parties are related or belong to the same organisation (units of it)."""
    return related(model, a, b) or organisation_of(model, a) == organisation_of(model, b)


def article(word: str) -> str:
    return ("an " if word[:1].lower() in "aeiou" else "a ") + word


def _names(model: Model, pid: str) -> tuple[str, ...]:
    """A party's own names (name, aliases, slips), folded to lower case, longest first."""
    cache = model.__dict__.setdefault("_party_names", {})
    if pid not in cache:
        item = model.parties[pid].item
        names = [item.name, *item.aliases, *getattr(item, "misnamed_as", [])]
        cache[pid] = tuple(sorted({fold(n).lower() for n in names if len(n) > 1}, key=len,
                                  reverse=True))
    return cache[pid]


def _is_word(char: str) -> bool:
    """What a regular expression's \\w matches: a letter, digit or underscore."""
    return char.isalnum() or char == "_"


def occurs_as_words(name: str, text: str) -> bool:
    """Whether ``name`` occurs in ``text`` with no word character either side.

    Why not a regular expression per party: compiling one for each of
    England's thousands of parties took longer than all the searching.
    """
    start = text.find(name)
    while start >= 0:
        end = start + len(name)
        if (start == 0 or not _is_word(text[start - 1])) and \
                (end >= len(text) or not _is_word(text[end])):
            return True
        start = text.find(name, start + 1)
    return False


def places(model: Model, pid: str) -> list[str]:
    """The sites a party is at: a service's sites, the sites an organisation operates.

    Why: reports name services by their hospital ("the ED at Southport and
    Formby Hospital", "Liverpool Women's Hospital's maternity service"), and a
    hospital is a place of the organisation that runs it.
    """
    index = model.__dict__.get("_places")
    if index is None:
        index = model.__dict__["_places"] = defaultdict(list)
        for party in model.parties.values():
            for ref in vocab.PARTY_KINDS[party.kind].refs:
                value = getattr(party.item, ref.field)
                if ref.edge == "located_at":
                    index[party.id] += value if ref.many else [value] if value else []
                elif ref.edge == "operates" and value:
                    index[value].append(party.id)
    return index.get(pid, [])


def _holders(model: Model, pid: str) -> Iterator[str]:
    """Whose names stand for a party: it, what it sits inside, and their sites."""
    for party in lineage(model, pid):
        yield party
        yield from places(model, party)


def names_party(model: Model, pid: str, text: str) -> bool:
    """Whether folded lower-case ``text`` names the party, what it sits inside, or its site."""
    return any(occurs_as_words(name, text) for holder in _holders(model, pid)
               for name in _names(model, holder))


def _own_name_in(model: Model, pid: str, text: str) -> bool:
    """Whether folded lower-case ``text`` uses one of the party's own names, remembered.

    Why remembered: every unit of a trust looks for the trust's names in the
    same sentences.
    """
    cache = model.__dict__.setdefault("_own_name_in", {})
    key = (pid, text)
    if key not in cache:
        cache[key] = any(occurs_as_words(name, text) for name in _names(model, pid))
    return cache[key]


def _paragraph_text(model: Model, paragraph: str) -> str:
    """A paragraph as names are sought in it: folded, lower case, without its referral.

    "This matter will be brought to the attention of the Public Health
    commissioners in Sefton Council" refers the finding on; it does not make the
    council a party to it, so that sentence names no one.
    """
    cache = model.__dict__.setdefault("_paragraph_texts", {})
    if paragraph not in cache:
        cache.update({k: without_referral(v).lower() for k, v in
                      paragraph_texts(model.findings, model.extraction).items()})
    return cache.get(paragraph, "")


def without_referral(text: str) -> str:
    """``text`` with each sentence (to its full stop) that refers the finding on made a space.

    What ``re.sub(r"[^.]*" + PUBLIC_HEALTH.pattern + r"[^.]*\\.?", " ", text, flags=re.I)``
    gives, sentence by sentence: that expression tried every start in every
    sentence, a third of Sefton's ``validate``.
    """
    return "".join(" " if PUBLIC_HEALTH.search(sentence) else sentence
                   for sentence in _SENTENCES.split(text))


_SENTENCES = re.compile(r"(?<=\.)")  # split after each full stop, keeping it
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")


def quoted_sentences(model: Model, paragraph: str, quote: str) -> str:
    """The whole sentences of a paragraph that a quote comes from, folded and lower case.

    Why sentences, not the paragraph: a party is named by the words the flow
    rests on. A paragraph that names the CCGs in its first sentence does not
    name them as the sender of the notification its last sentence judges.
    A quote found nowhere (it sits in the referral sentence) is its own text.
    """
    cache = model.__dict__.setdefault("_quoted_sentences", {})
    key = (paragraph, quote)
    if key not in cache:
        text, wanted = _paragraph_text(model, paragraph), fold(quote).lower().strip()
        start = text.find(wanted) if wanted else -1
        if start < 0:
            cache[key] = wanted
        else:
            begin = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
            stop = _SENTENCE_END.search(text, max(start, start + len(wanted) - 1))
            cache[key] = text[begin:stop.end() if stop else len(text)].strip()
    return cache[key]


def _named_in(model: Model, pid: str, text: str) -> bool:
    """names_party for folded lower-case text of the report, remembered per party."""
    return any(_own_name_in(model, holder, text) for holder in _holders(model, pid))


def unnamed_ends(model: Model, flow: Flow) -> list[str]:
    """The ends ("from", "to") of a flow that no sentence its quotes come from names."""
    texts = list(dict.fromkeys(quoted_sentences(model, e.paragraph, e.quote)
                               for e in flow.evidence))
    return [end for end, pid in (("from", flow.from_), ("to", flow.to))
            if pid in model.parties and not any(_named_in(model, pid, t) for t in texts)]


# --- rules ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Problem:
    """One finding of a rule, located in a model file."""

    rule: str
    level: str  # "error" or "warning"
    file: str
    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}: " if self.line else f"{self.file}: "
        return where + (f"{self.field}: " if self.field else "") + \
            f"{self.message} [{self.rule}]"


@dataclass(frozen=True)
class Rule:
    id: str
    level: str
    title: str
    check: Callable[[Model], Iterator[Problem]]


def _flow_problem(model: Model, rule: str, level: str, flow: Flow, fieldname: str | None,
                  message: str) -> Problem:
    index = model.places[flow.id][1][1]
    label, line = model.where(flow.id, *([fieldname] if fieldname else []))
    field = f"flows[{index}]" + (f".{fieldname}" if fieldname else "")
    return Problem(rule, level, label, line, field, message)


def check_returns(model: Model) -> Iterator[Problem]:
    """A return goes back from the outward flow's receiver to its sender, and answers it."""
    flows = {f.id: f for f in model.flows}
    for flow in model.flows:
        out = flows.get(flow.returns or "")
        if out is None:
            continue
        if not same_side(model, flow.from_, out.to) or not same_side(model, flow.to, out.from_):
            yield _flow_problem(
                model, "return-direction", "error", flow, "returns",
                f"returns {out.id!r} ({out.from_} -> {out.to}), but goes {flow.from_} -> "
                f"{flow.to}: a return goes back from {out.to} (or a unit of it) to "
                f"{out.from_} (or a unit of it)")
        elif not vocab.can_answer(flow.passes, out.passes):
            yield _flow_problem(
                model, "return-answers", "error", flow, "passes",
                f"{article(flow.passes)} cannot answer {article(out.passes)} ({out.id!r}); "
                f"{article(flow.passes)} answers: "
                f"{', '.join(vocab.PASSES[flow.passes].answers) or 'nothing'}"
                " (docs/modelling.md, Loops)")
    for cycle in _return_cycles(flows):
        first = min(cycle, key=list(flows).index)  # reported once, on its first flow in the file
        ring = cycle[cycle.index(first):] + cycle[:cycle.index(first)] + [first]
        yield _flow_problem(model, "return-cycle", "error", flows[first], "returns",
                            f"returns form a cycle ({' -> '.join(ring)}): a loop has an "
                            "outward flow that answers nothing")


def _return_cycles(flows: dict[str, Flow]) -> list[list[str]]:
    """Each cycle of ``returns:`` once, as the flow ids in the order they return."""
    cycles: list[list[str]] = []
    done: set[str] = set()
    for start in flows:
        path: list[str] = []
        at: dict[str, int] = {}
        cur: str | None = start
        while cur in flows and cur not in at and cur not in done:
            at[cur] = len(path)
            path.append(cur)
            cur = flows[cur].returns
        if cur in at:
            cycles.append(path[at[cur]:])
        done.update(path)
    return cycles


def check_outward_happens(model: Model) -> Iterator[Problem]:
    """A loop needs an outward flow that goes out; if it does not, model a one-way gap."""
    flows = {f.id: f for f in model.flows}
    for flow in model.flows:
        out = flows.get(flow.returns or "")
        if out is not None and not vocab.STATUSES[out.status].happens:
            yield _flow_problem(
                model, "loop-outward-fails", "warning", flow, "returns",
                f"its outward flow {out.id!r} is {out.status}, so nothing goes out to be "
                "answered: drop 'returns:' and let each stand as a one-way gap")


def check_status_words(model: Model) -> Iterator[Problem]:
    """A status agrees with the codebook's words in its own quotes."""
    for flow in model.flows:
        if flow.note:
            continue  # the modeller recorded why
        verdicts = [v for v in (quote_status(e.quote) for e in flow.evidence) if v]
        if not verdicts:
            continue
        said = {status for status, _ in verdicts}
        if flow.status == vocab.WORKING:
            bad = [(s, w) for s, w in verdicts if s != vocab.WORKING]
            if bad and vocab.WORKING not in said:
                yield _flow_problem(
                    model, "status-words", "warning", flow, "status",
                    f"coded working, but its quote says {bad[0][1]!r} (codebook: {bad[0][0]}); "
                    "re-code it, or add a note saying why")
        elif flow.status not in said and len(said) == 1:
            status, words = verdicts[0]
            yield _flow_problem(
                model, "status-words", "warning", flow, "status",
                f"coded {flow.status}, but every quote's words say {status} ({words!r}); "
                "re-code it, or add a note saying why")


def check_quote_statuses(model: Model) -> Iterator[Problem]:
    """One quote does not back flows with contradictory statuses."""
    by_quote: dict[tuple[str, str], list] = defaultdict(list)
    for flow in model.flows:
        for ev in flow.evidence:
            by_quote[(ev.paragraph, fold(ev.quote))].append(flow)
    for (paragraph, _), flows in by_quote.items():
        statuses = {f.status for f in flows}
        if len(statuses) > 1 and not all(f.note for f in flows):
            first = next(f for f in flows if not f.note)
            others = ", ".join(f"{f.id} ({f.status})" for f in flows if f is not first)
            yield _flow_problem(
                model, "quote-statuses", "warning", first, "status",
                f"coded {first.status}, but the same quote from {paragraph} backs {others}; "
                "make them agree, or add a note to each saying why they differ")


def check_duplicate_flows(model: Model) -> Iterator[Problem]:
    """The same sender, receiver and passes are not recorded twice with different statuses."""
    seen: dict[tuple, Flow] = {}
    for flow in model.flows:
        key = (flow.from_, flow.to, flow.passes)
        first = seen.setdefault(key, flow)
        if first is not flow and first.status != flow.status and not flow.note:
            yield _flow_problem(
                model, "duplicate-flow", "warning", flow, "status",
                f"{flow.from_} -> {flow.to} ({flow.passes}) is also {first.id!r}, coded "
                f"{first.status}: merge them, or add a note saying how they differ")


def check_inference(model: Model) -> Iterator[Problem]:
    """A party no sentence of the flow's quotes names is the modeller's inference: say so."""
    for flow in model.flows:
        if flow.inferred:
            continue
        for end in unnamed_ends(model, flow):
            pid = flow.from_ if end == "from" else flow.to
            paragraphs = ", ".join(dict.fromkeys(e.paragraph for e in flow.evidence))
            yield _flow_problem(
                model, "inferred-party", "warning", flow, end,
                f"{model.parties[pid].item.name!r} is not named in {paragraphs} (in the "
                "sentences quoted, by name, alias or its organisation): cite a sentence "
                "that names it, or add 'inferred: <why>'")


def commissioners_of(model: Model, pid: str) -> set[str]:
    """Who commissions a party: a service's commissioners, or those of what it provides."""
    index = model.__dict__.get("_commissioners")
    if index is None:
        index = model.__dict__["_commissioners"] = defaultdict(set)
        for party in model.parties.values():
            for ref in vocab.PARTY_KINDS[party.kind].refs:
                if ref.edge != "commissions":
                    continue
                buyers = getattr(party.item, ref.field) or []
                for who in [party.id, *(getattr(party.item, r.field) for r in
                                        vocab.PARTY_KINDS[party.kind].refs
                                        if r.edge in ("provides", "subcontracts"))]:
                    if who:
                        index[who].update(buyers)
    return index.get(pid, set())


def inherited_recommendations(model: Model, flow: Flow) -> list[str]:
    """Every recommendation the flow's evidence paragraphs cite, in order."""
    out: list[str] = []
    for ev in flow.evidence:
        finding = model.findings.get(ev.paragraph)
        for rec in finding.recommendations if finding else []:
            if rec not in out:
                out.append(rec)
    return out


def addresses(model: Model, rec: str, flow: Flow) -> bool:
    """Whether a recommendation is plausibly about a flow.

    It is when one of its owners is a party of the flow, the organisation a
    party belongs to or a commissioner of either; or when its own words name a
    party of the flow (1.4 "Work with the named GP ... Primary Care" addresses
    flows to GP practices, whom no owner commissions in the model).
    """
    near: set[str] = set()
    for pid in (flow.from_, flow.to):
        chain = lineage(model, pid)
        near.update(chain)
        # Who buys this party, not everything its organisation provides: Mersey Care's
        # adult mental health is the CCGs', its substance misuse service the council's.
        bought = [p for p in chain if model.parties[p].kind != "organisation"] or chain[:1]
        for party in bought:
            near |= commissioners_of(model, party)
    if near.intersection(model.owners.get(rec, [])):
        return True
    item = model.recommendations.get(rec)
    text = fold(item.text).lower() if item else ""
    return any(names_party(model, pid, text) for pid in (flow.from_, flow.to))


def check_recommendation_links(model: Model) -> Iterator[Problem]:
    """An inherited recommendation is owned near the flow, or names one of its parties."""
    for flow in model.flows:
        if flow.recommendations is not None:
            continue  # the flow has decided
        for rec in inherited_recommendations(model, flow):
            owners = model.owners.get(rec, [])
            if owners and not addresses(model, rec, flow):
                yield _flow_problem(
                    model, "spurious-recommendation", "warning", flow, None,
                    f"inherits recommendation {rec} (owners: {', '.join(owners)}), which no "
                    "party of this flow, their organisation or commissioner owns and whose "
                    "words name neither party: narrow it with 'recommendations: [...]' "
                    "(or [] and recommendations_note)")


def check_unmodelled_findings(model: Model) -> Iterator[Problem]:
    """A finding that speaks of information passing is cited by a flow, or marked as not one."""
    cited = {e.paragraph for f in model.flows for e in f.evidence}
    cited |= {e.paragraph for d in model.drafts for e in d.evidence}
    waived = {w.paragraph for w in getattr(model, "not_modelled", []) if w.paragraph}
    label = next((lb for lb in model.files if lb.endswith(model.area.extraction)), "")
    for fid, finding in model.findings.items():
        if fid in cited or fid in waived:
            continue
        words = INFORMATION_WORDS.search(finding.text)
        if words:
            index = list(model.findings).index(fid)
            yield Problem("unmodelled-finding", "warning", label,
                          line_of(model.files.get(label), ("findings", index)),
                          f"findings[{index}]",
                          f"finding {fid} speaks of information passing ({words.group(0)!r}) "
                          "but no flow cites it: model it, or list it under not_modelled "
                          "with why")


def check_roles(model: Model) -> Iterator[Problem]:
    """Every party on a flow says its national role, so its gaps can be compared across areas."""
    on_flows = dict.fromkeys(p for f in model.flows for p in (f.from_, f.to))
    for pid in on_flows:
        party = model.parties.get(pid)
        if party is None or party.item.role:
            continue
        label, (section, index) = model.places[pid]
        kind = getattr(party.item, "kind", None) if party.kind == "organisation" else None
        guess = vocab.propose_role([party.item.name, *party.item.aliases], kind or party.kind)
        hint = f" (perhaps {guess[0]}, from {guess[1]})" if guess else ""
        yield Problem("role-missing", "warning", label, model.where(pid)[1],
                      f"{section}[{index}].role",
                      f"{party.item.name!r} sends or receives flows but has no role: add "
                      f"'role: <one of vocab.ROLES>'{hint}, so areas can be compared "
                      "(docs/modelling.md, Roles)")


def check_problems_declared(model: Model) -> Iterator[Problem]:
    """An area with failing flows declares its problems (problems.yaml)."""
    if model.declared_problems is not None:
        return
    failing = [f for f in model.flows if f.status != vocab.WORKING]
    if failing:
        label = next((lb for lb in model.files if lb.endswith("flows.yaml")), "")
        yield Problem("problems-undeclared", "warning", label, None, "problems",
                      f"{len(failing)} flows fail and no problem is declared: group them into "
                      "problems in problems.yaml (docs/modelling.md, \"Problems\"); "
                      "'graphmodel gaps' proposes them until then")


def check_problem_flows_fail(model: Model) -> Iterator[Problem]:
    """A problem lists only flows that make one: no flow that works and no broken loop's leg."""
    needed = problem_flows(model.flows)
    for i, problem in enumerate(model.declared_problems or []):
        for j, fid in enumerate(problem.flows):
            if fid not in needed and any(f.id == fid for f in model.flows):
                label, _ = _problem_place(model, i)
                yield Problem("problem-flow-works", "warning", label,
                              line_of(model.files.get(label), ("problems", i, "flows", j)),
                              f"problems[{i}].flows[{j}]",
                              f"{fid!r} works and is no leg of a broken loop, so it makes no "
                              f"problem: drop it from {problem.id!r} (or drop the problem if "
                              "none of its flows fails now)")


# Words that show how widely a problem holds (docs/modelling.md, "Problems").
SCOPE_WORDS = {
    "single_case": _words(r"in one case", r"one (?:young person|child|case|family|mother|"
                          r"woman|referral|record)", r"a case we tracked", r"this case"),
    "several_cases": _words(r"in (?:some|several|a number of|two|three|a few|many) "
                            r"(?:\w+ )?(?:cases|records|instances|families)",
                            r"some (?:records|cases|\w+ sampled)", r"in some \w+"),
    "systemic": _words(r"routinely", r"consistently", r"across", r"generally", r"in most",
                       r"all", r"always", r"never", r"no (?:system|process|pathway|mechanism)",
                       r"not embedded", r"variable", r"inconsistent\w*"),
}


def check_scope_words(model: Model) -> Iterator[Problem]:
    """A problem's scope agrees with its quote: no "in one case" behind "systemic"."""
    for i, problem in enumerate(model.declared_problems or []):
        claim = problem.scope
        text = claim.quote
        said = [s for s, words in SCOPE_WORDS.items() if words.search(text)]
        if claim.paragraph.startswith("case:") and "single_case" not in said:
            said.append("single_case")
        if said and claim.is_ not in said:
            label, line = _problem_place(model, i)
            yield Problem("scope-words", "warning", label, line, f"problems[{i}].scope",
                          f"problem {problem.id!r} is {claim.is_}, but its quote reads as "
                          f"{' or '.join(said)}: quote the words that show the scope, or "
                          "change it")


def _problem_place(model: Model, index: int) -> tuple[str, int | None]:
    """The file and line of the index-th declared problem."""
    seen = 0
    for label, data in model.files.items():
        items = data.get("problems") if isinstance(data, dict) else None
        if isinstance(items, list):
            if index < seen + len(items):
                return label, line_of(data, ("problems", index - seen, "scope"))
            seen += len(items)
    return "problems.yaml", None


RULES: tuple[Rule, ...] = (
    Rule("return-direction", "error", "A return goes back along its outward flow",
         check_returns),
    Rule("loop-outward-fails", "warning", "A loop's outward flow goes out",
         check_outward_happens),
    Rule("status-words", "warning", "Statuses follow the codebook's words", check_status_words),
    Rule("quote-statuses", "warning", "One quote, one status", check_quote_statuses),
    Rule("duplicate-flow", "warning", "One flow per sender, receiver and what passes",
         check_duplicate_flows),
    Rule("inferred-party", "warning", "Inferred parties are marked", check_inference),
    Rule("spurious-recommendation", "warning", "Recommendations attach deliberately",
         check_recommendation_links),
    Rule("unmodelled-finding", "warning", "Every finding about information passing is modelled",
         check_unmodelled_findings),
    Rule("role-missing", "warning", "Every party on a flow has a national role", check_roles),
    Rule("problems-undeclared", "warning", "Failing flows belong to declared problems",
         check_problems_declared),
    Rule("problem-flow-works", "warning", "A problem lists only flows that fail",
         check_problem_flows_fail),
    Rule("scope-words", "warning", "A problem's scope follows its quote's words",
         check_scope_words),
)


def check_model(model: Model, warnings: bool = True) -> list[Problem]:
    """Every rule's problems, errors first, each in file order.

    ``warnings=False`` runs only the rules whose problems stop a model loading:
    a question answered from the graph never shows warnings, so building its
    cache need not look for them (on England, most of the codebook's time).
    """
    rules = [r for r in RULES if warnings or r.level == "error"]
    problems = [p for rule in rules for p in rule.check(model)]
    return sorted(problems, key=lambda p: (p.level != "error", p.file, p.line or 0))
