"""YAML model files -> plain data that remembers each key's line: fast, strict and bounded.

Why not ``yaml.safe_load``: it keeps the last of two duplicate keys, reads
``no`` as False and ``2020-01-01`` as a date (YAML 1.1), and forgets lines.
Why not ruamel's round-trip loader: it keeps all that but spends 91% of a cold
load in its comment machinery. So libyaml (PyYAML's C parser) reads the file
into events, each with its line, and one pass here builds the data from them
(no node tree: England's would hold 190 MiB at once): it refuses duplicate
keys, reads scalars as YAML 1.2's core schema does (``no``, ``yes``, ``on`` and
``off`` stay strings), refuses tags, and bounds nesting and alias expansion (a
"billion laughs" file is refused, not expanded).

Files are read by ``files.read_text``: only regular files under a size limit
(a named pipe would block for ever, ``/dev/zero`` would fill the memory).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

from ..errors import ModelError
from ..files import read_text

MAX_DEPTH = 40  # a model file nests about 6 deep
MAX_ALIAS_NODES = 10_000  # nodes reachable again through aliases

YamlData = Any  # what a file holds: None, bool, int, float, str, LineDict, LineList

try:  # libyaml is part of PyYAML's wheels; without it a cold load is ten times slower
    from yaml import (
        AliasEvent,
        DocumentStartEvent,
        Event,
        MappingEndEvent,
        MappingStartEvent,
        ScalarEvent,
        SequenceEndEvent,
        SequenceStartEvent,
        YAMLError,
    )
    from yaml import CSafeLoader as _Loader
    from yaml.composer import ComposerError
    from yaml.error import Mark, MarkedYAMLError
    from yaml.events import CollectionStartEvent, NodeEvent
    _VALUE_EVENTS = (AliasEvent, ScalarEvent, MappingStartEvent, SequenceStartEvent)
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = None  # type: ignore[assignment,misc]


class LineDict(dict):
    """A mapping that also holds ``lines``: key -> the 1-based line it is on."""

    __slots__ = ("lines",)
    lines: dict[str, int]


class LineList(list):
    """A sequence that also holds ``lines``: index -> the 1-based line of the item."""

    __slots__ = ("lines",)
    lines: list[int]


_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True,
         "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?[0-9]+$")
_OCT = re.compile(r"^0o[0-7]+$")
_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_INF = re.compile(r"^[-+]?\.(?:inf|Inf|INF)$")
_NAN = re.compile(r"^\.(?:nan|NaN|NAN)$")
_STANDARD = "tag:yaml.org,2002:"
_STR = f"{_STANDARD}str"
_IMPLICIT = {f"{_STANDARD}{t}" for t in ("str", "int", "float", "bool", "null", "timestamp",
                                          "map", "seq", "value", "merge")}


def load_yaml(path: str | Path, label: str) -> YamlData:
    """Read and parse one YAML file: plain dicts (LineDict), lists (LineList) and scalars."""
    return parse_yaml(read_text(path, label), label)


def parse_yaml(text: str, label: str) -> YamlData:
    """Parse YAML text; every problem is a ModelError naming ``label`` and the line."""
    if _Loader is None:
        raise ModelError("PyYAML was installed without libyaml, which graphmodel needs "
                         "to read YAML quickly: reinstall it with 'pip install "
                         "--force-reinstall pyyaml' from a wheel", file=label)
    loader = _Loader(text)
    try:
        return _Build(label).document(iter(loader.get_event, None))
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = (exc.problem or exc.context or "cannot be parsed").strip()
        raise ModelError(f"malformed YAML: {problem}", file=label,
                         line=mark.line + 1 if mark else None) from None
    except YAMLError as exc:
        raise ModelError(f"malformed YAML: {_short(str(exc))}", file=label) from None
    finally:
        loader.dispose()


class _Anchor:
    """What an anchor names: its value, raw text (scalars), node count and height."""

    __slots__ = ("value", "text", "size", "height", "done")

    value: YamlData
    text: str | None

    def __init__(self) -> None:
        self.value, self.text, self.size, self.height, self.done = None, None, 1, 0, False


class _Open:
    """A mapping or sequence being built: its data, current key, anchor and counts."""

    __slots__ = ("out", "is_map", "key", "key_line", "anchor", "size", "height", "line")

    # Any, not LineDict | LineList: ``is_map`` says which, a flag the hot loop in
    # ``_Build.document`` tests and mypy cannot narrow on.
    out: Any

    def __init__(self, out: LineDict | LineList, is_map: bool, anchor: _Anchor | None,
                 line: int) -> None:
        self.out, self.is_map, self.anchor, self.line = out, is_map, anchor, line
        self.key: str | None = None
        self.key_line = 0
        self.size, self.height = 1, 0


class _Build:
    """Data from libyaml's events in one pass, with no node tree.

    Why events rather than ``compose``: the composed tree of England's flows
    file held 190 MiB of nodes and marks at once; events pass one at a time.
    An alias gives the anchored value again (as ``yaml.safe_load`` does) and
    counts its nodes towards the bound.
    """

    def __init__(self, label: str) -> None:
        self.label = label
        self.stack: list[_Open] = []
        self.anchors: dict[str, _Anchor] = {}
        self.again = 0

    def where(self, key: str | None = None) -> str:
        """The field path of the value being read (and of ``key`` in it), for messages."""
        out = ""
        for frame in self.stack:
            if not frame.is_map:
                out += f"[{len(frame.out)}]"
            elif frame.key is not None:
                out = _join(out, frame.key)
        return _join(out, key) if key is not None else out

    def fail(self, line: int, message: str, where: str) -> NoReturn:
        raise ModelError(message, file=self.label, line=line,
                         field=_short(where, 80) or None)

    def document(self, events: Iterator[Event]) -> YamlData:
        """The one document of a stream as data (None for an empty stream)."""
        result, documents, stack = None, 0, self.stack
        for event in events:
            if (type(event) is ScalarEvent and stack and event.anchor is None
                    and event.tag is None and len(stack) <= MAX_DEPTH):
                # The common case, inline: a plain key, or a value without anchor or tag.
                # (The stubs make an event's mark Optional; libyaml's events all have one.)
                top, text = stack[-1], event.value
                if top.is_map:
                    if top.key is None:
                        if text in top.out:
                            self.key(event, top, _line(event))
                        top.key, top.key_line = text, event.start_mark.line + 1  # type: ignore[union-attr]
                        continue
                    top.out[top.key] = text if event.style else _core_value(text)
                    top.out.lines[top.key] = top.key_line
                    top.key = None
                else:
                    top.out.append(text if event.style else _core_value(text))
                    top.out.lines.append(event.start_mark.line + 1)  # type: ignore[union-attr]
                top.size += 1
                if top.height == 0:
                    top.height = 1
                continue
            kind = type(event)
            if kind is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise ComposerError("expected a single document in the stream",
                                        None, "but found another document", _mark(event))
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                frame = self.stack.pop()
                if frame.anchor is not None:
                    frame.anchor.value, frame.anchor.done = frame.out, True
                    frame.anchor.size, frame.anchor.height = frame.size, frame.height
                result = self.put(frame.out, frame.line, frame.size, frame.height)
            elif isinstance(event, _VALUE_EVENTS):
                result = self.value(event)
        return result

    def value(self, event: NodeEvent) -> YamlData:
        """Take a scalar, alias or collection start (or a mapping's key)."""
        line = _line(event)
        if self.stack and self.stack[-1].is_map and self.stack[-1].key is None:
            self.key(event, self.stack[-1], line)
            return None
        depth = len(self.stack)
        if isinstance(event, AliasEvent):
            anchor = self.anchors.get(event.anchor) if event.anchor else None
            if anchor is None:
                raise ComposerError(None, None, "found undefined alias", _mark(event))
            if not anchor.done or depth + anchor.height > MAX_DEPTH:
                self.fail(line, f"nested more than {MAX_DEPTH} deep (or an alias refers to "
                                "itself)", self.where())
            self.again += anchor.size
            if self.again > MAX_ALIAS_NODES:
                self.fail(line, f"aliases expand to more than {MAX_ALIAS_NODES:,} "
                                "nodes; write the values out", self.where())
            return self.put(anchor.value, line, anchor.size, anchor.height)
        if depth > MAX_DEPTH:
            self.fail(line, f"nested more than {MAX_DEPTH} deep (or an alias refers to "
                            "itself)", self.where())
        tag = event.tag if isinstance(event, (ScalarEvent, CollectionStartEvent)) else None
        if tag is not None and tag != "!" and tag not in _IMPLICIT:
            self.fail(line, f"tag {_short(tag)!r} is not allowed in a model file", self.where())
        anchor = self.anchor(event)
        if isinstance(event, ScalarEvent):
            value = _scalar(event.value, event.style, tag)
            if anchor is not None:
                anchor.value, anchor.text, anchor.done = value, event.value, True
            return self.put(value, line, 1, 0)
        out: LineDict | LineList
        is_map = isinstance(event, MappingStartEvent)
        if is_map:
            out = LineDict()
            out.lines = {}
        else:
            out = LineList()
            out.lines = []
        self.stack.append(_Open(out, is_map, anchor, line))
        return None

    def anchor(self, event: NodeEvent) -> _Anchor | None:
        name = event.anchor
        if name is None:
            return None
        if name in self.anchors:
            raise ComposerError("found duplicate anchor; first occurrence", None,
                                "second occurrence", _mark(event))
        anchor = self.anchors[name] = _Anchor()
        return anchor

    def key(self, event: NodeEvent, top: _Open, line: int) -> None:
        """A mapping's key: a plain name, and never twice in one mapping."""
        key: str | None
        if isinstance(event, ScalarEvent):
            key = event.value
            anchor = self.anchor(event)
            if anchor is not None:
                anchor.value = _scalar(key, event.style, event.tag)
                anchor.text, anchor.done = key, True
        elif isinstance(event, AliasEvent):
            anchor = self.anchors.get(event.anchor) if event.anchor else None
            if anchor is None:
                raise ComposerError(None, None, "found undefined alias", _mark(event))
            key = anchor.text
        else:
            key = None
        if key is None:
            self.fail(line, "a key must be a plain name, not a list or mapping", self.where())
        if key in top.out:
            self.fail(line, f"duplicate key {_short(key)!r} (first on line "
                            f"{top.out.lines[key]}); keep one", self.where(key))
        top.key, top.key_line = key, line

    def put(self, value: YamlData, line: int, size: int, height: int) -> YamlData:
        """Place a finished value in the open collection, or return it as the root."""
        if not self.stack:
            return value
        top = self.stack[-1]
        if top.is_map:
            top.out[top.key] = value
            top.out.lines[top.key] = top.key_line
            top.key = None
        else:
            top.out.append(value)
            top.out.lines.append(line)
        top.size += size
        if height >= top.height:
            top.height = height + 1
        return None


def _mark(event: Event) -> Mark | None:
    """An event's start, for errors that quote its line.

    The stubs type it as PyYAML's pure-Python Mark; libyaml's own Mark has the same fields.
    """
    return event.start_mark  # type: ignore[return-value]


def _line(event: Event) -> int:
    """The 1-based line an event starts on."""
    return event.start_mark.line + 1 if event.start_mark else 0


def _scalar(text: str, style: str | None, tag: str | None) -> YamlData:
    """YAML 1.2 core schema for plain scalars; quoted, block and !!str scalars are strings."""
    if style or tag == _STR:
        return text
    return _core_value(text)


_MAYBE_NOT_TEXT = set("~nNtTfF0123456789+-.")  # how a null, bool or number can begin


class WrittenFloat(float):
    """A float that remembers how the file wrote it, so an error can quote "1.30", not 1.3.

    Why: ``paragraph: 1.30`` is read as the number 1.3; telling the modeller to
    write "1.3" would send them to the wrong paragraph.
    """

    written: str


def _core_value(text: str) -> YamlData:
    """A plain scalar as YAML 1.2's core schema reads it."""
    if text and text[0] not in _MAYBE_NOT_TEXT:
        return text  # most values: no pattern below can match
    if _NULL.match(text):
        return None
    if text in _BOOL:
        return _BOOL[text]
    if _INT.match(text):
        return int(text)
    if _OCT.match(text):
        return int(text[2:], 8)
    if _HEX.match(text):
        return int(text[2:], 16)
    if _FLOAT.match(text):
        value = WrittenFloat(text)
        value.written = text
        return value
    if _INF.match(text):
        return float("-inf") if text.startswith("-") else float("inf")
    if _NAN.match(text):
        return float("nan")
    return text


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else str(key)


def _short(text: str, n: int = 60) -> str:
    text = re.sub(r"\s+", " ", str(text))
    return text if len(text) <= n else text[: n - 1] + "…"


def line_of(data: YamlData, loc: tuple[str | int, ...]) -> int | None:
    """The line (1-based) of the deepest part of ``loc`` found in LineDict/LineList data."""
    line, node = None, data
    for part in loc:
        lines = getattr(node, "lines", None)
        try:
            if isinstance(node, dict) and part in node:  # noqa: SIM114 (part is an int below)
                line, node = lines[part] if lines else line, node[part]
            elif isinstance(node, list) and isinstance(part, int) and part < len(node):
                line, node = lines[part] if lines else line, node[part]
            else:
                break
        except (KeyError, IndexError, TypeError):
            break
    return line
