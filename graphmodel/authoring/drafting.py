"""Draft flows from a report's sentences: who passes what to whom, how well, and why we think so.

Why rules and not a parser: a CLAS review says information passes in a few
set ways ("referrals to children's social care", "outcomes are not shared
with GPs", "GPs are not invited to conferences"), the parties are the
model's own names and aliases, and the status words are the codebook's. A
rule says which words it matched, so a reviewer can judge a draft in a
glance. Why not spaCy: without a trained pipeline it adds nothing a regular
expression does not, and the official English pipelines are not on PyPI
(only third parties' re-uploads are), so it could not be installed as a
dependency here; the rules are measured instead (``benchmarks/bench_drafts.py``).
Every draft quotes its whole sentence, so its quote always verifies.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .. import vocab
from ..model.codebook import failure_hint, quote_status
from ..names import fold
from .bodies import sentences

if TYPE_CHECKING:
    from ..model.schema import Finding

# What passes, from the words that say so; the first that matches a sentence wins,
# so the specific come before the general.
CUES: tuple[tuple[str, str], ...] = (
    ("minutes", r"minutes"),
    ("invitation", r"invit(?:e|es|ed|ing|ation|ations)"),
    ("outcome", r"outcomes?|feedback|fed back|what happen(?:s|ed)(?: next)?"),
    ("response", r"respon(?:d|ds|ded|ding|se|ses)|replies|replied"),
    ("referral", r"refer(?:s|red|ral|rals|ring)?"),
    ("request", r"requests?(?:ed)?"),
    ("record_access", r"access(?:es|ed)? to (?:\w+ ){0,3}records?|upload(?:s|ed|ing)?|"
                      r"view (?:\w+ ){0,2}records?"),
    ("alert", r"alert(?:s|ed)?|flag(?:s|ged)?"),
    ("notification", r"notif(?:y|ies|ied|ication|ications)|made aware|"
                     r"told(?! us\b| inspectors\b| the review\b)|aware of"),
    ("report", r"reports? (?:to|for) (?:the |initial |review )?(?:child protection )?"
               r"(?:case )?conferences?|contribut(?:e|es|ed|ion|ions) to|"
               r"reports? (?:them |it |this |these )?to|presents? (?:an? )?(?:\w+ )?reports?|"
               r"assurance reports?"),
    # "subject to a child protection plan" says what a child is under, not what passes
    ("plan", r"(?<!subject to a )(?<!subject to )(?<!on a )(?<!under a )"
             r"(?:care|health|child protection|safety|birth) plans?"),
    ("assessment", r"assessments? (?:are|is|were|was) (?:not )?(?:shared|sent|available)"),
    ("handover", r"hand(?:over|ed over)|transfer(?:s|red)?|transition(?:s|ed)?"),
    ("information", r"shar(?:e|es|ed|ing)|liais(?:e|es|ed|ing|on)|communicat(?:e|es|ed|ion)|"
                    r"inform(?:s|ed|ation)?|copied|sent|passed|attend(?:s|ed|ance)?|"
                    r"receive[sd]?"),
)
_CUES = [(passes, re.compile(r"\b(?:" + pattern + r")\b", re.I)) for passes, pattern in CUES]
RETURNS = {"outcome": ("referral", "request"), "response": ("request", "referral")}
TO_WORDS = re.compile(r"\b(?:to|into|with|for|towards|across|between)\s+(?:the\s+|all\s+|"
                      r"relevant\s+|their\s+)?$", re.I)
FROM_WORDS = re.compile(r"\b(?:from|by)\s+(?:the\s+|all\s+)?$", re.I)
PASSIVE = re.compile(r"\b(?:is|are|was|were|being|been|be)\s+(?:not\s+)?(?:always\s+|routinely\s+|"
                     r"consistently\s+|currently\s+|now\s+)?(?:invited|informed|notified|told|"
                     r"sent|copied|alerted|made aware)\b", re.I)
CLAUSE = re.compile(r",|;|\b(?:but|however|although|though|yet|while|whereas|and)\b", re.I)
RECEIVE = re.compile(r"\b(?:receive[sd]?|receiving|get|gets|are given|is given)\b", re.I)


@dataclass
class Mention:
    pid: str
    start: int
    end: int
    text: str


@dataclass
class PartyFinder:
    """Finds the model's parties in folded text by every name and alias they have."""

    names: dict[str, str]  # lower-case name -> id
    upper: dict[str, str]  # an all-capitals abbreviation (ED, GP) -> id, matched as written
    pattern: re.Pattern | None = None
    upper_pattern: re.Pattern | None = None

    @classmethod
    def of(cls, parties: list[tuple[str, list[str]]]) -> PartyFinder:
        names: dict[str, str] = {}
        upper: dict[str, str] = {}
        for pid, party_names in parties:
            for name in party_names:
                text = fold(name)
                if len(text) < 2:
                    continue
                if text.isupper() and len(text) <= 6:
                    upper.setdefault(text, pid)
                else:
                    names.setdefault(text.lower().removeprefix("the "), pid)
        finder = cls(names, upper)
        finder.pattern = _alternation(names, re.I)
        finder.upper_pattern = _alternation(upper, 0)
        return finder

    def find(self, text: str) -> list[Mention]:
        """Every party named in ``text``, longest name first, none overlapping, in order."""
        found: list[Mention] = []
        for pattern, table, fold_case in ((self.pattern, self.names, True),
                                          (self.upper_pattern, self.upper, False)):
            if pattern is None:
                continue
            for m in pattern.finditer(text):
                key = m.group(0).lower() if fold_case else m.group(0)
                if not any(m.start() < f.end and f.start < m.end() for f in found):
                    found.append(Mention(table[key], m.start(), m.end(), m.group(0)))
        return sorted(found, key=lambda f: f.start)


