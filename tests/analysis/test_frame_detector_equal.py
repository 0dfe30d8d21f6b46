"""The generic-frame detector's single-pass terms and grouped codebook patterns give the
same decisions, probabilities and evidence as the implementation they replaced
(``benchmarks.frame_detector_reference``: sentence by sentence ``ngrams`` and one plain
alternation per frame)."""
from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest

from analysis.corpus import Corpus, Document
from analysis.models.frame_detector import GenericFrameDetector, load_frame_model, tfidf_matrix
from analysis.models.frame_features import (
    DEFAULT_INDICATORS,
    Codebook,
    Vocabulary,
    codebook_features,
    document_terms,
    terms_by_sentence,
    terms_of_texts,
)
from analysis.text import Segmented, ngrams, segment, split_sentences
from benchmarks.frame_detector_reference import (
    plain_patterns,
    reference_codebook_features,
    reference_tfidf_matrix,
    reference_transform,
)

# Pieces that stress sentence splitting, phrase breaks, scripts and the indicators.
_WORDS = ("tax taxes economy billion dollars cost jobs market families children mother home "
          "victims fear hope moral church should must duty wrong unfair clash critics "
          "accused fight against protest policy plan agreement target government regulate "
          "law renewable responsibility solution carbon emissions climate warming ice "
          "scientists report said the a of and in to that it was for on with as by Republicans "
          "Democrats TAX Economy COST-cutting co-operation it's China’s Russia's don't 2024 "
          "3.5 No. 2 e.g. etc. Mr. Dr. Gen. U.S. U.K. Inc. Ltd. Co. J. Smith A.B. Jones II. "
          "stewardship greedy evil virtue generations responsible to caused by cut emissions "
          "her life story of told me i feel carbon tax act now winners losers").split()
_BREAKS = (", ", "; ", ": ", " - ", " – ", " — ", "... ", "… ", " (", ") ", " “", "” ", ' "',
           '" ', " ", " ", " ", " ", " ", " ", "\u00a0", " 'quoted' ")
_ENDS = (". ", "! ", "? ", ".” ", ".) ", ".\n", "\n", ". ", ".\n\n", "?! ", "... ")
_FOREIGN = ("Россия и Китай подписали соглашение о налогах.", "中国和俄罗斯签署了协议。",
            "Это «война» цен на нефть!", "经济合作。气候变化", "Налог, семья и мораль.")


def _synthetic_text(rng: random.Random) -> str:
    out = []
    for _ in range(rng.randint(1, 14)):
        if rng.random() < 0.08:
            out.append(rng.choice(_FOREIGN) + rng.choice((" ", "\n", "")))
            continue
        words = rng.choices(_WORDS, k=rng.randint(1, 16))
        words[0] = words[0].capitalize() if rng.random() < 0.8 else words[0]
        sentence = ""
        for w in words:
            sentence += w + (rng.choice(_BREAKS) if rng.random() < 0.3 else " ")
        out.append(sentence.rstrip() + rng.choice(_ENDS))
    return "".join(out)


SYNTHETIC = [_synthetic_text(random.Random(seed)) for seed in range(240)]
CHINESE = ["中国和俄罗斯签署了协议。双方同意减少碳排放，并为家庭提供资金。税收增加了！",
           "气候变化是一场危机。政府必须采取行动。经济成本很高"]
RUSSIAN = ["Россия и Китай подписали соглашение. Налоги растут, а семьи страдают! "
           "The U.S. said it would fight the plan.",
           "Правительство должно действовать. Мораль и долг. Economy and jobs matter."]


@pytest.fixture(scope="module")
def model():
    m = load_frame_model()
    assert m is not None, "resources/models/generic_frames_linear.npz must ship"
    return m


# A text holding NUL characters: neither word nor phrase break, inside words and sentences.
WITH_NUL = "Tax\x00cuts cost jobs. The\x00 carbon tax, \x00families\x00 pay. \x00 Fear of war."


@pytest.mark.parametrize("text", [*SYNTHETIC, *CHINESE, *RUSSIAN, "", "   \n ", "Tax.", WITH_NUL])
def test_terms_by_sentence_equal_document_terms_and_each_sentences_ngrams(text):
    got = terms_by_sentence(text)
    expected = document_terms(text)
    assert list(got.counts.items()) == list(expected.items())  # same order: same sums
    sentences = segment(text).sentences
    assert len(got.sentences) == len(sentences)
    for grams, s in zip(got.sentences, sentences, strict=True):
        assert set(grams) == set(ngrams(s.text, n_max=2)), s.text


