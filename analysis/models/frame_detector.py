"""The supervised generic-frame detector: an article -> yes/no for the five generic frames.

Per frame, a logistic regression over TF-IDF terms plus the frame codebook's evidence
(share of sentences with an indicator phrase), averaged with a second logistic regression
over the article's word-piece embedding (the mean of the shipped encoder's vectors for the
pieces of its words, :class:`~analysis.models.frame_features.PieceMean`), trained on the
Narrative Frames Corpus by ``python -m analysis.models.train``. Because that mean is
linear, the stored head is one score per word piece and frame: scoring an article is a
table look-up, with no transformer call, and depends on the article alone. Every decision
can be explained: the terms that weighed most (coefficient x TF-IDF), the sentences that
carried them, and the codebook indicators found.
"""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, chain, compress, pairwise, repeat

import numpy as np
import pandas as pd
from scipy import sparse

from analysis.base import Analyzer, empty_documents_frame
from analysis.corpus import Corpus
from analysis.models.data import FRAME_IDS
from analysis.models.frame_features import (
    Codebook,
    DocumentTerms,
    PieceMean,
    Vocabulary,
    codebook_features,
    document_terms,
    sentence_hits,
    terms_by_sentence,
    terms_of_texts,
)
from analysis.models.linear import LinearModel
from analysis.progress import ProgressCallback, iterate
from analysis.resources import resource, resource_path

__all__ = ["FrameModel", "GenericFrameDetector", "FrameDetection", "load_frame_model",
           "FRAME_MODEL_FILE", "tfidf_matrix", "tfidf_rows"]

FRAME_MODEL_FILE = "generic_frames_linear.npz"
PREFIX = "generic_detector"
#: The word-piece tokenizer of the shipped encoder (the head's scores are per piece id).
TOKENIZER = ("tsc_minilm", "tokenizer.json")


@lru_cache(maxsize=1)
def load_piece_mean() -> PieceMean:
    """The word-piece averager over the shipped encoder's tokenizer (loaded once).

    Raises FileNotFoundError naming the tokenizer file when it is not installed.
    """
    from analysis.models.wordpiece import WordPiece

    path = resource_path("models", *TOKENIZER)
    if not path.is_file():
        raise FileNotFoundError(f"resources/models/{'/'.join(TOKENIZER)} is not installed "
                                "(the encoder's word-piece tokenizer)")
    return PieceMean(WordPiece(path))


#: ``1 + log(tf)`` for the small counts almost every term has, computed once.
_SUBLINEAR = [math.nan] + [1.0 + math.log(c) for c in range(1, 256)]


def tfidf_matrix(term_counts: Sequence[Mapping[str, int]], index: Mapping[str, int],
                 idf: np.ndarray) -> sparse.csr_matrix:
    """Sublinear TF-IDF rows, L2-normalised: ``(1 + log tf) * idf / norm``."""
    lengths, cols, tf = [], [], []
    for counts in term_counts:
        # Each row's terms in their counted order (the order of the norm's sum), read by
        # maps over the whole row: a term left out when it is not in the index or not counted.
        row_cols = list(map(index.get, counts))
        row_tf = list(counts.values())
        if None in row_cols or min(row_tf, default=1) <= 0:
            kept = [j is not None and c > 0 for j, c in zip(row_cols, row_tf, strict=True)]
            row_cols, row_tf = list(compress(row_cols, kept)), list(compress(row_tf, kept))
        cols += row_cols
        tf += row_tf
        lengths.append(len(row_cols))
    return tfidf_rows(cols, tf, lengths, idf)


