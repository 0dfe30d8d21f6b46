"""Exact and near-duplicate documents (wire copies), found without all-pairs comparison.

Exact duplicates share the hash of their normalised text (case and spacing folded).
Near duplicates are found with MinHash over word 5-gram shingles and LSH banding: only
documents that share a band bucket are compared, and each candidate pair is then checked
with the exact Jaccard similarity of the shingle sets. Cost grows with the number of
documents, not its square.
"""
from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from analysis.progress import ProgressCallback, iterate, wrap_progress

__all__ = ["Duplicate", "DuplicateFinder", "find_duplicates", "text_print", "bin_minima"]

# Chinese and Japanese run words together: there, each character is a token.
_CJK_TOKENS = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]|[^\s\u3000-\u303f\uff00-\uffef]+")


@dataclass(frozen=True)
class Duplicate:
    """Documents that are copies of each other.

    ``kind`` is ``"exact"`` (same normalised text; all ids of the set) or ``"near"`` (a set
    linked by pairs whose word 5-gram shingle sets have a Jaccard similarity >= the
    threshold; ``similarity`` is the lowest of those links).
    """

    kind: str
    doc_ids: tuple[str, ...]
    similarity: float

    def to_dict(self) -> dict:
        return {"kind": self.kind, "doc_ids": list(self.doc_ids),
                "similarity": round(self.similarity, 3)}


