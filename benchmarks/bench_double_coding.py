"""How far a blind second coder agrees with the model: flows per paragraph, status, loops,
inferred parties and, when the coder wrote problems, their scope.

    python benchmarks/bench_double_coding.py tests/fixtures/double-coding/round1

The coder saw only the report and docs/modelling.md (tests/fixtures/double-coding/README.md).
Its parties are mapped to the model's by every name it gives them (the model's names and
aliases), then by ``party-map.yaml`` (in the round's folder, else beside the rounds: the
lead's mapping of names the model does not know).
Two flows match when they cite a paragraph in common and join the same two parties (or,
for a liaison coded once in each direction, the same two parties either way round), their
organisations standing in for them when the parties differ; what passes breaks ties.
Figures: Cohen's kappa on status over matched flows (and on whether the information
passes at all), agreement on which flows are returns and which infer a party, and on
scope for problems matched by their flows.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graphmodel import vocab  # noqa: E402
from graphmodel.model.checks import problem_flows  # noqa: E402
from graphmodel.model.load import load_area  # noqa: E402
from graphmodel.questions.graph import build_graph  # noqa: E402
from graphmodel.questions.parties import organisation_of  # noqa: E402


def kappa(pairs: list[tuple[str, str]]) -> float:
    """Cohen's kappa of two coders' labels for the same items."""
    n = len(pairs)
    if not n:
        return float("nan")
    observed = sum(a == b for a, b in pairs) / n
    left, right = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(left[k] * right[k] for k in left) / (n * n)
    return 1.0 if expected == 1 else (observed - expected) / (1 - expected)


def share(hits: int, total: int) -> str:
    """A percentage of a count, or n/a of none."""
    return f"{hits / total:.0%}" if total else "n/a"


def party_map(model, coded: list[dict], manual: dict) -> dict[str, set[str]]:
    """Coder party id -> the model's party ids it stands for."""
    out = {}
    for party in coded:
        ids: set[str] = set()
        for name in [party["name"], *party.get("names", [])]:
            ids |= set(model.names.resolve(name) or [])
        if not ids and manual.get(party["id"]):
            ids = {manual[party["id"]]}
        out[party["id"]] = ids
    return out


def end_score(G, model_party: str, coder_parties: set[str]) -> int:
    """2: the same party; 1: the same organisation; 0: neither."""
    if model_party in coder_parties:
        return 2
    org = organisation_of(G, model_party)
    return 1 if any(organisation_of(G, p) == org for p in coder_parties if p in G) else 0


def pair_score(G, m: dict, c: dict, ends: dict[str, set[str]]) -> int:
    straight = (end_score(G, m["from"], ends[c["from"]]), end_score(G, m["to"], ends[c["to"]]))
    crossed = (end_score(G, m["from"], ends[c["to"]]), end_score(G, m["to"], ends[c["from"]]))
    best = max((s for s in (straight, crossed) if all(s)), key=sum, default=None)
    if best is None:
        return 0
    return 10 * sum(best) + (1 if m["passes"] == c["passes"] else 0)


def match(G, model_flows: list[dict], coded: list[dict], ends) -> list[tuple[dict, dict]]:
    """Greedy one-to-one matching of flows that share a paragraph, best pairs first."""
    candidates = []
    for m in model_flows:
        m_paras = {e["paragraph"] for e in m["evidence"]}
        for c in coded:
            if m_paras & {e["paragraph"] for e in c["evidence"]}:
                score = pair_score(G, m, c, ends)
                if score:
                    candidates.append((score, m["id"], c["id"], m, c))
    used_m, used_c, pairs = set(), set(), []
    for _, mid, cid, m, c in sorted(candidates, key=lambda x: (-x[0], x[1], x[2])):
        if mid not in used_m and cid not in used_c:
            used_m.add(mid)
            used_c.add(cid)
            pairs.append((m, c))
    return pairs


def measure(folder: Path, area: Path) -> dict:
    model = load_area(area, warnings=False)
    G = build_graph(model)
    coded = yaml.safe_load((folder / "flows.yaml").read_text(encoding="utf-8"))["flows"]
    parties = yaml.safe_load((folder / "parties.yaml").read_text(encoding="utf-8"))["parties"]
    mapping = folder / "party-map.yaml"  # a round's own map, else the one beside the rounds
    mapping = mapping if mapping.is_file() else folder.parent / "party-map.yaml"
    manual = yaml.safe_load(mapping.read_text(encoding="utf-8"))
    ends = party_map(model, parties, manual or {})
    flows = [{"id": f.id, "from": f.from_, "to": f.to, "passes": f.passes, "status": f.status,
              "returns": f.returns, "inferred": bool(f.inferred),
              "evidence": [e.model_dump() for e in f.evidence]} for f in model.flows]
    pairs = match(G, flows, coded, ends)
    findings = [p for p in model.findings]
    model_cites = {e["paragraph"] for f in flows for e in f["evidence"]}
    coder_cites = {e["paragraph"] for f in coded for e in f["evidence"]}
    out = {
        "model flows": len(flows), "coder flows": len(coded), "matched": len(pairs),
        "model flows matched": share(len(pairs), len(flows)),
        "coder flows matched": share(len(pairs), len(coded)),
        "paragraphs with flows (model, coder, both)": (
            len(model_cites & set(findings)), len(coder_cites & set(findings)),
            len(model_cites & coder_cites & set(findings))),
        "paragraph kappa (has flows)": round(kappa(
            [(p in model_cites, p in coder_cites) for p in findings]), 2),
        "status agreement": share(sum(m["status"] == c["status"] for m, c in pairs), len(pairs)),
        "status kappa": round(kappa([(m["status"], c["status"]) for m, c in pairs]), 2),
        "passes-at-all kappa": round(kappa(
            [(vocab.STATUSES[m["status"]].happens, vocab.STATUSES[c["status"]].happens)
             for m, c in pairs]), 2),
        "return agreement": share(sum(bool(m["returns"]) == bool(c.get("returns"))
                                      for m, c in pairs), len(pairs)),
        "inferred agreement": share(sum(m["inferred"] == bool(c.get("inferred"))
                                        for m, c in pairs), len(pairs)),
        "status confusions": Counter(f"{m['status']}->{c['status']}" for m, c in pairs
                                     if m["status"] != c["status"]).most_common(),
    }
    out.update(_problems(folder, model, pairs))
    out["_disagreements"] = disagreements(flows, coded, pairs)
    return out


