"""Rows -> cards: the questions whose answers are prose (gaps, owners, coverage, paths,
a party's profile), wrapped to the terminal and safe for any text."""

from __future__ import annotations

import re

from .. import vocab
from ..text import clean
from .tables import (
    TEXT_LINES,
    Limit,
    cap,
    limited,
    more_line,
    terminal_width,
    text,
    titled,
    wrap_lines,
)

# --- people: cards for prose ---------------------------------------------------------------

def render_cards(title: str, items: list[list[str]], limit: Limit = None, noun: str = "items",
                 spaced: bool = True, width: int | None = None) -> str:
    """Cards: a title, then each item's lines (already wrapped), blank lines between."""
    shown, hidden = limited(items, limit)
    out = wrap_lines(titled(title, len(shown), len(items)), terminal_width(width))
    for item in shown:
        out += ([""] if spaced else []) + item
    if not items:
        out.append("(none)")
    if hidden:
        out += [""] + more_line(hidden, noun, width)
    return "\n".join(out) + "\n"


def render_gap_cards(rows: list[dict], title: str, width: int | None = None,
                     limit: Limit = None) -> str:
    """Gaps as numbered cards: a wide table of quotes is unreadable in a terminal.

    Every leg is shown (a gap may group several flows), then the gap's
    one-line ``why`` when the rows carry it. Plain text: this is the front
    door and must print instantly.
    """
    width = terminal_width(width)
    quotes = None if limit is None else QUOTES
    items = [_gap_card(row.get("rank", n), row, width, quotes) for n, row in enumerate(rows, 1)]
    return render_cards(title, items, limit, "problems", width=width)


def _inferred(row: dict) -> dict[str, str]:
    """The modeller's reasons on a gap's legs, each with the parties it infers ("A and B")."""
    out: dict[str, list[str]] = {}
    for leg in row["legs"]:
        for end in leg.get("inferred_ends") or []:
            names = out.setdefault(leg.get("inferred") or "the modeller's inference", [])
            if text(leg[end]) not in names:
                names.append(text(leg[end]))
    return {reason: " and ".join(names) for reason, names in out.items()}


QUOTES = 2  # a problem card shows this many paragraphs' words unless --all


def _gap_card(n: int, row: dict, width: int, quotes: int | None = None) -> list[str]:
    """One problem: what fails for whom, where, why it ranks there, who must act, the words."""
    head = [row["severity"].upper(), "broken loop" if row["kind"] == "broken_loop" else "gap"]
    if row.get("scope"):
        head.append(vocab.SCOPES[row["scope"]].label)
    head += [vocab.CHILDREN[c].label for c in row.get("children") or []]
    if row.get("declared") is False:
        head.append("proposed, not yet declared")
    lines = wrap_lines(clean(" \u00b7 ".join(head)), width, f"{n}. ", "   ")
    lines += wrap_lines(clean(row.get("statement") or row["summary"]), width, "   ", "   ",
                        TEXT_LINES * 2)
    for unit in _units(row):
        lines += wrap_lines(unit, width, "   \u2022 ", "     ")
    inferred = _inferred(row)  # the modeller's inference, said as such
    if quotes is None:
        for reason, names in inferred.items():
            lines += wrap_lines(clean(f"Inferred: the report does not name {names} here; "
                                      f"{reason}"), width, "   ", "   ", TEXT_LINES)
    elif inferred:
        names = " and ".join(dict.fromkeys(n for ns in inferred.values()
                                           for n in ns.split(" and ")))
        lines += wrap_lines(clean(f"Inferred: the report does not name {names} here "
                                  "(--all gives the modeller's reasons)"), width, "   ", "   ")
    why = row.get("why")
    if why:  # the ranking's factors: a dict with their one-line "text", or that line
        lines += wrap_lines(clean(f"Why: {why['text'] if isinstance(why, dict) else why}"),
                            width, "   ", "   ", TEXT_LINES)
    lines += wrap_lines(clean(f"To act: {to_act_words(row)}."), width, "   ", "   ")
    evidence = _failure_evidence(row)
    for ev in evidence[:quotes]:
        lines += wrap_lines(clean(f"\u00b6 {ev['paragraph']}: \u201c{ev['quote']}\u201d"),
                            width, "   ", "     ", TEXT_LINES)
    if quotes is not None and len(evidence) > quotes:
        rest = ", ".join(ev["paragraph"] for ev in evidence[quotes:])
        lines += wrap_lines(clean(f"\u00b6 also {rest} (--all shows their words)"), width,
                            "   ", "     ")
    return lines


