"""Permutation tests are exact when the sample allows it and say what the sample allows."""
import math

import numpy as np
import pandas as pd
import pytest

from analysis.aggregate import permutation_pvalues
from analysis.permutation import EXACT_LIMIT, design
from analysis.stats import cohens_d, mann_whitney_p, permutation_test


def test_three_against_two_separated_groups_give_exact_p_of_one_tenth():
    # 5 documents split 3/2 have C(5,3) = 10 arrangements; only the observed one is as
    # extreme, so p = 1/10 exactly, and no sample of this size can give less.
    assert permutation_test([5.0, 6.0, 7.0], [1.0, 2.0], seed=1) == pytest.approx(0.1)
    plan = design(3, 2)
    assert plan.exact and plan.n_arrangements == 10
    assert plan.method == "exact (10 arrangements)"
    assert plan.p_min == pytest.approx(0.1)
    assert not plan.can_reach(0.05)


def test_equal_groups_count_the_mirror_arrangement():
    plan = design(3, 3)  # 20 arrangements; the mirror image has the same |difference|
    assert plan.p_min == pytest.approx(2 / 20)
    assert permutation_test([5.0, 6.0, 7.0], [1.0, 2.0, 3.0]) == pytest.approx(0.1)


def test_identically_structured_columns_get_identical_exact_p():
    # Two topics whose per-document shares are the same pattern on different scales, and
    # a third with no difference at all: exact p 0.4 for both, 1.0 for the third.
    in_a = np.r_[np.ones(3, bool), np.zeros(2, bool)]
    frame = pd.DataFrame({"t1": [0.5, 0.1, 0.3, 0.2, 0.4],
                          "t2": [5.0, 1.0, 3.0, 2.0, 4.0],
                          "t3": [0.2, 0.2, 0.2, 0.2, 0.2]})
    p = permutation_pvalues(frame, in_a, n_perm=100, seed=7)
    assert p[0] == p[1]
    assert p[2] == pytest.approx(1.0)
    # a = {0.5, 0.1, 0.3} mean 0.3, b mean 0.3: |d| = 0; every arrangement is as extreme.
    assert p[0] == pytest.approx(1.0)
    frame2 = pd.DataFrame({"t1": [0.7, 0.6, 0.5, 0.2, 0.1], "t2": [70, 60, 50, 20, 10.0]})
    p2 = permutation_pvalues(frame2, in_a, n_perm=100, seed=7)
    assert p2[0] == p2[1] == pytest.approx(0.1)


def test_large_groups_use_enough_random_arrangements_for_a_small_mc_error():
    plan = design(40, 40, n_resamples=2000)
    assert not plan.exact and plan.n_arrangements > EXACT_LIMIT
    assert plan.n_resamples >= 10_001
    assert plan.mc_error(0.5) < 0.005
    assert plan.method.startswith("Monte Carlo (10,001")
    assert plan.can_reach(0.05)


def test_monte_carlo_p_agrees_with_the_exact_one_within_its_error():
    # 9 vs 8 (24,310 arrangements) is sampled; the true p is known by enumerating it here.
    from itertools import combinations
    rng = np.random.default_rng(4)
    a, b = rng.normal(0.0, 1.0, 9), rng.normal(0.6, 1.0, 8)
    values = np.r_[a, b]
    observed = abs(a.mean() - b.mean())
    total = values.sum()
    exact_hits = 0
    n = 0
    for combo in combinations(range(17), 9):
        sa = values[list(combo)].sum()
        exact_hits += abs(sa / 9 - (total - sa) / 8) >= observed - 1e-12
        n += 1
    exact = exact_hits / n
    p = permutation_test(a, b, seed=11)
    assert abs(p - exact) < 4 * design(9, 8).mc_error(exact) + 1e-4


def test_mann_whitney_uses_the_same_exact_arrangements():
    assert mann_whitney_p([3.0, 4.0, 5.0], [1.0, 2.0]) == pytest.approx(0.2)
    assert math.isnan(mann_whitney_p([], [1.0]))


def test_weighted_cohens_d_uses_the_difference_of_the_shown_means():
    # Group a: two documents, one with 3 mentions at 1.0, one with 1 mention at 0.0 ->
    # pooled mean 0.75; b: 0.0 and 0.5 with 1 mention each -> 0.25. The difference d's
    # numerator uses is 0.5, the one the table shows.
    a, wa = [1.0, 0.0], [3.0, 1.0]
    b, wb = [0.0, 0.5], [1.0, 1.0]
    d = cohens_d(a, b, wa, wb)
    assert d > 0
    # Equal weights reproduce the textbook formula.
    assert cohens_d([1, 2, 3], [3, 4, 5], [1, 1, 1], [2, 2, 2]) == pytest.approx(-2.0)
    # When the weights change which mean is larger, d follows the weighted (shown) means.
    a2, wa2 = [1.0, -1.0], [1.0, 9.0]
    b2 = [-0.1, 0.0, 0.0]
    assert cohens_d(a2, b2) > 0 > cohens_d(a2, b2, wa2, None)


