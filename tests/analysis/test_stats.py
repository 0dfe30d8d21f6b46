"""Bootstrap CIs, permutation tests, Cohen's d, Benjamini-Hochberg, Mann-Whitney."""
from __future__ import annotations

import math

import numpy as np
import pytest

from analysis.stats import (
    benjamini_hochberg,
    bootstrap_ci,
    bootstrap_ratio_ci,
    cohens_d,
    mann_whitney_p,
    permutation_test,
)


def test_bootstrap_ci_covers_true_mean_about_95_percent():
    rng = np.random.default_rng(7)
    covered = 0
    reps = 200
    for i in range(reps):
        sample = rng.normal(loc=3.0, scale=2.0, size=60)
        low, high = bootstrap_ci(sample, n_boot=1000, seed=i)
        covered += low <= 3.0 <= high
    # Percentile bootstrap at n=60 slightly under-covers; 200 reps give SE ~1.5 points.
    assert 0.88 <= covered / reps <= 0.99


def test_bootstrap_ci_edge_cases_and_nan():
    assert all(math.isnan(v) for v in bootstrap_ci([], seed=1))
    assert all(math.isnan(v) for v in bootstrap_ci([np.nan, np.nan], seed=1))
    # One document says nothing about the spread: no interval.
    assert all(np.isnan(bootstrap_ci([0.4], seed=1)))
    assert all(np.isnan(bootstrap_ci([0.4, np.nan], seed=1)))
    low, high = bootstrap_ci([1.0, 2.0, 3.0, np.nan], seed=1)
    assert 1.0 <= low < 2.0 < high <= 3.0


def test_bootstrap_ci_is_deterministic_with_seed_and_changes_with_seed():
    data = np.arange(30, dtype=float)
    assert bootstrap_ci(data, seed=5) == bootstrap_ci(data, seed=5)
    assert bootstrap_ci(data, seed=5) != bootstrap_ci(data, seed=6)


def test_bootstrap_ci_weighted():
    # Constant values: every resample gives the same statistic.
    assert bootstrap_ci([2.0, 2.0, 2.0], seed=0, weights=[1, 5, 9]) == (2.0, 2.0)
    # A heavy document pulls the weighted mean's interval toward its value.
    low, high = bootstrap_ci([0.0, 1.0], seed=0, weights=[1, 99])
    assert 0.9 < high <= 1.0
    with pytest.raises(ValueError):
        bootstrap_ci([1.0, 2.0], seed=0, weights=[1.0])


def test_bootstrap_ci_large_input_is_chunked_and_sane():
    rng = np.random.default_rng(0)
    data = rng.normal(size=20_000)
    low, high = bootstrap_ci(data, n_boot=500, seed=3)
    # SE of the mean is 1/sqrt(20000) ~ 0.007: the 95% CI is about +-0.014 wide.
    assert -0.05 < low < high < 0.05
    assert 0.015 < high - low < 0.04


def test_bootstrap_ratio_ci_pools_mentions_over_documents():
    # Document 1: 3 mentions summing to 1.5; document 2: 1 mention of -0.5; doc 3 none.
    num = [1.5, -0.5, 0.0]
    den = [3, 1, 0]
    low, high = bootstrap_ratio_ci(num, den, seed=2, n_boot=4000)
    # Possible resample ratios: both docs -> 1.0/4 = 0.25 (one each), doc1 only 0.5,
    # doc2 only -0.5, (doc1,doc1) 0.5, (doc2,doc2) -0.5. So the bounds are -0.5 and 0.5.
    assert low == -0.5 and high == 0.5
    assert all(np.isnan(bootstrap_ratio_ci([2.0], [4], seed=0)))
    assert all(math.isnan(v) for v in bootstrap_ratio_ci([0.0], [0], seed=0))


