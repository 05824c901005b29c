"""The checked model of an area: its parties, flows, findings and the files they came from.

Why a module of its own: the loader builds a ``Model`` and the codebook's
rules read one; neither should have to import the other to name it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..names import NameIndex
from .report import Extraction
from .schema import (
    Action,
    Area,
    DraftFlow,
    Finding,
    Flow,
    NextSteps,
    NotModelled,
    Problem,
    Recommendation,
)
from .yamlread import line_of


@dataclass
class Party:
    """A party of any kind, with where it was defined."""

    id: str
    kind: str  # a vocab.PARTY_KINDS name
    item: Any  # the pydantic object of its kind
    source: str  # "file.yaml:line"


@dataclass
class Model:
    """A checked area model: parties, flows, findings, recommendations, actions, drafts."""

    folder: Path
    area: Area
    parties: dict[str, Party]
    flows: list[Flow]
    findings: dict[str, Finding]
    recommendations: dict[str, Recommendation]
    owners: dict[str, list[str]]  # recommendation id -> organisation ids
    sources: dict[str, str]  # item id -> "file.yaml:line"
    extraction: Extraction
    names: NameIndex
    report_path: Path
    next_steps: NextSteps | None = None
    submitters: list[str] = field(default_factory=list)  # organisation ids
    actions: list[Action] = field(default_factory=list)
    drafts: list[DraftFlow] = field(default_factory=list)
    not_modelled: list[NotModelled] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    problems: list = field(default_factory=list)  # codebook warnings (codebook.Problem)
    files: dict[str, Any] = field(default_factory=dict, repr=False)  # label -> raw data
    places: dict[str, tuple[str, tuple]] = field(default_factory=dict, repr=False)
    # flow or draft id -> the ends ("from", "to") its evidence does not name, for
    # flows the modeller marked ``inferred`` (the codebook's test, run once at load)
    inferred_ends: dict[str, list[str]] = field(default_factory=dict)
    # problems.yaml: the problems the modeller declared, or None when the area has none yet
    declared_problems: list[Problem] | None = None

    def of_kind(self, kind: str) -> list:
        """The items of one party kind, in file order."""
        return [p.item for p in self.parties.values() if p.kind == kind]

    def where(self, item_id: str, *fields: str | int) -> tuple[str, int | None]:
        """(file label, line) of an item, or of one of its fields."""
        label, loc = self.places[item_id]
        return label, line_of(self.files[label], (*loc, *fields))

    def flow(self, flow_id: str) -> Flow:
        return next(f for f in self.flows if f.id == flow_id)


@dataclass
class SourceFiles:
    """Each file's parsed model and raw data, to point problems at lines."""

    parsed: dict[str, Any] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)


def where(files: SourceFiles, label: str, loc: tuple) -> int | None:
    """The line of a field in one of the area's files (``loc``: its path of keys)."""
    return line_of(files.raw[label], loc)
