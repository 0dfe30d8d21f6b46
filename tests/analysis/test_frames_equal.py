"""The codebook frame matcher gives every share, match, rule and negation the
implementation it replaced gave (``benchmarks.frames_reference``), on the seeds, on the
demo corpus and on hostile texts written for this test: negators at sentence edges,
overlapping and wildcard terms, exclusion phrases, regex terms, Chinese and Russian,
empty documents."""
from __future__ import annotations

import random
import re

import pandas as pd
import pytest
from frame_snapshot import corpus_of

from analysis import frames
from analysis.codebook import builtin_codebook_names, load_codebook, parse_codebook
from analysis.corpus import Corpus, Document
from analysis.frames import FrameAnalyzer
from analysis.resources import resource_path
from benchmarks.frames_reference import reference_frames

BUILT_IN = [load_codebook(name) for name in builtin_codebook_names()]

HOSTILE_BOOK = parse_codebook("""\
id: hostile
negation_window: 4
frames:
- id: overlap
  terms: [partner, partnership, strategic partner*, no limits partnership, "partner's role",
          sanction*, sanctions regime, win-win, U.S., "$100 billion", café, "*operation",
          not only]
  exclusions: [partnership agreement, public-private partner*]
- id: wild
  terms: [cooperat*, co-operat*, mutual*, sanction*, "China's rise", never again]
  negation_window: 0
- id: regex
  terms: [{regex: '\\b(?:Xi|Putin)\\b'}, {regex: '\\d+ (?:billion|million)'}, trade]
- id: multilingual
  terms:
    en: [pipeline, gas]
    zh: [合作, 伙伴关系, 不结盟]
    ru: [сотрудничество, санкции, безграничное партнёрство]
  exclusions:
    zh: [合作社]
    ru: [Советский Союз]
""", source="hostile.yaml")

_PIECES = ("partner partnership strategic partners partnership agreement public-private "
           "partnership no limits partnership sanctions regime sanction sanctioned win-win "
           "U.S. $100 billion café cooperation co-operation mutually China's rise China’s "
           "rise never again not only Xi Putin 5 billion trade pipeline gas Cold War "
           "post-Cold War confrontation conflict tension threat sovereignty energy oil "
           "the a of and in to it was for on with as by said").split()
_NEGATORS = ("not", "no", "never", "without", "don't", "can’t", "hardly", "not only",
             "no matter", "Not", "NO", "nor", "none")
_ENDS = (". ", "! ", "? ", ".\n", "\n", ".\n\n", "... ", "; ", ", ")


def _hostile_text(rng: random.Random) -> str:
    out = []
    for _ in range(rng.randint(0, 12)):
        words = rng.choices(_PIECES, k=rng.randint(1, 12))
        if rng.random() < 0.6:  # a negator at the start, the end or inside the sentence
            words.insert(rng.choice((0, len(words), rng.randint(0, len(words)))),
                         rng.choice(_NEGATORS))
        sentence = " ".join(words)
        out.append(sentence[:1].upper() + sentence[1:] + rng.choice(_ENDS))
    return "".join(out)


HOSTILE = [_hostile_text(random.Random(seed)) for seed in range(300)]
EDGES = ["", "   \n ", "Not.", "No. Partnership.", "Partnership not. No\npartnership.",
         "Partnership", "not partnership", "Never again, never again! Not only partners.",
         "Public-private partnership agreement; a strategic partnership.",
         "ſanctions SANCTIONS Sanctions’ sanctions’s", "co-operation cooperation co-op",
         "Partners… partnerships — partnership(s) [partner] «partnership»",
         # A negator ends a sentence: the next one's first word decides whether it negates.
         "Partnership, said no. Only partnership. Not partnership, not. Not only sanctions."]
CHINESE = ["中俄两国不结盟、不对抗。双方深化合作，不是伙伴关系。", "合作社不是合作。没有合作！",
           "伙伴关系", ""]
RUSSIAN = ["Россия не расширяет сотрудничество. Санкции не помогли, а безграничное "
           "партнёрство растёт.", "Советский Союз и сотрудничество. Нет санкций!", ""]


def _docs(texts, language="", prefix="d"):
    return [Document(f"{prefix}{i}", t, {"language": language}) for i, t in enumerate(texts)]