def tfidf_rows(cols: Sequence[int], tf: list, lengths: list[int],
               idf: np.ndarray) -> sparse.csr_matrix:
    """The rows of :func:`tfidf_matrix` from their terms' columns ``cols`` and counts
    ``tf`` (all > 0), row after row (``lengths`` terms each), each row in counted order."""
    try:
        sublinear = list(map(_SUBLINEAR.__getitem__, tf))
    except (IndexError, TypeError):  # a count of 256 or more, or not a whole number
        sublinear = list(map((1.0).__add__, map(math.log, tf)))
    # The products, squares and quotients of all rows at once (NumPy's are the same
    # IEEE operations as Python's); only each row's sum of squares stays a Python sum,
    # term after term in the row's order, as it always was.
    cols_at = np.asarray(cols, dtype=np.int64)
    vals = np.asarray(sublinear, dtype=np.float64) * np.asarray(idf, dtype=np.float64)[cols_at]
    squares = (vals * vals).tolist()
    bounds = list(accumulate(lengths, initial=0))
    norms = [math.sqrt(sum(squares[a:b])) or 1.0 for a, b in pairwise(bounds)]
    vals /= np.repeat(np.asarray(norms, dtype=np.float64), lengths)
    return sparse.csr_matrix((vals, cols_at, np.asarray(bounds)),
                             shape=(len(lengths), len(idf)))


