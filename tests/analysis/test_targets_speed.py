"""The faster mention search and target scoring give exactly the former results."""
from __future__ import annotations

import random
import re

import numpy as np

from analysis.targets import _matcher, find_mentions, load_targets, parse_targets

_USER_TARGETS = """
targets:
  - id: kremlin
    label: The Kremlin
    aliases: [Kremlin, Putin's government, {text: KGB, case_sensitive: true}, the Alliance]
    exclusions: [Kremlin Palace]
  - id: odd
    label: Odd names
    aliases: ["'t Hooft", Éire, "-dash"]
"""
_FILLER = ["the", "talks", "on", "Tuesday", "Sino-", "pro-", "(", ")", ",", "and", "said",
           "US-led", "U.S.", "Kelvin", "\u212aremlin", "\u017fanctions", "word"]


def _texts(targets, n: int, seed: int = 3) -> list[str]:
    rng = random.Random(seed)
    names = [a for t in targets for a in (*t.aliases, *t.exclusions)]
    out = []
    for _ in range(n):
        parts = []
        for _ in range(rng.randint(5, 40)):
            w = rng.choice(names) if rng.random() < 0.4 else rng.choice(_FILLER)
            r = rng.random()
            w = w.upper() if r < 0.1 else w.lower() if r < 0.2 else w.title() if r < 0.25 else w
            parts.append(w)
        out.append(rng.choice([" ", "", "-", "\n"]).join(parts) + rng.choice([".", "", "!"]))
    return out


def _plain_alternation(targets) -> re.Pattern[str]:
    """The pattern as it was built before the per-letter dispatch."""
    pattern = _matcher(targets)[0].pattern
    bodies = re.findall(r"\(\?=\(\?i:.\)\)\(\?:(.*?)\)(?=\|\(\?=\(\?i:.\)\)|\)\(\?!\\w\)$)",
                        pattern)
    return re.compile(r"(?<!\w)(?:" + "|".join(bodies) + r")(?!\w)")


def test_grouped_alias_regex_finds_the_same_spans_as_the_plain_alternation():
    for targets in (load_targets(), parse_targets(_USER_TARGETS)):
        pattern = _matcher(targets)[0]
        plain = _plain_alternation(targets) if "(?=(?i:" in pattern.pattern else pattern
        for text in _texts(targets, 400):
            assert ([m.span() for m in pattern.finditer(text)]
                    == [m.span() for m in plain.finditer(text)]), text


def test_user_targets_with_non_letter_aliases_keep_the_plain_alternation():
    targets = parse_targets(_USER_TARGETS)
    assert "(?=(?i:" not in _matcher(targets)[0].pattern
    found = find_mentions("Eire and '\u2019t Hooft' aside, the KGB and the Kremlin met.", targets)
    assert [m.text for m in found] == ["\u2019t Hooft", "KGB", "Kremlin"]


def test_grouping_is_used_for_the_built_in_targets():
    targets = load_targets()
    assert _matcher(targets)[0].pattern.count("(?=(?i:") >= 5
    found = find_mentions("Trade grew; China\u2013Russia ties and NATO held, said Kremlin "
                          "aides in Moscow.", targets)
    assert [m.text for m in found] == ["China\u2013Russia ties", "NATO", "Kremlin", "Moscow"]
    assert np.all(np.diff([m.start for m in found]) > 0)


def _reference_vectorize(features, index, n_features):
    """The former row-by-row loop of analysis.models.linear.vectorize."""
    from scipy import sparse

    indptr, cols, vals = [0], [], []
    for feats in features:
        for name, value in feats.items():
            j = index.get(name)
            if j is not None:
                cols.append(j)
                vals.append(value)
        indptr.append(len(cols))
    return sparse.csr_matrix((np.asarray(vals, dtype=np.float64),
                              np.asarray(cols, dtype=np.int64), np.asarray(indptr)),
                             shape=(len(indptr) - 1, n_features))


def test_linear_model_matrix_and_probabilities_equal_the_row_by_row_build():
    from analysis.models.linear import vectorize
    from analysis.models.target_sentiment import load_target_model

    scorer = load_target_model()
    model = scorer.model
    sentences, spans = [], []
    for text in _texts(load_targets(), 60, seed=8):
        for m in find_mentions(text, load_targets()):
            sentences.append(text)
            spans.append((m.start, m.end))
    assert len(sentences) > 100
    rows = scorer.features(sentences, spans)
    rows += [{}, {"no such feature": 2.0}, {"bias": 1.0, "never seen": 1.0}]
    got = vectorize(rows, model.index, len(model.vocab))
    expected = _reference_vectorize(rows, model.index, len(model.vocab))
    for part in ("indptr", "indices", "data"):
        assert np.array_equal(getattr(got, part), getattr(expected, part)), part
    assert np.array_equal(model.logits(got), model.logits(expected))
    assert vectorize([], model.index, len(model.vocab)).shape == (0, len(model.vocab))
