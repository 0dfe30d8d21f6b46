"""The target-sentiment feature matrix of a whole chunk of mentions, built with numpy.

:func:`analysis.models.tsc_features.target_features` names every feature of one mention:
the names are what the model was trained on and what ``explain`` shows. Scoring needs
only the model's column of each *known* feature, its value and its place in the row
(``X @ coef`` adds a row's features in their stored order, and that order decides the
last bits of every score). :class:`TargetMatrix` therefore

* tokenises all distinct sentences of a chunk with one regex split of their joined text,
* looks each distinct token's columns up once (``w:tok``, ``c:tok``, ``l:tok``,
  ``b:tok <t>`` ...) into a table, and each word pair's column once,
* lays out every mention's masked sentence (the target's tokens collapsed to one ``<t>``)
  as one flat array, and computes each feature group for all mentions at once with
  array operations, in the order and with the arithmetic of ``target_features``
  (sums are added one term at a time, in token order, as the Python loop did).

No feature name is formatted per mention and no dict is built per mention. The rows
equal ``vectorize(target_features(...))`` exactly (same columns, values and order);
``tests/analysis/test_target_matrix_equal.py`` checks that against a frozen copy of the
named build. A mention with co-mentions (``others``) takes the named build, as the
pipeline never passes any.
"""
from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from itertools import chain

import numpy as np
import pandas as pd
from scipy import sparse

from analysis.models.tsc_features import (
    _CONTRAST,
    _DEICTIC,
    _LX_BUCKET,
    _NEAR_BUCKET,
    _QUOTES,
    _SPEECH,
    _T,
    _TOKEN,
    WINDOW,
    _token_info,
    lexicon,
    target_features,
)

__all__ = ["TargetMatrix"]

_NO = -1  # the column of a feature the model does not know: left out of the row
_SPLIT = re.compile(f"({_TOKEN.pattern})")
_D_NAMES = ("d:pos_near", "d:neg_near", "d:pos_clause", "d:neg_clause", "d:pos_other",
            "d:neg_other", "d:pos_l", "d:neg_l", "d:pos_r", "d:neg_r", "d:weighted",
            "d:nearest", "d:compound")
_CUES = ("cue:opens", "cue:in_quote", "cue:has_quote", "cue:speaks", "cue:spoken_of",
         "cue:contrast_after", "cue:contrast_before", "cue:negation_near", "cue:pronoun",
         "d:rel_pos", "d:log_len")
# Columns of the token table (integers; the valence is kept apart as floats).
(_WORD, _NEGATES, _BOOSTER, _BREAKS, _W, _C, _L, _L1, _L2, _R, _R1, _R2, _BEFORE_T, _AFTER_T,
 _QUOTE, _SAYS, _CONTRASTS, _NEGATION, _PRONOUN, _OPENER) = range(20)
_N_FIELDS = 20
# Distinct tokens whose columns are kept between calls.
_MAX_TOKENS = 1 << 18
_LX_OF_DIST = np.array([*_LX_BUCKET, 3])  # distance (capped at 11) -> lx bucket
_NEAR_OF_DIST = np.array([*_NEAR_BUCKET, 3])


def _any(rows: np.ndarray, flags: np.ndarray, m: int) -> np.ndarray:
    """Per row (of ``m``), whether any of its entries is flagged."""
    return np.bincount(rows[flags], minlength=m) > 0


def _log1p(values: np.ndarray) -> np.ndarray:
    # math.log1p, not np.log1p: numpy's vectorised log1p may differ in the last bit.
    out = np.zeros(len(values))
    nonzero = np.flatnonzero(values)
    out[nonzero] = np.fromiter(map(math.log1p, values[nonzero].tolist()), dtype=np.float64,
                               count=len(nonzero))
    return out


