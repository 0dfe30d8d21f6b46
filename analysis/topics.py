"""Topics: TF-IDF and non-negative matrix factorisation (NMF), seeded and deterministic."""
from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.base import Analyzer, empty_documents_frame
from analysis.corpus import Corpus
from analysis.progress import ProgressCallback, iterate, wrap_progress
from analysis.stopwords import stopwords
from analysis.text import words

__all__ = ["TopicAnalyzer", "TopicResult", "DOCS_PER_TOPIC", "MIN_TOPIC_DOCS", "topic_bound"]

#: Every topic must be supportable by this many documents: k <= floor(n_docs / 5). With
#: fewer, NMF gives each document a topic of its own (5 documents, 5 topics) and the
#: "topics" are just the documents.
DOCS_PER_TOPIC = 5
#: Smallest corpus that is fitted at all: two topics of five documents each.
MIN_TOPIC_DOCS = 2 * DOCS_PER_TOPIC


def topic_bound(n_docs: int, requested: int) -> tuple[int, str]:
    """The number of topics a corpus of ``n_docs`` supports, and why, when it is fewer
    than ``requested`` (empty reason otherwise)."""
    if n_docs < MIN_TOPIC_DOCS:
        return 0, (f"Topics were not fitted: the corpus has {n_docs} document"
                   f"{'s' if n_docs != 1 else ''}, and a topic model needs at least "
                   f"{MIN_TOPIC_DOCS} (at least {DOCS_PER_TOPIC} documents per topic, two "
                   "topics at least); with fewer, each 'topic' is just one document.")
    k = min(int(requested), n_docs // DOCS_PER_TOPIC)
    if k < requested:
        return k, (f"{k} topics were fitted, not the {requested} asked for: {n_docs} "
                   f"documents support at most {n_docs} ÷ {DOCS_PER_TOPIC} = {k} "
                   f"(at least {DOCS_PER_TOPIC} documents per topic).")
    return k, ""


@dataclass(frozen=True)
class TopicResult:
    """Topic shares per document.

    Attributes
    ----------
    documents : DataFrame
        Index ``doc_id``; columns ``topic_1`` .. ``topic_k``: the document's share of
        each topic (rows sum to 1; all 0 for a document with no topic words).
    topics : list of dict
        ``{id, label, top_terms}``: ``label`` is the top three terms, ``top_terms`` the
        top ten, by weight in the topic.
    note : str
        Why fewer topics than asked for (or none) were fitted; empty otherwise.
    """

    documents: pd.DataFrame
    topics: list[dict] = field(default_factory=list)
    note: str = ""


class _TopicTerms:
    """The topic vectorizer's analyzer: the words of a text that can stand for a topic
    (two characters or more, a letter, not a stop word). Each distinct word is judged
    once; after that, keeping a word is one set lookup."""

    def __init__(self, stop: frozenset[str]) -> None:
        self.stop = stop
        self.kept: set[str] = set()
        self.seen: set[str] = set()

    def __call__(self, text: str) -> list[str]:
        found = self.words(text)
        new = set(found) - self.seen
        self.seen |= new
        self.kept.update(filter(self.keeps, new))
        kept = self.kept
        return [w for w in found if w in kept]

    @staticmethod
    def words(text: str) -> list[str]:
        """Every word of ``text``, kept or not."""
        return words(text)

    def keeps(self, word: str) -> bool:
        """Whether ``word`` can stand for a topic."""
        return len(word) > 1 and word not in self.stop and any(c.isalpha() for c in word)


class TopicAnalyzer(Analyzer):
    """Finds ``n_topics`` topics with TF-IDF + NMF (init "nndsvda").

    The number of topics is bounded by the corpus (:func:`topic_bound`): at most one topic
    per five documents, none below ten documents; ``note_`` says why when fewer than
    ``n_topics`` are fitted.

    Parameters
    ----------
    n_topics : int
    seed : int
        Seed of the NMF initialisation (the result is reproducible).
    max_features : int
        Vocabulary size (most frequent words, after stop words).

    Attributes
    ----------
    topics_ : list of dict
        See :class:`TopicResult`.
    """

    section = "topics"

    def __init__(self, n_topics: int = 6, seed: int = 20240601, max_features: int = 5000) -> None:
        self.n_topics = n_topics
        self.seed = seed
        self.max_features = max_features

    def _stop(self) -> frozenset[str]:
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

        return frozenset(ENGLISH_STOP_WORDS) | stopwords()

    def fit(self, corpus: Corpus, progress: ProgressCallback | None = None) -> TopicAnalyzer:
        self._fit(corpus, progress)
        return self

    def fit_transform(self, corpus: Corpus, progress: ProgressCallback | None = None,
                      read: tuple | None = None) -> TopicResult:
        """Fit and give the documents' topic shares, tokenising each text once (the same
        result as fit then transform: the vectorizer's transform of the fitted texts is
        the matrix the fit made).

        ``read``: the words of the documents read already, ``(words, documents)``, the
        word of each id and per document the ids of its words (in order, as
        :func:`analysis.text.words` reads them) or its text (read here)
        (:meth:`analysis.keyness.TermCounter.words_read`): the same result."""
        counts = self._fit(corpus, wrap_progress(progress, 0.0, 0.8), read)
        if counts is not None:
            # Weighted again from sorted counts, exactly as transform weighs a corpus:
            # the fitted matrix holds the same numbers in another order, and the row
            # norms summed in that order differ in the last bit.
            counts.sort_indices()
            counts = self.weighting_.transform(counts)
        return self._shares(corpus, counts, wrap_progress(progress, 0.8, 1.0))

    def _fit(self, corpus: Corpus, progress: ProgressCallback | None, read: tuple | None = None):
        """Fit; returns the documents' term counts (None when nothing was fitted)."""
        self.topics_ = []
        self.counter_ = self.weighting_ = None
        self.model_ = None
        bound, self.note_ = topic_bound(len(corpus), self.n_topics)
        wrap_progress(progress, 0.0, 1.0)(0.0)  # a cancel is honoured even with no fit
        if bound < 1:
            return None
        # Imported only for a fit: scikit-learn takes seconds to import, and a small
        # corpus (the analyst's first five articles) fits no topics.
        from sklearn.decomposition import NMF
        from sklearn.feature_extraction.text import TfidfTransformer

        from analysis.topic_counts import TopicCounts

        stop = self._stop()
        # TfidfVectorizer in two steps, so the counts can be weighted again (fit_transform).
        counter = TopicCounts(analyzer=_TopicTerms(stop),
                              max_features=self.max_features, dtype=np.float64)
        documents = corpus.documents
        if read is not None:
            counter.words_by_id, documents = read
        # A generator: the counter reads each text once, and no list of them is made.
        texts = (d if read is not None else d.text
                 for d in iterate(documents, wrap_progress(progress, 0, 0.3),
                                  total=None if read is None else len(corpus)))
        try:
            counts = counter.fit_transform(texts)
        except ValueError:  # no words at all
            return None
        finally:
            counter.words_by_id = ()   # not kept with the fitted counter
        weighting = TfidfTransformer(sublinear_tf=True).fit(counts)
        tfidf = weighting.transform(counts)
        k = min(bound, tfidf.shape[1])
        if k < 1:
            return None
        model = NMF(n_components=k, init="nndsvda", random_state=self.seed, max_iter=500)
        sub = wrap_progress(progress, 0.3, 1.0)
        sub(0.0)
        with warnings.catch_warnings():
            # Few-document corpora may stop before full convergence; the topics are
            # still the best found within max_iter.
            warnings.simplefilter("ignore")
            model.fit(tfidf)
        sub(1.0)
        vocab = counter.get_feature_names_out()
        topics = []
        for i, weights in enumerate(model.components_, start=1):
            order = np.argsort(-weights, kind="stable")[:10]
            terms = [str(vocab[j]) for j in order if weights[j] > 0]
            topics.append({"id": f"topic_{i}", "label": ", ".join(terms[:3]),
                           "top_terms": terms})
        self.topics_ = topics
        self.counter_, self.weighting_ = counter, weighting
        self.model_ = model
        return counts

    def transform(self, corpus: Corpus, progress: ProgressCallback | None = None) -> TopicResult:
        if not hasattr(self, "topics_"):
            raise RuntimeError("TopicAnalyzer.transform called before fit")
        if not len(corpus) or self.model_ is None:
            return self._shares(corpus, None, progress)
        texts = [d.text for d in iterate(corpus.documents, wrap_progress(progress, 0, 0.5))]
        return self._shares(corpus, self.weighting_.transform(self.counter_.transform(texts)),
                            wrap_progress(progress, 0.5, 1.0))

    def _shares(self, corpus: Corpus, tfidf, progress: ProgressCallback | None) -> TopicResult:
        """Each document's share of each topic, from its TF-IDF row."""
        columns = [t["id"] for t in self.topics_]
        if not len(corpus) or self.model_ is None:
            if not len(corpus):
                return TopicResult(empty_documents_frame(columns), list(self.topics_),
                                   self.note_)
            frame = pd.DataFrame(index=pd.Index(corpus.ids, name="doc_id", dtype=object))
            return TopicResult(frame, [], self.note_)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            weights = self.model_.transform(tfidf)
        totals = weights.sum(axis=1, keepdims=True)
        shares = np.divide(weights, totals, out=np.zeros_like(weights), where=totals > 0)
        wrap_progress(progress, 0.0, 1.0)(1.0)
        frame = pd.DataFrame(shares, columns=columns,
                             index=pd.Index(corpus.ids, name="doc_id", dtype=object))
        return TopicResult(frame, [dict(t) for t in self.topics_], self.note_)