def test_permutation_obvious_and_null_case():
    rng = np.random.default_rng(1)
    a = rng.normal(0.0, 1.0, 40)
    b = rng.normal(3.0, 1.0, 40)
    p = permutation_test(a, b, n_perm=999, seed=1)
    # 40 vs 40 is sampled, never with fewer than 10,001 shuffles; none beats a 3-SD
    # difference, so p is the floor (0 + 1) / (10,001 + 1).
    assert p == pytest.approx(1 / 10_002)
    same = rng.normal(0.0, 1.0, 40)
    other = rng.normal(0.0, 1.0, 40)
    assert permutation_test(same, other, n_perm=999, seed=1) > 0.05


def test_permutation_exact_small_case():
    # a=[0,0], b=[1,1]: of the 6 ways to split {0,0,1,1}, 2 give |diff|=1 (the observed),
    # so the exact p is 2/6, whatever n_perm and seed say.
    assert permutation_test([0.0, 0.0], [1.0, 1.0], n_perm=20000, seed=3) == pytest.approx(1 / 3)
    assert permutation_test([0.0, 0.0], [1.0, 1.0], n_perm=5, seed=9) == pytest.approx(1 / 3)
    assert math.isnan(permutation_test([], [1.0], seed=0))


def test_cohens_d_hand_computed():
    # a: mean 2, var (1+0+1)/2 = 1; b: mean 4, var 1. Pooled SD = sqrt((2+2)/4) = 1.
    assert cohens_d([1, 2, 3], [3, 4, 5]) == pytest.approx(-2.0)
    assert math.isnan(cohens_d([1, 1], [1, 1]))
    assert math.isnan(cohens_d([], [1, 2]))
    assert math.isnan(cohens_d([1], [2]))


def test_benjamini_hochberg_hand_computed():
    p = [0.01, 0.04, 0.03, 0.20]
    # Sorted: 0.01, 0.03, 0.04, 0.20 (m=4). Raw p*m/rank: 0.04, 0.06, 0.0533.., 0.20.
    # Step-up minimum from the top: 0.04, 0.0533.., 0.0533.., 0.20.
    q = benjamini_hochberg(p)
    assert q == pytest.approx([0.04, 0.16 / 3, 0.16 / 3, 0.20])


def test_benjamini_hochberg_nan_and_cap():
    q = benjamini_hochberg([0.5, np.nan, 0.9])
    # m = 2: 0.5*2/1 = 1.0, 0.9*2/2 = 0.9 -> monotone: min(1.0, 0.9) = 0.9, 0.9.
    assert q[0] == pytest.approx(0.9) and q[2] == pytest.approx(0.9)
    assert math.isnan(q[1])
    assert benjamini_hochberg([]).size == 0


def test_mann_whitney():
    assert mann_whitney_p([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]) < 0.01
    assert mann_whitney_p([0, 0], [0, 0, 0]) == 1.0
    assert math.isnan(mann_whitney_p([], [1]))
    # Exact: 2 vs 3 fully separated -> the smallest two-sided p is 2 / C(5,2) = 0.2.
    assert mann_whitney_p([5, 6], [1, 2, 3]) == pytest.approx(0.2)


def test_mann_whitney_with_ties_is_exact_for_small_groups():
    # A term in all 3 documents of one side and in none of the 2 of the other. The zeros
    # are ties, which used to send scipy to the normal approximation (p = 0.139, below
    # the design's floor of 0.2). Exact, by hand: mid-ranks 1.5, 1.5 (zeros), 3, 4, 5;
    # observed rank sum 3+4+5 = 12, centre 3*6/2 = 9. Of the C(5,3) = 10 splits, those
    # with |sum - 9| >= 3 are {3,4,5} = 12 and {1.5,1.5,3} = 6: p = 2/10.
    assert mann_whitney_p([1.0, 2.0, 3.0], [0.0, 0.0]) == pytest.approx(0.2)
    # A zero on the first side too: mid-ranks 2, 2, 2, 4, 5; observed 2+4+5 = 11; splits
    # with |sum - 9| >= 2: {2,4,5} three ways (11) and {2,2,2} (6): p = 4/10.
    assert mann_whitney_p([0.0, 2.0, 3.0], [0.0, 0.0]) == pytest.approx(0.4)


