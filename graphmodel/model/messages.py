"""How the loader words a problem: pydantic's errors and bad references in a modeller's
words, each saying how to fix it."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from pydantic import ValidationError

from .. import vocab
from ..errors import ModelError
from ..names import NameIndex, fold
from .schema import PARTY_SECTIONS
from .yamlread import YamlData, line_of


def field_path(loc: tuple) -> str:
    """('flows', 3, 'to') -> 'flows[3].to'."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def raw_names(raw: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """Every party name and alias -> (id, how the name belongs to it), from raw data.

    Read even from files with errors.

    Why: a name typed where an id belongs fails the id pattern before the real
    name index exists; this lets the error say which id to use.
    """
    out: dict[str, tuple[str, str]] = {}
    for data in raw.values():
        if not isinstance(data, dict):
            continue
        for section in PARTY_SECTIONS:
            items = data.get(section)
            for item in items if isinstance(items, list) else []:  # raw: could be anything
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    aliases = item.get("aliases")
                    named = [(item.get("name"), "that is its name")]
                    named += [(a, "that name is an alias of it")
                              for a in (aliases if isinstance(aliases, list) else [])]
                    for name, how in named:
                        if isinstance(name, str):
                            out.setdefault(NameIndex.key(name), (item["id"], how))
    return out


def pydantic_problems(exc: ValidationError, data: YamlData, label: str,
                       names: dict[str, tuple[str, str]]) -> list[ModelError]:
    problems = []
    for err in exc.errors():
        loc = tuple(p for p in err["loc"]
                    if not (isinstance(p, str) and ("function-" in p or p.startswith("list["))))
        problems.append(ModelError(_reword(err, loc, names), file=label,
                                   line=line_of(data, loc), field=field_path(loc)))
    return problems


def _reword(err: Any, loc: tuple, names: dict[str, tuple[str, str]]) -> str:
    """A pydantic error in the modeller's words, with how to fix it."""
    kind, value = err["type"], err.get("input")
    if kind == "extra_forbidden":
        return "unknown field (check its spelling; 'graphmodel schema' lists the fields)"
    if kind == "missing":
        return "required field is missing"
    if kind == "value_error":
        return err["msg"].removeprefix("Value error, ")
    if kind in ("enum", "literal_error"):
        expected = err.get("ctx", {}).get("expected", "")
        if value == vocab.NEEDS_REVIEW and loc[-1:] == ("status",):
            return (f"'{vocab.NEEDS_REVIEW}' is a draft's: the report's words need a person "
                    f"to set the status, one of: {expected}")
        return f"{short(repr(value))} is not one of: {expected}"
    if kind == "string_type" and isinstance(value, (int, float)) and not isinstance(value, bool):
        written = getattr(value, "written", value)
        return f"{written} was read as a number; write it in quotes: \"{written}\""
    if kind == "string_pattern_mismatch" and isinstance(value, str):
        return _bad_id_message(value, loc, names)
    if kind in _EXPECTED:
        return f"must be {_EXPECTED[kind]}, not {_what_is(value)}"
    return err["msg"]


# pydantic's wrong-type errors in a modeller's words ("valid dictionary or instance of Area").
_EXPECTED = {
    "dict_type": "a mapping (key: value lines)", "model_type": "a mapping (key: value lines)",
    "model_attributes_type": "a mapping (key: value lines)",
    "list_type": "a list (lines starting '- ')", "string_type": "text",
    "int_type": "a whole number", "int_parsing": "a whole number",
    "int_from_float": "a whole number", "bool_type": "true or false",
    "bool_parsing": "true or false", "date_type": "a date such as 2026-03-31",
    "date_parsing": "a date such as 2026-03-31",
    "date_from_datetime_parsing": "a date such as 2026-03-31",
}


def _what_is(value: object) -> str:
    """What a YAML value was read as, for "must be a list, not text ('x')"."""
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, (int, float)):
        return f"the number {getattr(value, 'written', value)}"
    return f"text ({short(repr(str(value)))})"