class FrameModel:
    """Stored weights: TF-IDF vocabulary, idf, codebook, per-frame coefficients, thresholds.

    The :class:`LinearModel` rows are the terms followed by the codebook features
    (``cb:<frame>``, ``cbn:<frame>``); its columns are :data:`FRAME_IDS`. ``meta`` holds
    ``idf`` (per term), ``thresholds`` (per frame), ``codebook`` (indicators) and
    ``accuracy``.
    """

    def __init__(self, linear: LinearModel, idf: np.ndarray):
        self.linear = linear
        self.idf = np.asarray(idf, dtype=np.float64)
        self.n_terms = len(self.idf)
        self.terms = linear.vocab[:self.n_terms]
        self.term_index = {t: i for i, t in enumerate(self.terms)}
        self.vocabulary = Vocabulary(self.terms)
        self.extra = linear.vocab[self.n_terms:]
        self.thresholds = np.asarray([linear.meta["thresholds"][f] for f in FRAME_IDS])
        self.codebook = Codebook(linear.meta.get("codebook"))
        self.name: str = linear.meta.get("name", "generic-frames-linear")
        self.accuracy: dict | None = linear.meta.get("accuracy")
        if self.accuracy and linear.meta.get("heldout"):
            # The figure on articles no choice ever saw, shown beside the CV figure.
            self.accuracy = {**self.accuracy, "heldout": linear.meta["heldout"]}

    def design(self, texts: Sequence[str], codebook: Codebook | None = None,
               terms: Sequence[Mapping[str, int]] | None = None,
               segmented: Sequence | None = None, words: Sequence | None = None,
               X_terms: sparse.csr_matrix | None = None) -> sparse.csr_matrix:
        """The feature matrix (n, n_terms + n_codebook_features) of ``texts`` (``terms``:
        their :func:`document_terms`, ``segmented``: their ``segment(text)``, ``words``:
        their :attr:`DocumentTerms.words`, ``X_terms``: their :func:`tfidf_matrix`, when
        at hand)."""
        if X_terms is None:
            terms = terms if terms is not None else [document_terms(t) for t in texts]
            X_terms = tfidf_matrix(terms, self.term_index, self.idf)
        cb = codebook_features(texts, codebook or self.codebook, segmented, words)
        dense = np.asarray([[row.get(name, 0.0) for name in self.extra] for row in cb])
        return sparse.hstack([X_terms, sparse.csr_matrix(dense.reshape(len(texts), -1))]).tocsr()

    def tfidf_of(self, doc_terms: Sequence[DocumentTerms]) -> sparse.csr_matrix:
        """:func:`tfidf_matrix` of the documents' counts, read from their term ids when
        they were read with :attr:`vocabulary` (a term's id is then its column)."""
        if len(self.vocabulary.names) != self.n_terms:
            return tfidf_matrix([t.counts for t in doc_terms], self.term_index, self.idf)
        counted = [t.term_counts for t in doc_terms]
        return tfidf_rows(list(chain.from_iterable(counted)),
                          list(chain.from_iterable(map(Counter.values, counted))),
                          list(map(len, counted)), self.idf)

    @property
    def embedding_head(self) -> dict | None:
        """The word-piece embedding head (``intercept``, ``weight``, ``C``; its per-piece
        scores are :attr:`piece_scores`), or None for a terms-only model."""
        head = self.linear.meta.get("embedding")
        return head if head is not None and "piece_scores" in self.linear.arrays else None

    @property
    def piece_scores(self) -> np.ndarray:
        """(n_pieces, 5): the head's coefficients applied to each piece's vector."""
        return self.linear.arrays["piece_scores"]

    def set_embedding_head(self, coef: np.ndarray, intercept: np.ndarray, weight: float,
                           thresholds: Mapping[str, float], C: float,
                           piece_vectors: np.ndarray, encoder: str) -> None:
        """Add the embedding head (``coef`` 384 x 5 over the mean of ``piece_vectors``
        rows) and the per-frame thresholds chosen with it. Only ``piece_vectors @ coef``
        is stored: the mean of those rows is the head's logit."""
        self.linear.meta["embedding"] = {
            "encoder": encoder, "features": "mean of word-piece vectors over the words",
            "C": C, "weight": float(weight),
            "intercept": [round(float(v), 6) for v in intercept]}
        self.linear.arrays["piece_scores"] = np.asarray(piece_vectors) @ np.asarray(coef)
        self.linear.meta["thresholds"] = {f: float(thresholds[f]) for f in FRAME_IDS}
        self.thresholds = np.asarray([thresholds[f] for f in FRAME_IDS], dtype=float)

    def predict_terms_proba(self, texts: Sequence[str], X: sparse.csr_matrix | None = None
                            ) -> np.ndarray:
        """Probability (n, 5) from the terms and codebook features alone (the v1 part)."""
        if not len(texts):
            return np.zeros((0, len(FRAME_IDS)))
        z = self.linear.logits(X if X is not None else self.design(texts))
        return 1.0 / (1.0 + np.exp(-z))

    def head_logits(self, terms: Sequence[Mapping[str, int]]) -> np.ndarray:
        """The embedding head's logits (n, 5) from the documents' word counts.

        Raises FileNotFoundError when the encoder's tokenizer is not installed.
        """
        head = self.linear.meta["embedding"]
        return load_piece_mean().mean(terms, self.piece_scores) + np.asarray(head["intercept"])

    def predict_proba(self, texts: Sequence[str], X: sparse.csr_matrix | None = None,
                      terms: Sequence[Mapping[str, int]] | None = None) -> np.ndarray:
        """Probability (n, 5) that each frame of :data:`FRAME_IDS` is present: the terms
        part, averaged with the embedding head when the model has one."""
        if self.embedding_head is None or not len(texts):
            return self.predict_terms_proba(texts, X)
        terms = terms if terms is not None else [document_terms(t) for t in texts]
        p = self.predict_terms_proba(texts, X if X is not None else self.design(texts, terms=terms))
        w = self.embedding_head["weight"]
        return (1 - w) * p + w / (1.0 + np.exp(-self.head_logits(terms)))

    def predict(self, texts: Sequence[str]) -> np.ndarray:
        """0/1 decisions (n, 5) at the stored per-frame thresholds."""
        return (self.predict_proba(texts) >= self.thresholds).astype(int)

    def explain(self, text: str, top_terms: int = 8, top_sentences: int = 3,
                *, _indicators: bool = True) -> dict[str, dict]:
        """Why each frame was (not) marked.

        Returns, per frame id: ``probability``, ``threshold``, ``decision`` (0/1),
        ``terms`` [(term, weight)] with weight = coefficient x TF-IDF (positive pushes
        toward the frame), ``sentences`` [(sentence, weight)] summing the term weights
        inside each sentence, ``indicators`` [(sentence, [codebook matches])].
        """
        terms = terms_by_sentence(text)
        X = self.design([text], terms=[terms.counts], segmented=[terms.segmented],
                        words=[terms.words])
        proba = self.predict_proba([text], X, [terms.counts])[0]
        hits = sentence_hits(text, self.codebook) if _indicators else {}
        return self._why(text, terms, X, 0, proba, top_terms, top_sentences, hits)

    def _why(self, text: str, terms: DocumentTerms, X: sparse.csr_matrix, i: int,
             proba: np.ndarray, top_terms: int, top_sentences: int,
             hits: Mapping[str, list], frames: Sequence[str] = FRAME_IDS) -> dict[str, dict]:
        """:meth:`explain` of row ``i`` of the design matrix ``X`` (``terms``: the
        :func:`terms_by_sentence` of ``text``) for ``frames``."""
        # The row's terms in their stored order (the codebook columns come after them).
        a, b = X.indptr[i], X.indptr[i + 1]
        keep = X.indices[a:b] < self.n_terms
        cols, data = X.indices[a:b][keep], X.data[a:b][keep]
        sentences = terms.segmented.sentences
        # Per term of the article and frame: coefficient x TF-IDF; a sentence's weight is
        # the sum over the distinct terms it holds (one matrix product for all frames).
        contrib = data[:, None] * self.linear.coef[cols, :len(FRAME_IDS)]
        # Each sentence's terms as (sentence, column) pairs, -1 for a term not in the row
        # (a sentence read again may hold one), all set in one assignment.
        if terms.gram_terms is not None and len(self.vocabulary.names) == self.n_terms:
            # Terms read with self.vocabulary: a term's id is its column.
            position = np.full(self.n_terms, -1, dtype=np.intp)
            position[cols] = np.arange(len(cols))
            held = position[terms.gram_terms]
        else:
            position = dict(zip(map(self.terms.__getitem__, cols.tolist()), range(len(cols)),
                                strict=True))
            held = np.fromiter(map(position.get, terms.grams, repeat(-1)), dtype=np.intp,
                               count=len(terms.grams))
        found = held >= 0
        holds = np.zeros((len(sentences), len(cols)))
        holds[terms.gram_sentences[found], held[found]] = 1
        sentence_weights = holds @ contrib
        out = {}
        for frame in frames:
            k = FRAME_IDS.index(frame)
            weights, sums = contrib[:, k], sentence_weights[:, k]
            # The floats read by tolist are the values float() reads one by one.
            top = np.argsort(-np.abs(weights), kind="stable")[:top_terms]
            best = np.argsort(-sums, kind="stable")[:top_sentences]
            out[frame] = {"probability": float(proba[k]),
                          "threshold": float(self.thresholds[k]),
                          "decision": int(proba[k] >= self.thresholds[k]),
                          "terms": list(zip(map(self.terms.__getitem__, cols[top].tolist()),
                                            weights[top].tolist(), strict=True)),
                          "sentences": [(sentences[j].text, w) for j, w in
                                        zip(best.tolist(), sums[best].tolist(), strict=True)],
                          "indicators": hits.get(frame, [])}
        return out

    def save(self, path) -> None:
        self.linear.meta["idf"] = [round(float(v), 6) for v in self.idf]
        self.linear.save(path)

    @classmethod
    def load(cls, source) -> FrameModel:
        linear = LinearModel.load(source)
        return cls(linear, np.asarray(linear.meta["idf"]))


