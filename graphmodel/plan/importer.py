"""The owners' filled-in workbook -> actions.yaml in the area folder.

Every bad cell (a recommendation the report does not make, an owner nobody
knows, a date that is not one, a status off the list, a flow that does not
exist) is one line naming the sheet, row and column; with any of them,
nothing is written. Importing the same workbook twice writes the same bytes.

An import merges: actions.yaml keeps every recorded action the workbook does
not mention (an older or blank workbook removes nothing). Removing or blanking
a recorded action takes ``replace=True``, and the result says which.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from .. import vocab
from ..errors import ModelError, raise_all, relabelled
from ..model.yamlread import YamlData
from ..questions.graph import nodes_of
from ..questions.parties import organisation_of
from ..text import cut

if TYPE_CHECKING:
    import networkx as nx

    from .workbook import OwnerRow

ACTIONS_FILE = "actions.yaml"
ACTIONS_HEADER = """\
# yaml-language-server: $schema=../graphmodel.schema.json
# The action plan's actions: one per row the owners filled in. Written by
# 'graphmodel plan import'; edit it here or in the workbook and import again.
"""
FIELD_ORDER = ("recommendation", "owner", "action", "lead", "due", "status", "measure",
               "evidence", "fixes")
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%d %b %Y",
                "%d %B %Y", "%d %b %y")
Action = dict[str, Any]  # one entry of actions.yaml: FIELD_ORDER's fields, those filled in


class _Recommendations(Protocol):
    @property
    def recommendations(self) -> list[str]: ...


class PlanArea(Protocol):
    """What an import reads of an area: an ``api.Area``, which sits in a layer above."""

    @property
    def id(self) -> str: ...

    @property
    def folder(self) -> Path: ...

    @property
    def graph(self) -> nx.MultiDiGraph: ...

    @property
    def info(self) -> _Recommendations: ...

    def resolve(self, name: str, option: str = "name") -> str: ...


@dataclass
class Imported:
    """What an import would write: the file's text, and what it counts."""

    path: Path
    text: str
    actions: int
    kept: int
    changed: bool
    written: bool = False  # set once the text is in the file (not with check)
    removed: list[str] = field(default_factory=list)  # recorded actions the import drops
    blanked: list[str] = field(default_factory=list)  # fields of recorded actions it empties

    def lines(self, workbook: str, check: bool = False) -> list[str]:
        """What the import did (or, with ``check``, would do): a line, then each loss."""
        what = f"{self.actions} actions from {workbook}" + \
            (f", {self.kept} recorded kept" if self.kept else "")
        if self.removed or self.blanked:
            what += f"; {_losses(self.removed, self.blanked, items=False)}"
        said = "unchanged" if not self.changed else "would change" if check else ""
        head = f"{self.path}: " + (f"{said} ({what})" if said else what)
        if check and self.changed:
            head += "; nothing written"
        losses = [f"  removed: {r}" for r in self.removed]
        losses += [f"  emptied: {b}" for b in self.blanked]
        return [head] + [cut(line, 80) for line in losses]


def import_plan(area: PlanArea, data: bytes, label: str, replace: bool = False,
                write: bool = True) -> Imported:
    """Read a plan workbook into actions.yaml under the area's write lock; ``write=False``
    only says what would change.

    Why the lock around the whole: two owners importing their parts at once
    must each keep the other's actions, which means reading actions.yaml and
    writing it back with no other writer in between.
    """
    from ..files import area_lock, check_not_installed, replace_files
    command = "graphmodel plan import"
    check_not_installed(area.folder)  # a bundled area: say how to copy it, before the lock
    with area_lock(area.folder, command):
        done = import_workbook(area, data, label, replace)
        if done.changed:
            validate_actions(area.folder, done.text)  # the loader's every check, first
            if write:
                replace_files(area.folder, {done.path: done.text}, command)
    return done


def import_workbook(area: PlanArea, data: bytes, label: str, replace: bool = False) -> Imported:
    """Read a plan workbook's owner columns into the text of the area's actions.yaml.

    ``area`` is an ``api.Area``. Raises every problem at once; writes nothing.
    Recorded actions the workbook does not mention are kept; one that it
    would remove or blank is an error unless ``replace``.
    """
    from ..files import check_not_installed
    from .workbook import read_workbook
    check_not_installed(area.folder)  # a bundled area: say how to copy it, read nothing
    meta, rows = read_workbook(data, label)
    if meta.get("area") != area.id:
        raise ModelError(f"is the plan of area {meta.get('area')!r}, not {area.id!r}: "
                         "give --model the area it was made for", file=label)
    part = meta.get("part") or None
    problems: list[ModelError] = []
    actions = [a for a in (_action(area, row, part, label, problems) for row in rows) if a]
    raise_all(problems)
    path = area.folder / ACTIONS_FILE
    recorded = _recorded(path)
    kept, removed, blanked = _merge(area, recorded, actions, part, replace)
    if (removed or blanked) and not replace:
        raise ModelError(f"would {_losses(removed, blanked)}: the workbook leaves them out or "
                         "empty; fill them in, or import with replace (--replace) to drop "
                         "them", file=label)
    text = actions_yaml(sorted(kept + actions, key=_order))
    old = _read(path) if recorded is not None else None
    return Imported(path, text, len(actions), len(kept), text != old, removed=removed,
                    blanked=blanked)


