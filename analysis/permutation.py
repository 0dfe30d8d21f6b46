"""Label arrangements for every two-group test: all of them when few, a random sample when many.

One piece of code decides how a permutation test is run, so the group-figure tests, the
topic tests and the document-level keyness test (Mann-Whitney) state the same thing:

* at most :data:`EXACT_LIMIT` ways to split the documents into the two groups: every split
  is enumerated and the p-value is exact, ``p = (splits with |d| >= |d_obs|) / splits``;
* more: ``n_resamples`` random splits (never fewer than :data:`MC_MIN_RESAMPLES`), and
  ``p = (k + 1) / (n_resamples + 1)`` (Phipson & Smyth 2010), whose Monte Carlo standard
  error ``sqrt(p (1 - p) / n_resamples)`` is below 0.005 for every p.
"""
from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations

import numpy as np

__all__ = ["EXACT_LIMIT", "MC_MIN_RESAMPLES", "PermutationDesign", "design", "label_masks"]

#: Up to this many ways to split the documents, every split is enumerated (exact p).
EXACT_LIMIT = 20_000
#: Fewest random splits: the Monte Carlo error sqrt(p(1-p)/n) is largest at p = 0.5,
#: where 0.5 / sqrt(10,001) < 0.005.
MC_MIN_RESAMPLES = 10_001
_CHUNK = 256
#: Largest block of enumerated (exact) arrangements made anew as floats for each chunk:
#: 256 arrangements of 100,000 documents take 205 MB, and a new block held twice that
#: while the next was made. Above it they are handed out :data:`_CHUNK` rows at a time in
#: one float buffer reused for the whole test, as random arrangements always are. (Blocks
#: of fewer rows would hold less but can differ in the last bit and run several times
#: slower on several BLAS threads.)
_BLOCK_BYTES = 32 * 2**20
#: Random arrangements kept for the next test with the same labels and seed, as bits (a
#: re-run after a codebook edit tests the edited frames again with the same ones:
#: unpacking them costs about a third of drawing them). 10,001 arrangements of 10,000
#: documents take 12.5 MB; the kept sets stay below this in all.
_KEPT_BYTES = 64 * 2**20
_kept: OrderedDict[tuple, list[np.ndarray]] = OrderedDict()


@dataclass(frozen=True)
class PermutationDesign:
    """How a two-group permutation test is run and what its sample allows.

    Attributes
    ----------
    n_a, n_b : documents in each group.
    n_arrangements : ways to choose which documents are group a, ``C(n_a + n_b, n_a)``.
    exact : every arrangement is enumerated.
    n_resamples : arrangements actually used (all of them when exact).
    """

    n_a: int
    n_b: int
    # Not in the repr: it follows from n_a and n_b, and from about 14,000 documents it
    # has more digits than Python will turn into a string (the memo keys use the repr).
    n_arrangements: int = field(repr=False)
    exact: bool
    n_resamples: int

    @property
    def p_min(self) -> float:
        """The smallest p-value this sample can give.

        Exact: only the observed split (and, with equal group sizes, its mirror image,
        which has the same absolute difference) can be as extreme, so ``1/N`` or ``2/N``.
        Monte Carlo: ``1 / (n_resamples + 1)``.
        """
        if self.n_a == 0 or self.n_b == 0:
            return math.nan
        if self.exact:
            return (2.0 if self.n_a == self.n_b else 1.0) / self.n_arrangements
        return 1.0 / (self.n_resamples + 1.0)

    @property
    def method(self) -> str:
        """``"exact (10 arrangements)"`` or ``"Monte Carlo (12,000 random arrangements)"``."""
        if self.exact:
            return f"exact ({self.n_arrangements:,} arrangements)"
        return f"Monte Carlo ({self.n_resamples:,} random arrangements)"

    def mc_error(self, p: float) -> float:
        """Monte Carlo standard error of ``p`` (0 for an exact p)."""
        if self.exact or not math.isfinite(p):
            return 0.0
        return math.sqrt(p * (1.0 - p) / self.n_resamples)

    def can_reach(self, alpha: float = 0.05) -> bool:
        """Whether any outcome could give ``p <= alpha``."""
        return math.isfinite(self.p_min) and self.p_min <= alpha


