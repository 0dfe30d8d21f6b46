"""The duplicate search as it was before it streamed (reference for
``tests/analysis/test_dedup_equal.py``): it hashes every text's shingles at the end, in one
pass over the whole corpus.

Exact and near-duplicate documents (wire copies), found without all-pairs comparison.

Exact duplicates share the hash of their normalised text (case and spacing folded).
Near duplicates are found with MinHash over word 5-gram shingles and LSH banding: only
documents that share a band bucket are compared, and each candidate pair is then checked
with the exact Jaccard similarity of the shingle sets. Cost grows with the number of
documents, not its square.
"""
from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence

import numpy as np

# What the streaming search still shares with this one is imported, not copied: only the
# replaced whole-corpus search is kept here, as the yardstick of its equality test.
from analysis.ingest.dedup import _BIG_BUCKET, Duplicate, _mix, _tokens
from analysis.progress import ProgressCallback, iterate

__all__ = ["Duplicate", "find_duplicates"]


def _shingle_hashes(texts: Sequence[str], k: int) -> tuple[np.ndarray, np.ndarray]:
    """Hashes of every word ``k``-gram of ``texts`` and the index of the text it is from.

    Words are hashed by pandas (SipHash with a fixed key: the same on every run), and a
    k-gram's hash is a polynomial of its word hashes in wrapping 64-bit arithmetic. A text
    shorter than ``k`` words gives one shingle of all its words.
    """
    import pandas as pd

    toks = [_tokens(t) for t in texts]
    lengths = np.array([len(t) for t in toks], dtype=np.int64)
    flat = np.array([w for t in toks for w in t], dtype=object)
    codes = pd.util.hash_array(flat) if flat.size else np.zeros(0, np.uint64)
    n = codes.size
    h = np.zeros(n, dtype=np.uint64)
    base = np.uint64(1_000_003)
    with np.errstate(over="ignore"):
        for j in range(k):
            shifted = np.zeros(n, dtype=np.uint64)
            shifted[:n - j] = codes[j:]
            h = h * base + shifted
    # Shingle at position i is valid when all its words are in the same text.
    kk = np.minimum(lengths, k)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]) if lengths.size else lengths
    owner = np.repeat(np.arange(lengths.size), lengths)
    pos = np.arange(n) - np.repeat(starts, lengths)
    keep = pos <= np.repeat(lengths - kk, lengths)
    short = np.flatnonzero((lengths > 0) & (lengths < k))
    if short.size:
        # A short text's single shingle: the first (whole-text) polynomial of its words.
        with np.errstate(over="ignore"):
            for d in short:
                part = np.uint64(0)
                for c in codes[starts[d]:starts[d] + lengths[d]]:
                    part = part * base + c
                h[starts[d]] = part
    return _mix(h[keep]), owner[keep]


