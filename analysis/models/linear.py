"""Linear models over named features, stored without pickle and applied with numpy.

A model file is a compressed ``.npz`` holding only plain arrays: ``vocab`` (feature names),
``coef`` (n_features x n_classes), ``intercept``, ``meta`` (a JSON string: temperature,
class names, feature settings, measured accuracy) and any named numeric ``arrays`` a model
adds (stored as ``array.<name>.npy``). Loading needs no scikit-learn and no
``allow_pickle``, so a file cannot run code and does not depend on a library version.
"""
from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterable, Mapping
from itertools import chain, repeat
from pathlib import Path

import numpy as np
from scipy import sparse

from analysis.atomic import write_bytes_atomic

__all__ = ["LinearModel", "vectorize", "softmax"]


def softmax(z: np.ndarray) -> np.ndarray:
    """Row-wise softmax of logits ``z`` (n, k)."""
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def vectorize(features: Iterable[Mapping[str, float]], index: Mapping[str, int],
              n_features: int) -> sparse.csr_matrix:
    """A CSR matrix (n, n_features) of feature dicts; names not in ``index`` are dropped.

    Each row keeps its features in the dict's order, so ``X @ coef`` sums them in the
    same order whatever the batch.
    """
    rows = features if isinstance(features, list) else list(features)
    lengths = np.fromiter(map(len, rows), dtype=np.int64, count=len(rows))
    # One pass of C-level maps over every feature of every row instead of a Python loop.
    names = list(chain.from_iterable(rows))
    cols = np.fromiter(map(index.get, names, repeat(-1, len(names))), dtype=np.int64,
                       count=len(names))
    vals = np.fromiter(chain.from_iterable(r.values() for r in rows), dtype=np.float64,
                       count=len(names))
    known = cols >= 0
    row_of = np.repeat(np.arange(len(rows)), lengths)
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum(np.bincount(row_of[known], minlength=len(rows)), out=indptr[1:])
    return sparse.csr_matrix((vals[known], cols[known], indptr),
                             shape=(len(rows), n_features))


class LinearModel:
    """Weights of a (multinomial or one-vs-rest) linear model over named features.

    Parameters
    ----------
    vocab : sequence of str
        Feature names, one per row of ``coef``.
    coef : ndarray (n_features, n_outputs)
    intercept : ndarray (n_outputs,)
    meta : dict
        JSON-serialisable settings; ``temperature`` (default 1) divides the logits.
    arrays : dict of str to ndarray, optional
        Further numeric tables the model needs (saved as float32), e.g. a lookup table
        too large for ``meta``.
    """

    def __init__(self, vocab, coef: np.ndarray, intercept: np.ndarray, meta: dict,
                 arrays: Mapping[str, np.ndarray] | None = None):
        self.vocab = [str(v) for v in vocab]
        self.coef = np.asarray(coef, dtype=np.float64)
        self.intercept = np.asarray(intercept, dtype=np.float64)
        self.meta = dict(meta)
        self.arrays = {k: np.asarray(v) for k, v in (arrays or {}).items()}
        self.index = {name: i for i, name in enumerate(self.vocab)}

    def matrix(self, features: Iterable[Mapping[str, float]]) -> sparse.csr_matrix:
        return vectorize(features, self.index, len(self.vocab))

    def logits(self, X: sparse.csr_matrix) -> np.ndarray:
        """Raw scores (n, n_outputs) divided by the calibration temperature."""
        z = np.asarray(X @ self.coef) + self.intercept
        return z / float(self.meta.get("temperature", 1.0))

    def save(self, path: str | Path) -> None:
        """Write the model atomically as a compressed npz of plain arrays."""
        # float32 halves the file; predictions agree with float64 to ~1e-6.
        arrays = {"vocab": np.asarray(self.vocab, dtype=str),
                  "coef": self.coef.astype(np.float32),
                  "intercept": self.intercept.astype(np.float64),
                  "meta": np.asarray(json.dumps(self.meta, sort_keys=True)),
                  **{f"array.{k}": v.astype(np.float32) for k, v in sorted(self.arrays.items())}}
        buf = io.BytesIO()
        # Written by hand rather than np.savez so entries carry a fixed date: retraining
        # on the same data gives a byte-identical file.
        with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for name, array in arrays.items():
                info = zipfile.ZipInfo(name + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                with zf.open(info, "w") as fh:
                    np.lib.format.write_array(fh, array, allow_pickle=False)
        write_bytes_atomic(path, buf.getvalue())

    @classmethod
    def load(cls, source) -> LinearModel:
        """Read a model written by :meth:`save` from a path or a binary file object."""
        with np.load(source, allow_pickle=False) as z:
            arrays = {k[len("array."):]: z[k] for k in z.files if k.startswith("array.")}
            return cls(z["vocab"].tolist(), z["coef"], z["intercept"],
                       json.loads(str(z["meta"])), arrays)
