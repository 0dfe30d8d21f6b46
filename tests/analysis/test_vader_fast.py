"""The fast VADER gives exactly vaderSentiment's compound score, sentence by sentence."""
from __future__ import annotations

import json
import random

import pytest
from vaderSentiment.vaderSentiment import BOOSTER_DICT, NEGATE, SPECIAL_CASES

from analysis.sentiment import vader
from analysis.text import segment
from analysis.vader import FastVader, compound_scores

# Words that steer VADER's rules: contrast, dampeners, negation windows, idioms, caps,
# emoticons, emoji and punctuation glued to words.
_RULE_WORDS = [
    "but", "BUT", "But", "kind", "of", "least", "at", "very", "never", "so", "this",
    "without", "doubt", "no", "No", "nor", "or", "the", "China", "Russia", "sanctions",
    ":)", ":-(", ":D", "<3", "!!!", "??", "?", "GREAT", "bad", "NOT", "\U0001F600", "\U0001F494",
    "good!", "(happy)", "don't", "isn't", "wasn\u2019t", "shit", "bomb", "bus", "stop", "yeah",
    "right", "sort", "kinda", "\u201cgood\u201d", "x", "a", "hand", "to", "mouth",
]


def _generated_sentences(n: int, seed: int = 11) -> list[str]:
    analyzer = vader()
    rng = random.Random(seed)
    idiom_words = [w for case in SPECIAL_CASES for w in case.split()]
    pools = [list(analyzer.lexicon), list(BOOSTER_DICT), list(NEGATE), _RULE_WORDS,
             _RULE_WORDS, idiom_words]
    out = []
    for _ in range(n):
        words = []
        for _ in range(rng.randint(0, 14)):
            w = rng.choice(rng.choice(pools))
            r = rng.random()
            if r < 0.1:
                w = w.upper()
            elif r < 0.15:
                w = w.capitalize()
            elif r < 0.2:
                w += rng.choice(",.!?;:")
            words.append(w)
        out.append(rng.choice(["", " ", "\t"]) + " ".join(words)
                   + rng.choice(["", ".", "!", "!!", "?", "???", "!!!!!", " :)", " \U0001F600"]))
    return out


def _assert_same(sentences: list[str]) -> None:
    analyzer = vader()
    expected = [analyzer.polarity_scores(s)["compound"] for s in sentences]
    got = FastVader().compounds(sentences)
    differ = [(s, e, g) for s, e, g in zip(sentences, expected, got, strict=True) if e != g]
    assert not differ, f"{len(differ)} of {len(sentences)} differ, e.g. {differ[:3]}"


def test_equal_on_sentences_built_to_exercise_every_rule():
    sentences = _generated_sentences(6000)
    assert sum(compound != 0 for compound in compound_scores(sentences)) > 3000
    _assert_same(sentences)


def test_equal_on_handpicked_cases():
    _assert_same([
        "", "   ", "The delegation arrived on Tuesday.",
        "The talks were good but the outcome was TERRIBLE!!!",
        "It was not a bad deal at all.", "It was kind of good.", "At least it was fair.",
        "Least fair outcome imaginable.", "Never so happy, without doubt.",
        "No problem, no worries :)", "The sanctions are the bomb \U0001F600",
        "VERY GOOD. very good.", "He said \u201cgreat\u201d\u2014twice??",
        "Both sides praised the partnership; Washington condemned it, but only mildly.",
    ])


def test_equal_on_the_seed_articles(seeds_dir):
    sentences = [s.text for p in sorted(seeds_dir.glob("*.txt"))
                 for s in segment(p.read_text(encoding="utf-8")).sentences]
    assert len(sentences) > 100
    _assert_same(sentences)


def test_equal_on_real_news_sentences(validation_dir):
    path = validation_dir / "newsmtsc" / "train.jsonl"
    if not path.is_file():
        pytest.skip(f"needs {path}")
    with path.open(encoding="utf-8") as f:
        sentences = [json.loads(line)["sentence_normalized"] for line in f]
    assert len(sentences) > 5000
    _assert_same(sentences)


def test_kept_compound_scores_equal_vaders_and_stay_bounded(monkeypatch):
    # The rounded score is kept per summed valence: scored again from the kept table, in
    # another order, and with a table emptied every few sums, the scores stay VADER's.
    import analysis.vader as fast

    sentences = _generated_sentences(3000, seed=5)
    expected = [vader().polarity_scores(s)["compound"] for s in sentences]
    scorer = FastVader()
    assert scorer.compounds(sentences) == expected
    assert scorer.compounds(sentences[::-1]) == expected[::-1]
    assert len(scorer._compounds) > 100
    monkeypatch.setattr(fast, "_CACHE_MAX", 7)
    small = FastVader()
    assert small.compounds(sentences) == expected
    assert len(small._compounds) <= 7
