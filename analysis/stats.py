"""Group statistics with documents as the unit: bootstrap CIs, permutation tests, effect sizes, FDR.

Everything is vectorised numpy and seeded, so the same inputs give the same figures on
every run and every machine (numpy's ``default_rng`` / PCG64 is stable across platforms).
"""
from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

__all__ = ["bootstrap_ci", "bootstrap_ratio_ci", "permutation_test", "cohens_d",
           "benjamini_hochberg", "mann_whitney_p"]



def _as_clean(values: Sequence[float] | np.ndarray) -> np.ndarray:
    arr = np.asarray(values, dtype=float).ravel()
    return arr[~np.isnan(arr)]


def bootstrap_ci(values: Sequence[float] | np.ndarray, *, n_boot: int = 2000, seed: int = 0,
                 weights: Sequence[float] | np.ndarray | None = None,
                 level: float = 0.95) -> tuple[float, float]:
    """Percentile bootstrap CI of the (weighted) mean over documents.

    One series at a time; :func:`analysis.aggregate.bootstrap_ratio_cis` does the work
    (for many columns at once in the pipeline).

    Parameters
    ----------
    values : array-like
        One value per document. NaN values (documents where the figure is undefined)
        are dropped together with their weights.
    weights : array-like, optional
        One non-negative weight per document (e.g. its word count).

    Returns
    -------
    (low, high) : tuple of float
        ``(nan, nan)`` with fewer than two documents: one says nothing about the spread.
    """
    raw = np.asarray(values, dtype=float).ravel()
    w = np.ones_like(raw) if weights is None else np.asarray(weights, dtype=float).ravel()
    if w.shape != raw.shape:
        raise ValueError("weights must have one value per document")
    keep = ~np.isnan(raw)
    return bootstrap_ratio_ci(raw[keep] * w[keep], w[keep], n_boot=n_boot, seed=seed,
                              level=level)


def bootstrap_ratio_ci(numerators: Sequence[float] | np.ndarray,
                       denominators: Sequence[float] | np.ndarray, *, n_boot: int = 2000,
                       seed: int = 0, level: float = 0.95) -> tuple[float, float]:
    """Bootstrap CI of a pooled ratio ``sum(num) / sum(den)``, resampling documents.

    Used for figures pooled over mentions: a target's mean mention score in a group is
    (sum of mention scores) / (number of mentions), but documents, not mentions, are the
    independent units, so whole documents are resampled. Documents with a NaN in either
    value, or a zero denominator, carry no mention and are dropped.

    Returns ``(nan, nan)`` when fewer than two documents have a positive denominator.
    """
    from analysis.aggregate import bootstrap_ratio_cis

    num = np.asarray(numerators, dtype=float).ravel()
    den = np.asarray(denominators, dtype=float).ravel()
    if num.shape != den.shape:
        raise ValueError("numerators and denominators must have the same length")
    keep = ~(np.isnan(num) | np.isnan(den)) & (den > 0)
    low, high = bootstrap_ratio_cis(num[keep], den[keep], n_boot=n_boot, seed=seed,
                                    level=level)[0]
    return (float(low), float(high))


def permutation_test(a: Sequence[float] | np.ndarray, b: Sequence[float] | np.ndarray, *,
                     n_perm: int = 2000, seed: int = 0) -> float:
    """Two-sided permutation test of the difference in means between two groups of documents.

    Exact (every arrangement of the labels) when there are at most 20,000 arrangements;
    otherwise ``max(n_perm, 10,001)`` random ones and ``p = (k + 1) / (n + 1)`` (see
    :mod:`analysis.permutation`). NaN values are dropped. Returns NaN when either group is empty. One series at a time;
    :func:`analysis.aggregate.permutation_pvalues` does the work.
    """
    import pandas as pd

    from analysis.aggregate import permutation_pvalues

    x, y = _as_clean(a), _as_clean(b)
    if x.size == 0 or y.size == 0:
        return math.nan
    values = pd.DataFrame({"x": np.concatenate([x, y])})
    in_a = np.r_[np.ones(x.size, bool), np.zeros(y.size, bool)]
    return float(permutation_pvalues(values, in_a, n_perm=n_perm, seed=seed)[0])