def _alternation(table: dict[str, str], flags: int) -> re.Pattern | None:
    if not table:
        return None
    alts = sorted(table, key=len, reverse=True)
    return re.compile(r"(?<![\w'’-])(?:" + "|".join(map(re.escape, alts)) + r")(?![\w-])", flags)


@dataclass
class Draft:
    """A proposed flow and the reasons for it."""

    id: str
    from_: str
    to: str
    passes: str
    status: str
    summary: str
    paragraph: str
    quote: str
    confidence: str
    why: str
    returns: str | None = None
    expects_return: bool = False

    def as_yaml(self) -> dict:
        out: dict = {"id": self.id, "from": self.from_, "to": self.to, "passes": self.passes,
                     "status": self.status}
        if self.expects_return:
            out["expects_return"] = True
        if self.returns:
            out["returns"] = self.returns
        out.update({"summary": self.summary, "confidence": self.confidence, "why": self.why,
                    "evidence": [{"paragraph": self.paragraph, "quote": self.quote}]})
        return out


@dataclass
class _Ends:
    sender: Mention | None = None
    receiver: Mention | None = None
    how: dict[str, str] = field(default_factory=dict)


def cue(sentence: str) -> tuple[str, re.Match] | None:
    """What passes, and the words that said so, or None if the sentence passes nothing."""
    for passes, pattern in _CUES:
        match = pattern.search(sentence)
        if match:
            return passes, match
    return None


def _roles(sentence: str, mentions: list[Mention], verb: re.Match) -> _Ends:
    """Sender and receiver among the sentence's parties, from the words around them."""
    ends = _Ends()
    passive = PASSIVE.search(sentence) or RECEIVE.search(sentence[:verb.end() + 20])
    mentions = _heads(sentence, mentions)
    for m in mentions:
        before = sentence[max(0, m.start - 40):m.start]
        came_from, went_to = FROM_WORDS.search(before), TO_WORDS.search(before)
        if came_from and ends.sender is None:
            ends.sender, ends.how["from"] = m, f"after {came_from.group(0).strip()!r}"
        elif went_to and ends.receiver is None:
            ends.receiver, ends.how["to"] = m, f"after {went_to.group(0).strip()!r}"
    for m in mentions:
        if m in (ends.sender, ends.receiver):
            continue
        subject = m.start < verb.start()
        if subject and passive and ends.receiver is None:
            ends.receiver, ends.how["to"] = m, "named before a passive or 'receive'"
        elif subject and not passive and ends.sender is None:
            ends.sender, ends.how["from"] = m, "named before the verb"
        elif not subject and ends.receiver is None:
            ends.receiver, ends.how["to"] = m, "named after the verb"
        elif ends.sender is None:
            ends.sender, ends.how["from"] = m, "the other party named"
    if ends.sender and ends.receiver and ends.sender.pid == ends.receiver.pid:
        ends.receiver = None
    return ends


