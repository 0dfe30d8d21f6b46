"""Group figures from per-document tables: means, bootstrap CIs and permutation tests.

Every figure is computed for many columns at once: one bootstrap (or permutation) draw is
shared by all columns of a table, so 20,000 documents × 60 figures stay fast. Documents
are the resampling unit (words within a document are not independent).
:func:`analysis.stats.bootstrap_ci`, ``bootstrap_ratio_ci`` and ``permutation_test`` are
the one-series forms of these functions.
"""
from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator

import numpy as np
import pandas as pd

from analysis.permutation import PermutationDesign, design, label_masks
from analysis.reduce_memo import by_column

__all__ = ["bootstrap_ratio_cis", "group_means", "one_blas_thread", "permutation_pvalues"]

_CHUNK = 256  # bootstrap draws per matrix product: bounds memory for large groups


def one_blas_thread():
    """A context in which numpy's matrix products run on one thread (and give the same
    bits: the threads only share out the rows and columns of the result, each element is
    summed by the same kernel in the same order).

    The products of the group figures (resampling weights, label arrangements) are a few
    milliseconds each, between the drawing of the next chunk: a second BLAS thread gained
    them little and then spun waiting for the next one (OpenBLAS's threads busy-wait
    between calls), on the core the rest of the run needs. At 10,000 documents that
    waiting was about a third of the compare step's CPU seconds.
    """
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1, user_api="blas")


def _as_float(values: np.ndarray) -> np.ndarray:
    arr = np.asarray(values, dtype=float)
    return arr.reshape(-1, 1) if arr.ndim == 1 else arr


_last_weights: tuple[tuple[int, int, int], list[np.ndarray]] | None = None


def _bootstrap_weights(n: int, n_boot: int, seed: int) -> list[np.ndarray]:
    """The multinomial resampling counts, in chunks of ``_CHUNK`` draws.

    A group's figures are bootstrapped table by table with the same ``n`` and ``seed``,
    so the same draws come back several times: the last set is kept (as small integers,
    a few MB even for 10,000 documents) instead of being drawn again.
    """
    global _last_weights
    key = (n, n_boot, seed)
    cached = _last_weights
    if cached is not None and cached[0] == key:
        return cached[1]
    rng = np.random.default_rng(seed)
    chunks = []
    for start in range(0, n_boot, _CHUNK):
        size = min(_CHUNK, n_boot - start)
        counts = rng.multinomial(n, np.full(n, 1.0 / n), size=size)
        chunks.append(counts.astype(np.min_scalar_type(int(counts.max(initial=0)))))
    _last_weights = (key, chunks)
    return chunks


def bootstrap_ratio_cis(numerators: np.ndarray, denominators: np.ndarray, *, n_boot: int,
                        seed: int, level: float = 0.95) -> np.ndarray:
    """Percentile bootstrap CIs of ``sum(numerator) / sum(denominator)`` per column.

    Rows are documents and are resampled with replacement (multinomial weights).
    A plain mean is the case ``denominators = 1`` (0 where the value is missing).

    Returns an array of shape ``(n_columns, 2)``; NaN where fewer than two documents
    carry data for a column (one document says nothing about the spread).
    """
    num = np.nan_to_num(_as_float(numerators))
    den = _as_float(denominators)
    n, k = num.shape
    out = np.full((k, 2), np.nan)
    if n == 0:
        return out
    ratios = np.empty((n_boot, k))
    for start, counts in zip(range(0, n_boot, _CHUNK), _bootstrap_weights(n, n_boot, seed),
                             strict=True):
        weights = counts.astype(float)
        with np.errstate(invalid="ignore", divide="ignore"):
            ratios[start:start + len(weights)] = (weights @ num) / (weights @ den)
    alpha = (1.0 - level) / 2.0
    documents_with_data = (np.nan_to_num(den) > 0).sum(axis=0)
    with np.errstate(invalid="ignore"):
        for j in range(k):
            if documents_with_data[j] < 2:
                continue
            col = ratios[:, j]
            col = col[np.isfinite(col)]
            if col.size:
                out[j] = np.quantile(col, [alpha, 1.0 - alpha])
    return out


