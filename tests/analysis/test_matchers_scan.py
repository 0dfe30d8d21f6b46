"""The term matcher reads a text's words from one kept scan, and finds exactly what its
former loop over ``re.finditer`` found."""
from __future__ import annotations

import random
import re

from analysis import matchers
from analysis.markers import _build_scanner, _builtin_lexicon
from analysis.matchers import TermMatcher, _scan, _WordScans

_WORD = re.compile(r"\w+")
# Words and non-words: ASCII, accented and other scripts, digits and "_", combining
# marks (not word characters), curly quotes, dashes, CJK, emoji, a lone surrogate.
_PIECES = ["Russia", "may", "in fact", "according to", "U.S.", "said", "_x_", "don't", "caf\u00e9",
           "e\u0301", "\u0645\u0631\u062d\u0628\u0627", "\u4e2d\u56fd", "\U0001F600", "\u201cquote\u201d", " ",
           "\n", "\u2014", "-", "42", "\u212aremlin", "\u017fanctions", "\u0130stanbul", "\ud800",
           "\u00a0", "MAY", "Beijing", "it seems", "perhaps", ",", ".", "\u0345"]


def _texts(n: int, seed: int = 16) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(_PIECES) + rng.choice(["", " ", " ", "\n"])
                    for _ in range(rng.randint(0, 60))) for _ in range(n)] + ["", "_", " ", "a"]


def _former_find(matcher: TermMatcher, text: str, regions=None) -> list[tuple[int, int, int]]:
    """TermMatcher.find as it was: a Python step per word of ``re.finditer`` (frozen)."""
    from itertools import chain

    out: list[tuple[int, int, int]] = []
    last_end: dict[int, int] = {}
    groups, regexes = matcher._groups, matcher._regexes
    words = _WORD.finditer(text) if regions is None else \
        chain.from_iterable(_WORD.finditer(text, a, b) for a, b in regions)
    for word in words:
        candidates = matcher.candidates(word.group())
        if not candidates:
            continue
        pos = word.start()
        best: dict[int, int] = {}
        for li in candidates:
            g = groups[li]
            if pos < last_end.get(g, 0):
                continue
            m = regexes[li].match(text, pos)
            if m and m.end() > best.get(g, pos):
                best[g] = m.end()
        for g, end in best.items():
            last_end[g] = end
            out.append((g, pos, end))
    for li, pattern in matcher._loose:
        out.extend((groups[li], m.start(), m.end()) for m in pattern.finditer(text)
                   if regions is None or matchers.inside(m.start(), regions))
    out.sort(key=lambda t: (t[1], t[0]))
    return out


def test_scan_gives_the_words_and_offsets_of_finditer():
    for text in _texts(3000):
        words, starts = _scan(text)
        found = list(_WORD.finditer(text))
        assert words == [m.group() for m in found], text
        assert list(starts) == [m.start() for m in found], text
        assert all(type(s) is int for s in starts)


def test_find_equals_the_former_loop_in_texts_and_regions():
    matcher = _build_scanner(_builtin_lexicon())[0]
    mixed = TermMatcher([(["Xi Jinping", "Beijing", "caf\u00e9*"], False), (["Xi", "US"], True),
                         (["may", "in fact", "$100", "*stan*"], False)], [0, 0, 1])
    rng = random.Random(4)
    for text in _texts(1500):
        for m in (matcher, mixed):
            assert m.find(text) == _former_find(m, text), text
            assert m.find(text) == _former_find(m, text), text  # from the kept scan
            cuts = sorted({0, len(text), *(k.end() for k in re.finditer(r"\s", text))})
            regions = [(a, b) for a, b in zip(cuts, cuts[1:], strict=False)
                       if rng.random() < 0.5]
            assert m.find(text, regions) == _former_find(m, text, regions), (text, regions)


def test_kept_scans_are_bounded(monkeypatch):
    monkeypatch.setattr(matchers, "_SCANNED_CHARS", 100)
    scans = _WordScans()
    texts = [f"text {n} " + "word " * 5 for n in range(40)]
    for text in texts:
        assert scans(text) is scans(text)  # kept: the second call reads the first scan
        assert sum(map(len, scans._scans)) == scans._chars <= 100
    assert texts[-1] in scans._scans and texts[0] not in scans._scans
    long = "word " * 30
    assert scans(long) == _scan(long) and long not in scans._scans


def test_word_code_tables_agree_with_the_regex():
    from analysis.matchers import _WORD_CODES, _bmp_word_codes

    table = _bmp_word_codes()
    every = [_WORD.fullmatch(chr(c)) is not None for c in range(0x10000)]
    assert table.tolist() == every
    assert _WORD_CODES.tolist() == every[:128]


# Phrases whose first word also starts other terms, in lists that share groups: the next
# word rules out a list only when none of its terms starting there can go on.
_PHRASES = TermMatcher([
    (["strategic partnership", "strategic partner*", "U.S.", "China's rise", "in fact"], False),
    (["strategic", "new era", "new type of relations", "new sanctions", "u.s.-led",
      "don't", "the \u212aremlin"], False),
    (["strategic dialogue", "strateg* ties", "new *", "Kremlin", "in my view",
      "\u212aey point", "of course"], False),
    (["\u017fanctions relief", "sanctions regime", "caf\u00e9 society"], False),
    (["US", "May", "New Era", "in Fact"], True),
    (["no limits", "no-limits friendship", "limits", "$100 bn", "of \u0345x"], False),
], [0, 0, 1, 2, 3, 1])
_PHRASE_PIECES = ["strategic", "Strategic", "STRATEGIC", "partnership", "partners", "partner",
                  "ties", "U", "S", "US", "u", "s", "China", "'s", "\u2019s", "rise", "in",
                  "In", "fact", "Fact", "FACT", "my", "view", "new", "New", "era", "Era",
                  "type", "of", "relations", "course", "-led", "don", "'t", "key", "Key",
                  "point", "\u212aey", "sanctions", "\u017fanctions", "relief", "regime",
                  "caf\u00e9", "society", "no", "limits", "friendship", "$100", "bn", "May",
                  "p\u0430rtnership", "\u0131n", "_", "42", "dialogue", "the", "kremlin",
                  "\u212aremlin", "\u03b9x", "\u0345x"]
_GAPS = [" ", " ", "  ", "-", " - ", "\u2013", ".", ". ", "\n", "", ", ", "\u00a0", "'"]


def test_find_after_a_phrase_first_word_equals_the_former_loop():
    rng = random.Random(71)
    texts = ["".join(rng.choice(_PHRASE_PIECES) + rng.choice(_GAPS)
                     for _ in range(rng.randint(0, 40))) for _ in range(4000)]
    texts += ["strategic", "strategic ", "in fact", "new", "U.S.", "China's", "no limits"]
    markers = _build_scanner(_builtin_lexicon())[0]
    found = 0
    for text in texts:
        for m in (_PHRASES, markers):
            expected = _former_find(m, text)
            assert m.find(text) == expected, text
            assert m.find(text) == expected, text  # from the kept scan and the word plans
            found += len(expected)
    assert found > 10000


def test_next_word_tables_are_bounded_and_stay_true(monkeypatch):
    monkeypatch.setattr(matchers, "_FOLLOW_LIMIT", 3)
    text = " ".join(f"strategic w{n} strategic partnership" for n in range(50))
    assert _PHRASES.find(text) == _former_find(_PHRASES, text)
    plan = _PHRASES._plans["strategic"]
    assert isinstance(plan, matchers._Follow) and 1 <= len(plan) <= 5 and "" in plan