@pytest.mark.parametrize("equal_outlets", [False, True])
def test_two_stage_intervals_from_kept_draws_equal_those_drawn_afresh(monkeypatch,
                                                                     equal_outlets):
    # A re-run after a codebook edit resamples only the edited columns, with the draws
    # the last run kept: each column's interval is the one it gets drawn afresh among
    # all the columns, to the last bit.
    from analysis import aggregate
    from analysis.aggregate import two_stage_ratio_cis

    rng = np.random.default_rng(11)
    outlets = rng.choice(["BBC", "CGTN", "Reuters", "Xinhua"], size=400)
    num = rng.normal(size=(400, 3))
    den = (rng.random((400, 3)) > 0.3).astype(float)

    def cis(columns):
        return two_stage_ratio_cis(num[:, columns], den[:, columns], outlets, n_boot=300,
                                   seed=4, equal_clusters=equal_outlets)

    monkeypatch.setattr(aggregate, "_kept_draws", aggregate.OrderedDict())
    monkeypatch.setattr(aggregate, "_KEPT_DRAW_SET_BYTES", 0)     # never kept
    afresh = cis([0, 1, 2])
    assert not aggregate._kept_draws and np.isfinite(afresh).all()
    monkeypatch.setattr(aggregate, "_KEPT_DRAW_SET_BYTES", 2**30)
    assert np.array_equal(cis([0, 1, 2]), afresh)                 # drawn and kept
    assert len(aggregate._kept_draws) == 1
    for j in range(3):                                            # read back
        assert np.array_equal(cis([j]), afresh[[j]])
    assert len(aggregate._kept_draws) == 1
    other = two_stage_ratio_cis(num, den, outlets, n_boot=300, seed=5,
                                equal_clusters=equal_outlets)
    assert not np.array_equal(other, afresh)                      # another seed: drawn
    assert len(aggregate._kept_draws) == 2


