"""Apply a recorded review to an area made by 'graphmodel new': edit drafts, accept, reject, add.

The invented areas in tests/fixtures/areas were modelled this way, so their
review is on record (harbourside.py, calderbrook.py beside this file):

    graphmodel new tests/fixtures/areas/harbourside --report tests/fixtures/reports/harbourside.txt
    python benchmarks/reviews/apply_review.py tests/fixtures/areas/harbourside \
        benchmarks/reviews/harbourside.py

A review file holds EDITS (draft id -> fields to change; "quote" shortens the
first quote; None drops a field), REJECT (draft ids) and APPEND (file name ->
YAML text added by hand: flows the drafts missed, systems, not_modelled).
"""
import importlib.util
import subprocess
import sys
from pathlib import Path

from graphmodel import vocab
from graphmodel.authoring.yaml_edit import dump, round_trip
from graphmodel.model.load import load_area

folder, spec_path = Path(sys.argv[1]), sys.argv[2]
spec = importlib.util.spec_from_file_location("spec", spec_path)
s = importlib.util.module_from_spec(spec)
spec.loader.exec_module(s)
y = round_trip()
p = folder / "drafts.yaml"
data = y.load(p.read_text())
model = load_area(folder)


def summary(item) -> str:
    """The drafts' own summary, redone for the sender, receiver and status the review set."""
    name = lambda pid: model.parties[pid].item.name if pid in model.parties else pid  # noqa
    return (f"{name(item['from'])} -> {name(item['to'])}: "
            f"{vocab.PASSES[item['passes']].label} ({vocab.STATUSES[item['status']].label}).")


for item in data["drafts"]:
    edits = s.EDITS.get(item["id"], {})
    if {"from", "to", "passes", "status"} & set(edits) and "summary" not in edits:
        edits = {**edits, "summary": None}
    for k, v in edits.items():
        if k == "quote":
            item["evidence"][0]["quote"] = v
        elif k == "summary" and v is None:
            continue
        elif v is None:
            item.pop(k, None)
        else:
            item[k] = v
for item in data["drafts"]:
    edits = s.EDITS.get(item["id"], {})
    if {"from", "to", "passes", "status"} & set(edits) and "summary" not in edits:
        item["summary"] = summary(item)
p.write_text(dump(y, data))
G = str(Path(sys.executable).parent / "graphmodel")
ids = [i["id"] for i in data["drafts"]]
accept = [i for i in ids if i not in s.REJECT]
rej = [i for i in ids if i in s.REJECT]
assert set(s.REJECT) <= set(ids), set(s.REJECT) - set(ids)
if rej:
    subprocess.run([G, "drafts", "reject", *rej, "--model", str(folder)], check=True)
if accept:
    subprocess.run([G, "drafts", "accept", *accept, "--model", str(folder)], check=True)
for name, text in s.APPEND.items():
    f = folder / name
    body = f.read_text()
    section = name.removesuffix(".yaml")
    if body.rstrip().endswith(f"{section}: []"):
        body = body.rstrip()[: -len(" []")] + "\n"
    f.write_text(body.rstrip("\n") + "\n" + text)
subprocess.run([G, "validate", "--model", str(folder)], check=True)
