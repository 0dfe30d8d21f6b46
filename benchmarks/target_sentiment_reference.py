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
from collections.abc import Iterable

import numpy as np

from analysis.models.linear import softmax, vectorize
from analysis.models.tsc_features import target_features
from analysis.targets import Mention, Target, _key, _matcher, mention_table
from analysis.text import segment

__all__ = ["reference_target_features", "reference_predict_proba", "reference_find_mentions",
           "reference_mentions", "reference_transform"]

# The per-mention features are still shipped (co-mentions, explanations and training use
# them) and pinned to their first-written version by tests/analysis/test_targets_speed.py,
# so the reference takes them as they are rather than keeping a second copy.
reference_target_features = target_features


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


def reference_predict_proba(model, sentences, spans, others=None) -> np.ndarray:
    """``LinearTargetScorer.predict_proba`` as it was: (n, 3) probabilities from ``model``
    (a :class:`analysis.models.linear.LinearModel`)."""
    if not len(sentences):
        return np.zeros((0, 3))
    others = others or [()] * len(sentences)
    rows = [reference_target_features(s, (int(a), int(b)), o)
            for s, (a, b), o in zip(sentences, spans, others, strict=False)]
    X = vectorize(rows, model.index, len(model.vocab))  # unchanged, still shipped
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
    from analysis.lang import document_language, method_available

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
    return mention_table(rows, proba)  # unchanged table building, shared
