"""Distinctive vocabulary (keyness) between two groups of documents.

:class:`TermCounter` turns a corpus into a sparse document x term count matrix of
n-grams (phrases never span sentence ends or punctuation), keeping only terms used in at
least ``min_docs`` documents of the whole corpus. :func:`compare` scores every term with
the log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008),
and reports Log Ratio (Hardie 2014), two-term log-likelihood G2 (Rayson & Garside 2000),
raw counts, dispersion over documents and outlets, and a document-level Mann-Whitney test.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np
import pandas as pd
from scipy import sparse

from analysis.base import Analyzer
from analysis.corpus import Corpus
from analysis.lang import (
    LEMMATISED,
    SEGMENTED,
    document_language,
    reads_plain_words,
    resolve_language,
)
from analysis.progress import ProgressCallback, iterate, wrap_progress
from analysis.stats import mann_whitney_p
from analysis.stopwords import is_phrase_edge_stopword
from analysis.stopwords import stopwords as default_stopwords

# The very regex and word key that analysis.text.phrase_chunks uses, so that the words
# and phrase breaks read here are its runs (tests/analysis/test_term_encoding.py).
from analysis.text import _WORD_OR_BREAK, _key_function, phrase_chunks, segment

__all__ = ["TermCounts", "TermCounter", "KeynessResult", "KEYNESS_COLUMNS",
           "KEYNESS_METHOD", "log_odds_dirichlet", "log_ratio", "g2", "compare"]

#: Columns of every keyness table, in order.
KEYNESS_COLUMNS = ("term", "z", "log_ratio", "g2", "count_a", "count_b", "docs_a", "docs_b",
                   "outlets_a", "outlets_b", "freq_a", "freq_b", "p_doc")

KEYNESS_METHOD = "log-odds ratio, informative Dirichlet prior (Monroe et al. 2008)"


@dataclass(frozen=True)
class TermCounts:
    """Term counts of a corpus.

    Attributes
    ----------
    matrix : scipy.sparse.csr_matrix
        Shape (n_documents, n_terms), integer counts (int32; sums over documents are
        taken in int64).
    terms : list of str
        The n-gram of each column (lower case, space-joined).
    doc_ids : list of str
        The document of each row.
    n_words : numpy.ndarray
        Word tokens per document (the base of relative frequencies).
    """

    matrix: sparse.csr_matrix
    terms: list[str]
    doc_ids: list[str]
    n_words: np.ndarray


# N-gram keys pack up to three word ids (+1, so 0 means "no word") into one int64,
# 21 bits each: counting becomes numpy sorting instead of Python string dictionaries.
_BITS = 21
_MAX_TYPES = (1 << _BITS) - 1      # distinct words the vocabulary can index (id 0 unknown)
_MERGE_EVERY = 4_000_000           # pending keys before merging into the running totals


class TermCounter(Analyzer):
    """Counts n-gram terms per document, with a dispersion filter and a stop-word policy.

    Parameters
    ----------
    ngram_max : int
        Longest phrase counted, 1 to 3 words.
    min_docs : int
        Dispersion filter: a term is kept only when it occurs in at least this many
        documents of the corpus given to :meth:`fit`.
    stopwords : str or iterable of str or None
        ``"keep-function-markers"`` (default): the packaged function-word list
        (:mod:`analysis.stopwords`); modals and negation stay. An iterable gives your
        own list; ``None`` or ``"none"`` keeps every term. Stop words never form a term
        alone nor start or end a phrase, but may sit inside one. Tokens without a letter
        (numbers) are treated the same way.

    Attributes
    ----------
    terms_ : list of str
        The vocabulary, alphabetical. Words of a lemmatised language (Russian) are counted
        by lemma and shown in their most frequent surface form ("партнёрства").
    """

    section = ""

    def __init__(self, ngram_max: int = 3, min_docs: int = 2,
                 stopwords: str | Iterable[str] | None = "keep-function-markers") -> None:
        self.ngram_max = ngram_max
        self.min_docs = min_docs
        self.stopwords = stopwords if isinstance(stopwords, (str, type(None))) else tuple(stopwords)

    def _stop_set(self) -> frozenset[str]:
        if self.stopwords is None or self.stopwords == "none":
            return frozenset()
        if self.stopwords == "keep-function-markers":
            return default_stopwords()
        if isinstance(self.stopwords, str):
            raise ValueError(f"unknown stop-word policy {self.stopwords!r} (use "
                             "'keep-function-markers', 'none' or a list of words)")
        return frozenset(w.lower() for w in self.stopwords)

    def _check(self) -> None:
        if not 1 <= int(self.ngram_max) <= 3:
            raise ValueError(f"ngram_max must be 1, 2 or 3 (got {self.ngram_max})")

    # -- fitting ------------------------------------------------------------------------
    def fit(self, corpus: Corpus, progress: ProgressCallback | None = None) -> TermCounter:
        """Learn the vocabulary: terms used in at least ``min_docs`` documents."""
        self._fit(corpus, progress, None)
        return self

    def _fit(self, corpus: Corpus, progress: ProgressCallback | None,
             store: list[tuple[np.ndarray, int]] | None) -> int:
        """Learn the vocabulary (into ``store``, each document's words, when given);
        returns the number of distinct grams summed over the documents, at least the
        entries of their count matrix."""
        self._check()
        word_ids = _WordIds(self._stop_set())
        lookup = word_ids.__getitem__  # no Python call for a word seen before
        keys_total = np.empty(0, dtype=np.int64)
        df_total = np.empty(0, dtype=np.int64)
        pending: list[np.ndarray] = []
        n_pending = n_grams = 0

        def merge() -> None:
            nonlocal keys_total, df_total, pending, n_pending
            keys_total, df_total = _merge_counts(keys_total, df_total, pending)
            pending, n_pending = [], 0

        surfaces: dict[str, dict[str, int]] = {}
        for doc in iterate(corpus.documents, progress, every=20):
            lang = document_language(doc)
            if lang in LEMMATISED:
                _count_surfaces(doc.text, lang, surfaces)
            packed, n_words = _encode(doc.text, lookup, lang)
            if store is not None:
                store.append((packed.astype(np.int32), n_words))
            keys = _unique(_gram_keys(packed, None, word_ids.bad, self.ngram_max))
            pending.append(keys)
            n_pending += keys.size
            n_grams += keys.size
            if n_pending >= _MERGE_EVERY:
                merge()
        if pending:
            merge()
        kept = keys_total[df_total >= self.min_docs]
        shown = _representative(surfaces)
        words_by_id = np.array([shown.get(w, w) for w in word_ids], dtype=object)
        terms = [_decode(k, words_by_id) for k in kept.tolist()]
        order = sorted(range(len(terms)), key=terms.__getitem__)
        self.terms_ = [terms[i] for i in order]
        self.keys_ = kept                                   # sorted, for searchsorted
        column = np.empty(len(order), dtype=np.int64)
        column[np.asarray(order, dtype=np.int64)] = np.arange(len(order))
        self.columns_ = column                              # key position -> column
        self.word_ids_ = word_ids
        self.bad_edge_ = word_ids.bad[:len(word_ids)].copy()
        return n_grams

    def fit_transform(self, corpus: Corpus, progress: ProgressCallback | None = None) -> TermCounts:
        """Fit and count, tokenising each text once (same result as fit then transform)."""
        encoded = self.fit_encoded(corpus, wrap_progress(progress, 0.0, 0.7))
        return self.count_encoded(encoded, corpus, wrap_progress(progress, 0.7, 1.0))

    def fit_encoded(self, corpus: Corpus,
                    progress: ProgressCallback | None = None) -> list[tuple[np.ndarray, int]]:
        """Fit, and give each document's words as read (for :meth:`count_encoded`, and
        :meth:`words_read` meanwhile)."""
        encoded: list[tuple[np.ndarray, int]] = []
        self._n_grams = self._fit(corpus, progress, encoded)
        return encoded

    def words_read(self, encoded: list[tuple[np.ndarray, int]], corpus: Corpus):
        """Per document of ``corpus`` (as fitted, ``encoded`` by :meth:`fit_encoded`):
        the ids of its words in order (:attr:`word_ids_`), where they are the words
        :func:`analysis.text.words` reads from its text, as a list; else its text.

        They are, when the text and the language of its script are both read as plain
        words (neither lemmatised nor segmented): the term counts read the words of the
        text's sentences, and no word crosses a sentence's edge, nor lies between two
        sentences unless it is a run of "_" (see ``Segmented.word_norms``). Every word
        had an id unless the vocabulary overflowed (then every document gives its text).
        """
        whole = len(self.word_ids_) < _MAX_TYPES
        for doc, (packed, _) in zip(corpus.documents, encoded, strict=True):
            text = doc.text
            if (whole and "_" not in text and reads_plain_words(resolve_language(text, None))
                    and reads_plain_words(resolve_language(text, document_language(doc)))):
                yield packed[packed != 0].tolist()   # 0: a break between phrase chunks
            else:
                yield text

    def count_encoded(self, encoded: list[tuple[np.ndarray, int]], corpus: Corpus,
                      progress: ProgressCallback | None = None) -> TermCounts:
        """The counts of the fitted documents, from :meth:`fit_encoded` (``encoded`` is
        emptied)."""
        # Each document's words are dropped once counted, as its row of the matrix grows.
        encoded.reverse()
        taken = (encoded.pop() for _ in range(len(encoded)))
        return self._count(((ids, None, n) for ids, n in
                            iterate(taken, progress, total=len(encoded), every=20)),
                           corpus, capacity=self._n_grams)

    # -- counting -----------------------------------------------------------------------
    def transform(self, corpus: Corpus, progress: ProgressCallback | None = None) -> TermCounts:
        """Count the fitted terms in ``corpus``; words unseen at fit time match nothing."""
        if not hasattr(self, "terms_"):
            raise RuntimeError("TermCounter.transform called before fit")
        word_ids = self.word_ids_

        def lookup(word: str) -> int:
            return word_ids.get(word, 0)

        encoded = (_encode(doc.text, lookup, document_language(doc))
                   for doc in iterate(corpus.documents, progress, every=20))
        return self._count(((ids, None, n) for ids, n in encoded), corpus)

    def _count(self, encoded: Iterable[tuple[np.ndarray, np.ndarray | None, int]],
               corpus: Corpus, capacity: int = 0) -> TermCounts:
        """The count matrix of ``(word ids, chunk of each word or None, words)`` per
        document (None: the chunks are already split by :func:`_packed`).

        The entries are written into arrays of ``capacity`` (grown when it is too small,
        then cut to size): a list of every row's arrays joined at the end held the
        entries twice, over 700 MB at 100,000 articles."""
        bad = self.bad_edge_
        indptr = [0]
        indices = np.empty(capacity, dtype=np.int32)
        data = np.empty(capacity, dtype=np.int32)
        filled = 0
        n_words = np.zeros(len(corpus), dtype=np.int64)
        n_kept = self.keys_.size
        for row, (ids, chunk, words) in enumerate(encoded):
            ids = ids.astype(np.int64, copy=False)
            n_words[row] = words
            keys, counts = _unique(_gram_keys(ids, chunk, bad, self.ngram_max),
                                   return_counts=True)
            pos = np.searchsorted(self.keys_, keys)
            pos_safe = np.minimum(pos, max(n_kept - 1, 0))
            hit = (pos < n_kept) & (self.keys_[pos_safe] == keys) if n_kept else pos < 0
            cols = self.columns_[pos_safe[hit]]
            sort = np.argsort(cols)
            end = filled + cols.size
            if end > indices.size:
                size = max(2 * indices.size, end, 1024)
                indices, data = _resized(indices, size), _resized(data, size)
            # 32-bit counts and columns: a sparse matrix of 100,000 documents holds
            # tens of millions of entries, and no count in one document nears 2**31.
            indices[filled:end] = cols[sort]
            data[filled:end] = counts[hit][sort]
            filled = end
            indptr.append(filled)
        indices, data = _resized(indices, filled), _resized(data, filled)
        matrix = sparse.csr_matrix((data, indices, np.asarray(indptr, dtype=np.int64)),
                                   shape=(len(corpus), len(self.terms_)), dtype=np.int32)
        return TermCounts(matrix, list(self.terms_), corpus.ids, n_words)


class _WordIds(dict):
    """Word -> id while the vocabulary is learnt: a word gets the next id when first
    seen, and ``bad[id]`` says whether it may not open or close a phrase. Id 0 stands
    for "unknown" (beyond the index capacity, or unseen at fit time): it is a bad edge and
    a gram containing it is never counted. A dict with ``__missing__``, so a word seen
    before is looked up in C (``map(ids.__getitem__, words)``), not by a Python call."""

    def __init__(self, stop: frozenset[str]) -> None:
        super().__init__({"": 0})
        self.stop = stop
        self.bad = np.ones(1024, dtype=bool)

    def __missing__(self, word: str) -> int:
        if len(self) >= _MAX_TYPES:
            return 0
        j = self[word] = len(self)
        if j >= self.bad.size:
            self.bad = np.concatenate([self.bad, np.ones(self.bad.size, dtype=bool)])
        self.bad[j] = _is_bad_edge(word, self.stop)
        return j


def _resized(array: np.ndarray, size: int) -> np.ndarray:
    """``array`` (which owns its memory) grown or cut to ``size`` in place where the
    allocator can: no second copy of the entries is made to cut it."""
    array.resize(size, refcheck=False)
    return array


def _merge_counts(keys_total: np.ndarray, df_total: np.ndarray,
                  pending: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """The running document frequency of every key seen (``keys_total`` sorted, unique;
    ``df_total`` updated in place) with ``pending`` added: one array of unique keys per
    document. Only the batch is sorted, then merged into the totals by position: sorting
    the totals together with the batch held about seven times the totals at once."""
    if not pending:
        return keys_total, df_total
    batch, counts = np.unique(np.concatenate(pending), return_counts=True)
    pos = np.searchsorted(keys_total, batch)
    seen = pos < keys_total.size
    seen[seen] = keys_total[pos[seen]] == batch[seen]
    df_total[pos[seen]] += counts[seen]
    new = ~seen
    return (np.insert(keys_total, pos[new], batch[new]),
            np.insert(df_total, pos[new], counts[new].astype(df_total.dtype)))


def _is_bad_edge(word: str, stop: frozenset[str]) -> bool:
    if stop:
        return is_phrase_edge_stopword(word, stop)
    return not any(ch.isalnum() for ch in word)


def _count_surfaces(text: str, lang: str, surfaces: dict[str, dict[str, int]]) -> None:
    """Count how often each lemma of ``text`` is written in each (lower-case) form."""
    seg = segment(text, lang)
    for norm, a, b in zip(seg.norms, seg.token_starts, seg.token_ends, strict=True):
        forms = surfaces.setdefault(norm, {})
        form = text[a:b].lower()
        forms[form] = forms.get(form, 0) + 1


def _representative(surfaces: dict[str, dict[str, int]]) -> dict[str, str]:
    """Lemma -> its most frequent form (ties: alphabetical), so a Russian term reads as
    the corpus writes it, not as a dictionary headword."""
    return {norm: min(forms, key=lambda f: (-forms[f], f)) for norm, forms in surfaces.items()}


def _encode(text: str, lookup, lang: str | None = None) -> tuple[np.ndarray, int]:
    """A text's word ids (int64) with a 0 between its phrase chunks (:func:`_packed`'s
    form, the chunks of :func:`analysis.text.phrase_chunks`), and its number of words.

    Read as ``phrase_chunks`` reads the text (the sentences joined by ";", one regex
    pass: a word comes back as itself, a phrase break as ""), without its loop per word
    that builds each run: the words are normalised and looked up in one pass in C, and
    the breaks found by numpy from where the words stand. About a third of the term
    counts' fit was that loop and the lists it built."""
    seg = segment(text, lang)
    if seg.lang in SEGMENTED:
        chunks = phrase_chunks(text, lang)
        lengths = np.fromiter(map(len, chunks), dtype=np.int64, count=len(chunks))
        ids = np.fromiter(map(lookup, chain.from_iterable(chunks)), dtype=np.int64,
                          count=int(lengths.sum()))
        chunk = np.repeat(np.arange(len(chunks), dtype=np.int64), lengths)
        return _packed(ids, chunk).astype(np.int64), ids.size
    found = _WORD_OR_BREAK.findall(";".join([s.text for s in seg.sentences]))
    at = np.flatnonzero(np.fromiter(map(bool, found), dtype=bool, count=len(found)))
    ids = np.fromiter(map(lookup, map(_key_function(seg.lang), filter(None, found))),
                      dtype=np.int64, count=at.size)
    # A new chunk after a word that a break follows (one 0 for any number of breaks).
    return np.insert(ids, np.flatnonzero(at[1:] - at[:-1] > 1) + 1, 0), ids.size


