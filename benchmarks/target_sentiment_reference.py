"""Target sentiment as it was computed before the feature matrix was built column by column:
the reference that ``tests/analysis/test_target_matrix_equal.py`` checks the shipped code
against, and the "before" of ``python -m benchmarks.bench_target_model --corpus DIR``.

Each mention got a dict of named features (one sentence's tokens masked, keys formatted
as strings), the dicts were turned into a sparse matrix through the model's vocabulary,
and each document's mentions were found by one regex pass and placed in their sentences
by bisection.
"""
from __future__ import annotations

import bisect
import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from functools import lru_cache
from itertools import accumulate, chain, compress, count, repeat
from operator import itemgetter

import numpy as np
from scipy import sparse

from analysis.models.linear import softmax
from analysis.models.tsc_features import lexicon
from analysis.targets import Mention, Target, _key, _matcher
from analysis.text import segment

__all__ = ["reference_target_features", "reference_predict_proba", "reference_find_mentions",
           "reference_mentions", "reference_transform"]

WINDOW = 5
_TOKEN = re.compile(r"\w+(?:[-'’]\w+)*|[;:—–()\"“”]|--|,")
_CONTRAST = frozenset("but while although though however whereas yet despite unlike "
                      "instead".split())
_BREAK_PUNCT = frozenset(";:—–()\"“”") | {"--"}
_SPEECH = frozenset("said says say told tells according claimed claims argued argues "
                    "wrote writes added adds insisted insists stated states asked asks "
                    "warned warns accused accuses praised praises criticized criticised "
                    "blamed blames".split())
_QUOTES = frozenset('"“”')
_DEICTIC = frozenset("he she his her him they them their it its we our i my".split())


_T = "<t>"
# (word?, valence, negates the word after it?, booster?, clause break?, "w:" key, "c:" key)
_T_INFO = (True, 0.0, False, False, False, None, None)
_IS_WORD, _VALENCE, _BREAKS, _W_KEY, _C_KEY = (itemgetter(k) for k in (0, 1, 4, 5, 6))
_PAIR_KEY = "b:{} {}".format
# Buckets of the (integer) distance to the target: how many of the edges it exceeds.
_LX_BUCKET = [sum(d > e for e in (2, 5, 10)) for d in range(11)]
_NEAR_BUCKET = [sum(d > e for e in (1, 3, 6)) for d in range(7)]


@lru_cache(maxsize=65536)
def _token_info(tok: str) -> tuple:
    """Lexicon facts of one lower-cased token, looked up once per distinct token."""
    lex, negate, boosters = lexicon()
    word = tok[0].isalnum()
    return (word, lex.get(tok, 0.0), tok in negate or tok.endswith("n't"), tok in boosters,
            tok in _CONTRAST or tok in _BREAK_PUNCT,
            "w:" + tok if word else None, "c:" + tok if word else None)


@lru_cache(maxsize=4096)
def _sentence(sentence: str) -> tuple[list[str], list[int], list[int], list[tuple]]:
    """Tokens of a sentence, their offsets and facts: shared by every mention in it."""
    # map() over the match methods keeps the per-token work in C.
    matches = list(_TOKEN.finditer(sentence))
    toks = list(map(str.lower, map(re.Match.group, matches)))
    if "’" in sentence:
        toks = [t.replace("’", "'") for t in toks]
    return (toks, list(map(re.Match.start, matches)), list(map(re.Match.end, matches)),
            list(map(_token_info, toks)))