def _losses(removed: list[str], blanked: list[str], items: bool = True) -> str:
    """"remove 2 recorded actions (1.1 X: 'a'; ...) and blank 1 field (...)"."""
    said = []
    if removed:
        said.append(f"remove{'s' * (not items)} {len(removed)} recorded "
                    f"action{'s' * (len(removed) != 1)}"
                    + (f" ({'; '.join(removed)})" if items else ""))
    if blanked:
        said.append(f"{'blank' if items else 'empties'} {len(blanked)} "
                    f"field{'s' * (len(blanked) != 1)} of recorded actions"
                    + (f" ({'; '.join(blanked)})" if items else ""))
    return " and ".join(said)


BLANKABLE = ("lead", "due", "measure", "evidence")  # what an owner fills in, besides the action


def _merge(area: PlanArea, recorded: list[Action] | None, actions: list[Action],
           part: str | None, replace: bool) -> tuple[list[Action], list[str], list[str]]:
    """(recorded actions kept, those the import removes, fields it blanks), in words.

    The workbook covers its part (a whole plan: every owner). Within it, the
    actions of a recommendation and owner the workbook mentions are replaced
    by its rows, in order; the others are kept unless ``replace``.
    """
    mentioned: dict[tuple[str, str | None], list[Action]] = {}
    for action in actions:
        mentioned.setdefault((action["recommendation"], action.get("owner")), []).append(action)
    kept: list[Action] = []
    removed: list[str] = []
    blanked: list[str] = []
    by_key: dict[tuple[str, str | None], list[Action]] = {}
    for action in recorded or []:
        key = (str(action.get("recommendation")), action.get("owner"))
        inside = part is None or action.get("owner") == part
        if not inside or (key not in mentioned and not replace):
            kept.append(action)
        else:
            by_key.setdefault(key, []).append(action)
    for key, old in by_key.items():
        new = mentioned.get(key, [])
        who = f"{key[0]} {_owner_name(area, key[1])}"
        removed += [f"{who}: {a.get('action')!r}" for a in old[len(new):]]
        for before, after in zip(old, new, strict=False):
            gone = [f for f in BLANKABLE if before.get(f) not in (None, "") and
                    after.get(f) in (None, "")]
            if gone:
                blanked.append(f"{who}: {', '.join(gone)}")
    return kept, removed, blanked


def _owner_name(area: PlanArea, owner: str | None) -> str:
    return str(area.graph.nodes[owner].get("name", owner) if owner in area.graph else owner)


def validate_actions(folder: Path, text: str) -> None:
    """Load the area with this actions.yaml in a scratch copy: the loader's every check.

    Why a copy: nothing may be written to the area folder unless the model
    still loads with it.
    """
    import shutil
    import tempfile

    from ..model.load import load_area
    with tempfile.TemporaryDirectory(prefix="graphmodel-import-") as tmp:
        copy = Path(tmp) / folder.name
        shutil.copytree(folder, copy, ignore=shutil.ignore_patterns(".*"))
        (copy / ACTIONS_FILE).unlink(missing_ok=True)  # a link would write through
        (copy / ACTIONS_FILE).write_text(text, encoding="utf-8")
        try:
            load_area(copy)
        except ModelError as exc:
            raise relabelled(exc, str(copy), str(folder)) from None


def _problem(row: OwnerRow, field: str, message: str, label: str) -> ModelError:
    return ModelError(f"sheet '{row.sheet}', row {row.row}, column '{row.headers[field]}': "
                      f"{message}", file=label)


def _action(area: PlanArea, row: OwnerRow, part: str | None, label: str,
            problems: list[ModelError]) -> Action | None:
    """One row as an actions.yaml entry, or None with its problems recorded."""
    found = len(problems)
    rid = _text(row.recommendation)
    if not rid:
        problems.append(_problem(row, "id", "empty: copy the recommendation's number "
                                            "(such as 1.2) into a row you add", label))
    elif rid not in area.info.recommendations:
        problems.append(_problem(row, "id", f"no recommendation {rid} in this report",
                                 label))
    owner = _owner(area, row, rid, part, label, problems)
    due = _due(row, label, problems)
    status = _status(row, label, problems)
    fixes = _fixes(area, row, label, problems)
    if not _text(row.cells["action"]):
        problems.append(_problem(row, "action", "empty: say what will be done", label))
    if len(problems) > found:
        return None
    entry = {"recommendation": rid, "owner": owner, "action": _text(row.cells["action"]),
             "lead": _text(row.cells["lead"]), "due": due, "status": status,
             "measure": _text(row.cells["measure"]), "evidence": _text(row.cells["evidence"]),
             "fixes": fixes}
    return {k: v for k, v in entry.items() if v not in (None, [])}


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = re.sub(r"[ \t]+", " ", str(value)).strip()
    return text or None