def _assert_equal(books, corpus, **options):
    got = FrameAnalyzer(books, **options).transform(corpus)
    expected = reference_frames(books, corpus, **options)
    pd.testing.assert_frame_equal(got.documents, expected.documents, check_exact=True)
    pd.testing.assert_frame_equal(got.matches, expected.matches, check_exact=True)
    assert got.warnings == expected.warnings
    return got


@pytest.mark.parametrize("few", [None, 0, 10_000])
def test_hostile_texts_give_the_reference_matches(few, monkeypatch):
    if few is not None:  # every text match by match, or every text's matches at once
        monkeypatch.setattr(frames, "_FEW_MATCHES", few)
    corpus = Corpus([*_docs(HOSTILE + EDGES), *_docs(CHINESE, "zh", "z"),
                     *_docs(RUSSIAN, "ru", "r")])
    got = _assert_equal([HOSTILE_BOOK, *BUILT_IN], corpus)
    matches = got.matches
    # The comparison has substance: negated and counted matches, in every language.
    assert matches["negated"].sum() > 100 and (~matches["negated"]).sum() > 1000
    assert set(matches["rule"].str.startswith("regex:")) == {True, False}
    assert {"z0", "r0"} <= set(matches["doc_id"])


@pytest.mark.parametrize("window", [0, 1, 3])
def test_a_negation_window_override_gives_the_reference_matches(window):
    _assert_equal([HOSTILE_BOOK], Corpus(_docs(HOSTILE[:80] + EDGES)), negation_window=window)


def test_an_empty_corpus_gives_the_reference_tables():
    _assert_equal(BUILT_IN, Corpus([]))


@pytest.mark.parametrize("few", [None, 0, 10_000])
def test_the_seeds_and_the_demo_corpus_give_the_reference_matches(seeds_dir, few,
                                                                  monkeypatch):
    if few is not None:
        monkeypatch.setattr(frames, "_FEW_MATCHES", few)
    for folder in (seeds_dir, resource_path("demo")):
        got = _assert_equal([HOSTILE_BOOK, *BUILT_IN], corpus_of(folder))
        assert len(got.matches) > 300 and got.matches["negated"].any()


def test_a_match_inside_a_negator_that_ends_its_sentence_is_negated_as_before():
    # "t" starts a word inside "don't": that negator comes before it, and whether it
    # negates depends on the next sentence's first word ("Only" keeps it from negating).
    book = parse_codebook("id: edge\nframes:\n- id: t\n  terms: [t]\n", source="edge.yaml")
    corpus = Corpus(_docs(["They don't. Only then.", "They don't. Then."]))
    got = _assert_equal([book], corpus)
    assert got.matches["negated"].tolist() == [False, True]


def _glued_text(rng: random.Random) -> str:
    """Words and negators joined by what can sit between (or inside) tokens, and by
    pieces of punctuation alone."""
    glue = (" ", " ", " ", "-", "'", "’", ".", "&", "/", "(", ") ", "\u00a0", "\t", "", ", ",
            " — ", " - - ", " ( ", " , ")  # pieces without a word between words
    out = []
    for _ in range(rng.randint(1, 6)):
        words = rng.choices(_PIECES, k=rng.randint(1, 10))
        for _ in range(rng.randint(0, 3)):
            words.insert(rng.randint(0, len(words)), rng.choice((*_NEGATORS, "cannot", "isn't")))
        sentence = "".join(w + rng.choice(glue) for w in words).strip()
        out.append(sentence + rng.choice(_ENDS))
    return "".join(out)


def test_matches_after_a_space_or_inside_a_word_are_negated_as_before():
    # A match that follows a space is tested on the words before it alone; one that
    # follows anything else (a hyphen, an apostrophe, a letter) on its sentence's tokens.
    texts = [_glued_text(random.Random(seed)) for seed in range(400)]
    got = _assert_equal([HOSTILE_BOOK, *BUILT_IN], Corpus(_docs(texts)))
    assert got.matches["negated"].sum() > 100 and (~got.matches["negated"]).sum() > 1000