def _masked(sentence: str, span: tuple[int, int], others) -> tuple[list[str], list[tuple], int]:
    """The sentence's tokens with the target collapsed to one ``<t>``, their facts and the
    position of the main mention."""
    toks, starts, ends, info = _sentence(sentence)
    start, end = span
    if not others:
        # Tokens overlapping the span are contiguous: cut them out and put one <t> there.
        c0, c1 = bisect_right(ends, start), bisect_left(starts, end)
        if c0 >= c1:  # the span fell between tokens: place it by offset
            c0 = c1 = bisect_left(starts, start)
        return toks[:c0] + [_T] + toks[c1:], info[:c0] + [_T_INFO] + info[c1:], c0

    mentions = [(start, end), *others]
    lo, hi = min(s for s, _ in mentions), max(e for _, e in mentions)
    seq: list[str] = []
    target_pos = -1
    for tok, a, b in zip(toks, starts, ends, strict=True):
        if a < hi and b > lo and any(a < e and b > s for s, e in mentions):
            is_main = a < end and b > start
            if seq and seq[-1] == _T and not (is_main and target_pos < 0):
                continue
            if is_main and target_pos < 0:
                target_pos = len(seq)
            seq.append(_T)
        else:
            seq.append(tok)
    if target_pos < 0:  # the span fell between tokens: place it by offset
        target_pos = sum(1 for a in starts if a < start)
        seq.insert(target_pos, _T)
    return seq, [_T_INFO if t == _T else _token_info(t) for t in seq], target_pos


