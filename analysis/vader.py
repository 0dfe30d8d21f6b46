"""VADER compound scores of many sentences, equal to vaderSentiment 3.3.2's, several times faster.

``SentimentIntensityAnalyzer.polarity_scores`` spends most of its time on words that
carry no sentiment: it rebuilds the text character by character to replace emoji, and
for every lexicon word it lower-cases the whole sentence three times. The score itself
depends only on the lexicon words, each read in a window of three words before it and
two after (negation, boosters, idioms, "least"), on whether some but not all words are
in capitals, on the first "but", and on the ! and ? count. So :class:`FastVader` finds
the lexicon words of a sentence with set operations, asks VADER's own
``sentiment_valence`` for each one on its small window (cached: news repeats its
phrases), and applies VADER's own "but" rule and normalisation. The rules are VADER's
code, not a copy; tests/analysis/test_vader_fast.py compares the scores with
``polarity_scores`` on thousands of sentences.
"""
from __future__ import annotations

import string
from collections.abc import Iterable
from functools import lru_cache

__all__ = ["FastVader", "fast_vader", "compound_scores"]

_PUNCTUATION = string.punctuation
_CACHE_MAX = 100_000  # each cache is emptied beyond this many entries (bounded memory)


class _StrippedWords(dict):
    """raw word -> VADER's word (punctuation stripped unless that leaves <= 2 characters)."""

    def __missing__(self, token: str) -> str:
        if len(self) >= _CACHE_MAX:
            self.clear()
        stripped = token.strip(_PUNCTUATION)
        word = self[token] = token if len(stripped) <= 2 else stripped
        return word


class _LowerWords(dict):
    def __missing__(self, word: str) -> str:
        if len(self) >= _CACHE_MAX:
            self.clear()
        low = self[word] = word.lower()
        return low


class _Canonical(dict):
    """VADER's word -> itself when a rule can read it, else one neutral stand-in.

    Rules read a neighbour of a lexicon word only through its lower-case form being in
    the lexicon, a booster, a negation, an idiom or one of a few fixed words, or
    holding "n't" (and read capitals only on lexicon words and boosters). Every other
    word acts the same, so windows that differ only there share one cache entry.
    """

    def __init__(self, relevant: frozenset[str]) -> None:
        super().__init__()
        self._relevant = relevant

    def __missing__(self, word: str) -> str:
        if len(self) >= _CACHE_MAX:
            self.clear()
        low = word.lower()
        canon = self[word] = word if low in self._relevant or "n't" in low else _NEUTRAL
        return canon


_NEUTRAL = "\x00"  # no lexicon entry, rule word or idiom can contain it
# Words VADER's rules compare with directly (sentiment_valence, _negation_check,
# _least_check, the "kind of" skip and _but_check).
_RULE_WORDS = frozenset({"no", "or", "nor", "least", "at", "very", "never", "so", "this",
                         "without", "doubt", "kind", "of", "but"})


class _Window:
    """What ``sentiment_valence`` reads of a SentiText: the words and the caps flag."""

    __slots__ = ("words_and_emoticons", "is_cap_diff")

    def __init__(self, words: list[str], is_cap_diff: bool) -> None:
        self.words_and_emoticons = words
        self.is_cap_diff = is_cap_diff


class FastVader:
    """Compound scores identical to ``SentimentIntensityAnalyzer().polarity_scores``."""

    def __init__(self) -> None:
        from vaderSentiment import vaderSentiment as vs

        from analysis.sentiment import vader

        self._analyzer = analyzer = vader()
        self._normalize = vs.normalize
        # Words that get a valence of their own: VADER gives boosters 0 before looking
        # them up in the lexicon.
        self._scored = frozenset(w for w in analyzer.lexicon if w not in vs.BOOSTER_DICT)
        self._emojis = analyzer.emojis
        # polarity_scores looks emoji up one character at a time: only one-character
        # keys can ever match. (A set: a regex class of 3,000 emoji is slow to search.)
        self._emoji_chars = frozenset(c for c in analyzer.emojis if len(c) == 1)
        relevant = set(analyzer.lexicon) | set(vs.NEGATE) | _RULE_WORDS
        for phrase in (*vs.BOOSTER_DICT, *vs.SPECIAL_CASES):
            relevant.update(phrase.split())
        self._canonical = _Canonical(frozenset(relevant)).__getitem__
        self._strip = _StrippedWords().__getitem__
        self._lower = _LowerWords().__getitem__
        self._valences: dict[tuple, float] = {}
        # A sentence's summed valence -> its rounded compound score: the sums repeat
        # (a few lexicon valences, added), and round() to 4 places costs more than the look-up.
        self._compounds: dict[float, float] = {}

    def _replace_emoji(self, text: str) -> str:
        # VADER's own loop (polarity_scores), run only on the rare text holding an emoji.
        emojis = self._emojis
        out, prev_space = [], True
        for ch in text:
            if ch in emojis:
                if not prev_space:
                    out.append(" ")
                out.append(emojis[ch])
                prev_space = False
            else:
                out.append(ch)
                prev_space = ch == " "
        return "".join(out)

    def compound(self, text: str) -> float:
        """VADER's compound score of ``text`` (-1..1, rounded to 4 decimals as VADER does)."""
        if not text.isascii() and not self._emoji_chars.isdisjoint(text):
            text = self._replace_emoji(text)
        text = text.strip()
        words = list(map(self._strip, text.split()))
        lows = list(map(self._lower, words))
        scored = self._scored
        if scored.isdisjoint(lows):
            return 0.0
        n = len(words)
        hits = [i for i, w in enumerate(lows) if w in scored
                and not (w == "kind" and i < n - 1 and lows[i + 1] == "of")]
        if not hits:
            return 0.0
        n_caps = sum(map(str.isupper, words))
        is_cap_diff = 0 < n - n_caps < n
        sentiments: list[float] = [0] * n
        cache = self._valences
        canon = list(map(self._canonical, words))
        for i in hits:
            lo = i - 3 if i > 3 else 0
            window = canon[lo:i + 3]
            key = (*window, i - lo, is_cap_diff)
            valence = cache.get(key)
            if valence is None:
                if len(cache) >= _CACHE_MAX:
                    cache.clear()
                valence = self._analyzer.sentiment_valence(
                    0, _Window(window, is_cap_diff), words[i], i - lo, [])[0]
                cache[key] = valence
            sentiments[i] = valence
        if "but" in lows:
            sentiments = self._analyzer._but_check(words, sentiments)
        # score_valence's compound, without the pos/neu/neg shares nobody reads.
        total = float(sum(sentiments))
        emphasis = self._analyzer._punctuation_emphasis(text)
        if total > 0:
            total += emphasis
        elif total < 0:
            total -= emphasis
        compound = self._compounds.get(total) if total else None  # 0.0 and -0.0: one key
        if compound is None:
            if len(self._compounds) >= _CACHE_MAX:
                self._compounds.clear()
            compound = round(self._normalize(total), 4)
            if total:
                self._compounds[total] = compound
        return compound

    def compounds(self, texts: Iterable[str]) -> list[float]:
        """The compound score of each text, in order."""
        return list(map(self.compound, texts))


@lru_cache(maxsize=1)
def fast_vader() -> FastVader:
    """The one shared :class:`FastVader` (VADER's lexicon is read on first use only)."""
    return FastVader()


def compound_scores(texts: Iterable[str]) -> list[float]:
    """VADER compound score of each text (equal to ``polarity_scores(t)["compound"]``)."""
    return fast_vader().compounds(texts)

