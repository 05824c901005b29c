"""Make a synthetic area N times the size of a real one, for benchmarks and tests.

Each copy of the source area's parties and flows gets its ids suffixed
("camhs-7") and its names numbered, so every copy validates on its own; the
report, findings and recommendations stay the same (they belong to the
report), and recommendation owners resolve to copy 0. Extra flows join each
copy to the next, so paths and betweenness cross copies as in a large region.

    python benchmarks/synthetic.py 10 /tmp/sefton-x10
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graphmodel.paths import default_model_dir  # noqa: E402
from graphmodel.schema import PARTY_SECTIONS  # noqa: E402

REF_FIELDS = ("part_of", "operator", "provider", "subcontracted_from", "hosted_by",
              "from", "to", "returns")
REF_LISTS = ("coordinates", "commissioners", "sites", "used_by")


def _rename(item: dict, i: int, ids: set[str]) -> dict:
    """One copy of an item: ids that point inside the area get suffix -i."""
    out = dict(item)
    sfx = lambda ref: f"{ref}-{i}" if ref in ids else ref  # noqa: E731
    out["id"] = f"{item['id']}-{i}"
    for key in REF_FIELDS:
        if out.get(key):
            out[key] = sfx(out[key])
    for key in REF_LISTS:
        if out.get(key):
            out[key] = [sfx(r) for r in out[key]]
    if "name" in out and i:  # copy 0 keeps the report's names, which owners use
        out["name"] = f"{item['name']} ({i})"
    if i:  # names must stay unique: only copy 0 keeps the report's aliases
        out.pop("aliases", None)
        out.pop("misnamed_as", None)
    if "summary" in out and i:
        out["summary"] = f"{item['summary']} (copy {i})"
    return out


def synthetic_model(scale: int, out: Path, source: Path | None = None) -> Path:
    """Write an area folder ``scale`` times the size of ``source``; returns it."""
    source = Path(source or default_model_dir())
    yaml = YAML(typ="safe")
    sections: dict[str, list] = {s: [] for s in [*PARTY_SECTIONS, "flows"]}
    area = None
    for path in sorted(source.glob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8")) or {}
        area = data.get("area", area)
        for section in sections:
            sections[section] += data.get(section, [])
    ids = {item["id"] for items in sections.values() for item in items}
    model = {s: [_rename(it, i, ids) for i in range(scale) for it in items]
             for s, items in sections.items()}
    model["flows"] += _bridges(sections["flows"], scale)
    area = dict(area)
    area["public_health_owner"] = f"{area['public_health_owner']}-0"
    area["joint_names"] = {name: [f"{x}-0" for x in members]
                           for name, members in area.get("joint_names", {}).items()}
    area["name"] = f"{area['name']} x{scale}"
    out.mkdir(parents=True, exist_ok=True)
    for name in (area.get("report", "report.txt"), area.get("extraction", "extracted.yaml")):
        shutil.copyfile(source / name, out / name)
    dump = YAML()
    dump.width = 100_000
    # Copies share evidence objects; anchors and aliases would trip the loader's bound
    # on alias expansion (a YAML bomb guard), so write every value out.
    dump.representer.ignore_aliases = lambda *args: True
    with open(out / "model.yaml", "w", encoding="utf-8") as fh:
        dump.dump({"area": area, **model}, fh)
    return out


def _bridges(flows: list[dict], scale: int) -> list[dict]:
    """Flows from each copy to the next, reusing real flows' evidence."""
    extra = []
    for i in range(scale - 1):
        for n, flow in enumerate(flows[: max(1, len(flows) // 10)]):
            extra.append({**flow, "id": f"bridge-{i}-{n}", "from": f"{flow['from']}-{i}",
                          "to": f"{flow['to']}-{i + 1}", "returns": None,
                          "expects_return": False,
                          "summary": f"{flow['summary']} (copy {i} to {i + 1})"})
    return [{k: v for k, v in f.items() if v is not None} for f in extra]


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python benchmarks/synthetic.py SCALE OUT_FOLDER")
    print(synthetic_model(int(sys.argv[1]), Path(sys.argv[2])))
