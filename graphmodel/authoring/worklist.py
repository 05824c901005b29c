"""The modelling worklist: what a modeller still has to do before an area is finished.

Why: a report has a hundred and more findings; nothing else says which ones
still need flows, which drafts wait for review, which providers have no
services, and which recommendations no flow reaches. Each item is either
work (``action`` says what to do) or explained (``explained`` says why it
may stay as it is: a ``not_modelled`` entry, or what the model already holds).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..model.codebook import INFORMATION_WORDS, commissioners_of, lineage

if TYPE_CHECKING:
    from ..model.types import Model

# Organisations that should provide or commission a service in the model.
SERVICE_KINDS = ("commissioner", "nhs_provider", "voluntary_provider")
KINDS = ("finding", "draft", "organisation", "recommendation")


def _row(kind: str, ident: str, what: str, action: str, explained: str | None = None) -> dict:
    return {"kind": kind, "id": ident, "what": what, "action": None if explained else action,
            "explained": explained}


def _waived(model: Model, attr: str) -> dict[str, str]:
    return {getattr(n, attr): n.why for n in model.not_modelled if getattr(n, attr)}


def unmodelled_findings(model: Model) -> list[dict]:
    """Findings that speak of information passing that no flow or draft cites."""
    cited = {e.paragraph for f in [*model.flows, *model.drafts] for e in f.evidence}
    waived = _waived(model, "paragraph")
    rows = []
    for fid, finding in model.findings.items():
        words = INFORMATION_WORDS.search(finding.text)
        if fid in cited or not words:
            continue
        rows.append(_row("finding", fid, f"speaks of information passing ({words.group(0)!r}); "
                         "no flow or draft cites it",
                         "model its flows, or explain it in not_modelled (paragraph:)",
                         waived.get(fid) and f"not_modelled: {waived[fid]}"))
    return rows


def drafts_to_review(model: Model) -> list[dict]:
    """Every draft still in drafts.yaml."""
    return [_row("draft", d.id, f"{d.from_} -> {d.to}: {d.passes}, {d.status} "
                 f"({d.confidence} confidence, {d.evidence[0].paragraph})",
                 "review it, then accept or reject it") for d in model.drafts]


def organisations_without_services(model: Model) -> list[dict]:
    """Providers and commissioners that provide, sub-contract or commission no service."""
    busy: set[str] = set()
    for service in model.of_kind("service"):
        busy |= {service.provider, service.subcontracted_from, *service.commissioners}
    waived = _waived(model, "party")
    rows = []
    for org in model.of_kind("organisation"):
        if org.kind not in SERVICE_KINDS or org.id in busy:
            continue
        explained = waived.get(org.id) and f"not_modelled: {waived[org.id]}"
        if not explained and getattr(org, "coordinates", None):
            explained = f"co-ordinating commissioner for {', '.join(org.coordinates)}"
        rows.append(_row("organisation", org.id, f"{org.name} ({org.kind.replace('_', ' ')}) "
                         "has no services", "add its services, or explain it in "
                         "not_modelled (party:)",
                         explained))
    return rows


def recommendations_without_flows(model: Model) -> list[dict]:
    """Recommendations none of whose owners (or what they commission) sends or receives a flow."""
    near: set[str] = set()
    for flow in [*model.flows, *model.drafts]:
        for pid in (flow.from_, flow.to):
            for party in lineage(model, pid):
                near.add(party)
                near |= commissioners_of(model, party)
    waived = _waived(model, "recommendation")
    rows = []
    for rid, owners in model.owners.items():
        if set(owners) & near:
            continue
        rows.append(_row("recommendation", rid, f"no flow or draft involves its owners "
                         f"({', '.join(owners)})", "model its findings' flows, or explain it "
                         "in not_modelled (recommendation:)",
                         waived.get(rid) and f"not_modelled: {waived[rid]}"))
    return rows


def worklist(model: Model) -> list[dict]:
    """Every item, work first then explained, each kind in report or file order."""
    rows = [*unmodelled_findings(model), *drafts_to_review(model),
            *organisations_without_services(model), *recommendations_without_flows(model)]
    return sorted(rows, key=lambda r: r["explained"] is not None)