_BIG_BUCKET = 100  # beyond this many documents in one bucket, compare with its first only


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser: spreads polynomial hashes over all 64 bits."""
    with np.errstate(over="ignore"):
        x = x ^ (x >> np.uint64(30))
        x = x * np.uint64(0xBF58476D1CE4E5B9)
        x = x ^ (x >> np.uint64(27))
        x = x * np.uint64(0x94D049BB133111EB)
        return x ^ (x >> np.uint64(31))


def _tokens(text: str) -> list[str]:
    """Lower-cased white-space tokens (str.split is C-fast; punctuation stuck to a word is
    the same in both copies); characters for Chinese and Japanese, which use no spaces."""
    toks = text.lower().split()
    if toks and len(text) > 30 * len(toks):
        toks = _CJK_TOKENS.findall(text.lower())
    return toks


def _shingle_hashes(toks: Sequence[list[str]], k: int) -> tuple[np.ndarray, np.ndarray]:
    """Hashes of every word ``k``-gram of the token lists ``toks`` and the index of the
    list it is from.

    Words are hashed by pandas (SipHash with a fixed key: the same on every run), and a
    k-gram's hash is a polynomial of its word hashes in wrapping 64-bit arithmetic. A text
    shorter than ``k`` words gives one shingle of all its words. Shingles never cross two
    texts, so a text's hashes do not depend on the texts hashed with it.
    """
    import pandas as pd

    lengths = np.array([len(t) for t in toks], dtype=np.int64)
    flat = np.array([w for t in toks for w in t], dtype=object)
    codes = pd.util.hash_array(flat) if flat.size else np.zeros(0, np.uint64)
    n = codes.size
    h = np.zeros(n, dtype=np.uint64)
    base = np.uint64(1_000_003)
    with np.errstate(over="ignore"):
        for j in range(k):
            shifted = np.zeros(n, dtype=np.uint64)
            if j < n:   # fewer words than k (one short text): the rest stays 0
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


def text_print(text: str) -> tuple[str | None, list[str]]:
    """The print exact copies share (None for a text without words) and the tokens the
    near-duplicate search shingles."""
    toks = _tokens(text)
    if not toks:
        return None, toks
    return hashlib.sha1(" ".join(toks).encode("utf-8")).hexdigest(), toks


#: A signature bin no shingle fell in (before :meth:`DuplicateFinder` makes it unique).
_EMPTY = np.iinfo(np.uint64).max


def bin_minima(toks: Sequence[list[str]], k: int = 5, n_bins: int = 64) -> np.ndarray:
    """One row per token list: the least shingle hash in each of ``n_bins`` bins (chosen
    by a hash's top bits), ``_EMPTY`` for a bin no shingle fell in. A row depends on its
    own text only, so rows made in separate batches or processes are the same."""
    hashes, owner = _shingle_hashes(toks, k)
    bins = (hashes >> np.uint64(64 - int(np.log2(n_bins)))).astype(np.int64)
    minima = np.full(len(toks) * n_bins, _EMPTY, dtype=np.uint64)
    np.minimum.at(minima, owner * n_bins + bins, hashes)
    return minima.reshape(len(toks), n_bins)


class DuplicateFinder:
    """Finds duplicates while documents arrive one at a time (an import of 100,000 files
    never holds every text's words or shingles at once).

    :meth:`add` takes each document in corpus order and keeps only its normalised-text
    print and, for the first document of each print, its MinHash signature (512 bytes).
    :meth:`add_print` takes the same from :func:`text_print` and :func:`bin_minima` made
    elsewhere (the import's worker processes).
    :meth:`result` then compares the candidate pairs; it reads the texts of candidates
    again through ``text_of`` (their shingle sets are not kept), so a corpus without
    near duplicates costs no second pass.
    """

    _BATCH = 256  # documents hashed together (numpy's per-call cost, shared)

    def __init__(self, *, k: int = 5, bands: int = 16, rows: int = 4) -> None:
        n_bins = bands * rows
        if n_bins & (n_bins - 1):
            raise ValueError("bands * rows must be a power of two")
        self.k, self.bands, self.rows, self.n_bins = k, bands, rows, n_bins
        self.doc_ids: list[str] = []
        self._by_print: dict[str, list[int]] = {}
        self._reps: list[int] = []               # near-duplicate candidates, corpus order
        self._waiting: list[list[str]] = []      # their tokens, not yet hashed
        self._waiting_rows: list[np.ndarray] = []  # or their bin minima, not yet stored
        self._sigs: list[np.ndarray] = []        # signature rows, in blocks

    def _first_of_print(self, doc_id: str, key: str | None) -> bool:
        """Record the next document; True when it is the first with its print."""
        i = len(self.doc_ids)
        self.doc_ids.append(doc_id)
        if key is None:
            return False
        members = self._by_print.get(key)
        if members is not None:
            members.append(i)   # an exact copy: only the first takes part in near search
            return False
        self._by_print[key] = [i]
        return True

    def add(self, doc_id: str, text: str) -> None:
        """The next document of the corpus."""
        key, toks = text_print(text)
        if self._first_of_print(doc_id, key) and len(toks) >= 3:
            self._store_rows()
            self._reps.append(len(self.doc_ids) - 1)
            self._waiting.append(toks)
            if len(self._waiting) >= self._BATCH:
                self._hash_waiting()

    def add_print(self, doc_id: str, key: str | None, minima: np.ndarray | None) -> None:
        """The next document, as its :func:`text_print` key and :func:`bin_minima` row
        (None for a text of fewer than 3 tokens)."""
        if self._first_of_print(doc_id, key) and minima is not None:
            self._hash_waiting()
            self._reps.append(len(self.doc_ids) - 1)
            self._waiting_rows.append(minima)
            if len(self._waiting_rows) >= self._BATCH:
                self._store_rows()

    def _hash_waiting(self) -> None:
        if self._waiting:
            minima = bin_minima(self._waiting, self.k, self.n_bins)
            self._waiting = []
            self._store(minima)

    def _store_rows(self) -> None:
        if self._waiting_rows:
            minima = np.stack(self._waiting_rows)
            self._waiting_rows = []
            self._store(minima)

    def _store(self, minima: np.ndarray) -> None:
        """Signature rows of the last ``len(minima)`` candidates. An empty bin gets a value
        unique to its document, so it never matches another."""
        n = len(minima)
        first = len(self._reps) - n
        own = _EMPTY - np.arange(first, first + n, dtype=np.uint64)
        self._sigs.append(np.minimum(minima, own[:, None]))

    def result(self, text_of: Callable[[int], str], threshold: float = 0.8,
               progress: ProgressCallback | None = None) -> list[Duplicate]:
        """Exact sets first (in corpus order), then near-duplicate sets (ids in corpus
        order) by falling similarity. ``text_of(i)`` gives the text of the ``i``-th
        document added."""
        callback = progress or (lambda _f: None)
        callback(0.0)
        doc_ids = self.doc_ids
        out = [Duplicate("exact", tuple(doc_ids[i] for i in members), 1.0)
               for members in self._by_print.values() if len(members) > 1]
        self._hash_waiting()
        self._store_rows()
        reps = self._reps
        if len(reps) < 2:
            callback(1.0)
            return out
        sig = np.concatenate(self._sigs) if len(self._sigs) > 1 else self._sigs[0]
        self._sigs = [sig]

        # Every candidate pair's similarity first, from shingle sets made in batches (one
        # text at a time, pandas' cost per call was half of the work); then the pairs are
        # linked in the order the bands give them, as before.
        similarity = self._similarities(sig, text_of, wrap_progress(callback, 0.0, 0.8))
        seen: set[tuple[int, int]] = set()
        parent = list(range(len(reps)))     # union-find over near-duplicate links
        weakest: dict[int, float] = {}      # component root -> lowest linking similarity

        def find(x: int) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for band in iterate(range(self.bands), wrap_progress(callback, 0.8, 1.0)):
            for x, y in self._band_pairs(sig, band):
                rx, ry = find(x), find(y)
                if rx == ry or (x, y) in seen:
                    continue  # already linked: no need to measure again
                seen.add((x, y))
                jac = similarity[x, y]
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

    def _band_pairs(self, sig: np.ndarray, band: int) -> Iterator[tuple[int, int]]:
        """Candidate pairs of one band: (x, y), x < y, bucket by bucket."""
        rows = self.rows
        keys = _mix(sig[:, band * rows])
        with np.errstate(over="ignore"):
            for r in range(1, rows):
                keys = _mix(keys ^ sig[:, band * rows + r])
        sorted_idx = np.argsort(keys, kind="stable")
        sk = keys[sorted_idx]
        same = np.flatnonzero(sk[1:] == sk[:-1])  # i and i+1 share a bucket
        if same.size == 0:
            return
        run_starts = same[np.r_[True, np.diff(same) > 1]]
        run_ends = same[np.r_[np.diff(same) > 1, True]] + 2
        for lo, hi in zip(run_starts, run_ends, strict=True):
            members = sorted(sorted_idx[lo:hi].tolist())
            if len(members) > _BIG_BUCKET:
                yield from ((members[0], m) for m in members[1:])
            else:
                yield from ((x, y) for ix, x in enumerate(members) for y in members[ix + 1:])

    def _similarities(self, sig: np.ndarray, text_of: Callable[[int], str],
                      progress: ProgressCallback) -> dict[tuple[int, int], float]:
        """Jaccard similarity of the shingle sets of every candidate pair. The sets are
        made again from the texts (they are not kept), for a block of pairs at a time."""
        pairs = dict.fromkeys(p for band in iterate(range(self.bands), progress)
                              for p in self._band_pairs(sig, band))
        block: dict[int, None] = {}
        start = 0
        todo = list(pairs)
        for end, (x, y) in enumerate(todo, 1):
            block.update(((x, None), (y, None)))
            if len(block) >= _BLOCK_SETS or end == len(todo):
                sets = self._shingle_sets(list(block), text_of)
                for a, b in todo[start:end]:
                    sa, sb = sets[a], sets[b]
                    inter = np.intersect1d(sa, sb, assume_unique=True).size
                    pairs[a, b] = inter / (sa.size + sb.size - inter)
                block, start = {}, end
        return pairs

    def _shingle_sets(self, candidates: list[int], text_of: Callable[[int], str]
                      ) -> dict[int, np.ndarray]:
        """The shingle set of each candidate, hashed a batch of texts at a time."""
        out: dict[int, np.ndarray] = {}
        for i in range(0, len(candidates), self._BATCH):
            batch = candidates[i:i + self._BATCH]
            hashes, owner = _shingle_hashes([_tokens(text_of(self._reps[d])) for d in batch],
                                            self.k)
            bounds = np.searchsorted(owner, np.arange(len(batch) + 1))  # owner is sorted
            out.update((d, np.unique(hashes[bounds[j]:bounds[j + 1]]))
                       for j, d in enumerate(batch))
        return out


#: Candidates whose shingle sets are held at once while their pairs are compared (about
#: 5 KB each).
_BLOCK_SETS = 4096


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
    finder = DuplicateFinder(k=k, bands=bands, rows=rows)
    for i in iterate(range(len(texts)), lambda f: callback(0.7 * f), every=500):
        finder.add(doc_ids[i], texts[i])
    return finder.result(texts.__getitem__, threshold,
                         progress=lambda f: callback(0.7 + 0.3 * f))
