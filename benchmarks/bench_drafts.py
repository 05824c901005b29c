"""Print how much of a reviewed model the drafted flows propose, and how many drafts are wrong.

For each area: run ``graphmodel new``'s proposal on its report, and compare
its drafts with the reviewed model's flows.

- Paragraphs: of the paragraphs the reviewed flows cite, how many the
  drafts cite too (recall), and of the drafts' paragraphs, how many a
  reviewed flow cites (precision). Ids play no part, so Sefton counts too.
- Flows: a reviewed flow was proposed when a draft cites its paragraph with
  a sentence that holds one of its quotes (or is held by one); a draft that
  proposed none counts as rejected. Ids play no part: a draft's id moves
  whenever another draft takes its id first. For an area modelled with
  ``new`` (the invented ones), whose parties are ``new``'s, "as drafted": a
  draft on the flow's sentence has its sender, receiver and what passes.
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
# The drafting rules were tuned on these two untuned areas only; the other two are the
# test no one tuned to (issue 20).
TUNED_ON = ("kestrelshire", "brindleford")


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
    proposed = [f for f in flows if any(_same_sentence(d, f) for d in drafts)]
    kept = [d for d in drafts if any(_same_sentence(d, f) for f in flows)]
    exact = [f for f in proposed if any(_same_sentence(d, f) and (d.from_, d.to, d.passes) ==
                                        (f.from_, f.to, f.passes) for d in drafts)] \
        if same_ids else None
    return {"flows": len(flows), "drafts": len(drafts),
            "paragraphs_cited": len(cited), "paragraphs_drafted": len(drafted),
            "paragraph_recall": len(cited & drafted) / len(cited) if cited else 0,
            "paragraph_precision": len(cited & drafted) / len(drafted) if drafted else 0,
            "proposed": len(proposed), "kept": len(kept), "rejected": len(drafts) - len(kept),
            "as_drafted": len(exact) if exact is not None else None}


def main() -> None:
    print(f"{'area':<24} {'paragraphs: recall':>19} {'precision':>10} | {'flows':>5} "
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
        print(f"\n{'untuned':<24} {'flows':>5} {'with its status':>16} | {'failing':>7} "
              f"{'proposed':>8} {'with its status':>16}")
    for name, drafts, flows in rows:
        print_statuses(name, drafts, flows)
    if not untuned:
        return
    print("\nafter tuning: the same areas drafted now by 'new' (tuned on "
          f"{' and '.join(n.capitalize() for n in TUNED_ON)}; held out: the others)")
    after = [(_marked(name), propose((folder / "report.txt").read_text(encoding="utf-8"),
                                     folder).drafts, load_area(folder).flows)
             for name, _, folder in untuned]
    for name, drafts, flows in after:
        print_row(name, compare(drafts, flows, False))
    print(f"\n{'after':<24} {'flows':>5} {'with its status':>16} | {'failing':>7} "
          f"{'proposed':>8} {'with its status':>16} | needs_review unjustified")
    for name, drafts, flows in after:
        print_statuses(name, drafts, flows, extra=True)


def _marked(name: str) -> str:
    return name if name.lower() in TUNED_ON else f"{name} (held out)"


def unjustified(draft) -> bool:
    """A drafted status the codebook cannot justify: not what the words of its quote (or,
    for a flow judged in the next sentence, of that sentence) give, and not working on a
    sentence that says plainly the information passes (nor the outward leg of a loop
    whose answer the sentence judges)."""
    from graphmodel.authoring.bodies import sentences
    from graphmodel.model.codebook import failure_hint, quote_status
    if draft.status == "needs_review" or draft.expects_return:
        return False
    said = {s[0] for s in (quote_status(draft.quote), quote_status(sentences(draft.quote)[-1]))
            if s}
    if said:
        return draft.status not in said and not draft.returns
    return draft.status != "working" or failure_hint(draft.quote) is not None


def print_statuses(name: str, drafts, flows, extra: bool = False) -> None:
    """How many flows, and failing flows, a draft on their sentence proposes with their
    status; with ``extra``, how many drafts need review and how many have a status the
    codebook cannot justify (``unjustified``)."""
    def right(f):
        return any(_same_sentence(d, f) and d.status == f.status for d in drafts)

    failing = [f for f in flows if f.status != "working"]
    proposed = [f for f in failing if any(_same_sentence(d, f) for d in drafts)]
    good, good_failing = sum(map(right, flows)), sum(map(right, failing))
    more = (f" | {sum(d.status == 'needs_review' for d in drafts):>12} "
            f"{sum(map(unjustified, drafts)):>11}") if extra else ""
    print(f"{name:<24} {len(flows):>5} {good:>9} ({good / len(flows):.0%}) | "
          f"{len(failing):>7} {len(proposed):>8} {good_failing:>9} "
          f"({good_failing / len(failing):.0%}){more}")


def print_row(name: str, r: dict) -> None:
    as_drafted = f"{r['as_drafted']} ({r['as_drafted'] / r['flows']:.0%})" \
        if r["as_drafted"] is not None else "n/a"
    print(f"{name:<24} {r['paragraph_recall']:>12.0%} "
          f"({len_pair(r['paragraphs_cited'], r['paragraph_recall'])}) "
          f"{r['paragraph_precision']:>9.0%} | {r['flows']:>5} "
          f"{r['proposed']:>4} ({r['proposed'] / r['flows']:.0%}) {as_drafted:>11} | "
          f"{r['drafts']:>6} {r['kept']:>5} {r['rejected']:>4} "
          f"({r['rejected'] / r['drafts']:.0%})")


def len_pair(total: int, share: float) -> str:
    return f"{round(share * total)}/{total}"


if __name__ == "__main__":
    main()
