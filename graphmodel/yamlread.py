"""YAML model files -> plain data that remembers each key's line: fast, strict and bounded.

Why not ``yaml.safe_load``: it keeps the last of two duplicate keys, reads
``no`` as False and ``2020-01-01`` as a date (YAML 1.1), and forgets lines.
Why not ruamel's round-trip loader: it keeps all that but spends 91% of a cold
load in its comment machinery. So libyaml (PyYAML's C parser) composes the
node tree, which carries every line mark, and a short walk here builds the
data: it refuses duplicate keys, reads scalars as YAML 1.2's core schema does
(``no``, ``yes``, ``on`` and ``off`` stay strings), refuses tags, and bounds
nesting and alias expansion (a "billion laughs" file is refused, not expanded).

Files are read by ``files.read_text``: only regular files under a size limit
(a named pipe would block for ever, ``/dev/zero`` would fill the memory).
"""

from __future__ import annotations

import re

from .errors import ModelError
from .files import read_text

MAX_DEPTH = 40  # a model file nests about 6 deep
MAX_ALIAS_NODES = 10_000  # nodes reachable again through aliases

try:  # libyaml is part of PyYAML's wheels; without it a cold load is ten times slower
    from yaml import CSafeLoader as _Loader
    from yaml import MappingNode, ScalarNode, SequenceNode, YAMLError, compose
    from yaml.error import MarkedYAMLError
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = None


class LineDict(dict):
    """A mapping that also holds ``lines``: key -> the 1-based line it is on."""

    __slots__ = ("lines",)


class LineList(list):
    """A sequence that also holds ``lines``: index -> the 1-based line of the item."""

    __slots__ = ("lines",)


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
_IMPLICIT = {f"{_STANDARD}{t}" for t in ("str", "int", "float", "bool", "null", "timestamp",
                                          "map", "seq", "value", "merge")}


def load_yaml(path, label: str):
    """Read and parse one YAML file: plain dicts (LineDict), lists (LineList) and scalars."""
    return parse_yaml(read_text(path, label), label)


def parse_yaml(text: str, label: str):
    """Parse YAML text; every problem is a ModelError naming ``label`` and the line."""
    if _Loader is None:
        raise ModelError("PyYAML was installed without libyaml, which graphmodel needs "
                         "to read YAML quickly: reinstall it with 'pip install "
                         "--force-reinstall pyyaml' from a wheel", file=label)
    try:
        node = compose(text, Loader=_Loader)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = (exc.problem or exc.context or "cannot be parsed").strip()
        raise ModelError(f"malformed YAML: {problem}", file=label,
                         line=mark.line + 1 if mark else None) from None
    except YAMLError as exc:
        raise ModelError(f"malformed YAML: {_short(str(exc))}", file=label) from None
    if node is None:
        return None
    return _Walk(label).node(node, 0, "")


class _Walk:
    """One walk of a composed tree, counting what aliases make it visit again."""

    def __init__(self, label: str):
        self.label = label
        self.seen: set[int] = set()
        self.again = 0

    def fail(self, node, message: str, where: str):
        raise ModelError(message, file=self.label, line=node.start_mark.line + 1,
                         field=_short(where, 80) or None)

    def node(self, node, depth: int, where: str):
        if depth > MAX_DEPTH:
            self.fail(node, f"nested more than {MAX_DEPTH} deep (or an alias refers to "
                            "itself)", where)
        if id(node) in self.seen:  # reached again through an alias
            self.again += 1
            if self.again > MAX_ALIAS_NODES:
                self.fail(node, f"aliases expand to more than {MAX_ALIAS_NODES:,} "
                                "nodes; write the values out", where)
        else:
            self.seen.add(id(node))
        if node.tag not in _IMPLICIT:
            self.fail(node, f"tag {_short(node.tag)!r} is not allowed in a model file", where)
        if isinstance(node, ScalarNode):
            return self.scalar(node, where)
        if isinstance(node, SequenceNode):
            out = LineList()
            out.lines = []
            for i, item in enumerate(node.value):
                out.append(self.node(item, depth + 1, f"{where}[{i}]"))
                out.lines.append(item.start_mark.line + 1)
            return out
        if isinstance(node, MappingNode):
            return self.mapping(node, depth, where)
        self.fail(node, "unexpected YAML node", where)  # pragma: no cover

    def mapping(self, node, depth: int, where: str) -> LineDict:
        out = LineDict()
        out.lines = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                self.fail(key_node, "a key must be a plain name, not a list or mapping", where)
            key = key_node.value
            if key in out:
                self.fail(key_node, f"duplicate key {_short(key)!r} (first on line "
                                    f"{out.lines[key]}); keep one", _join(where, key))
            out.lines[key] = key_node.start_mark.line + 1
            out[key] = self.node(value_node, depth + 1, _join(where, key))
        return out

    def scalar(self, node, where: str):
        """YAML 1.2 core schema for plain scalars; quoted and block scalars are strings."""
        text = node.value
        if node.style:  # quoted, literal or folded: always a string
            return text
        value = _core_value(text)
        if node.tag == f"{_STANDARD}str" and not isinstance(value, str) and text:
            # libyaml gave str to a plain scalar YAML 1.1 would also read as a number:
            # so the file said !!str explicitly
            from yaml.resolver import Resolver
            if Resolver().resolve(ScalarNode, text, (True, False)) != node.tag:
                return text
        return value


class WrittenFloat(float):
    """A float that remembers how the file wrote it, so an error can quote "1.30", not 1.3.

    Why: ``paragraph: 1.30`` is read as the number 1.3; telling the modeller to
    write "1.3" would send them to the wrong paragraph.
    """

    written: str


def _core_value(text: str):
    """A plain scalar as YAML 1.2's core schema reads it."""
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


def line_of(data, loc: tuple) -> int | None:
    """The line (1-based) of the deepest part of ``loc`` found in LineDict/LineList data."""
    line, node = None, data
    for part in loc:
        lines = getattr(node, "lines", None)
        try:
            if isinstance(node, dict) and part in node:
                line = lines[part] if lines else line
            elif isinstance(node, list) and isinstance(part, int) and part < len(node):
                line = lines[part] if lines else line
            else:
                break
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
    return line
