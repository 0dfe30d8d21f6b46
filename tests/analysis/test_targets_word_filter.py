"""The mention regex tried only at the words that can open a match finds what running it
over the whole text found."""
from __future__ import annotations

import random

import pytest

from analysis.targets import (
    _matcher,
    _mention_matches,
    _word_filter,
    find_mentions,
    load_targets,
    parse_targets,
)

_USER_TARGETS = """
targets:
  - id: kremlin
    label: The Kremlin
    aliases: [Kremlin, the Kremlin, Putin's government, {text: KGB, case_sensitive: true},
              {text: the Alliance, case_sensitive: true}, no-limits partner, G7]
    exclusions: [Kremlin Palace, the Kremlin Palace]
  - id: west
    label: The West
    aliases: [the West, the  White House, White, U.S., Xi Jinping, Jinping, the United States]
"""
# Aliases whose regex the filter cannot bound: an alias opening with a non-word character,
# and one with a letter outside ASCII.
_OTHER_TARGETS = ["""
targets:
  - id: odd
    label: Odd names
    aliases: ["'t Hooft", Kremlin]
""", """
targets:
  - id: odd
    label: Odd names
    aliases: [Éire, the Kremlin]
"""]
# Words around the names: ones that fold onto ASCII letters under re's ignore-case (the
# Kelvin sign, long s, dotless i, dotted capital I), dashes, curly apostrophes, joiners,
# digits, and white space of several kinds.
_FILLER = ["the", "The", "THE", "talks", "no", "No", "white", "United", "States", "west",
           "\u212aremlin", "\u017fanctions", "\u0131", "\u0130", "th\u0130", "Xi", "xi_",
           "Jinping\u2019s", "Kremlin's", "Kremlin2", "kremlin_", "G7s", "g7", "u.s", "U.S",
           "-", "\u2014", "'", "\u2019", "(", ")", ",", ".", "Sino-", "pro-", "\u00e9",
           "\u4e2d\u56fd", "_", "Kremlin\u0301", "Palace"]
_GAPS = [" ", " ", " ", "", "-", "\n", "  ", "\u00a0", "\t", "\u2013", "\u2019", "_", "."]


def _texts(targets, n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    names = [a for t in targets for a in (*t.aliases, *t.exclusions)]
    out = []
    for _ in range(n):
        parts = []
        for _ in range(rng.randint(0, 40)):
            w = rng.choice(names) if rng.random() < 0.4 else rng.choice(_FILLER)
            r = rng.random()
            w = (w.upper() if r < 0.1 else w.lower() if r < 0.2 else w.title() if r < 0.25
                 else w.replace(" ", rng.choice(_GAPS)) if r < 0.35 else w)
            parts.append(w)
            parts.append(rng.choice(_GAPS))
        out.append("".join(parts))
    return out


def _spans(matches) -> list[tuple[tuple[int, int], str]]:
    return [(m.span(), m.group()) for m in matches]


@pytest.mark.parametrize("text_of", [load_targets, lambda: parse_targets(_USER_TARGETS)])
def test_matches_equal_the_regex_over_the_whole_text(text_of):
    targets = text_of()
    pattern = _matcher(targets)[0]
    assert _word_filter(targets) is not None
    for seed in range(4):
        for text in _texts(targets, 1500, seed):
            assert (_spans(_mention_matches(text, pattern, targets))
                    == _spans(pattern.finditer(text))), text


def test_matches_on_the_tricky_texts():
    targets = parse_targets(_USER_TARGETS)
    pattern = _matcher(targets)[0]
    for text in ["", "the", "The", "the ", "Kremlin", "the Kremlin", "THE KREMLIN PALACE",
                 "the\u00a0\u212aremlin", "th\u0130 Kremlin", "the\n\nWhite  House",
                 "the White", "no-limits partner", "no\u2014limits partner", "G7", "G7s",
                 "U.S.", "u.s.", "the United\tStates", "the Alliance", "The Alliance",
                 "THE ALLIANCE", "the alliance", "Xi Jinping\u2019s", "xi_ Jinping",
                 "the We\u017ft", "THE WE\u017fT", "the \u0130ron",
                 "\ud800 the Kremlin", "the Kremlin \ud800", "a" * 50 + " Kremlin"]:
        assert _spans(_mention_matches(text, pattern, targets)) == _spans(
            pattern.finditer(text)), text


@pytest.mark.parametrize("yaml_text", _OTHER_TARGETS)
def test_targets_the_filter_cannot_bound_run_the_regex_over_the_text(yaml_text):
    targets = parse_targets(yaml_text)
    assert _word_filter(targets) is None
    pattern = _matcher(targets)[0]
    for text in _texts(targets, 300, 7) + ["Éire's talks with the Kremlin", "'t Hooft"]:
        assert _spans(_mention_matches(text, pattern, targets)) == _spans(
            pattern.finditer(text))


def test_the_built_in_targets_try_few_words():
    targets = load_targets()
    kinds, pairs = _word_filter(targets)
    assert ("the", "kremlin") in pairs and "the" not in kinds.singles
    text = "The talks in the Kremlin were on the agenda of the United States and Russia."
    assert [(m.target, m.text) for m in find_mentions(text, targets)] == [
        ("russia", "the Kremlin"), ("us_west", "the United States"), ("russia", "Russia")]
    assert [kinds[w] for w in ("The", "talks", "Kremlin", "\u212aremlin")] == [2, 0, 1, 1]


def test_the_word_table_is_bounded():
    targets = load_targets()
    kinds = _word_filter(targets)[0]
    for k in range((1 << 17) + 10):
        kinds[f"w{k}"]
    assert len(kinds) <= (1 << 17) + 1
