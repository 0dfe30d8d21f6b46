"""Word counts over many documents as numpy tallies: the shared tool of the word shift and
collocation tables.

Each distinct normalised word gets an integer id once (:class:`WordIds`), so counting a
document's words is a numpy ``unique`` over its id array instead of a Python dictionary
update per token; :class:`Tally` keeps running totals per id. Memory grows with the
vocabulary, not with the corpus: documents are counted and dropped.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from analysis.lang import LEMMATISED, SEGMENTED, document_language, resolve_language
from analysis.text import Segmented, segment

__all__ = ["WordIds", "WordFlags", "Tally", "MentionsByDoc", "mentions_by_doc", "segment_shared"]


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
    """word -> id, growing as words are seen. Shared by the tables counted in one pass
    over the documents, so each segmentation's words are looked up once for all of them:
    :meth:`encode` of the words it encoded last (the same tuple) gives that array again."""

    def __init__(self) -> None:
        super().__init__()
        self.words: list[str] = []
        self._last: tuple = (None, None)

    def __missing__(self, word: str) -> int:
        i = self[word] = len(self.words)
        self.words.append(word)
        return i

    def encode(self, words: Sequence[str]) -> np.ndarray:
        """The id of every word, in order (new words are added); read-only."""
        if words is self._last[0]:
            return self._last[1]
        ids = np.fromiter(map(self.__getitem__, words), dtype=np.int64)
        ids.flags.writeable = False
        self._last = (words, ids)
        return ids


class WordFlags:
    """``keep(word)`` of every word of a :class:`WordIds` by id (e.g. "is a content
    word", "is in the lexicon"), computed once per distinct word."""

    def __init__(self, ids: WordIds, keep: Callable[[str], bool]) -> None:
        self.ids = ids
        self._keep = keep
        self._flags = np.zeros(1024, dtype=bool)
        self._n = 0

    @property
    def array(self) -> np.ndarray:
        """The flags of every id given so far."""
        words = self.ids.words
        n = len(words)
        if n > self._n:
            if n > self._flags.size:
                self._flags = np.concatenate([self._flags,
                                              np.zeros(max(n, 2 * self._flags.size)
                                                       - self._flags.size, dtype=bool)])
            self._flags[self._n:n] = np.fromiter(map(self._keep, words[self._n:n]),
                                                 dtype=bool, count=n - self._n)
            self._n = n
        return self._flags[:n]


class Tally:
    """Running count per word id. Ids are buffered and counted in batches (one
    ``bincount`` per 65,536), so adding a document's few ids costs a list append.

    Not larger batches: a group has about three tallies per target (the word shift's
    and the collocations'), each filling to its batch size before it counts. With a
    million ids a batch, the ids held back by the view tables grew with the group's
    size, to hundreds of megabytes at 100,000 articles."""

    _FLUSH = 1 << 16

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
                self.flush()

    def flush(self) -> None:
        """Count the ids held back now."""
        if not self._pending:
            return
        added = np.bincount(np.concatenate(self._pending), minlength=self._counts.size)
        added[:self._counts.size] += self._counts
        self._counts, self._pending, self._n_pending = added, [], 0

    @property
    def counts(self) -> np.ndarray:
        self.flush()
        return self._counts

    def counter(self, words: list[str]) -> Counter:
        """The non-zero counts as a ``Counter`` of words."""
        counts = self.counts
        nonzero = np.flatnonzero(counts)
        return Counter(dict(zip([words[i] for i in nonzero], counts[nonzero].tolist(),
                                strict=True)))


class MentionsByDoc:
    """The ``target_mentions`` rows of each document, in their table order:
    ``get(doc_id)`` gives columns ``target`` (str), ``start``, ``end``, ``sentence`` (as
    the table holds them) as plain numpy arrays, so reading them per document costs no
    pandas call.

    Held compactly, for a corpus of 100,000 articles holds about 5 million mentions: one
    array per column sorted by document (each target as a small code), and where each
    document's rows are; a document's arrays are cut out when it is asked for.
    """

    def __init__(self, mentions: pd.DataFrame | None) -> None:
        self._where: dict[str, tuple[int, int]] = {}
        self._columns: dict[str, np.ndarray] = {}
        if mentions is None or mentions.empty:
            return
        docs, doc_ids = pd.factorize(mentions["doc_id"].astype(str).to_numpy(object))
        order = np.argsort(docs, kind="stable")
        ends = np.cumsum(np.bincount(docs, minlength=len(doc_ids)))
        del docs
        self._where = dict(zip(doc_ids.tolist(),
                               zip(np.r_[0, ends[:-1]].tolist(), ends.tolist(), strict=True),
                               strict=True))
        targets, names = pd.factorize(mentions["target"].astype(str).to_numpy(object))
        self._names = np.asarray(names, dtype=object)
        self._columns["target"] = targets[order].astype(
            np.min_scalar_type(max(len(names) - 1, 0)))
        for name in ("start", "end", "sentence"):
            if name in mentions.columns:
                self._columns[name] = mentions[name].to_numpy()[order]

    def __len__(self) -> int:
        return len(self._where)

    def get(self, doc_id: str, default=None) -> dict[str, np.ndarray] | None:
        where = self._where.get(doc_id)
        if where is None:
            return default
        rows = {name: column[where[0]:where[1]] for name, column in self._columns.items()}
        rows["target"] = self._names[rows["target"]]
        return rows


def mentions_by_doc(mentions) -> MentionsByDoc:
    """The mentions table (or a :class:`MentionsByDoc` made before, as it is) grouped
    by document."""
    return mentions if isinstance(mentions, MentionsByDoc) else MentionsByDoc(mentions)
