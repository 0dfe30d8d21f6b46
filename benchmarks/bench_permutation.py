"""Time of the group tests and intervals at corpus scale: the Monte Carlo permutation test
(10,001 arrangements, the fewest that keep its error below 0.005) and the one- and
two-stage bootstraps.

Run: python -m benchmarks.bench_permutation [--docs 20000] [--figures 60] [--draws-only]

It also prints the CPU seconds of testing one column, then another column with the same
labels: a re-run after a codebook edit tests only the edited frames' columns, with the
arrangements the last run used.
"""
from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from analysis.aggregate import bootstrap_ratio_cis, permutation_pvalues, two_stage_ratio_cis
from analysis.permutation import MC_MIN_RESAMPLES


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=20_000)
    ap.add_argument("--figures", type=int, default=60)
    ap.add_argument("--outlets", type=int, default=40)
    ap.add_argument("--draws-only", action="store_true",
                    help="only the random draws: a test's arrangements of the labels and "
                         "one group's two-stage bootstrap draws (no products)")
    args = ap.parse_args(argv)
    if args.draws_only:
        _draws(args.docs, args.outlets)
        return
    rng = np.random.default_rng(0)
    values = rng.normal(size=(args.docs, args.figures))
    in_a = np.arange(args.docs) < args.docs // 2
    took = _clock()
    permutation_pvalues(pd.DataFrame(values), in_a, n_perm=MC_MIN_RESAMPLES, seed=1)
    print(f"permutation tests, {args.docs:,} documents x {args.figures} figures, "
          f"{MC_MIN_RESAMPLES:,} arrangements: {took()}")
    for label in ("one column", "another column, same labels"):
        column = pd.DataFrame(rng.normal(size=(args.docs, 1)))
        start = time.process_time()
        permutation_pvalues(column, in_a, n_perm=MC_MIN_RESAMPLES, seed=2)
        print(f"permutation test, {label}: {time.process_time() - start:.2f} CPU s")
    half = values[: args.docs // 2]
    ones = np.ones_like(half)
    took = _clock()
    bootstrap_ratio_cis(half, ones, n_boot=2000, seed=1)
    print(f"bootstrap over documents, one group of {len(half):,}: {took()}")
    outlets = rng.integers(0, args.outlets, size=len(half)).astype(str)
    took = _clock()
    two_stage_ratio_cis(half, ones, outlets, n_boot=2000, seed=1)
    print(f"two-stage bootstrap (outlets, then documents), {args.outlets} outlets: {took()}")


def _draws(docs: int, outlets: int) -> None:
    """CPU of the draws alone: the arrangements of one test over ``docs`` documents (two
    groups of half each), and the two-stage draws of a group of half of them."""
    from analysis import aggregate, permutation
    from analysis.permutation import design, label_masks

    half = docs // 2
    in_a = np.arange(docs) < half
    permutation._kept.clear()
    took = _clock()
    for _ in label_masks(in_a, design(half, docs - half, MC_MIN_RESAMPLES), seed=1):
        pass
    print(f"arrangements of one test, {docs:,} documents, {MC_MIN_RESAMPLES:,}: {took()}")
    codes = np.sort(np.random.default_rng(0).integers(outlets, size=half))
    aggregate._kept_draws.clear()
    took = _clock()
    for _ in aggregate._two_stage_draws(codes, 2000, 1):
        pass
    print(f"two-stage draws of one group of {half:,} documents, {outlets} outlets, "
          f"2,000 resamples: {took()}")


def _clock():
    """A function giving the wall and CPU seconds since it was made (CPU: steadier on a
    shared machine; BLAS's threads count)."""
    wall, cpu = time.perf_counter(), time.process_time()
    return lambda: (f"{time.perf_counter() - wall:.1f} s wall, "
                    f"{time.process_time() - cpu:.2f} CPU s")


if __name__ == "__main__":
    main()