def design(n_a: int, n_b: int, n_resamples: int = MC_MIN_RESAMPLES) -> PermutationDesign:
    """The test for ``n_a`` against ``n_b`` documents (``n_resamples`` is raised to
    :data:`MC_MIN_RESAMPLES` when the test has to sample)."""
    return _design(int(n_a), int(n_b), int(n_resamples))


@lru_cache(maxsize=256)
def _design(n_a: int, n_b: int, n_resamples: int) -> PermutationDesign:
    # Remembered: the count of arrangements of 10,000 documents is a number of 3,000
    # digits (3 ms to work out), and each term's document-level keyness test of a
    # comparison asks for the same one.
    total = math.comb(n_a + n_b, n_a) if n_a >= 0 and n_b >= 0 else 0
    if total <= EXACT_LIMIT:
        return PermutationDesign(n_a, n_b, total, True, total)
    return PermutationDesign(n_a, n_b, total, False, max(n_resamples, MC_MIN_RESAMPLES))


def label_masks(in_a: np.ndarray, plan: PermutationDesign, seed: int) -> Iterator[np.ndarray]:
    """Chunks of 0/1 rows (``(m, n)`` floats), one row per arrangement of the labels.

    Exact designs yield every combination once (the observed one included); Monte Carlo
    designs yield ``plan.n_resamples`` seeded random shuffles of ``in_a``. A chunk is
    valid until the next is asked for (random shuffles, and a large corpus's chunks,
    share one buffer).
    """
    in_a = np.asarray(in_a, dtype=bool)
    n = in_a.size
    if plan.exact:
        as_floats = _float_blocks(n)
        combos = combinations(range(n), int(in_a.sum()))
        while True:
            block = [c for _, c in zip(range(_CHUNK * 16), combos, strict=False)]
            if not block:
                return
            mask = np.zeros((len(block), n), dtype=bool)
            rows = np.repeat(np.arange(len(block)), len(block[0])) if block[0] else None
            if rows is not None:
                mask[rows, np.concatenate(block)] = True
            yield from as_floats(mask)
    # One block of floats for the whole test (256 rows of 100,000 documents: 205 MB).
    rows = np.empty((min(_CHUNK, plan.n_resamples), n))
    key = (n, np.packbits(in_a).tobytes(), plan.n_resamples, seed)
    if key in _kept:
        _kept.move_to_end(key)
        for packed in _kept[key]:
            block = rows[:len(packed)]
            np.copyto(block, np.unpackbits(packed, axis=1, count=n))
            yield block
        return
    keep = -(-n // 8) * plan.n_resamples <= _KEPT_BYTES
    packed_chunks = []
    rng = np.random.default_rng(seed)
    labels = in_a.astype(float)
    for start in range(0, plan.n_resamples, _CHUNK):
        size = min(_CHUNK, plan.n_resamples - start)
        # Each row an independent shuffle of the labels, made in place as the floats the
        # test multiplies: numpy shuffles each row in C and draws the same shuffles
        # whatever the type of the labels. (Shuffled as bytes and then turned into
        # floats, they took a third longer: the copy, and rows laid out column by column.)
        block = rng.permuted(np.broadcast_to(labels, (size, n)), axis=1, out=rows[:size])
        if keep:
            packed_chunks.append(np.packbits(block != 0, axis=1))
        yield block
    if keep:  # every arrangement was drawn
        _kept[key] = packed_chunks
        while sum(c.nbytes for chunks in _kept.values() for c in chunks) > _KEPT_BYTES:
            _kept.popitem(last=False)


def _float_blocks(n: int):
    """A function giving a block of 0/1 rows over ``n`` documents as floats: a new array
    when small, else :data:`_CHUNK` rows at a time in one buffer reused for every block
    of the test, so a large corpus holds one block of floats, not two."""
    buffer: list[np.ndarray] = []

    def blocks(mask: np.ndarray) -> Iterator[np.ndarray]:
        if mask.shape[0] * n * 8 <= _BLOCK_BYTES:
            yield mask.astype(float)
            return
        if not buffer:
            buffer.append(np.empty((_CHUNK, n)))
        for start in range(0, mask.shape[0], _CHUNK):
            part = mask[start:start + _CHUNK]
            rows = buffer[0][:len(part)]
            np.copyto(rows, part)
            yield rows

    return blocks