def test_groups_of_thousands_of_documents_are_tested_and_described():
    """C(20,000, 10,000) has about 6,000 digits, more than Python turns into text: the
    memo key of the test and the results.json entry must not need its digits (a
    100,000-article analysis failed there after 16 minutes)."""
    import json

    import pandas as pd

    from analysis import reduce_memo
    from analysis.aggregate import permutation_pvalues
    from analysis.compare import _design_entry
    from analysis.permutation import design

    rng = np.random.default_rng(3)
    in_a = np.zeros(20_000, dtype=bool)
    in_a[:10_000] = True
    values = pd.DataFrame({"shifted": rng.normal(size=20_000) + in_a * 0.5,
                           "same": rng.normal(size=20_000)})
    reduce_memo.clear()
    p = permutation_pvalues(values, in_a, n_perm=200, seed=1)
    assert p[0] < 0.01 < p[1]

    entry = json.loads(json.dumps(_design_entry(design(10_000, 10_000))))
    assert entry["n_arrangements"] is None and 6000 < entry["n_arrangements_log10"] < 6030
    assert entry["method"] == "Monte Carlo (10,001 random arrangements)"
    small = _design_entry(design(3, 2))
    assert small["n_arrangements"] == 10 and small["n_arrangements_log10"] == 1.0


def test_arrangements_drawn_again_are_the_ones_first_drawn():
    # A second test with the same labels and seed reads the arrangements it kept (a
    # re-run tests the edited frames again): the very same rows, so the same p-values.
    from analysis import permutation
    from analysis.permutation import label_masks

    permutation._kept.clear()
    in_a = np.r_[np.ones(40, bool), np.zeros(30, bool)]
    plan = design(40, 30, 600)
    assert not plan.exact and plan.n_resamples == 10_001
    drawn = np.vstack([m.copy() for m in label_masks(in_a, plan, seed=3)])
    assert len(permutation._kept) == 1
    again = np.vstack([m.copy() for m in label_masks(in_a, plan, seed=3)])
    assert drawn.dtype == again.dtype == float
    assert np.array_equal(drawn, again) and again.shape == (10_001, 70)
    assert not np.array_equal(drawn, np.vstack([m.copy() for m in label_masks(in_a, plan, seed=4)]))
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.normal(size=(70, 3)))
    from analysis.aggregate import _permutation_pvalues

    permutation._kept.clear()
    fresh = _permutation_pvalues(frame, in_a, n_perm=600, seed=3)
    kept = _permutation_pvalues(frame, in_a, n_perm=600, seed=3)
    assert np.array_equal(fresh, kept) and np.isfinite(fresh).all()


def _drawn_as_before(in_a: np.ndarray, plan, seed: int) -> np.ndarray:
    """The arrangements as they were drawn before large corpora reused one buffer: each
    chunk of 256 a new shuffled float array (the reference the buffered draws must equal)."""
    rng = np.random.default_rng(seed)
    row, n = in_a.astype(float), in_a.size
    return np.vstack([rng.permuted(np.broadcast_to(row, (min(256, plan.n_resamples - s), n)),
                                   axis=1) for s in range(0, plan.n_resamples, 256)])


@pytest.mark.parametrize("kept", [True, False])
def test_a_large_corpus_gets_the_same_arrangements_and_p_values_from_one_buffer(
        monkeypatch, kept):
    # A large corpus draws the arrangements as bytes and hands them out in one reused
    # float buffer (no new 205 MB block per chunk at 100,000 documents): the same rows,
    # drawn fresh or read back from the kept bits, and so the same p-values.
    from analysis import permutation
    from analysis.aggregate import _permutation_pvalues
    from analysis.permutation import label_masks

    rng = np.random.default_rng(5)
    in_a = rng.random(300) < 0.4
    plan = design(int(in_a.sum()), int((~in_a).sum()), 10_001)
    x = rng.normal(size=(300, 6))
    x[rng.random(x.shape) < 0.3] = np.nan
    frame = pd.DataFrame(x)
    weights = pd.DataFrame(np.where(np.isnan(x), 0.0, rng.integers(0, 4, size=x.shape)))
    permutation._kept.clear()
    small = _permutation_pvalues(frame, in_a, n_perm=10_001, seed=3, weights=weights)
    monkeypatch.setattr(permutation, "_BLOCK_BYTES", 0)     # every chunk goes through it
    monkeypatch.setattr(permutation, "_KEPT_BYTES", 2**30 if kept else 0)
    permutation._kept.clear()
    for _ in range(2):   # drawn, then (when kept) read back from the kept bits
        blocks = [m.copy() for m in label_masks(in_a, plan, seed=3)]
        assert np.array_equal(np.vstack(blocks), _drawn_as_before(in_a, plan, 3))
        assert all(b.dtype == float and len(b) <= 256 for b in blocks)
        assert np.array_equal(_permutation_pvalues(frame, in_a, n_perm=10_001, seed=3,
                                                   weights=weights), small, equal_nan=True)
    assert len(permutation._kept) == (1 if kept else 0)
    assert np.isfinite(small).all()


