"""analysis.rank_test gives scipy.stats' mid-ranks and Mann-Whitney p-values bit for bit
(the keyness tables' document-level test reads them), on samples full of ties as
keyness data are, without ties, small and large."""
from __future__ import annotations

import numpy as np
import pytest
import scipy.stats

from analysis import rank_test


def _samples(seed: int):
    rng = np.random.default_rng(seed)
    for _ in range(400):
        n1, n2 = (int(v) for v in rng.choice([1, 2, 3, 5, 8, 9, 12, 40, 300, 2500], size=2))
        kind = rng.integers(0, 4)
        if kind == 0:     # relative frequencies: most documents never use the term
            make = lambda n: np.where(rng.random(n) < 0.7, 0.0,  # noqa: E731
                                      rng.integers(1, 9, n) / rng.integers(50, 900, n))
        elif kind == 1:   # no ties
            make = lambda n: rng.normal(size=n)  # noqa: E731
        elif kind == 2:   # a few distinct values
            make = lambda n: rng.integers(0, 3, n).astype(float)  # noqa: E731
        else:             # shifted, with infinities
            make = lambda n: np.where(rng.random(n) < 0.05, np.inf,  # noqa: E731
                                      rng.exponential(size=n) + 0.3)
        yield make(n1), make(n2)


def _bits(value) -> bytes:
    return np.float64(value).tobytes()


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_mannwhitneyu_equals_scipy_bit_for_bit(seed):
    for x, y in _samples(seed):
        ours = rank_test.mannwhitneyu(x, y, alternative="two-sided")
        theirs = scipy.stats.mannwhitneyu(x, y, alternative="two-sided")
        assert _bits(ours.pvalue) == _bits(theirs.pvalue), (x, y)
        assert _bits(ours.statistic) == _bits(theirs.statistic)
        assert 0.0 <= ours.pvalue <= 1.0


def test_identical_values_and_the_exact_branch():
    cases = [(np.zeros(20), np.zeros(30)), (np.ones(3), np.ones(2)),
             (np.array([1.0, 2.0, 3.0]), np.array([4.0, 5.0, 6.0, 7.0, 8.5])),
             (np.arange(9.0), np.arange(9.0) + 0.5), (np.arange(8.0), np.arange(100.0))]
    for x, y in cases:
        assert _bits(rank_test.mannwhitneyu(x, y).pvalue) == _bits(
            scipy.stats.mannwhitneyu(x, y, alternative="two-sided").pvalue)


@pytest.mark.parametrize("seed", [0, 1])
def test_rankdata_equals_scipy(seed):
    for x, y in _samples(seed):
        values = np.concatenate([x, y])
        ours = rank_test.rankdata(values)
        assert ours.dtype == np.float64
        assert ours.tobytes() == scipy.stats.rankdata(values).tobytes()
    assert rank_test.rankdata([]).tobytes() == scipy.stats.rankdata([]).tobytes()


def test_mann_whitney_p_equals_it_with_scipy(monkeypatch):
    """The keyness test itself, exact (small groups) and asymptotic, with scipy's
    functions put back in its place."""
    from analysis import stats

    pairs = list(_samples(7))
    ours = [stats.mann_whitney_p(x, y) for x, y in pairs]
    monkeypatch.setattr(rank_test, "mannwhitneyu", scipy.stats.mannwhitneyu)
    monkeypatch.setattr(rank_test, "rankdata", scipy.stats.rankdata)
    theirs = [stats.mann_whitney_p(x, y) for x, y in pairs]
    assert [_bits(p) for p in ours] == [_bits(p) for p in theirs]