def test_synthetic_texts_reach_the_cases_that_need_care():
    """The generated texts hold sentences in another script and sentences split after
    abbreviations, so the equality above covers them."""
    joined = "".join(SYNTHETIC)
    assert "Россия" in joined and "中国" in joined and "U.S." in joined and "..." in joined
    assert sum(len(segment(t).sentences) for t in SYNTHETIC) > 1000


CUSTOM = {"conflict": ["clash*", "war", "sue", "ſtrike", "*", "$cost", "a-b*"],
          "economic": ["tax", "tariff*", "trade war", "taxing", "t"],
          "human_interest": ["él*", "family"], "morality": [], "responsibility": ["plan*", "p"]}


@pytest.mark.parametrize("indicators", [DEFAULT_INDICATORS, CUSTOM])
def test_grouped_codebook_patterns_find_the_plain_patterns_matches(indicators):
    codebook = Codebook(indicators)
    plain = plain_patterns(codebook)
    texts = [*SYNTHETIC, *CHINESE, *RUSSIAN, "STRIKE ſtrike Tariffs TAXING t p plan $cost a-bc"]
    for frame, pattern in plain.items():
        for text in texts:
            assert codebook.hits(text, frame) == [m.group(0).lower()
                                                  for m in pattern.finditer(text)]


def test_detector_gives_the_reference_decisions_probabilities_and_evidence(model):
    docs = [Document(f"d{i}", t) for i, t in enumerate([*SYNTHETIC, *CHINESE, *RUSSIAN])]
    out = GenericFrameDetector(model).transform(Corpus(docs))
    decisions, proba, evidence = reference_transform(model, docs)
    assert decisions.sum() > 100 and len(evidence) > 500  # the comparison has substance
    assert np.array_equal(out.documents.to_numpy(), decisions.astype(float))
    assert np.array_equal(out.probabilities.to_numpy(), proba)
    pd.testing.assert_frame_equal(out.evidence, evidence, check_exact=True)


def test_detector_matches_the_reference_on_real_articles(model, seeds_dir, validation_dir):
    from analysis.models.data import read_frames_tsv

    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("*.txt"))]
    texts += read_frames_tsv(validation_dir / "narrative_frames" / "articles_dev.tsv").texts
    docs = [Document(f"r{i}", t) for i, t in enumerate(texts)]
    out = GenericFrameDetector(model).transform(Corpus(docs))
    decisions, proba, evidence = reference_transform(model, docs)
    assert np.array_equal(out.probabilities.to_numpy(), proba)
    pd.testing.assert_frame_equal(out.evidence, evidence, check_exact=True)


def test_explain_sentences_are_the_reference_ones(model):
    text = SYNTHETIC[3] + " The carbon tax will cost families billions."
    docs = [Document("x", text)]
    _, _, evidence = reference_transform(model, docs, evidence_terms=3)
    why = model.explain(text, top_terms=3, top_sentences=3)
    for frame in evidence["frame"].unique():
        ref = evidence[(evidence["frame"] == frame) & (evidence["kind"] == "sentence")]
        got = [(s, w) for s, w in why[frame]["sentences"] if w > 0]
        assert got == list(zip(ref["text"], ref["weight"], strict=True))


# Indicators that take the word-by-word route (each opens with a plain ASCII word) and
# stress it: phrases, hyphens, a literal "*" inside, one-letter terms, a dotted word.
OPENING_WORDS = {"conflict": ["clash*", "war", "sue", "a-b*", "her life", "responsib* to",
                              "u.s.", "co-operat*"],
                 "economic": ["tax", "tariff*", "trade war", "taxing", "t"],
                 "human_interest": ["family"], "morality": [], "responsibility": ["plan*", "p"]}


