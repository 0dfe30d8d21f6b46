"""Readability: textstat indices, sentence length and moving-average type-token ratio."""
from __future__ import annotations

import math

import pytest

from analysis import Cancelled
from analysis.corpus import Corpus, Document
from analysis.readability import READABILITY_COLUMNS, ReadabilityAnalyzer, mattr

SIMPLE = "The cat sat on the mat. The dog ran to the park."
HARD = ("The committee considered the proposal carefully. Negotiations continued throughout "
        "the evening. Everybody anticipated a difficult compromise. The delegates eventually "
        "agreed.")


def corpus(*texts: str) -> Corpus:
    return Corpus(Document(f"d{i}", t) for i, t in enumerate(texts))


def test_indices_by_hand_and_against_textstat():
    import textstat

    docs = ReadabilityAnalyzer().transform(corpus(SIMPLE, HARD)).documents
    assert list(docs.columns) == list(READABILITY_COLUMNS)
    simple = docs.loc["d0"]
    # 12 one-syllable words in 2 sentences:
    # Flesch = 206.835 - 1.015 * 6 - 84.6 * 1; FK grade = 0.39 * 6 + 11.8 * 1 - 15.59;
    # fog = 0.4 * (6 + 100 * 0 / 12).
    assert simple["flesch_reading_ease"] == pytest.approx(116.145)
    assert simple["flesch_kincaid_grade"] == pytest.approx(-1.45)
    assert simple["gunning_fog"] == pytest.approx(2.4)
    assert math.isnan(simple["smog"])            # SMOG needs at least 3 sentences
    assert simple["mean_sentence_length"] == 6.0
    # 12 tokens, 9 types ("the" x4) -> plain TTR below 100 words
    assert simple["type_token_ratio"] == pytest.approx(9 / 12)
    hard = docs.loc["d1"]
    assert hard["flesch_reading_ease"] == pytest.approx(textstat.flesch_reading_ease(HARD))
    assert hard["flesch_kincaid_grade"] == pytest.approx(textstat.flesch_kincaid_grade(HARD))
    assert hard["gunning_fog"] == pytest.approx(textstat.gunning_fog(HARD))
    assert hard["smog"] == pytest.approx(textstat.smog_index(HARD))
    assert hard["mean_sentence_length"] == 5.0
    assert hard["flesch_reading_ease"] < simple["flesch_reading_ease"]


def test_mattr_by_hand():
    assert mattr(["a", "b", "a", "c"], window=3) == pytest.approx((2 / 3 + 3 / 3) / 2)
    assert mattr(["a", "b", "a"], window=100) == pytest.approx(2 / 3)
    assert math.isnan(mattr([]))
    # 120 tokens cycling four words: every 100-word window has 4 types.
    assert mattr(["w", "x", "y", "z"] * 30) == pytest.approx(4 / 100)


def test_type_token_ratio_uses_windows_for_long_texts():
    text = " ".join(["Alpha beta gamma delta."] * 30)
    row = ReadabilityAnalyzer().transform(corpus(text)).documents.loc["d0"]
    assert row["type_token_ratio"] == pytest.approx(0.04)
    assert row["mean_sentence_length"] == 4.0


def test_short_and_empty_texts_give_nan():
    docs = ReadabilityAnalyzer().transform(corpus("", "Too short.", "   ")).documents
    assert docs.loc["d0"].isna().all() and docs.loc["d2"].isna().all()
    short = docs.loc["d1"]
    assert math.isnan(short["flesch_reading_ease"]) and math.isnan(short["smog"])
    assert short["mean_sentence_length"] == 2.0 and short["type_token_ratio"] == 1.0


def test_empty_corpus_and_cancel():
    seen = []
    docs = ReadabilityAnalyzer().transform(Corpus(), seen.append).documents
    assert docs.empty and list(docs.columns) == list(READABILITY_COLUMNS)
    assert seen[-1] == 1.0

    def cancel(_):
        raise Cancelled

    with pytest.raises(Cancelled):
        ReadabilityAnalyzer().transform(corpus(SIMPLE), cancel)


def test_importing_the_module_does_not_load_textstat():
    import subprocess
    import sys

    code = ("import sys, analysis.readability, analysis.markers, analysis.frames; "
            "print('textstat' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


def test_indices_use_the_same_sentences_as_mean_sentence_length():
    import textstat

    # "U.S." and "Feb." end no sentence: two sentences of 12 and 10 words. textstat's own
    # splitter counts 4 here, which made its indices disagree with the sentence length.
    text = ("Officials in the U.S. capital met on Feb. 8 to discuss trade. "
            "They agreed to meet again in the spring next year.")
    doc = ReadabilityAnalyzer().transform(corpus(text)).documents.loc["d0"]
    assert doc["mean_sentence_length"] == 11.0
    assert textstat.lexicon_count(text) == 22
    syllables = textstat.syllable_count(text)
    assert doc["flesch_reading_ease"] == pytest.approx(
        206.835 - 1.015 * 11 - 84.6 * syllables / 22)
    assert doc["flesch_kincaid_grade"] == pytest.approx(0.39 * 11 + 11.8 * syllables / 22
                                                        - 15.59)
    assert textstat.sentence_count(text) == 4  # the disagreement this guards against



def _sliding_mattr(tokens, window=100):
    """MATTR by sliding one window of counts (the former implementation)."""
    from collections import Counter

    n = len(tokens)
    if n < window:
        return len(set(tokens)) / n
    counts = Counter(tokens[:window])
    types = total = len(counts)
    for i in range(window, n):
        out, inc = tokens[i - window], tokens[i]
        counts[out] -= 1
        types -= counts[out] == 0
        types += counts[inc] == 0
        counts[inc] += 1
        total += types
    return total / ((n - window + 1) * window)


def test_mattr_equals_sliding_a_window_of_counts():
    import random

    rng = random.Random(3)
    cases = [(["a"] * 250, 100), (list("abcdefghij") * 40, 100), (list("ab"), 2)]
    for _ in range(300):
        vocabulary = [f"w{i}" for i in range(rng.choice([2, 5, 30, 400]))]
        n = rng.randint(1, 700)
        cases.append(([rng.choice(vocabulary) for _ in range(n)], rng.choice([1, 3, 50, 100])))
    for tokens, window in cases:
        assert mattr(tokens, window) == _sliding_mattr(tokens, window)  # exactly