@lru_cache(maxsize=2)
def _load(filename: str) -> FrameModel | None:
    node = resource("models", filename)
    if not node.is_file():
        return None
    with node.open("rb") as fh:
        return FrameModel.load(fh)


def load_frame_model(filename: str = FRAME_MODEL_FILE) -> FrameModel | None:
    """The shipped generic-frame model, or ``None`` when its file is not installed."""
    return _load(filename)


@dataclass(frozen=True)
class FrameDetection:
    """Result of :class:`GenericFrameDetector`.

    Attributes
    ----------
    documents : DataFrame
        Index ``doc_id``; columns ``generic_detector.<frame>`` = 0/1 decision.
    probabilities : DataFrame
        Index ``doc_id``; columns ``generic_detector.<frame>.p`` = probability 0..1.
    evidence : DataFrame
        Columns ``doc_id, frame, kind, text, weight``: ``kind`` is ``term`` (weight =
        coefficient x TF-IDF) or ``sentence`` (sum of its term weights), for the
        frames marked present.
    name : str
        The model's id, e.g. ``generic-frames-linear-v1``.
    accuracy : dict or None
        Its measured accuracy (model card figures).
    """

    documents: pd.DataFrame
    probabilities: pd.DataFrame
    evidence: pd.DataFrame
    name: str
    accuracy: dict | None


