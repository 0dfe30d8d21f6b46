"""Stance and style markers on hand-made texts with hand-counted expectations."""
from __future__ import annotations

import pytest

from analysis import Cancelled
from analysis.codebook import CodebookError
from analysis.corpus import Corpus, Document
from analysis.markers import MarkerAnalyzer, load_marker_lexicon
from analysis.text import segment

# 50 words (analysis.text counts "2025" as a word).
TEXT = ("Officials said the talks may resume in May 2025. “We must act,” the minister told "
        "reporters. Analysts argue the plan could fail, and Beijing should perhaps wait. "
        "According to US diplomats, China and Russia clearly want a deal, but the EU is wary. "
        "Let us now see what Moscow does.")


def corpus(*texts: str) -> Corpus:
    return Corpus(Document(f"d{i}", t) for i, t in enumerate(texts))


def test_rates_per_thousand_words_on_a_fifty_word_text():
    assert segment(TEXT).n_words == 50
    result = MarkerAnalyzer().transform(corpus(TEXT))
    row = result.documents.loc["d0"]
    # hedges: may (modal), could, perhaps -- "May 2025" is the month -> 3 / 50 words
    assert row["hedges"] == pytest.approx(3 * 1000 / 50)
    assert row["boosters"] == pytest.approx(1 * 1000 / 50)      # clearly
    assert row["obligation"] == pytest.approx(2 * 1000 / 50)    # must, should
    assert row["quotations"] == pytest.approx(1 * 1000 / 50)    # “We must act,”
    assert row["attribution"] == pytest.approx(3 * 1000 / 50)   # said, told, According to
    # Actor mentions: China, Beijing; Russia, Moscow; US (not "us"); EU -> 6 in all.
    assert row["salience_china"] == pytest.approx(2 / 6)
    assert row["salience_russia"] == pytest.approx(2 / 6)
    assert row["salience_us"] == pytest.approx(1 / 6)
    assert row["salience_eu"] == pytest.approx(1 / 6)
    assert row["salience_ukraine"] == 0 and row["salience_nato"] == 0
    m = result.matches
    assert list(m.columns) == ["doc_id", "marker", "start", "end", "term"]
    hedges = m[m["marker"] == "hedges"]
    assert hedges["term"].tolist() == ["may", "could", "perhaps"]
    assert m[m["marker"] == "salience_us"]["term"].tolist() == ["US"]
    for r in m.itertuples():
        assert TEXT[r.start:r.end] == r.term


@pytest.mark.parametrize("text, hedges", [
    ("May 5 was the day.", 0),            # month at the start of a sentence, before a number
    ("Talks resumed in May, officials said.", 0),
    ("It happened on 3 May.", 0),
    ("May the talks succeed.", 1),        # sentence-initial modal
    ("The deal may fail. May it not.", 2),
    ("“May we begin?” he asked.", 1),
])
def test_may_the_month_is_not_a_hedge(text, hedges):
    row = MarkerAnalyzer().transform(corpus(text)).documents.loc["d0"]
    n = segment(text).n_words
    assert row["hedges"] == pytest.approx(hedges * 1000 / n)


def test_actor_aliases_and_custom_actors():
    text = ("Washington and the United States; the U.S. and Biden; Sino-Russian ties; "
            "Kyiv and NATO; Latin America.")
    docs = MarkerAnalyzer(actors=["us", "china", "ukraine", "nato"]).transform(corpus(text))
    row = docs.documents.loc["d0"]
    assert list(docs.documents.columns)[-4:] == ["salience_us", "salience_china",
                                                "salience_ukraine", "salience_nato"]
    # us: Washington, United States, U.S., Biden (not Latin America) = 4; china: Sino = 1;
    # ukraine: Kyiv = 1; nato: NATO = 1 -> 7 mentions.
    assert row["salience_us"] == pytest.approx(4 / 7)
    assert row["salience_china"] == pytest.approx(1 / 7)
    custom = MarkerAnalyzer(actors={"iran": ["Iran", "Tehran"]}).transform(
        corpus("Iran and Tehran and Russia."))
    assert list(custom.documents.columns)[-1:] == ["salience_iran"]
    assert custom.documents.loc["d0", "salience_iran"] == 1.0
    with pytest.raises(ValueError, match="unknown actors"):
        MarkerAnalyzer(actors=["mars"]).transform(corpus("x"))


def test_no_words_and_no_actors_give_nan_not_errors():
    result = MarkerAnalyzer().transform(corpus("", "The talks went well."))
    assert result.documents.loc["d0"].isna().all()
    assert result.documents.loc["d1", "hedges"] == 0
    assert result.documents.loc["d1", ["salience_china", "salience_us"]].isna().all()


def test_empty_corpus_columns_and_cancel():
    result = MarkerAnalyzer().transform(Corpus())
    assert list(result.documents.columns)[:5] == ["hedges", "boosters", "obligation",
                                                  "quotations", "attribution"]
    assert "salience_china" in result.documents.columns and result.documents.empty

    def cancel(_):
        raise Cancelled

    with pytest.raises(Cancelled):
        MarkerAnalyzer().transform(corpus(TEXT), cancel)


def test_malformed_lexicon_names_the_file(tmp_path):
    path = tmp_path / "lex.yaml"
    path.write_text("markers:\n  hedges: [may]\n", encoding="utf-8")
    with pytest.raises(CodebookError, match=r"lex\.yaml: markers missing: boosters"):
        load_marker_lexicon(path)
    path.write_text("markers: [unclosed\n", encoding="utf-8")
    with pytest.raises(CodebookError, match=r"lex\.yaml, line 2: not valid YAML"):
        load_marker_lexicon(path)


def test_america_is_the_us_but_not_latin_south_or_central_america():
    text = ("America and Latin America. South America, Central America and North America. "
            "SouthAmerica, Americas, America's allies; in\nAmerica. Latin  America (America)")
    matches = MarkerAnalyzer(actors=["us"]).transform(corpus(text)).matches
    found = [(m.start, m.term) for m in matches.itertuples() if m.marker == "salience_us"]
    # At the start, after "North ", before "'s", after a line break, after "Latin" and
    # two spaces (not the phrase), in brackets; not Latin/South/Central, "SouthAmerica",
    # "Americas".
    starts = [0, text.index("North America") + 6, text.index("America's"),
              text.index("\nAmerica") + 1, text.index("Latin  America") + 7,
              text.index("(America)") + 1]
    assert found == [(a, "America") for a in starts]


def test_shipped_america_regex_matches_as_it_was_written_first():
    # The shipped regex opens with the word (fast); the first version tested look-behinds
    # at every position. Both must find the same spans, whatever surrounds the word.
    import random
    import re

    first = re.compile(r"(?<!Latin )(?<!South )(?<!Central )\bAmerica\b")
    (shipped,) = load_marker_lexicon().actors["us"].regexes
    rng = random.Random(5)
    pieces = ["America", "Latin ", "South ", "Central ", " ", "x", "é", ".", "\n", "_",
              "LATIN ", "america", "A", "1", "Americas"]
    for _ in range(5000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 9)))
        assert [m.span() for m in shipped.finditer(text)] == \
            [m.span() for m in first.finditer(text)], text
