"""Topics: TF-IDF + NMF shares per document, small corpora, determinism."""
from __future__ import annotations

import numpy as np
import pytest

from analysis.corpus import Corpus, Document
from analysis.progress import Cancelled
from analysis.topics import TopicAnalyzer, topic_bound

ENERGY = ["Gas pipeline exports rose as the oil and gas pipeline deal expanded energy trade.",
          "The energy deal covers oil, gas and a new pipeline for exports.",
          "Oil exports and gas pipeline volumes set an energy record."]
MILITARY = ["Joint military drills and naval exercises showed military cooperation.",
            "The navies held drills; military exercises involved bombers and troops.",
            "Troops and bombers joined naval drills in joint military exercises."]


# Ten documents, five per theme: the smallest corpus that supports two topics.
TEN = ENERGY + ENERGY[:2] + MILITARY + MILITARY[:2]


def _corpus(texts):
    return Corpus(Document(f"d{i}", t) for i, t in enumerate(texts))


def test_two_clear_themes_are_two_topics():
    corpus = _corpus(TEN)
    analyzer = TopicAnalyzer(n_topics=2, seed=1)
    result = analyzer.fit_transform(corpus)
    docs = result.documents
    assert list(docs.columns) == ["topic_1", "topic_2"]
    assert np.allclose(docs.sum(axis=1), 1.0)
    dominant = docs.idxmax(axis=1).tolist()
    assert len(set(dominant[:5])) == 1 and len(set(dominant[5:])) == 1
    assert dominant[0] != dominant[5]
    energy_topic = next(t for t in result.topics if t["id"] == dominant[0])
    military_topic = next(t for t in result.topics if t["id"] == dominant[5])
    assert {"gas", "pipeline"} & set(energy_topic["top_terms"][:3])
    assert {"military", "drills", "exercises"} & set(military_topic["top_terms"][:3])
    assert energy_topic["label"] == ", ".join(energy_topic["top_terms"][:3])
    assert "the" not in energy_topic["top_terms"] and "and" not in military_topic["top_terms"]


def test_deterministic_with_seed():
    corpus = _corpus(TEN)
    a = TopicAnalyzer(n_topics=3, seed=5).fit_transform(corpus)
    b = TopicAnalyzer(n_topics=3, seed=5).fit_transform(corpus)
    assert a.documents.equals(b.documents) and a.topics == b.topics


def test_small_corpora_reduce_topics_never_crash():
    three = TopicAnalyzer(n_topics=6).fit_transform(_corpus(ENERGY))
    assert three.topics == [] and "the corpus has 3 documents" in three.note
    one = TopicAnalyzer().fit_transform(_corpus(ENERGY[:1]))
    assert one.topics == [] and one.documents.shape == (1, 0)
    empty = TopicAnalyzer().fit_transform(Corpus())
    assert empty.topics == [] and empty.documents.empty
    stop_only = TopicAnalyzer().fit_transform(_corpus(["the and of", "it is the"]))
    assert stop_only.topics == []


def test_document_without_topic_words_has_zero_shares():
    analyzer = TopicAnalyzer(n_topics=2, seed=1).fit(_corpus(TEN))
    result = analyzer.transform(_corpus(["", "Gas pipeline exports."]))
    assert result.documents.loc["d0"].tolist() == [0.0, 0.0]
    assert result.documents.loc["d1"].sum() == pytest.approx(1.0)


def test_cancel():
    def cancel(_f):
        raise Cancelled

    with pytest.raises(Cancelled):
        TopicAnalyzer().fit(_corpus(ENERGY), progress=cancel)


@pytest.mark.parametrize(("n_docs", "requested", "fitted"),
                         [(5, 6, 0), (9, 6, 0), (10, 6, 2), (14, 6, 2), (29, 6, 5),
                          (30, 6, 6), (5000, 6, 6)])
def test_the_number_of_topics_is_bounded_by_the_corpus(n_docs, requested, fitted):
    k, why = topic_bound(n_docs, requested)
    assert k == fitted
    assert (why == "") == (fitted == requested)


def test_five_documents_get_no_topics_and_the_note_says_why():
    # Five documents used to give five topics, one per document.
    result = TopicAnalyzer(n_topics=6).fit_transform(_corpus(ENERGY + MILITARY[:2]))
    assert result.topics == [] and result.documents.shape == (5, 0)
    assert result.note.startswith("Topics were not fitted: the corpus has 5 documents")
    large = TopicAnalyzer(n_topics=6).fit_transform(_corpus(TEN * 2))
    assert len(large.topics) == 4 and "4 topics were fitted, not the 6 asked for" in large.note


def _mixed_texts(n: int = 60, seed: int = 5) -> list[str]:
    """Documents mixing both themes in varying amounts, with repeated words (so counts
    above one take the sublinear weighting) and many distinct words per row."""
    rng = np.random.default_rng(seed)
    pool = " ".join(ENERGY + MILITARY).replace(",", "").replace(";", "").split()
    return [" ".join(rng.choice(pool, size=int(rng.integers(8, 60)))) for _ in range(n)]


def test_fit_transform_equals_fit_then_transform_and_the_one_step_vectorizer():
    """fit_transform tokenises each text once, yet gives bit for bit the shares of fit
    then transform, which equal those of TF-IDF by TfidfVectorizer and the same NMF."""
    import warnings

    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfVectorizer

    from analysis.text import words

    corpus = _corpus(_mixed_texts())
    once = TopicAnalyzer(n_topics=4, seed=3).fit_transform(corpus)
    analyzer = TopicAnalyzer(n_topics=4, seed=3).fit(corpus)
    twice = analyzer.transform(corpus)
    assert once.topics == twice.topics
    np.testing.assert_array_equal(once.documents.to_numpy(), twice.documents.to_numpy())

    stop = analyzer._stop()
    def topic_terms(text):
        return [w for w in words(text)
                if len(w) > 1 and w not in stop and any(c.isalpha() for c in w)]

    vectorizer = TfidfVectorizer(analyzer=topic_terms,
                                 max_features=5000, sublinear_tf=True)
    texts = [d.text for d in corpus]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = NMF(n_components=4, init="nndsvda", random_state=3, max_iter=500)
        model.fit(vectorizer.fit_transform(texts))
        weights = model.transform(vectorizer.transform(texts))
    np.testing.assert_array_equal(weights / weights.sum(axis=1, keepdims=True),
                                  once.documents.to_numpy())
    assert [t["top_terms"] for t in once.topics] == [
        [str(vectorizer.get_feature_names_out()[j]) for j in np.argsort(-w, kind="stable")[:10]
         if w[j] > 0] for w in model.components_]
