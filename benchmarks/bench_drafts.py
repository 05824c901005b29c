"""Print how much of a reviewed model the drafted flows propose, and how many drafts are wrong.

For each area: run ``graphmodel new``'s proposal on its report, and compare
its drafts with the reviewed model's flows.

- Paragraphs: of the paragraphs the reviewed flows cite, how many the
  drafts cite too (recall), and of the drafts' paragraphs, how many a
  reviewed flow cites (precision). Ids play no part, so Sefton counts too.
- Flows, for an area modelled with ``new`` (the invented ones): ``drafts
  accept`` keeps a draft's id, so a reviewed flow was proposed when a draft
  has its id; a draft with no such flow was rejected. "As drafted": the
  reviewer left its sender, receiver and what passes as the draft had them.
- Flows, for Sefton (modelled by hand before ``new`` existed, so its ids
  differ): a reviewed flow was proposed when a draft cites its paragraph with
  a sentence that holds one of its quotes (or is held by one); a draft that
  proposed none counts as rejected.
- Untuned areas: reports written by someone who never saw the drafting rules,
  modelled by hand without reading their drafts. Their drafts are the ones
  ``new`` made before any tuning, kept in tests/fixtures/drafts-untuned/
  (``<area>.drafts.yaml``), not drafted again, so the figures stay those of
  the untuned rules; they are compared as Sefton is. Every such file with an
  area of the same name under tests/fixtures/areas joins the table. A second
  table says how often a draft on a flow's sentence also has its status, for
  all flows and for the failing ones (the gaps): by sentence alone, a draft
  from the wrong sender with the wrong status still "proposes" a flow.

    python benchmarks/bench_drafts.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graphmodel.authoring.drafting import Draft  # noqa: E402
from graphmodel.authoring.new_area import propose  # noqa: E402
from graphmodel.model.load import load_area  # noqa: E402
from graphmodel.model.yamlread import load_yaml  # noqa: E402
from graphmodel.names import fold  # noqa: E402

AREAS = [  # (name, report, reviewed model, built on new's ids)
    ("Sefton", ROOT / "data/sefton/report.txt", ROOT / "data/sefton", False),
    ("Harbourside", ROOT / "tests/fixtures/reports/harbourside.txt",
     ROOT / "tests/fixtures/areas/harbourside", True),
    ("Calderbrook", ROOT / "tests/fixtures/reports/calderbrook.txt",
     ROOT / "tests/fixtures/areas/calderbrook", True),
]
UNTUNED = ROOT / "tests/fixtures/drafts-untuned"


def untuned_areas() -> list[tuple[str, Path, Path]]:
    """(name, drafts file, hand model) for each area whose untuned drafts were kept."""
    areas = []
    for drafts in sorted(UNTUNED.glob("*.drafts.yaml")):
        folder = ROOT / "tests/fixtures/areas" / drafts.name.removesuffix(".drafts.yaml")
        if (folder / "area.yaml").is_file():
            areas.append((folder.name.capitalize(), drafts, folder))
    return areas


def read_drafts(path: Path) -> list[Draft]:
    """The drafts of a drafts.yaml file as ``new`` wrote them (one quote each).

    Why not load_area: the drafts name the parties ``new`` proposed, and the
    hand model renamed or removed some of them.
    """
    rows = load_yaml(path, str(path.relative_to(ROOT)))["drafts"]
    return [Draft(id=d["id"], from_=d["from"], to=d["to"], passes=d["passes"],
                  status=d["status"], summary=d["summary"],
                  paragraph=d["evidence"][0]["paragraph"], quote=d["evidence"][0]["quote"],
                  confidence=d["confidence"], why=d["why"], returns=d.get("returns"),
                  expects_return=d.get("expects_return", False)) for d in rows]


def _same_sentence(draft, flow) -> bool:
    for ev in flow.evidence:
        if ev.paragraph != draft.paragraph:
            continue
        a, b = fold(ev.quote).lower(), fold(draft.quote).lower()
        if a in b or b in a:
            return True
    return False


def compare(drafts, flows, same_ids: bool) -> dict:
    """The figures for one area (see the module docstring)."""
    cited = {e.paragraph for f in flows for e in f.evidence}
    drafted = {d.paragraph for d in drafts}
    if same_ids:
        by_id = {d.id: d for d in drafts}
        proposed = [f for f in flows if f.id in by_id]
        kept = [d for d in drafts if d.id in {f.id for f in flows}]
        exact = [f for f in proposed if (by_id[f.id].from_, by_id[f.id].to,
                                         by_id[f.id].passes) == (f.from_, f.to, f.passes)]
    else:
        proposed = [f for f in flows if any(_same_sentence(d, f) for d in drafts)]
        kept = [d for d in drafts if any(_same_sentence(d, f) for f in flows)]
        exact = None
    return {"flows": len(flows), "drafts": len(drafts),
            "paragraphs_cited": len(cited), "paragraphs_drafted": len(drafted),
            "paragraph_recall": len(cited & drafted) / len(cited) if cited else 0,
            "paragraph_precision": len(cited & drafted) / len(drafted) if drafted else 0,
            "proposed": len(proposed), "kept": len(kept), "rejected": len(drafts) - len(kept),
            "as_drafted": len(exact) if exact is not None else None}


def main() -> None:
    print(f"{'area':<12} {'paragraphs: recall':>19} {'precision':>10} | {'flows':>5} "
          f"{'proposed':>9} {'as drafted':>11} | {'drafts':>6} {'kept':>5} {'rejected':>9}")
    for name, report, folder, same_ids in AREAS:
        proposal = propose(report.read_text(encoding="utf-8"), folder)
        print_row(name, compare(proposal.drafts, load_area(folder).flows, same_ids))
    untuned = untuned_areas()
    if untuned:
        print(f"untuned: drafts made before any tuning ({UNTUNED.relative_to(ROOT)})")
    rows = [(name, read_drafts(drafts), load_area(folder).flows)
            for name, drafts, folder in untuned]
    for name, drafts, flows in rows:
        print_row(name, compare(drafts, flows, False))
    if rows:
        print(f"\n{'untuned':<12} {'flows':>5} {'with its status':>16} | {'failing':>7} "
              f"{'proposed':>8} {'with its status':>16}")
    for name, drafts, flows in rows:
        print_statuses(name, drafts, flows)


def print_statuses(name: str, drafts, flows) -> None:
    """How many flows, and failing flows, a draft on their sentence proposes with their status."""
    def right(f):
        return any(_same_sentence(d, f) and d.status == f.status for d in drafts)

    failing = [f for f in flows if f.status != "working"]
    proposed = [f for f in failing if any(_same_sentence(d, f) for d in drafts)]
    good, good_failing = sum(map(right, flows)), sum(map(right, failing))
    print(f"{name:<12} {len(flows):>5} {good:>9} ({good / len(flows):.0%}) | "
          f"{len(failing):>7} {len(proposed):>8} {good_failing:>9} "
          f"({good_failing / len(failing):.0%})")


def print_row(name: str, r: dict) -> None:
    as_drafted = f"{r['as_drafted']} ({r['as_drafted'] / r['flows']:.0%})" \
        if r["as_drafted"] is not None else "n/a"
    print(f"{name:<12} {r['paragraph_recall']:>12.0%} "
          f"({len_pair(r['paragraphs_cited'], r['paragraph_recall'])}) "
          f"{r['paragraph_precision']:>9.0%} | {r['flows']:>5} "
          f"{r['proposed']:>4} ({r['proposed'] / r['flows']:.0%}) {as_drafted:>11} | "
          f"{r['drafts']:>6} {r['kept']:>5} {r['rejected']:>4} "
          f"({r['rejected'] / r['drafts']:.0%})")


def len_pair(total: int, share: float) -> str:
    return f"{round(share * total)}/{total}"


if __name__ == "__main__":
    main()