class GenericFrameDetector(Analyzer):
    """Marks each document with the generic frames the trained detector finds.

    Parameters
    ----------
    model : FrameModel, str or None
        A loaded model, the file name of one under ``resources/models``, or ``None`` for
        the shipped model.
    evidence_terms : int
        How many terms and sentences to keep as evidence per marked frame.
    """

    section = "frames"

    def __init__(self, model: FrameModel | str | None = None, evidence_terms: int = 5):
        self._loaded = model if isinstance(model, FrameModel) else None
        self.model = model.name if isinstance(model, FrameModel) else (model or FRAME_MODEL_FILE)
        self.evidence_terms = evidence_terms

    def _model(self) -> FrameModel:
        if self._loaded is not None:
            return self._loaded
        model = load_frame_model(self.model)
        if model is None:
            raise FileNotFoundError(f"the generic-frame model resources/models/{self.model} "
                                    "is not installed (python -m analysis.models.train)")
        return model

    def transform(self, corpus: Corpus, progress: ProgressCallback | None = None) -> FrameDetection:
        model = self._model()
        cols = [f"{PREFIX}.{f}" for f in FRAME_IDS]
        docs = list(iterate(corpus.documents, progress, every=50))
        if not docs:
            return FrameDetection(empty_documents_frame(cols),
                                  empty_documents_frame([c + ".p" for c in cols]),
                                  pd.DataFrame(columns=["doc_id", "frame", "kind", "text", "weight"]),
                                  model.name, model.accuracy)
        ids = pd.Index([d.doc_id for d in docs], name="doc_id", dtype=object)
        texts = [d.text for d in docs]
        # One pass per text gives both the counts and each sentence's terms (evidence).
        # Without the word-piece head, only the model's own terms are read.
        if model.embedding_head is None:
            doc_terms = terms_of_texts(texts, model.vocabulary)
            terms = None
            X_terms = model.tfidf_of(doc_terms)
        else:
            doc_terms = [terms_by_sentence(t) for t in texts]
            terms = [t.counts for t in doc_terms]
            X_terms = None
        X = model.design(texts, terms=terms, segmented=[t.segmented for t in doc_terms],
                         words=[t.words for t in doc_terms], X_terms=X_terms)
        name = model.name
        try:
            proba = model.predict_proba(texts, X, terms)
        except FileNotFoundError as exc:
            # Without the encoder's tokenizer the terms part still decides; the name says so.
            name = f"{model.name} (terms only: {exc})"
            proba = model.predict_terms_proba(texts, X)
        decisions = (proba >= model.thresholds).astype(int)
        evidence = []
        for i, (doc, decided) in enumerate(zip(docs, decisions.tolist(), strict=True)):
            if not any(decided):
                continue
            marked = list(compress(FRAME_IDS, decided))
            why = model._why(doc.text, doc_terms[i], X, i, proba[i], self.evidence_terms,
                             self.evidence_terms, {}, marked)
            for frame in marked:
                evidence += [(doc.doc_id, frame, "term", t, w)
                             for t, w in why[frame]["terms"] if w > 0]
                evidence += [(doc.doc_id, frame, "sentence", s, w)
                             for s, w in why[frame]["sentences"] if w > 0]
        return FrameDetection(
            pd.DataFrame(decisions.astype(float), index=ids, columns=cols),
            pd.DataFrame(proba, index=ids, columns=[c + ".p" for c in cols]),
            pd.DataFrame(evidence, columns=["doc_id", "frame", "kind", "text", "weight"]),
            name, model.accuracy)