def _units(row: dict) -> list[str]:
    """Each loop or one-way flow of a problem as one line; a return only for a loop, and
    the returns that answer one outward flow on its line."""
    legs = {leg["flow"]: leg for leg in row["legs"] if leg["flow"]}
    lines: dict[str, list[str]] = {}
    for unit in row.get("units") or [{"kind": row["kind"], "flows": list(legs)}]:
        parts = [legs.get(f) for f in unit["flows"]]
        first = parts[0] or row["legs"][0]
        line = lines.setdefault(first["flow"] or unit["flows"][0], [
            f"{text(first['from'])} \u2192 {text(first['to'])}: "
            f"{_words(first['passes'])} ({first['status']})"])
        if unit["kind"] == "broken_loop":
            back = parts[1] if len(parts) > 1 else None
            by = (f" from {text(back['from'])}" if back and back["from"]["id"] !=
                  first["to"]["id"] else "")
            line.append(f"back{by}: {_words(back['passes'])} ({back['status']})" if back
                        else "back: no return recorded")
    return [" \u2192 ".join(parts[:2]) + "".join(f"; {p}" for p in parts[2:])
            for parts in lines.values()]


def _failure_evidence(row: dict) -> list[dict]:
    """The words behind the failing legs, one quote per paragraph (praise left out)."""
    seen: dict[str, dict] = {}
    for leg in row["legs"]:
        if leg["status"] != vocab.WORKING:
            for ev in leg["evidence"]:
                seen.setdefault(ev["paragraph"], ev)
    return list(seen.values())


TO_ACT_WORDS = {**vocab.TO_ACT_BASES, "recommendation": "recommendation{s} {recs}",
                "partner": "partner in {recs}"}


def to_act_words(row: dict) -> str:
    """Who must act, one clause per basis: "A (now C) and B: recommendations 1.4, 1.5; D: ...".

    The recommendations are those the parties own (or are partners in) between them;
    ``--format json`` gives each party's own.
    """
    acting = row.get("to_act")
    if acting is None:
        return ", ".join(text(o) for o in row["owners"]) or "nobody named"
    groups: dict[str, list[dict]] = {}
    for a in acting:
        groups.setdefault(a["basis"], []).append(a)
    out = []
    for basis, parties in groups.items():
        recs = sorted({r for a in parties for r in a.get("recommendations") or []},
                      key=lambda r: tuple(int(n) for n in r.split(".") if n.isdigit()))
        said = TO_ACT_WORDS[basis].format(s="s" if len(recs) > 1 else "", recs=", ".join(recs))
        names = [text(a) + (f" (now {a['now']})" if a.get("now") else "") for a in parties]
        who = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        out.append(f"{who}: {said}")
    return "; ".join(out) or "nobody named"


def _para(words: str, width: int, first: str = "   ", indent: str = "   ",
          max_lines: int | None = TEXT_LINES) -> list[str]:
    return wrap_lines(clean(words), width, first, indent, max_lines)




def _words(name: object) -> str:
    """A vocabulary name as words: record_access -> record access."""
    return clean(name).replace("_", " ")


def render_owner_cards(rows: list[dict], title: str, width: int | None = None,
                       limit: Limit = None) -> str:
    """Recommendations under their owners, as the report groups them ("X should:")."""
    width = terminal_width(width)
    shown, hidden = limited(rows, limit)
    out, owners_before = wrap_lines(titled(title, len(shown), len(rows)), width), None
    label = max((len(clean(r["id"])) for r in shown), default=0) + 1
    for row in shown:
        owners = ", ".join(text(o) for o in row["owners"]) or "nobody named"
        if owners != owners_before:  # as the report groups them; no blank line: it is a list
            out += ([""] if owners_before is None else []) + _para(f"{owners} should:", width,
                                                                   "", "")
            owners_before = owners
        found = row["findings"]
        cites = (f"finding{'s' if len(found) > 1 else ''} {', '.join(found)}" if found
                 else "no finding cites it")
        out += _para(f"{row['text']} ({cites})", width, f"  {clean(row['id']):<{label}} ",
                     " " * (label + 3), cap(limit, TEXT_LINES + 1))
    if not rows:
        out.append("(none)")
    out += [""] + more_line(hidden, "recommendations", width) if hidden else []
    return "\n".join(out) + "\n"