def _bad_id_message(value: str, loc: tuple, names: dict[str, tuple[str, str]]) -> str:
    if loc and loc[-1] == "paragraph" or (len(loc) > 1 and loc[-2] == "paragraph"):
        return (f"{short(repr(value))} is not a paragraph: write a finding number such as "
                "\"5.2.13\", \"context\" or \"case:3.1\"")
    known = names.get(NameIndex.key(value))
    if known:
        ident, how = known
        return f"{short(repr(value))} is a name; use the id '{ident}' ({how})"
    suggestion = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
    hint = f" such as '{suggestion}'" if suggestion else ""
    if str(loc[-1]) == "id" or (len(loc) > 1 and str(loc[-2]) == "id"):
        return f"{short(repr(value))} is not a kebab-case id (a-z, 0-9 and -){hint}"
    return f"{short(repr(value))} is not an id (ids are kebab-case, a-z, 0-9 and -)"


def short(text: str, n: int = 60) -> str:
    text = re.sub(r"\s+", " ", text)
    return text if len(text) <= n else text[: n - 1] + "…"


def unknown_name(name: str, names: NameIndex) -> str:
    near = names.closest(name)
    hint = f"; did you mean {', '.join(map(repr, near))}?" if near else ""
    return (f"{name!r} names no organisation: add it to that organisation's aliases "
            f"(or misnamed_as, for a slip in the report){hint}")


class _Party(Protocol):
    """What these messages read of a loaded party (``types.Party``).

    Why a protocol: ``types`` sits beside this module in the model's layers
    (pyproject.toml), so it cannot be imported here.
    """

    kind: str
    item: Any  # as types.Party.item: the pydantic object of its kind


def names_of(parties: Mapping[str, _Party]) -> dict[str, str]:
    """Party name (folded) -> id, for suggestions by name."""
    out: dict[str, str] = {}
    for pid, party in parties.items():
        for name in [party.item.name, *party.item.aliases]:
            out.setdefault(NameIndex.key(name), pid)
    return out


def _a(word: str) -> str:
    return ("an " if word[:1] in "aeiou" else "a ") + word


def bad_reference(ref: str | None, kind: str, parties: Mapping[str, _Party],
                  names: dict[str, str] | None = None) -> str | None:
    """Why ``ref`` cannot be used where a party of ``kind`` is needed, or None."""
    if ref is None:
        return None
    if ref not in parties:
        by_id = difflib.get_close_matches(ref, list(parties), n=2)
        by_name: list[tuple[str, str]] = []
        if names:
            keys = difflib.get_close_matches(ref.replace("-", " "), list(names), n=3, cutoff=0.6)
            for key in keys:
                if names[key] not in by_id and names[key] not in [i for i, _ in by_name]:
                    by_name.append((names[key], key))
        near = [repr(i) for i in by_id] + [f"{i!r} (named {parties[i].item.name!r})"
                                           for i, _ in by_name[:2]]
        hint = f"; did you mean {' or '.join(near)}?" if near else \
            " (define it in a party file, or check the spelling)"
        return f"unknown id {ref!r}{hint}"
    if kind != "any" and parties[ref].kind != kind:
        return f"{ref!r} is {_a(parties[ref].kind)}, not {_a(kind)}"
    return None


def first_last(findings: Iterable[str]) -> str:
    ids = list(findings)
    return f"{ids[0]} to {ids[-1]}, plus context and case:N.N" if ids else "no paragraph"


def quote_problem(quote: str, paragraph: str, texts: dict[str, str]) -> str:
    """Why a quote fails, and where it is: another paragraph, or the closest passage."""
    folded = fold(quote)
    head = f"quote not found in paragraph {paragraph}: {short(quote)!r}"
    elsewhere = [p for p, text in texts.items() if folded in text]
    if elsewhere:
        return f"{head}; it is in paragraph {', '.join(elsewhere[:3])}: cite that one"
    sentences = re.split(r"(?<=[.;:!?])\s+", texts.get(paragraph, ""))
    best = difflib.get_close_matches(folded, sentences, n=1, cutoff=0.4)
    if best:
        return f"{head}; closest in {paragraph}: {short(best[0], 90)!r}"
    return f"{head}; copy the words exactly as the report has them"
