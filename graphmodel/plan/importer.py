"""The owners' filled-in workbook -> actions.yaml in the area folder.

Every bad cell (a recommendation the report does not make, an owner nobody
knows, a date that is not one, a status off the list, a flow that does not
exist) is one line naming the sheet, row and column; with any of them,
nothing is written. Importing the same workbook twice writes the same bytes.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path

from .. import vocab
from ..errors import ModelError, raise_all
from ..questions.graph import nodes_of
from ..questions.parties import organisation_of

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


@dataclass
class Imported:
    """What an import would write: the file's text, and what it counts."""

    path: Path
    text: str
    actions: int
    kept: int
    changed: bool


def import_workbook(area, data: bytes, label: str) -> Imported:
    """Read a plan workbook's owner columns into the text of the area's actions.yaml.

    ``area`` is an ``api.Area``. Raises every problem at once; writes nothing.
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
    kept = _kept(path, part)
    text = actions_yaml(sorted(kept + actions, key=_order))
    old = path.read_text(encoding="utf-8") if path.is_file() else None
    return Imported(path, text, len(actions), len(kept), text != old)


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
        (copy / ACTIONS_FILE).write_text(text, encoding="utf-8")
        load_area(copy)


def _problem(row, field: str, message: str, label: str) -> ModelError:
    return ModelError(f"sheet '{row.sheet}', row {row.row}, column '{row.headers[field]}': "
                      f"{message}", file=label)


def _action(area, row, part: str | None, label: str, problems: list) -> dict | None:
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


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = re.sub(r"[ \t]+", " ", str(value)).strip()
    return text or None


def _owner(area, row, rid, part, label, problems) -> str | None:
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


def parse_date(value) -> datetime.date | None:
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


def _due(row, label, problems) -> str | None:
    value = row.cells["due"]
    if value in (None, ""):
        return None
    day = parse_date(value)
    if day is None:
        problems.append(_problem(row, "due", f"{_text(value)!r} is not a date: write it as "
                                             "31/03/2026 or 2026-03-31", label))
        return None
    return day.isoformat()


def _status(row, label, problems) -> str:
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


def _fixes(area, row, label, problems) -> list[str]:
    text = _text(row.cells["fixes"]) or ""
    flows = [f for f in re.split(r"[,;\s]+", text) if f]
    known = set(nodes_of(area.graph, "flow"))
    unknown = [f for f in flows if f not in known]
    if unknown:
        problems.append(_problem(row, "fixes", f"no flow {', '.join(map(repr, unknown))} in "
                                               "this model: keep the ids the plan wrote, or "
                                               "leave the cell empty", label))
    return list(dict.fromkeys(flows))


def _kept(path: Path, part: str | None) -> list[dict]:
    """The actions already in actions.yaml that this workbook does not cover.

    A whole plan covers every action; one owner's part only that owner's.
    """
    if part is None or not path.is_file():
        return []
    from ..model.yamlread import load_yaml
    data = load_yaml(path, str(path)) or {}
    return [_plain(a) for a in data.get("actions") or [] if a.get("owner") != part]


def _plain(value):
    """YAML data with its line-keeping containers made plain dicts and lists again."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _order(action: dict) -> tuple:
    """Recommendation number, then owner: the file reads in the report's order."""
    return (tuple(int(p) for p in str(action["recommendation"]).split(".")),
            action.get("owner", ""))


def actions_yaml(actions: list[dict]) -> str:
    """actions.yaml's text: fields in a fixed order, dates as plain dates, lists indented."""
    import yaml

    class Dumper(yaml.SafeDumper):
        def increase_indent(self, flow=False, indentless=False):  # "  - " as the other files
            return super().increase_indent(flow, False)

    ordered = []
    for action in actions:
        item = {k: action[k] for k in FIELD_ORDER if k in action}
        if isinstance(item.get("due"), str):
            item["due"] = datetime.date.fromisoformat(item["due"])
        ordered.append(item)
    body = yaml.dump({"actions": ordered}, Dumper=Dumper, sort_keys=False, allow_unicode=True,
                     width=100, default_flow_style=False)
    return ACTIONS_HEADER + body