def _two_stage_draws_as_first_written(codes, n_boot, seed):
    """The two-stage draws as first written (each chunk's draws sorted by scipy into a
    CSR matrix), the reference for the draws counted in place."""
    from scipy import sparse

    n = codes.size
    order = np.argsort(codes, kind="stable")
    sizes = np.bincount(codes)
    starts = np.r_[0, np.cumsum(sizes)[:-1]]
    n_c = sizes.size
    rng = np.random.default_rng(seed)
    chunk = max(1, min(64, 200_000 // max(n, 1)))
    for begin in range(0, n_boot, chunk):
        size = min(chunk, n_boot - begin)
        picked = rng.integers(n_c, size=(size, n_c))
        per_instance = sizes[picked].ravel()
        instance = np.repeat(np.arange(size * n_c), per_instance)
        offset = np.repeat(starts[picked].ravel(), per_instance)
        within = (rng.random(instance.size) * np.repeat(per_instance, per_instance)).astype(int)
        docs = order[offset + within]
        yield begin, sparse.csr_matrix((np.ones(instance.size), (instance, docs)),
                                       shape=(size * n_c, n))


@pytest.mark.parametrize("layout", ["few outlets", "shuffled", "one outlet",
                                    "documents without outlets", "one large outlet"])
def test_two_stage_draws_are_the_matrices_first_drawn(monkeypatch, layout):
    # The draws are counted in place instead of sorted into a matrix: every chunk's
    # matrix is array for array (types too) the one first drawn, so every interval
    # stays the same to the last bit.
    from analysis import aggregate

    rng = np.random.default_rng(5)
    n = 3000
    codes = {"few outlets": np.sort(rng.integers(6, size=n)),
             "shuffled": rng.integers(40, size=n),
             "one outlet": np.zeros(n, dtype=int),
             "documents without outlets": np.r_[np.zeros(10, dtype=int), np.arange(1, n - 9)],
             "one large outlet": np.r_[np.zeros(n - 5, dtype=int), np.arange(1, 6)]}[layout]
    monkeypatch.setattr(aggregate, "_kept_draws", aggregate.OrderedDict())
    monkeypatch.setattr(aggregate, "_KEPT_DRAW_SET_BYTES", 0)
    drawn = list(aggregate._two_stage_draws(codes, 150, 9))
    reference = list(_two_stage_draws_as_first_written(codes, 150, 9))
    assert [b for b, _ in drawn] == [b for b, _ in reference]
    for (_, got), (_, want) in zip(drawn, reference, strict=True):
        assert got.shape == want.shape
        for part in ("indptr", "indices", "data"):
            assert getattr(got, part).dtype == getattr(want, part).dtype
            assert np.array_equal(getattr(got, part), getattr(want, part))


def _two_stage_cis_with_two_products(num, den, clusters, n_boot, seed, equal_clusters):
    """The two-stage intervals as first written: the sparse products on the arrays as
    pandas hands them over (in column order); the reference for the arrays put in rows
    once."""
    from analysis.aggregate import _two_stage_draws

    k = num.shape[1]
    _, codes = np.unique(np.asarray(clusters, dtype=object).astype(str), return_inverse=True)
    n_c = int(codes.max()) + 1
    stats = np.empty((n_boot, k))
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
    out, alpha = np.full((k, 2), np.nan), (1.0 - 0.95) / 2.0
    for j in range(k):
        col = stats[:, j][np.isfinite(stats[:, j])]
        if (den[:, j] > 0).sum() >= 2 and col.size:
            out[j] = np.quantile(col, [alpha, 1.0 - alpha])
    return out


@pytest.mark.parametrize("equal_outlets", [False, True])
def test_two_stage_intervals_from_arrays_in_rows_equal_those_first_made(monkeypatch,
                                                                        equal_outlets):
    # The numerators and denominators are put in rows (C order) once instead of by
    # scipy for every product: every interval is the one first made, to the last bit.
    from analysis import aggregate
    from analysis.aggregate import two_stage_ratio_cis

    rng = np.random.default_rng(12)
    outlets = rng.choice(["BBC", "CGTN", "Reuters", "Xinhua", ""], size=2000)
    den = np.asfortranarray(rng.integers(0, 4, size=(2000, 9)).astype(float))
    num = np.asfortranarray(rng.normal(size=(2000, 9)) * den)
    monkeypatch.setattr(aggregate, "_kept_draws", aggregate.OrderedDict())
    want = _two_stage_cis_with_two_products(num, den, outlets, 400, 4, equal_outlets)
    got = two_stage_ratio_cis(num, den, outlets, n_boot=400, seed=4,
                              equal_clusters=equal_outlets)
    assert np.isfinite(got).all() and got.tobytes() == want.tobytes()


def test_unique_columns_are_numpys_unique_columns():
    # The permutation test's distinct weight columns, found by their bytes first: the
    # columns, their order and the inverse are np.unique's.
    from analysis.aggregate import _unique_columns

    rng = np.random.default_rng(2)
    for trial in range(100):
        kinds = rng.integers(0, 3, size=(rng.integers(1, 40), rng.integers(1, 5)))
        a = kinds[:, rng.integers(0, kinds.shape[1], size=rng.integers(1, 30))] * 0.5
        a = np.asfortranarray(a) if trial % 2 else a
        want_cols, want_inverse = np.unique(a, axis=1, return_inverse=True)
        cols, inverse = _unique_columns(a)
        assert cols.dtype == want_cols.dtype and cols.tobytes() == want_cols.tobytes()
        assert cols.shape == want_cols.shape
        assert np.array_equal(inverse, want_inverse.ravel())
