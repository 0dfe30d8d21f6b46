"""Concordance lines: matching rules, context trimming, limits, sorting."""
from __future__ import annotations

import pytest

from analysis.corpus import Corpus, Document
from analysis.kwic import KWIC_COLUMNS, kwic, sort_kwic

TEXT_A = ("Leaders hailed the no-limits partnership in Beijing.\n"
          "Critics doubt the no limits partnership will last.")
TEXT_B = "Chinatown is not China. The NO\u2013LIMITS Partnership was signed in February 2022."


def _corpus():
    return Corpus([
        Document("a", TEXT_A, meta={"title": "Summit", "outlet": "Xinhua", "group": "chinese"}),
        Document("b", TEXT_B, meta={"title": "Deal", "outlet": "BBC", "group": "western"}),
    ])


def test_phrase_finds_hyphen_and_space_variants_case_insensitive():
    hits = kwic(_corpus(), "no-limits partnership")
    assert list(hits.columns) == list(KWIC_COLUMNS)
    assert hits["match"].tolist() == ["no-limits partnership", "no limits partnership",
                                      "NO\u2013LIMITS Partnership"]
    assert hits["doc_id"].tolist() == ["a", "a", "b"]
    assert hits["sentence_index"].tolist() == [0, 1, 1]
    assert hits[["title", "outlet", "group"]].iloc[2].tolist() == ["Deal", "BBC", "western"]
    first = hits.iloc[0]
    assert TEXT_A[first.start:first.end] == "no-limits partnership"
    assert first.left == "Leaders hailed the "
    # 60 characters on the right reach into the next paragraph; the newline shows as a
    # space and the cut word "last" is dropped.
    assert first.right == " in Beijing. Critics doubt the no limits partnership will"


def test_whole_word_and_context_trimming():
    hits = kwic(_corpus(), "China")
    assert hits["match"].tolist() == ["China"]          # not "Chinatown"
    loose = kwic(_corpus(), "China", whole_word=False)
    assert loose["match"].tolist() == ["China", "China"]
    # Window of 12 before "partnership" in "Leaders hailed the no-limits partnership":
    # the 12 characters are "the no-limits " minus the cut word -> "no-limits ".
    hit = kwic(_corpus(), "partnership", window=12).iloc[0]
    assert hit.left == "no-limits "
    assert hit.right == " in Beijing."   # exactly 12 characters, no word cut
    newline = kwic(_corpus(), "Beijing", window=20).iloc[0]
    assert "\n" not in newline.right and newline.right == ". Critics doubt the"


def test_regex_limit_and_doc_filter():
    assert len(kwic(_corpus(), r"partner\w+", regex=True)) == 3
    assert len(kwic(_corpus(), "partnership", limit=2)) == 2
    assert kwic(_corpus(), "partnership", doc_ids=["b"])["doc_id"].tolist() == ["b"]
    with pytest.raises(ValueError, match="not a valid regular expression"):
        kwic(_corpus(), "(unclosed", regex=True)
    with pytest.raises(ValueError, match="empty"):
        kwic(_corpus(), "  ")
    none = kwic(Corpus(), "anything")
    assert none.empty and list(none.columns) == list(KWIC_COLUMNS)


def test_sort_by_context():
    corpus = Corpus([Document("x", "zeta trust beta. alpha trust delta. mid trust alpha.")])
    hits = kwic(corpus, "trust")
    assert sort_kwic(hits, "right")["right"].str.split().str[0].tolist() == \
        ["alpha.", "beta.", "delta."]
    assert sort_kwic(hits, "left")["left"].str.split().str[-1].tolist() == \
        ["alpha", "mid", "zeta"]
    with pytest.raises(ValueError):
        sort_kwic(hits, "middle")


def test_phrase_search_matches_where_a_codebook_term_would():
    from analysis.corpus import Corpus, Document

    text = ("The no limits partnership held.\nNo\nlimits partnership here: a line break "
            "is a new paragraph. A no\u2013limits partnership again.")
    hits = kwic(Corpus([Document("d0", text)]), "no-limits partnership")
    # Space and en dash join the words; a paragraph break does not.
    assert hits["match"].tolist() == ["no limits partnership", "no\u2013limits partnership"]