def _unique(keys: np.ndarray, return_counts: bool = False):
    """``np.unique(keys, return_counts=...)`` of a 1-d integer array, without its checks
    and dispatch, which took about as long as the sort of a document's thousand keys."""
    keys = np.sort(keys)
    first = np.empty(keys.size, dtype=bool)
    first[:1] = True
    np.not_equal(keys[1:], keys[:-1], out=first[1:])
    if not return_counts:
        return keys[first]
    at = np.flatnonzero(first)
    return keys[at], np.diff(at, append=keys.size)


def _packed(ids: np.ndarray, chunk: np.ndarray) -> np.ndarray:
    """A document's word ids as int32 with a 0 between phrase chunks: id 0 (unknown) is a
    bad edge and never inside a counted gram, so the grams are those of the chunks, kept
    in half the memory of ids and chunk numbers (fit_transform holds every document)."""
    breaks = np.flatnonzero(chunk[1:] != chunk[:-1]) + 1
    return np.insert(ids.astype(np.int32), breaks, 0)


def _gram_keys(ids: np.ndarray, chunk: np.ndarray | None, bad: np.ndarray,
               n_max: int) -> np.ndarray:
    """Packed keys of every 1..n_max-gram inside a chunk whose edge words are not stop
    words (``chunk`` None: one chunk, see :func:`_packed`)."""
    if ids.size == 0:
        return np.empty(0, dtype=np.int64)
    edge_bad = bad[ids]
    code = ids + 1
    parts = [code[~edge_bad]]
    if n_max >= 2 and ids.size >= 2:
        same1 = (chunk[:-1] == chunk[1:] if chunk is not None
                 else np.ones(ids.size - 1, dtype=bool))
        ok = same1 & ~edge_bad[:-1] & ~edge_bad[1:]
        parts.append((code[:-1][ok] << _BITS) | code[1:][ok])
        if n_max >= 3 and ids.size >= 3:
            ok3 = (same1[:-1] & same1[1:] & ~edge_bad[:-2] & ~edge_bad[2:]
                   & (ids[1:-1] != 0))
            parts.append((code[:-2][ok3] << (2 * _BITS)) | (code[1:-1][ok3] << _BITS)
                         | code[2:][ok3])
    return np.concatenate(parts)