def group_means(frame: pd.DataFrame, *, n_boot: int, seed: int,
                weights: pd.DataFrame | None = None, clusters: np.ndarray | None = None,
                equal_clusters: bool = False) -> pd.DataFrame:
    """Mean and bootstrap CI of every column over the rows (documents) of ``frame``.

    ``weights`` (same shape; default 1 for every value) make each mean a weighted one,
    e.g. a document's number of target mentions, or the outlet weights of
    :func:`outlet_weights`. With ``clusters`` (one outlet label per row, two or more
    outlets) the CI comes from :func:`two_stage_ratio_cis`, else from a bootstrap over
    documents. Missing values (NaN) are left out of the mean and the resampled means.

    Returns a DataFrame indexed by column name with ``mean``, ``ci_low``, ``ci_high``,
    ``sd`` (of the documents' values) and ``n`` (documents with a value).
    """
    values = frame.to_numpy(dtype=float)
    w = (np.ones_like(values) if weights is None
         else np.nan_to_num(weights.reindex_like(frame).to_numpy(dtype=float)))
    present = np.isfinite(values) & (w > 0)
    w = np.where(present, w, 0.0)
    xw = np.where(present, values, 0.0) * w
    n = present.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = xw.sum(axis=0) / w.sum(axis=0)
    sd = np.array([np.std(values[present[:, j], j], ddof=1) if n[j] > 1 else np.nan
                   for j in range(values.shape[1])])
    # Per column from memory when the column was resampled before with the same draws
    # (a re-run after a codebook edit redraws only the frames' intervals).
    if clusters is not None:
        labels = np.asarray(clusters, dtype=object).astype(str)
        cis = by_column("two-stage", lambda a, b: two_stage_ratio_cis(
            a, b, labels, n_boot=n_boot, seed=seed, equal_clusters=equal_clusters),
            [xw, w], (n_boot, seed, bool(equal_clusters), labels.tolist()))
    else:
        cis = by_column("bootstrap", lambda a, b: bootstrap_ratio_cis(
            a, b, n_boot=n_boot, seed=seed), [xw, w], (n_boot, seed))
    return pd.DataFrame({"mean": means, "ci_low": cis[:, 0], "ci_high": cis[:, 1], "sd": sd,
                         "n": n.astype(int)}, index=frame.columns)


def permutation_pvalues(values: pd.DataFrame, in_a: np.ndarray, *, n_perm: int,
                        seed: int, weights: pd.DataFrame | None = None,
                        plan: PermutationDesign | None = None) -> np.ndarray:
    """Two-sided permutation p-values of the difference in column means, group a vs b
    (see :func:`_permutation_pvalues`); a column tested before with the same values,
    weights, labels and arrangements comes from memory (:mod:`analysis.reduce_memo`)."""
    x = values.to_numpy(dtype=float)
    w = weights.to_numpy(dtype=float) if weights is not None else np.isfinite(x).astype(float)
    in_a = np.asarray(in_a, dtype=bool)
    plan = plan or design(int(in_a.sum()), int((~in_a).sum()), n_perm)

    def compute(xs: np.ndarray, ws: np.ndarray) -> np.ndarray:
        # The arrays as they are: a DataFrame made of them copied each (2 x 56 MB at
        # 100,000 documents).
        return _permutation_pvalues(xs, in_a, n_perm=n_perm, seed=seed, weights=ws,
                                    plan=plan)

    return by_column("permutation", compute, [x, w], (in_a, n_perm, seed, plan))


