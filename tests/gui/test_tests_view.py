"""Significance where the analyst looks: the Tests view lists every comparison, sorts,
filters and drills down; the Compare charts mark the differences that hold."""
from __future__ import annotations

import pytest
from gui_corpus import (
    LONG_GROUP,
    OTHER_GROUP,
    analyse_contrast,
    close_window,
    make_contrast_corpus,
    open_window,
)
from PySide6.QtCore import Qt


@pytest.fixture(scope="module")
def analysed():
    corpus = make_contrast_corpus()
    return corpus, analyse_contrast(corpus)


@pytest.fixture
def window(qtbot, analysed):
    corpus, results = analysed
    w = open_window(qtbot, corpus, results)
    yield w
    close_window(w)


def _open_tests_view(qtbot, window):
    item = window.nav.findItems("Tests", Qt.MatchFlag.MatchExactly)[0]
    rect = window.nav.visualItemRect(item)
    qtbot.mouseClick(window.nav.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    panel = window.panels["tests"]
    assert window.panel_stack.currentWidget() is panel
    return panel


def _column(model, header: str) -> int:
    return next(c for c in range(model.columnCount())
                if model.headerData(c, Qt.Orientation.Horizontal) == header)


def _cells(model, header: str) -> list:
    col = _column(model, header)
    return [model.index(r, col).data() for r in range(model.rowCount())]


def test_tests_view_lists_sorts_filters_and_drills_down(qtbot, window, analysed):
    _corpus, results = analysed
    panel = _open_tests_view(qtbot, window)
    all_tests = [t for c in results.data["comparisons"] for t in c["tests"]]
    model = panel.table.model()
    assert model.rowCount() == len(all_tests)
    assert set(_cells(model, "Groups")) == {f"{LONG_GROUP} vs {OTHER_GROUP}"}
    assert set(_cells(model, "n (documents)")) == {"10 / 10"}
    holding = [t for t in all_tests if t["q_bh"] == t["q_bh"] and t["q_bh"] < 0.05]
    assert holding and f"{len(holding)} hold after Benjamini–Hochberg" in panel.summary.text()

    # Sort by q: a click on its header.
    header = panel.table.horizontalHeader()
    q_col = _column(model, "q (BH)")
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=header.rect().topLeft() + _section_centre(header, q_col))
    qs = [model.index(r, q_col).data(Qt.ItemDataRole.UserRole + 1)
          for r in range(model.rowCount())]
    numeric = [q for q in qs if q == q and q is not None]
    assert numeric == sorted(numeric) and numeric[0] == min(t["q_bh"] for t in holding)

    qtbot.mouseClick(panel.only_holding, Qt.MouseButton.LeftButton,
                     pos=panel.only_holding.rect().topLeft() + _offset(8, 8))
    assert model.rowCount() == len(holding)
    assert set(_cells(model, "Holds")) == {"\u2731"}

    # A row drills down to the passages behind it, per group.
    labels = _cells(model, "Statistic")
    row = labels.index("Strategic partnership and mutual trust")
    rect = panel.table.visualRect(model.index(row, 0))
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert panel.drill.isVisible()
    assert panel.drill.gid.startswith("frames|china_russia.strategic_partnership|")
    chinese = panel.drill.lists[LONG_GROUP]
    assert chinese.count() >= 5 and "strategic partnership" in chinese.item(0).text().lower()


def _offset(x, y):
    from PySide6.QtCore import QPoint

    return QPoint(x, y)


def _section_centre(header, logical: int):
    from PySide6.QtCore import QPoint

    return QPoint(header.sectionViewportPosition(logical) + header.sectionSize(logical) // 2,
                  header.height() // 2)


def test_compare_charts_mark_the_differences_that_hold(qtbot, window):
    window.show_panel("compare")
    compare = window.panels["compare"]
    card = compare.card("frames")
    card.canvas.flush()
    marks = [t for t in card.canvas.figure.findobj(
        lambda a: str(a.get_gid()).startswith("significance|"))]
    assert marks, "no significance marks on the frame chart"
    assert all(t.get_text().startswith("\u2731 d ") for t in marks)
    assert "hold after Benjamini–Hochberg correction" in card.caption.text()
    assert "d is Cohen's d" in card.caption.text()