def reference_target_features(sentence: str, span: tuple[int, int],
                    others: list[tuple[int, int]] | tuple = ()) -> dict[str, float]:
    """Named features of ``sentence`` toward the target at ``span`` (characters, end excl.).

    ``others`` are further mentions of the same target (coreferences), masked like it.
    Returns a dict feature name -> value (binary features have value 1). The trained
    weights depend on the names, values and order of these features: keep all three.
    """
    negate = lexicon()[1]
    seq, info, target_pos = _masked(sentence, span, others)

    feats: dict[str, float] = {"bias": 1.0}
    # compress/filter/map over itemgetters keep these per-token passes in C.
    words = list(compress(seq, map(_IS_WORD, info)))
    feats.update(dict.fromkeys(filter(None, map(_W_KEY, info)), 1.0))
    feats.update(dict.fromkeys(map(_PAIR_KEY, words, words[1:]), 1.0))

    # Clause boundaries: contrast words and breaking punctuation (a clause id per token).
    clause = list(accumulate(map(_BREAKS, info)))
    tclause = clause[target_pos]

    # Valence of each sentiment word (index -> value), flipped when one of the three
    # words before it negates it.
    valence: dict[int, float] = {}
    for i in list(compress(count(), map(_VALENCE, info))):
        v = info[i][1]
        if any(g[2] for g in info[max(0, i - 3):i]):
            v *= -0.74
            feats["neg_flip"] = 1.0
        if i > 0 and info[i - 1][3]:
            v *= 1.3
        valence[i] = v

    total = sum(valence.values())
    pos_near = neg_near = pos_l = neg_l = pos_r = neg_r = 0.0
    pos_clause = neg_clause = pos_other = neg_other = weighted = 0.0
    nearest, nearest_d = 0.0, 99
    for i, v in valence.items():
        d = i - target_pos
        dist = abs(d)
        side = "l" if d < 0 else "r"
        w = 1.0 / (1.0 + 0.25 * dist)
        weighted += v * w
        if dist < nearest_d:
            nearest, nearest_d = v, dist
        sign = "+" if v > 0 else "-"
        if clause[i] == tclause:
            if v > 0:
                pos_clause += v
            else:
                neg_clause -= v
            key = f"lx:{side}{sign}:{_LX_BUCKET[dist] if dist <= 10 else 3}"
            feats[key] = feats.get(key, 0.0) + abs(v) / 2
            feats[f"lw:{side}:{seq[i]}" + ("~" if (v > 0) != (info[i][1] > 0) else "")] = 1.0
        else:
            if v > 0:
                pos_other += v
            else:
                neg_other -= v
        if dist <= WINDOW:
            if v > 0:
                pos_near += v
            else:
                neg_near -= v
        if d < 0:
            pos_l, neg_l = (pos_l + v, neg_l) if v > 0 else (pos_l, neg_l - v)
        else:
            pos_r, neg_r = (pos_r + v, neg_r) if v > 0 else (pos_r, neg_r - v)

    squash = math.log1p
    feats.update({
        "d:pos_near": squash(pos_near), "d:neg_near": squash(neg_near),
        "d:pos_clause": squash(pos_clause), "d:neg_clause": squash(neg_clause),
        "d:pos_other": squash(pos_other), "d:neg_other": squash(neg_other),
        "d:pos_l": squash(pos_l), "d:neg_l": squash(neg_l),
        "d:pos_r": squash(pos_r), "d:neg_r": squash(neg_r),
        "d:weighted": math.tanh(weighted / 4),
        "d:nearest": nearest / 4 if nearest_d < 99 else 0.0,
        # VADER's normalisation of the summed valence; computed here rather than by
        # calling VADER, which would halve the model's speed for no measurable gain.
        "d:compound": total / math.sqrt(total * total + 15.0),
    })
    if nearest_d < 99:
        bucket = _NEAR_BUCKET[nearest_d] if nearest_d <= 6 else 3
        feats[f"near:{'+' if nearest > 0 else '-'}{bucket}"] = 1.0

    # Window words with their side; the two nearest words also with their exact position.
    n = len(seq)
    for k in range(1, WINDOW + 1):
        j = target_pos - k
        if j >= 0 and (t := seq[j]) != _T:
            feats["l:" + t] = 1.0
            if k <= 2:
                feats[f"l{k}:{t}"] = 1.0
        j = target_pos + k
        if j < n and (t := seq[j]) != _T:
            feats["r:" + t] = 1.0
            if k <= 2:
                feats[f"r{k}:{t}"] = 1.0
    # The target's clause is one run of tokens, as clause ids never decrease.
    c0, c1 = bisect_left(clause, tclause), bisect_right(clause, tclause)
    feats.update(dict.fromkeys(filter(None, map(_C_KEY, info[c0:c1])), 1.0))

    # Cues.
    if target_pos == 0 or (target_pos == 1 and seq[0] in {"the", "a", "an"}):
        feats["cue:opens"] = 1.0
    if not _QUOTES.isdisjoint(seq):
        if sum(t in _QUOTES for t in seq[:target_pos]) % 2 == 1:
            feats["cue:in_quote"] = 1.0
        feats["cue:has_quote"] = 1.0
    if not _SPEECH.isdisjoint(seq[target_pos + 1:target_pos + 4]):
        feats["cue:speaks"] = 1.0
    if not _SPEECH.isdisjoint(seq[max(0, target_pos - 3):target_pos]):
        feats["cue:spoken_of"] = 1.0
    if not _CONTRAST.isdisjoint(seq[target_pos + 1:]):
        feats["cue:contrast_after"] = 1.0
    if not _CONTRAST.isdisjoint(seq[:target_pos]):
        feats["cue:contrast_before"] = 1.0
    if not negate.isdisjoint(seq[max(0, target_pos - 4):target_pos + 5]):
        feats["cue:negation_near"] = 1.0
    if not _DEICTIC.isdisjoint(seq):
        feats["cue:pronoun"] = 1.0
    feats["d:rel_pos"] = target_pos / max(1, n - 1)
    feats["d:log_len"] = math.log1p(len(words)) / 4
    return feats


def reference_find_mentions(text: str, targets: Iterable[Target]) -> list[Mention]:
    """Every mention of ``targets`` in ``text``, in order of position.

    Whole words only; overlapping aliases resolve to the longest (leftmost first).
    ``sentence`` is the index of the sentence (:func:`analysis.text.segment`) holding
    the mention's start.
    """
    pattern, exact, loose = _matcher(tuple(targets))
    if pattern is None or not text:
        return []
    sentences = None
    starts: list[int] = []
    out: list[Mention] = []
    for m in pattern.finditer(text):
        key = _key(m.group(0))
        tid = exact.get(key) or loose.get(key.lower())
        if tid is None:
            continue
        if sentences is None:
            sentences = segment(text).sentences
            starts = [s.start for s in sentences]
        idx = max(bisect.bisect_right(starts, m.start()) - 1, 0)
        out.append(Mention(tid, m.start(), m.end(), idx, m.group(0)))
    return out