QUALIFIER = re.compile(r"^\s*(?:from|at|in|of|within)\s+(?:the\s+)?$", re.I)


def _heads(sentence: str, mentions: list[Mention]) -> list[Mention]:
    """Mentions without those that only say where the one before works.

    "Health visitors from Moorside NHS Trust receive ...": the trust is the
    health visitors' employer, not a sender.
    """
    out = mentions[:1]
    for before, m in zip(mentions, mentions[1:], strict=False):
        if not QUALIFIER.match(sentence[before.end:m.start]):
            out.append(m)
    return out


def _fill(ends: _Ends, context: list[Mention]) -> bool:
    """Take a missing end from the paragraph's other parties; True if one was taken."""
    taken = False
    for end in ("sender", "receiver"):
        other = ends.receiver if end == "sender" else ends.sender
        if getattr(ends, end) is None:
            pick = next((m for m in context if other is None or m.pid != other.pid), None)
            if pick:
                setattr(ends, end, pick)
                ends.how["from" if end == "sender" else "to"] = "named elsewhere in the paragraph"
                taken = True
    return taken


def _status(text: str) -> tuple[str, str]:
    """The codebook's status for a sentence; needs_review where it falls short in words the
    codebook does not know ("seldom" once silently became working); else working, as the
    sentence plainly says the information passes."""
    found = quote_status(text)
    if found:
        return found[0], f"status {found[0]} from {found[1]!r}"
    hint = failure_hint(text)
    if hint:
        return vocab.NEEDS_REVIEW, (f"{hint!r} says it falls short, in words the codebook does "
                                    "not know: set the status")
    return vocab.WORKING, "no word of falling short: working, as the sentence says"


# Sentences about practitioners' own supervision or training pass nothing between parties.
NOT_A_FLOW = re.compile(r"\b(?:supervision|training|learning events?|waiting times?)\b", re.I)
# "checks CP-IS", "has access to SystmOne", "cannot view RiO": a record system is read.
READS = re.compile(r"\b(?:check(?:s|ed|ing)?|access(?:es|ed)?|view(?:s|ed)?|see|sees|uses?|"
                   r"available|present)\b", re.I)
LIST_JOINT = re.compile(r"^\s*(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)(?:the\s+|their\s+)?$",
                        re.I)


def draft_sentence(sentence: str, paragraph: str, finder: PartyFinder,
                   context: list[Mention], names: dict[str, str],
                   systems: frozenset[str] = frozenset(), judged: str | None = None
                   ) -> list[Draft]:
    """The drafts one sentence proposes: none, one flow per receiver, or a referral and
    its return.

    ``judged``: where a sentence judges a flow the sentence before it names ("Return
    rates are low"), ``sentence`` is both and ``judged`` the second: its words alone
    give the status.
    """
    found = cue(sentence)
    mentions = finder.find(sentence)
    reads = READS.search(sentence)
    if found is None and reads and any(m.pid in systems for m in mentions):
        found = ("record_access", reads)  # "checks CP-IS"
    if found is None or not mentions:
        return []  # a sentence that names no party is too far from a flow to draft
    passes, verb = found
    if NOT_A_FLOW.search(sentence) and passes in ("information", "notification", "plan"):
        return []
    ends = _roles(sentence, mentions, verb)
    guessed = _fill(ends, [m for m in context if m not in mentions])
    if not ends.sender or not ends.receiver or ends.sender.pid == ends.receiver.pid:
        return []
    if passes == "invitation" and PASSIVE.search(sentence) and \
            ends.how.get("to", "").startswith("after"):
        ends.sender, ends.receiver = ends.receiver, ends.sender  # "GPs are invited to X"
        ends.how = {"from": "invited to it", "to": "named before 'invited'"}
    passes = _read_from_system(ends, passes, systems)
    outward = _outward_cue(sentence, passes)
    if outward and judged is None:
        return _loop(sentence, paragraph, ends, outward, passes, verb, guessed, names)
    status, status_why = _status(judged or sentence)
    confidence = _confidence(ends, guessed or judged is not None, status_why)
    drafts = []
    for receiver in [ends.receiver, *_listed(sentence, mentions, ends.receiver, ends.sender)]:
        why = (f"{verb.group(0)!r} -> {passes}; {status_why}; from {ends.sender.text!r} "
               f"({ends.how.get('from')}); to {receiver.text!r} "
               f"({ends.how.get('to') if receiver is ends.receiver else 'listed with it'})"
               + ("; judged in the next sentence" if judged else ""))
        drafts.append(_draft(ends.sender.pid, receiver.pid, passes, status, paragraph,
                             sentence, confidence, why, names))
    return drafts


