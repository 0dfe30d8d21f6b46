"""Detail tables behind the visual views (term map, word shift, collocations), added to
the results beside the tables of :func:`analysis.compare.build_results`."""
from __future__ import annotations

import pandas as pd

from analysis.compare import NO_GROUP

__all__ = ["view_tables", "group_members"]


def group_members(labels: pd.Series) -> dict[str, list[str]]:
    """Group name -> its document ids, in corpus order (documents without a group left out)."""
    members: dict[str, list[str]] = {}
    for doc_id, group in labels.items():
        if group != NO_GROUP:
            members.setdefault(str(group), []).append(str(doc_id))
    return dict(sorted(members.items()))


def view_tables(corpus, labels: pd.Series, config, inputs, outputs: dict,
                data: dict) -> dict[str, pd.DataFrame]:
    """The ``term_map`` table (every term of every comparison) and the ``word_shift``
    table (the words behind each comparison's tone gaps) and the ``collocations`` table
    (what each group says around each target)."""
    from analysis.collocations import collocations
    from analysis.termmap import term_map_tables
    from analysis.wordshift import word_shift_table

    members = group_members(labels)
    comparisons = data.get("comparisons") or []
    return {"term_map": term_map_tables(outputs["terms"], comparisons, members,
                                        prior_strength=config.keyness.prior_strength),
            "word_shift": word_shift_table(corpus, comparisons, members,
                                           outputs["targets"].mentions),
            "collocations": collocations(corpus, outputs["targets"].mentions, members)}