def disagreements(flows: list[dict], coded: list[dict], pairs) -> list[str]:
    """Every disagreement, one line each, for the reconciliation (decisions.md)."""
    matched_m = {m["id"] for m, _ in pairs}
    matched_c = {c["id"] for _, c in pairs}
    para = lambda f: ",".join(dict.fromkeys(e["paragraph"] for e in f["evidence"]))  # noqa: E731
    out = [f"model only: {f['id']} ({f['status']}; {para(f)})" for f in flows
           if f["id"] not in matched_m]
    out += [f"coder only: {c['id']} ({c['status']}; {para(c)})" for c in coded
            if c["id"] not in matched_c]
    for m, c in pairs:
        if m["status"] != c["status"]:
            out.append(f"status: {m['id']} {m['status']} / {c['id']} {c['status']} ({para(m)})")
        if bool(m["returns"]) != bool(c.get("returns")):
            out.append(f"return: {m['id']} returns {m['returns']} / {c['id']} returns "
                       f"{c.get('returns')} ({para(m)})")
        if m["inferred"] != bool(c.get("inferred")):
            out.append(f"inferred: {m['id']} {m['inferred']} / {c['id']} "
                       f"{bool(c.get('inferred'))} ({para(m)})")
    return out


def _problems(folder: Path, model, pairs) -> dict:
    """Scope agreement for problems whose flows match, when the coder wrote problems."""
    path = folder / "problems.yaml"
    if not path.is_file() or model.declared_problems is None:
        return {}
    coded = yaml.safe_load(path.read_text(encoding="utf-8"))["problems"]
    to_model = {c["id"]: m["id"] for m, c in pairs}
    needed = problem_flows(model.flows)
    owner = {f: p for p in model.declared_problems for f in p.flows}
    scope_pairs, children, same_grouping = [], [], 0
    for problem in coded:
        mine = [owner[to_model[f]] for f in problem["flows"] if to_model.get(f) in owner]
        if not mine:
            continue
        best = Counter(p.id for p in mine).most_common(1)[0][0]
        declared = next(p for p in model.declared_problems if p.id == best)
        scope_pairs.append((declared.scope.is_, problem["scope"]["is"]))
        children.append(({c.is_ for c in declared.children},
                         {c["is"] for c in problem.get("children", [])}))
        same_grouping += len(set(p.id for p in mine)) == 1
    coder_owner = {f: p["id"] for p in coded for f in p["flows"]}
    grouped = _pairs_grouped_alike(
        [(owner[to_model[c]].id, coder_owner[c]) for c in to_model
         if to_model[c] in owner and c in coder_owner])
    return {"coder problems": len(coded), "model problems": len(model.declared_problems),
            "problems matched by flows": len(scope_pairs),
            "matched problems whose flows the model also keeps together":
                f"{same_grouping}/{len(scope_pairs)}",
            "flow pairs kept together by the other coder too": grouped,
            "scope agreement": share(sum(a == b for a, b in scope_pairs), len(scope_pairs)),
            "scope kappa": round(kappa(scope_pairs), 2),
            "children: the same groups": share(sum(a == b for a, b in children), len(children)),
            "children: mean overlap (Jaccard)": round(
                sum(len(a & b) / len(a | b) for a, b in children if a | b) / len(children), 2)
            if children else "n/a",
            "flows that make a problem (model)": len(needed)}


def _pairs_grouped_alike(owners: list[tuple[str, str]]) -> str:
    """Of the pairs of flows one coder puts in one problem, the share the other also does
    (model's pairs first, then the coder's): a stricter figure than all pairs alike, which
    the many pairs both keep apart would swell."""
    pairs = [(a, b) for i, a in enumerate(owners) for b in owners[i + 1:]]
    model_together = [(a, b) for a, b in pairs if a[0] == b[0]]
    coder_together = [(a, b) for a, b in pairs if a[1] == b[1]]
    return (f"{share(sum(a[1] == b[1] for a, b in model_together), len(model_together))} of "
            f"the model's {len(model_together)}, "
            f"{share(sum(a[0] == b[0] for a, b in coder_together), len(coder_together))} of "
            f"the coder's {len(coder_together)}")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    folder = Path(args[0] if args else ROOT / "tests" / "fixtures" / "double-coding" / "round1")
    area = Path(args[1]) if len(args) > 1 else ROOT / "data" / "sefton"
    figures = measure(folder, area)
    lines = figures.pop("_disagreements")
    for key, value in figures.items():
        print(f"{key}: {value}")
    if "--disagreements" in sys.argv:
        print(f"\n{len(lines)} disagreements:")
        print("\n".join(lines))