COVERAGE_HEADINGS = {
    "finding_without_recommendation": "Findings that describe a problem, with no "
                                      "recommendation and no referral",
    "recommendation_without_finding": "Recommendations that no finding cites",
}


def render_coverage_cards(rows: list[dict], title: str, width: int | None = None,
                          limit: Limit = None) -> str:
    """Coverage as cards under two headings: the reason in words, the text cut short."""
    width = terminal_width(width)
    shown, hidden = limited(rows, limit)
    items, kind_before = [], None
    for n, row in enumerate(shown, 1):
        lines = []
        if row["kind"] != kind_before:
            count = sum(r["kind"] == row["kind"] for r in rows)
            heading = COVERAGE_HEADINGS.get(row["kind"], row["kind"].replace("_", " "))
            lines += wrap_lines(f"{heading}: {count}", width) + [""]
            kind_before = row["kind"]
        if row["kind"] == "recommendation_without_finding":
            lines += _para(f"Recommendation {row['id']}: {row['reason']}", width, f"{n}. ")
            lines += _para(row["text"], width, max_lines=cap(limit, TEXT_LINES))
        else:
            section = re.sub(r"^[\d.]+\s+", "", str(row.get("section") or ""))
            lines += _para(f"Finding {row['id']}" + (f" ({section})" if section else ""),
                           width, f"{n}. ")
            lines += _para(f"Why: {row['reason']}", width, max_lines=cap(limit, TEXT_LINES))
            lines += _para(f"\u201c{row['text']}\u201d", width, "   ", "    ",
                           cap(limit, TEXT_LINES))
        items.append(lines)
    return render_cards(titled(title, len(shown), len(rows)), items, None, width=width) + (
        "\n".join([""] + more_line(hidden, "items", width)) + "\n" if hidden else "")


def render_path_cards(rows: list[dict], title: str, width: int | None = None,
                      limit: Limit = None) -> str:
    """Routes as cards: every flow of each hop, the parties that stand for an end, answers."""
    width = terminal_width(width)
    items = []
    for n, row in enumerate(rows, 1):
        route = " \u2192 ".join(text(p) for p in row["route"])
        answered = any(a["status"] == "working" for a in row.get("answers", []))
        verdict = ("breaks" if not row["works"] else "works" if answered or not row.get("answers")
                   else "works one way: no answer comes back reliably")
        if not row.get("continues", True):  # each hop exists, but nothing is passed on
            stops = ", ".join(text(p) for p in row["not_passed_on"])
            verdict = (f"parallel channels, not one route (nothing that reaches {stops} is "
                       f"passed on); {verdict}")
        lines = _para(f"{route}: {verdict}", width, f"{n}. ", "   ", None)
        for hop in row.get("hops", []):
            flows = ", ".join(f"{_words(f['passes'])} ({f['status']})" for f in hop["flows"])
            mark = "\u2713" if hop["works"] else "\u2717"
            cut = "" if hop.get("continues", True) else " (not what came in)"
            lines += _para(f"{mark} {text(hop['from'])} \u2192 {text(hop['to'])}: {flows}{cut}",
                           width, "   ", "     ", None)
        for s in row.get("stands_for", []):
            lines += _para(f"{text(s['party'])} is inside {text(s['for'])}: {s['how']}.",
                           width)
        passes = {f["flow"]: _words(f["passes"]) for hop in row.get("hops", [])[-1:]
                  for f in hop["flows"]}
        for a in row.get("answers", []):
            answer = (f"{_words(a['passes'])} back to {text(a['to'])} ({a['status']})"
                      if a["answer"]
                      else "none is modelled")
            lines += _para(f"Answer to the {passes.get(a['flow'], a['flow'])}: {answer}.",
                           width)
        items.append(lines)
    return render_cards(title, items, limit, "routes", width=width)