class TargetMatrix:
    """Feature rows of target mentions as a CSR matrix over a model's vocabulary.

    Parameters
    ----------
    index : mapping of str to int
        Feature name -> column (``LinearModel.index``).
    n_features : int
        Number of columns.
    """

    def __init__(self, index: Mapping[str, int], n_features: int) -> None:
        self.index = index
        self.n_features = n_features
        get = index.get
        self._bias = get("bias", _NO)
        self._neg_flip = get("neg_flip", _NO)
        self._d = np.array([get(name, _NO) for name in _D_NAMES])
        self._cue = np.array([get(name, _NO) for name in _CUES])
        # lx:{side}{sign}:{bucket} by (side l=0 r=1, sign +=0 -=1, bucket); near:{sign}{bucket}.
        self._lx = np.array([[[get(f"lx:{side}{sign}:{b}", _NO) for b in range(4)]
                              for sign in "+-"] for side in "lr"])
        self._near = np.array([[get(f"near:{sign}{b}", _NO) for b in range(4)] for sign in "+-"])
        self._negate = lexicon()[1]
        self._forget()

    def _forget(self) -> None:
        """Empty the token, pair and ``lw:`` tables (they only save look-ups)."""
        self._lw: dict[tuple[int, int, bool], int] = {}
        self._ids: dict[str, int] = {}
        self._raw_ids: dict[str, int] = {}  # a token as written -> its lower case's id
        self._strings: list[str] = []
        self._table = np.zeros((_N_FIELDS, 0), dtype=np.int64)
        self._valence = np.zeros(0)
        self._t = self._add_tokens([_T])[0]
        # Word pairs the model knows, as keys id(a) << 32 | id(b), and their columns.
        pairs = [(name[2:].split(" "), col) for name, col in self.index.items()
                 if name.startswith("b:")]
        pairs = [(ab, col) for ab, col in pairs if len(ab) == 2]
        ids = self._token_ids([tok for ab, _ in pairs for tok in ab]).reshape(-1, 2)
        keys = (ids[:, 0] << 32) | ids[:, 1]
        # The model's word pairs by key, in a hash table: a chunk's pairs are looked up
        # at once (each name is one pair of tokens, so the keys are distinct).
        self._pairs = pd.Index(keys, dtype=np.int64)
        self._pair_cols = np.asarray([col for _, col in pairs], dtype=np.int64)

    # --- the token table -----------------------------------------------------------------

    def _add_tokens(self, toks: list[str]) -> list[int]:
        """Add new tokens to the table; their ids."""
        get = self.index.get
        rows, valence = [], []
        for tok in toks:
            if tok == _T:  # the masked target: a word with no columns of its own
                word, v, negates, booster, breaks = True, 0.0, False, False, False
                own = [_NO] * 8
            else:
                word, v, negates, booster, breaks, w_key, c_key = _token_info(tok)
                own = [get(w_key, _NO) if word else _NO, get(c_key, _NO) if word else _NO,
                       get("l:" + tok, _NO), get("l1:" + tok, _NO), get("l2:" + tok, _NO),
                       get("r:" + tok, _NO), get("r1:" + tok, _NO), get("r2:" + tok, _NO)]
            rows.append([word, negates, booster, breaks, *own,
                         get(f"b:{tok} {_T}", _NO), get(f"b:{_T} {tok}", _NO),
                         tok in _QUOTES, tok in _SPEECH, tok in _CONTRAST, tok in self._negate,
                         tok in _DEICTIC, tok in ("the", "a", "an")])
            valence.append(v)
        first = len(self._strings)
        ids = list(range(first, first + len(toks)))
        self._ids.update(zip(toks, ids, strict=True))
        self._strings += toks
        self._table = np.concatenate(  # one row per field, one column per token
            [self._table, np.asarray(rows, dtype=np.int64).reshape(-1, _N_FIELDS).T], axis=1)
        self._valence = np.concatenate([self._valence, np.asarray(valence, dtype=np.float64)])
        return ids

    def _token_ids(self, toks: list[str]) -> np.ndarray:
        ids = list(map(self._ids.get, toks))
        if None in ids:
            new = list(dict.fromkeys(t for t, i in zip(toks, ids, strict=True) if i is None))
            self._add_tokens(new)
            ids = list(map(self._ids.__getitem__, toks))
        return np.asarray(ids, dtype=np.int64)

    def _written_ids(self, written: list[str]) -> np.ndarray:
        """The ids of tokens as written (:meth:`_token_ids` of their lower case): a news
        chunk writes most of its tokens as earlier chunks did, so each is looked up once
        instead of being lower-cased first."""
        raw_ids = self._raw_ids
        try:  # most chunks: every token met before, read straight into the array
            return np.fromiter(map(raw_ids.__getitem__, written), dtype=np.int64,
                               count=len(written))
        except KeyError:
            pass
        new = list(dict.fromkeys(t for t in written if t not in raw_ids))
        raw_ids.update(zip(new, self._token_ids(list(map(str.lower, new))).tolist(),
                           strict=True))
        return np.fromiter(map(raw_ids.__getitem__, written), dtype=np.int64,
                           count=len(written))

    # --- the matrix ----------------------------------------------------------------------

    def matrix(self, sentences: Sequence[str], spans: Sequence[tuple[int, int]],
               others: Sequence[Sequence[tuple[int, int]]] | None = None) -> sparse.csr_matrix:
        """Rows of ``vectorize(target_features(s, span, o))`` for every mention."""
        n = len(sentences)
        if len(spans) != n:
            raise ValueError(f"{n} sentences but {len(spans)} spans")
        named = [k for k in range(n) if others and others[k]]
        rows, cols, vals = self._plain(sentences, spans, n, set(named))
        if named:  # mentions with co-mentions: the named features, looked up by name
            get = self.index.get
            extra = [(k, c, v) for k in named
                     for name, v in target_features(sentences[k], tuple(map(int, spans[k])),
                                                    others[k]).items()
                     if (c := get(name, _NO)) != _NO]
            if extra:
                r, c, v = map(np.asarray, zip(*extra, strict=True))
                rows, cols, vals = (np.concatenate([rows, r]), np.concatenate([cols, c]),
                                    np.concatenate([vals, v.astype(np.float64)]))
        # Stable: each row keeps its groups' order. (Radix sort for small row numbers.)
        order = np.argsort(rows.astype(np.uint16) if n <= 0xFFFF else rows, kind="stable")
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
        return sparse.csr_matrix((vals[order], cols[order], indptr), shape=(n, self.n_features))

    def _plain(self, sentences, spans, n: int, skip: set[int]):
        """(row, column, value) of every known feature of the mentions not in ``skip``,
        grouped by feature group, each group in row order and in the row's own order."""
        if len(self._strings) > _MAX_TOKENS or len(self._raw_ids) > _MAX_TOKENS:
            self._forget()  # a bound on memory over a very large corpus
        keep = [k for k in range(n) if k not in skip]
        m = len(keep)
        if not m:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, np.zeros(0)
        row_id = np.asarray(keep, dtype=np.int64)
        # Tokens of each distinct sentence, from one split of their joined text ("\n" is
        # neither in nor next to any token, so no token crosses from one to the next).
        distinct = dict.fromkeys(sentences[k] for k in keep)
        number = {s: i for i, s in enumerate(distinct)}
        which = np.fromiter(map(number.__getitem__, (sentences[k] for k in keep)),
                            dtype=np.int64, count=m)
        # The tokens are lower-cased with ’ read as ' (as tsc_features._sentence); the
        # swap keeps every offset and every token boundary.
        joined = "\n".join(distinct).replace("’", "'")
        parts = _SPLIT.split(joined)
        ends = np.cumsum(np.fromiter(map(len, parts), dtype=np.int64, count=len(parts)))
        tok_start, tok_end = ends[0:-1:2], ends[1::2]
        ids = self._written_ids(parts[1::2])
        sent_len = np.fromiter(map(len, distinct), dtype=np.int64, count=len(distinct))
        sent_at = np.concatenate([[0], np.cumsum(sent_len + 1)[:-1]])
        first_tok = np.searchsorted(tok_start, sent_at)
        past_tok = np.searchsorted(tok_start, sent_at + sent_len)

        # The target's tokens (c0 to c1 of the sentence) collapse to one <t> (as _masked).
        # int() of each offset; a list of pairs is read in C, without numpy's array of
        # tuples first (which cost twice as much).
        span = (np.asarray(spans).reshape(n, 2).astype(np.int64)
                if isinstance(spans, np.ndarray)
                else np.fromiter(chain.from_iterable(spans), dtype=np.int64, count=2 * n
                                 ).reshape(n, 2))[row_id]
        base, a, b = sent_at[which], first_tok[which], past_tok[which]
        c0 = np.clip(np.searchsorted(tok_end, base + span[:, 0], side="right"), a, b)
        c1 = np.clip(np.searchsorted(tok_start, base + span[:, 1], side="left"), a, b)
        between = c0 >= c1
        at = np.clip(np.searchsorted(tok_start, base + span[:, 0], side="left"), a, b)
        c0, c1 = np.where(between, at, c0), np.where(between, at, c1)
        tp = c0 - a  # the target's position in the masked sentence
        length = tp + 1 + (b - c1)
        row_start = np.concatenate([[0], np.cumsum(length)[:-1]])
        total = int(length.sum())
        row = np.repeat(np.arange(m), length)
        pos = np.arange(total) - row_start[row]
        tpr = tp[row]
        src = np.where(pos < tpr, a[row] + pos, c1[row] + pos - tpr - 1)
        is_t = pos == tpr
        tok = np.where(is_t, self._t, ids[np.clip(src, 0, max(len(ids) - 1, 0))] if len(ids)
                       else self._t)
        field = self._table
        gathered: dict[int, np.ndarray] = {}

        def at(f: int) -> np.ndarray:
            """Field ``f`` of every token of the masked sentences."""
            if f not in gathered:
                gathered[f] = field[f][tok]
            return gathered[f]

        groups = []  # (rows, cols, values) per feature group, in the order of the names

        def add(r, c, v=None):
            groups.append((r, c, np.ones(len(c)) if v is None else v))

        add(np.arange(m), np.full(m, self._bias))
        self._first(add, row, at(_W))
        # Word pairs, <t> included.
        words = np.flatnonzero(at(_WORD))
        same = row[words[:-1]] == row[words[1:]]
        left, right = words[:-1][same], words[1:][same]
        tl, tr = tok[left], tok[right]
        keys = (tl << 32) | tr
        at_key = self._pairs.get_indexer(keys)
        pair = np.where(at_key >= 0, self._pair_cols[at_key], _NO) if len(self._pair_cols) \
            else np.full(len(keys), _NO)
        pair = np.where(tr == self._t, field[_BEFORE_T][tl],
                        np.where(tl == self._t, field[_AFTER_T][tr], pair))
        self._first(add, row[left], pair)
        n_words = np.bincount(row[words], minlength=m)

        # Clauses: a running count of breaks within each row.
        breaks = np.cumsum(at(_BREAKS))
        clause = breaks - (breaks[row_start] - at(_BREAKS)[row_start])[row]
        t_flat = row_start + tp
        tclause = clause[t_flat]
        # Sentiment words: valence, flipped after a negation among the three before it and
        # raised after a booster.
        s = np.flatnonzero(self._valence[tok])
        sr, sp = row[s], pos[s]
        v0 = self._valence[tok[s]]
        negs = np.concatenate([[0], np.cumsum(at(_NEGATES))])
        flipped = negs[s] - negs[row_start[sr] + np.maximum(0, sp - 3)] > 0
        v = np.where(flipped, v0 * -0.74, v0)
        boosted = (sp > 0) & (at(_BOOSTER)[np.maximum(s - 1, 0)] == 1)
        v = np.where(boosted, v * 1.3, v)
        flip_rows = np.unique(sr[flipped])
        add(flip_rows, np.full(len(flip_rows), self._neg_flip))
        d = sp - tp[sr]
        dist = np.abs(d)
        in_clause = clause[s] == tclause[sr]
        self._lexicon_words(add, sr, sp, d, dist, v, v0, tok[s], in_clause)

        sums = {}
        for name, mask, value in (
                ("pos_near", (dist <= WINDOW) & (v > 0), v),
                ("neg_near", (dist <= WINDOW) & (v <= 0), -v),
                ("pos_clause", in_clause & (v > 0), v), ("neg_clause", in_clause & (v <= 0), -v),
                ("pos_other", ~in_clause & (v > 0), v), ("neg_other", ~in_clause & (v <= 0), -v),
                ("pos_l", (d < 0) & (v > 0), v), ("neg_l", (d < 0) & (v <= 0), -v),
                ("pos_r", (d >= 0) & (v > 0), v), ("neg_r", (d >= 0) & (v <= 0), -v),
                ("weighted", np.ones(len(v), bool), v * (1.0 / (1.0 + 0.25 * dist))),
                ("total", np.ones(len(v), bool), v)):
            out = np.zeros(m)
            np.add.at(out, sr[mask], value[mask])  # one term at a time, in token order
            sums[name] = out
        # The nearest sentiment word: the first of the smallest distance, if below 99.
        nearest_d = np.full(m, 99)
        np.minimum.at(nearest_d, sr, dist)
        has = nearest_d < 99
        cand = np.flatnonzero(dist == nearest_d[sr])
        first = cand[np.diff(sr[cand], prepend=-1) != 0]
        nearest = np.zeros(m)
        nearest[sr[first]] = v[first]
        t = sums["total"]
        dvals = np.column_stack([
            *(_log1p(sums[k]) for k in ("pos_near", "neg_near", "pos_clause", "neg_clause",
                                        "pos_other", "neg_other", "pos_l", "neg_l", "pos_r",
                                        "neg_r")),
            np.fromiter(map(math.tanh, (sums["weighted"] / 4).tolist()), dtype=np.float64,
                        count=m),
            np.where(has, nearest / 4, 0.0), t / np.sqrt(t * t + 15.0)])
        add(np.repeat(np.arange(m), len(self._d)), np.tile(self._d, m), dvals.ravel())
        near_rows = np.flatnonzero(has)
        nd = nearest_d[near_rows]
        add(near_rows, self._near[(nearest[near_rows] <= 0).astype(int),
                                  _NEAR_OF_DIST[np.minimum(nd, 7)]])

        # Window words: for k = 1..5 "l:" (and "l1:"/"l2:") then "r:" (and "r1:"/"r2:").
        window = []
        for k in range(1, WINDOW + 1):
            for j, fields in ((tp - k, (_L, _L1 if k == 1 else _L2)),
                              (tp + k, (_R, _R1 if k == 1 else _R2))):
                valid = (j >= 0) & (j < length)
                here = np.where(valid, row_start + j, 0)
                for f in fields[:1 + (k <= 2)]:
                    window.append(np.where(valid, at(f)[here], _NO))
        self._first(add, np.repeat(np.arange(m), len(window)), np.column_stack(window).ravel())
        self._first(add, row[clause == tclause[row]],
                    np.where(is_t, _NO, at(_C))[clause == tclause[row]])

        before, after = pos < tpr, pos > tpr
        quotes = at(_QUOTE) == 1
        in_quote = np.bincount(row[quotes & before], minlength=m) % 2 == 1
        cues = [(tp == 0) | ((tp == 1) & (at(_OPENER)[row_start] == 1)),
                _any(row, quotes, m) & in_quote, _any(row, quotes, m),
                _any(row, (at(_SAYS) == 1) & after & (pos <= tpr + 3), m),
                _any(row, (at(_SAYS) == 1) & before & (pos >= tpr - 3), m),
                _any(row, (at(_CONTRASTS) == 1) & after, m),
                _any(row, (at(_CONTRASTS) == 1) & before, m),
                _any(row, (at(_NEGATION) == 1) & (pos >= tpr - 4) & (pos <= tpr + 4), m),
                _any(row, at(_PRONOUN) == 1, m)]
        flags = np.column_stack([*cues, np.ones(m, bool), np.ones(m, bool)])
        values = np.column_stack([np.ones((m, len(cues))), tp / np.maximum(1, length - 1),
                                  _log1p(n_words) / 4])
        r, c = np.nonzero(flags)
        add(r, self._cue[c], values[r, c])

        rows = np.concatenate([g[0] for g in groups])
        cols = np.concatenate([g[1] for g in groups]).astype(np.int64)
        vals = np.concatenate([g[2] for g in groups]).astype(np.float64)
        known = cols != _NO
        return row_id[rows[known]], cols[known], vals[known]

    @staticmethod
    def _first(add, rows: np.ndarray, cols: np.ndarray) -> None:
        """Binary features in row order: each column once per row, where it first occurs."""
        known = cols != _NO
        rows, cols = rows[known], cols[known]
        again = pd.Series((rows << 32) | cols).duplicated(keep="first").to_numpy()
        add(rows[~again], cols[~again])

    def _lexicon_words(self, add, sr, sp, d, dist, v, v0, toks, in_clause) -> None:
        """``lx:`` (summed |valence| / 2 by side, sign and distance) and ``lw:`` (the word by
        side, ``~`` when negation flipped it) of the sentiment words in the target's clause,
        in token order, each word's ``lx:`` before its ``lw:``."""
        k = np.flatnonzero(in_clause)
        side = (d[k] >= 0).astype(int)
        lx = self._lx[side, (v[k] <= 0).astype(int), _LX_OF_DIST[np.minimum(dist[k], 11)]]
        tilde = (v[k] > 0) != (v0[k] > 0)
        # Each distinct (token, side, tilde) is looked up once: a chunk repeats its words.
        distinct, which = np.unique(toks[k] * 4 + side * 2 + tilde, return_inverse=True)
        lw = np.asarray([self._lw_column((key >> 1) & 1, key >> 2, bool(key & 1))
                         for key in distinct.tolist()], dtype=np.int64)[which.reshape(-1)]
        rows = np.concatenate([sr[k], sr[k]])
        order = np.concatenate([sp[k] * 2, sp[k] * 2 + 1])
        cols = np.concatenate([lx, lw])
        vals = np.concatenate([np.abs(v[k]) / 2, np.ones(len(k))])
        is_lx = np.arange(len(cols)) < len(k)
        seq = np.lexsort((order, rows))
        rows, cols, vals, is_lx = rows[seq], cols[seq], vals[seq], is_lx[seq]
        known = cols != _NO
        rows, cols, vals, is_lx = rows[known], cols[known], vals[known], is_lx[known]
        keys = (rows << 32) | cols
        _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
        summed = np.zeros(len(first))
        np.add.at(summed, inverse, vals)  # lx values add up in token order from 0.0
        first.sort()
        add(rows[first], cols[first], np.where(is_lx[first], summed[inverse[first]], 1.0))

    def _lw_column(self, side: int, tok: int, tilde: bool) -> int:
        col = self._lw.get((side, tok, tilde))
        if col is None:
            name = f"lw:{'lr'[side]}:{self._strings[tok]}{'~' if tilde else ''}"
            col = self._lw[side, tok, tilde] = self.index.get(name, _NO)
        return col