def test_every_negator_token_is_where_the_sentence_filter_looks():
    # A sentence where the filter finds no place is never tokenised: every token that
    # normalises to a negator (or ends in "n't") must hold one of its places.
    from analysis.frame_plan import NEGATORS
    from analysis.frames import _MAY_NEGATE
    from analysis.text import tokenize

    texts = [*(_glued_text(random.Random(seed)) for seed in range(400)), *HOSTILE, *EDGES,
             "no-limits x-no no's NO’S isn't's isn't-it U.S.no x--no cannot. Nor&"]
    seen = 0
    for text in texts:
        places = [m.start() for m in _MAY_NEGATE.finditer(text)]
        for token in tokenize(text):
            if token.norm in NEGATORS or token.norm.endswith("n't"):
                seen += 1
                assert any(token.start <= p < token.end for p in places), (text, token)
    assert seen > 1000


def _edge_text(rng: random.Random) -> str:
    """Sentences whose edges touch negators and words: no space after a stop, a negator
    glued to the next sentence, contractions across a stop, letters the regex folds
    otherwise than lower() ("ſcarcely", "neıther", "wİthout")."""
    negators = (*_NEGATORS, "cannot", "isn't", "ſcarcely", "neıther", "wİthout", "NoT",
                "don’t", "n't", "no's", "No’S")
    stops = (".", "!", "?", ".\n", ";", "", ".'", "’.", ".-", "&")
    out = []
    for _ in range(rng.randint(1, 8)):
        words = rng.choices(_PIECES, k=rng.randint(1, 8))
        for _ in range(rng.randint(0, 2)):
            words.insert(rng.choice((0, len(words), rng.randint(0, len(words)))),
                         rng.choice(negators))
        out.append(" ".join(words) + rng.choice(stops) + rng.choice(("", " ", "", "\n")))
    return "".join(out)


EDGE_TEXTS = [_edge_text(random.Random(seed)) for seed in range(600)]


def test_sentences_free_of_negators_are_told_as_before():
    # A sentence is read alone unless the places found in the whole text say it holds no
    # negator: every sentence edge touching a word, a join or a negator is tried here.
    got = _assert_equal([HOSTILE_BOOK, *BUILT_IN], Corpus(_docs(EDGE_TEXTS)))
    assert got.matches["negated"].sum() > 100 and (~got.matches["negated"]).sum() > 1000
    for window in (1, 2):
        _assert_equal([HOSTILE_BOOK], Corpus(_docs(EDGE_TEXTS[:200])), negation_window=window)


def test_the_places_from_the_scanned_words_hold_every_place_of_the_filter():
    from analysis.frames import _MAY_NEGATE, _negator_places

    texts = [*EDGE_TEXTS, *HOSTILE, *EDGES, *(_glued_text(random.Random(s)) for s in range(200)),
             "no-limits x-no no's NO’S isn't's isn't-it U.S.no x--no cannot. Nor& ſcarcely"]
    seen = 0
    for text in texts:
        places = set(_negator_places(text))
        found = [m.start() for m in _MAY_NEGATE.finditer(text)]
        seen += len(found)
        assert places.issuperset(found), text
        # The sentence filter searches one sentence at a time: its places are there too,
        # wherever no word or join touches the sentence's edges.
        for a in range(0, len(text), 7):
            for b in (a + 5, a + 40):
                if (a and re.match(r"\w|[-'’.&]", text[a - 1])) or re.match(r"\w|[-'’.&]",
                                                                             text[b:b + 1]):
                    continue
                alone = {a + m.start() for m in _MAY_NEGATE.finditer(text[a:b])}
                assert alone <= places, (text, a, b)
    assert seen > 1000


