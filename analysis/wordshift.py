"""Word shift: which words make one group's tone differ from another's.

The sentiment-shift form of Gallagher et al. (2021, "Generalized word shift graphs",
EPJ Data Science 10:4), with the VADER lexicon scores the sentence sentiment uses. With
p_w^a, p_w^b the relative frequencies of lexicon word w among the lexicon words of groups
a and b, phi_w its VADER score (-4..4) and Phi^b = sum_w p_w^b phi_w the average score
of group b's sentiment words::

    Phi^a - Phi^b = sum_w (p_w^a - p_w^b) (phi_w - Phi^b)

Each term is one word's contribution, of one of four kinds relative to b's average:
a relatively positive word used more in a (``+\u2191``, raises a's tone), a positive word
used less (``+\u2193``, lowers it), a relatively negative word used more (``\u2212\u2191``,
lowers it), a negative word used less (``\u2212\u2193``, raises it).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from analysis.progress import ProgressCallback, iterate
from analysis.text import segment
from analysis.word_tally import (
    MentionsByDoc,
    Tally,
    WordFlags,
    WordIds,
    mentions_by_doc,
    segment_shared,
)

__all__ = ["WORD_SHIFT_COLUMNS", "KINDS", "word_shift", "count_lexicon_words",
           "word_shift_table", "WordShiftCounts", "SENTIMENT_SCOPE"]

#: Columns of a word shift table (and of the ``word_shift`` results table, which adds
#: ``comparison`` and ``scope`` in front).
WORD_SHIFT_COLUMNS = ("word", "score", "count_a", "count_b", "p_a", "p_b", "contribution",
                      "kind", "avg_a", "avg_b")

#: Contribution kinds, in the order of the legend, with what they mean for group a.
KINDS = {"+\u2191": "positive word used more", "\u2212\u2193": "negative word used less",
         "+\u2193": "positive word used less", "\u2212\u2191": "negative word used more"}

#: The scope of the whole-text sentiment shift; target scopes are ``"target:<id>"``.
SENTIMENT_SCOPE = "sentiment"


def _lexicon() -> dict[str, float]:
    from analysis.sentiment import vader

    return vader().lexicon


def count_lexicon_words(texts: Iterable[str], lexicon: Mapping[str, float] | None = None
                        ) -> Counter:
    """How often each lexicon word occurs in ``texts`` (lower-cased tokens)."""
    lexicon = _lexicon() if lexicon is None else lexicon
    counts: Counter = Counter()
    for text in texts:
        counts.update(w for w in segment(text).norms if w in lexicon)
    return counts


def word_shift(counts_a: Mapping[str, int], counts_b: Mapping[str, int],
               lexicon: Mapping[str, float] | None = None) -> pd.DataFrame:
    """Each lexicon word's contribution to the tone gap of a over b (b is the reference).

    Returns a DataFrame with :data:`WORD_SHIFT_COLUMNS`, the largest contributions
    (by absolute value) first; ``contribution`` sums to ``avg_a - avg_b``. Empty when a
    group has no lexicon word.
    """
    lexicon = _lexicon() if lexicon is None else lexicon
    words = sorted((set(counts_a) | set(counts_b)) & set(lexicon))
    ca = np.array([counts_a.get(w, 0) for w in words], dtype=float)
    cb = np.array([counts_b.get(w, 0) for w in words], dtype=float)
    if not words or ca.sum() == 0 or cb.sum() == 0:
        return pd.DataFrame(columns=list(WORD_SHIFT_COLUMNS))
    phi = np.array([lexicon[w] for w in words], dtype=float)
    pa, pb = ca / ca.sum(), cb / cb.sum()
    avg_a, avg_b = float(pa @ phi), float(pb @ phi)
    relative = phi - avg_b
    contribution = (pa - pb) * relative
    kind = np.where(relative >= 0, np.where(pa >= pb, "+\u2191", "+\u2193"),
                    np.where(pa >= pb, "\u2212\u2191", "\u2212\u2193"))
    table = pd.DataFrame({"word": words, "score": phi, "count_a": ca.astype(np.int64),
                          "count_b": cb.astype(np.int64), "p_a": pa, "p_b": pb,
                          "contribution": contribution, "kind": kind, "avg_a": avg_a,
                          "avg_b": avg_b})
    table = table[table["contribution"] != 0]
    order = np.lexsort((table["word"].to_numpy(), -np.abs(table["contribution"].to_numpy())))
    return table.iloc[order].reset_index(drop=True)


class WordShiftCounts:
    """Lexicon counts per group, added document by document (:meth:`add`): of whole
    documents, and per target of its mention sentences. :func:`word_shift_table` makes
    the table from them."""

    def __init__(self, mentions: pd.DataFrame | MentionsByDoc | None = None,
                 ids: WordIds | None = None) -> None:
        """``ids``: the word ids of the tables counted in the same pass (None: its own)."""
        self.by_doc = mentions_by_doc(mentions)
        self.ids = WordIds() if ids is None else ids
        self.lexical = WordFlags(self.ids, _lexicon().__contains__)
        self._groups: dict[str, tuple[Tally, dict[str, Tally]]] = {}

    def add(self, group: str, doc_id: str, doc, at: int | None = None) -> None:
        """Count ``doc`` in ``group`` (``at``, its place among the group's members, is
        not needed: the counts are sums)."""
        found = self._groups.get(group)
        if found is None:
            found = self._groups[group] = (Tally(), {})
        whole, by_target = found
        # The language of the script, as word shift always counted (see segment_shared).
        seg = segment_shared(doc, None)
        word_ids = self.ids.encode(seg.norms)
        lexical = np.flatnonzero(self.lexical.array[word_ids])
        whole.add(word_ids[lexical])
        rows = self.by_doc.get(doc_id)
        if rows is None:
            return
        # Which sentences mention each target, as one boolean row per target: a lexicon
        # word is counted for a target when its sentence is marked in the target's row.
        row_of: dict[str, int] = {}
        target_rows = [row_of.setdefault(t, len(row_of)) for t in rows["target"].tolist()]
        sentences = np.asarray(rows["sentence"], dtype=np.int64)
        lexical_sentences = np.asarray(seg.token_sentences, dtype=np.int64)[lexical]
        said = np.zeros((len(row_of), max(sentences.max(initial=-1),
                                          lexical_sentences.max(initial=-1)) + 1), dtype=bool)
        valid = sentences >= 0    # a sentence index below 0 is no token's
        said[np.asarray(target_rows)[valid], sentences[valid]] = True
        lexical_ids = word_ids[lexical]
        for target, row in row_of.items():
            tally = by_target.get(target)
            if tally is None:
                tally = by_target[target] = Tally()
            tally.add(lexical_ids[said[row, lexical_sentences]])

    def group_done(self, group: str) -> None:
        """Count the ids ``group``'s tallies hold back (up to 65,536 each): its
        tallies are kept until the table is made, after every group is read."""
        whole, by_target = self._groups.get(group, (Tally(), {}))
        for tally in (whole, *by_target.values()):
            tally.flush()

    def counted(self) -> dict[str, tuple[Counter, dict[str, Counter]]]:
        """Group -> its lexicon word counts, and per target those of its sentences."""
        words = self.ids.words
        return {g: (whole.counter(words), {t: c.counter(words) for t, c in by_target.items()})
                for g, (whole, by_target) in self._groups.items()}


def word_shift_table(corpus, comparisons: Iterable[Mapping], members: Mapping[str, list[str]],
                     mentions: pd.DataFrame | MentionsByDoc | None = None, *,
                     keep: int = 150,
                     progress: ProgressCallback | None = None,
                     counts: WordShiftCounts | None = None) -> pd.DataFrame:
    """The ``word_shift`` results table: per comparison, the sentiment shift and one
    shift per target (over the sentences mentioning it), each cut to its ``keep``
    largest contributions (``avg_a``/``avg_b`` stay those of all words).

    ``counts``: the groups' counts made already (by a pass over the documents that
    counted for other tables too); then ``corpus`` and ``mentions`` are not read."""
    lexicon = _lexicon()
    if counts is None:
        counts = WordShiftCounts(mentions)
        # Documents are read last to first: a caller that makes the collocations table
        # next, on its own (first to last), then finds the documents read last here
        # still in the segmentation cache. (An analysis counts both tables in one pass:
        # analysis.view_tables.) Counts are sums, so the order does not change them.
        for g, ids in iterate(list(members.items())[::-1], progress):
            for doc_id in ids[::-1]:
                counts.add(g, doc_id, corpus[doc_id])
            counts.group_done(g)
    counted = counts.counted()
    counted = {g: counted[g] for g in members if g in counted}
    frames = []
    for comp in comparisons:
        a, b = comp["a"], comp["b"]
        whole_a, targets_a = counted.get(a, (Counter(), {}))
        if b == "rest":
            whole_b, targets_b = Counter(), {}
            for g, (whole, targets) in counted.items():
                if g != a:
                    whole_b.update(whole)
                    for t, c in targets.items():
                        targets_b.setdefault(t, Counter()).update(c)
        else:
            whole_b, targets_b = counted.get(b, (Counter(), {}))
        scopes = [(SENTIMENT_SCOPE, whole_a, whole_b)] + [
            (f"target:{t}", targets_a.get(t, Counter()), targets_b.get(t, Counter()))
            for t in sorted(set(targets_a) | set(targets_b))]
        for scope, ca, cb in scopes:
            shift = word_shift(ca, cb, lexicon).head(keep)
            if len(shift):
                shift.insert(0, "scope", scope)
                shift.insert(0, "comparison", f"{a}|{b}")
                frames.append(shift)
    if not frames:
        return pd.DataFrame(columns=["comparison", "scope", *WORD_SHIFT_COLUMNS])
    return pd.concat(frames, ignore_index=True)