def _permutation_pvalues(values: pd.DataFrame | np.ndarray, in_a: np.ndarray, *,
                         n_perm: int, seed: int,
                         weights: pd.DataFrame | np.ndarray | None = None,
                         plan: PermutationDesign | None = None) -> np.ndarray:
    """Two-sided permutation p-values of the difference in column means, group a vs b.

    ``values`` holds the documents of both groups (rows); ``in_a`` marks group a.
    ``weights`` (same shape) makes each mean a weighted one, e.g. a document's number of
    target mentions, so the test is about the same figure the group shows; by default
    every document with a value weighs 1. The arrangements of the labels come from
    :func:`analysis.permutation.label_masks` (``plan``, by default
    ``design(n_a, n_b, n_perm)``): all of them when there are at most 20,000, giving an
    exact p = (arrangements with |d| >= |d_obs|) / arrangements; otherwise ``n_perm``
    random ones (at least 10,001) and p = (k + 1) / (n_perm + 1). One set of arrangements
    is shared by all columns, so identically structured columns get identical p-values.
    Columns with fewer than one value per side give NaN.
    """
    x = np.asarray(values, dtype=float)
    present = np.isfinite(x)
    if weights is not None:
        w = np.asarray(weights, dtype=float)
        present &= w > 0   # NaN weighs nothing
        pres = np.where(present, w, 0.0)
        del w
    else:
        pres = present.astype(float)
    in_a = np.asarray(in_a, dtype=bool)
    n, k = x.shape
    out = np.full(k, np.nan)
    if n == 0:
        return out
    plan = plan or design(int(in_a.sum()), int((~in_a).sum()), n_perm)

    # Most columns share their weights (every document counts 1): multiply each distinct
    # weight column once. Together with b = total - a this halves the work.
    weight_cols, weight_of = _unique_columns(pres)
    # The weighted values are written straight into the matrix the arrangements multiply
    # (a separate copy of them cost as much again at 100,000 documents).
    both = np.empty((n, k + weight_cols.shape[1]))
    xz = both[:, :k]
    np.multiply(np.where(present, x, 0.0), pres, out=xz)
    both[:, k:] = weight_cols
    del weight_cols
    total_s, total_c = xz.sum(axis=0), pres.sum(axis=0)
    # Whether each side has a value, found now so the weights' copies are let go before
    # the arrangements are multiplied (56 MB each at 100,000 documents).
    sides_present = (pres[in_a].sum(axis=0) >= 1) & (pres[~in_a].sum(axis=0) >= 1)
    del present, pres

    def diffs(mask: np.ndarray) -> np.ndarray:
        # mask: (m, n) 0/1 rows; returns (m, k) differences in means a - b.
        prod = mask @ both
        sa, ca = prod[:, :k], prod[:, k:][:, weight_of.ravel()]
        sb, cb = total_s - sa, total_c - ca
        # A side with (numerically) no weight has no mean: the subtraction leaves dust.
        tiny = 1e-9 * np.maximum(total_c, 1e-300)
        ca, cb = np.where(ca > tiny, ca, 0.0), np.where(cb > tiny, cb, 0.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            return sa / ca - sb / cb

    observed = np.abs(diffs(in_a[None, :].astype(float))[0])
    # Differences equal in exact arithmetic must count as "at least as extreme".
    tolerance = 1e-9 * np.maximum(1.0, np.nan_to_num(observed))
    exceed, defined = np.zeros(k), np.zeros(k)
    for mask in label_masks(in_a, plan, seed):
        d = np.abs(diffs(mask))
        d[~np.isfinite(d)] = np.nan
        exceed += np.sum(d >= observed - tolerance, axis=0)
        # An arrangement that leaves one side without a value has no difference: it
        # is not counted at all (documents missing a figure are shuffled too).
        defined += np.sum(np.isfinite(d), axis=0)
    valid = sides_present & np.isfinite(observed)
    valid &= defined > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        out[valid] = (exceed[valid] / defined[valid] if plan.exact
                      else (exceed[valid] + 1.0) / (defined[valid] + 1.0))
    return out


def _unique_columns(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(a, axis=1, return_inverse=True)`` (the inverse flat), with the columns
    of equal bytes set aside first: of 70 columns of 10,000 documents a handful are
    distinct, and ``np.unique`` sorted all 70 as records of 10,000 fields (0.1-0.2 s).
    The distinct ones are put in order by ``np.unique`` itself, so the order is its own."""
    first: dict[bytes, int] = {}   # a column's bytes -> the first column holding them
    which = [first.setdefault(a[:, j].tobytes(), j) for j in range(a.shape[1])]
    firsts = list(first.values())
    cols, inverse = np.unique(a[:, firsts], axis=1, return_inverse=True)
    place = dict(zip(firsts, inverse.ravel().tolist(), strict=True))
    return cols, np.array([place[j] for j in which], dtype=np.intp)


def outlet_weights(weights: pd.DataFrame, clusters: pd.Series) -> pd.DataFrame:
    """Weights that make every outlet count once: each document's weight divided by the
    total weight of its outlet in that column (``clusters`` gives each row's outlet within
    its group). The weighted mean is then the mean over outlets of each outlet's mean."""
    totals = weights.groupby(clusters.to_numpy(), sort=False).transform("sum")
    with np.errstate(invalid="ignore", divide="ignore"):
        out = weights / totals
    return out.fillna(0.0)


def two_stage_ratio_cis(numerators: np.ndarray, denominators: np.ndarray,
                        clusters: np.ndarray, *, n_boot: int, seed: int,
                        level: float = 0.95, equal_clusters: bool = False) -> np.ndarray:
    """Percentile CIs from a two-stage bootstrap: outlets, then documents within them.

    Each draw picks as many outlets as the group has, with replacement, and for each
    picked outlet resamples its documents with replacement (Davison & Hinkley 1997,
    sec. 3.8: resampling both stages keeps the within- and between-outlet variance).
    The figure of a draw is ``sum(num) / sum(den)`` over everything drawn, or, with
    ``equal_clusters``, the mean over the picked outlets of each one's ratio (outlets
    weigh equally). ``clusters`` holds one label per row; rows without an outlet should
    carry a label of their own. Returns ``(n_columns, 2)``; NaN where fewer than two
    documents carry data for a column.
    """
    num = np.nan_to_num(_as_float(numerators))
    den = np.nan_to_num(_as_float(denominators))
    n, k = num.shape
    out = np.full((k, 2), np.nan)
    if n == 0:
        return out
    _, codes = np.unique(np.asarray(clusters, dtype=object).astype(str), return_inverse=True)
    n_c = int(codes.max()) + 1
    stats = np.empty((n_boot, k))
    # In rows (C order) once: scipy multiplies a sparse matrix by a C-ordered matrix as
    # it is, and copied the columns pandas hands over (in column order) into one for
    # every chunk's product: the same numbers, so the same products.
    num, den = np.ascontiguousarray(num), np.ascontiguousarray(den)
    for begin, draws in _two_stage_draws(codes.ravel(), n_boot, seed):
        size = draws.shape[0] // n_c
        sums_n = (draws @ num).reshape(size, n_c, k)
        sums_d = (draws @ den).reshape(size, n_c, k)
        with np.errstate(invalid="ignore", divide="ignore"):
            if equal_clusters:
                has = sums_d > 0
                ratio = np.where(has, sums_n / np.where(has, sums_d, 1.0), 0.0)
                stats[begin:begin + size] = ratio.sum(axis=1) / has.sum(axis=1)
            else:
                stats[begin:begin + size] = sums_n.sum(axis=1) / sums_d.sum(axis=1)
    alpha = (1.0 - level) / 2.0
    documents_with_data = (den > 0).sum(axis=0)
    for j in range(k):
        col = stats[:, j]
        col = col[np.isfinite(col)]
        if documents_with_data[j] >= 2 and col.size:
            out[j] = np.quantile(col, [alpha, 1.0 - alpha])
    return out


#: Two-stage draws kept for the next bootstrap of the same outlets, resamples and seed (a
#: re-run after a codebook edit resamples the edited frames' columns of every group with
#: the draws of the last run: making them is about nine tenths of the work). Kept compact,
#: about 3 bytes per document drawn: a group of 5,000 documents takes about 20 MB. A set
#: expected to take more than :data:`_KEPT_DRAW_SET_BYTES` (a group of over 8,000
#: documents) is never kept, and all sets together stay below :data:`_KEPT_DRAW_BYTES`.
_KEPT_DRAW_BYTES = 96 * 2**20
_KEPT_DRAW_SET_BYTES = 48 * 2**20
_kept_draws: OrderedDict[tuple, list[tuple]] = OrderedDict()


def _two_stage_draws(codes: np.ndarray, n_boot: int, seed: int) -> Iterator[tuple[int, object]]:
    """The draws of :func:`two_stage_ratio_cis`, in chunks: ``(first draw, matrix)``, the
    matrix a sparse ``(draws * outlets, documents)`` count of how often each picked outlet
    instance drew each document. ``codes`` gives each document's outlet (0 .. n_c - 1)."""
    from scipy import sparse

    n = codes.size
    key = (n_boot, seed, codes.tobytes())
    if key in _kept_draws:
        _kept_draws.move_to_end(key)
        for begin, shape, indptr, indices, data in _kept_draws[key]:
            # The very arrays drawn (counts as floats, int32 indices): the same products.
            yield begin, sparse.csr_matrix((data.astype(float), indices.astype(np.int32),
                                            indptr), shape=shape)
        return
    keep = 3 * n * n_boot <= _KEPT_DRAW_SET_BYTES
    kept = []
    order = np.argsort(codes, kind="stable")          # documents sorted by outlet
    sizes = np.bincount(codes)
    starts = np.r_[0, np.cumsum(sizes)[:-1]]
    n_c = sizes.size
    rng = np.random.default_rng(seed)
    chunk = max(1, min(64, 200_000 // max(n, 1)))
    for begin in range(0, n_boot, chunk):
        size = min(chunk, n_boot - begin)
        picked = rng.integers(n_c, size=(size, n_c))          # outlets per draw
        per_instance = sizes[picked].ravel()                  # documents to draw for each
        drawn = int(per_instance.sum())
        within = (rng.random(drawn) * np.repeat(per_instance, per_instance)).astype(int)
        draws = _draw_matrix(per_instance, starts[picked].ravel(), within, order, n)
        if keep:
            counts = draws.data.astype(np.min_scalar_type(int(draws.data.max(initial=0))))
            kept.append((begin, draws.shape, draws.indptr.copy(),
                         draws.indices.astype(np.min_scalar_type(max(n - 1, 0))), counts))
        yield begin, draws
    if keep:  # every chunk was drawn
        _kept_draws[key] = kept
        while sum(a.nbytes for chunks in _kept_draws.values() for c in chunks
                  for a in c[2:]) > _KEPT_DRAW_BYTES:
            _kept_draws.popitem(last=False)


def _draw_matrix(per_instance: np.ndarray, outlet_first: np.ndarray, within: np.ndarray,
                 order: np.ndarray, n: int):
    """The CSR count matrix of one chunk of two-stage draws: row ``r`` (a picked outlet
    instance) makes ``per_instance[r]`` draws (its outlet's size), draw ``t`` taking its
    outlet's ``within[t]``-th document; ``order`` lists the documents sorted by outlet,
    ``outlet_first`` gives each instance's outlet's first place in it.

    Equal, array for array, to ``csr_matrix((ones, (instance, document)))`` (documents
    ascending in each row, repeats summed), which sorted every chunk's draws: here they
    are counted in place, since an instance of an outlet of ``s`` documents makes ``s``
    draws among ``s`` documents (one slot each in a count of all draws), and ``order``
    lists an outlet's documents in ascending order."""
    from scipy import sparse

    rows = per_instance.size
    row_starts = np.cumsum(per_instance) - per_instance
    counts = np.bincount(np.repeat(row_starts, per_instance) + within,
                         minlength=within.size)
    slots = np.flatnonzero(counts)                     # by instance, then document
    row_of = np.repeat(np.arange(rows), per_instance)[slots]
    indices = order[outlet_first[row_of] + slots - row_starts[row_of]]
    indptr = np.r_[0, np.cumsum(np.bincount(row_of, minlength=rows))]
    index_type = np.int32 if max(n, slots.size) <= np.iinfo(np.int32).max else np.int64
    return sparse.csr_matrix((counts[slots].astype(float), indices.astype(index_type),
                              indptr.astype(index_type)), shape=(rows, n))


__all__ += ["outlet_weights", "two_stage_ratio_cis"]
