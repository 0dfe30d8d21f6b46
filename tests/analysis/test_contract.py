"""One contract test over every analyzer: empty corpus, one document, input not mutated,
deterministic output, and Cancel raised from the progress callback stops the work."""
from __future__ import annotations

import copy

import pandas as pd
import pytest

from analysis import Cancelled
from analysis.corpus import Corpus, Document

TEXTS = {
    "a": "China and Russia deepen their comprehensive strategic partnership of coordination. "
         "Beijing says the ties are not aimed at any third party. Trade in energy grew.",
    "b": "Analysts say the no-limits partnership may face limits. Western sanctions weigh on "
         "Russian banks, according to officials. Moscow reportedly wants more Chinese help.",
    "c": "The two countries held joint military exercises near Japan. NATO said it was "
         "watching. Ukraine asked the European Union for more support.",
}


def make_corpus(ids=("a", "b", "c")) -> Corpus:
    groups = {"a": "chinese", "b": "western", "c": "western"}
    return Corpus(Document(i, TEXTS[i], {"group": groups[i], "outlet": f"Outlet {i}"})
                  for i in ids)


def analyzers():
    from analysis.codebook import load_codebook
    from analysis.frames import FrameAnalyzer
    from analysis.keyness import TermCounter
    from analysis.markers import MarkerAnalyzer
    from analysis.readability import ReadabilityAnalyzer
    from analysis.sentiment import SentimentAnalyzer
    from analysis.targets import TargetSentimentAnalyzer
    from analysis.topics import TopicAnalyzer

    return {
        "frames": lambda: FrameAnalyzer([load_codebook("china_russia")]),
        "sentiment": SentimentAnalyzer,
        "targets": TargetSentimentAnalyzer,
        "markers": MarkerAnalyzer,
        "readability": ReadabilityAnalyzer,
        "topics": lambda: TopicAnalyzer(n_topics=2, seed=1),
        "terms": lambda: TermCounter(ngram_max=2, min_docs=1),
    }


NAMES = ["frames", "sentiment", "targets", "markers", "readability", "topics", "terms"]


def frame_of(result) -> pd.DataFrame:
    """The per-document table of a result (TermCounts exposes a sparse matrix instead)."""
    if hasattr(result, "documents"):
        return result.documents
    return pd.DataFrame(result.matrix.toarray(), index=result.doc_ids, columns=result.terms)


@pytest.mark.parametrize("name", NAMES)
def test_empty_corpus_gives_empty_table(name):
    result = analyzers()[name]().fit_transform(Corpus())
    assert len(frame_of(result)) == 0


@pytest.mark.parametrize("name", NAMES)
def test_one_document(name):
    result = analyzers()[name]().fit_transform(make_corpus(("b",)))
    table = frame_of(result)
    assert list(table.index) == ["b"]


@pytest.mark.parametrize("name", NAMES)
def test_input_not_mutated_and_deterministic(name):
    corpus = make_corpus()
    before = copy.deepcopy([(d.doc_id, d.text, dict(d.meta)) for d in corpus])
    first = frame_of(analyzers()[name]().fit_transform(corpus))
    second = frame_of(analyzers()[name]().fit_transform(corpus))
    assert [(d.doc_id, d.text, dict(d.meta)) for d in corpus] == before
    pd.testing.assert_frame_equal(first, second)
    assert list(first.index) == ["a", "b", "c"]


@pytest.mark.parametrize("name", NAMES)
def test_cancel_raises(name):
    calls = []

    def cancel_soon(fraction: float) -> None:
        calls.append(fraction)
        raise Cancelled()

    with pytest.raises(Cancelled):
        analyzers()[name]().fit_transform(make_corpus(), cancel_soon)
    assert calls, "the analyzer never reported progress, so it could not be cancelled"
