"""Topics: TF-IDF + NMF shares per document, small corpora, determinism."""
from __future__ import annotations

import numpy as np
import pytest

from analysis.corpus import Corpus, Document
from analysis.progress import Cancelled
from analysis.topics import TopicAnalyzer

ENERGY = ["Gas pipeline exports rose as the oil and gas pipeline deal expanded energy trade.",
          "The energy deal covers oil, gas and a new pipeline for exports.",
          "Oil exports and gas pipeline volumes set an energy record."]
MILITARY = ["Joint military drills and naval exercises showed military cooperation.",
            "The navies held drills; military exercises involved bombers and troops.",
            "Troops and bombers joined naval drills in joint military exercises."]


def _corpus(texts):
    return Corpus(Document(f"d{i}", t) for i, t in enumerate(texts))


def test_two_clear_themes_are_two_topics():
    corpus = _corpus(ENERGY + MILITARY)
    analyzer = TopicAnalyzer(n_topics=2, seed=1)
    result = analyzer.fit_transform(corpus)
    docs = result.documents
    assert list(docs.columns) == ["topic_1", "topic_2"]
    assert np.allclose(docs.sum(axis=1), 1.0)
    dominant = docs.idxmax(axis=1).tolist()
    assert len(set(dominant[:3])) == 1 and len(set(dominant[3:])) == 1
    assert dominant[0] != dominant[3]
    energy_topic = next(t for t in result.topics if t["id"] == dominant[0])
    military_topic = next(t for t in result.topics if t["id"] == dominant[3])
    assert {"gas", "pipeline"} & set(energy_topic["top_terms"][:3])
    assert {"military", "drills", "exercises"} & set(military_topic["top_terms"][:3])
    assert energy_topic["label"] == ", ".join(energy_topic["top_terms"][:3])
    assert "the" not in energy_topic["top_terms"] and "and" not in military_topic["top_terms"]


def test_deterministic_with_seed():
    corpus = _corpus(ENERGY + MILITARY)
    a = TopicAnalyzer(n_topics=3, seed=5).fit_transform(corpus)
    b = TopicAnalyzer(n_topics=3, seed=5).fit_transform(corpus)
    assert a.documents.equals(b.documents) and a.topics == b.topics


def test_small_corpora_reduce_topics_never_crash():
    three = TopicAnalyzer(n_topics=6).fit_transform(_corpus(ENERGY))
    assert 1 <= len(three.topics) <= 3
    assert list(three.documents.columns) == [t["id"] for t in three.topics]
    one = TopicAnalyzer().fit_transform(_corpus(ENERGY[:1]))
    assert one.topics == [] and one.documents.shape == (1, 0)
    empty = TopicAnalyzer().fit_transform(Corpus())
    assert empty.topics == [] and empty.documents.empty
    stop_only = TopicAnalyzer().fit_transform(_corpus(["the and of", "it is the"]))
    assert stop_only.topics == []


def test_document_without_topic_words_has_zero_shares():
    analyzer = TopicAnalyzer(n_topics=2, seed=1).fit(_corpus(ENERGY + MILITARY))
    result = analyzer.transform(_corpus(["", "Gas pipeline exports."]))
    assert result.documents.loc["d0"].tolist() == [0.0, 0.0]
    assert result.documents.loc["d1"].sum() == pytest.approx(1.0)


def test_cancel():
    def cancel(_f):
        raise Cancelled

    with pytest.raises(Cancelled):
        TopicAnalyzer().fit(_corpus(ENERGY), progress=cancel)
