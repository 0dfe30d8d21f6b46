"""Per-language keyness and 'not available for this language', on our own articles."""
from __future__ import annotations

import math
from pathlib import Path

import pytest

from analysis.corpus import Corpus, Document
from analysis.lang import NOT_AVAILABLE, method_available
from analysis.language_keyness import language_note, languages_of, per_language_keyness

OWN = Path(__file__).parent / "fixtures" / "languages"
ENGLISH = "China and Russia signed an energy deal on Monday. Officials praised the talks."


def _doc(name: str, group: str, language: str = "") -> Document:
    text = (OWN / f"{name}.txt").read_text(encoding="utf-8")
    return Document(name, text, {"group": group, "language": language})


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return Corpus([_doc("zh_official_1", "a", "zh"), _doc("zh_official_2", "a", "zh"),
                   _doc("zh_western_1", "b", "zh"), _doc("zh_western_2", "b", "zh"),
                   _doc("ru_1", "b", "ru"), _doc("ru_2", "b", "ru"),
                   Document("en1", ENGLISH, {"group": "a", "language": "en"})])


def test_languages_of_uses_the_stored_language_then_the_script(corpus):
    assert languages_of(corpus, ["zh_official_1", "zh_official_2", "en1"]) == {"zh": 2, "en": 1}
    unlabelled = Corpus([Document("x", "Россия и Китай подписали соглашение о торговле.")])
    assert languages_of(unlabelled, ["x"]) == {"ru": 1}


def test_language_note_says_when_and_where_keyness_can_compare():
    assert language_note("a", "b", {"en": 3}, {"en": 2}) == ""
    apart = language_note("Xinhua", "TASS", {"zh": 3}, {"ru": 2})
    assert apart.startswith("'Xinhua' is in Chinese and 'TASS' in Russian: distinctive")
    assert apart.endswith("No language has documents in both groups to compare within.")
    mixed = language_note("a", "b", {"zh": 2, "en": 1}, {"zh": 2, "ru": 2})
    assert mixed.endswith("Compared within one language: Chinese (2 vs 2 documents).")


def test_per_language_keyness_keeps_each_language_apart(corpus):
    from analysis.keyness import TermCounter

    counts = TermCounter(ngram_max=2, min_docs=2).fit_transform(corpus)
    a = [d.doc_id for d in corpus if d.get("group") == "a"]
    b = [d.doc_id for d in corpus if d.get("group") == "b"]
    by_language = per_language_keyness(counts, corpus, a, b, top_n=10)
    assert list(by_language) == ["zh"]  # English only in a, Russian only in b
    zh = by_language["zh"]
    assert (zh["n_documents_a"], zh["n_documents_b"]) == (2, 2)
    terms_b = [t["term"] for t in zh["b"]]
    assert "制裁" in terms_b and "乌克兰 战争" in terms_b
    assert all(not t["term"].isascii() for t in zh["a"] + zh["b"])
    assert per_language_keyness(counts, corpus, ["zh_official_1"], ["zh_western_1"]) == {}


def test_english_methods_give_no_figure_for_chinese_and_russian(corpus):
    from analysis.readability import ReadabilityAnalyzer
    from analysis.sentiment import SentimentAnalyzer

    assert method_available("sentiment", "en") and not method_available("sentiment", "zh")
    assert method_available("frames", "ru")  # not language-bound
    sentiment = SentimentAnalyzer().fit_transform(corpus)
    assert math.isnan(sentiment.documents.loc["ru_1", "mean"])
    assert not math.isnan(sentiment.documents.loc["en1", "mean"])
    assert set(sentiment.sentences["doc_id"]) == {"en1"}
    readability = ReadabilityAnalyzer().fit_transform(corpus).documents
    assert math.isnan(readability.loc["zh_official_1", "flesch_reading_ease"])
    assert math.isnan(readability.loc["ru_1", "smog"])
    # Sentence length counts the language's own words and stays.
    assert 10 < readability.loc["zh_official_1", "mean_sentence_length"] < 40
    assert NOT_AVAILABLE == "not available for this language"


def test_group_figures_use_the_documents_where_a_method_is_available(corpus):
    from analysis.config import AnalysisConfig
    from analysis.pipeline import run_analysis

    results = run_analysis(corpus, AnalysisConfig(n_boot=50, n_perm=50, n_topics=2))
    a = results.groups["a"]
    assert a["not_available"] == {"sentiment": 2, "targets": 2, "readability": 2}
    assert a["sentiment"]["n"] == 1
    assert results.groups["b"]["sentiment"]["mean"] is None
    assert ("Sentiment, target tone and the readability formulas are not available for "
            "this language for 2 of 3 documents of 'a' (Chinese 2): its figures for them "
            "use the other 1 document.") in results.warnings
    assert any("for 4 of 4 documents of 'b' (Russian 2, Chinese 2): it has no such "
               "figures." in w for w in results.warnings)
