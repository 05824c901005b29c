"""Names -> ids, and the text folding quotes and names are compared with.

Kept apart from the loader so a cached graph can answer ``--org NAME``
without importing pydantic or ruamel.
"""

from __future__ import annotations

import difflib
import unicodedata


def nfc(text: str) -> str:
    """Text in Unicode's composed form (NFC), as people see it.

    Why: macOS saves "é" as "e" and a combining accent (NFD), a keyboard types
    one character; the two look the same and must compare the same.
    """
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Fold whitespace, curly quotes and Unicode forms, so a typed quote matches the PDF text."""
    text = nfc(text)
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    text = text.replace("\u201c", '"').replace("\u201d", '"')
    return " ".join(text.split())  # what re.sub(r"\s+", " ", text).strip() gives, faster


class NameIndex:
    """Every name the report uses for a body -> its id(s), compared as people see them:
    case-folded ("STRASSE" finds "Straße") and in one Unicode form."""

    def __init__(self) -> None:
        self.ids: dict[str, list[str]] = {}
        self.display: dict[str, str] = {}

    @staticmethod
    def key(name: str) -> str:
        return fold(name).casefold().removeprefix("the ").strip()

    def add(self, name: str, ids: list[str]) -> str | None:
        """Record a name; returns the clashing id list if taken by another body."""
        key = self.key(name)
        if key in self.ids and self.ids[key] != ids:
            return ", ".join(self.ids[key])
        self.ids[key], self.display[key] = ids, name
        return None

    def resolve(self, name: str) -> list[str] | None:
        return self.ids.get(self.key(name))

    def closest(self, name: str, n: int = 3) -> list[str]:
        keys = difflib.get_close_matches(self.key(name), list(self.ids), n=n, cutoff=0.5)
        return [self.display[k] for k in keys]

    def closest_ids(self, name: str, n: int = 3) -> list[str]:
        """The ids of the parties whose names are closest to ``name``, best first."""
        keys = difflib.get_close_matches(self.key(name), list(self.ids), n=n * 4, cutoff=0.5)
        out: list[str] = []
        for key in keys:
            for pid in self.ids[key]:
                if pid not in out:
                    out.append(pid)
        return out[:n]
