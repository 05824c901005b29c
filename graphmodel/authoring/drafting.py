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
from dataclasses import dataclass, field

from .. import vocab
from ..model.codebook import quote_status
from ..names import fold
from .bodies import sentences

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
    ("notification", r"notif(?:y|ies|ied|ication|ications)|made aware|told|aware of"),
    ("report", r"reports? (?:to|for) (?:the |initial |review )?(?:child protection )?"
               r"(?:case )?conferences?|contribut(?:e|es|ed|ion|ions) to"),
    ("plan", r"(?:care|health|child protection|safety) plans?"),
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
    found = quote_status(text)
    if found:
        return found[0], f"status {found[0]} from {found[1]!r}"
    return vocab.WORKING, "no status words: working assumed"


def draft_sentence(sentence: str, paragraph: str, finder: PartyFinder,
                   context: list[Mention], names: dict[str, str]) -> list[Draft]:
    """The drafts one sentence proposes: none, one flow, or a referral and its return."""
    found = cue(sentence)
    if found is None:
        return []
    passes, verb = found
    mentions = finder.find(sentence)
    if not mentions:
        return []  # a sentence that names no party is too far from a flow to draft
    ends = _roles(sentence, mentions, verb)
    guessed = _fill(ends, [m for m in context if m not in mentions])
    if not ends.sender or not ends.receiver or ends.sender.pid == ends.receiver.pid:
        return []
    if passes == "invitation" and PASSIVE.search(sentence) and \
            ends.how.get("to", "").startswith("after"):
        ends.sender, ends.receiver = ends.receiver, ends.sender  # "GPs are invited to X"
        ends.how = {"from": "invited to it", "to": "named before 'invited'"}
    outward = _outward_cue(sentence, passes)
    if outward:
        return _loop(sentence, paragraph, ends, outward, passes, verb, guessed, names)
    status, status_why = _status(sentence)
    confidence = _confidence(ends, guessed, status_why)
    why = (f"{verb.group(0)!r} -> {passes}; {status_why}; from {ends.sender.text!r} "
           f"({ends.how.get('from')}); to {ends.receiver.text!r} ({ends.how.get('to')})")
    return [_draft(ends.sender.pid, ends.receiver.pid, passes, status, paragraph, sentence,
                   confidence, why, names)]


def _outward_cue(sentence: str, passes: str) -> tuple[str, re.Match] | None:
    """For an outcome or response, the referral or request in the same sentence."""
    for wanted in RETURNS.get(passes, ()):
        pattern = dict(_CUES)[wanted]
        match = pattern.search(sentence)
        if match:
            return wanted, match
    return None


def _loop(sentence, paragraph, ends, outward, passes, verb, guessed, names) -> list[Draft]:
    """A sentence that pairs a referral with its outcome: two drafts, the second returning."""
    out_passes, out_match = outward
    split = len(sentence)
    if verb.start() > out_match.start():  # the return's own clause: from "but", "and", ","
        joints = [m.start() for m in CLAUSE.finditer(sentence, out_match.end(), verb.start())]
        split = joints[-1] if joints else verb.start()
    sender, receiver = ends.sender, ends.receiver
    if verb.start() > out_match.start() and ends.how.get("to", "").startswith("named before"):
        sender, receiver = receiver, sender  # "GPs refer ... but are not told the outcome"
    elif verb.start() < out_match.start():
        sender, receiver = receiver, sender  # "the outcome of X's referrals to Y"
    out_status, out_why = _status(sentence[:split]) if split < len(sentence) else \
        (vocab.WORKING, "no status words: working assumed")
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
    return "high" if placed and not status_why.startswith("no status") else "medium"


def _draft(sender, receiver, passes, status, paragraph, sentence, confidence, why,
           names) -> Draft:
    summary = (f"{names.get(sender, sender)} -> {names.get(receiver, receiver)}: "
               f"{vocab.PASSES[passes].label} ({vocab.STATUSES[status].label}).")
    ident = f"{_short_id(sender)}-{passes.replace('_', '-')}-{_short_id(receiver)}"
    return Draft(ident, sender, receiver, passes, status,
                 summary, paragraph, sentence, confidence, why)


def _short_id(pid: str) -> str:
    """A party's id cut to three words, so a draft's id stays readable."""
    return "-".join(pid.split("-")[:3])


def draft_flows(findings, parties: list[tuple[str, str, list[str]]],
                taken: set[str] | frozenset[str] = frozenset(),
                cases: dict[str, str] | None = None
                ) -> list[Draft]:
    """Drafts for every finding and case box, in report order, one per paragraph, ends, passes.

    ``parties``: (id, name, other names). ``taken``: ids already used (flows),
    so a draft's id never clashes with one. A missing end is taken from the
    paragraph, else the one before it (the report carries its subject over),
    and the draft is then low confidence.
    """
    cases = cases or {}
    finder = PartyFinder.of([(pid, [name, *more]) for pid, name, more in parties])
    names = {pid: name for pid, name, _ in parties}
    out: list[Draft] = []
    used: set[str] = set(taken)
    seen: dict[tuple, Draft] = {}
    previous: list[Mention] = []
    for paragraph, text in _paragraphs(findings, cases):
        here = finder.find(fold(text))
        context = here + [m for m in previous if m.pid not in {h.pid for h in here}]
        for sentence in sentences(text):
            renamed: dict[str, str] = {}
            for draft in draft_sentence(sentence, paragraph, finder, context, names):
                key = (paragraph, draft.from_, draft.to, draft.passes)
                if key in seen:
                    renamed[draft.id] = seen[key].id
                    continue
                renamed[draft.id] = draft.id = _unique(draft.id, used)
                draft.returns = renamed.get(draft.returns) if draft.returns else None
                seen[key] = draft
                out.append(draft)
        previous = here or previous
    return out


def _paragraphs(findings, cases: dict[str, str]):
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