def test_exact_arrangements_of_a_large_corpus_come_in_blocks_of_the_same_rows(monkeypatch):
    # One document against many is exact; its arrangements of many documents come in
    # blocks of the buffer, and together they are every arrangement once.
    from analysis import permutation
    from analysis.permutation import label_masks

    in_a = np.r_[np.ones(1, bool), np.zeros(600, bool)]
    plan = design(1, 600)
    whole = np.vstack([m.copy() for m in label_masks(in_a, plan, seed=0)])
    monkeypatch.setattr(permutation, "_BLOCK_BYTES", 0)
    blocks = [m.copy() for m in label_masks(in_a, plan, seed=0)]
    assert np.array_equal(np.vstack(blocks), whole)
    assert np.array_equal(whole, np.eye(601)) and max(len(b) for b in blocks) == 256


def _chunks_as_first_drawn(in_a: np.ndarray, plan, seed: int):
    """The Monte Carlo arrangements as first made: each chunk shuffled as bytes, then
    turned into a new float array (laid out column by column, as numpy's shuffle of a
    broadcast row gives it)."""
    rng = np.random.default_rng(seed)
    n = in_a.size
    for start in range(0, plan.n_resamples, 256):
        size = min(256, plan.n_resamples - start)
        yield rng.permuted(np.broadcast_to(in_a, (size, n)), axis=1).astype(float)


def _weighted_documents(seed: int):
    """3,000 documents in two groups, 12 columns with gaps; weights of 0 where a value is
    missing, counts of 1-4 in the last four columns. The generator goes on for more."""
    rng = np.random.default_rng(seed)
    in_a = rng.random(3000) < 0.45
    x = rng.normal(size=(3000, 12))
    x[rng.random(x.shape) < 0.2] = np.nan
    weights = np.where(np.isnan(x), 0.0, rng.integers(1, 5, size=x.shape).astype(float))
    weights[:, :8] = np.isfinite(x[:, :8])
    return rng, in_a, x, weights


def test_p_values_equal_those_from_the_arrangements_as_first_drawn(monkeypatch):
    # The arrangements are shuffled in place as floats in one block (no bytes, no copy,
    # rows laid out one after the other): the very same rows, and the p-values of a
    # corpus of thousands of documents (the product on BLAS's threads) to the last bit.
    from analysis import aggregate, permutation
    from analysis.aggregate import _permutation_pvalues

    rng, in_a, x, weights = _weighted_documents(8)
    permutation._kept.clear()
    plan = design(int(in_a.sum()), int((~in_a).sum()), 10_001)
    drawn = _permutation_pvalues(x, in_a, n_perm=10_001, seed=6, weights=weights)
    assert len(permutation._kept) == 1                        # kept for a re-run
    again = _permutation_pvalues(x, in_a, n_perm=10_001, seed=6, weights=weights)
    monkeypatch.setattr(aggregate, "label_masks", _chunks_as_first_drawn)
    first = _permutation_pvalues(x, in_a, n_perm=10_001, seed=6, weights=weights, plan=plan)
    assert np.isfinite(first).all() and len(set(first.tolist())) > 6
    assert np.array_equal(drawn, first) and np.array_equal(again, first)


def test_one_blas_thread_gives_the_p_values_and_intervals_of_several():
    # The group comparisons run their products on one BLAS thread (less CPU: a second
    # thread spun between them); every p-value and interval keeps its last bit. The
    # products here (256 arrangements of 3,000 documents by 16 columns) are large
    # enough for OpenBLAS to share them out among its threads.
    from threadpoolctl import threadpool_limits

    from analysis import aggregate, permutation, reduce_memo
    from analysis.aggregate import (
        _permutation_pvalues,
        bootstrap_ratio_cis,
        one_blas_thread,
        two_stage_ratio_cis,
    )

    rng, in_a, x, weights = _weighted_documents(11)
    outlets = rng.integers(0, 9, size=3000).astype(str)

    def figures():
        reduce_memo.clear()
        permutation._kept.clear()
        aggregate._kept_draws.clear()
        aggregate._last_weights = None
        num = np.nan_to_num(x) * weights
        return (_permutation_pvalues(x, in_a, n_perm=10_001, seed=6, weights=weights),
                bootstrap_ratio_cis(num, weights, n_boot=2000, seed=3),
                two_stage_ratio_cis(num, weights, outlets, n_boot=500, seed=3))

    with threadpool_limits(limits=2, user_api="blas"):
        several = figures()
    with one_blas_thread():
        one = figures()
    for a, b in zip(several, one, strict=True):
        assert np.isfinite(a).any() and a.tobytes() == b.tobytes()
