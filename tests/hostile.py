"""A hostile area: Northmoor with names made to hurt a terminal, rich or a spreadsheet.

Each party keeps its old name as an alias, so the report's owners still
resolve and the model stays valid; only what is shown changes.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from conftest import NORTHMOOR

ESC, CSI = "\x1b", "\x9b"
HOSTILE_NAMES = {
    "northmoor-ccg": '=HYPERLINK("http://evil.example","NCCG")',
    "westshire-dale": "+Westshire [/x] and Dale",
    "brightpath": "@Brightpath[/bold] [link=file:///etc/passwd]x[/link]",
    "gp-practices": f"-GP {ESC}[31mpractices{ESC}[0m",
    "northmoor-csc": f"\tCSC {CSI}2J social care \u202eevil",
    "mash": f"\rMASH {ESC}]8;;http://evil.example{ESC}\\hub{ESC}]8;;{ESC}\\",
    "camhs": "CAMHS " + "x" * 300,  # one word wider than any terminal
}
HOSTILE_SUMMARIES = {
    "gp-referral": "=1+1 GPs refer [/x] in good time.",
    "csc-outcome-to-gp": f"-Outcomes {ESC}[2J are not shared with GPs.",
}
# More for the test over every command and format (test_hostile_outputs.py): the area's
# name, and a name holding non-characters (which XML cannot carry), bidirectional
# isolates, C1 controls and a Unicode line separator.
HOSTILE_AREA_NAME = f"North{ESC}]0;pwned\amoor \u2067evil\u2069 {CSI}31m"
NON_CHARACTER_NAME = ("Brightpath \ufffe\uffff\ufdd0\U0001fffe\U0010ffff \u2066iso\u2069 "
                      "\x85\u2028x")
# What must never reach a terminal raw, and what a CSV cell must never begin with.
RAW_CONTROLS = (ESC, CSI, "\r", "\u202e")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def hostile_area(folder: Path, everything: bool = False) -> Path:
    """A copy of Northmoor in ``folder`` with the hostile names and summaries; with
    ``everything``, a hostile area name and non-characters in a name too."""
    shutil.copytree(NORTHMOOR, folder)
    parties = folder / "parties.yaml"
    data = yaml.safe_load(parties.read_text(encoding="utf-8"))
    for section in data.values():
        for party in section:
            names = {**HOSTILE_NAMES, **({"brightpath": NON_CHARACTER_NAME} if everything
                                         else {})}
            if party["id"] in names:
                party.setdefault("aliases", []).append(party["name"])
                party["name"] = names[party["id"]]
    parties.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                       encoding="utf-8")
    flows = folder / "flows.yaml"
    data = yaml.safe_load(flows.read_text(encoding="utf-8"))
    for flow in data["flows"]:
        flow["summary"] = HOSTILE_SUMMARIES.get(flow["id"], flow["summary"])
    flows.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                     encoding="utf-8")
    if everything:
        area = folder / "area.yaml"
        data = yaml.safe_load(area.read_text(encoding="utf-8"))
        data["area"]["name"] = HOSTILE_AREA_NAME
        area.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                        encoding="utf-8")
    return folder