def find_duplicates(doc_ids: Sequence[str], texts: Sequence[str], threshold: float = 0.8,
                    *, k: int = 5, bands: int = 16, rows: int = 4,
                    progress: ProgressCallback | None = None) -> list[Duplicate]:
    """Exact duplicate sets and near-duplicate pairs among ``texts``.

    Near duplicates use one-permutation MinHash: each shingle hash falls in one of
    ``bands * rows`` bins by its top bits, and a document's signature is the minimum per
    bin. Documents sharing all ``rows`` values of some band are candidates; every candidate
    pair is then checked with the exact Jaccard similarity of its shingle sets.

    Parameters
    ----------
    threshold : float
        Minimum Jaccard similarity of word ``k``-gram shingle sets for a near duplicate.
        With 16 bands of 4 rows a pair at 0.8 becomes a candidate with probability > 0.99.

    Returns
    -------
    list of Duplicate
        Exact sets first (in corpus order), then near-duplicate sets (ids in corpus order)
        by falling similarity. Only one member of an exact set takes part in
        near-duplicate search.
    """
    callback = progress or (lambda _f: None)
    callback(0.0)
    out: list[Duplicate] = []
    by_print: dict[str, list[int]] = defaultdict(list)
    n_tokens = np.zeros(len(texts), dtype=np.int64)
    for i in iterate(range(len(texts)), lambda f: callback(0.3 * f), every=500):
        toks = _tokens(texts[i])
        n_tokens[i] = len(toks)
        if toks:
            by_print[hashlib.sha1(" ".join(toks).encode("utf-8")).hexdigest()].append(i)
    reps = []
    for members in by_print.values():
        if len(members) > 1:
            out.append(Duplicate("exact", tuple(doc_ids[i] for i in members), 1.0))
        reps.append(members[0])
    reps = [i for i in sorted(reps) if n_tokens[i] >= 3]
    if len(reps) < 2:
        callback(1.0)
        return out

    # Shingle hashes in chunks, so only one chunk's word lists are in memory at a time.
    hash_parts, owner_parts = [], []
    chunk = 2000
    for c0 in iterate(range(0, len(reps), chunk), lambda f: callback(0.3 + 0.4 * f)):
        h, o = _shingle_hashes([texts[i] for i in reps[c0:c0 + chunk]], k)
        hash_parts.append(h)
        owner_parts.append(o + c0)
    hashes, owner = np.concatenate(hash_parts), np.concatenate(owner_parts)
    n_bins = bands * rows
    if n_bins & (n_bins - 1):
        raise ValueError("bands * rows must be a power of two")
    shift = np.uint64(64 - int(np.log2(n_bins)))
    bins = (hashes >> shift).astype(np.int64)
    # Empty bins get a value unique to their document, so they never match another.
    sig = np.full(len(reps) * n_bins, np.iinfo(np.uint64).max, dtype=np.uint64)
    sig -= np.repeat(np.arange(len(reps), dtype=np.uint64), n_bins)
    np.minimum.at(sig, owner * n_bins + bins, hashes)
    sig = sig.reshape(len(reps), n_bins)
    callback(0.8)

    cache: dict[int, np.ndarray] = {}
    bounds = np.searchsorted(owner, np.arange(len(reps) + 1))  # owner is sorted
    seen: set[tuple[int, int]] = set()
    parent = list(range(len(reps)))     # union-find over near-duplicate links
    weakest: dict[int, float] = {}      # component root -> lowest linking similarity

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for band in range(bands):
        keys = _mix(sig[:, band * rows])
        with np.errstate(over="ignore"):
            for r in range(1, rows):
                keys = _mix(keys ^ sig[:, band * rows + r])
        sorted_idx = np.argsort(keys, kind="stable")
        sk = keys[sorted_idx]
        same = np.flatnonzero(sk[1:] == sk[:-1])  # i and i+1 share a bucket
        if same.size == 0:
            continue
        run_starts = same[np.r_[True, np.diff(same) > 1]]
        run_ends = same[np.r_[np.diff(same) > 1, True]] + 2
        for lo, hi in zip(run_starts, run_ends, strict=True):
            members = sorted(sorted_idx[lo:hi].tolist())
            if len(members) > _BIG_BUCKET:
                pairs = [(members[0], m) for m in members[1:]]
            else:
                pairs = [(x, y) for ix, x in enumerate(members) for y in members[ix + 1:]]
            for x, y in pairs:
                rx, ry = find(x), find(y)
                if rx == ry or (x, y) in seen:
                    continue  # already linked: no need to measure again
                seen.add((x, y))
                for d in (x, y):
                    if d not in cache:
                        cache[d] = np.unique(hashes[bounds[d]:bounds[d + 1]])
                sa, sb = cache[x], cache[y]
                inter = np.intersect1d(sa, sb, assume_unique=True).size
                jac = inter / (sa.size + sb.size - inter)
                if jac >= threshold:
                    low = min(jac, weakest.pop(rx, 1.0), weakest.pop(ry, 1.0))
                    parent[ry] = rx
                    weakest[rx] = low
    groups: dict[int, list[int]] = defaultdict(list)
    for x in range(len(reps)):
        if find(x) in weakest:
            groups[find(x)].append(x)
    near = [Duplicate("near", tuple(doc_ids[reps[x]] for x in members), weakest[root])
            for root, members in groups.items()]
    near.sort(key=lambda d: (-d.similarity, d.doc_ids))
    callback(1.0)
    return out + near
