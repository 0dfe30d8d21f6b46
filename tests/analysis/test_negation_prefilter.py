"""The test "may this sentence hold a negator?" that lets the codebook frames skip the
negation check of most sentences: its faster regex (a look-ahead for the letters a match
can start with, and no word joined to another by "-", "'", "." or "&", which runs on into
a longer token) must find a place in every sentence whose tokens hold a negator, or a
negated match would be counted as carried."""
from __future__ import annotations

import random
import re

from analysis.codebook import load_codebook
from analysis.corpus import Corpus, Document
from analysis.frame_plan import NEGATORS
from analysis.frames import _MAY_NEGATE, FrameAnalyzer
from analysis.text import tokenize

# The regex as first written (frozen here), which tries its look-behind at every position.
PLAIN = re.compile(r"(?<!\w)(?:" + "|".join(sorted(NEGATORS))
                   + r")(?:['’]s)?(?!\w)|n['’]t(?!\w)", re.IGNORECASE)


def _span(pattern: re.Pattern[str], text: str):
    m = pattern.search(text)
    return m and m.span()


def test_every_first_character_is_treated_alike():
    # Case-insensitive letters that fold onto the negators' first letters ("ſ" long s,
    # the Kelvin sign...) must open a match exactly when they did before.
    rests = sorted({w[1:] for w in NEGATORS} | {"'t", "’t", "ot's", "OT"})
    for cp in [*range(0x2500), 0x212A, 0x212B, 0x1E9E, 0xFB05, 0xFB06]:
        for rest in rests:
            text = "x " + chr(cp) + rest + " y"
            assert _span(_MAY_NEGATE, text) == _span(PLAIN, text), (hex(cp), rest)


def test_random_sentences_are_read_alike():
    pieces = ["not", "No", "NEVER", "none's", "nor", "can", "n't", "n’t", "cannot",
              "without", "hardly", "ſcarcely", "notion", "know", " ", ", ", "-", "x", "_",
              "é", "'", "’s", "barely", "neither"]
    rng = random.Random(11)
    joined = 0
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 8)))
        found, plain = _span(_MAY_NEGATE, text), _span(PLAIN, text)
        if any(t.norm in NEGATORS or t.norm.endswith("n't") for t in tokenize(text)):
            assert found, text
        if plain is None:
            assert found is None, text  # never a place the plain regex does not find
        joined += found != plain
    assert joined > 100  # the joined words ("no-limits") the plain regex took were met


def test_a_negated_term_is_still_not_counted():
    text = "There was no trade this year. Trade grew again."
    result = FrameAnalyzer([load_codebook("generic")]).transform(
        Corpus([Document("d0", text)]))
    trade = result.matches[result.matches["term"].str.lower() == "trade"]
    assert trade["negated"].tolist() == [True, False]
