"""Mid-ranks and the Mann-Whitney U test's two-sided p-value, computed as scipy.stats
computes them, to the bit, without importing scipy.stats.

Why: the keyness tables' document-level test (:func:`analysis.stats.mann_whitney_p`) is
the only use of scipy.stats in the analysing process, and importing it took about a
second of one core there (0.4 s on a quiet machine), while the per-document workers need
both cores. Only ``scipy.special`` is imported here (for the normal tail, a twentieth of
that).

The same operations in the same order as ``scipy.stats.mannwhitneyu`` (its asymptotic
method with the tie correction and the continuity correction) and ``scipy.stats.rankdata``
(method "average"); where scipy would take its exact distribution (a group of at most 8
values and no ties) the test is scipy's own. tests/analysis/test_rank_test.py compares
the results bit for bit.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

__all__ = ["mannwhitneyu", "rankdata"]


class MannWhitneyResult(NamedTuple):
    statistic: float
    pvalue: float


def _ranks(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mid-ranks of ``values`` (1-d float), and the tie counts in scipy's form: each
    distinct value's count at the sorted position of its first occurrence, 0 elsewhere."""
    n = values.size
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    first = np.concatenate([np.ones(min(n, 1), dtype=bool), ordered[:-1] != ordered[1:]])
    counts = np.diff(np.arange(n)[first], append=np.asarray([n]))
    ranks = np.arange(1, n + 1, dtype=np.float64)[first] + (counts.astype(np.float64) - 1) / 2
    out = np.empty(n, dtype=np.float64)
    out[order] = np.repeat(ranks, counts)
    ties = np.zeros(n, dtype=np.float64)
    ties[first] = counts
    return out, ties


def rankdata(values) -> np.ndarray:
    """``scipy.stats.rankdata(values)`` (mid-ranks for ties) of values without NaN."""
    return _ranks(np.asarray(values, dtype=np.float64).ravel())[0]


def mannwhitneyu(x, y, alternative: str = "two-sided") -> MannWhitneyResult:
    """``scipy.stats.mannwhitneyu(x, y, alternative="two-sided")`` of two non-empty 1-d
    samples without NaN."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    n1, n2 = x.size, y.size
    if (alternative != "two-sided" or x.ndim != 1 or y.ndim != 1 or not n1 or not n2
            or np.isnan(x).any() or np.isnan(y).any()):
        return _scipy(x, y, alternative)
    ranks, ties = _ranks(np.concatenate([x, y]))
    r1 = np.sum(ranks[:n1], axis=-1)
    u1 = r1 - n1 * (n1 + 1) / 2
    u2 = n1 * n2 - u1
    u = np.maximum(u1, u2)
    if not (n1 > 8 and n2 > 8) and not np.any(ties > 1):
        return _scipy(x, y, alternative)   # scipy's exact distribution
    from scipy.special import ndtr

    mu = n1 * n2 / 2
    n = n1 + n2
    tie_term = np.sum(ties**3 - ties, axis=-1)
    s = np.sqrt(n1 * n2 / 12 * ((n + 1) - tie_term / (n * (n - 1))))
    numerator = u - mu
    numerator -= 0.5
    with np.errstate(divide="ignore", invalid="ignore"):
        z = numerator / s
    p = ndtr(-z)
    p *= 2
    return MannWhitneyResult(u1, np.clip(p, 0.0, 1.0)[()])


def _scipy(x, y, alternative: str) -> MannWhitneyResult:
    from scipy.stats import mannwhitneyu as scipy_mannwhitneyu

    found = scipy_mannwhitneyu(x, y, alternative=alternative)
    return MannWhitneyResult(found.statistic, found.pvalue)
