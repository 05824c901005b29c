"""The database's vocabulary: labels, relationship types and the query parameters.

Why a module of its own: the loader writes these labels and the Cypher
library (and Browser's style) reads them; both take them from here, and
here takes them from ``vocab``.
"""

from __future__ import annotations

from .. import vocab

ITEM = "Item"  # every node of an area; (area, id) is unique among them


PARTY = "Party"  # every kind of party also carries this label


KIND_LABELS = {**{k: v.neo4j_label for k, v in vocab.PARTY_KINDS.items()},
               "flow": "Flow", "finding": "Finding", "recommendation": "Recommendation",
               "problem": "Problem",
               "action": "Action"}


STATUS_LABELS = {s: "".join(p.capitalize() for p in s.split("_")) for s in vocab.STATUSES}


INFERRED = "Inferred"  # a flow with a party the evidence does not name (flow.inferred)


REL_TYPES = {k: v.rel_type for k, v in vocab.EDGE_TYPES.items()}


def query_parameters() -> dict:
    """What every query receives besides its settings: the vocabulary.

    From ``vocab.cypher_parameters()``, plus the words the cross-area queries
    print (national roles, what passes, scopes) and the half of the review each
    group of children belongs to, so Cypher never spells a status, a severity, a
    role or a containment type. The ranking is not among them: it is computed
    once, in Python, and the load writes the ranked problems
    (``load.problem_nodes``), so Cypher reads it.
    """
    return {**vocab.cypher_parameters(),
            "role_labels": {name: role.label for name, role in vocab.ROLES.items()},
            "passes_labels": {name: p.label for name, p in vocab.PASSES.items()},
            "scopes": list(vocab.SCOPES),
            "scope_labels": {name: s.label for name, s in vocab.SCOPES.items()},
            "halves": list(vocab.HALVES),
            "half_of": {name: c.half for name, c in vocab.CHILDREN.items()}}
