"""Detail tables behind the visual views (term map, word shift, collocations), added to
the results beside the tables of :func:`analysis.compare.build_results`."""
from __future__ import annotations

import pandas as pd

from analysis.compare import NO_GROUP

__all__ = ["view_tables", "group_members", "VIEW_TABLES", "TEXT_TABLES"]

#: The view tables, in the order they are added to the results.
VIEW_TABLES = ("term_map", "word_shift", "collocations")
#: Those of them that read the texts (the term map reads only the term counts).
TEXT_TABLES = ("word_shift", "collocations")


#: How many documents the view tables read between counting the ids their tallies hold
#: back (:class:`analysis.word_tally.Tally`): the groups are read interleaved, each with
#: tallies of its own, and what they hold back stays bounded by what this many documents
#: add.
_FLUSH_EVERY = 1024


def group_members(labels: pd.Series) -> dict[str, list[str]]:
    """Group name -> its document ids, in corpus order (documents without a group left out)."""
    members: dict[str, list[str]] = {}
    for doc_id, group in labels.items():
        if group != NO_GROUP:
            members.setdefault(str(group), []).append(str(doc_id))
    return dict(sorted(members.items()))


def view_tables(corpus, labels: pd.Series, config, inputs, outputs: dict,
                data: dict, names: tuple[str, ...] = VIEW_TABLES) -> dict[str, pd.DataFrame]:
    """The ``term_map`` table (every term of every comparison) and the ``word_shift``
    table (the words behind each comparison's tone gaps) and the ``collocations`` table
    (what each group says around each target); only those in ``names``.

    The two tables that read the texts count them in one pass, each text read and
    segmented once for both."""
    from analysis.collocations import CollocationCounts, collocations
    from analysis.termmap import term_map_tables
    from analysis.word_tally import WordIds, mentions_by_doc
    from analysis.wordshift import WordShiftCounts, word_shift_table

    members = group_members(labels)
    comparisons = data.get("comparisons") or []
    out = {}
    if "term_map" in names:
        out["term_map"] = term_map_tables(outputs["terms"], comparisons, members,
                                          prior_strength=config.keyness.prior_strength)
    if not set(TEXT_TABLES) & set(names):
        return out
    # The mentions grouped by document once, for both tables.
    by_doc = mentions_by_doc(outputs["targets"].mentions)
    ids = WordIds()   # one lookup of each document's words for both
    shift = WordShiftCounts(by_doc, ids=ids) if "word_shift" in names else None
    near = CollocationCounts(by_doc, ids=ids) if "collocations" in names else None
    counting = [c for c in (shift, near) if c is not None]
    # The documents are read from the last to the first. Where the topics and term counts
    # were fitted just before in this process (the side process of a corpus stage), they
    # read the texts first to last, and the segmentation cache (analysis.text.segment)
    # holds the last 8,192 of them: read backwards, all of those are found there before
    # the first is segmented again. Read group by group, as before, the groups' members
    # interleave in the corpus and the cache's own order evicted most of them first
    # (6,808 of 10,000 articles segmented again, now 1,808). The counts are sums, the
    # same in any order; ``at`` (a document's place among its group's members) keeps the
    # collocations' order of targets that of a reading first to last.
    at = {group: len(ids) for group, ids in members.items()}
    for n, (doc_id, group) in enumerate(reversed(list(labels.items())), start=1):
        if group == NO_GROUP:
            continue
        group, doc_id = str(group), str(doc_id)
        at[group] -= 1
        doc = corpus[doc_id]
        for counts in counting:
            counts.add(group, doc_id, doc, at=at[group])
        if n % _FLUSH_EVERY == 0:
            _flush(counting, members)
    _flush(counting, members)
    if shift is not None:
        out["word_shift"] = word_shift_table(corpus, comparisons, members, counts=shift)
    if near is not None:
        out["collocations"] = collocations(corpus, None, members, counts=near)
    return out


def _flush(counting: list, members: dict) -> None:
    for counts in counting:
        for group in members:
            counts.group_done(group)