def _decode(key: int, words_by_id: np.ndarray) -> str:
    mask = (1 << _BITS) - 1
    parts = []
    while key:
        parts.append(words_by_id[(key & mask) - 1])
        key >>= _BITS
    return " ".join(reversed(parts))


# --- Statistics ------------------------------------------------------------------------

def log_odds_dirichlet(counts_a: np.ndarray, counts_b: np.ndarray,
                       prior: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Log-odds ratio with an informative Dirichlet prior (Monroe et al. 2008, eq. 16-19).

    With y_aw, y_bw the counts of term w, n_a, n_b the group totals (sums of the count
    vectors), a_w the prior pseudo-counts and a0 = sum(a_w)::

        delta_w = log((y_aw + a_w) / (n_a + a0 - y_aw - a_w))
                - log((y_bw + a_w) / (n_b + a0 - y_bw - a_w))
        var_w   = 1 / (y_aw + a_w) + 1 / (y_bw + a_w)
        z_w     = delta_w / sqrt(var_w)

    Returns ``(delta, z)``; positive values favour group a.
    """
    ya = np.asarray(counts_a, dtype=float)
    yb = np.asarray(counts_b, dtype=float)
    aw = np.asarray(prior, dtype=float)
    a0 = aw.sum()
    na, nb = ya.sum(), yb.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        delta = (np.log((ya + aw) / (na + a0 - ya - aw))
                 - np.log((yb + aw) / (nb + a0 - yb - aw)))
        z = delta / np.sqrt(1.0 / (ya + aw) + 1.0 / (yb + aw))
    # A vocabulary of a single term leaves no "other words" to compare against: the
    # odds are undefined, and such a term is not distinctive of either side.
    undefined = ~np.isfinite(delta)
    delta[undefined] = 0.0
    z[undefined] = 0.0
    return delta, z


def log_ratio(count_a, count_b, n_a: float, n_b: float, smoothing: float = 0.5) -> np.ndarray:
    """Log Ratio (Hardie 2014): log2 of the ratio of relative frequencies, a over b.

    ``smoothing`` (0.5) is added to both counts so a term absent from one group gets a
    finite value; 1 means twice as frequent in a, -1 twice as frequent in b.
    """
    ca = np.asarray(count_a, dtype=float) + smoothing
    cb = np.asarray(count_b, dtype=float) + smoothing
    return np.log2((ca / n_a) / (cb / n_b))


def g2(count_a, count_b, n_a: float, n_b: float) -> np.ndarray:
    """Two-term log-likelihood G2 (Rayson & Garside 2000), always >= 0.

    With expected counts E_a = n_a (c_a + c_b) / (n_a + n_b) and E_b likewise,
    ``G2 = 2 (c_a ln(c_a / E_a) + c_b ln(c_b / E_b))`` with 0 ln 0 = 0. It sums only the
    two cells of the term (not the four-term contingency form of Dunning 1993).
    """
    ca = np.asarray(count_a, dtype=float)
    cb = np.asarray(count_b, dtype=float)
    total = ca + cb
    ea = n_a * total / (n_a + n_b)
    eb = n_b * total / (n_a + n_b)
    with np.errstate(divide="ignore", invalid="ignore"):
        ta = np.where(ca > 0, ca * np.log(ca / ea), 0.0)
        tb = np.where(cb > 0, cb * np.log(cb / eb), 0.0)
    return 2.0 * (ta + tb)


@dataclass(frozen=True)
class KeynessResult:
    """Keyness of group a vs group b.

    ``a`` and ``b`` hold the ``top_n`` terms most distinctive of each side (``a`` by
    descending z, ``b`` by ascending z; z is signed for a vs b, positive = a); ``all``
    every term by descending z. Columns: :data:`KEYNESS_COLUMNS` — ``term``, ``z``
    (log-odds z-score), ``log_ratio``, ``g2``, ``count_a``/``count_b`` (raw counts),
    ``docs_a``/``docs_b`` (documents using it), ``outlets_a``/``outlets_b`` (outlets
    using it), ``freq_a``/``freq_b`` (per million words), ``p_doc`` (two-sided
    Mann-Whitney p over per-document relative frequencies; computed for the terms in
    ``a`` and ``b``, NaN elsewhere in ``all``).
    """

    a: pd.DataFrame
    b: pd.DataFrame
    all: pd.DataFrame
    n_documents_a: int = 0
    n_documents_b: int = 0
    method: str = KEYNESS_METHOD


def _empty_table() -> pd.DataFrame:
    dtypes = {"term": object, "count_a": np.int64, "count_b": np.int64, "docs_a": np.int64,
              "docs_b": np.int64, "outlets_a": np.int64, "outlets_b": np.int64}
    return pd.DataFrame({c: pd.Series(dtype=dtypes.get(c, float)) for c in KEYNESS_COLUMNS})


def _rows(term_counts: TermCounts, ids: Sequence[str]) -> np.ndarray:
    position = {d: i for i, d in enumerate(term_counts.doc_ids)}
    return np.array(sorted({position[d] for d in ids if d in position}), dtype=np.int64)


#: Rows of the count matrix read at a time: a group's counts, documents and outlets are
#: summed block by block instead of from a copy of all its rows (at 100,000 articles the
#: matrix holds tens of millions of entries).
_BLOCK_ROWS = 4096


def _row_blocks(matrix: sparse.csr_matrix, rows: np.ndarray):
    """The rows ``rows`` of ``matrix``, as CSR copies of at most :data:`_BLOCK_ROWS`."""
    for start in range(0, rows.size, _BLOCK_ROWS):
        yield matrix[rows[start:start + _BLOCK_ROWS]]


def _side_sums(matrix: sparse.csr_matrix, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per term, its count over ``rows`` and how many of them use it."""
    n_terms = matrix.shape[1]
    counts = np.zeros(n_terms, dtype=np.int64)
    docs = np.zeros(n_terms, dtype=np.int64)
    for block in _row_blocks(matrix, rows):
        counts += np.bincount(block.indices, weights=block.data,
                              minlength=n_terms).astype(np.int64)
        docs += np.bincount(block.indices[block.data > 0], minlength=n_terms)
    return counts, docs


def _outlet_counts(matrix: sparse.csr_matrix, rows: np.ndarray,
                   outlet_names: list[str]) -> np.ndarray:
    """Per term, how many distinct non-empty outlets have a document (of ``rows``, whose
    outlets are ``outlet_names``) using it."""
    n_terms = matrix.shape[1]
    by_outlet: dict[str, list[int]] = {}
    for row, outlet in zip(rows.tolist(), outlet_names, strict=True):
        if outlet:
            by_outlet.setdefault(outlet, []).append(row)
    out = np.zeros(n_terms, dtype=np.int64)
    for outlet_rows in by_outlet.values():
        used = [np.unique(block.indices[block.data > 0])
                for block in _row_blocks(matrix, np.asarray(outlet_rows, dtype=np.int64))]
        out[np.unique(np.concatenate(used))] += 1
    return out


def _relative_columns(matrix: sparse.csr_matrix, rows: np.ndarray, n_words: np.ndarray,
                      columns: np.ndarray) -> np.ndarray:
    """The relative frequency (count / words of its document) of each of ``columns`` in
    each of ``rows``: an array (columns x rows), 0 where a document has none."""
    scale = np.where(n_words > 0, 1.0 / np.maximum(n_words, 1), 0.0)
    if columns.size == 0:
        return np.zeros((0, rows.size))
    counts = matrix[:, columns][rows].toarray().astype(float)
    return np.ascontiguousarray((scale[:, None] * counts).T)


def compare(term_counts: TermCounts, ids_a: Iterable[str], ids_b: Iterable[str], *,
            outlets: Mapping[str, str] | None = None, top_n: int = 30,
            prior_strength: float = 500.0, min_side_docs: int = 2) -> KeynessResult:
    """Distinctive terms of documents ``ids_a`` vs ``ids_b``.

    A term is listed for a side (``a``, ``b``: the headline lists) only when at least
    ``min_side_docs`` documents of that side use it, so one document's words cannot be
    called its group's vocabulary ("sanctions" from one article of two). A side with
    fewer documents than that lists terms of its single document (charts mark them);
    ``all`` keeps every term.

    The prior is informative: a_w = ``prior_strength`` x the term's relative frequency
    in the two groups pooled. n_a and n_b in the log-odds are the groups' total term
    counts; Log Ratio, G2 and per-million frequencies use the groups' word counts.
    Unknown document ids are ignored. See :class:`KeynessResult` for the columns.
    """
    outlets = outlets or {}
    rows_a, rows_b = _rows(term_counts, list(ids_a)), _rows(term_counts, list(ids_b))
    n_terms = len(term_counts.terms)
    if n_terms == 0 or rows_a.size == 0 or rows_b.size == 0:
        empty = _empty_table()
        return KeynessResult(empty, empty.copy(), empty.copy(), int(rows_a.size), int(rows_b.size))
    matrix = term_counts.matrix
    count_a, docs_a = _side_sums(matrix, rows_a)
    count_b, docs_b = _side_sums(matrix, rows_b)
    words_a = float(term_counts.n_words[rows_a].sum())
    words_b = float(term_counts.n_words[rows_b].sum())
    used = (count_a + count_b) > 0
    pooled = (count_a + count_b) / max((count_a + count_b).sum(), 1)
    _delta, z = log_odds_dirichlet(count_a[used], count_b[used], prior_strength * pooled[used])
    ids = term_counts.doc_ids
    table = pd.DataFrame({
        "term": np.asarray(term_counts.terms, dtype=object)[used],
        "z": z,
        "log_ratio": log_ratio(count_a[used], count_b[used], max(words_a, 1.0), max(words_b, 1.0)),
        "g2": g2(count_a[used], count_b[used], max(words_a, 1.0), max(words_b, 1.0)),
        "count_a": count_a[used],
        "count_b": count_b[used],
        "docs_a": docs_a[used],
        "docs_b": docs_b[used],
        "outlets_a": _outlet_counts(matrix, rows_a, [outlets.get(ids[i], "") for i in rows_a])[used],
        "outlets_b": _outlet_counts(matrix, rows_b, [outlets.get(ids[i], "") for i in rows_b])[used],
        "freq_a": count_a[used] / words_a * 1e6 if words_a else np.zeros(used.sum()),
        "freq_b": count_b[used] / words_b * 1e6 if words_b else np.zeros(used.sum()),
        "p_doc": np.nan,
    })
    column = np.flatnonzero(used)
    table["_col"] = column
    # Ties in z are broken by term so the order is deterministic.
    table = table.sort_values(["z", "term"], ascending=[False, True], kind="mergesort")
    need_a = min(min_side_docs, int(rows_a.size))
    need_b = min(min_side_docs, int(rows_b.size))
    side_a = _without_nested(table[(table["z"] > 0) & (table["docs_a"] >= need_a)], top_n)
    side_b = _without_nested(table[(table["z"] < 0) & (table["docs_b"] >= need_b)]
                             .sort_values(["z", "term"], kind="mergesort"), top_n)
    # Relative frequencies only of the listed terms (the p_doc test reads no other).
    listed = np.concatenate([side_a["_col"].to_numpy(), side_b["_col"].to_numpy()])
    wanted = np.unique(listed)
    rel_a = _relative_columns(matrix, rows_a, term_counts.n_words[rows_a], wanted)
    rel_b = _relative_columns(matrix, rows_b, term_counts.n_words[rows_b], wanted)
    at = {int(col): j for j, col in enumerate(wanted.tolist())}
    p_doc = {}
    for col in listed:
        p_doc[col] = mann_whitney_p(rel_a[at[int(col)]], rel_b[at[int(col)]])
    table["p_doc"] = table["_col"].map(p_doc).astype(float)

    def finish(frame: pd.DataFrame) -> pd.DataFrame:
        out = table.loc[frame.index, list(KEYNESS_COLUMNS)]
        return out.reset_index(drop=True)

    return KeynessResult(finish(side_a), finish(side_b), finish(table),
                         int(rows_a.size), int(rows_b.size))


def _without_nested(ranked: pd.DataFrame, top_n: int) -> pd.DataFrame:
    """The first ``top_n`` rows of ``ranked``, leaving out a term that only ever occurs
    inside a longer listed term: "mutual" and "trust" when every one of their occurrences,
    in both groups, is in "mutual trust" (equal counts on both sides). The list then
    shows the phrase once instead of three times. Only the head is scanned, so this costs
    nothing on a large vocabulary."""
    head = ranked.head(max(top_n, 1) * 3)
    counts = {(int(r.count_a), int(r.count_b)) for r in head.itertuples()}
    longer: dict[tuple[int, int], list[str]] = {c: [] for c in counts}
    for r in head.itertuples():
        if " " in r.term:
            longer[(int(r.count_a), int(r.count_b))].append(f" {r.term} ")
    keep = [r.Index for r in head.itertuples()
            if not any(f" {r.term} " in phrase and phrase != f" {r.term} "
                       for phrase in longer[(int(r.count_a), int(r.count_b))])]
    return ranked.loc[keep].head(top_n)