@pytest.mark.parametrize("indicators", [DEFAULT_INDICATORS, CUSTOM, OPENING_WORDS])
def test_codebook_features_are_the_plain_patterns_features(indicators):
    codebook = Codebook(indicators)
    # CUSTOM has indicators that open with a symbol or a non-ASCII letter: the patterns
    # then run over the whole text, as before.
    assert (codebook.openings is None) == (indicators is CUSTOM)
    texts = [*SYNTHETIC, *CHINESE, *RUSSIAN, "", "STRIKE ſtrike Tariffs TAXING t p plan $cost "
             "a-bc responsib* to RESPONSIBLE to U.S.A. u.s. Her life, her lives. KLASH Ｔax",
             "Syntax taxes tax_ tax. Clashing clash-clash planet plan, p-p t.t. War warfare war.",
             WITH_NUL]
    expected = reference_codebook_features(texts, codebook)
    assert codebook_features(texts, codebook) == expected
    # The same, reading the words terms_by_sentence found instead of the texts again.
    found = [terms_by_sentence(t) for t in texts]
    assert codebook_features(texts, codebook, [t.segmented for t in found],
                             [t.words for t in found]) == expected


def test_ascii_letters_fold_only_to_characters_of_their_own_kind():
    """What the word-by-word route of the codebook features relies on: case-insensitive
    matching maps an ASCII character only to word characters if it is one, and only to
    non-word characters if not (so a pattern opening with an ASCII word matches only at
    the start of a word, and the run ends where the word ends)."""
    import re
    import sys

    every = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c < 0xE000)
    folded = set(re.findall(r"[\x00-\x7f]", every, re.IGNORECASE)) - set(map(chr, range(128)))
    assert folded  # "ſ", "K" (Kelvin) ... do fold to ASCII letters
    for char in folded:
        for c in map(chr, range(128)):
            if re.fullmatch(re.escape(c), char, re.IGNORECASE):
                assert bool(re.fullmatch(r"\w", char)) == bool(re.fullmatch(r"\w", c))


def test_terms_within_a_vocabulary_are_all_terms_restricted_to_it(model):
    for text in [*SYNTHETIC[:60], *CHINESE, *RUSSIAN, ""]:
        full, kept = terms_by_sentence(text), terms_by_sentence(text, model.vocabulary)
        assert list(kept.counts.items()) == [(t, c) for t, c in full.counts.items()
                                             if t in model.vocabulary]
        assert [set(g) for g in kept.sentences] == [set(g) & model.vocabulary.terms
                                                    for g in full.sentences]


def _same_bits(a, b) -> bool:
    return (a.shape == b.shape and np.array_equal(a.indptr, b.indptr)
            and np.array_equal(a.indices, b.indices)
            and np.array_equal(a.data.view(np.int64), b.data.view(np.int64)))


def test_tfidf_rows_are_the_term_by_term_rows_to_the_bit(model):
    """Each row's terms in counted order, its norm summed in that order: the same bits as
    the term-by-term loop, also with terms outside the index and counts of 0 or less."""
    from collections import Counter

    counts = [document_terms(t) for t in [*SYNTHETIC, *CHINESE, *RUSSIAN, ""]]
    odd = [Counter({"tax": 3, "no such term": 2, "economy": 0, "cost": -1, "jobs": 1}),
           Counter({"no such term": 1}), Counter(), {"tax": 1, "the": 4},
           {"tax": 255, "the": 256, "economy": 1000}, {"tax": 2.0, "the": 1.5, "cost": 3},
           {"tax": np.int64(3), "jobs": 1}]
    for rows in (counts, odd):
        got = tfidf_matrix(rows, model.term_index, model.idf)
        assert _same_bits(got, reference_tfidf_matrix(rows, model.term_index, model.idf))


@pytest.mark.parametrize("text", [*SYNTHETIC[:80], *CHINESE, *RUSSIAN, "", "Tax.", WITH_NUL])
def test_terms_by_sentence_flat_terms_are_each_sentences_terms(model, text):
    """``grams`` with ``gram_sentences`` hold, per sentence, its terms (with and without
    the model's vocabulary); sentences read again by ngrams included."""
    sentences = segment(text).sentences
    for vocabulary in (None, model.vocabulary):
        got = terms_by_sentence(text, vocabulary)
        assert len(got.grams) == len(got.gram_sentences)
        for r, s in enumerate(sentences):
            expected = set(ngrams(s.text, n_max=2))
            if vocabulary is not None:
                expected &= vocabulary.terms
            held = {g for g, k in zip(got.grams, got.gram_sentences.tolist(), strict=True)
                    if k == r}
            assert held == expected, s.text