def test_sentences_cut_anywhere_are_told_free_as_when_read_alone():
    # Sentence edges inside a word, after a join or inside "n't": the places of the whole
    # text must not call such a sentence free when the sentence read alone holds a place.
    from analysis.frames import _negator_places, _SentenceNegation
    from analysis.text import segment

    rng = random.Random(7)
    told = 0
    for text in EDGE_TEXTS[:150]:
        seg = segment(text, "en")
        cuts = sorted({0, len(text), *rng.sample(range(len(text) + 1), len(text) // 12)})
        starts, ends = cuts[:-1], cuts[1:]
        places = _negator_places(text)
        for window in (1, 4):
            fast = _SentenceNegation(seg, starts, ends, places)
            plain = _SentenceNegation(seg, starts, ends)
            for s, (a, b) in enumerate(zip(starts, ends, strict=True)):
                for start in range(a, b):
                    if start == a or text[start - 1].isspace():
                        told += 1
                        assert fast.negated(start, s, window) == plain.negated(start, s, window)
    assert told > 1000


PHRASE_BOOK = parse_codebook("""\
id: phrases
frames:
- id: one
  terms: [war, partner*, sanction*, issue]
  exclusions: [Cold War, post-Cold War, sanctions, "partner's role", defen*e of sovereignty,
               war-time, U.S. sanctions, issues, war stories]
- id: two
  terms: [trade, cooperation]
  exclusions: [trade war, café cooperation]
- id: anywhere
  terms: [partnership, billion]
  exclusions: ["*partnership", "$100 billion trade"]
""", source="phrases.yaml")
PHRASE_TEXTS = [
    *EDGE_TEXTS[:200],
    "Cold War. COLD WAR coldwar cold-war ſanctions SANCTIONS İssues ıssues wartime "
    "war-time U.S. sanctions US sanctions partner’s role post-Cold War post Cold War.",
    "The sanctionsregime; a Café cooperation; $100 billion trade. Defence of sovereignty,"
    " defense of sovereignty, a strategic partnership and trade war-time trade wars.",
    "War ſtories, war İssues and public-prıvate partners; war\u00a0stories. War",
]


def test_exclusion_phrases_start_where_the_scanned_words_say():
    # Each frame's phrases, searched in any stretch of a text as a sentence is, start at
    # an offset the words tell (or the frame is searched everywhere).
    from analysis.frame_plan import compiled_plan
    from analysis.frames import _any_between, _phrase_index

    rng = random.Random(3)
    found = 0
    for books in ([PHRASE_BOOK], [HOSTILE_BOOK, *BUILT_IN]):
        plan = compiled_plan(tuple(books), None)
        lp, index = plan.language("en"), _phrase_index(plan, "en")
        for text in PHRASE_TEXTS:
            may = index.starts(text)
            cuts = sorted({0, len(text), *rng.sample(range(len(text) + 1), len(text) // 15)})
            for a, b in [(0, len(text)), *zip(cuts[:-1], cuts[1:], strict=True)]:
                for i in lp.exclusions:
                    for start, _ in lp.excluded(i, text, [], a, b):
                        found += 1
                        assert _any_between(may.get(i, ()), start, start + 1), (text, a, b)
    assert found > 50


def test_exclusion_phrases_give_the_reference_matches():
    _assert_equal([PHRASE_BOOK, HOSTILE_BOOK], Corpus(_docs(PHRASE_TEXTS)))


def test_a_regex_term_and_a_term_matching_at_one_place_are_ordered_as_before():
    # Matches of one frame sharing a start (a regex term's beside a term's) are ordered as
    # the tuples sort: by end, then rule.
    book = parse_codebook("""\
id: ties
frames:
- id: both
  terms: [Putin, partnership, {regex: 'Putin'}, {regex: 'Putin said'}, {regex: 'partner'}]
- id: terms
  terms: [Putin, strategic partnership]
""", source="ties.yaml")
    texts = ["Putin said no partnership. Not Putin. Putin said a strategic partnership.",
             *HOSTILE[:40], *EDGES]
    got = _assert_equal([book, HOSTILE_BOOK], Corpus(_docs(texts)))
    both = got.matches[(got.matches["frame"] == "both") & (got.matches["doc_id"] == "d0")]
    assert both["start"].duplicated().any()


def test_matches_are_placed_in_sentences_as_by_bisect():
    from bisect import bisect_right

    rng = random.Random(3)
    for _ in range(300):
        cuts = sorted(rng.sample(range(1, 200), rng.randrange(1, 20) * 2))
        starts, ends = cuts[0::2], cuts[1::2]
        match_starts = [rng.randrange(0, 210) for _ in range(rng.randrange(1, 60))]
        match_ends = [a + rng.randrange(1, 12) for a in match_starts]
        expected = ([bisect_right(starts, a) - 1 for a in match_starts], [
            bisect_right(starts, a) > 0 and b <= ends[bisect_right(starts, a) - 1]
            for a, b in zip(match_starts, match_ends, strict=True)])
        assert frames._sentences_of(starts, ends, match_starts, match_ends) == expected