def _read_from_system(ends: _Ends, passes: str, systems: frozenset[str]) -> str:
    """A record system is read, so it is the sender: "ED staff check CP-IS" is CP-IS's
    record access to the ED (an alert stays an alert)."""
    if ends.receiver and ends.receiver.pid in systems and ends.sender and \
            ends.sender.pid not in systems:
        ends.sender, ends.receiver = ends.receiver, ends.sender
        ends.how = {"from": "a record system, read", "to": "reads it"}
    if ends.sender and ends.sender.pid in systems:
        return passes if passes == "alert" else "record_access"
    return passes


def _listed(sentence: str, mentions: list[Mention], receiver: Mention,
            sender: Mention | None) -> list[Mention]:
    """Parties listed after the receiver ("notify the health visitor or school nurse and
    the GP"): each receives too."""
    if receiver not in mentions:
        return []
    out: list[Mention] = []
    last = receiver
    for m in mentions[mentions.index(receiver) + 1:]:
        if not LIST_JOINT.match(sentence[last.end:m.start]):
            break
        if m.pid not in {receiver.pid, *(x.pid for x in out)} and \
                (sender is None or m.pid != sender.pid):
            out.append(m)
        last = m
    return out


def _outward_cue(sentence: str, passes: str) -> tuple[str, re.Match] | None:
    """For an outcome or response, the referral or request in the same sentence."""
    for wanted in RETURNS.get(passes, ()):
        pattern = dict(_CUES)[wanted]
        match = pattern.search(sentence)
        if match:
            return wanted, match
    return None


def _loop(sentence: str, paragraph: str, ends: _Ends, outward: tuple[str, re.Match[str]],
          passes: str, verb: re.Match[str], guessed: bool,
          names: dict[str, str]) -> list[Draft]:
    """A sentence that pairs a referral with its outcome: two drafts, the second returning."""
    out_passes, out_match = outward
    split = len(sentence)
    if verb.start() > out_match.start():  # the return's own clause: from "but", "and", ","
        joints = [m.start() for m in CLAUSE.finditer(sentence, out_match.end(), verb.start())]
        split = joints[-1] if joints else verb.start()
    sender, receiver = ends.sender, ends.receiver
    assert sender and receiver, "draft_sentence drafts only a sentence with both ends"
    if verb.start() > out_match.start() and ends.how.get("to", "").startswith("named before"):
        sender, receiver = receiver, sender  # "GPs refer ... but are not told the outcome"
    elif verb.start() < out_match.start():
        sender, receiver = receiver, sender  # "the outcome of X's referrals to Y"
    out_status, out_why = _status(sentence[:split]) if split < len(sentence) else \
        (vocab.WORKING, "the answer is judged, so the referral was made: working")
    back_status, back_why = _status(sentence[split:] if split < len(sentence) else sentence)
    confidence = _confidence(ends, guessed, back_why)
    first = _draft(sender.pid, receiver.pid, out_passes, out_status, paragraph, sentence,
                   confidence, f"{out_match.group(0)!r} with {verb.group(0)!r} in one "
                   f"sentence -> a {out_passes} and its {passes}; {out_why}", names)
    first.expects_return = True
    second = _draft(receiver.pid, sender.pid, passes, back_status, paragraph, sentence,
                    confidence, f"{verb.group(0)!r} answers {out_match.group(0)!r} -> "
                    f"returns {first.id}; {back_why}", names)
    second.returns = first.id
    return [first, second]


def _confidence(ends: _Ends, guessed: bool, status_why: str) -> str:
    if guessed:
        return "low"
    placed = all(not h.startswith(("named after", "the other")) for h in ends.how.values())
    return "high" if placed and status_why.startswith("status ") else "medium"


