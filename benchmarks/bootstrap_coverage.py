"""Coverage of the percentile bootstrap 95% CI of a mean at small n: where the small-group
threshold comes from (docs/methods.md, "Small groups").

For each n, draw many samples of n documents from a known distribution, compute the
percentile bootstrap CI exactly as the analysis does (analysis.stats.bootstrap_ci), and
count how often it contains the true mean. Distributions: normal; skewed (lognormal,
like per-1,000-word rates); and a share bounded at 0 with many zeros (like frame shares).

Run: python -m benchmarks.bootstrap_coverage [--reps 2000] [--n-boot 1000]
"""
from __future__ import annotations

import argparse

import numpy as np

from analysis.stats import bootstrap_ci

DISTRIBUTIONS = {
    "normal": (lambda rng, n: rng.normal(0.0, 1.0, n), 0.0),
    "lognormal": (lambda rng, n: rng.lognormal(0.0, 0.75, n), float(np.exp(0.75 ** 2 / 2))),
    # Frame share: 40% of documents never carry the frame, the rest Beta(2, 8).
    "share with zeros": (lambda rng, n: np.where(rng.random(n) < 0.4, 0.0,
                                                 rng.beta(2.0, 8.0, n)), 0.6 * 0.2),
}


def coverage(n: int, draw, truth: float, reps: int, n_boot: int, seed: int) -> float:
    rng = np.random.default_rng(seed)
    hits = 0
    for r in range(reps):
        lo, hi = bootstrap_ci(draw(rng, n), n_boot=n_boot, seed=seed + r)
        hits += lo <= truth <= hi
    return hits / reps


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=2000)
    ap.add_argument("--n-boot", type=int, default=1000)
    ap.add_argument("--max-n", type=int, default=15)
    args = ap.parse_args(argv)
    names = list(DISTRIBUTIONS)
    print("n   " + "  ".join(f"{name:>16}" for name in names))
    for n in range(2, args.max_n + 1):
        row = [coverage(n, *DISTRIBUTIONS[name], args.reps, args.n_boot, seed=1000 * n)
               for name in names]
        print(f"{n:<3} " + "  ".join(f"{c:>16.3f}" for c in row), flush=True)


if __name__ == "__main__":
    main()
