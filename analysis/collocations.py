"""Collocations of a target: the words said around "Russia", "the partnership", "NATO" in
each group, with an association measure and counts.

The node is every mention of a target the target analysis found (results table
``target_mentions``); its collocates are the content words within ``window`` words on
either side (never across a sentence end; stop words and numbers left out). Measures,
per group (Evert 2008; Rychlý 2008), with f_xy the co-occurrences, f_x the mentions,
f_y the collocate's frequency in the group, N its words and W the words in all windows:

- ``log_dice`` = 14 + log2(2 f_xy / (f_x + f_y)): at most 14, comparable across groups
  of different sizes, the default ranking;
- ``mi`` = log2(f_xy N / (f_y W)): how much likelier the word is near the node;
- ``g2``: log-likelihood of the 2x2 table (in the windows or not, the word or not).
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Mapping
from itertools import repeat

import numpy as np
import pandas as pd

from analysis.lang import document_language
from analysis.progress import ProgressCallback, iterate
from analysis.stopwords import stopwords
from analysis.text import segment
from analysis.word_tally import MentionsByDoc, Tally, WordFlags, WordIds, mentions_by_doc

__all__ = ["COLLOCATION_COLUMNS", "collocations", "CollocationCounts", "collocate_spans",
           "WINDOW"]

COLLOCATION_COLUMNS = ("group", "target", "collocate", "f_xy", "docs", "f_x", "f_y",
                       "log_dice", "mi", "g2")

#: Words on each side of a mention.
WINDOW = 5


def _is_content(word: str, stop: frozenset[str]) -> bool:
    return word not in stop and any(ch.isalpha() for ch in word)


def _windows(seg, start: int, end: int, window: int) -> tuple[list[int], list[int]]:
    """Token indices of the mention and of its window (same sentence only)."""
    starts, ends = seg.token_starts, seg.token_ends
    sentence_of = seg.token_sentences
    first = bisect_right(ends, start)          # first token ending after the mention starts
    last = bisect_left(starts, end) - 1        # last token starting before it ends
    if first > last:
        return [], []
    inside = list(range(first, last + 1))
    sentence = sentence_of[first]
    around = [i for i in range(max(0, first - window), min(len(starts), last + window + 1))
              if (i < first or i > last) and sentence_of[i] == sentence]
    return inside, around


def _window_positions(seg, starts: np.ndarray, ends: np.ndarray, window: int) -> np.ndarray:
    """Token indices around each mention (``(m, 2 window)``; -1 where there is none),
    as :func:`_windows` finds them for one mention, for all mentions of a document at
    once (a mention covering no token has none)."""
    token_starts = np.asarray(seg.token_starts)
    token_ends = np.asarray(seg.token_ends)
    sentence_of = np.asarray(seg.token_sentences)
    n = token_starts.size
    first = np.searchsorted(token_ends, starts, side="right")
    last = np.searchsorted(token_starts, ends, side="left") - 1
    covers = first <= last
    steps = np.arange(1, window + 1)
    around = np.concatenate([first[:, None] - steps[::-1], last[:, None] + steps], axis=1)
    inside = (around >= 0) & (around < n) & covers[:, None]
    safe = np.where(inside, around, 0)
    sentence = sentence_of[np.minimum(first, max(n - 1, 0))] if n else first
    inside &= sentence_of[safe] == sentence[:, None] if n else inside
    return np.where(inside, around, -1)


def _g2_table(o11, o12, o21, o22) -> np.ndarray:
    cells = np.array([o11, o12, o21, o22], dtype=float)
    n = cells.sum(axis=0)
    rows = (cells[0] + cells[1], cells[2] + cells[3])
    cols = (cells[0] + cells[2], cells[1] + cells[3])
    expected = np.array([rows[0] * cols[0], rows[0] * cols[1], rows[1] * cols[0],
                         rows[1] * cols[1]]) / np.where(n > 0, n, 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(cells > 0, cells * np.log(cells / expected), 0.0)
    return 2 * terms.sum(axis=0)


class _Group:
    """One group's counts: its words, content-word frequencies, and per target the
    mentions, the words in their windows and the collocates (occurrences and documents).
    ``first``: per target, where it first has a collocate (the document's place among
    the group's members, the target's rank in it), which orders the targets in the table
    whatever order the documents are added in."""

    def __init__(self) -> None:
        self.n_docs = 0
        self.first: dict[str, tuple[int, int]] = {}
        self.n_words = 0
        self.freq = Tally()
        self.co: dict[str, Tally] = {}
        self.co_docs: dict[str, Tally] = {}
        self.nodes: Counter = Counter()
        self.window_words: Counter = Counter()


class CollocationCounts:
    """The counts behind the collocations table, added document by document
    (:meth:`add`); :func:`collocations` makes the table from them."""

    def __init__(self, mentions: pd.DataFrame | MentionsByDoc | None,
                 window: int = WINDOW, ids: WordIds | None = None) -> None:
        """``ids``: the word ids of the tables counted in the same pass (None: its own)."""
        stop = stopwords()
        self.by_doc = mentions_by_doc(mentions)
        self.window = window
        self.ids = WordIds() if ids is None else ids
        self.content = WordFlags(self.ids, lambda w: _is_content(w, stop))
        self.groups: dict[str, _Group] = {}

    def add(self, group: str, doc_id: str, doc, at: int | None = None) -> None:
        """Count ``doc`` in ``group``; ``at``: its place among the group's members (None:
        after those added before)."""
        counts = self.groups.get(group)
        if counts is None:
            counts = self.groups[group] = _Group()
        if at is None:
            at = counts.n_docs
        counts.n_docs += 1
        seg = segment(doc.text, document_language(doc))
        word_ids = self.ids.encode(seg.norms)
        counts.n_words += word_ids.size
        content = self.content.array
        counts.freq.add(word_ids[content[word_ids]])
        rows = self.by_doc.get(doc_id)
        if rows is None:
            return
        targets = rows["target"]
        around = _window_positions(seg, rows["start"], rows["end"], self.window)
        inside = around >= 0
        for target, n_around in zip(targets.tolist(), inside.sum(axis=1).tolist(),
                                    strict=True):
            counts.nodes[target] += 1
            counts.window_words[target] += n_around
        near = np.where(inside, word_ids[np.where(inside, around, 0)], -1)
        near = np.where(inside & content[np.maximum(near, 0)], near, -1)
        found = near >= 0
        # The targets with a collocate here, in the order of their first such mention, and
        # each one's collocates (and each collocate once) cut from one sorted array of
        # (target, word) keys, instead of a comparison and a unique per target.
        ranked = dict.fromkeys(targets[found.any(axis=1)].tolist())
        if not ranked:
            return
        rank_of = {target: rank for rank, target in enumerate(ranked)}
        codes = np.fromiter(map(rank_of.get, targets.tolist(), repeat(-1)), dtype=np.int64,
                            count=len(targets))
        width = int(near.max()) + 1
        keys = np.sort(np.broadcast_to(codes[:, None], near.shape)[found] * width
                       + near[found])
        once = keys[np.r_[True, keys[1:] != keys[:-1]]]
        edges = np.arange(len(ranked) + 1) * width
        cuts, once_cuts = np.searchsorted(keys, edges), np.searchsorted(once, edges)
        words, once_words = keys % width, once % width
        first = counts.first
        for rank, target in enumerate(ranked):
            if target not in first:
                first[target] = (at, rank)
                counts.co[target], counts.co_docs[target] = Tally(), Tally()
            elif (at, rank) < first[target]:
                first[target] = (at, rank)
            counts.co[target].add(words[cuts[rank]:cuts[rank + 1]])
            counts.co_docs[target].add(once_words[once_cuts[rank]:once_cuts[rank + 1]])

    def group_done(self, group: str) -> None:
        """Count the ids ``group``'s tallies hold back (up to 65,536 each): its
        tallies are kept until the table is made, after every group is read."""
        counts = self.groups.get(group)
        if counts is not None:
            for tally in (counts.freq, *counts.co.values(), *counts.co_docs.values()):
                tally.flush()


def collocations(corpus, mentions: pd.DataFrame | MentionsByDoc | None,
                 members: Mapping[str, list[str]], *,
                 window: int = WINDOW, keep: int = 100,
                 progress: ProgressCallback | None = None,
                 counts: CollocationCounts | None = None) -> pd.DataFrame:
    """Collocates of every target in every group.

    Returns a DataFrame with :data:`COLLOCATION_COLUMNS`, per group and target the
    ``keep`` strongest collocates by ``log_dice`` (ties: most co-occurrences).
    ``counts``: the groups' counts made already (by a pass over the documents that
    counted for other tables too); then ``corpus``, ``mentions`` and ``window`` are
    not read.
    """
    if counts is None:
        counts = CollocationCounts(mentions, window)
        for group, ids in iterate(list(members.items()), progress):
            for doc_id in ids:
                counts.add(group, doc_id, corpus[doc_id])
            counts.group_done(group)
    words_of = counts.ids.words
    records = []
    for group in members:
        if group not in counts.groups:
            continue
        g = counts.groups[group]
        n_words, freq = g.n_words, g.freq.counter(words_of)
        for target in sorted(g.co, key=g.first.__getitem__):
            tally = g.co[target]
            co, co_docs = tally.counter(words_of), g.co_docs[target].counter(words_of)
            words = sorted(co)
            f_xy = np.array([co[w] for w in words], dtype=float)
            f_y = np.array([freq[w] for w in words], dtype=float)
            f_x, w_total = float(g.nodes[target]), float(g.window_words[target])
            log_dice = 14 + np.log2(2 * f_xy / (f_x + f_y))
            mi = np.log2(f_xy * n_words / (f_y * max(w_total, 1.0)))
            g2 = _g2_table(f_xy, w_total - f_xy, f_y - f_xy,
                           n_words - w_total - (f_y - f_xy))
            frame = pd.DataFrame({"group": group, "target": target, "collocate": words,
                                  "f_xy": f_xy.astype(np.int64),
                                  "docs": [co_docs[w] for w in words],
                                  "f_x": int(f_x), "f_y": f_y.astype(np.int64),
                                  "log_dice": log_dice, "mi": mi, "g2": g2})
            frame = frame.sort_values(["log_dice", "f_xy", "collocate"],
                                      ascending=[False, False, True], kind="mergesort")
            records.append(frame.head(keep))
    if not records:
        return pd.DataFrame(columns=list(COLLOCATION_COLUMNS))
    return pd.concat(records, ignore_index=True)


def collocate_spans(corpus, mentions: pd.DataFrame, doc_ids, target: str, collocate: str,
                    *, window: int = WINDOW) -> list[tuple[str, int, int, int, int]]:
    """Where ``collocate`` stands near a mention of ``target`` in ``doc_ids``:
    ``(doc_id, mention_start, mention_end, word_start, word_end)``, in corpus order."""
    wanted = set(doc_ids)
    rows = mentions[(mentions["target"].astype(str) == target)
                    & mentions["doc_id"].astype(str).isin(wanted)]
    out = []
    for doc_id, start, end in zip(rows["doc_id"].astype(str), rows["start"], rows["end"],
                                  strict=True):
        seg = segment(corpus[doc_id].text, document_language(corpus[doc_id]))
        _inside, around = _windows(seg, int(start), int(end), window)
        for i in around:
            if seg.norms[i] == collocate:
                out.append((doc_id, int(start), int(end), int(seg.token_starts[i]),
                            int(seg.token_ends[i])))
    return out
