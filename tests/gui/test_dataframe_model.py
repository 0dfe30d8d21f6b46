"""The DataFrame table adapter."""
from __future__ import annotations

import pandas as pd
from PySide6.QtCore import Qt

from sinoru_desktop.dataframe_model import SORT_ROLE, DataFrameModel


def frame():
    return pd.DataFrame({"title": ["Beta", "alpha", "Gamma"], "outlet": ["TASS", "BBC", ""],
                         "words": [1200, 35, 410], "score": [0.5, float("nan"), -0.25]},
                        index=["d1", "d2", "d3"])


def test_model_passes_qtmodeltester(qtmodeltester):
    model = DataFrameModel(frame(), editable=["title"])
    qtmodeltester.check(model, force_py=True)


def test_display_and_header(qtbot):
    model = DataFrameModel(frame(), columns={"title": "Title", "words": "Words"})
    assert model.columnCount() == 2 and model.rowCount() == 3
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Title"
    assert model.data(model.index(0, 1)) == "1,200"
    assert model.data(model.index(0, 1), SORT_ROLE) == 1200
    full = DataFrameModel(frame())
    assert full.data(full.index(1, 3)) == ""       # NaN shows as an empty cell
    assert full.data(full.index(2, 3)) == "-0.25"


def test_edit_only_declared_columns(qtbot):
    model = DataFrameModel(frame(), editable=["outlet"])
    edits = []
    model.edited.connect(lambda *a: edits.append(a))
    assert not model.setData(model.index(0, 0), "New title")
    assert model.setData(model.index(2, 1), "  Global Times ")
    assert model.frame.loc["d3", "outlet"] == "Global Times"
    assert edits == [("d3", "outlet", "Global Times")]
    assert not model.setData(model.index(2, 1), "Global Times")   # unchanged: no signal
    assert len(edits) == 1


def test_sort_numbers_and_text_case_insensitively(qtbot):
    model = DataFrameModel(frame())
    model.sort(2, Qt.SortOrder.AscendingOrder)
    assert list(model.frame.index) == ["d2", "d3", "d1"]
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert [model.data(model.index(r, 0)) for r in range(3)] == ["Gamma", "Beta", "alpha"]
    model.set_frame(frame())                  # a new frame keeps the sort order
    assert model.row_label(0) == "d3"
    assert model.row_of("d2") == 2 and model.row_of("zz") == -1
