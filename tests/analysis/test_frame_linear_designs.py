"""Same-cost linear recipes for the generic frames: per-frame C and threshold are chosen
from the training part alone, and the model card's verdict follows the stored paired
differences."""
from __future__ import annotations

import random

import numpy as np

from analysis.models import cards
from analysis.models.frame_detector import load_frame_model
from analysis.models.frame_fusion import THRESHOLDS
from benchmarks.frame_designs import LINEAR_CS, choose_per_frame

_TOPICS = [
    "tax budget billion dollars jobs market prices investment economy costs",
    "clash critics attack protest fight accused rivals dispute debate against",
    "family children mother home grief victims village tears neighbours farmer",
    "moral duty church faith wrong shame values justice sin conscience",
    "plan policy solution agreement target law regulate government action reduce",
]


def _articles(n: int, seed: int = 0):
    rng = random.Random(seed)
    texts, labels = [], []
    for _ in range(n):
        y = [int(rng.random() < 0.45) for _ in _TOPICS]
        words = "river weather coast summer report scientists data".split()
        for k, on in enumerate(y):
            if on:
                words += rng.choices(_TOPICS[k].split(), k=6)
        rng.shuffle(words)
        texts.append(" ".join(words[:8]).capitalize() + ". " + " ".join(words[8:]) + ".")
        labels.append(y)
    Y = np.asarray(labels)
    Y[:2] = 1  # every frame has positives in every fold
    Y[2:4] = 0
    return texts, Y


def _inputs(texts):
    from analysis.models.frame_features import Codebook, codebook_features, document_terms

    return [document_terms(t) for t in texts], codebook_features(texts, Codebook())


def test_per_frame_choice_reads_only_the_training_articles():
    texts, Y = _articles(80)
    terms, cb = _inputs(texts)
    inside = np.arange(60)
    choice = choose_per_frame(texts, Y, terms, cb, inside)
    assert len(choice) == Y.shape[1]
    assert all(C in LINEAR_CS and t in THRESHOLDS for C, t in choice)
    flipped = Y.copy()
    flipped[60:] = 1 - flipped[60:]  # labels outside the training part must not matter
    assert choose_per_frame(texts, flipped, terms, cb, inside) == choice
    changed = Y.copy()
    changed[4:30] = 1 - changed[4:30]
    assert choose_per_frame(texts, changed, terms, cb, inside) != choice


def _stored(paired_lows):
    return {"n_articles": 235, "seeds": [0, 1], "cs": list(LINEAR_CS),
            "method": "nested 5-fold cross-validation on the development articles only",
            "designs": {"v1 (threshold 0.5)": {"macro_f1": 0.6012, "per_seed": [0.61, 0.5924]},
                        "per-frame C and threshold": {"macro_f1": 0.6153,
                                                      "per_seed": [0.62, 0.6106]}},
            "paired": [{"seed": s, "difference": 0.014, "ci95": [low, 0.05]}
                       for s, low in zip((0, 1), paired_lows, strict=True)]}


def test_card_shows_the_same_cost_comparison_and_keeps_v1_unless_every_seed_wins():
    meta = load_frame_model().linear.meta
    text = cards.frames_card(meta, 1000, None, _stored([-0.01, 0.002]))
    assert "## Same-cost recipes compared" in text
    assert "| per-frame C and threshold | 0.615 | 0.620 / 0.611 |" in text
    assert "| v1 (threshold 0.5) | 0.601 | 0.610 / 0.592 |" in text
    assert "seed 0: +0.014 (-0.010 to +0.050)" in text
    assert "v1 stays" in text and "replaces it" not in text
    wins = cards.frames_card(meta, 1000, None, _stored([0.001, 0.002]))
    assert "replaces it" in wins and "v1 stays" not in wins
    assert "Same-cost" not in cards.frames_card(meta, 1000, None, None)
