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

    From ``vocab.cypher_parameters()`` and ``questions.recommendations.PROBLEM_WORDS``
    and ``PRAISE_WORDS``, so Cypher never spells a status, a severity or a containment
    type. The ranking is not among them: it is computed once, in Python, and the load
    writes the ranked problems (``load.problem_nodes``), so Cypher reads it.
    """
    from ..questions.recommendations import PRAISE_WORDS, PROBLEM_WORDS
    return {**vocab.cypher_parameters(), "problem_words": PROBLEM_WORDS.pattern,
            "praise_words": PRAISE_WORDS.pattern}
