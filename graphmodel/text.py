"""Text from a model, made safe for where it goes: a terminal line, a CSV cell, XML.

Why one module: model text is hostile input. Control characters, ESC and CSI
sequences and bidirectional overrides must not reach a terminal raw; a CSV
cell must not start a spreadsheet formula (OWASP, "CSV Injection"); XML 1.0
refuses most C0 controls. Every writer and printer goes through these.
"""

from __future__ import annotations

import re

MAX_LINE = 1000  # an error line never echoes more of a value than this

# C0 (tab, CR and ESC included), DEL, C1 (CSI is \x9b), and the bidirectional
# controls that can make text read in another order than it runs, and the Unicode
# line and paragraph separators (splitlines breaks a line there).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e"
                      "\u2066-\u2069]")
_CSV_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029"
                          "\u202a-\u202e"
                          "\u2066-\u2069]")  # tab and line feed are text in a CSV cell
_JSON_CONTROL = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e"
                           "\u2066-\u2069]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

def _escape(match: re.Match) -> str:
    code = ord(match.group(0))
    if code > 0xFFFF:
        return f"\\U{code:08x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def clean(text: object) -> str:
    """User text fit for a terminal: line breaks become spaces, other controls escaped."""
    text = str(text)
    if text.isprintable():
        return text
    return _CONTROL.sub(_escape, text.replace("\r\n", " ").replace("\n", " "))


def cut(text: str, limit: int) -> str:
    """Text of at most ``limit`` characters, saying when it was cut."""
    return text if len(text) <= limit else text[: limit - 8] + " … (cut)"


def safe_line(text: str, limit: int = MAX_LINE) -> str:
    """User text fit for one terminal line: control characters escaped, long text cut.

    Why: a name holding ESC sequences must not reach the terminal raw, and an
    error must never echo a 100 KB value.
    """
    return cut(clean(cut(str(text), limit * 4)), limit)


def message_line(prefix: str, text: object) -> str:
    """``prefix`` and user text as one line of at most MAX_LINE characters ("error: ...")."""
    return prefix + safe_line(str(text), MAX_LINE - len(prefix))


# C0 controls XML 1.0 forbids; Unicode's non-characters (U+FDD0..U+FDEF and the last two
# code points of every plane), which writers turn into references no parser reads; and
# lone surrogates, which no UTF-8 file can hold.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufdd0-\ufdef"
                          + "".join(f"{chr(p * 0x10000 + 0xfffe)}{chr(p * 0x10000 + 0xffff)}"
                                    for p in range(17)) + "]")


def xml_safe(text: str) -> str:
    r"""XML text a parser accepts: what XML 1.0 forbids or discourages, written as ``\x1b``.

    Why: a name holding ESC, or a non-character such as U+FFFE, made GraphML
    and GEXF files that no tool could open.

    >>> xml_safe("MASH\x1b[31m \ufffe")
    'MASH\\x1b[31m \\ufffe'
    """
    return _XML_INVALID.sub(_escape, text)


# What a terminal must never receive raw: every control but line feed and tab (CR too:
# it moves the cursor back over what was printed), and the bidirectional controls.
_TERMINAL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029"
                       "\u202a-\u202e\u2066-\u2069]")


def terminal_safe(text: str) -> str:
    """Output fit for a terminal, line breaks kept: every other control escaped.

    Why: the last guard on standard output and error (``cli.main`` writes
    through it), so a title, a confirmation or a path echoed back can never
    carry an escape sequence, whichever code printed it.
    """
    return _TERMINAL.sub(_escape, text)


def csv_safe(text: str) -> str:
    """A CSV cell a spreadsheet shows as text: formulas neutralised, controls escaped.

    OWASP: a cell beginning with =, +, -, @, tab or carriage return gets a
    leading apostrophe, so Excel and LibreOffice show it and do not run it.
    """
    return ("'" if text.startswith(_FORMULA_START) else "") + _CSV_CONTROL.sub(_escape, text)


def json_safe(text: str) -> str:
    """JSON text with C1 and bidirectional controls escaped too (JSON escapes only C0)."""
    return _JSON_CONTROL.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)