def _draft(sender: str, receiver: str, passes: str, status: str, paragraph: str,
           sentence: str, confidence: str, why: str, names: dict[str, str]) -> Draft:
    label = vocab.STATUSES[status].label if status in vocab.STATUSES else "status to review"
    summary = (f"{names.get(sender, sender)} -> {names.get(receiver, receiver)}: "
               f"{vocab.PASSES[passes].label} ({label}).")
    ident = f"{_short_id(sender)}-{passes.replace('_', '-')}-{_short_id(receiver)}"
    return Draft(ident, sender, receiver, passes, status,
                 summary, paragraph, sentence, confidence, why)


def _short_id(pid: str) -> str:
    """A party's id cut to three words, so a draft's id stays readable."""
    return "-".join(pid.split("-")[:3])


def draft_flows(findings: Iterable[Finding], parties: list[tuple[str, str, list[str]]],
                taken: set[str] | frozenset[str] = frozenset(),
                cases: dict[str, str] | None = None,
                systems: frozenset[str] | set[str] = frozenset()
                ) -> list[Draft]:
    """Drafts for every finding and case box, in report order, one per paragraph, ends, passes.

    ``parties``: (id, name, other names); ``systems``: those that are record
    systems. ``taken``: ids already used (flows), so a draft's id never clashes
    with one. A missing end is taken from the sentence before, else the
    paragraph, else the paragraph before (the report carries its subject over),
    and the draft is then low confidence. A sentence that judges a flow without
    naming its parties ("Responses are sporadic.") is read with the sentence
    before it, which names them: the draft quotes both, its status from the
    second. The sentence referring a finding to public health is no flow.
    """
    from ..model.codebook import without_referral
    cases = cases or {}
    finder = PartyFinder.of([(pid, [name, *more]) for pid, name, more in parties])
    names = {pid: name for pid, name, _ in parties}
    state = _Drafted(out=[], used=set(taken), seen={})
    previous: list[Mention] = []
    for paragraph, raw in _paragraphs(findings, cases):
        text = without_referral(fold(raw)).strip()
        here = finder.find(text)
        wider = here + [m for m in previous if m.pid not in {h.pid for h in here}]
        near: list[Mention] = []  # the parties of the last sentence that named any
        last: tuple[str, list[Mention]] = ("", [])  # the sentence just before
        for sentence in sentences(text):
            named = finder.find(sentence)
            drafts = draft_sentence(sentence, paragraph, finder,
                                    [m for m in near if m.pid not in {n.pid for n in named}]
                                    + wider, names, frozenset(systems))
            if not named and last[1] and (quote_status(sentence) or failure_hint(sentence)):
                drafts = draft_sentence(f"{last[0]} {sentence}", paragraph, finder, wider,
                                        names, frozenset(systems), judged=sentence)
            state.add(drafts, paragraph)
            near = named or near
            last = (sentence, named)
        previous = here or previous
    return state.out


@dataclass
class _Drafted:
    """The drafts so far, their ids, and one per paragraph, ends and what passes."""

    out: list[Draft]
    used: set[str]
    seen: dict[tuple, Draft]

    def add(self, drafts: list[Draft], paragraph: str) -> None:
        renamed: dict[str, str] = {}
        for draft in drafts:
            key = (paragraph, draft.from_, draft.to, draft.passes)
            if key in self.seen:
                kept = self.seen[key]
                renamed[draft.id] = kept.id
                if draft.why.endswith("judged in the next sentence") and \
                        draft.quote.startswith(kept.quote):  # the judgement replaces it
                    kept.quote, kept.status, kept.why = draft.quote, draft.status, draft.why
                    kept.summary, kept.confidence = draft.summary, draft.confidence
                continue
            renamed[draft.id] = draft.id = _unique(draft.id, self.used)
            draft.returns = renamed.get(draft.returns) if draft.returns else None
            self.seen[key] = draft
            self.out.append(draft)


def _paragraphs(findings: Iterable[Finding],
                cases: dict[str, str]) -> Iterator[tuple[str, str]]:
    """(locator, text) for each finding, each case box right after the finding it follows."""
    for finding in findings:
        yield finding.id, finding.text
        if f"case:{finding.id}" in cases:
            yield f"case:{finding.id}", cases[f"case:{finding.id}"]


def _unique(base: str, used: set[str]) -> str:
    candidate, n = base, 2
    while candidate in used:
        candidate, n = f"{base}-{n}", n + 1
    used.add(candidate)
    return candidate
