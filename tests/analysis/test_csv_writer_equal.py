"""The CSV writer (cells handed to the csv module, formula escape on the cell lists) writes
the same bytes as the code it replaced: ``neutralise_formulas(frame).to_csv(...)``, for
every column type the tables carry and for those it hands back to pandas."""
from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest

from analysis.cells import neutralise_formulas, write_csv, write_csv_chunks
from analysis.names import DISPLAY_ERRORS


def _reference(frame: pd.DataFrame, target, encoding: str = "utf-8") -> None:
    """write_csv as it was before the csv-module writer."""
    neutralise_formulas(frame).to_csv(target, index=False, encoding=encoding,
                                      lineterminator="\r\n", errors=DISPLAY_ERRORS)


def _reference_chunks(frames, target) -> None:
    with open(target, "w", encoding="utf-8", errors=DISPLAY_ERRORS, newline="") as fh:
        for n, frame in enumerate(frames):
            neutralise_formulas(frame).to_csv(fh, index=False, header=n == 0,
                                              lineterminator="\r\n")


_TEXTS = ["plain", "", "=SUM(A1:A2)", "+1", "-0.5", "-x", "@cmd", "\tTAB", "\rcr", "'=already",
          "'plain", "''=x", "comma, inside", 'quote " inside', "line\nbreak", "cr\rinside",
          "Россия", "中国", "caf\udce9.txt", " lead space", "1e5", "nan", "None", "’curly"]


def _frame(rng: random.Random, n: int) -> pd.DataFrame:
    floats = np.array([rng.choice([rng.gauss(0, 1) * 10.0 ** rng.randint(-25, 25), 0.0, -0.0,
                                   np.nan, np.inf, -np.inf, 0.1 + 0.2, 1e16, 1e-5, 123456.0,
                                   rng.random()]) for _ in range(n)])
    mixed = [rng.choice([None, np.nan, 3, 2.5, True, rng.choice(_TEXTS)]) for _ in range(n)]
    return pd.DataFrame({
        "doc_id": [f"{i:06d}" for i in range(n)],
        "text": pd.Series([rng.choice(_TEXTS) for _ in range(n)], dtype=object),
        "str": pd.Series([rng.choice(_TEXTS + [None]) for _ in range(n)], dtype="str"),
        "mixed": pd.Series(mixed, dtype=object),
        "float": floats,
        "int": np.array([rng.randint(-10**12, 10**12) for _ in range(n)], dtype=np.int64),
        "small": np.array([rng.randint(0, 200) for _ in range(n)], dtype=np.uint8),
        "flag": np.array([rng.random() < 0.5 for _ in range(n)]),
    })


def _bytes(write, *args) -> bytes:
    write(*args)
    return args[1].read_bytes()


@pytest.mark.parametrize("seed", range(5))
def test_every_cell_type_writes_the_same_bytes(tmp_path, seed):
    frame = _frame(random.Random(seed), 400)
    assert _bytes(write_csv, frame, tmp_path / "new.csv") == \
        _bytes(_reference, frame, tmp_path / "old.csv")


@pytest.mark.parametrize("extra", [
    pd.Series(pd.to_datetime(["2024-03-01", None, "2025-01-08"])),
    pd.Series(["a", "=b", None], dtype="category"),
    pd.Series([1, None, 3], dtype="Int64"),
    pd.Series([0.1, 0.2, np.nan], dtype=np.float32),
    pd.Series([True, None, False], dtype="boolean"),
])
def test_column_types_left_to_pandas_write_the_same_bytes(tmp_path, extra):
    frame = pd.DataFrame({"title": ["=HYPERLINK(x)", "ok", None], "x": extra})
    assert _bytes(write_csv, frame, tmp_path / "new.csv") == \
        _bytes(_reference, frame, tmp_path / "old.csv")


@pytest.mark.parametrize("frame", [
    pd.DataFrame(), pd.DataFrame({"a": [], "b": []}), pd.DataFrame({"only": ["", "x", ""]}),
    pd.DataFrame({1: [1.5], "dup": ["=a"]}), pd.DataFrame([[1, 2]], columns=["same", "same"]),
    pd.DataFrame({("a", "b"): [1], ("a", "c"): ["=x"]}),
], ids=["no columns", "no rows", "one text column", "number label", "duplicate labels",
        "two-level labels"])
def test_odd_shapes_write_the_same_bytes(tmp_path, frame):
    assert _bytes(write_csv, frame, tmp_path / "new.csv") == \
        _bytes(_reference, frame, tmp_path / "old.csv")


def test_excel_encoding_and_parts_write_the_same_bytes(tmp_path):
    frame = _frame(random.Random(9), 300)
    assert _bytes(write_csv, frame, tmp_path / "new.csv", "utf-8-sig") == \
        _bytes(_reference, frame, tmp_path / "old.csv", "utf-8-sig")
    parts = [frame.iloc[:100], frame.iloc[100:250], frame.iloc[250:]]
    write_csv_chunks(parts, tmp_path / "parts_new.csv")
    _reference_chunks(parts, tmp_path / "parts_old.csv")
    assert (tmp_path / "parts_new.csv").read_bytes() == (tmp_path / "parts_old.csv").read_bytes()
    # A spreadsheet user sees the title as text, not as a formula to run.
    assert b"'=SUM(A1:A2)" in (tmp_path / "parts_new.csv").read_bytes()