def test_words_lent_to_the_later_analyzers_are_the_words_they_read():
    """``terms_by_sentence`` leaves ``word_norms`` filled (the markers, readability and
    the sizes read it next): the same words as ``word_norms`` reads from the text, on the
    detector's texts and on random strings of words, joiners, stops and odd Unicode."""
    alphabet = (list("ab Z9-'’.&,;:!?…\n\t\u00a0\"”»()\x00") +
                [". ", "! ", ".” ", "。", "……", "U.S. ", "Mr. ", " - ", "... ", "é", "中", "Я",
                 "ё", "\u200b", "Ⅻ", "²", "ß", "ﬁ", "😀", "___", "\r\n", " the ", "’s "])
    rng = random.Random(60)
    texts = [*SYNTHETIC, *RUSSIAN, *CHINESE, "", "Tax.", WITH_NUL, "a_b c. D e.",
             *("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80)))
               for _ in range(3000))]
    lent = 0
    for text in texts:
        segment.cache_clear()
        terms_by_sentence(text)
        seg = segment(text)
        lent += "word_norms" in seg.__dict__
        fresh = Segmented(text, tuple(split_sentences(text)), seg.lang, split=True)
        assert seg.word_norms == fresh.word_norms, repr(text)
        assert seg.n_words == fresh.n_words, repr(text)
    segment.cache_clear()
    assert lent > 1500  # the words were lent, not read again


def _reference_terms(text, vocabulary):
    """terms_by_sentence(text, vocabulary) as read term by term: every term, then those
    the vocabulary knows."""
    full = terms_by_sentence(text)
    return ([(t, c) for t, c in full.counts.items() if t in vocabulary],
            [set(g) & vocabulary.terms for g in full.sentences])


def test_terms_of_texts_read_together_are_each_texts_terms(model, monkeypatch):
    """Texts read together (their words looked up as ids in one go) give each text's
    counts in the same order, and each sentence's terms, as the text read alone with
    every term kept; also across blocks of texts, and for texts without words, segmented
    (Chinese) texts and Russian ones between them."""
    from analysis.models import frame_features

    texts = [*SYNTHETIC[:90], "", *CHINESE, "Tax.", *RUSSIAN, "   \n ", WITH_NUL,
             *SYNTHETIC[200:]]
    expected = [_reference_terms(t, model.vocabulary) for t in texts]
    for block in (256, 7, 1):
        monkeypatch.setattr(frame_features, "_TEXTS_AT_ONCE", block)
        got = terms_of_texts(texts, model.vocabulary)
        assert len(got) == len(texts)
        for terms, (counts, sentences), text in zip(got, expected, texts, strict=True):
            assert list(terms.counts.items()) == counts, text
            assert [set(g) for g in terms.sentences] == sentences, text
            assert list(terms.term_counts.values()) == [c for _, c in counts]
            assert [model.terms[j] for j in terms.gram_terms.tolist()] == terms.grams
            if terms.words is not None:
                assert terms.words == terms_by_sentence(text).words
    assert terms_of_texts([], model.vocabulary) == []


def test_terms_of_texts_with_a_small_vocabulary():
    """A vocabulary with no word pairs, or with no words at all, and pairs whose words are
    not terms by themselves."""
    texts = SYNTHETIC[:40]
    for terms in (["tax", "jobs", "the"], ["carbon tax", "of the", "told me"], [],
                  ["tax", "carbon tax", "climate warming", "said"]):
        vocabulary = Vocabulary(terms)
        got = terms_of_texts(texts, vocabulary)
        for t, text in zip(got, texts, strict=True):
            counts, sentences = _reference_terms(text, vocabulary)
            assert list(t.counts.items()) == counts
            assert [set(g) for g in t.sentences] == sentences


def test_tfidf_rows_from_term_ids_are_the_counts_rows_to_the_bit(model):
    texts = [*SYNTHETIC, *CHINESE, *RUSSIAN, "", WITH_NUL]
    read = terms_of_texts(texts, model.vocabulary)
    expected = reference_tfidf_matrix([dict(_reference_terms(t, model.vocabulary)[0])
                                       for t in texts], model.term_index, model.idf)
    assert _same_bits(model.tfidf_of(read), expected)
    assert model.tfidf_of([]).shape == (0, model.n_terms)
