"""The generic-frame detector as it was before its single-pass rewrite: the reference that
``tests/analysis/test_frame_detector_equal.py`` checks the shipped detector against, and the
"before" of ``python -m benchmarks.bench_frame_detector``.

It counted each document's terms, then for the evidence read every sentence again with
``ngrams`` (segmenting it anew), and matched each frame's indicators with one plain
alternation per frame.
"""
from __future__ import annotations

import math
import re
from bisect import bisect_right

import numpy as np
import pandas as pd
from scipy import sparse

from analysis.models.data import FRAME_IDS
from analysis.models.frame_features import Codebook, _to_regex, document_terms
from analysis.text import ngrams, segment

__all__ = ["plain_patterns", "reference_codebook_features", "reference_tfidf_matrix",
           "reference_transform"]


def reference_tfidf_matrix(term_counts, index, idf):
    """Sublinear TF-IDF rows, L2-normalised, one term at a time in each row's counted order."""
    indptr, cols, vals = [0], [], []
    idf_of = np.asarray(idf, dtype=np.float64).tolist()
    for counts in term_counts:
        row_cols, row_vals = [], []
        for term, c in counts.items():
            j = index.get(term)
            if j is not None and c > 0:
                row_cols.append(j)
                row_vals.append((1.0 + math.log(c)) * idf_of[j])
        norm = math.sqrt(sum(v * v for v in row_vals)) or 1.0
        cols.extend(row_cols)
        vals.extend(v / norm for v in row_vals)
        indptr.append(len(cols))
    return sparse.csr_matrix((np.asarray(vals, dtype=np.float64), np.asarray(cols, dtype=np.int64),
                              np.asarray(indptr)), shape=(len(term_counts), len(idf)))


def plain_patterns(codebook: Codebook) -> dict[str, re.Pattern]:
    """Per frame, ``\\b(?:term1|term2|...)`` in the codebook's order."""
    return {f: re.compile(r"\b(?:" + "|".join(_to_regex(t) for t in terms) + r")",
                          re.IGNORECASE)
            for f, terms in codebook.indicators.items() if terms}


def reference_codebook_features(texts, codebook):
    """``cb:`` and ``cbn:`` features: each frame's plain pattern over the joined sentences."""
    patterns = plain_patterns(codebook)
    rows = []
    for text in texts:
        sentences = segment(text).sentences
        n = max(1, len(sentences))
        joined, starts, pos = "\n".join(s.text for s in sentences), [], 0
        for s in sentences:
            starts.append(pos)
            pos += len(s.text) + 1
        feats = {}
        for frame in FRAME_IDS:
            pattern = patterns.get(frame)
            found = [bisect_right(starts, m.start()) for m in pattern.finditer(joined)] \
                if pattern else []
            feats["cb:" + frame] = len(set(found)) / n
            feats["cbn:" + frame] = math.log1p(len(found)) / 3
        rows.append(feats)
    return rows


def reference_transform(model, docs, evidence_terms=5):
    """(decisions, probabilities, evidence) of ``docs`` as the detector gave them."""
    texts = [d.text for d in docs]
    terms = [document_terms(t) for t in texts]
    cb = reference_codebook_features(texts, model.codebook)
    dense = np.asarray([[row.get(name, 0.0) for name in model.extra] for row in cb])
    X = sparse.hstack([reference_tfidf_matrix(terms, model.term_index, model.idf),
                       sparse.csr_matrix(dense.reshape(len(texts), -1))]).tocsr()
    proba = model.predict_proba(texts, X, terms)
    decisions = (proba >= model.thresholds).astype(int)
    evidence = []
    for i, doc in enumerate(docs):
        if not decisions[i].any():
            continue
        row = X[i][0, :model.n_terms].tocoo()
        sentences = segment(doc.text).sentences
        cols = row.col
        contrib = row.data[:, None] * model.linear.coef[cols, :len(FRAME_IDS)]
        position = {model.terms[j]: k for k, j in enumerate(cols.tolist())}
        holds = np.zeros((len(sentences), len(cols)))
        for r, s in enumerate(sentences):
            holds[r, [position[t] for t in set(ngrams(s.text, n_max=2)) if t in position]] = 1
        weights = holds @ contrib
        for k, frame in enumerate(FRAME_IDS):
            if not decisions[i, k]:
                continue
            top = np.argsort(-np.abs(contrib[:, k]), kind="stable")[:evidence_terms]
            best = np.argsort(-weights[:, k], kind="stable")[:evidence_terms]
            evidence += [(doc.doc_id, frame, "term", model.terms[cols[j]], float(contrib[j, k]))
                         for j in top if contrib[j, k] > 0]
            evidence += [(doc.doc_id, frame, "sentence", sentences[j].text,
                          float(weights[j, k])) for j in best if weights[j, k] > 0]
    return decisions, proba, pd.DataFrame(evidence, columns=["doc_id", "frame", "kind", "text",
                                                             "weight"])
