"""A per-document entry holds the document's rows of each row table, in table order,
whatever order the documents' rows come in (the split takes each document's run of rows
as list slices; the former per-cell grouping is kept here as the reference)."""
from __future__ import annotations

import json
import random
from dataclasses import dataclass

import pandas as pd

from analysis.doc_stage import assemble, result_dtypes, split_result


@dataclass(frozen=True)
class _Result:
    documents: pd.DataFrame
    matches: pd.DataFrame


def _empty() -> _Result:
    return _Result(pd.DataFrame({"score": pd.Series(dtype=float)},
                                index=pd.Index([], name="doc_id", dtype=object)),
                   pd.DataFrame({"doc_id": pd.Series(dtype=object),
                                 "term": pd.Series(dtype=object),
                                 "start": pd.Series(dtype="int64"),
                                 "negated": pd.Series(dtype=bool)}))


def _reference_rows(table: pd.DataFrame, ids: list[str]) -> list[list | None]:
    """Each document's rows, column by column, grouped one cell at a time."""
    columns = [c for c in table.columns if c != "doc_id"]
    out: list[list | None] = [None] * len(ids)
    for i, doc_id in enumerate(ids):
        rows = [r for r, d in enumerate(table["doc_id"].tolist()) if d == doc_id]
        if rows:
            out[i] = [[table[c].tolist()[r] for r in rows] for c in columns]
    return out


def _result(ids: list[str], rows: list[tuple]) -> _Result:
    documents = pd.DataFrame({"score": [float(i) / 3 for i in range(len(ids))]},
                             index=pd.Index(ids, name="doc_id", dtype=object))
    matches = pd.DataFrame(rows, columns=["doc_id", "term", "start", "negated"])
    return _Result(documents, matches)


def test_entries_hold_each_documents_rows_in_table_order_when_documents_interleave():
    rng = random.Random(5)
    ids = [f"d{i}" for i in range(12)]
    for trial in range(40):
        with_rows = rng.sample(ids, rng.randint(0, len(ids)))
        rows = [(d, rng.choice(["china", "russia", "nato"]), rng.randint(0, 99),
                 rng.random() < 0.3)
                for d in with_rows for _ in range(rng.randint(1, 4))]
        if trial % 2:
            rng.shuffle(rows)  # documents' rows interleaved
        result = _result(ids, rows)
        entries = split_result(result, _empty(), ids)
        expected = _reference_rows(result.matches, ids)
        for entry, want in zip(entries, expected, strict=True):
            assert json.loads(entry).get("matches") == want

        back = assemble(_empty(), ids, entries, result_dtypes(result))
        assert back.documents.equals(result.documents)
        if not rows:
            assert back.matches.empty
            continue
        order = sorted(range(len(rows)), key=lambda r: ids.index(rows[r][0]))
        assert back.matches.reset_index(drop=True).equals(
            result.matches.iloc[order].reset_index(drop=True))
