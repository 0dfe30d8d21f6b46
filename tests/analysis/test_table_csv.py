"""A table on disk is written to CSV from its rows as SQLite reads them, to the same bytes
as from the DataFrames it loads as (analysis.cells.write_table_csv)."""
from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest

from analysis import table_store
from analysis.cells import write_csv_chunks, write_table_csv
from analysis.table_store import TableStore

_TEXTS = ["plain", "", "=SUM(A1)", "+1", "-5", "-0.5e3", "-", "@user", "\tTab", "\rcr",
          "'=quoted", "''=twice", "'plain", "'-5", "a,b", 'say "hi"', "line\nbreak",
          "中文", "Россия", "é", "+", "=", "1e5", "nan", "-inf", " =space first"]


def _frame(rng: random.Random, n: int, doc: int) -> pd.DataFrame:
    text = [rng.choice(_TEXTS) for _ in range(n)]
    return pd.DataFrame({
        "doc_id": [f"d{doc}"] * n,
        "text": pd.Series(text, dtype=object),
        "maybe": pd.Series([rng.choice([None, *_TEXTS[:6]]) for _ in range(n)], dtype=object),
        "mixed": pd.Series([rng.choice(["x", 3, -2, 0.5, "-1"]) for _ in range(n)],
                           dtype=object),
        "string": pd.Series([rng.choice([*_TEXTS, None]) for _ in range(n)], dtype="str"),
        "count": np.array([rng.randint(-10**12, 10**12) for _ in range(n)], dtype=np.int64),
        "score": np.array([rng.choice([0.1, -0.0, 1 / 3, np.nan, 2.0, 1e300, -7.25])
                           for _ in range(n)]),
        "negated": np.array([rng.random() < 0.3 for _ in range(n)]),
    })


def _bytes(path) -> bytes:
    with open(path, "rb") as fh:
        return fh.read()


@pytest.mark.parametrize("chunk_rows", [7, 200_000])
def test_same_bytes_as_the_loaded_tables(tmp_path, monkeypatch, chunk_rows):
    monkeypatch.setattr(table_store, "CHUNK_ROWS", chunk_rows)
    monkeypatch.setattr(table_store, "CSV_CHUNK_ROWS", chunk_rows)
    rng = random.Random(chunk_rows)
    store = TableStore()
    for doc in range(40):
        store.append("rows", _frame(rng, rng.randint(0, 12), doc))
    store.finish()
    table = store.table("rows")
    assert table.csv_chunks(lambda v: v, "=") is not None   # the fast path is taken
    write_csv_chunks(table.chunks(), tmp_path / "frames.csv")
    write_table_csv(table, tmp_path / "rows.csv")
    assert _bytes(tmp_path / "rows.csv") == _bytes(tmp_path / "frames.csv")
    assert b"'=SUM(A1)" in _bytes(tmp_path / "rows.csv")


def test_columns_of_other_types_and_an_empty_table(tmp_path):
    store = TableStore()
    store.append("dates", pd.DataFrame({"doc_id": ["a", "b"],
                                        "label": pd.Categorical(["x", "=y"]),
                                        "small": np.array([0.1, 2.5], dtype=np.float32)}))
    store.append("none", pd.DataFrame({"doc_id": pd.Series([], dtype=object)}))
    store.finish()
    for name in ("dates", "none"):
        table = store.table(name)
        write_csv_chunks(table.chunks(), tmp_path / "frames.csv")
        write_table_csv(table, tmp_path / "rows.csv")
        assert _bytes(tmp_path / "rows.csv") == _bytes(tmp_path / "frames.csv")
    assert store.table("dates").csv_chunks(lambda v: v, "=") is None
