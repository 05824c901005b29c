"""Moving reviewed drafts into flows.yaml, and dropping rejected ones, keeping every comment.

Why ruamel's round trip here and nowhere else: these are the modeller's own
files, with their comments and order; a reviewed draft must arrive in
flows.yaml as the modeller left it, and everything else must stay as it was.
The loader reads with libyaml (fast); only this rewrite needs ruamel.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ModelError, UsageError

if TYPE_CHECKING:  # ruamel loads only when drafts move (it is slow to import)
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

Check = Callable[[Path], object]  # run on the moved files; raises ModelError to undo

REVIEW_KEYS = ("confidence", "why")  # a draft's fields that a flow does not have
DRAFTS_FILE, FLOWS_FILE = "drafts.yaml", "flows.yaml"


def round_trip() -> YAML:
    """A ruamel YAML that writes the way graphmodel's files are laid out."""
    from ruamel.yaml import YAML
    yaml = YAML(typ="rt")
    yaml.width = 100_000  # one line per text keeps diffs readable
    yaml.allow_unicode = True
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def dump(yaml: YAML, data: object) -> str:
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _section_file(folder: Path, section: str, default: str) -> Path:
    """The file that holds a section (drafts:, flows:), else the default name."""
    from ..model.load import model_files
    for path in model_files(folder):
        text = _read(path)
        if any(line.startswith(f"{section}:") for line in text.splitlines()):
            return path
    return folder / default


def _read(path: Path) -> str:
    """A model file's text: only a regular file (a pipe or a folder named x.yaml is refused)."""
    from ..files import read_text
    from ..model.load import _label
    return read_text(path, _label(path))


def _load(yaml: YAML, path: Path, section: str) -> CommentedMap:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    data = yaml.load(_read(path)) if os.path.lexists(path) else None
    data = data if data is not None else CommentedMap()
    if data.get(section) is None:
        data[section] = CommentedSeq()
    data[section].fa.set_block_style()
    return data


def move_drafts(folder: Path, ids: list[str], accept: bool, check: Check | None = None,
                ) -> tuple[list[str], int]:
    """Accept (into flows.yaml) or reject (drop) drafts by id; (ids moved, drafts left).

    Refuses, writing nothing, an unknown id or a draft that returns a draft
    left behind (its loop would point at nothing). ``check(folder)`` runs on
    the result; if it raises a ModelError every file is put back as it was.
    """
    from ..files import area_lock, check_not_installed
    folder = Path(folder)
    check_not_installed(folder)  # a bundled area: say how to copy it, before anything
    with area_lock(folder, f"graphmodel drafts {'accept' if accept else 'reject'}"):
        return _move(folder, ids, accept, check)


def _move(folder: Path, ids: list[str], accept: bool,
          check: Check | None) -> tuple[list[str], int]:
    yaml = round_trip()
    drafts_path = _section_file(folder, "drafts", DRAFTS_FILE)
    drafts = _load(yaml, drafts_path, "drafts")
    from ..names import nfc
    ids = [nfc(i) for i in ids]  # an id typed composed finds one saved decomposed
    by_id = {nfc(str(item.get("id"))): item for item in drafts["drafts"]}
    _check_ids(ids, by_id, drafts_path)
    if accept:
        _check_reviewed(ids, drafts["drafts"], drafts_path)
        _check_returns(ids, by_id, folder)
    wanted = set(ids)
    moved = [item for item in drafts["drafts"]
             if nfc(str(item.get("id"))) in wanted]  # file order
    first_comment = _take_leading_comment(drafts, "drafts") \
        if drafts["drafts"] and drafts["drafts"][0] in moved else None
    for item in moved:
        drafts["drafts"].remove(item)
    if not drafts["drafts"]:
        _take_leading_comment(drafts, "drafts")
        drafts["drafts"] = _empty_seq()
    if first_comment:
        moved[0].yaml_set_start_comment(first_comment, indent=2)
    outputs = {drafts_path: drafts}
    if accept:
        flows_path = _section_file(folder, "flows", FLOWS_FILE)
        flows = _load(yaml, flows_path, "flows") if flows_path != drafts_path else drafts
        for item in moved:
            for key in REVIEW_KEYS:
                item.pop(key, None)
            flows["flows"].append(item)
        outputs[flows_path] = flows
    _write(yaml, outputs, (lambda: check(folder)) if check else None)
    return [item["id"] for item in moved], len(drafts["drafts"])


def _empty_seq() -> CommentedSeq:
    from ruamel.yaml.comments import CommentedSeq
    seq = CommentedSeq()
    seq.fa.set_flow_style()
    return seq


def _take_leading_comment(data: CommentedMap, section: str) -> str | None:
    """Remove and return the comment above a section's first item (ruamel keeps it twice)."""
    lines = []
    key_comment = data.ca.items.get(section)
    if key_comment and len(key_comment) > 3 and key_comment[3]:
        lines = [t.value for t in key_comment[3]]
        key_comment[3] = None
    seq_comment = getattr(data[section], "ca", None)
    if seq_comment is not None and seq_comment.comment and len(seq_comment.comment) > 1:
        seq_comment.comment[1] = None
    text = "".join(lines).strip()
    return "\n".join(line.strip().removeprefix("#").strip() for line in text.splitlines()) \
        if text else None


def _check_ids(ids: list[str], by_id: dict[str, CommentedMap], path: Path) -> None:
    import difflib
    for ident in ids:
        if ident not in by_id:
            near = difflib.get_close_matches(ident, [str(k) for k in by_id], n=2)
            hint = f"; did you mean {' or '.join(map(repr, near))}?" if near else \
                " ('graphmodel todo' lists the drafts)"
            raise UsageError(f"no draft {ident!r} in {path.name}{hint}")


def _check_reviewed(ids: list[str], items: CommentedSeq, path: Path) -> None:
    """A draft whose status needs review stays until a person sets one."""
    from .. import vocab
    from ..errors import raise_all
    problems = []
    for index, item in enumerate(items):
        if item.get("id") in ids and item.get("status") == vocab.NEEDS_REVIEW:
            line = item.lc.key("status")[0] + 1 if "status" in item else None
            problems.append(ModelError(
                f"draft {item['id']!r} needs review: its sentence falls short in words the "
                f"codebook does not name; set its status to one of "
                f"{', '.join(vocab.STATUSES)}, then accept it", file=str(path), line=line,
                field=f"drafts[{index}].status"))
    raise_all(problems)


def _check_returns(ids: list[str], by_id: dict[str, CommentedMap], folder: Path) -> None:
    from ..names import nfc
    for ident in ids:
        back = by_id[ident].get("returns")
        back = nfc(str(back)) if back else back
        if back and back in by_id and back not in ids:
            raise UsageError(f"draft {ident!r} returns draft {back!r}: accept both together "
                             f"('graphmodel drafts accept {back} {ident}'), or delete its "
                             "'returns:' first")


def _write(yaml: YAML, outputs: dict[Path, CommentedMap],
           check: Callable[[], object] | None = None) -> None:
    """Write every changed file as one change; if the check fails, every file is put back."""
    from ..files import replace_files
    replace_files(next(iter(outputs)).parent, {p: dump(yaml, d) for p, d in outputs.items()},
                  "graphmodel drafts", check)