def cohens_d(a: Sequence[float] | np.ndarray, b: Sequence[float] | np.ndarray,
             weights_a: Sequence[float] | np.ndarray | None = None,
             weights_b: Sequence[float] | np.ndarray | None = None) -> float:
    """Cohen's d: difference in (weighted) means (a - b) over the pooled standard deviation.

    Unweighted: pooled SD = sqrt(((n_a-1) s_a^2 + (n_b-1) s_b^2) / (n_a + n_b - 2)).
    With weights (the ones that make the group figures, e.g. a document's number of target
    mentions, or 1 / documents of its outlet), the means are the weighted means the groups
    show, so d's numerator is exactly the difference reported beside it; each group's
    variance is the weighted one with Kish's effective size n_eff = (sum w)^2 / sum w^2 in
    place of n (equal weights give the unweighted formula). Returns NaN when it is
    undefined: fewer than two documents in all, an empty group, or zero spread.
    """
    x, wx = _clean_weighted(a, weights_a)
    y, wy = _clean_weighted(b, weights_b)
    if x.size == 0 or y.size == 0 or x.size + y.size < 3:
        return math.nan
    mx, my = np.average(x, weights=wx), np.average(y, weights=wy)
    ss, df = 0.0, 0.0
    for v, w, m in ((x, wx, mx), (y, wy, my)):
        n_eff = w.sum() ** 2 / np.sum(w ** 2)
        if v.size > 1 and n_eff > 1:
            var = np.sum(w * (v - m) ** 2) / w.sum() * n_eff / (n_eff - 1.0)
            ss += var * (n_eff - 1.0)
        df += n_eff - 1.0
    if df <= 0:
        return math.nan
    pooled = math.sqrt(ss / df)
    if pooled == 0.0 or not math.isfinite(pooled):
        return math.nan
    return float((mx - my) / pooled)


def _clean_weighted(values, weights) -> tuple[np.ndarray, np.ndarray]:
    """Values and weights without NaN values or non-positive weights."""
    v = np.asarray(values, dtype=float).ravel()
    w = np.ones_like(v) if weights is None else np.asarray(weights, dtype=float).ravel()
    keep = np.isfinite(v) & np.isfinite(w) & (w > 0)
    return v[keep], w[keep]


def benjamini_hochberg(pvals: Sequence[float] | np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (q-values), in the input order.

    q_(i) = min over j >= i of (m / j) p_(j), capped at 1, where p_(1) <= ... <= p_(m) are
    the sorted p-values and m counts the non-NaN ones. NaN inputs stay NaN and do not
    count towards m.
    """
    p = np.asarray(pvals, dtype=float).ravel()
    q = np.full(p.shape, np.nan)
    ok = np.flatnonzero(~np.isnan(p))
    m = ok.size
    if m == 0:
        return q
    order = ok[np.argsort(p[ok], kind="mergesort")]
    ranked = p[order] * m / np.arange(1, m + 1)
    # Step-up: running minimum from the largest p-value down keeps q monotone.
    ranked = np.minimum.accumulate(ranked[::-1])[::-1]
    q[order] = np.minimum(ranked, 1.0)
    return q


def mann_whitney_p(a: Sequence[float] | np.ndarray, b: Sequence[float] | np.ndarray) -> float:
    """Two-sided Mann-Whitney U p-value over documents.

    Used for the document-level keyness test on per-document relative frequencies. For
    small groups (at most 20,000 ways to split the documents, e.g. 8 against 8) the p-value
    is exact: every split is enumerated by :func:`analysis.permutation.label_masks`, ties get mid-ranks. This matters because
    keyness data are full of ties (documents that never use the term), and the normal
    approximation then gives p-values below what the design allows (0.11 for 3 against
    2 documents, where no split of five documents can give less than 0.2). Larger
    groups use scipy's asymptotic test with tie correction. Returns NaN when a group is
    empty, and 1.0 when all values are identical (no evidence of a difference).
    """
    from analysis.permutation import design, label_masks
    from analysis.rank_test import mannwhitneyu, rankdata  # scipy.stats's, to the bit

    x, y = _as_clean(a), _as_clean(b)
    nx, ny = x.size, y.size
    if nx == 0 or ny == 0:
        return math.nan
    if np.all(x == x[0]) and np.all(y == x[0]):
        return 1.0
    plan = design(nx, ny)
    if not plan.exact:
        return float(mannwhitneyu(x, y, alternative="two-sided").pvalue)
    ranks = rankdata(np.concatenate([x, y]))  # mid-ranks for ties
    centre = nx * (nx + ny + 1) / 2.0
    observed = abs(ranks[:nx].sum() - centre)
    in_x = np.r_[np.ones(nx, bool), np.zeros(ny, bool)]
    extreme = 0
    for mask in label_masks(in_x, plan, seed=0):
        # Tolerance: rank sums equal in exact arithmetic count as "at least as extreme".
        extreme += np.count_nonzero(np.abs(mask @ ranks - centre) >= observed - 1e-9)
    return float(extreme / plan.n_arrangements)
