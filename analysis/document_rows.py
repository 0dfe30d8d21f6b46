"""The ``documents`` rows of results.json, built when they are read instead of held.

A row per document is a nest of small dicts (about 8 KB for a 600-word article: 800 MB
at 100,000 articles). :class:`DocumentRows` keeps instead what the rows are made of (the
corpus, which the analysis holds anyway, and one array of figures) and builds a row each
time it is asked for, so writing results.json goes through the rows one at a time.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
import pandas as pd

from analysis.corpus import META_FIELDS
from analysis.group_figures import NO_GROUP, unavailable_text

__all__ = ["DocumentRows"]


class DocumentRows(Sequence):
    """A read-only-looking list of the ``documents`` rows (docs/results-schema.md).

    A row reached by index (``rows[0]``) is kept, so a change made to it is seen again
    (as with a list); rows reached by iteration are built and let go. Sent to another
    process it goes as a plain list.
    """

    def __init__(self, corpus, labels: pd.Series, figures: pd.DataFrame,
                 targets: pd.DataFrame, sizes: list[tuple[int, int]]) -> None:
        self._docs = corpus.documents
        self._label_of = labels.to_dict()
        self._sizes = sizes
        # Plain Python numbers and one string per key in every row: numpy scalars took
        # 32 bytes each, and "codebook.frame" keys split anew for each row.
        f_pos = {doc_id: i for i, doc_id in enumerate(figures.index)}
        self._values = np.array(figures.to_numpy(), copy=True)  # not a view of figures
        self._f_row = np.array([f_pos[d.doc_id] for d in self._docs], dtype=np.int64)
        columns: dict[str, list[tuple[str, int]]] = {}
        for j, (section, key) in enumerate(figures.columns):
            columns.setdefault(section, []).append((key, j))
        self._columns = columns
        self._frame_keys = [(*key.split(".", 1), j) for key, j in columns.get("frames", ())]
        self._sentiment = figures.columns.get_loc(("sentiment", "mean"))
        self._targets = [c for c in targets.columns if not c.endswith(".n")]
        t_pos = {doc_id: i for i, doc_id in enumerate(targets.index)}
        self._t_row = np.array([t_pos.get(d.doc_id, -1) for d in self._docs], dtype=np.int64)
        names = self._targets
        self._t_means = targets[names].to_numpy() if names else None
        self._t_counts = targets[[f"{t}.n" for t in names]].to_numpy() if names else None
        self._kept: dict[int, dict] = {}

    def _row(self, i: int) -> dict:
        d = self._docs[i]
        n_words, n_sentences = self._sizes[i]
        row = {"doc_id": d.doc_id, **{k: d.get(k) for k in META_FIELDS},
               **{k: v for k, v in d.meta.items() if k not in META_FIELDS},
               "group_label": self._label_of.get(d.doc_id, NO_GROUP), "source": d.source,
               "n_words": n_words, "n_sentences": n_sentences}
        fig = self._values[self._f_row[i]].tolist()
        row["sentiment"] = fig[self._sentiment]
        frames: dict = {}
        for cb, frame, j in self._frame_keys:
            frames.setdefault(cb, {})[frame] = fig[j]
        row["frames"] = frames
        for section in ("markers", "readability", "topics"):
            row[section] = {key: fig[j] for key, j in self._columns.get(section, ())}
        t = int(self._t_row[i])
        if t >= 0:
            means, counts = self._t_means[t].tolist(), self._t_counts[t].tolist()
            row["targets"] = {name: {"mean": means[j], "n_mentions": int(counts[j])}
                              for j, name in enumerate(self._targets)}
        else:
            row["targets"] = {}
        row["removed"] = [{"reason": r.reason, "text": r.text} for r in d.removed]
        row["not_available"] = unavailable_text(d)
        return row

    def __len__(self) -> int:
        return len(self._docs)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        i = range(len(self))[index]   # IndexError and negative indices as a list's
        row = self._kept.get(i)
        if row is None:
            row = self._kept[i] = self._row(i)
        return row

    def __iter__(self) -> Iterator[dict]:
        kept = self._kept
        for i in range(len(self)):
            row = kept.get(i)
            yield row if row is not None else self._row(i)

    def __eq__(self, other) -> bool:
        if not isinstance(other, (list, tuple, DocumentRows)):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None

    def __repr__(self) -> str:
        return f"DocumentRows({len(self)} documents)"

    def __reduce__(self):
        return (list, (list(self),))