def _owner(area: PlanArea, row: OwnerRow, rid: str | None, part: str | None, label: str,
           problems: list[ModelError]) -> str | None:
    """The action's organisation: the cell's name, else the recommendation's one owner."""
    name = _text(row.cells["owner"])
    if name is None and rid not in area.info.recommendations:
        return None  # the recommendation's own problem says it all
    if name is None:
        owners = area.graph.nodes[f"rec:{rid}"]["owners"]
        if part or len(owners) == 1:
            return part or owners[0]
        names = " or ".join(area.graph.nodes[o]["name"] for o in owners)
        problems.append(_problem(row, "owner", f"empty: say which organisation leads this "
                                               f"action ({names})", label))
        return None
    try:
        pid = area.resolve(name, "name")
    except ModelError as exc:
        problems.append(_problem(row, "owner", exc.message, label))
        return None
    org = organisation_of(area.graph, pid)
    if area.graph.nodes[org]["kind"] != "organisation":
        problems.append(_problem(row, "owner", f"{name!r} belongs to no organisation: "
                                               "name the organisation", label))
        return None
    if part and org != part:
        problems.append(_problem(row, "owner", f"this workbook is the part of "
                                               f"{area.graph.nodes[part]['name']}: an action "
                                               f"of {area.graph.nodes[org]['name']} belongs "
                                               "in its own part or the whole plan", label))
        return None
    return org


def parse_date(value: object) -> datetime.date | None:
    """A date cell, or text such as 2026-03-31, 31/03/2026 or 31 Mar 2026 (day first)."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    if text is None:
        return None
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except (TypeError, ValueError):
            continue
    return None


def _due(row: OwnerRow, label: str, problems: list[ModelError]) -> str | None:
    value = row.cells["due"]
    if value in (None, ""):
        return None
    day = parse_date(value)
    if day is None:
        problems.append(_problem(row, "due", f"{_text(value)!r} is not a date: write it as "
                                             "31/03/2026 or 2026-03-31", label))
        return None
    return day.isoformat()


def _status(row: OwnerRow, label: str, problems: list[ModelError]) -> str:
    text = _text(row.cells["status"])
    if text is None:
        return "not_started"
    status = vocab.action_status(text)
    if status is None:
        labels = ", ".join(s.label for s in vocab.ACTION_STATUSES.values())
        problems.append(_problem(row, "status", f"{text!r} is not a status: choose {labels}",
                                 label))
        return "not_started"
    return status


def _fixes(area: PlanArea, row: OwnerRow, label: str, problems: list[ModelError]) -> list[str]:
    text = _text(row.cells["fixes"]) or ""
    flows = [f for f in re.split(r"[,;\s]+", text) if f]
    known = set(nodes_of(area.graph, "flow"))
    unknown = [f for f in flows if f not in known]
    if unknown:
        problems.append(_problem(row, "fixes", f"no flow {', '.join(map(repr, unknown))} in "
                                               "this model: keep the ids the plan wrote, or "
                                               "leave the cell empty", label))
    return list(dict.fromkeys(flows))


def _recorded(path: Path) -> list[Action] | None:
    """The actions already in actions.yaml (None when there is no such file)."""
    import os
    if not os.path.lexists(path):
        return None
    from ..model.yamlread import parse_yaml
    data = parse_yaml(_read(path), str(path)) or {}
    actions = data.get("actions") if isinstance(data, dict) else None
    return [_plain(a) for a in actions or [] if isinstance(a, dict)]


def _read(path: Path) -> str:
    from ..files import read_text
    return read_text(path, str(path))


def _plain(value: YamlData) -> YamlData:
    """YAML data with its line-keeping containers made plain dicts and lists again."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _order(action: Action) -> tuple[tuple[int, ...], str]:
    """Recommendation number, then owner: the file reads in the report's order."""
    return (tuple(int(p) for p in str(action["recommendation"]).split(".")),
            action.get("owner", ""))


def actions_yaml(actions: list[Action]) -> str:
    """actions.yaml's text: fields in a fixed order, dates as plain dates, lists indented."""
    import yaml

    class Dumper(yaml.SafeDumper):
        def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
            return super().increase_indent(flow, False)  # "  - " as the other files

    ordered = []
    for action in actions:
        item = {k: action[k] for k in FIELD_ORDER if k in action}
        if isinstance(item.get("due"), str):
            item["due"] = datetime.date.fromisoformat(item["due"])
        ordered.append(item)
    body = yaml.dump({"actions": ordered}, Dumper=Dumper, sort_keys=False, allow_unicode=True,
                     width=100, default_flow_style=False)
    return ACTIONS_HEADER + body
