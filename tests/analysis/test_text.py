"""Segmentation as a reader sees it: sentences, words, phrase chunks, n-grams."""
from __future__ import annotations

from analysis.text import (
    Token,
    ngrams,
    normalise_token,
    phrase_chunks,
    segment,
    split_sentences,
    words,
)


def test_abbreviations_and_dates_do_not_end_sentences():
    text = "The U.S. and the E.U. met on Feb. 8 in Brussels. The talks ended at 5 p.m. sharp."
    assert [s.text for s in split_sentences(text)] == [
        "The U.S. and the E.U. met on Feb. 8 in Brussels.",
        "The talks ended at 5 p.m. sharp."]


def test_country_abbreviation_before_an_opener_ends_the_sentence():
    text = "It moved to the U.S. The next day Mr. Putin left."
    assert [s.text for s in split_sentences(text)] == ["It moved to the U.S.",
                                                      "The next day Mr. Putin left."]


def test_offsets_paragraphs_and_quotes():
    text = "“[We] must act,” he said. Who knows?\n\nNew paragraph here."
    sents = split_sentences(text)
    assert [(s.start, s.end, s.paragraph) for s in sents] == [(0, 25, 0), (26, 36, 0),
                                                             (38, 57, 1)]
    assert all(text[s.start:s.end] == s.text for s in sents)


def test_words_fold_case_apostrophes_and_possessives():
    assert words("China’s ties, Russia's oil; it’s AT&T’s no-limits deal") == [
        "china", "ties", "russia", "oil", "it", "at&t", "no-limits", "deal"]
    assert normalise_token("Xi’s") == "xi"
    assert normalise_token("A’s") == "a's"  # three characters or fewer: kept whole
    assert words("Россия и Китай, 中国") == ["россия", "и", "китай", "中国"]


def test_phrase_chunks_stop_at_commas_dashes_and_sentence_ends():
    text = "Russia, China and India - the BRICS core - met. Trade rose 12.5 per cent."
    assert phrase_chunks(text) == [["russia"], ["china", "and", "india"], ["the", "brics", "core"],
                                   ["met"], ["trade", "rose", "12.5", "per", "cent"]]
    assert ngrams("Strategic partnership, deep.") == [
        "strategic", "partnership", "strategic partnership", "deep"]


def test_segmented_token_table_and_tokens_agree():
    seg = segment("Beijing welcomed it. Moscow’s envoy left.")
    assert seg.n_words == 6
    assert seg.norms == ("beijing", "welcomed", "it", "moscow", "envoy", "left")
    assert tuple(seg.token_starts) == (0, 8, 17, 21, 30, 36)
    assert list(seg.token_sentences) == [0, 0, 0, 1, 1, 1]
    assert len(seg.tokens) == 6 and seg.tokens[-1] == Token("left", 36, 40, 1)
    assert seg.tokens[3] == Token("moscow", 21, 29, 1)
    assert seg.sentence_tokens(1) == list(seg.tokens[3:])
    assert seg.sentence_tokens(5) == [] and seg.n_paragraphs == 1


def test_section_numbers_stay_with_their_heading():
    from analysis.text import split_sentences

    assert [s.text for s in split_sentences("II. Economic Cooperation Deepened")] == [
        "II. Economic Cooperation Deepened"]
    assert [s.text for s in split_sentences("See part III. The next part explains.")] == [
        "See part III.", "The next part explains."]


def test_company_suffix_ends_a_sentence_only_before_an_opener():
    from analysis.text import split_sentences

    assert [s.text for s in split_sentences("It signed with Sinopec Co. Ltd. The deal closed.")] \
        == ["It signed with Sinopec Co. Ltd.", "The deal closed."]
    assert len(split_sentences("Apple Inc. CEO Tim Cook spoke.")) == 1


def test_english_and_unknown_language_share_one_segmentation():
    # Analyzers that pass the stored "en" and those that pass nothing (guessed "") must
    # not segment the same text twice: both get the very same cached object.
    text = "Moscow and Beijing signed a deal. Officials praised it.\nA second paragraph."
    by_stored, guessed = segment(text, "en"), segment(text)
    assert by_stored is guessed
    assert segment(text, "fr") is guessed
    assert [s.text for s in guessed.sentences] == [
        "Moscow and Beijing signed a deal.", "Officials praised it.", "A second paragraph."]
    assert guessed.norms == ("moscow", "and", "beijing", "signed", "a", "deal", "officials",
                             "praised", "it", "a", "second", "paragraph")
    assert segment(text, "ru") is not guessed  # lemmatised: its own words


def test_sentence_stops_are_found_as_by_the_plain_alternation():
    """The sentence-stop regex opens with one set of stops (for speed); it finds exactly
    the spans of the plain alternation it replaced (frozen here), on random strings of
    Latin and Chinese stops, ellipses, closing quotes and brackets, spaces and letters."""
    import random
    import re

    from analysis.text import _BOUNDARY

    plain = re.compile(r"[.!?…]+[\"'”’)\]»]*(?=\s+)|(?:[。！？；]|……)+[”’」』）》\"']*")
    alphabet = list(".!?…。！？；\"'”’)]»」』）》 \n\tab") + ["……", "\u00a0", "\u3000"]
    rng = random.Random(49)
    for _ in range(30_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14)))
        assert ([m.span() for m in _BOUNDARY.finditer(text)]
                == [m.span() for m in plain.finditer(text)]), repr(text)


def test_an_ellipsis_ends_a_sentence_before_a_space_and_two_end_a_chinese_one():
    assert [s.text for s in split_sentences("Wait… Then it came. 他说……好。走")] == [
        "Wait…", "Then it came.", "他说……", "好。", "走"]
