"""Keyness as it was computed before it was read from the count matrix in blocks: the
reference that ``tests/analysis/test_keyness_equal.py`` checks
:func:`analysis.keyness.compare` and :class:`analysis.keyness.TermCounter` against.

``compare`` copied each group's rows of the count matrix, then made a 64-bit presence
matrix and a floating-point relative-frequency matrix of each (about seven times the
count matrix at once). The fit merged the n-gram keys of each batch of documents with
``numpy.unique(..., return_inverse=True)`` over every key seen so far. The words were
read from :func:`analysis.text.phrase_chunks`, run by run (:func:`encode_from_chunks`).
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from itertools import chain

import numpy as np
import pandas as pd
from scipy import sparse

from analysis.keyness import (
    KEYNESS_COLUMNS,
    KeynessResult,
    TermCounts,
    _empty_table,
    _packed,
    _rows,
    _without_nested,
    g2,
    log_odds_dirichlet,
    log_ratio,
)
from analysis.stats import mann_whitney_p
from analysis.text import phrase_chunks

__all__ = ["compare", "merge_counts", "term_counts", "encode_from_chunks"]


def encode_from_chunks(text: str, lookup, lang: str | None = None,
                       chunks=phrase_chunks) -> tuple[np.ndarray, int]:
    """``analysis.keyness._encode`` as it was: the words of ``chunks(text, lang)`` looked
    up chunk after chunk, the chunk numbers repeated, then packed (int64, a 0 between
    chunks), and the number of words."""
    found = chunks(text, lang)
    lengths = np.fromiter(map(len, found), dtype=np.int64, count=len(found))
    ids = np.fromiter(map(lookup, chain.from_iterable(found)), dtype=np.int64,
                      count=int(lengths.sum()))
    chunk = np.repeat(np.arange(len(found), dtype=np.int64), lengths)
    return _packed(ids, chunk).astype(np.int64), ids.size


def _outlet_counts(present: sparse.csr_matrix, outlet_names: list[str]) -> np.ndarray:
    """Per term, how many distinct non-empty outlets have a document using it."""
    n_terms = present.shape[1]
    codes: dict[str, int] = {}
    cols = [codes.setdefault(o, len(codes)) if o else -1 for o in outlet_names]
    rows = [i for i, c in enumerate(cols) if c >= 0]
    if not rows:
        return np.zeros(n_terms, dtype=np.int64)
    membership = sparse.csr_matrix(
        (np.ones(len(rows)), (rows, [cols[i] for i in rows])),
        shape=(present.shape[0], len(codes)))
    by_outlet = (present.T @ membership).tocsr()  # terms x outlets: documents using it
    return np.diff((by_outlet > 0).tocsr().indptr).astype(np.int64)


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
    mat_a, mat_b = matrix[rows_a], matrix[rows_b]
    count_a = np.asarray(mat_a.sum(axis=0)).ravel().astype(np.int64)
    count_b = np.asarray(mat_b.sum(axis=0)).ravel().astype(np.int64)
    words_a = float(term_counts.n_words[rows_a].sum())
    words_b = float(term_counts.n_words[rows_b].sum())
    used = (count_a + count_b) > 0
    pooled = (count_a + count_b) / max((count_a + count_b).sum(), 1)
    _delta, z = log_odds_dirichlet(count_a[used], count_b[used], prior_strength * pooled[used])
    pres_a = (mat_a > 0).astype(np.int64).tocsr()
    pres_b = (mat_b > 0).astype(np.int64).tocsr()
    ids = term_counts.doc_ids
    table = pd.DataFrame({
        "term": np.asarray(term_counts.terms, dtype=object)[used],
        "z": z,
        "log_ratio": log_ratio(count_a[used], count_b[used], max(words_a, 1.0), max(words_b, 1.0)),
        "g2": g2(count_a[used], count_b[used], max(words_a, 1.0), max(words_b, 1.0)),
        "count_a": count_a[used],
        "count_b": count_b[used],
        "docs_a": np.asarray(pres_a.sum(axis=0)).ravel()[used].astype(np.int64),
        "docs_b": np.asarray(pres_b.sum(axis=0)).ravel()[used].astype(np.int64),
        "outlets_a": _outlet_counts(pres_a, [outlets.get(ids[i], "") for i in rows_a])[used],
        "outlets_b": _outlet_counts(pres_b, [outlets.get(ids[i], "") for i in rows_b])[used],
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
    rel_a = _relative(mat_a, term_counts.n_words[rows_a])
    rel_b = _relative(mat_b, term_counts.n_words[rows_b])
    p_doc = {}
    for col in np.concatenate([side_a["_col"].to_numpy(), side_b["_col"].to_numpy()]):
        p_doc[col] = mann_whitney_p(_column(rel_a, col), _column(rel_b, col))
    table["p_doc"] = table["_col"].map(p_doc).astype(float)

    def finish(frame: pd.DataFrame) -> pd.DataFrame:
        out = table.loc[frame.index, list(KEYNESS_COLUMNS)]
        return out.reset_index(drop=True)

    return KeynessResult(finish(side_a), finish(side_b), finish(table),
                         int(rows_a.size), int(rows_b.size))


def _relative(mat: sparse.csr_matrix, n_words: np.ndarray) -> sparse.csr_matrix:
    scale = np.where(n_words > 0, 1.0 / np.maximum(n_words, 1), 0.0)
    return sparse.csc_matrix(sparse.diags(scale) @ mat.astype(float))


def _column(mat: sparse.csr_matrix, col: int) -> np.ndarray:
    values = mat[:, [int(col)]].toarray().ravel()
    return values if values.size else np.array([math.nan])


def merge_counts(keys_total: np.ndarray, df_total: np.ndarray,
                 pending: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """The fit's running document frequencies with a batch of documents' unique keys
    added, as the fit merged them before."""
    n_pending = sum(p.size for p in pending)
    keys = np.concatenate([keys_total, *pending])
    weights = np.concatenate([df_total, np.ones(n_pending, dtype=np.int64)])
    keys_total, inverse = np.unique(keys, return_inverse=True)
    return keys_total, np.bincount(inverse, weights=weights).astype(np.int64)


def term_counts(counter, corpus) -> TermCounts:
    """``counter`` (a fitted :class:`analysis.keyness.TermCounter`) counting ``corpus``
    as it did before: every row's columns and counts kept in lists, joined at the end."""
    from analysis.keyness import _encode, _gram_keys
    from analysis.lang import document_language

    bad = counter.bad_edge_
    indptr = [0]
    indices: list[np.ndarray] = []
    data: list[np.ndarray] = []
    n_words = np.zeros(len(corpus), dtype=np.int64)
    n_kept = counter.keys_.size
    for row, doc in enumerate(corpus.documents):
        # The words as the term counts read them (their own test:
        # tests/analysis/test_term_encoding.py): a 0 between phrase chunks.
        ids, n_words[row] = _encode(doc.text, lambda w: counter.word_ids_.get(w, 0),
                                    document_language(doc))
        keys, counts = np.unique(_gram_keys(ids, None, bad, counter.ngram_max),
                                 return_counts=True)
        pos = np.searchsorted(counter.keys_, keys)
        pos_safe = np.minimum(pos, max(n_kept - 1, 0))
        hit = (pos < n_kept) & (counter.keys_[pos_safe] == keys) if n_kept else pos < 0
        cols = counter.columns_[pos_safe[hit]]
        sort = np.argsort(cols)
        indices.append(cols[sort].astype(np.int32))
        data.append(counts[hit][sort].astype(np.int32))
        indptr.append(indptr[-1] + int(hit.sum()))
    matrix = sparse.csr_matrix(
        (np.concatenate(data) if data else np.empty(0, dtype=np.int32),
         np.concatenate(indices) if indices else np.empty(0, dtype=np.int32),
         np.asarray(indptr, dtype=np.int64)),
        shape=(len(corpus), len(counter.terms_)), dtype=np.int32)
    return TermCounts(matrix, list(counter.terms_), corpus.ids, n_words)