def render_party_cards(profile: dict[str, list[dict]], width: int | None = None) -> str:
    """One party's profile as short sections: who it is, what it holds, flows, gaps, duties."""
    width = terminal_width(width)
    sections = list(profile.items())
    if not sections or not sections[0][1]:
        return "(none)\n"
    me = sections[0][1][0]
    out = _para(f"{me['name']}: {str(me.get('kind', '')).replace('_', ' ')}", width, "", "")
    if "role" in me:
        role = f"{vocab.role_label(me['role'])} ({me['role']})" if me["role"] else "none given"
        out += _para(f"Role: {role}", width, "", "  ")
    if me.get("aliases"):
        out += _para(f"Also called: {text(me['aliases'])}", width, "", "  ")
    for name, rows in sections[1:]:
        if name == "recommendations_on_its_gaps":  # ids only: the gaps above say what
            ids = ", ".join(clean(r["id"]) for r in rows) or "none"
            out += [""] + _para(f"Recommendations on its gaps: {ids}", width, "", "  ")
            continue
        title = "Recommendations it owns" if name == "recommendations" else \
            name.replace("_", " ").capitalize()
        out += [""] + _para(f"{title}: {len(rows) or 'none'}"
                            + _section_note(name, rows, me), width, "", "")
        for row in rows:
            out += _para(_profile_line(name, row), width, "  ", "    ", TEXT_LINES)
    return "\n".join(out) + "\n"


def _section_note(name: str, rows: list[dict], me: dict) -> str:
    if name == "flows" and rows:
        counts: dict[str, int] = {}
        for row in rows:
            counts[row["status"]] = counts.get(row["status"], 0) + 1
        return " (" + ", ".join(f"{n} {s}" for s, n in counts.items()) + ")"
    if name == "gaps" and rows:
        return (f", worst first (graphmodel gaps --org \"{clean(me['name'])}\" gives their "
                "evidence and owners)")
    return ""


def _profile_line(section: str, row: dict) -> str:
    if section in ("commissions", "provides"):
        other = ("from " + text(row["provider"]) if section == "commissions"
                 else "for " + (text(row["commissioner"]) or "no commissioner named"))
        sub = (f", sub-contracted from {text(row['subcontracted_from'])}"
               if row.get("subcontracted_from") else "")
        sites = f", at {text(row['sites'])}" if row.get("sites") else ""
        return f"{text(row['service'])} {other}{sub}{sites}"
    if section == "flows":
        return (f"{text(row['from'])} \u2192 {text(row['to'])}: "
                f"{clean(row['passes'])} ({clean(row['status'])})")
    if section == "gaps":
        label = "broken loop" if row["kind"] == "broken_loop" else "gap"
        ends = (f" {text(row['from'])} \u2192 {text(row['to'])}" if "from" in row else "")
        return (f"{row['severity'].upper()} {label}:{ends} ({row['status']}). "
                f"{clean(row['summary'])}")
    if section == "recommendations":
        return f"{clean(row['id'])}  {clean(row['text'])}"
    if "name" in row:
        kind = str(row.get("kind", "")).replace("_", " ")
        return text(row["name"]) + (f" ({clean(kind)})" if kind else "")
    return "; ".join(f"{k.replace('_', ' ')}: {text(v)}" for k, v in row.items()
                     if k not in ("id", "flow", "evidence"))


def render_sensitivity_cards(rows: list[dict], title: str, width: int | None = None,
                             limit: Limit = None) -> str:
    """Each problem's rank, the range it moves over, what its place in the first ten hangs
    on, and its statement (one line unless --all)."""
    width = terminal_width(width)
    items = []
    for r in rows:
        moves = (f"ranks {r['best']} to {r['worst']}" if r["best"] != r["worst"]
                 else "never moves")
        hangs = (f"; in or out of the first ten on: {', '.join(r['hangs_on'])}"
                 if r["hangs_on"] else "")
        item = wrap_lines(clean(f"{moves}{hangs}"), width, f"{r['rank']}. ", "   ")
        item += wrap_lines(clean(r["statement"]), width, "   ", "   ",
                           None if limit is None else 1)
        items.append(item)
    return render_cards(title, items, limit, "problems", width=width)
