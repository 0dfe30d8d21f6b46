"""The frame evidence and its candidates picked with coded keys equal the picks of the
code that grouped by the text columns themselves (kept here as the reference)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.compare import _frame_evidence, frame_evidence_candidates
from analysis.corpus import Corpus, Document

_KEYS = ["codebook", "frame", "group"]


def _reference_counted(matches, labels):
    counted = matches[~matches["negated"].astype(bool)] if "negated" in matches else matches
    counted = counted.assign(group=counted["doc_id"].map(labels)).dropna(subset=_KEYS)
    by = [counted[k] for k in _KEYS]
    first = ~counted.duplicated([*_KEYS, "doc_id"])
    return counted, by, first


def _reference_evidence(matches, labels, limit) -> list:
    """The rows the evidence was made of, in its order, as the code grouping by text
    picked them."""
    if matches.empty:
        return []
    counted, by, first = _reference_counted(matches, labels)
    picked = first & (first.groupby(by).cumsum() <= limit)
    rest = ~picked
    room = limit - picked.groupby(by).transform("sum")
    chosen = picked | (rest & (rest.groupby(by).cumsum() <= room))
    rows = counted[chosen].assign(_later=rest[chosen])
    rows = rows.sort_values([*_KEYS, "_later"], kind="stable")
    return list(zip(*[rows[c].tolist() for c in ("codebook", "frame", "group", "doc_id",
                                                 "start", "end")], strict=True))


def _reference_candidates(matches, labels, limit) -> pd.DataFrame:
    if matches.empty:
        return matches
    counted, by, first = _reference_counted(matches, labels)
    later = ~first
    wanted = ((first & (first.groupby(by).cumsum() <= limit))
              | (later & (later.groupby(by).cumsum() <= limit)))
    return matches.loc[counted.index[wanted.to_numpy()]]


def _table(seed: int, n_rows: int, n_docs: int, *, negated=True, missing=False,
           index_from=0):
    rng = np.random.default_rng(seed)
    docs = np.sort(rng.integers(n_docs, size=n_rows))
    table = pd.DataFrame({
        "doc_id": [f"d{d:03d}" for d in docs],
        "codebook": rng.choice(["generic", "custom", "b"], size=n_rows),
        "frame": rng.choice(["conflict", "economic", "morality", "z"], size=n_rows),
        "sentence": rng.integers(5, size=n_rows),
        "start": rng.integers(200, size=n_rows),
        "end": rng.integers(200, 400, size=n_rows),
        "term": "t", "rule": "r",
    }, index=pd.RangeIndex(index_from, index_from + n_rows))
    if negated:
        table["negated"] = rng.random(n_rows) < 0.2
    if missing:
        table.loc[rng.random(n_rows) < 0.05, "frame"] = None
        table.loc[rng.random(n_rows) < 0.02, "doc_id"] = None
    groups = rng.choice(["chinese", "western", "rest"], size=n_docs)
    # Some documents unlabelled (left out of the labels), one group a missing value.
    labels = pd.Series(groups, index=[f"d{d:03d}" for d in range(n_docs)], dtype=object)
    labels = labels.drop(labels.index[rng.random(n_docs) < 0.1])
    if missing:
        labels.iloc[::17] = None
    return table, labels


class _Texts:
    """A corpus of plain texts long enough for every match's passage."""

    def __init__(self, n_docs: int) -> None:
        self.corpus = Corpus([Document(f"d{d:03d}", ("word " * 100 + "\n") * 5,
                                       {"title": f"T{d}"}) for d in range(n_docs)])


CASES = [
    dict(seed=1, n_rows=3000, n_docs=60),
    dict(seed=2, n_rows=500, n_docs=200, missing=True),
    dict(seed=3, n_rows=800, n_docs=30, negated=False),
    dict(seed=4, n_rows=2000, n_docs=5, missing=True, index_from=7000),
    dict(seed=5, n_rows=1, n_docs=1),
]


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("limit", [1, 2, 6])
def test_frame_evidence_picks_the_rows_grouping_by_text_picked(case, limit):
    table, labels = _table(**case)
    texts = _Texts(case["n_docs"]).corpus
    got = _frame_evidence(texts, table, labels, limit)
    rows = [(cb, fr, g, d, s, e) for cb, fr, g, d, s, e
            in _reference_evidence(table, labels, limit)]
    expected: dict = {}
    for cb, frame, group, doc_id, start, end in rows:
        expected.setdefault(f"{cb}.{frame}", {}).setdefault(group, []).append(
            (doc_id, start, end))
    assert list(got) == list(expected)
    for item, by_group in got.items():
        assert list(by_group) == list(expected[item])
        for group, passages in by_group.items():
            assert [(p["doc_id"], p["start"], p["end"]) for p in passages] \
                == expected[item][group]
            assert all(p["group"] == group for p in passages)


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("limit", [1, 3])
def test_frame_evidence_candidates_are_the_rows_grouping_by_text_kept(case, limit):
    table, labels = _table(**case)
    got = frame_evidence_candidates(table, labels, limit)
    pd.testing.assert_frame_equal(got, _reference_candidates(table, labels, limit))


def test_document_ids_as_categories_give_the_same_picks():
    table, labels = _table(7, 1500, 40, missing=True)
    coded = table.assign(doc_id=table["doc_id"].astype("category"))
    pd.testing.assert_frame_equal(frame_evidence_candidates(coded, labels, 2),
                                  _reference_candidates(coded, labels, 2))
    assert _frame_evidence(_Texts(40).corpus, coded, labels, 2) \
        == _frame_evidence(_Texts(40).corpus, table, labels, 2)


def test_all_negated_or_empty_gives_nothing():
    table, labels = _table(6, 50, 10)
    table["negated"] = True
    assert _frame_evidence(_Texts(10).corpus, table, labels, 2) == {}
    assert frame_evidence_candidates(table, labels, 2).empty
    assert frame_evidence_candidates(table.iloc[:0], labels, 2).empty
