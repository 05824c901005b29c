"""Make a synthetic area N times the size of a real one, for benchmarks and tests.

Why: England is about 150 areas of Sefton's size; the benchmark must do the
work they would do. Each copy of the source area's parties, flows, drafts and
actions gets its ids suffixed ("camhs-7"), its names and aliases numbered (so
names stay unique), and its own evidence written out in full: the YAML holds
no anchors or aliases, so a copy is as many bytes to parse as the real files.
The report, its findings, recommendations, next steps and what is not
modelled stay once (they belong to the report; files that name no party are
copied byte for byte); the ids they name become copy 0's, and recommendation
owners resolve to copy 0, which keeps the report's names.
Extra flows join each copy to the next, so paths and betweenness cross copies
as in a large region.

Nothing here names a section or field of Sefton's: sections whose items have
an ``id`` are copied, and every string (or list of strings) that equals one
of the area's ids is renamed, whatever the field.

    python tests/synthetic.py 10 /tmp/sefton-x10
"""

from __future__ import annotations

import copy
import shutil
import sys
from pathlib import Path

import yaml

from graphmodel.model.yamlread import load_yaml
from graphmodel.paths import default_model_dir

NAME_FIELDS = ("name", "aliases", "misnamed_as")  # numbered per copy: names stay unique
TEXT_FIELDS = ("summary",)  # marked per copy, so copies read apart in a table
VOCABULARY_FIELDS = ("role", "kind", "passes", "status")  # words, never ids ("marac", "camhs")
REPORT_SECTIONS = ("findings", "recommendations", "next_steps", "not_modelled")
PER_COPY_LISTS = ("actions",)  # items without ids that still belong to a copy


class _NoAliases(yaml.SafeDumper):
    """Writes every value out in full: a shared object is never an anchor and alias."""

    def ignore_aliases(self, data) -> bool:
        return True


def plain(data):
    """LineDict/LineList -> dict/list, so the dumper writes them as plain YAML."""
    if isinstance(data, dict):
        return {k: plain(v) for k, v in data.items()}
    if isinstance(data, list):
        return [plain(v) for v in data]
    return data


def copied_sections(files: dict[str, dict]) -> set[str]:
    """Sections that hold an area's own parties and flows: lists of items with ids."""
    out = set(PER_COPY_LISTS)
    for data in files.values():
        for section, items in data.items():
            if (section not in REPORT_SECTIONS and isinstance(items, list) and items
                    and all(isinstance(it, dict) and "id" in it for it in items)):
                out.add(section)
    return out


def _rename(value, i: int, ids: set[str]):
    if isinstance(value, str):
        return f"{value}-{i}" if value in ids else value
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return [f"{v}-{i}" if v in ids else v for v in value]
    return copy.deepcopy(value)  # evidence and the like: this copy's own objects


def copy_item(item: dict, i: int, ids: set[str]) -> dict:
    """Copy ``i`` of an item: references inside the area renamed, names numbered."""
    out = {}
    for key, value in item.items():
        if key in NAME_FIELDS and i:
            out[key] = ([f"{v} ({i})" for v in value] if isinstance(value, list)
                        else f"{value} ({i})")
        elif key in TEXT_FIELDS and i:
            out[key] = f"{value} (copy {i})"
        elif key in VOCABULARY_FIELDS:
            out[key] = value
        else:
            out[key] = _rename(value, i, ids)
    return out


def synthetic_model(scale: int, out: Path, source: Path | None = None) -> Path:
    """Write an area folder ``scale`` times the size of ``source``; returns it."""
    source = Path(source or default_model_dir())
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    files = {p.name: plain(load_yaml(p, p.name) or {}) for p in sorted(source.glob("*.yaml"))}
    sections = copied_sections(files)
    ids = {it["id"] for data in files.values() for s in sections if s in data
           for it in data[s] if isinstance(it, dict) and "id" in it}
    flows = [f for data in files.values() for f in data.get("flows", [])]
    bridges = _bridges(flows, scale, ids)
    bridges_written = False
    for path in sorted(source.iterdir()):
        data = files.get(path.name)
        if data is None or not (sections & set(data) or "area" in data or _names_ids(data, ids)):
            if path.is_file():
                shutil.copyfile(path, out / path.name)  # the report and its extraction
            continue
        scaled = {}
        for section, items in data.items():
            if section == "area":
                scaled[section] = _area(items, scale)
            elif section in sections:
                scaled[section] = [copy_item(it, i, ids) for i in range(scale) for it in items]
            elif isinstance(items, list):  # the report's own: once, naming copy 0
                scaled[section] = [copy_item(it, 0, ids) if isinstance(it, dict) else it
                                   for it in items]
            else:
                scaled[section] = copy_item(items, 0, ids) if isinstance(items, dict) else items
        if "flows" in scaled and not bridges_written:
            scaled["flows"] += bridges
            bridges_written = True
        if scaled.get("problems"):
            scaled["problems"] += _bridge_problems(bridges, scaled["problems"][0])
        text = yaml.dump(scaled, Dumper=_NoAliases, allow_unicode=True, sort_keys=False,
                         width=100_000)
        (out / path.name).write_text(text, encoding="utf-8")
    return out


def _names_ids(value, ids: set[str]) -> bool:
    """Whether any string in ``value`` (at any depth) is one of the area's ids."""
    if isinstance(value, str):
        return value in ids
    if isinstance(value, dict):
        return any(_names_ids(v, ids) for v in value.values())
    if isinstance(value, list):
        return any(_names_ids(v, ids) for v in value)
    return False


def _area(area: dict, scale: int) -> dict:
    """The area once: its own references point at copy 0."""
    area = dict(area)
    area["public_health_owner"] = f"{area['public_health_owner']}-0"
    area["joint_names"] = {name: [f"{x}-0" for x in members]
                           for name, members in (area.get("joint_names") or {}).items()}
    area["name"] = f"{area['name']} x{scale}"
    return area


def _bridges(flows: list[dict], scale: int, ids: set[str]) -> list[dict]:
    """Flows from each copy to the next: a tenth of the real flows, each with its evidence."""
    extra = []
    for i in range(scale - 1):
        for n, flow in enumerate(flows[: max(1, len(flows) // 10)]):
            bridge = copy_item(flow, i, ids)
            bridge.update({"id": f"bridge-{i}-{n}", "to": f"{flow['to']}-{i + 1}",
                           "expects_return": False,
                           "summary": f"{flow['summary']} (copy {i} to {i + 1})"})
            bridge.pop("returns", None)
            extra.append(bridge)
    return extra


def _bridge_problems(bridges: list[dict], model: dict) -> list[dict]:
    """One problem per copy for its failing bridges, citing what ``model`` (a problem) cites."""
    groups: dict[str, list[str]] = {}
    for bridge in bridges:
        if bridge["status"] != "working":
            groups.setdefault(bridge["id"].rsplit("-", 1)[0], []).append(bridge["id"])
    return [{**copy.deepcopy(model), "id": group, "flows": ids,
             "statement": f"Information fails between one copy of the area and the next "
                          f"({group})."} for group, ids in groups.items()]


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python tests/synthetic.py SCALE OUT_FOLDER")
    print(synthetic_model(int(sys.argv[1]), Path(sys.argv[2])))