def _reference_vectorize(features, index, n_features):
    rows = features if isinstance(features, list) else list(features)
    lengths = np.fromiter(map(len, rows), dtype=np.int64, count=len(rows))
    names = list(chain.from_iterable(rows))
    cols = np.fromiter(map(index.get, names, repeat(-1, len(names))), dtype=np.int64,
                       count=len(names))
    vals = np.fromiter(chain.from_iterable(r.values() for r in rows), dtype=np.float64,
                       count=len(names))
    known = cols >= 0
    row_of = np.repeat(np.arange(len(rows)), lengths)
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum(np.bincount(row_of[known], minlength=len(rows)), out=indptr[1:])
    return sparse.csr_matrix((vals[known], cols[known], indptr),
                             shape=(len(rows), n_features))


def reference_predict_proba(model, sentences, spans, others=None) -> np.ndarray:
    """``LinearTargetScorer.predict_proba`` as it was: (n, 3) probabilities from ``model``
    (a :class:`analysis.models.linear.LinearModel`)."""
    if not len(sentences):
        return np.zeros((0, 3))
    others = others or [()] * len(sentences)
    rows = [reference_target_features(s, (int(a), int(b)), o)
            for s, (a, b), o in zip(sentences, spans, others, strict=False)]
    X = _reference_vectorize(rows, model.index, len(model.vocab))
    return softmax(model.logits(X))


def reference_mentions(texts, targets):
    """Per text: (mention rows, sentences, spans) as ``TargetSentimentAnalyzer.transform``
    collected them: rows ``(text number, target, sentence, start, end, mention)``."""
    rows, sentences, spans = [], [], []
    for n, text in enumerate(texts):
        found = reference_find_mentions(text, targets)
        if not found:
            continue
        sents = segment(text).sentences
        for m in found:
            s = sents[m.sentence]
            sentences.append(s.text)
            spans.append((m.start - s.start, min(m.end, s.end) - s.start))
            rows.append((n, m.target, m.sentence, m.start, m.end, m.text))
    return rows, sentences, spans


def reference_transform(corpus, targets, model):
    """``TargetSentimentAnalyzer(targets, linear scorer).transform(corpus)`` as it was:
    the mentions table (:data:`analysis.targets.MENTION_COLUMNS`)."""
    import pandas as pd

    from analysis.base import SENTIMENT_LABELS
    from analysis.lang import document_language, method_available
    from analysis.targets import MENTION_COLUMNS

    rows, sentences, spans = [], [], []
    for doc in corpus.documents:
        if not method_available("targets", document_language(doc)):
            continue
        found = reference_find_mentions(doc.text, targets)
        if not found:
            continue
        sents = segment(doc.text).sentences
        for m in found:
            s = sents[m.sentence]
            sentences.append(s.text)
            spans.append((m.start - s.start, min(m.end, s.end) - s.start))
            rows.append((doc.doc_id, m.target, m.sentence, m.start, m.end, m.text))
    parts = [reference_predict_proba(model, sentences[i:i + 2048], spans[i:i + 2048])
             for i in range(0, len(sentences), 2048)]
    proba = np.concatenate(parts) if parts else np.zeros((0, 3))
    mentions = pd.DataFrame(rows, columns=list(MENTION_COLUMNS[:6]))
    mentions = mentions.astype({"doc_id": object, "target": object, "sentence": np.int64,
                                "start": np.int64, "end": np.int64, "mention": object})
    mentions["score"] = proba[:, 2] - proba[:, 0]
    mentions["label"] = pd.Series(
        np.asarray(SENTIMENT_LABELS, dtype=object)[proba.argmax(axis=1)] if len(proba)
        else np.empty(0, dtype=object), dtype=object)
    mentions["p_negative"], mentions["p_neutral"], mentions["p_positive"] = proba.T
    return mentions[list(MENTION_COLUMNS)]
