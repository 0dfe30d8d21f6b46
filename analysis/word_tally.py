"""Word counts over many documents as numpy tallies: the shared tool of the word shift and
collocation tables.

Each distinct normalised word gets an integer id once (:class:`WordIds`), so counting a
document's words is a numpy ``unique`` over its id array instead of a Python dictionary
update per token; :class:`Tally` keeps running totals per id. Memory grows with the
vocabulary, not with the corpus: documents are counted and dropped.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd

from analysis.lang import LEMMATISED, SEGMENTED, document_language, resolve_language
from analysis.text import Segmented, segment

__all__ = ["WordIds", "Tally", "mentions_by_doc", "segment_shared"]


def segment_shared(doc, lang: str | None) -> Segmented:
    """``segment(doc.text, lang)``, or the same words from the segmentation made for the
    document's stored language when the two languages split and normalise words alike
    (the script guess "" and a stored "en" do): keyness and collocations have made that
    one already, so the text is not split a second time."""
    lang = resolve_language(doc.text, lang)
    stored = document_language(doc)
    if ((lang in SEGMENTED) == (stored in SEGMENTED)
            and (lang in LEMMATISED) == (stored in LEMMATISED)):
        lang = stored
    return segment(doc.text, lang)


class WordIds(dict):
    """word -> id, growing as words are seen; ``flags[id]`` is ``keep(word)``, computed
    once per distinct word (e.g. "is a content word", "is in the lexicon")."""

    def __init__(self, keep: Callable[[str], bool]) -> None:
        super().__init__()
        self.words: list[str] = []
        self._keep = keep
        self._flags = np.zeros(1024, dtype=bool)

    def __missing__(self, word: str) -> int:
        i = self[word] = len(self.words)
        self.words.append(word)
        if i >= self._flags.size:
            self._flags = np.concatenate([self._flags, np.zeros(self._flags.size, bool)])
        self._flags[i] = self._keep(word)
        return i

    def encode(self, words: Iterable[str]) -> np.ndarray:
        """The id of every word, in order (new words are added)."""
        return np.fromiter(map(self.__getitem__, words), dtype=np.int64)

    @property
    def flags(self) -> np.ndarray:
        return self._flags[:len(self.words)]


class Tally:
    """Running count per word id. Ids are buffered and counted in large batches (one
    ``bincount`` per million), so adding a document's few ids costs a list append."""

    _FLUSH = 1 << 20

    def __init__(self) -> None:
        self._counts = np.zeros(0, dtype=np.int64)
        self._pending: list[np.ndarray] = []
        self._n_pending = 0

    def add(self, ids) -> None:
        """Count each id in ``ids`` (repeats count as often as they occur)."""
        ids = np.asarray(ids, dtype=np.int64)
        if ids.size:
            self._pending.append(ids)
            self._n_pending += ids.size
            if self._n_pending >= self._FLUSH:
                self._flush()

    def _flush(self) -> None:
        if not self._pending:
            return
        added = np.bincount(np.concatenate(self._pending), minlength=self._counts.size)
        added[:self._counts.size] += self._counts
        self._counts, self._pending, self._n_pending = added, [], 0

    @property
    def counts(self) -> np.ndarray:
        self._flush()
        return self._counts

    def counter(self, words: list[str]) -> Counter:
        """The non-zero counts as a ``Counter`` of words."""
        counts = self.counts
        nonzero = np.flatnonzero(counts)
        return Counter(dict(zip([words[i] for i in nonzero], counts[nonzero].tolist(),
                                strict=True)))


def mentions_by_doc(mentions: pd.DataFrame | None) -> dict[str, dict[str, np.ndarray]]:
    """The ``target_mentions`` rows of each document (as str), in their table order.

    Columns ``target`` (str), ``start``, ``end``, ``sentence`` (int64 arrays), as plain
    numpy arrays in a dict per document: reading them per document costs no pandas call.
    """
    if mentions is None or mentions.empty:
        return {}
    doc = mentions["doc_id"].astype(str).to_numpy(object)
    order = np.argsort(doc, kind="stable")
    doc = doc[order]
    columns = {"target": mentions["target"].astype(str).to_numpy(object)[order]}
    for name in ("start", "end", "sentence"):
        if name in mentions.columns:
            columns[name] = mentions[name].to_numpy(np.int64)[order]
    bounds = np.flatnonzero(doc[1:] != doc[:-1]) + 1
    starts = np.r_[0, bounds]
    ends = np.r_[bounds, doc.size]
    return {doc[a]: {k: v[a:b] for k, v in columns.items()}
            for a, b in zip(starts.tolist(), ends.tolist(), strict=True)}
